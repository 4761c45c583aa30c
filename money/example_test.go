package money_test

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/seed-c9ca4919/kalshi/money"
)

func ExampleParseDollars() {
	price, err := money.ParseDollars("0.56")
	if err != nil {
		panic(err)
	}
	fmt.Println(price, price.Micros())

	// Parsing never rounds: a seventh decimal place is an error.
	_, err = money.ParseDollars("0.1234567")
	fmt.Println(err)
	fmt.Println(errors.Is(err, money.ErrPrecision))
	// Output:
	// 0.5600 560000
	// money: cannot parse "0.1234567" as Dollars: too many decimal places: Dollars hold 6
	// true
}

func ExampleDollars_Mul() {
	price := money.MustDollars("0.56")
	count := money.MustCount("10")
	fmt.Println(price.Mul(count))

	// Fractional contracts, and a product below a micro-dollar rounded half
	// away from zero.
	fmt.Println(money.MustDollars("0.5600").Mul(money.MustCount("7.77")))
	fmt.Println(money.MustDollars("0.000001").Mul(money.MustCount("0.50")))
	// Output:
	// 5.6000
	// 4.3512
	// 0.000001
}

func ExampleDollars_Cents() {
	for _, s := range []string{"0.56", "0.017500", "-0.019"} {
		cents, exact := money.MustDollars(s).Cents()
		fmt.Println(s, cents, exact)
	}
	// Output:
	// 0.56 56 true
	// 0.017500 1 false
	// -0.019 -1 false
}

func ExampleDollars_UnmarshalJSON() {
	// A ticker message as Kalshi sends it: prices as strings, sizes as
	// fixed-point counts, and "" when there is no last price.
	var ticker struct {
		Price  money.Dollars `json:"price_dollars"`
		YesBid money.Dollars `json:"yes_bid_dollars"`
		Size   money.Count   `json:"yes_bid_size_fp"`
	}
	err := json.Unmarshal([]byte(`{"price_dollars":"","yes_bid_dollars":"0.3700","yes_bid_size_fp":"3.00"}`), &ticker)
	if err != nil {
		panic(err)
	}
	fmt.Println(ticker.Price.IsZero(), ticker.YesBid, ticker.Size)

	// The YES ask implied by a NO bid of $0.48.
	fmt.Println(money.One.Sub(money.MustDollars("0.48")))
	// Output:
	// true 0.3700 3.00
	// 0.5200
}

func ExampleParseCount() {
	for _, s := range []string{"10", "-1.00", "7.77", "0.001"} {
		c, err := money.ParseCount(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		n, whole := c.Int()
		fmt.Println(c, n, whole)
	}
	// Output:
	// 10.00 10 true
	// -1.00 -1 true
	// 7.77 7 false
	// money: cannot parse "0.001" as Count: too many decimal places: Count hold 2
}

func ExampleGrid() {
	// Kalshi's tapered_deci_cent markets tick in tenths of a cent near $0 and
	// $1 and in cents between.
	grid, err := money.NewGrid(
		money.PriceRange{Start: money.MustDollars("0.001"), End: money.MustDollars("0.10"), Step: money.MustDollars("0.001")},
		money.PriceRange{Start: money.MustDollars("0.10"), End: money.MustDollars("0.90"), Step: money.MustDollars("0.01")},
		money.PriceRange{Start: money.MustDollars("0.90"), End: money.MustDollars("0.999"), Step: money.MustDollars("0.001")},
	)
	if err != nil {
		panic(err)
	}
	p := money.MustDollars("0.4567")
	floor, _ := grid.Floor(p) // for a bid: never above the limit
	ceil, _ := grid.Ceil(p)   // for an ask: never below it
	nearest, _ := grid.Nearest(p)
	next, _ := grid.Next(money.MustDollars("0.099"))
	fmt.Println(grid.Valid(p), floor, ceil, nearest, next)
	// Output:
	// false 0.4500 0.4600 0.4600 0.1000
}
