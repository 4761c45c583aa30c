package kalshitest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// TestExchangeScheduleAndDataTimestamp: the schedule's standard hours
// cover the exchange's clock with trading every day, and the portfolio
// data is as of the clock (the fake's portfolio is never stale).
func TestExchangeScheduleAndDataTimestamp(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 10, 15, 4, 5, 0, time.UTC)
	_, c := newClient(t, kalshitest.WithClock(func() time.Time { return now }))
	ctx := ctxFor(t)

	sched, err := c.GetExchangeSchedule(ctx)
	require.NoError(t, err)
	require.Len(t, sched.Schedule.StandardHours, 1)
	week := sched.Schedule.StandardHours[0]
	assert.True(t, !week.StartTime.After(now) && week.EndTime.After(now), "the standard hours %v to %v cover %v", week.StartTime, week.EndTime, now)
	for name, day := range map[string][]gen.DailySchedule{"monday": week.Monday, "tuesday": week.Tuesday, "wednesday": week.Wednesday,
		"thursday": week.Thursday, "friday": week.Friday, "saturday": week.Saturday, "sunday": week.Sunday} {
		assert.NotEmpty(t, day, "%s has trading hours", name)
	}
	assert.Empty(t, sched.Schedule.MaintenanceWindows)

	ts, err := c.GetUserDataTimestamp(ctx)
	require.NoError(t, err)
	assert.True(t, now.Equal(ts.AsOfTime), "as of %v, want the clock %v", ts.AsOfTime, now)
}

// TestEndpointCostsFollowTheOperationTable: GetAccountEndpointCosts lists
// exactly the operations whose cost is not the default, with Kalshi's
// ":param" path style under the API's base path.
func TestEndpointCostsFollowTheOperationTable(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	res, err := c.GetAccountEndpointCosts(ctxFor(t))
	require.NoError(t, err)
	assert.Equal(t, gen.DefaultCost, res.DefaultCost)
	want := map[string]int{}
	for _, op := range gen.Operations() {
		if op.Cost == gen.DefaultCost {
			continue
		}
		segs := strings.Split(op.Path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, "{") {
				segs[i] = ":" + strings.Trim(s, "{}")
			}
		}
		want[op.Method+" "+kalshitest.BasePath+strings.Join(segs, "/")] = op.Cost
	}
	require.NotEmpty(t, want, "some operations cost more than the default")
	got := map[string]int{}
	for _, e := range res.EndpointCosts {
		got[e.Method+" "+e.Path] = e.Cost
	}
	assert.Equal(t, want, got)
	assert.Len(t, res.EndpointCosts, len(got), "each endpoint listed once")
}

// TestMarketOrderbooksAgreeWithEachBook: the batch order book answer holds
// each requested market's book, in the order asked, the same as the single
// market's answer; an unknown ticker is refused.
func TestMarketOrderbooksAgreeWithEachBook(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(5))
	ctx := ctxFor(t)
	markets, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen), Limit: ptr(int64(3))})
	require.NoError(t, err)
	require.Len(t, markets.Markets, 3)
	tickers := []string{markets.Markets[2].Ticker, markets.Markets[0].Ticker, markets.Markets[1].Ticker}

	books, err := c.GetMarketOrderbooks(ctx, &gen.GetMarketOrderbooksParams{Tickers: tickers})
	require.NoError(t, err)
	require.Len(t, books.Orderbooks, len(tickers))
	for i, b := range books.Orderbooks {
		assert.Equal(t, tickers[i], b.Ticker)
		one, err := c.GetMarketOrderbook(ctx, tickers[i], nil)
		require.NoError(t, err)
		assert.Equal(t, one.OrderbookFp, b.OrderbookFp, tickers[i])
		assert.NotEmpty(t, b.OrderbookFp.YesDollars, "the house quotes %s", tickers[i])
	}

	_, err = c.GetMarketOrderbooks(ctx, &gen.GetMarketOrderbooksParams{Tickers: []string{tickers[0], "KXNOSUCH-1"}})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
}

