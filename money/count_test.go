package money_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
)

func TestParseCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		h    int64
		want string
	}{
		{"10", 1000, "10.00"},
		{"10.0", 1000, "10.00"},
		{"10.00", 1000, "10.00"},
		{"10.000", 1000, "10.00"},
		{"-1.00", -100, "-1.00"},
		{"7.77", 777, "7.77"},
		{"0.11", 11, "0.11"},
		{"0.5", 50, "0.50"},
		{"0.01", 1, "0.01"},
		{"0", 0, "0.00"},
		{"-0.00", 0, "0.00"},
		{"618700.14", 61870014, "618700.14"},
		{"2233487.48", 223348748, "2233487.48"},
		{"92233720368547758.07", math.MaxInt64, "92233720368547758.07"},
		{"-92233720368547758.07", -math.MaxInt64, "-92233720368547758.07"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			c, err := money.ParseCount(tt.in)
			if err != nil {
				t.Fatalf("ParseCount(%q): %v", tt.in, err)
			}
			if c.Hundredths() != tt.h || c != money.CountFromHundredths(tt.h) {
				t.Errorf("ParseCount(%q).Hundredths() = %d, want %d", tt.in, c.Hundredths(), tt.h)
			}
			if got := c.String(); got != tt.want {
				t.Errorf("ParseCount(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			var u money.Count
			if err := u.UnmarshalText([]byte(tt.in)); err != nil || u != c {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tt.in, u, err, c)
			}
		})
	}
}

func TestParseCountErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		target error
		reason string
	}{
		{"", money.ErrSyntax, "empty string"},
		{"0.001", money.ErrPrecision, "Count hold 2"},
		{"1.005", money.ErrPrecision, "Count hold 2"},
		{"1.2.3", money.ErrSyntax, "second '.'"},
		{"ten", money.ErrSyntax, "unexpected 't' at byte 0"},
		{"+10", money.ErrSyntax, "leading '+'"},
		{"1e2", money.ErrSyntax, "exponents"},
		{"10 ", money.ErrSyntax, "unexpected ' ' at byte 2"},
		{"92233720368547758.08", money.ErrRange, "at most ±92233720368547758.07"},
		{"99999999999999999999", money.ErrRange, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			c, err := money.ParseCount(tt.in)
			if err == nil {
				t.Fatalf("ParseCount(%q) = %v, want error", tt.in, c)
			}
			assertParseError(t, err, tt.target, "Count", tt.in, tt.reason)
			mustPanic(t, "MustCount("+tt.in+")", func() { money.MustCount(tt.in) })
		})
	}
}

func TestCountConstructorsAndAccessors(t *testing.T) {
	t.Parallel()
	if got := money.CountFromInt(10); got != money.MustCount("10.00") {
		t.Errorf("CountFromInt(10) = %v", got)
	}
	if got := money.CountFromInt(-3); got.String() != "-3.00" {
		t.Errorf("CountFromInt(-3) = %v", got)
	}
	mustPanic(t, "CountFromInt(MaxInt64)", func() { money.CountFromInt(math.MaxInt64) })
	mustPanic(t, "CountFromInt(MinInt64/100-1)", func() { money.CountFromInt(math.MinInt64/100 - 1) })

	ints := []struct {
		in    string
		n     int64
		exact bool
	}{
		{"10.00", 10, true},
		{"7.77", 7, false},
		{"-7.77", -7, false}, // truncated toward zero
		{"-1", -1, true},
		{"0.99", 0, false},
		{"0", 0, true},
	}
	for _, tt := range ints {
		n, exact := money.MustCount(tt.in).Int()
		if n != tt.n || exact != tt.exact {
			t.Errorf("MustCount(%q).Int() = %d, %v; want %d, %v", tt.in, n, exact, tt.n, tt.exact)
		}
	}
	if got := money.MustCount("7.77").Float64(); got != 7.77 {
		t.Errorf("Float64(7.77) = %v", got)
	}
}

