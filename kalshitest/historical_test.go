package kalshitest_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
)

// histT0 is the exchange time the historical tests start at, on a minute
// boundary so that candlesticks line up with it.
var histT0 = time.Date(2026, 6, 11, 12, 0, 0, 0, time.UTC)

// histClock is an exchange clock the tests move by hand.
type histClock struct{ ns atomic.Int64 }

func newHistClock(t time.Time) *histClock {
	c := &histClock{}
	c.Set(t)
	return c
}

func (c *histClock) Now() time.Time      { return time.Unix(0, c.ns.Load()).UTC() }
func (c *histClock) Set(t time.Time)     { c.ns.Store(t.UnixNano()) }
func (c *histClock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// histOrder places a V2 order for c and requires it to be accepted.
func histOrder(t *testing.T, c *kalshi.Client, ticker string, side gen.BookSide, price, count string, tif gen.CreateOrderV2RequestTimeInForce) *gen.CreateOrderV2Response {
	t.Helper()
	o, err := c.CreateOrderV2(context.Background(), gen.CreateOrderV2Request{Ticker: ticker, Side: side, Price: usd(price), Count: qty(count),
		TimeInForce: tif, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross})
	require.NoError(t, err)
	return o
}

func TestHistoricalCutoffFollowsTheClockUntilSet(t *testing.T) {
	t.Parallel()
	clk := newHistClock(histT0)
	srv, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithClock(clk.Now))
	ctx := context.Background()

	// 90 days back, at midnight UTC
	def := time.Date(2026, 3, 13, 0, 0, 0, 0, time.UTC)
	cut, err := c.GetHistoricalCutoff(ctx)
	require.NoError(t, err)
	assert.Equal(t, def, cut.MarketSettledTS)
	assert.Equal(t, def, cut.TradesCreatedTS)
	assert.Equal(t, def, cut.OrdersUpdatedTS)
	require.NotNil(t, cut.MarketPositionsLastUpdatedTS)
	assert.Equal(t, def, *cut.MarketPositionsLastUpdatedTS)
	assert.Equal(t, kalshitest.HistoricalCutoff{MarketSettled: def, TradesCreated: def, OrdersUpdated: def, PositionsUpdated: def}, srv.HistoricalCutoff())

	// the default moves a day at a time with the clock
	clk.Add(11 * time.Hour)
	cut, err = c.GetHistoricalCutoff(ctx)
	require.NoError(t, err)
	assert.Equal(t, def, cut.TradesCreatedTS, "still the same day")
	clk.Add(2 * time.Hour)
	next := def.AddDate(0, 0, 1)
	cut, err = c.GetHistoricalCutoff(ctx)
	require.NoError(t, err)
	assert.Equal(t, next, cut.TradesCreatedTS)

	// one cutoff set, the others still follow the clock
	orders := histT0.Add(-time.Hour)
	srv.SetHistoricalCutoffs(kalshitest.HistoricalCutoff{OrdersUpdated: orders})
	cut, err = c.GetHistoricalCutoff(ctx)
	require.NoError(t, err)
	assert.Equal(t, orders, cut.OrdersUpdatedTS)
	assert.Equal(t, next, cut.MarketSettledTS)
	assert.Equal(t, next, cut.TradesCreatedTS)

	// all set: the clock no longer moves them
	all := histT0.Add(-30 * time.Minute)
	srv.SetHistoricalCutoff(all)
	clk.Add(72 * time.Hour)
	cut, err = c.GetHistoricalCutoff(ctx)
	require.NoError(t, err)
	for _, ts := range []time.Time{cut.MarketSettledTS, cut.TradesCreatedTS, cut.OrdersUpdatedTS, *cut.MarketPositionsLastUpdatedTS} {
		assert.Equal(t, all, ts)
	}
}

