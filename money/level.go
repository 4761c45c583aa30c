package money

import (
	"errors"
	"fmt"
)

// PriceLevel is one level of an order book: a price and the number of
// contracts resting at it. Kalshi sends it as a two-item array of
// fixed-point strings, ["0.4700", "3.00"], and PriceLevel reads and writes
// that form.
type PriceLevel struct {
	Price Dollars // the level's price, in its side's own terms
	Count Count   // the contracts resting at Price
}

// String returns "3.00 @ 0.4700".
func (l PriceLevel) String() string { return l.Count.String() + " @ " + l.Price.String() }

// MarshalJSON writes the level as ["price", "count"].
func (l PriceLevel) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 32)
	b = append(b, '[')
	b = appendQuotedUnits(b, l.Price.micros, dollarsScale, 4)
	b = append(b, ',')
	b = appendQuotedUnits(b, l.Count.hundredths, countScale, 2)
	return append(b, ']'), nil
}

// ErrLevelShape is wrapped by the error for a level that is not a
// two-item array.
var ErrLevelShape = errors.New("a price level must be a two-item array [price, count]")

// UnmarshalJSON reads ["price", "count"]; each item may be a string or a
// number, as for Dollars and Count.
func (l *PriceLevel) UnmarshalJSON(b []byte) error {
	items, ok := splitPair(b)
	if !ok {
		return fmt.Errorf("money: cannot decode %s into PriceLevel: %w", truncate(b), ErrLevelShape)
	}
	var lv PriceLevel
	if err := lv.Price.UnmarshalJSON(items[0]); err != nil {
		return fmt.Errorf("money: price level price: %w", err)
	}
	if err := lv.Count.UnmarshalJSON(items[1]); err != nil {
		return fmt.Errorf("money: price level count: %w", err)
	}
	*l = lv
	return nil
}

// splitPair splits a JSON array of exactly two scalar items without
// allocating.
func splitPair(b []byte) ([2][]byte, bool) {
	var out [2][]byte
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return out, false
	}
	n := 0
	i++
	for {
		i = skipSpace(b, i)
		start := i
		if i < len(b) && b[i] == '"' {
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++
		} else {
			for i < len(b) && b[i] != ',' && b[i] != ']' && !isSpace(b[i]) {
				i++
			}
		}
		if i > len(b) || start == i || n == 2 {
			return out, false
		}
		out[n] = b[start:i]
		n++
		i = skipSpace(b, i)
		if i >= len(b) {
			return out, false
		}
		if b[i] == ']' {
			return out, n == 2 && skipSpace(b, i+1) == len(b)
		}
		if b[i] != ',' {
			return out, false
		}
		i++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func truncate(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}
