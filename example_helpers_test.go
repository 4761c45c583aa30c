package kalshi_test

import (
	"fmt"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// Put prices on a market's grid: a bid rounds down, an ask up.
func ExamplePriceGrid() {
	market := gen.Market{Ticker: "KXHIGHNY-26JUN12-B80.5", // from c.GetMarket(ctx, ticker)
		PriceRanges: []gen.PriceRange{{Start: money.Zero, End: money.One, Step: money.MustDollars("0.01")}}}
	grid, err := kalshi.PriceGrid(market)
	if err != nil {
		panic(err)
	}
	fair := money.MustDollars("0.4567")
	bid, _ := grid.Floor(fair)
	ask, _ := grid.Ceil(fair)
	lowest, _ := grid.Min()
	fmt.Println(bid, ask, grid.Valid(money.MustDollars("0.455")), lowest)
	// Output:
	// 0.4500 0.4600 false 0.0100
}