// TestSeededHistoryIsConsistent: out of the box the historical tier holds
// settled markets whose trades, candlesticks and events agree, and the
// live endpoints leave those markets out.
func TestSeededHistoryIsConsistent(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithClock(newHistClock(histT0).Now))
	ctx := context.Background()
	cut, err := c.GetHistoricalCutoff(ctx)
	require.NoError(t, err)

	var archived []gen.Market
	for m, err := range c.GetHistoricalMarketsIter(ctx, nil) {
		require.NoError(t, err)
		archived = append(archived, m)
	}
	require.Len(t, archived, 12, "three markets in a past event of each of the four generated series")
	series := map[string]bool{}
	for _, m := range archived {
		series[strings.SplitN(m.Ticker, "-", 2)[0]] = true
		assert.Equal(t, gen.MarketStatus("finalized"), m.Status, m.Ticker)
		assert.Contains(t, []gen.MarketResult{"yes", "no"}, m.Result, m.Ticker)
		require.NotNil(t, m.SettlementTS, m.Ticker)
		assert.True(t, m.SettlementTS.Before(cut.MarketSettledTS), m.Ticker)
		assert.True(t, m.CloseTime.Before(*m.SettlementTS), m.Ticker)
		assert.Positive(t, m.VolumeFp.Sign(), m.Ticker)
		assert.True(t, m.OpenInterestFp.IsZero(), "nothing is open after settlement")
	}
	assert.Len(t, series, 4)

	live := map[string]bool{}
	for m, err := range c.GetMarketsIter(ctx, nil) {
		require.NoError(t, err)
		live[m.Ticker] = true
	}
	assert.Len(t, live, kalshitest.DefaultMarkets, "the live list is the generated markets alone")

	m := archived[0]
	one, err := c.GetHistoricalMarket(ctx, m.Ticker)
	require.NoError(t, err)
	assert.Equal(t, m, one.Market)
	_, err = c.GetMarket(ctx, m.Ticker)
	assert.ErrorIs(t, err, kalshi.ErrNotFound, "an archived market is only under /historical/markets")

	// its trades add up to its volume and end at its last price
	var trades []gen.Trade
	for tr, err := range c.GetTradesHistoricalIter(ctx, &gen.GetTradesHistoricalParams{Ticker: ptr(m.Ticker)}) {
		require.NoError(t, err)
		trades = append(trades, tr)
	}
	require.NotEmpty(t, trades)
	var volume money.Count
	for i, tr := range trades {
		assert.Equal(t, m.Ticker, tr.Ticker)
		volume = volume.Add(tr.CountFp)
		if i > 0 {
			assert.False(t, tr.CreatedTime.After(trades[i-1].CreatedTime), "newest first")
		}
		assert.True(t, tr.CreatedTime.Before(cut.TradesCreatedTS))
	}
	assert.Equal(t, m.VolumeFp, volume)
	assert.Equal(t, m.LastPriceDollars, trades[0].YesPriceDollars)

	// the candlesticks are made of those trades
	cs, err := c.GetMarketCandlesticksHistorical(ctx, m.Ticker, &gen.GetMarketCandlesticksHistoricalParams{
		StartTS: m.OpenTime.Unix(), EndTS: m.SettlementTS.Add(time.Hour).Unix(), PeriodInterval: 60})
	require.NoError(t, err)
	assert.Equal(t, m.Ticker, cs.Ticker)
	var candleVolume money.Count
	var sawOpenInterest bool
	var lastClose *money.Dollars
	for _, k := range cs.Candlesticks {
		candleVolume = candleVolume.Add(k.Volume)
		if k.Volume.IsZero() {
			assert.Nil(t, k.Price.Close)
			continue
		}
		require.NotNil(t, k.Price.Mean)
		assert.True(t, k.Price.Low.Cmp(*k.Price.Mean) <= 0 && k.Price.Mean.Cmp(*k.Price.High) <= 0, "mean within low and high")
		if lastClose != nil {
			assert.Equal(t, *lastClose, *k.Price.Previous)
		}
		lastClose = k.Price.Close
		sawOpenInterest = sawOpenInterest || k.OpenInterest.Sign() > 0
	}
	assert.Equal(t, m.VolumeFp, candleVolume)
	assert.Equal(t, m.LastPriceDollars, *lastClose)
	assert.True(t, sawOpenInterest, "contracts were open while the market traded")
	assert.True(t, cs.Candlesticks[len(cs.Candlesticks)-1].OpenInterest.IsZero(), "none after settlement")
	_, err = c.GetMarketCandlesticks(ctx, strings.SplitN(m.Ticker, "-", 2)[0], m.Ticker, &gen.GetMarketCandlesticksParams{
		StartTS: m.OpenTime.Unix(), EndTS: m.CloseTime.Unix(), PeriodInterval: 60})
	assert.ErrorIs(t, err, kalshi.ErrNotFound, "an archived market's candlesticks are only historical")

	// its event stays listed, without the archived markets
	ev, err := c.GetEvent(ctx, m.EventTicker, nil)
	require.NoError(t, err)
	assert.Equal(t, m.EventTicker, ev.Event.EventTicker)
	assert.Empty(t, ev.Markets)
	events, err := c.GetEvents(ctx, &gen.GetEventsParams{SeriesTicker: ptr(ev.Event.SeriesTicker), WithNestedMarkets: ptr(true)})
	require.NoError(t, err)
	found := false
	for _, e := range events.Events {
		if e.EventTicker == m.EventTicker {
			found = true
			assert.Empty(t, e.Markets)
		}
		for _, em := range e.Markets {
			assert.True(t, live[em.Ticker], "nested markets are live ones")
		}
	}
	assert.True(t, found, "events stay listed past the cutoff")
}

