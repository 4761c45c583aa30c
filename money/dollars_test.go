package money_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
)

func TestParseDollars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		micros int64
		str    string
	}{
		{"0.56", 560_000, "0.5600"},
		{"0.5600", 560_000, "0.5600"},
		{"0.560000", 560_000, "0.5600"},
		{"0.56000000000", 560_000, "0.5600"}, // zeros past the scale lose nothing
		{"0.017500", 17_500, "0.0175"},       // 4 places suffice, so the canonical form uses 4
		{"0.0175", 17_500, "0.0175"},
		{"0.000700", 700, "0.0007"},
		{"0.000001", 1, "0.000001"},
		{"0.00001", 10, "0.000010"},
		{"1", 1_000_000, "1.0000"},
		{"1.0", 1_000_000, "1.0000"},
		{"-2.5", -2_500_000, "-2.5000"},
		{"-1.00", -1_000_000, "-1.0000"},
		{"98.0186", 98_018_600, "98.0186"},
		{"0", 0, "0.0000"},
		{"-0", 0, "0.0000"},
		{"-0.000000", 0, "0.0000"},
		{"007.5", 7_500_000, "7.5000"},
		{"9223372036854.775807", math.MaxInt64, "9223372036854.775807"},
		{"-9223372036854.775807", -math.MaxInt64, "-9223372036854.775807"},
		{"123456789.123456", 123_456_789_123_456, "123456789.123456"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			d, err := money.ParseDollars(tt.in)
			if err != nil {
				t.Fatalf("ParseDollars(%q): %v", tt.in, err)
			}
			if d.Micros() != tt.micros {
				t.Errorf("ParseDollars(%q).Micros() = %d, want %d", tt.in, d.Micros(), tt.micros)
			}
			if got := d.String(); got != tt.str {
				t.Errorf("ParseDollars(%q).String() = %q, want %q", tt.in, got, tt.str)
			}
			if d != money.DollarsFromMicros(tt.micros) {
				t.Errorf("ParseDollars(%q) != DollarsFromMicros(%d) under ==", tt.in, tt.micros)
			}
			var u money.Dollars
			if err := u.UnmarshalText([]byte(tt.in)); err != nil || u != d {
				t.Errorf("UnmarshalText(%q) = %v, %v; want %v", tt.in, u, err, d)
			}
		})
	}
}

func TestParseDollarsErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		target error
		reason string // must appear in the message
	}{
		{"", money.ErrSyntax, "empty string"},
		{"1.2.3", money.ErrSyntax, "second '.' at byte 3"},
		{"abc", money.ErrSyntax, "unexpected 'a' at byte 0"},
		{"0.56abc", money.ErrSyntax, "unexpected 'a' at byte 4"},
		{"+1", money.ErrSyntax, "leading '+'"},
		{"+-1", money.ErrSyntax, "leading '+'"},
		{"--1", money.ErrSyntax, "unexpected '-' at byte 1"},
		{"1e5", money.ErrSyntax, "exponents"},
		{"1.5E-3", money.ErrSyntax, "exponents"},
		{" 1", money.ErrSyntax, "unexpected ' ' at byte 0"},
		{"1 ", money.ErrSyntax, "unexpected ' ' at byte 1"},
		{"1,000.00", money.ErrSyntax, "unexpected ',' at byte 1"},
		{"$1", money.ErrSyntax, "unexpected '$'"},
		{"\xff", money.ErrSyntax, "unexpected byte 0xff at byte 0"},
		{"-", money.ErrSyntax, "no digits"},
		{".", money.ErrSyntax, "no digits"},
		{".5", money.ErrSyntax, "no digits before '.'"},
		{"-.5", money.ErrSyntax, "no digits before '.'"},
		{"5.", money.ErrSyntax, "no digits after '.'"},
		{"NaN", money.ErrSyntax, "unexpected 'N'"},
		{"Inf", money.ErrSyntax, "unexpected 'I'"},
		{"0x10", money.ErrSyntax, "unexpected 'x'"},
		{"0.1234567", money.ErrPrecision, "Dollars hold 6"},
		{"-0.0000001", money.ErrPrecision, "Dollars hold 6"},
		{"1.0000001000", money.ErrPrecision, "Dollars hold 6"},
		{"99999999999999999999", money.ErrRange, "at most ±9223372036854.775807"},
		{"9223372036854.775808", money.ErrRange, "at most"},
		{"-9223372036854.775808", money.ErrRange, "at most"},
		{"9223372036855", money.ErrRange, "at most"},
		{"1" + strings.Repeat("0", 400), money.ErrRange, "at most"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			d, err := money.ParseDollars(tt.in)
			if err == nil {
				t.Fatalf("ParseDollars(%q) = %v, want error", tt.in, d)
			}
			if d != money.Zero {
				t.Errorf("ParseDollars(%q) returned %v with its error, want zero", tt.in, d)
			}
			assertParseError(t, err, tt.target, "Dollars", tt.in, tt.reason)

			before := money.MustDollars("4.2")
			u := before
			if err := u.UnmarshalText([]byte(tt.in)); !errors.Is(err, tt.target) {
				t.Errorf("UnmarshalText(%q) error = %v, want %v", tt.in, err, tt.target)
			}
			if u != before {
				t.Errorf("UnmarshalText(%q) changed the value to %v on error", tt.in, u)
			}
		})
	}
}