// TestOrderQueuePositions: two bids at one price queue in time order, the
// second behind the first's contracts; canceling the first moves the
// second to the front; a canceled order has no queue position.
func TestOrderQueuePositions(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(5), kalshitest.WithLiquidity(false))
	ctx := ctxFor(t)
	markets, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen), Limit: ptr(int64(2))})
	require.NoError(t, err)
	require.Len(t, markets.Markets, 2)
	ticker, other := markets.Markets[0].Ticker, markets.Markets[1].Ticker

	first := placeOrder(t, c, ticker, gen.BookSideBid, "0.40", "3")
	second := placeOrder(t, c, ticker, gen.BookSideBid, "0.40", "2")
	placeOrder(t, c, other, gen.BookSideBid, "0.30", "1")

	pos, err := c.GetOrderQueuePosition(ctx, first.OrderID)
	require.NoError(t, err)
	assert.True(t, pos.QueuePositionFp.IsZero(), "the first bid at its price is at the front, got %v", pos.QueuePositionFp)
	pos, err = c.GetOrderQueuePosition(ctx, second.OrderID)
	require.NoError(t, err)
	assert.Equal(t, qty("3"), pos.QueuePositionFp, "the second bid waits behind the first's 3 contracts")

	all, err := c.GetOrderQueuePositions(ctx, &gen.GetOrderQueuePositionsParams{MarketTickers: &ticker})
	require.NoError(t, err)
	byID := map[string]gen.OrderQueuePosition{}
	for _, p := range all.QueuePositions {
		byID[p.OrderID] = p
	}
	require.Len(t, byID, 2, "only the orders in %s", ticker)
	assert.Equal(t, ticker, byID[second.OrderID].MarketTicker)
	assert.Equal(t, qty("3"), byID[second.OrderID].QueuePositionFp)
	everywhere, err := c.GetOrderQueuePositions(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, everywhere.QueuePositions, 3)

	_, err = c.CancelOrderV2(ctx, first.OrderID, nil)
	require.NoError(t, err)
	pos, err = c.GetOrderQueuePosition(ctx, second.OrderID)
	require.NoError(t, err)
	assert.True(t, pos.QueuePositionFp.IsZero(), "with the first canceled the second is at the front, got %v", pos.QueuePositionFp)
	_, err = c.GetOrderQueuePosition(ctx, first.OrderID)
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode, "a canceled order has no place in the queue")
}

// TestBatchCancelOrdersV2: a batch cancels each listed order and answers
// per order, an unknown ID with an error of its own, without failing the
// others.
func TestBatchCancelOrdersV2(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(5), kalshitest.WithLiquidity(false))
	ctx := ctxFor(t)
	markets, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen), Limit: ptr(int64(1))})
	require.NoError(t, err)
	ticker := markets.Markets[0].Ticker
	a := placeOrder(t, c, ticker, gen.BookSideBid, "0.40", "3")
	b := placeOrder(t, c, ticker, gen.BookSideAsk, "0.60", "2")
	unknown := "00000000-0000-4000-8000-000000000000"

	res, err := c.BatchCancelOrdersV2(ctx, gen.BatchCancelOrdersV2Request{Orders: []gen.BatchCancelOrdersV2RequestOrder{
		{OrderID: a.OrderID}, {OrderID: unknown}, {OrderID: b.OrderID},
	}})
	require.NoError(t, err)
	require.Len(t, res.Orders, 3)
	assert.Equal(t, a.OrderID, res.Orders[0].OrderID)
	assert.Nil(t, res.Orders[0].Error)
	assert.Equal(t, qty("3"), res.Orders[0].ReducedBy)
	assert.Equal(t, unknown, res.Orders[1].OrderID)
	require.NotNil(t, res.Orders[1].Error, "an unknown order answers an error of its own")
	assert.Equal(t, b.OrderID, res.Orders[2].OrderID)
	assert.Nil(t, res.Orders[2].Error)
	assert.Equal(t, qty("2"), res.Orders[2].ReducedBy)
	for _, id := range []string{a.OrderID, b.OrderID} {
		got, err := c.GetOrder(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, gen.OrderStatusCanceled, got.Order.Status)
	}
}
