package money

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// PriceRange is one band of a market's price grid: the prices from Start to
// End inclusive, Step apart, starting at Start. Kalshi lists a market's bands
// in its price_ranges field, as {"start": "0.0000", "end": "1.0000",
// "step": "0.0100"}, and PriceRange reads and writes that form.
type PriceRange struct {
	Start Dollars `json:"start"` // the band's lowest price
	End   Dollars `json:"end"`   // the band's highest price, inclusive
	Step  Dollars `json:"step"`  // the tick: valid prices are Start + n × Step
}

// String returns "0.0000-1.0000 step 0.0100".
func (r PriceRange) String() string {
	return r.Start.String() + "-" + r.End.String() + " step " + r.Step.String()
}

// ErrInvalidGrid is wrapped by the errors of [NewGrid]: no ranges, a step
// that is not positive, a range that ends before it starts or whose end is
// not a whole number of steps from its start, or ranges that overlap.
var ErrInvalidGrid = errors.New("invalid price grid")

// Grid is the set of valid prices of a market: the ticks of one or more
// [PriceRange] bands, such as $0.01 to $0.99 in steps of a cent, or a
// tenth of a cent near $0 and $1 and a cent between. Build one with
// [NewGrid]; package kalshi's PriceGrid builds the grid of a market's order
// prices. The zero Grid holds no prices. A Grid is immutable and safe for
// concurrent use.
type Grid struct {
	ranges []PriceRange // sorted by Start, disjoint but for shared ends
}

// NewGrid returns the grid of the given ranges, in any order. Each range
// needs a positive Step, Start <= End and End a whole number of steps from
// Start, so that Start and End are both valid prices. Ranges may share an
// end (Kalshi's adjacent bands do: 0.00-0.10 and 0.10-0.90) but not
// overlap further. Errors wrap [ErrInvalidGrid] and name the range.
func NewGrid(ranges ...PriceRange) (Grid, error) {
	if len(ranges) == 0 {
		return Grid{}, fmt.Errorf("money: %w: no price ranges", ErrInvalidGrid)
	}
	rs := slices.Clone(ranges)
	slices.SortFunc(rs, func(a, b PriceRange) int { return a.Start.Cmp(b.Start) })
	for i, r := range rs {
		switch {
		case r.Step.micros <= 0:
			return Grid{}, fmt.Errorf("money: %w: range %s: the step must be positive", ErrInvalidGrid, r)
		case r.End.micros < r.Start.micros:
			return Grid{}, fmt.Errorf("money: %w: range %s ends before it starts", ErrInvalidGrid, r)
		case span(r.Start.micros, r.End.micros)%uint64(r.Step.micros) != 0:
			return Grid{}, fmt.Errorf("money: %w: range %s: the end is not a whole number of steps from the start", ErrInvalidGrid, r)
		case i > 0 && r.Start.micros < rs[i-1].End.micros:
			return Grid{}, fmt.Errorf("money: %w: ranges %s and %s overlap", ErrInvalidGrid, rs[i-1], r)
		}
	}
	return Grid{ranges: rs}, nil
}

// span returns hi − lo for lo <= hi without overflow.
func span(lo, hi int64) uint64 { return uint64(hi) - uint64(lo) }

// Ranges returns a copy of the grid's ranges, lowest first.
func (g Grid) Ranges() []PriceRange { return slices.Clone(g.ranges) }

// IsZero reports whether the grid holds no prices (the zero Grid).
func (g Grid) IsZero() bool { return len(g.ranges) == 0 }

// Min returns the lowest valid price; ok is false for the zero Grid.
func (g Grid) Min() (p Dollars, ok bool) {
	if len(g.ranges) == 0 {
		return Dollars{}, false
	}
	return g.ranges[0].Start, true
}

// Max returns the highest valid price; ok is false for the zero Grid.
func (g Grid) Max() (p Dollars, ok bool) {
	if len(g.ranges) == 0 {
		return Dollars{}, false
	}
	return g.ranges[len(g.ranges)-1].End, true
}

// Valid reports whether p is a price of the grid: within a range, a whole
// number of steps from its start.
func (g Grid) Valid(p Dollars) bool {
	f, ok := g.Floor(p)
	return ok && f == p
}

// Floor returns the highest valid price at or below p; ok is false when p
// is below the grid's lowest price. A p above the grid gives its highest
// price.
func (g Grid) Floor(p Dollars) (floor Dollars, ok bool) {
	// The last range starting at or below p.
	i, found := slices.BinarySearchFunc(g.ranges, p, func(r PriceRange, p Dollars) int { return r.Start.Cmp(p) })
	if !found {
		i--
	}
	if i < 0 {
		return Dollars{}, false
	}
	r := g.ranges[i]
	if p.micros >= r.End.micros {
		return r.End, true // beyond the range, below the next one
	}
	steps := span(r.Start.micros, p.micros) / uint64(r.Step.micros)
	return Dollars{r.Start.micros + int64(steps)*r.Step.micros}, true
}

// Ceil returns the lowest valid price at or above p; ok is false when p is
// above the grid's highest price. A p below the grid gives its lowest
// price.
func (g Grid) Ceil(p Dollars) (ceil Dollars, ok bool) {
	// The first range ending at or above p.
	i, _ := slices.BinarySearchFunc(g.ranges, p, func(r PriceRange, p Dollars) int { return r.End.Cmp(p) })
	if i == len(g.ranges) {
		return Dollars{}, false
	}
	r := g.ranges[i]
	if p.micros <= r.Start.micros {
		return r.Start, true // before the range, above the previous one
	}
	step := uint64(r.Step.micros)
	steps := (span(r.Start.micros, p.micros) + step - 1) / step
	return Dollars{r.Start.micros + int64(steps)*r.Step.micros}, true
}

// Next returns the lowest valid price strictly above p (one tick up from a
// valid price); ok is false when there is none.
func (g Grid) Next(p Dollars) (next Dollars, ok bool) {
	if p.micros == math.MaxInt64 {
		return Dollars{}, false
	}
	return g.Ceil(Dollars{p.micros + 1})
}

// Prev returns the highest valid price strictly below p (one tick down from
// a valid price); ok is false when there is none.
func (g Grid) Prev(p Dollars) (prev Dollars, ok bool) {
	if p.micros == math.MinInt64 {
		return Dollars{}, false
	}
	return g.Floor(Dollars{p.micros - 1})
}

// Nearest returns the valid price closest to p. A p exactly halfway between
// two valid prices gives the higher one (halves round up, as [Dollars.Mul]
// rounds halves away from zero). A p outside the grid gives its nearest
// end: the lowest price below the grid, the highest above it. ok is false
// only for the zero Grid. Use [Grid.Floor] for a bid and [Grid.Ceil] for an
// ask when rounding must never cross a limit.
func (g Grid) Nearest(p Dollars) (nearest Dollars, ok bool) {
	f, fok := g.Floor(p)
	c, cok := g.Ceil(p)
	switch {
	case !fok && !cok:
		return Dollars{}, false
	case !fok:
		return c, true
	case !cok:
		return f, true
	case span(f.micros, p.micros) < span(p.micros, c.micros):
		return f, true
	default:
		return c, true
	}
}

// String lists the ranges: "[0.0000-0.1000 step 0.0010, 0.1000-0.9000 step 0.0100]".
func (g Grid) String() string {
	parts := make([]string, len(g.ranges))
	for i, r := range g.ranges {
		parts[i] = r.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