// assertParseError checks that err is a *ParseError for typ wrapping target
// whose message names the input (or its first 64 bytes) and the reason.
func assertParseError(t *testing.T, err, target error, typ, input, reason string) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Errorf("error %q does not wrap %v", err, target)
	}
	var pe *money.ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("error %q (%T) is not a *money.ParseError", err, err)
	}
	if pe.Type != typ || pe.Input != input {
		t.Errorf("ParseError{Type: %q, Input: %q}, want {%q, %q}", pe.Type, pe.Input, typ, input)
	}
	msg := err.Error()
	shown := input
	if len(shown) > 64 {
		shown = shown[:64]
	}
	quoted := strconv.Quote(shown)
	if !strings.HasPrefix(msg, "money: ") || !strings.Contains(msg, quoted) || !strings.Contains(msg, typ) {
		t.Errorf("message %q does not name the input %s and the type %s", msg, quoted, typ)
	}
	if !strings.Contains(msg, reason) {
		t.Errorf("message %q does not contain %q", msg, reason)
	}
	if len(msg) > 200 {
		t.Errorf("message is %d bytes long; long inputs should be cut", len(msg))
	}
}

func TestMustDollarsPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		r := recover()
		err, ok := r.(error)
		if !ok || !errors.Is(err, money.ErrSyntax) {
			t.Errorf("MustDollars(\"1.2.3\") panicked with %v, want an ErrSyntax error", r)
		}
	}()
	money.MustDollars("1.2.3")
}

func TestDollarsConstructors(t *testing.T) {
	t.Parallel()
	if got := money.DollarsFromCents(56); got != money.MustDollars("0.56") {
		t.Errorf("DollarsFromCents(56) = %v, want 0.5600", got)
	}
	if got := money.DollarsFromCents(-199); got != money.MustDollars("-1.99") {
		t.Errorf("DollarsFromCents(-199) = %v, want -1.9900", got)
	}
	if got := money.DollarsFromMicros(17_510).String(); got != "0.017510" {
		t.Errorf("DollarsFromMicros(17510) = %s, want 0.017510", got)
	}
	if money.One.String() != "1.0000" || money.One.Micros() != 1_000_000 {
		t.Errorf("One = %s (%d micros), want 1.0000", money.One, money.One.Micros())
	}
	if money.Zero != (money.Dollars{}) || money.Zero.String() != "0.0000" {
		t.Errorf("Zero = %s, want the zero value 0.0000", money.Zero)
	}
	if got := money.DollarsFromCents(math.MaxInt64 / 10_000); got.Micros() != math.MaxInt64/10_000*10_000 {
		t.Errorf("DollarsFromCents(max) = %d micros", got.Micros())
	}
	mustPanic(t, "DollarsFromCents(MaxInt64/10000+1)", func() { money.DollarsFromCents(math.MaxInt64/10_000 + 1) })
	mustPanic(t, "DollarsFromCents(MinInt64)", func() { money.DollarsFromCents(math.MinInt64) })
}

func TestDollarsCents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		cents int64
		exact bool
	}{
		{"0.56", 56, true},
		{"0.5600", 56, true},
		{"1", 100, true},
		{"-1.99", -199, true},
		{"0", 0, true},
		{"0.017500", 1, false},   // truncated toward zero
		{"0.019999", 1, false},   // not rounded up
		{"-0.019999", -1, false}, // toward zero, not toward -inf
		{"0.009999", 0, false},
		{"0.0001", 0, false},
		{"98.0186", 9801, false},
	}
	for _, tt := range tests {
		c, exact := money.MustDollars(tt.in).Cents()
		if c != tt.cents || exact != tt.exact {
			t.Errorf("MustDollars(%q).Cents() = %d, %v; want %d, %v", tt.in, c, exact, tt.cents, tt.exact)
		}
	}
}