// TestTradedMarketMovesToTheHistoricalTier trades and settles a market
// through the API, lets the clock carry the cutoff past it, and finds its
// market, trades, fills, orders and positions moved from the live
// endpoints to the historical ones, candlesticks computed from the trades.
func TestTradedMarketMovesToTheHistoricalTier(t *testing.T) {
	t.Parallel()
	const (
		market = "KXHIST-26JUN12-A"
		other  = "KXHISTB-26JUN12-B"
	)
	clk := newHistClock(histT0)
	srv, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithClock(clk.Now),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: market,
			Bids: []money.PriceLevel{{Price: usd("0.30"), Count: qty("10")}},
			Asks: []money.PriceLevel{{Price: usd("0.40"), Count: qty("3")}, {Price: usd("0.45"), Count: qty("10")}}}),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: other, Bids: []money.PriceLevel{{Price: usd("0.20"), Count: qty("5")}}}))
	ctx := context.Background()
	ioc := gen.CreateOrderV2RequestTimeInForceImmediateOrCancel
	gtc := gen.CreateOrderV2RequestTimeInForceGoodTillCanceled

	clk.Set(histT0.Add(10 * time.Second))
	histOrder(t, c, market, gen.BookSideBid, "0.40", "3", ioc)
	clk.Set(histT0.Add(20 * time.Second))
	histOrder(t, c, market, gen.BookSideBid, "0.45", "2", ioc)
	canceled := histOrder(t, c, market, gen.BookSideBid, "0.10", "2", gtc) // canceled by settlement
	clk.Set(histT0.Add(2*time.Minute + 10*time.Second))
	histOrder(t, c, market, gen.BookSideAsk, "0.30", "1", ioc)
	resting := histOrder(t, c, other, gen.BookSideBid, "0.05", "1", gtc)
	clk.Set(histT0.Add(time.Hour))
	require.NoError(t, srv.SettleMarket(market, "yes"))

	livePositions, err := c.GetPositions(ctx, &gen.GetPositionsParams{Ticker: ptr(market)})
	require.NoError(t, err)
	require.Len(t, livePositions.MarketPositions, 1)
	liveFills, err := c.GetFills(ctx, nil)
	require.NoError(t, err)
	require.Len(t, liveFills.Fills, 3)
	liveOrders, err := c.GetOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, liveOrders.Orders, 5)

	// still live: the historical tier has none of it
	_, err = c.GetHistoricalMarket(ctx, market)
	assert.ErrorIs(t, err, kalshi.ErrNotFound)
	trades, err := c.GetTradesHistorical(ctx, &gen.GetTradesHistoricalParams{Ticker: ptr(market)})
	require.NoError(t, err)
	assert.Empty(t, trades.Trades)
	fills, err := c.GetFillsHistorical(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, fills.Fills)
	orders, err := c.GetHistoricalOrders(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, orders.Orders)
	positions, err := c.GetHistoricalPositions(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, positions.MarketPositions)

	// 91 days on, the default cutoff has passed it all
	clk.Add(91 * 24 * time.Hour)

	hm, err := c.GetHistoricalMarket(ctx, market)
	require.NoError(t, err)
	assert.Equal(t, gen.MarketResult("yes"), hm.Market.Result)
	assert.Equal(t, "6.00", hm.Market.VolumeFp.String())
	_, err = c.GetMarket(ctx, market)
	assert.ErrorIs(t, err, kalshi.ErrNotFound)
	liveMarkets, err := c.GetMarkets(ctx, nil)
	require.NoError(t, err)
	require.Len(t, liveMarkets.Markets, 1)
	assert.Equal(t, other, liveMarkets.Markets[0].Ticker)
	markets, err := c.GetHistoricalMarkets(ctx, nil)
	require.NoError(t, err)
	require.Len(t, markets.Markets, 1)
	assert.Equal(t, market, markets.Markets[0].Ticker)
	_, err = c.GetHistoricalMarket(ctx, other)
	assert.ErrorIs(t, err, kalshi.ErrNotFound, "an unsettled market never leaves the live tier")

	trades, err = c.GetTradesHistorical(ctx, nil)
	require.NoError(t, err)
	require.Len(t, trades.Trades, 3)
	assert.Equal(t, "0.3000", trades.Trades[0].YesPriceDollars.String(), "newest first")
	assert.Equal(t, "0.4000", trades.Trades[2].YesPriceDollars.String())

	fills, err = c.GetFillsHistorical(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, liveFills.Fills, fills.Fills)
	liveFills, err = c.GetFills(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, liveFills.Fills, "fills before the cutoff are only historical")

	orders, err = c.GetHistoricalOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, orders.Orders, 4)
	ids := map[string]gen.OrderStatus{}
	for _, o := range orders.Orders {
		ids[o.OrderID] = o.Status
	}
	assert.Equal(t, gen.OrderStatus("canceled"), ids[canceled.OrderID])
	assert.NotContains(t, ids, resting.OrderID)
	liveOrders, err = c.GetOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, liveOrders.Orders, 1, "resting orders always stay live")
	assert.Equal(t, resting.OrderID, liveOrders.Orders[0].OrderID)

	positions, err = c.GetHistoricalPositions(ctx, nil)
	require.NoError(t, err)
	require.Len(t, positions.MarketPositions, 1)
	pos := positions.MarketPositions[0]
	assert.Equal(t, market, pos.Ticker)
	assert.True(t, pos.PositionFp.IsZero())
	assert.Equal(t, livePositions.MarketPositions[0].RealizedPNLDollars, pos.RealizedPNLDollars)
	assert.Equal(t, "2.2000", pos.RealizedPNLDollars.String(), "bought 5 for 2.10, sold 1 back at 0.30, 4 paid $1")
	require.Len(t, positions.EventPositions, 1)
	assert.Equal(t, "KXHIST-26JUN12", positions.EventPositions[0].EventTicker)
	assert.Equal(t, pos.RealizedPNLDollars, positions.EventPositions[0].RealizedPNLDollars)
	assert.Equal(t, pos.FeesPaidDollars, positions.EventPositions[0].FeesPaidDollars)
	livePositions, err = c.GetPositions(ctx, &gen.GetPositionsParams{Ticker: ptr(market)})
	require.NoError(t, err)
	assert.Empty(t, livePositions.MarketPositions)

	// one-minute candlesticks from the three trades
	cs, err := c.GetMarketCandlesticksHistorical(ctx, market, &gen.GetMarketCandlesticksHistoricalParams{
		StartTS: histT0.Unix() + 1, EndTS: histT0.Add(3 * time.Minute).Unix(), PeriodInterval: 1})
	require.NoError(t, err)
	require.Len(t, cs.Candlesticks, 3)
	k := cs.Candlesticks
	assert.Equal(t, histT0.Add(time.Minute).Unix(), k[0].EndPeriodTS)
	assert.Equal(t, "0.4000", k[0].Price.Open.String())
	assert.Equal(t, "0.4500", k[0].Price.High.String())
	assert.Equal(t, "0.4000", k[0].Price.Low.String())
	assert.Equal(t, "0.4500", k[0].Price.Close.String())
	assert.Equal(t, "0.4200", k[0].Price.Mean.String(), "(3 × 0.40 + 2 × 0.45) / 5")
	assert.Nil(t, k[0].Price.Previous)
	assert.Equal(t, "5.00", k[0].Volume.String())
	assert.Equal(t, "5.00", k[0].OpenInterest.String())
	assert.Nil(t, k[1].Price.Open)
	assert.Nil(t, k[1].Price.Mean)
	assert.Equal(t, "0.4500", k[1].Price.Previous.String())
	assert.True(t, k[1].Volume.IsZero())
	assert.Equal(t, "5.00", k[1].OpenInterest.String())
	assert.Equal(t, "0.3000", k[2].Price.Close.String())
	assert.Equal(t, "4.00", k[2].OpenInterest.String(), "selling one back closed it")
	around, err := c.GetMarketCandlesticksHistorical(ctx, market, &gen.GetMarketCandlesticksHistoricalParams{
		StartTS: histT0.Add(59 * time.Minute).Unix(), EndTS: histT0.Add(61 * time.Minute).Unix(), PeriodInterval: 1})
	require.NoError(t, err)
	require.Len(t, around.Candlesticks, 3)
	assert.Equal(t, "4.00", around.Candlesticks[0].OpenInterest.String(), "a minute before settlement")
	assert.Equal(t, "0.3000", around.Candlesticks[0].Price.Previous.String())
	assert.True(t, around.Candlesticks[1].OpenInterest.IsZero(), "settled at the end of the period")
	assert.True(t, around.Candlesticks[2].OpenInterest.IsZero())

	// the event stays, its archived market is left out
	ev, err := c.GetEvent(ctx, "KXHIST-26JUN12", &gen.GetEventParams{WithNestedMarkets: ptr(true)})
	require.NoError(t, err)
	assert.Empty(t, ev.Event.Markets)

	// moving the cutoff back brings it all back
	srv.SetHistoricalCutoff(histT0)
	_, err = c.GetMarket(ctx, market)
	require.NoError(t, err)
	liveFills, err = c.GetFills(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, liveFills.Fills, 3)
}

