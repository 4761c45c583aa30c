package money_test

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
)

// grammar is the documented input form, written independently of the
// hand-rolled parser so the fuzzers can compare the two.
var grammar = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)

// refParse is a slow reference parser: the documented grammar checked by a
// regexp, the value computed with big.Rat. It returns the value in units of
// 10^-digits and the error class the real parser must report.
func refParse(s string, digits int) (int64, error) {
	if !grammar.MatchString(s) {
		return 0, money.ErrSyntax
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("big.Rat refused " + s)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)))
	if !r.IsInt() {
		return 0, money.ErrPrecision
	}
	n := r.Num()
	if n.CmpAbs(big.NewInt(math.MaxInt64)) > 0 {
		return 0, money.ErrRange
	}
	return n.Int64(), nil
}

// checkParse compares a parse result with the reference and checks that
// errors name the input.
func checkParse(t *testing.T, s string, got int64, err error, digits int) {
	t.Helper()
	want, wantErr := refParse(s, digits)
	if wantErr != nil {
		if !errors.Is(err, wantErr) {
			t.Fatalf("parse(%q) = %d, %v; want error %v", s, got, err, wantErr)
		}
		var pe *money.ParseError
		if !errors.As(err, &pe) || pe.Input != s {
			t.Fatalf("parse(%q) error %#v does not carry the input", s, err)
		}
		return
	}
	if err != nil || got != want {
		t.Fatalf("parse(%q) = %d, %v; want %d", s, got, err, want)
	}
}

func FuzzParseDollars(f *testing.F) {
	for _, s := range []string{"0.5600", "0.017500", "-1.00", "98.0186", "1e5", "+1", ".5", "0.1234567", "9223372036854.775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := money.ParseDollars(s)
		checkParse(t, s, d.Micros(), err, 6)
		if err != nil {
			return
		}
		out := d.String()
		if again, err := money.ParseDollars(out); err != nil || again != d {
			t.Fatalf("%q -> %q -> %v, %v", s, out, again, err)
		}
		var j money.Dollars
		if err := j.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil || j != d {
			t.Fatalf("UnmarshalJSON(%q as string) = %v, %v; want %v", s, j, err, d)
		}
		if err := j.UnmarshalJSON([]byte(s)); err != nil || j != d {
			t.Fatalf("UnmarshalJSON(%q as number) = %v, %v; want %v", s, j, err, d)
		}
	})
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"10", "10.0", "10.00", "-1.00", "7.77", "0.001", "1.2.3", "92233720368547758.08"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := money.ParseCount(s)
		checkParse(t, s, c.Hundredths(), err, 2)
		if err != nil {
			return
		}
		out := c.String()
		if again, err := money.ParseCount(out); err != nil || again != c {
			t.Fatalf("%q -> %q -> %v, %v", s, out, again, err)
		}
		var j money.Count
		if err := j.UnmarshalJSON([]byte(`"` + s + `"`)); err != nil || j != c {
			t.Fatalf("UnmarshalJSON(%q as string) = %v, %v; want %v", s, j, err, c)
		}
	})
}

// FuzzUnmarshalJSONDollars feeds arbitrary bytes to UnmarshalJSON: it must
// never panic, must leave the value alone on error, and whatever it accepts
// must print back to something that decodes to the same amount.
func FuzzUnmarshalJSONDollars(f *testing.F) {
	for _, s := range []string{`"0.5600"`, `0.56`, `""`, `null`, `true`, `{"a":1}`, `"`, `"0.56`, `-`, `"\u0030"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		before := money.MustDollars("0.42")
		d := before
		if err := d.UnmarshalJSON(b); err != nil {
			if d != before {
				t.Fatalf("UnmarshalJSON(%q) failed but changed the value to %v", b, d)
			}
			return
		}
		out, _ := d.MarshalJSON()
		var again money.Dollars
		if err := again.UnmarshalJSON(out); err != nil || again != d {
			t.Fatalf("%q -> %v -> %s -> %v, %v", b, d, out, again, err)
		}
	})
}
