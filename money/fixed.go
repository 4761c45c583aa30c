package money

import (
	"math"
	"math/bits"
	"strconv"
)

// pow10 holds 10^i for the scales used here.
var pow10 = [...]uint64{1, 10, 100, 1000, 10000, 100000, 1000000}

// text is what the parser reads: a string or a byte slice, so that decoding
// JSON never has to convert bytes to a string.
type text interface{ ~string | ~[]byte }

// parseUnits reads a plain decimal ("-12.3400") as a whole number of
// 10^-k.digits units. It accepts an optional '-', at least one digit, and
// an optional '.' followed by at least one digit. Digits beyond the scale
// must be zeros. Magnitudes above math.MaxInt64 units are out of range, so
// every parsed value can be negated.
func parseUnits[T text](s T, k scaleInfo) (int64, failure) {
	n := len(s)
	if n == 0 {
		return 0, failure{code: failEmpty}
	}
	i := 0
	neg := false
	switch s[0] {
	case '-':
		neg = true
		i = 1
	case '+':
		return 0, failure{code: failPlus}
	}

	// Integer part. Once it passes limit the value is out of range; keep
	// scanning so syntax errors still win, but stop accumulating.
	unit := pow10[k.digits]
	limit := uint64(math.MaxInt64) / unit
	var whole uint64
	tooBig := false
	start := i
	for ; i < n; i++ {
		c := s[i] - '0'
		if c > 9 {
			break
		}
		if !tooBig {
			whole = whole*10 + uint64(c)
			tooBig = whole > limit
		}
	}
	wholeDigits := i - start

	// Fraction.
	var frac uint64
	fracDigits := 0
	lost := false
	if i < n && s[i] == '.' {
		i++
		fracStart := i
		for ; i < n; i++ {
			c := s[i] - '0'
			if c > 9 {
				break
			}
			if fracDigits < k.digits {
				frac = frac*10 + uint64(c)
				fracDigits++
			} else if c != 0 {
				lost = true
			}
		}
		switch {
		case i == fracStart && wholeDigits == 0:
			return 0, failure{code: failNoDigits}
		case i == fracStart:
			return 0, failure{code: failNothingAfterDot}
		case wholeDigits == 0:
			return 0, failure{code: failNothingBeforeDot}
		}
	} else if wholeDigits == 0 && i == n {
		return 0, failure{code: failNoDigits}
	}

	if i < n {
		switch c := s[i]; c {
		case '.':
			return 0, failure{code: failSecondDot, pos: i}
		case 'e', 'E':
			return 0, failure{code: failExponent, pos: i}
		default:
			return 0, failure{code: failUnexpected, pos: i, ch: c}
		}
	}
	if lost {
		return 0, failure{code: failPrecision}
	}
	// whole <= limit, so whole*unit <= MaxInt64 and adding frac (< unit)
	// cannot overflow uint64.
	u := whole*unit + frac*pow10[k.digits-fracDigits]
	if tooBig || u > math.MaxInt64 {
		return 0, failure{code: failRange}
	}
	if neg {
		return -int64(u), failure{}
	}
	return int64(u), failure{}
}

// parseString parses text given to ParseDollars or ParseCount.
func parseString(s string, k scaleInfo) (int64, error) {
	v, f := parseUnits(s, k)
	if f.code != failNone {
		return 0, newParseError(k, s, f, false)
	}
	return v, nil
}

// parseBytes parses text given to UnmarshalText. It is not folded into a
// generic parseString: escape analysis would then move every caller's
// slice to the heap.
func parseBytes(b []byte, k scaleInfo) (int64, error) {
	v, f := parseUnits(b, k)
	if f.code != failNone {
		return 0, newParseError(k, string(b), f, false)
	}
	return v, nil
}