// TestHistoricalPositionsMoveByEvent: an event's positions are archived
// together, once every one of them is settled and older than the cutoff.
func TestHistoricalPositionsMoveByEvent(t *testing.T) {
	t.Parallel()
	const event = "KXPAIR-26JUN12"
	clk := newHistClock(histT0)
	spec := func(ticker string) kalshitest.MarketSpec {
		return kalshitest.MarketSpec{Ticker: ticker, Asks: []money.PriceLevel{{Price: usd("0.60"), Count: qty("10")}}}
	}
	srv, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithClock(clk.Now),
		kalshitest.WithMarket(spec(event+"-A")), kalshitest.WithMarket(spec(event+"-B")), kalshitest.WithMarket(spec("KXSOLO-26JUN12-C")))
	ctx := context.Background()
	for _, m := range []string{event + "-A", event + "-B", "KXSOLO-26JUN12-C"} {
		histOrder(t, c, m, gen.BookSideBid, "0.60", "2", gen.CreateOrderV2RequestTimeInForceImmediateOrCancel)
	}
	clk.Add(time.Minute)
	require.NoError(t, srv.SettleMarket(event+"-A", "no"))
	require.NoError(t, srv.SettleMarket("KXSOLO-26JUN12-C", "yes"))
	clk.Add(time.Minute)
	srv.SetHistoricalCutoff(clk.Now())

	tickersOf := func(r *gen.GetPositionsResponse) []string {
		var out []string
		for _, p := range r.MarketPositions {
			out = append(out, p.Ticker)
		}
		return out
	}
	hist, err := c.GetHistoricalPositions(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"KXSOLO-26JUN12-C"}, tickersOf(hist), "A waits for B, its event's other position")
	live, err := c.GetPositions(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{event + "-A", event + "-B"}, tickersOf(live))

	require.NoError(t, srv.SettleMarket(event+"-B", "yes"))
	clk.Add(time.Minute)
	srv.SetHistoricalCutoff(clk.Now())
	hist, err = c.GetHistoricalPositions(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{event + "-A", event + "-B", "KXSOLO-26JUN12-C"}, tickersOf(hist))
	require.Len(t, hist.EventPositions, 2)
	assert.Equal(t, event, hist.EventPositions[0].EventTicker)
	assert.Equal(t, hist.MarketPositions[0].RealizedPNLDollars.Add(hist.MarketPositions[1].RealizedPNLDollars), hist.EventPositions[0].RealizedPNLDollars)
	live, err = c.GetPositions(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, live.MarketPositions)
	assert.Empty(t, live.EventPositions)

	// filters and pages
	hist, err = c.GetHistoricalPositions(ctx, &gen.GetHistoricalPositionsParams{EventTicker: ptr(event)})
	require.NoError(t, err)
	assert.Equal(t, []string{event + "-A", event + "-B"}, tickersOf(hist))
	hist, err = c.GetHistoricalPositions(ctx, &gen.GetHistoricalPositionsParams{Ticker: ptr(event + "-B")})
	require.NoError(t, err)
	assert.Equal(t, []string{event + "-B"}, tickersOf(hist))
	hist, err = c.GetHistoricalPositions(ctx, &gen.GetHistoricalPositionsParams{Subaccount: ptr(3)})
	require.NoError(t, err)
	assert.Empty(t, hist.MarketPositions)
	var paged []string
	for p, err := range c.GetHistoricalPositionsMarketPositionsIter(ctx, &gen.GetHistoricalPositionsParams{Limit: ptr(int64(2))}) {
		require.NoError(t, err)
		paged = append(paged, p.Ticker)
	}
	assert.Equal(t, []string{event + "-A", event + "-B", "KXSOLO-26JUN12-C"}, paged)
}

