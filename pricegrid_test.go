package kalshi_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

func band(start, end, step string) money.PriceRange {
	return money.PriceRange{Start: mustDollars(start), End: mustDollars(end), Step: mustDollars(step)}
}

func TestPriceGridLeavesOutZeroAndOne(t *testing.T) {
	g, err := kalshi.PriceGrid(gen.Market{Ticker: "M", PriceRanges: []gen.PriceRange{band("0", "1", "0.01")}})
	require.NoError(t, err)
	lo, _ := g.Min()
	hi, _ := g.Max()
	assert.Equal(t, mustDollars("0.01"), lo)
	assert.Equal(t, mustDollars("0.99"), hi)
	assert.False(t, g.Valid(money.Zero))
	assert.False(t, g.Valid(money.One))
	assert.True(t, g.Valid(mustDollars("0.56")))
	assert.False(t, g.Valid(mustDollars("0.565")))
	n, _ := g.Nearest(mustDollars("1"))
	assert.Equal(t, mustDollars("0.99"), n)
}

func TestPriceGridTapered(t *testing.T) {
	g, err := kalshi.PriceGrid(gen.Market{Ticker: "M", PriceRanges: []gen.PriceRange{
		band("0", "0.10", "0.001"), band("0.10", "0.90", "0.01"), band("0.90", "1", "0.001"),
	}})
	require.NoError(t, err)
	assert.Equal(t, "[0.0010-0.1000 step 0.0010, 0.1000-0.9000 step 0.0100, 0.9000-0.9990 step 0.0010]", g.String())
}

func TestPriceGridBandsOutsideTheUnit(t *testing.T) {
	// A band reaching below 0 starts at its first tick above 0; one wholly
	// at or above 1 is left out.
	g, err := kalshi.PriceGrid(gen.Market{Ticker: "M", PriceRanges: []gen.PriceRange{band("-0.05", "0.51", "0.02"), band("1", "2", "0.5")}})
	require.NoError(t, err)
	assert.Equal(t, "[0.0100-0.5100 step 0.0200]", g.String())
}

func TestPriceGridErrors(t *testing.T) {
	_, err := kalshi.PriceGrid(gen.Market{Ticker: "M-1", PriceLevelStructure: "linear_cent"})
	assert.EqualError(t, err, `kalshi: market M-1 has no price ranges (price_level_structure "linear_cent")`)
	_, err = kalshi.PriceGrid(gen.Market{Ticker: "M-2", PriceRanges: []gen.PriceRange{band("0", "1", "0")}})
	assert.ErrorIs(t, err, money.ErrInvalidGrid)
	assert.ErrorContains(t, err, "market M-2")
	_, err = kalshi.PriceGrid(gen.Market{Ticker: "M-3", PriceRanges: []gen.PriceRange{band("0", "1", "1")}})
	assert.EqualError(t, err, "kalshi: market M-3: no price of its ranges [0.0000-1.0000 step 1.0000] lies between 0 and 1")
}

// TestPriceGridOfRecordedMarkets: the markets Kalshi sent decode into money
// bands and give a grid of cents or tenths of a cent.
func TestPriceGridOfRecordedMarkets(t *testing.T) {
	b, err := os.ReadFile(sharedFile(t, "fixtures", "markets", "fortuna_status_settled_limit5_demo.json"))
	require.NoError(t, err)
	var page gen.GetMarketsResponse
	require.NoError(t, json.Unmarshal(b, &page))
	require.NotEmpty(t, page.Markets)
	steps := map[money.Dollars]int{}
	for _, m := range page.Markets {
		g, err := kalshi.PriceGrid(m)
		require.NoError(t, err, m.Ticker)
		rs := g.Ranges()
		require.Len(t, rs, 1)
		steps[rs[0].Step]++
		assert.Equal(t, rs[0].Step, rs[0].Start, "%s: the first tick above 0", m.Ticker)
		assert.Equal(t, money.One.Sub(rs[0].Step), rs[0].End, "%s: the last tick below 1", m.Ticker)
	}
	assert.Equal(t, map[money.Dollars]int{mustDollars("0.01"): 4, mustDollars("0.001"): 1}, steps)
}
