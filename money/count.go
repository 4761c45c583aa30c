package money

import (
	"cmp"
	"fmt"
)

// Count is an exact number of contracts with 2 decimal places (a whole number
// of hundredths of a contract, Kalshi's minimum granularity). It can be
// negative: positions are negative when short and order-book deltas when
// size is removed. The zero value is 0.00. Counts are comparable with ==.
type Count struct{ hundredths int64 }

const hundredthsPerContract = 100

// ParseCount parses a decimal number of contracts such as "10", "10.0",
// "10.00", "-1.00" or "7.77". The rules are those of [ParseDollars] with 2
// decimal places instead of 6: "0.001" is refused with [ErrPrecision],
// "0.010" is accepted.
func ParseCount(s string) (Count, error) {
	v, err := parseString(s, countScale)
	return Count{v}, err
}

// MustCount is like [ParseCount] but panics on error. It is meant for
// constants and tests.
func MustCount(s string) Count {
	c, err := ParseCount(s)
	if err != nil {
		panic(err)
	}
	return c
}

// CountFromInt returns n whole contracts. It panics if n is out of range
// (more than about 9.2e16 contracts).
func CountFromInt(n int64) Count {
	return Count{scaleUp(n, hundredthsPerContract, "CountFromInt")}
}

// CountFromHundredths returns h hundredths of a contract.
func CountFromHundredths(h int64) Count { return Count{h} }

// Hundredths returns c as a whole number of hundredths of a contract. It is
// exact.
func (c Count) Hundredths() int64 { return c.hundredths }

// Int returns c in whole contracts, truncated toward zero, and whether that
// was exact (false for fractional counts such as 7.77).
func (c Count) Int() (n int64, exact bool) {
	return c.hundredths / hundredthsPerContract, c.hundredths%hundredthsPerContract == 0
}

// String returns c with exactly 2 decimal places, as Kalshi writes counts:
// "10.00", "-1.00", "7.77".
func (c Count) String() string {
	var buf [maxFormatted]byte
	return string(appendUnits(buf[:0], c.hundredths, countScale, 2))
}

// AppendText appends c in the form of [Count.String] to b. It implements
// encoding.TextAppender and does not allocate when b has room.
func (c Count) AppendText(b []byte) ([]byte, error) {
	return appendUnits(b, c.hundredths, countScale, 2), nil
}

// Add returns c + o. It panics if the sum overflows.
func (c Count) Add(o Count) Count { return Count{addUnits(c.hundredths, o.hundredths, "Count")} }

// Sub returns c − o. It panics if the difference overflows.
func (c Count) Sub(o Count) Count { return Count{subUnits(c.hundredths, o.hundredths, "Count")} }

// AddChecked is [Count.Add] that returns an error wrapping [ErrRange]
// instead of panicking when the sum overflows: for values from outside.
func (c Count) AddChecked(o Count) (Count, error) {
	s := c.hundredths + o.hundredths
	if (s^c.hundredths)&(s^o.hundredths) < 0 {
		return Count{}, fmt.Errorf("money: %s + %s: %w for Count", c, o, ErrRange)
	}
	return Count{s}, nil
}

// SubChecked is [Count.Sub] that returns an error wrapping [ErrRange]
// instead of panicking when the difference overflows.
func (c Count) SubChecked(o Count) (Count, error) {
	s := c.hundredths - o.hundredths
	if (c.hundredths^o.hundredths)&(s^c.hundredths) < 0 {
		return Count{}, fmt.Errorf("money: %s − %s: %w for Count", c, o, ErrRange)
	}
	return Count{s}, nil
}

// Neg returns −c. It panics only for CountFromHundredths(math.MinInt64).
func (c Count) Neg() Count { return Count{negUnits(c.hundredths, "Count", "Neg")} }

// Abs returns |c|. It panics only for CountFromHundredths(math.MinInt64).
func (c Count) Abs() Count {
	if c.hundredths < 0 {
		return Count{negUnits(c.hundredths, "Count", "Abs")}
	}
	return c
}

// Min returns the smaller of c and o, e.g. the size that can fill against a
// resting level.
func (c Count) Min(o Count) Count {
	if o.hundredths < c.hundredths {
		return o
	}
	return c
}

// Max returns the larger of c and o, e.g. a size kept at or above zero:
// remaining.Max(money.Count{}).
func (c Count) Max(o Count) Count {
	if o.hundredths > c.hundredths {
		return o
	}
	return c
}

// Cmp returns -1 if c < o, 0 if c == o and +1 if c > o.
func (c Count) Cmp(o Count) int { return cmp.Compare(c.hundredths, o.hundredths) }

// Sign returns -1, 0 or +1 according to the sign of c.
func (c Count) Sign() int { return cmp.Compare(c.hundredths, 0) }

// IsZero reports whether c is zero. It makes `json:",omitzero"` work.
func (c Count) IsZero() bool { return c.hundredths == 0 }

// Float64 returns c in contracts as a float64, for display and charts only.
func (c Count) Float64() float64 { return float64(c.hundredths) / hundredthsPerContract }

// MarshalJSON encodes c as a JSON string with 2 decimal places, e.g. "10.00".
func (c Count) MarshalJSON() ([]byte, error) {
	return appendQuotedUnits(make([]byte, 0, maxFormatted), c.hundredths, countScale, 2), nil
}

// UnmarshalJSON accepts a JSON string holding a decimal ("10.00"), a JSON
// number (10 or 2.5, parsed from its text, never through float64), the
// empty string "" (sets 0) and null (leaves c unchanged). The decimal rules
// are those of [ParseCount]. On error c is unchanged.
func (c *Count) UnmarshalJSON(b []byte) error {
	v, set, err := decodeJSON(b, countScale)
	if set {
		c.hundredths = v
	}
	return err
}

// MarshalText encodes c in the form of [Count.String].
func (c Count) MarshalText() ([]byte, error) {
	return appendUnits(make([]byte, 0, maxFormatted), c.hundredths, countScale, 2), nil
}

// UnmarshalText parses b with the rules of [ParseCount]; empty text is an
// error. On error c is unchanged.
func (c *Count) UnmarshalText(b []byte) error {
	v, err := parseBytes(b, countScale)
	if err == nil {
		c.hundredths = v
	}
	return err
}
