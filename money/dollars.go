package money

import (
	"cmp"
	"fmt"
)

// Dollars is an exact amount of US dollars with 6 decimal places of precision
// (a whole number of micro-dollars). The zero value is $0. Dollars are
// comparable with == and usable as map keys; equal amounts are equal however
// they were written ("0.56" == "0.5600").
type Dollars struct{ micros int64 }

// Zero is $0.0000, the same as the zero value Dollars{}. Treat it as a
// constant.
var Zero = Dollars{}

// One is $1.0000, the payout of a winning contract; for example the YES ask
// implied by the best NO bid is One.Sub(noBid). Treat it as a constant.
var One = Dollars{micros: 1_000_000}

const (
	microsPerCent   = 10_000
	microsPerDollar = 1_000_000
)

// ParseDollars parses a decimal dollar amount such as "0.56", "0.5600",
// "0.017500", "1", "-2.5" or "98.0186".
//
// The accepted form is an optional '-', one or more digits, and optionally
// a '.' with one or more digits. A leading '+' is refused (Kalshi never sends
// one, and JSON numbers cannot have one), as are whitespace, exponents and
// empty input. Up to 6 decimal places are kept; further digits must be zeros,
// so parsing never rounds. Errors are [*ParseError] values wrapping
// [ErrSyntax], [ErrPrecision] or [ErrRange].
func ParseDollars(s string) (Dollars, error) {
	v, err := parseString(s, dollarsScale)
	return Dollars{v}, err
}

// MustDollars is like [ParseDollars] but panics on error. It is meant for
// constants and tests.
func MustDollars(s string) Dollars {
	d, err := ParseDollars(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DollarsFromCents returns c cents as Dollars. It panics if the amount is
// out of range (more than about 9.2 trillion dollars).
func DollarsFromCents(c int64) Dollars {
	return Dollars{scaleUp(c, microsPerCent, "DollarsFromCents")}
}

// DollarsFromMicros returns m micro-dollars (millionths of a dollar) as
// Dollars.
func DollarsFromMicros(m int64) Dollars { return Dollars{m} }

// Micros returns d as a whole number of micro-dollars (millionths of a
// dollar). It is exact.
func (d Dollars) Micros() int64 { return d.micros }

// Cents returns d in whole cents, truncated toward zero, and whether that
// was exact (false when d has digits below a cent, as fees often do).
// $0.017500 gives (1, false); -$0.019 gives (-1, false); $0.56 gives
// (56, true).
func (d Dollars) Cents() (cents int64, exact bool) {
	return d.micros / microsPerCent, d.micros%microsPerCent == 0
}

// String returns d in Kalshi's canonical form: 4 decimal places, or 6 when
// the fifth or sixth is not zero. Examples: "0.5600", "-1.0000", "98.0186",
// "0.017510"; $0.017500 prints as "0.0175".
func (d Dollars) String() string {
	var buf [maxFormatted]byte
	return string(appendUnits(buf[:0], d.micros, dollarsScale, 4))
}

// AppendText appends the canonical form of d (see [Dollars.String]) to b.
// It implements encoding.TextAppender and does not allocate when b has room.
func (d Dollars) AppendText(b []byte) ([]byte, error) {
	return appendUnits(b, d.micros, dollarsScale, 4), nil
}

// Add returns d + o. It panics if the sum overflows.
func (d Dollars) Add(o Dollars) Dollars { return Dollars{addUnits(d.micros, o.micros, "Dollars")} }

// Sub returns d − o. It panics if the difference overflows.
func (d Dollars) Sub(o Dollars) Dollars { return Dollars{subUnits(d.micros, o.micros, "Dollars")} }

// Neg returns −d. It panics only for DollarsFromMicros(math.MinInt64).
func (d Dollars) Neg() Dollars { return Dollars{negUnits(d.micros, "Dollars", "Neg")} }

// Cmp returns -1 if d < o, 0 if d == o and +1 if d > o.
func (d Dollars) Cmp(o Dollars) int { return cmp.Compare(d.micros, o.micros) }

// Min returns the smaller of d and o, e.g. the lower of two bids.
func (d Dollars) Min(o Dollars) Dollars {
	if o.micros < d.micros {
		return o
	}
	return d
}

// Max returns the larger of d and o, e.g. a price kept at or above a floor:
// price.Max(floor).
func (d Dollars) Max(o Dollars) Dollars {
	if o.micros > d.micros {
		return o
	}
	return d
}

// Sign returns -1, 0 or +1 according to the sign of d.
func (d Dollars) Sign() int { return cmp.Compare(d.micros, 0) }

// IsZero reports whether d is $0. It makes `json:",omitzero"` work.
func (d Dollars) IsZero() bool { return d.micros == 0 }

// Mul returns the price d times the count c, e.g. $0.5600 × 10.00 =
// $5.6000. The exact product has up to 8 decimal places; it is rounded to
// the nearest micro-dollar, halves away from zero ($0.000001 × 0.50 =
// $0.000001, −$0.000001 × 0.50 = −$0.000001). It panics if the result is out
// of range; use [Dollars.MulChecked] when the inputs are untrusted and
// extreme values are possible.
func (d Dollars) Mul(c Count) Dollars {
	r, err := d.MulChecked(c)
	if err != nil {
		panic(err)
	}
	return r
}

// MulChecked is [Dollars.Mul] that returns an error wrapping [ErrRange]
// instead of panicking when the result is out of range.
func (d Dollars) MulChecked(c Count) (Dollars, error) {
	v, ok := mulDiv100(d.micros, c.hundredths)
	if !ok {
		return Dollars{}, fmt.Errorf("money: %s × %s: %w for Dollars", d, c, ErrRange)
	}
	return Dollars{v}, nil
}

// Float64 returns d in dollars as a float64, for display and charts only.
// It may be inexact; never use it for arithmetic on money.
func (d Dollars) Float64() float64 { return float64(d.micros) / microsPerDollar }

// MarshalJSON encodes d as a JSON string in canonical form, e.g. "0.5600".
func (d Dollars) MarshalJSON() ([]byte, error) {
	return appendQuotedUnits(make([]byte, 0, maxFormatted), d.micros, dollarsScale, 4), nil
}

// UnmarshalJSON accepts a JSON string holding a decimal ("0.5600"), a JSON
// number (0.56, parsed from its text, never through float64), the empty
// string "" (sets $0) and null (leaves d unchanged). The decimal rules are
// those of [ParseDollars]. On error d is unchanged.
func (d *Dollars) UnmarshalJSON(b []byte) error {
	v, set, err := decodeJSON(b, dollarsScale)
	if set {
		d.micros = v
	}
	return err
}

// MarshalText encodes d in canonical form (see [Dollars.String]).
func (d Dollars) MarshalText() ([]byte, error) {
	return appendUnits(make([]byte, 0, maxFormatted), d.micros, dollarsScale, 4), nil
}

// UnmarshalText parses b with the rules of [ParseDollars]; empty text is an
// error. On error d is unchanged.
func (d *Dollars) UnmarshalText(b []byte) error {
	v, err := parseBytes(b, dollarsScale)
	if err == nil {
		d.micros = v
	}
	return err
}