// decodeJSON reads one JSON value for UnmarshalJSON. set is false for null,
// which must leave the destination unchanged. A quoted decimal is parsed
// straight from b, so the common case does not allocate.
func decodeJSON(b []byte, k scaleInfo) (v int64, set bool, err error) {
	if len(b) == 0 {
		return 0, false, &ParseError{Type: k.name, Err: ErrSyntax, reason: "empty JSON input", json: true}
	}
	switch c := b[0]; {
	case c == '"':
		if len(b) < 2 || b[len(b)-1] != '"' {
			return 0, false, &ParseError{Type: k.name, Input: string(b), Err: ErrSyntax, reason: "unterminated JSON string", json: true}
		}
		s := b[1 : len(b)-1]
		if len(s) == 0 {
			return 0, true, nil
		}
		v, f := parseUnits(s, k)
		if f.code != failNone {
			return 0, false, newParseError(k, string(s), f, false)
		}
		return v, true, nil
	case c == '-' || c-'0' <= 9:
		v, f := parseUnits(b, k)
		if f.code != failNone {
			return 0, false, newParseError(k, string(b), f, true)
		}
		return v, true, nil
	case string(b) == "null":
		return 0, false, nil
	default:
		return 0, false, &ParseError{Type: k.name, Input: string(b), Err: ErrSyntax, reason: "want a string, number or null", json: true}
	}
}

// appendUnits formats v, a number of 10^-k.digits units, with shortDigits
// decimal places, or all k.digits of them when the ones past shortDigits are
// not all zero. Nothing in between: Dollars print 4 or 6 places, never 5.
func appendUnits(b []byte, v int64, k scaleInfo, shortDigits int) []byte {
	u := uint64(v)
	if v < 0 {
		b = append(b, '-')
		u = -u // two's complement: correct for math.MinInt64 too
	}
	unit := pow10[k.digits]
	b = strconv.AppendUint(b, u/unit, 10)
	frac := u % unit
	digits := k.digits
	if cut := pow10[k.digits-shortDigits]; frac%cut == 0 {
		frac /= cut
		digits = shortDigits
	}
	b = append(b, '.')
	for i := digits - 1; i >= 0; i-- {
		b = append(b, byte('0'+frac/pow10[i]%10))
	}
	return b
}

// appendQuotedUnits is appendUnits wrapped in JSON quotes.
func appendQuotedUnits(b []byte, v int64, k scaleInfo, shortDigits int) []byte {
	b = append(b, '"')
	b = appendUnits(b, v, k, shortDigits)
	return append(b, '"')
}

// maxFormatted is enough room for any formatted value with quotes:
// sign, 19 digits, '.', and quotes.
const maxFormatted = 24

// addUnits adds with an overflow check; typ names the type for the panic
// message.
func addUnits(a, b int64, typ string) int64 {
	s := a + b
	if (s^a)&(s^b) < 0 {
		panic("money: " + typ + ".Add overflows int64")
	}
	return s
}

// subUnits subtracts with an overflow check.
func subUnits(a, b int64, typ string) int64 {
	s := a - b
	if (a^b)&(s^a) < 0 {
		panic("money: " + typ + ".Sub overflows int64")
	}
	return s
}

// negUnits negates with an overflow check.
func negUnits(a int64, typ, op string) int64 {
	if a == math.MinInt64 {
		panic("money: " + typ + "." + op + " overflows int64")
	}
	return -a
}

// scaleUp multiplies a whole number by 10^digits with an overflow check,
// for the FromCents/FromInt constructors.
func scaleUp(n int64, factor int64, fn string) int64 {
	hi, lo := bits.Mul64(absUnits(n), uint64(factor))
	if hi != 0 || lo > math.MaxInt64 {
		panic("money: " + fn + "(" + strconv.FormatInt(n, 10) + ") is out of range")
	}
	if n < 0 {
		return -int64(lo)
	}
	return int64(lo)
}

// absUnits is |a| as uint64, exact for math.MinInt64.
func absUnits(a int64) uint64 {
	if a < 0 {
		return -uint64(a)
	}
	return uint64(a)
}

// mulDiv100 returns a*b/100 rounded half away from zero, with ok false when
// the result does not fit in an int64. The product is formed in 128 bits,
// so intermediate overflow never loses the answer.
func mulDiv100(a, b int64) (int64, bool) {
	neg := (a < 0) != (b < 0)
	hi, lo := bits.Mul64(absUnits(a), absUnits(b))
	if hi >= 100 { // quotient would not fit in 64 bits
		return 0, false
	}
	q, r := bits.Div64(hi, lo, 100)
	if q > 1<<63 { // too big even before rounding; also keeps q++ from wrapping
		return 0, false
	}
	if r >= 50 {
		q++
	}
	switch {
	case !neg && q <= math.MaxInt64:
		return int64(q), true
	case neg && q <= 1<<63:
		return -int64(q-1) - 1, true // avoids overflow when q == 1<<63
	}
	return 0, false
}
