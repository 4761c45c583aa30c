package money

import (
	"errors"
	"strconv"
)

// Errors wrapped by [*ParseError] and by [Dollars.MulChecked]; match them
// with errors.Is.
var (
	// ErrSyntax means the input is not a plain decimal number.
	ErrSyntax = errors.New("invalid syntax")
	// ErrPrecision means the input has non-zero digits beyond the type's
	// scale (6 decimal places for Dollars, 2 for Count) and would have to be
	// rounded.
	ErrPrecision = errors.New("too many decimal places")
	// ErrRange means the value does not fit in the type.
	ErrRange = errors.New("out of range")
)

// ParseError describes input that could not be turned into [Dollars] or a
// [Count]. It wraps one of [ErrSyntax], [ErrPrecision] or [ErrRange].
type ParseError struct {
	// Type is "Dollars" or "Count".
	Type string
	// Input is the text that was refused: the string given to a Parse
	// function or UnmarshalText, the contents of a JSON string, or the raw
	// JSON value when it was not a string.
	Input string
	// Err is the sentinel error describing the class of problem.
	Err error

	reason string // detail after Err, may be empty
	json   bool   // Input is a raw JSON value rather than text
}

// maxShownInput bounds how much of a hostile or corrupt input ends up in an
// error message.
const maxShownInput = 64

// Error returns a message naming the input and the problem, for example
// `money: cannot parse "1.2.3" as Dollars: invalid syntax: second '.' at byte 3`.
func (e *ParseError) Error() string {
	in := e.Input
	cut := len(in) > maxShownInput
	if cut {
		in = in[:maxShownInput]
	}
	var b []byte
	if e.json {
		b = append(b, "money: cannot decode JSON "...)
		b = appendJSONValue(b, in)
		if cut {
			b = append(b, "..."...)
		}
		b = append(b, " into "...)
	} else {
		b = append(b, "money: cannot parse "...)
		b = strconv.AppendQuote(b, in)
		if cut {
			b = append(b, "..."...)
		}
		b = append(b, " as "...)
	}
	b = append(b, e.Type...)
	b = append(b, ": "...)
	b = append(b, e.Err.Error()...)
	if e.reason != "" {
		b = append(b, ": "...)
		b = append(b, e.reason...)
	}
	return string(b)
}

// Unwrap returns the sentinel error, so errors.Is(err, ErrSyntax) works.
func (e *ParseError) Unwrap() error { return e.Err }

// appendJSONValue shows a raw JSON value as is when it is plain printable
// ASCII (true, 1e5, {"a":1}) and quoted otherwise.
func appendJSONValue(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		if v[i] < 0x20 || v[i] > 0x7e {
			return strconv.AppendQuote(b, v)
		}
	}
	if v == "" {
		return append(b, "(empty)"...)
	}
	return append(b, v...)
}

// failCode classifies a parse failure without allocating; the message is
// built only when the caller turns it into a *ParseError.
type failCode uint8

const (
	failNone failCode = iota
	failEmpty
	failNoDigits
	failPlus
	failUnexpected
	failSecondDot
	failExponent
	failNothingBeforeDot
	failNothingAfterDot
	failPrecision
	failRange
)

// failure is the allocation-free result of a failed parse.
type failure struct {
	code failCode
	pos  int  // byte offset of the offending character, when relevant
	ch   byte // the offending character, when relevant
}

// scaleInfo describes one of the two fixed-point types.
type scaleInfo struct {
	name   string // "Dollars" or "Count"
	digits int    // decimal places stored
	limit  string // largest magnitude, for range errors
}

var (
	dollarsScale = scaleInfo{name: "Dollars", digits: 6, limit: "9223372036854.775807"}
	countScale   = scaleInfo{name: "Count", digits: 2, limit: "92233720368547758.07"}
)

// newParseError turns a failure into the error users see. input is the text
// that was parsed; json marks it as a raw JSON value.
func newParseError(k scaleInfo, input string, f failure, json bool) *ParseError {
	e := &ParseError{Type: k.name, Input: input, Err: ErrSyntax, json: json}
	switch f.code {
	case failEmpty:
		e.reason = "empty string"
	case failNoDigits:
		e.reason = "no digits"
	case failPlus:
		e.reason = "leading '+' is not accepted"
	case failUnexpected:
		e.reason = "unexpected " + quoteByte(f.ch) + " at byte " + strconv.Itoa(f.pos)
	case failSecondDot:
		e.reason = "second '.' at byte " + strconv.Itoa(f.pos)
	case failExponent:
		e.reason = "exponents are not accepted"
	case failNothingBeforeDot:
		e.reason = "no digits before '.'"
	case failNothingAfterDot:
		e.reason = "no digits after '.'"
	case failPrecision:
		e.Err = ErrPrecision
		e.reason = k.name + " hold " + strconv.Itoa(k.digits)
	case failRange:
		e.Err = ErrRange
		e.reason = k.name + " hold at most ±" + k.limit
	}
	return e
}

// quoteByte renders a single input byte readably: 'a', ' ', or 0xff for
// bytes that are not printable ASCII.
func quoteByte(c byte) string {
	if c >= 0x20 && c <= 0x7e {
		return strconv.QuoteRune(rune(c))
	}
	const hex = "0123456789abcdef"
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&15]})
}
