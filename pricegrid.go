package kalshi

import (
	"fmt"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// PriceGrid returns the prices an order in market m may have: the ticks of
// the market's price ranges (m.PriceRanges) strictly between $0 and $1.
//
// Kalshi lists a market's bands from $0.0000 to $1.0000 ("linear_cent": one
// band stepping by $0.01; "deci_cent": by $0.001; tapered structures: several
// bands with finer steps near the ends), but an order can be placed neither
// at $0 nor at $1, so those two ends are left out: a linear_cent market's
// grid runs from $0.01 to $0.99. Use the grid's Valid to check a price,
// Floor for a bid and Ceil for an ask that must not cross a limit, and
// Nearest otherwise.
//
// The error names the market and the problem: no price ranges at all, a
// range the grid refuses (see money.NewGrid), or no tick between $0 and $1.
func PriceGrid(m gen.Market) (money.Grid, error) {
	if len(m.PriceRanges) == 0 {
		return money.Grid{}, fmt.Errorf("kalshi: market %s has no price ranges (price_level_structure %q)", m.Ticker, m.PriceLevelStructure)
	}
	if _, err := money.NewGrid(m.PriceRanges...); err != nil {
		return money.Grid{}, fmt.Errorf("kalshi: market %s: %w", m.Ticker, err)
	}
	inside := make([]money.PriceRange, 0, len(m.PriceRanges))
	for _, r := range m.PriceRanges {
		if r, ok := openUnit(r); ok {
			inside = append(inside, r)
		}
	}
	if len(inside) == 0 {
		return money.Grid{}, fmt.Errorf("kalshi: market %s: no price of its ranges %v lies between 0 and 1", m.Ticker, m.PriceRanges)
	}
	return money.NewGrid(inside...)
}

// openUnit narrows a valid range to its ticks strictly between $0 and $1;
// ok is false when none is left.
func openUnit(r money.PriceRange) (_ money.PriceRange, ok bool) {
	band, err := money.NewGrid(r)
	if err != nil {
		return r, false
	}
	lo, hi := r.Start, r.End
	if lo.Sign() <= 0 {
		if lo, ok = band.Next(money.Zero); !ok {
			return r, false
		}
	}
	if hi.Cmp(money.One) >= 0 {
		if hi, ok = band.Prev(money.One); !ok {
			return r, false
		}
	}
	if lo.Cmp(hi) > 0 {
		return r, false
	}
	return money.PriceRange{Start: lo, End: hi, Step: r.Step}, true
}