// TestHistoricalListsFilterAndPage checks the filters, cursors and
// refusals of the historical lists on the seeded history.
func TestHistoricalListsFilterAndPage(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithClock(newHistClock(histT0).Now))
	ctx := context.Background()

	all, err := c.GetHistoricalMarkets(ctx, &gen.GetHistoricalMarketsParams{Limit: ptr(int64(1000))})
	require.NoError(t, err)
	require.Len(t, all.Markets, 12)
	assert.Empty(t, all.Cursor)
	first := all.Markets[0]

	bySeries, err := c.GetHistoricalMarkets(ctx, &gen.GetHistoricalMarketsParams{SeriesTicker: ptr("KXHIGHNY")})
	require.NoError(t, err)
	require.Len(t, bySeries.Markets, 3)
	for _, m := range bySeries.Markets {
		assert.True(t, strings.HasPrefix(m.Ticker, "KXHIGHNY-"))
	}
	byEvent, err := c.GetHistoricalMarkets(ctx, &gen.GetHistoricalMarketsParams{EventTicker: ptr(first.EventTicker)})
	require.NoError(t, err)
	require.Len(t, byEvent.Markets, 3)
	for _, m := range byEvent.Markets {
		assert.Equal(t, first.EventTicker, m.EventTicker)
	}
	byTickers, err := c.GetHistoricalMarkets(ctx, &gen.GetHistoricalMarketsParams{
		Tickers: ptr(all.Markets[1].Ticker + "," + all.Markets[5].Ticker + ",NOPE"), MVEFilter: ptr(gen.GetHistoricalMarketsParamsMVEFilterExclude)})
	require.NoError(t, err)
	require.Len(t, byTickers.Markets, 2)
	assert.Equal(t, all.Markets[1].Ticker, byTickers.Markets[0].Ticker)
	_, err = c.GetHistoricalMarkets(ctx, &gen.GetHistoricalMarketsParams{SeriesTicker: ptr("KXHIGHNY"), EventTicker: ptr(first.EventTicker)})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
	_, err = c.GetHistoricalMarkets(ctx, &gen.GetHistoricalMarketsParams{Cursor: ptr("%%")})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")

	// pages of five: every market once, the last cursor empty
	var paged []string
	cursor := ""
	pages := 0
	for {
		p, err := c.GetHistoricalMarkets(ctx, &gen.GetHistoricalMarketsParams{Limit: ptr(int64(5)), Cursor: ptr(cursor)})
		require.NoError(t, err)
		pages++
		for _, m := range p.Markets {
			paged = append(paged, m.Ticker)
		}
		if cursor = p.Cursor; cursor == "" {
			break
		}
	}
	assert.Equal(t, 3, pages)
	want := make([]string, 0, len(all.Markets))
	for _, m := range all.Markets {
		want = append(want, m.Ticker)
	}
	assert.Equal(t, want, paged)

	// trades: pages of ten add up to the whole list, newest first
	whole, err := c.GetTradesHistorical(ctx, &gen.GetTradesHistoricalParams{Limit: ptr(int64(1000))})
	require.NoError(t, err)
	assert.Len(t, whole.Trades, 12*8)
	var pagedTrades []gen.Trade
	for tr, err := range c.GetTradesHistoricalIter(ctx, &gen.GetTradesHistoricalParams{Limit: ptr(int64(10))}) {
		require.NoError(t, err)
		pagedTrades = append(pagedTrades, tr)
	}
	assert.Equal(t, whole.Trades, pagedTrades)
	assert.True(t, sort.SliceIsSorted(whole.Trades, func(i, j int) bool { return whole.Trades[i].CreatedTime.After(whole.Trades[j].CreatedTime) }))

	// a time window keeps the trades inside it
	mid := whole.Trades[len(whole.Trades)/2].CreatedTime
	minTS, maxTS := mid.Add(-6*time.Hour).Unix(), mid.Unix()
	window, err := c.GetTradesHistorical(ctx, &gen.GetTradesHistoricalParams{MinTS: ptr(minTS), MaxTS: ptr(maxTS), Limit: ptr(int64(1000))})
	require.NoError(t, err)
	require.NotEmpty(t, window.Trades)
	inside := 0
	for _, tr := range whole.Trades {
		if tr.CreatedTime.Unix() >= minTS && tr.CreatedTime.Unix() <= maxTS {
			inside++
		}
	}
	assert.Len(t, window.Trades, inside)
	assert.Less(t, inside, len(whole.Trades))
	blocks, err := c.GetTradesHistorical(ctx, &gen.GetTradesHistoricalParams{IsBlockTrade: ptr(true)})
	require.NoError(t, err)
	assert.Empty(t, blocks.Trades, "no block trades on the fake")

	// unknown and live tickers are not found in the archive
	_, err = c.GetTradesHistorical(ctx, &gen.GetTradesHistoricalParams{Ticker: ptr("NOPE-26JAN01-X")})
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = c.GetHistoricalMarket(ctx, "NOPE-26JAN01-X")
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	liveMarkets, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Limit: ptr(int64(1))})
	require.NoError(t, err)
	liveTicker := liveMarkets.Markets[0].Ticker
	_, err = c.GetHistoricalMarket(ctx, liveTicker)
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = c.GetMarketCandlesticksHistorical(ctx, liveTicker, &gen.GetMarketCandlesticksHistoricalParams{StartTS: histT0.Unix(), EndTS: histT0.Unix() + 3600, PeriodInterval: 60})
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = c.GetMarketCandlesticksHistorical(ctx, "NOPE-26JAN01-X", &gen.GetMarketCandlesticksHistoricalParams{StartTS: histT0.Unix(), EndTS: histT0.Unix() + 3600, PeriodInterval: 60})
	requireAPIError(t, err, http.StatusNotFound, "not_found")

	// the archived markets are gone from the batch candlesticks too
	batch, err := c.BatchGetMarketCandlesticks(ctx, &gen.BatchGetMarketCandlesticksParams{MarketTickers: first.Ticker + "," + liveTicker,
		StartTS: histT0.Unix(), EndTS: histT0.Unix() + 3600, PeriodInterval: 60})
	require.NoError(t, err)
	require.Len(t, batch.Markets, 1)
	assert.Equal(t, liveTicker, batch.Markets[0].MarketTicker)

	// the seeded traders are not the caller: its own archive is empty
	fills, err := c.GetFillsHistorical(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, fills.Fills)
}