func TestDollarsArithmetic(t *testing.T) {
	t.Parallel()
	d := money.MustDollars
	noBid := d("0.4800")
	if got := money.One.Sub(noBid); got != d("0.52") {
		t.Errorf("One - 0.48 = %v, want 0.5200", got)
	}
	if got := d("0.5200").Add(d("0.017510")); got.String() != "0.537510" {
		t.Errorf("0.52 + 0.01751 = %v, want 0.537510", got)
	}
	if got := d("0.56").Neg(); got.String() != "-0.5600" {
		t.Errorf("-(0.56) = %v", got)
	}
	if got := d("0.1").Add(d("0.2")); got != d("0.3") {
		t.Errorf("0.1 + 0.2 = %v, want exactly 0.3", got)
	}

	cmpTests := []struct {
		a, b string
		want int
	}{
		{"0.56", "0.5600", 0},
		{"0.55", "0.56", -1},
		{"0.57", "0.56", 1},
		{"-1", "0", -1},
		{"0.000001", "0", 1},
	}
	for _, tt := range cmpTests {
		if got := d(tt.a).Cmp(d(tt.b)); got != tt.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	signs := map[string]int{"-0.000001": -1, "0": 0, "-0": 0, "3": 1}
	for in, want := range signs {
		if got := d(in).Sign(); got != want {
			t.Errorf("Sign(%s) = %d, want %d", in, got, want)
		}
		if got := d(in).IsZero(); got != (want == 0) {
			t.Errorf("IsZero(%s) = %v", in, got)
		}
	}

	max := money.DollarsFromMicros(math.MaxInt64)
	min := money.DollarsFromMicros(math.MinInt64)
	tiny := money.DollarsFromMicros(1)
	mustPanic(t, "max.Add(tiny)", func() { max.Add(tiny) })
	mustPanic(t, "min.Sub(tiny)", func() { min.Sub(tiny) })
	mustPanic(t, "max.Sub(-tiny)", func() { max.Sub(tiny.Neg()) })
	mustPanic(t, "min.Neg()", func() { min.Neg() })
	if got := max.Sub(tiny).Add(tiny); got != max {
		t.Errorf("max - 1µ + 1µ = %v, want %v", got, max)
	}
	if got := min.Add(max); got != tiny.Neg() {
		t.Errorf("min + max = %v, want -0.000001", got)
	}
}

func TestDollarsMapKey(t *testing.T) {
	t.Parallel()
	levels := map[money.Dollars]money.Count{}
	levels[money.MustDollars("0.47")] = money.MustCount("3")
	levels[money.MustDollars("0.4700")] = levels[money.MustDollars("0.470000")].Add(money.MustCount("2"))
	if len(levels) != 1 || levels[money.MustDollars("0.47")] != money.MustCount("5") {
		t.Errorf("levels = %v, want one level 0.4700 -> 5.00", levels)
	}
}

func TestDollarsMul(t *testing.T) {
	t.Parallel()
	tests := []struct {
		price, count, want string
	}{
		{"0.5600", "10.00", "5.6000"},
		{"0.56", "10", "5.6000"},
		{"0.5200", "1.00", "0.5200"},
		{"0.4700", "3.00", "1.4100"},
		{"0.5600", "7.77", "4.3512"},
		{"0.017510", "3.33", "0.058308"}, // 0.0583083 rounds down
		{"0.0001", "0.01", "0.000001"},   // exact
		{"0.0001", "0.05", "0.000005"},   // exact
		{"0.000001", "0.50", "0.000001"}, // 0.0000005 rounds away from zero
		{"0.000001", "0.49", "0"},        // 0.00000049 rounds down
		{"0.000001", "1.50", "0.000002"}, // 0.0000015 rounds away from zero
		{"-0.000001", "0.50", "-0.000001"},
		{"0.000001", "-0.50", "-0.000001"},
		{"-0.000001", "-0.50", "0.000001"},
		{"-0.000001", "0.49", "0"},
		{"0.5600", "-1.00", "-0.5600"},
		{"0.99", "0", "0"},
		{"9223372036854.775807", "1", "9223372036854.775807"},
		{"-9223372036854.775807", "1", "-9223372036854.775807"},
		{"9223372036854.775807", "-1", "-9223372036854.775807"},
		{"92233720368.547758", "100.00", "9223372036854.775800"}, // product needs 128 bits mid-way
	}
	for _, tt := range tests {
		p, c := money.MustDollars(tt.price), money.MustCount(tt.count)
		got := p.Mul(c)
		if got != money.MustDollars(tt.want) {
			t.Errorf("%s × %s = %v, want %s", tt.price, tt.count, got, tt.want)
		}
		checked, err := p.MulChecked(c)
		if err != nil || checked != got {
			t.Errorf("MulChecked(%s, %s) = %v, %v; want %v, nil", tt.price, tt.count, checked, err, got)
		}
	}

	overflows := []struct{ price, count string }{
		{"9223372036854.775807", "1.01"},
		{"9223372036854.775807", "-1.01"},
		{"100000", "1000000000000.00"},
		{"9223372036854.775807", "92233720368547758.07"},
		{"-9223372036854.775807", "-92233720368547758.07"},
	}
	for _, tt := range overflows {
		p, c := money.MustDollars(tt.price), money.MustCount(tt.count)
		got, err := p.MulChecked(c)
		if !errors.Is(err, money.ErrRange) || got != money.Zero {
			t.Errorf("MulChecked(%s, %s) = %v, %v; want 0, ErrRange", tt.price, tt.count, got, err)
		} else if !strings.Contains(err.Error(), tt.price) || !strings.Contains(err.Error(), tt.count) {
			t.Errorf("MulChecked error %q does not name %s and %s", err, tt.price, tt.count)
		}
		mustPanic(t, tt.price+" × "+tt.count, func() { p.Mul(c) })
	}
	// Only a result of exactly math.MinInt64 micro-dollars fits on the negative side.
	got, err := money.DollarsFromMicros(math.MinInt64).MulChecked(money.MustCount("1"))
	if err != nil || got.Micros() != math.MinInt64 {
		t.Errorf("MinInt64 micros × 1 = %v, %v; want MinInt64, nil", got, err)
	}
	if _, err := money.DollarsFromMicros(math.MinInt64).MulChecked(money.MustCount("-1")); !errors.Is(err, money.ErrRange) {
		t.Errorf("MinInt64 micros × -1: err = %v, want ErrRange", err)
	}
}

func TestDollarsFloat64(t *testing.T) {
	t.Parallel()
	tests := map[string]float64{"0.56": 0.56, "-2.5": -2.5, "0.017500": 0.0175, "98.0186": 98.0186, "0": 0}
	for in, want := range tests {
		if got := money.MustDollars(in).Float64(); got != want {
			t.Errorf("MustDollars(%q).Float64() = %v, want %v", in, got, want)
		}
	}
}

func TestDollarsString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		micros int64
		want   string
	}{
		{0, "0.0000"},
		{1, "0.000001"},
		{10, "0.000010"},
		{100, "0.0001"},
		{-100, "-0.0001"},
		{560_000, "0.5600"},
		{17_500, "0.0175"},
		{17_510, "0.017510"},
		{-70, "-0.000070"},
		{-1_000_000, "-1.0000"},
		{98_018_600, "98.0186"},
		{1_000_000_000_000, "1000000.0000"},
		{math.MaxInt64, "9223372036854.775807"},
		{math.MinInt64, "-9223372036854.775808"},
	}
	for _, tt := range tests {
		d := money.DollarsFromMicros(tt.micros)
		if got := d.String(); got != tt.want {
			t.Errorf("DollarsFromMicros(%d).String() = %q, want %q", tt.micros, got, tt.want)
		}
		b, err := d.MarshalText()
		if err != nil || string(b) != tt.want {
			t.Errorf("MarshalText(%d) = %q, %v", tt.micros, b, err)
		}
		b, err = d.AppendText([]byte("x="))
		if err != nil || string(b) != "x="+tt.want {
			t.Errorf("AppendText(%d) = %q, %v", tt.micros, b, err)
		}
		b, err = d.MarshalJSON()
		if err != nil || string(b) != `"`+tt.want+`"` {
			t.Errorf("MarshalJSON(%d) = %s, %v", tt.micros, b, err)
		}
	}
}

func mustPanic(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}
