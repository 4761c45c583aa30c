package ws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
)

// Timestamp is a point in time as Kalshi's WebSocket messages send it: integer Unix seconds
// in most messages (ticker and trade "ts", lifecycle "open_ts"), an RFC 3339 string in others
// (orderbook_delta "ts", RFQ "created_ts"). It decodes either form, plus numeric strings and
// floats, and encodes back in the form it came in (RFC3339 true: a string).
// null, "" and an absent field give the zero Timestamp.
type Timestamp struct {
	// Time is the instant, in UTC.
	Time time.Time
	// RFC3339 records that the value is sent as an RFC 3339 string rather than Unix seconds.
	RFC3339 bool
}

// UnixTimestamp returns the Timestamp sent as integer Unix seconds.
func UnixTimestamp(sec int64) Timestamp { return Timestamp{Time: time.Unix(sec, 0).UTC()} }

// TextTimestamp returns the Timestamp sent as an RFC 3339 string.
func TextTimestamp(t time.Time) Timestamp { return Timestamp{Time: t.UTC(), RFC3339: true} }

// IsZero reports whether the timestamp is unset.
func (t Timestamp) IsZero() bool { return t.Time.IsZero() }

// String formats the instant as RFC 3339 with the precision it carries.
func (t Timestamp) String() string {
	if t.IsZero() {
		return ""
	}
	return t.Time.Format(time.RFC3339Nano)
}

// MarshalJSON encodes integer Unix seconds, or an RFC 3339 string when RFC3339 is set;
// the zero Timestamp encodes as null.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	if t.RFC3339 {
		return strconv.AppendQuote(nil, t.Time.UTC().Format(time.RFC3339Nano)), nil
	}
	return strconv.AppendInt(nil, t.Time.Unix(), 10), nil
}

// UnmarshalJSON accepts integer or fractional Unix seconds, a numeric string, an RFC 3339
// string (with or without fractional seconds), null and "".
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	*t = Timestamp{}
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	quoted := b[0] == '"'
	s := string(b)
	if quoted {
		var err error
		if s, err = strconv.Unquote(s); err != nil {
			return fmt.Errorf("ws: timestamp %s: %w", b, err)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			return nil
		}
	}
	if tm, ok := parseUnixSeconds(s); ok {
		t.Time = tm
		return nil
	}
	if !quoted {
		return fmt.Errorf("ws: timestamp %s is neither Unix seconds nor RFC 3339", b)
	}
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("ws: timestamp %q: %w", s, err)
	}
	t.Time, t.RFC3339 = tm.UTC(), true
	return nil
}

func parseUnixSeconds(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	if !isDecimal(s) {
		return time.Time{}, false
	}
	r, _ := new(big.Rat).SetString(s)
	ns := new(big.Rat).Mul(r, big.NewRat(int64(time.Second), 1))
	f := new(big.Int).Quo(ns.Num(), ns.Denom())
	if !f.IsInt64() {
		return time.Time{}, false
	}
	return time.Unix(0, f.Int64()).UTC(), true
}

// UnixMillis is a Unix time in milliseconds, the form of every "_ms" and "received_at" field.
// It decodes integers, numeric strings, null and "" (zero).
type UnixMillis int64

// Time returns the instant in UTC; the zero value gives the zero time.Time.
func (m UnixMillis) Time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m)).UTC()
}

// MillisOf returns t as UnixMillis.
func MillisOf(t time.Time) UnixMillis { return UnixMillis(t.UnixMilli()) }

// UnmarshalJSON accepts an integer, an integral float, a numeric string, null or "".
func (m *UnixMillis) UnmarshalJSON(b []byte) error {
	n, err := lenientInt(b)
	if err != nil {
		return fmt.Errorf("ws: milliseconds: %w", err)
	}
	*m = UnixMillis(n)
	return nil
}

func lenientInt(b []byte) (int64, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" || string(b) == `""` {
		return 0, nil
	}
	s := string(b)
	if b[0] == '"' {
		var err error
		if s, err = strconv.Unquote(s); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(s)
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, nil
	}
	if !isDecimal(s) {
		return 0, fmt.Errorf("%s is not an integer", b)
	}
	r, _ := new(big.Rat).SetString(s)
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("%s is not an integer", b)
	}
	return r.Num().Int64(), nil
}

// Decimal is an exact decimal number kept as its text, for values that are not Kalshi money:
// index and commodity prices with eight decimals ("68000.12000000"), strikes. It decodes a
// JSON string or number and encodes as a string. The zero value is the empty string.
type Decimal string

// Rat returns the value as an exact rational; ok is false when the text is not a number.
func (d Decimal) Rat() (r *big.Rat, ok bool) {
	return new(big.Rat).SetString(string(d))
}

// String returns the decimal text.
func (d Decimal) String() string { return string(d) }

// UnmarshalJSON accepts a JSON string holding a number, a JSON number, null or "".
func (d *Decimal) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*d = ""
		return nil
	}
	s := string(b)
	if b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("ws: decimal: %w", err)
		}
		s = strings.TrimSpace(s)
		if s == "" {
			*d = ""
			return nil
		}
	}
	if !isDecimal(s) {
		return fmt.Errorf("ws: decimal %s is not a number", b)
	}
	*d = Decimal(s)
	return nil
}

// Number is an exact JSON number kept as its text, for fields Kalshi sends as bare JSON
// numbers that may be integers or fractions (floor_strike, fee multipliers). It decodes a
// number or a numeric string and encodes as a bare number. The zero value is absent.
type Number string

// Rat returns the value as an exact rational; ok is false when unset or not a number.
func (n Number) Rat() (r *big.Rat, ok bool) {
	return new(big.Rat).SetString(string(n))
}

// String returns the number's text.
func (n Number) String() string { return string(n) }

// MarshalJSON encodes the number bare, or null when unset.
func (n Number) MarshalJSON() ([]byte, error) {
	if n == "" {
		return []byte("null"), nil
	}
	return []byte(n), nil
}

// UnmarshalJSON accepts a JSON number, a string holding a number, null or "".
func (n *Number) UnmarshalJSON(b []byte) error {
	var d Decimal
	if err := d.UnmarshalJSON(b); err != nil {
		return err
	}
	if d != "" && !json.Valid([]byte(d)) {
		// "1." and "+5" are decimals but not JSON numbers: normalise them.
		d = Decimal(strings.TrimSuffix(strings.TrimPrefix(string(d), "+"), "."))
	}
	*n = Number(d)
	return nil
}

// isDecimal reports whether s is a plain decimal number: an optional sign, digits with an
// optional fraction (at least one digit in all), and an optional exponent.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