// TestHistoricalFillsAndOrdersFilterAndPage checks the caller's archived
// fills and orders: ticker, time and subaccount filters and cursors.
func TestHistoricalFillsAndOrdersFilterAndPage(t *testing.T) {
	t.Parallel()
	const a, b = "KXFILLS-26JUN12-A", "KXFILLS-26JUN12-B"
	clk := newHistClock(histT0)
	asks := []money.PriceLevel{{Price: usd("0.50"), Count: qty("100")}}
	srv, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithClock(clk.Now),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: a, Asks: asks}), kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: b, Asks: asks}))
	ctx := context.Background()
	var placed []string
	for i := range 6 {
		clk.Set(histT0.Add(time.Duration(i) * time.Minute))
		ticker := a
		if i%2 == 1 {
			ticker = b
		}
		o := histOrder(t, c, ticker, gen.BookSideBid, "0.50", "1", gen.CreateOrderV2RequestTimeInForceImmediateOrCancel)
		placed = append(placed, o.OrderID)
	}
	srv.SetHistoricalCutoff(histT0.Add(3*time.Minute + 30*time.Second)) // the first four

	var fillOrders []string
	for f, err := range c.GetFillsHistoricalIter(ctx, &gen.GetFillsHistoricalParams{Limit: ptr(int64(3))}) {
		require.NoError(t, err)
		fillOrders = append(fillOrders, f.OrderID)
	}
	assert.Equal(t, []string{placed[3], placed[2], placed[1], placed[0]}, fillOrders, "newest first, across pages")
	live, err := c.GetFills(ctx, nil)
	require.NoError(t, err)
	require.Len(t, live.Fills, 2)
	assert.Equal(t, placed[5], live.Fills[0].OrderID)

	onA, err := c.GetFillsHistorical(ctx, &gen.GetFillsHistoricalParams{Ticker: ptr(a)})
	require.NoError(t, err)
	require.Len(t, onA.Fills, 2)
	for _, f := range onA.Fills {
		assert.Equal(t, a, f.Ticker)
	}
	windowed, err := c.GetFillsHistorical(ctx, &gen.GetFillsHistoricalParams{MinTS: ptr(histT0.Add(time.Minute).Unix()), MaxTS: ptr(histT0.Add(2 * time.Minute).Unix())})
	require.NoError(t, err)
	require.Len(t, windowed.Fills, 2)
	assert.Equal(t, placed[2], windowed.Fills[0].OrderID)
	sub, err := c.GetFillsHistorical(ctx, &gen.GetFillsHistoricalParams{Subaccount: ptr(2)})
	require.NoError(t, err)
	assert.Empty(t, sub.Fills)

	var orderIDs []string
	for o, err := range c.GetHistoricalOrdersIter(ctx, &gen.GetHistoricalOrdersParams{Limit: ptr(int64(3))}) {
		require.NoError(t, err)
		assert.Equal(t, gen.OrderStatus("executed"), o.Status)
		orderIDs = append(orderIDs, o.OrderID)
	}
	assert.Equal(t, []string{placed[3], placed[2], placed[1], placed[0]}, orderIDs)
	onB, err := c.GetHistoricalOrders(ctx, &gen.GetHistoricalOrdersParams{Ticker: ptr(b), Subaccount: ptr(0)})
	require.NoError(t, err)
	require.Len(t, onB.Orders, 2)
	assert.Equal(t, placed[3], onB.Orders[0].OrderID)
	early, err := c.GetHistoricalOrders(ctx, &gen.GetHistoricalOrdersParams{MaxTS: ptr(histT0.Unix())})
	require.NoError(t, err)
	require.Len(t, early.Orders, 1)
	assert.Equal(t, placed[0], early.Orders[0].OrderID)
	_, err = c.GetHistoricalOrders(ctx, &gen.GetHistoricalOrdersParams{Cursor: ptr("!")})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
	liveOrders, err := c.GetOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, liveOrders.Orders, 2)

	// another account's archive is its own
	other := clientFor(t, srv, "hist-other", "100")
	theirs, err := other.GetFillsHistorical(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, theirs.Fills)
	theirOrders, err := other.GetHistoricalOrders(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, theirOrders.Orders)
}