func TestCountArithmetic(t *testing.T) {
	t.Parallel()
	c := money.MustCount
	if got := c("3.00").Add(c("-1.00")); got != c("2") {
		t.Errorf("3 + -1 = %v", got)
	}
	if got := c("3.00").Sub(c("7.77")); got.String() != "-4.77" {
		t.Errorf("3 - 7.77 = %v", got)
	}
	if got := c("2.5").Neg(); got.String() != "-2.50" {
		t.Errorf("-(2.5) = %v", got)
	}
	if got := c("-2.5").Abs(); got != c("2.5") {
		t.Errorf("|-2.5| = %v", got)
	}
	if got := c("2.5").Abs(); got != c("2.5") {
		t.Errorf("|2.5| = %v", got)
	}
	if got := c("3").Min(c("2.99")); got != c("2.99") {
		t.Errorf("min(3, 2.99) = %v", got)
	}
	if got := c("-1").Min(c("0")); got != c("-1") {
		t.Errorf("min(-1, 0) = %v", got)
	}
	if c("1").Cmp(c("1.00")) != 0 || c("0.99").Cmp(c("1")) != -1 || c("1.01").Cmp(c("1")) != 1 {
		t.Error("Cmp disagrees with the amounts")
	}
	if c("-0.01").Sign() != -1 || c("0").Sign() != 0 || c("0.01").Sign() != 1 {
		t.Error("Sign disagrees with the amounts")
	}
	if !c("0.00").IsZero() || c("0.01").IsZero() || !(money.Count{}).IsZero() {
		t.Error("IsZero disagrees with the amounts")
	}
	max, min := money.CountFromHundredths(math.MaxInt64), money.CountFromHundredths(math.MinInt64)
	one := c("0.01")
	mustPanic(t, "max.Add", func() { max.Add(one) })
	mustPanic(t, "min.Sub", func() { min.Sub(one) })
	mustPanic(t, "min.Neg", func() { min.Neg() })
	mustPanic(t, "min.Abs", func() { min.Abs() })
}

func TestCountString(t *testing.T) {
	t.Parallel()
	tests := map[int64]string{
		0: "0.00", 1: "0.01", -1: "-0.01", 10: "0.10", 100: "1.00", 1000: "10.00", -100: "-1.00", 777: "7.77",
		math.MaxInt64: "92233720368547758.07", math.MinInt64: "-92233720368547758.08",
	}
	for h, want := range tests {
		c := money.CountFromHundredths(h)
		if got := c.String(); got != want {
			t.Errorf("CountFromHundredths(%d).String() = %q, want %q", h, got, want)
		}
		if b, err := c.MarshalJSON(); err != nil || string(b) != `"`+want+`"` {
			t.Errorf("MarshalJSON(%d) = %s, %v", h, b, err)
		}
		if b, err := c.MarshalText(); err != nil || string(b) != want {
			t.Errorf("MarshalText(%d) = %s, %v", h, b, err)
		}
		if b, err := c.AppendText([]byte("n=")); err != nil || string(b) != "n="+want {
			t.Errorf("AppendText(%d) = %s, %v", h, b, err)
		}
	}
}

func TestParseErrorLongInputIsCut(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("9", 100) + "x"
	_, err := money.ParseCount(in)
	var pe *money.ParseError
	if !errors.As(err, &pe) || pe.Input != in {
		t.Fatalf("err = %v, want a *ParseError holding the whole input", err)
	}
	if msg := err.Error(); !strings.Contains(msg, `"`+strings.Repeat("9", 64)+`"...`) || strings.Contains(msg, strings.Repeat("9", 65)) {
		t.Errorf("message %q should show the first 64 bytes followed by ...", msg)
	}
}

func TestCountCheckedArithmetic(t *testing.T) {
	max := money.CountFromHundredths(math.MaxInt64)
	minimum := money.CountFromHundredths(math.MinInt64)
	one := money.MustCount("0.01")
	if _, err := max.AddChecked(one); !errors.Is(err, money.ErrRange) {
		t.Errorf("max + 0.01: %v, want ErrRange", err)
	}
	if _, err := minimum.SubChecked(one); !errors.Is(err, money.ErrRange) {
		t.Errorf("min − 0.01: %v, want ErrRange", err)
	}
	if s, err := money.MustCount("1.50").AddChecked(money.MustCount("2.25")); err != nil || s.String() != "3.75" {
		t.Errorf("1.50 + 2.25 = %v, %v", s, err)
	}
	if d, err := money.MustCount("1.50").SubChecked(money.MustCount("2.25")); err != nil || d.String() != "-0.75" {
		t.Errorf("1.50 − 2.25 = %v, %v", d, err)
	}
}
