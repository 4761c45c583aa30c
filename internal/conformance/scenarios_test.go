package conformance

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// scenario is one thing a user does, with what must hold on every target.
type scenario struct {
	name string
	run  func(t *testing.T, tg *target)
}

// scenarios run in this order on each target.
var scenarios = []scenario{
	{"market data", marketData},
	{"portfolio", portfolio},
	{"order lifecycle", orderLifecycle},
	{"order groups", orderGroups},
	{"rfq", requestForQuote},
	{"errors", refusals},
	{"websocket", websocketFeed},
}

// lowest is the price of the resting bids the suite places: the lowest on
// every price grid, so a post-only bid there rests on any real market.
var lowest = money.MustDollars("0.01")

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// openMarket picks an open market whose best ask is above the lowest
// price, so that a post-only bid there rests.
func openMarket(t *testing.T, tg *target) gen.Market {
	t.Helper()
	ctx := ctxFor(t)
	n := 0
	for m, err := range tg.client.GetMarketsIter(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen), Limit: ptr(int64(200))}) {
		require.NoError(t, err)
		if n++; n > 2000 {
			break
		}
		if m.Status == gen.MarketStatusActive && m.YesAskDollars.Cmp(money.MustDollars("0.05")) > 0 && m.MarketType == "binary" {
			return m
		}
	}
	t.Fatalf("%s: no open market with an ask above 0.05 among %d", tg.name, n)
	return gen.Market{}
}

// clientOrderID is a fresh client_order_id.
func clientOrderID() string {
	return "conf-" + strings.ReplaceAll(rand.Text(), "=", "")[:20]
}

func ptr[T any](v T) *T { return &v }

// apiError returns err as an *APIError, failing the test otherwise.
func apiError(t *testing.T, err error) *kalshi.APIError {
	t.Helper()
	var e *kalshi.APIError
	require.Error(t, err)
	require.True(t, errors.As(err, &e), "want an *APIError, got %T: %v", err, err)
	return e
}

// marketData: the public listings agree with each other.
func marketData(t *testing.T, tg *target) {
	ctx := ctxFor(t)
	c := tg.client
	st, err := c.GetExchangeStatus(ctx)
	require.NoError(t, err)
	require.True(t, st.ExchangeActive, "the exchange is active")

	page, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen), Limit: ptr(int64(3))})
	require.NoError(t, err)
	require.NotEmpty(t, page.Markets)
	assert.LessOrEqual(t, len(page.Markets), 3, "limit is honoured")
	if page.Cursor != "" {
		next, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen), Limit: ptr(int64(3)), Cursor: &page.Cursor})
		require.NoError(t, err)
		for _, m := range next.Markets {
			for _, p := range page.Markets {
				assert.NotEqual(t, p.Ticker, m.Ticker, "a cursor moves to markets not seen yet")
			}
		}
	}

	m := page.Markets[0]
	one, err := c.GetMarket(ctx, m.Ticker)
	require.NoError(t, err)
	assert.Equal(t, m.Ticker, one.Market.Ticker)
	assert.Equal(t, m.EventTicker, one.Market.EventTicker)

	ev, err := c.GetEvent(ctx, m.EventTicker, nil)
	require.NoError(t, err)
	assert.Equal(t, m.EventTicker, ev.Event.EventTicker)
	series, err := c.GetSeries(ctx, ev.Event.SeriesTicker, nil)
	require.NoError(t, err)
	assert.Equal(t, ev.Event.SeriesTicker, series.Series.Ticker)

	book, err := c.GetMarketOrderbook(ctx, m.Ticker, nil)
	require.NoError(t, err)
	for _, side := range [][]money.PriceLevel{book.OrderbookFp.YesDollars, book.OrderbookFp.NoDollars} {
		for i, l := range side {
			assert.Positive(t, l.Count.Sign(), "a level holds contracts")
			if i > 0 {
				assert.Positive(t, l.Price.Cmp(side[i-1].Price), "levels ascend by price")
			}
		}
	}

	trades, err := c.GetTrades(ctx, &gen.GetTradesParams{Limit: ptr(int64(5))})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(trades.Trades), 5)
	for _, tr := range trades.Trades {
		assert.Positive(t, tr.CountFp.Sign())
		assert.Equal(t, money.One, tr.YesPriceDollars.Add(tr.NoPriceDollars), "YES and NO prices of a trade add to $1")
	}
}

// portfolio: the account's lists and figures answer and agree.
func portfolio(t *testing.T, tg *target) {
	ctx := ctxFor(t)
	c := tg.client
	bal, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	cents, exact := bal.BalanceDollars.Cents()
	assert.True(t, exact || bal.BalanceDollars.Sign() >= 0)
	assert.Equal(t, cents, bal.Balance, "balance in cents matches balance_dollars")

	_, err = c.GetPositions(ctx, &gen.GetPositionsParams{Limit: ptr(int32(5))})
	require.NoError(t, err)
	fills, err := c.GetFills(ctx, &gen.GetFillsParams{Limit: ptr(int64(5))})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(fills.Fills), 5)
	_, err = c.GetSettlements(ctx, &gen.GetSettlementsParams{Limit: ptr(int64(5))})
	require.NoError(t, err)
	orders, err := c.GetOrders(ctx, &gen.GetOrdersParams{Limit: ptr(int64(5))})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(orders.Orders), 5)
	_, err = c.GetPortfolioRestingOrderTotalValue(ctx)
	require.NoError(t, err)
}

// orderLifecycle: a post-only bid rests, holds its cost out of the balance,
// shows in every listing, refuses its client_order_id twice, decreases,
// and cancels back to where the account started.
func orderLifecycle(t *testing.T, tg *target) {
	ctx := ctxFor(t)
	c := tg.client
	m := openMarket(t, tg)
	before, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	restingBefore, err := c.GetPortfolioRestingOrderTotalValue(ctx)
	require.NoError(t, err)

	coid := clientOrderID()
	req := gen.CreateOrderV2Request{
		Ticker: m.Ticker, Side: gen.BookSideBid, Price: lowest, Count: money.MustCount("2"),
		TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, PostOnly: ptr(true),
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross, ClientOrderID: coid,
	}
	placed, err := c.CreateOrderV2(ctx, req)
	require.NoError(t, err)
	canceled := false
	t.Cleanup(func() {
		if !canceled {
			_, _ = c.CancelOrderV2(context.Background(), placed.OrderID, nil)
		}
	})
	assert.True(t, placed.FillCount.IsZero(), "a post-only bid at the lowest price does not fill")
	require.NotNil(t, placed.ClientOrderID)
	assert.Equal(t, coid, *placed.ClientOrderID)

	got, err := c.GetOrder(ctx, placed.OrderID)
	require.NoError(t, err)
	o := got.Order
	assert.Equal(t, gen.OrderStatusResting, o.Status)
	assert.Equal(t, lowest, o.YesPriceDollars)
	assert.Equal(t, money.One.Sub(lowest), o.NoPriceDollars)
	assert.Equal(t, money.MustCount("2"), o.RemainingCountFp)
	assert.Equal(t, m.Ticker, o.Ticker)

	listed := false
	for lo, err := range c.GetOrdersIter(ctx, &gen.GetOrdersParams{Ticker: &m.Ticker, Status: ptr("resting")}) {
		require.NoError(t, err)
		listed = listed || lo.OrderID == placed.OrderID
	}
	assert.True(t, listed, "the resting order is listed")

	held := lowest.Mul(money.MustCount("2"))
	after, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, before.BalanceDollars.Sub(held), after.BalanceDollars, "a resting bid holds its cost out of the balance")
	restingAfter, err := c.GetPortfolioRestingOrderTotalValue(ctx)
	require.NoError(t, err)
	assert.Equal(t, restingBefore.TotalRestingOrderValue+2, restingAfter.TotalRestingOrderValue, "resting order value grows by the order's cost in cents")

	_, err = c.CreateOrderV2(ctx, req)
	e := apiError(t, err)
	assert.Equal(t, http.StatusConflict, e.StatusCode)
	assert.Equal(t, "order_already_exists", e.Code)

	dec, err := c.DecreaseOrderV2(ctx, placed.OrderID, nil, gen.DecreaseOrderV2Request{ReduceTo: ptr(money.MustCount("1"))})
	require.NoError(t, err)
	assert.Equal(t, money.MustCount("1"), dec.RemainingCount)

	cancel, err := c.CancelOrderV2(ctx, placed.OrderID, nil)
	require.NoError(t, err)
	canceled = true
	assert.Equal(t, placed.OrderID, cancel.OrderID)
	assert.Equal(t, money.MustCount("1"), cancel.ReducedBy)
	got, err = c.GetOrder(ctx, placed.OrderID)
	require.NoError(t, err)
	assert.Equal(t, gen.OrderStatusCanceled, got.Order.Status)
	assert.True(t, got.Order.RemainingCountFp.IsZero())

	end, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, before.BalanceDollars, end.BalanceDollars, "canceling gives the held cash back")
}

// orderGroups: an order placed in a group is listed by the group;
// triggering the group by hand cancels it, resetting lets the group be used
// again, and a deleted group is gone.
func orderGroups(t *testing.T, tg *target) {
	ctx := ctxFor(t)
	c := tg.client
	m := openMarket(t, tg)
	created, err := c.CreateOrderGroup(ctx, gen.CreateOrderGroupRequest{ContractsLimit: 5})
	require.NoError(t, err)
	require.NotEmpty(t, created.OrderGroupID)
	deleted := false
	t.Cleanup(func() {
		if !deleted {
			_, _ = c.DeleteOrderGroup(context.Background(), created.OrderGroupID, nil)
		}
	})
	groups, err := c.GetOrderGroups(ctx, nil)
	require.NoError(t, err)
	listed := false
	for _, g := range groups.OrderGroups {
		if g.ID == created.OrderGroupID {
			listed = true
			assert.Equal(t, money.MustCount("5"), g.ContractsLimitFp)
			assert.False(t, g.IsAutoCancelEnabled, "a new group has not triggered")
		}
	}
	assert.True(t, listed, "the new group is listed")

	place := func() *gen.CreateOrderV2Response {
		t.Helper()
		placed, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
			Ticker: m.Ticker, Side: gen.BookSideBid, Price: lowest, Count: money.MustCount("1"),
			TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, PostOnly: ptr(true),
			SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross, OrderGroupID: created.OrderGroupID,
		})
		require.NoError(t, err)
		t.Cleanup(func() { _, _ = c.CancelOrderV2(context.Background(), placed.OrderID, nil) })
		return placed
	}
	placed := place()
	group, err := c.GetOrderGroup(ctx, created.OrderGroupID, nil)
	require.NoError(t, err)
	assert.Contains(t, group.Orders, placed.OrderID, "the group lists its order")

	_, err = c.TriggerOrderGroup(ctx, created.OrderGroupID, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	got, err := c.GetOrder(ctx, placed.OrderID)
	require.NoError(t, err)
	assert.Equal(t, gen.OrderStatusCanceled, got.Order.Status, "triggering the group cancels its resting orders")
	group, err = c.GetOrderGroup(ctx, created.OrderGroupID, nil)
	require.NoError(t, err)
	assert.True(t, group.IsAutoCancelEnabled, "a triggered group says so")

	_, err = c.ResetOrderGroup(ctx, created.OrderGroupID, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	again := place()
	got, err = c.GetOrder(ctx, again.OrderID)
	require.NoError(t, err)
	assert.Equal(t, gen.OrderStatusResting, got.Order.Status, "after a reset the group takes orders again")

	_, err = c.DeleteOrderGroup(ctx, created.OrderGroupID, nil)
	require.NoError(t, err)
	deleted = true
	_, err = c.GetOrderGroup(ctx, created.OrderGroupID, nil)
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode, "a deleted group is gone")
}

// requestForQuote: an RFQ is created open on its market, listed among the
// caller's open RFQs, and closed by deleting it. No quote is accepted, so
// no money moves.
func requestForQuote(t *testing.T, tg *target) {
	ctx := ctxFor(t)
	c := tg.client
	m := openMarket(t, tg)
	created, err := c.CreateRFQ(ctx, gen.CreateRFQRequest{MarketTicker: m.Ticker, Contracts: 10, RestRemainder: false})
	require.NoError(t, err)
	require.NotEmpty(t, created.ID)
	deleted := false
	t.Cleanup(func() {
		if !deleted {
			_, _ = c.DeleteRFQ(context.Background(), created.ID)
		}
	})
	got, err := c.GetRFQ(ctx, created.ID)
	require.NoError(t, err)
	assert.Equal(t, created.ID, got.RFQ.ID)
	assert.Equal(t, m.Ticker, got.RFQ.MarketTicker)
	assert.Equal(t, gen.RFQStatus("open"), got.RFQ.Status)
	assert.Equal(t, money.MustCount("10"), got.RFQ.ContractsFp)

	open := func() bool {
		t.Helper()
		list, err := c.GetRFQs(ctx, &gen.GetRFQsParams{MarketTicker: &m.Ticker, Status: ptr("open"), UserFilter: ptr(gen.UserFilter("self"))})
		require.NoError(t, err)
		for _, q := range list.Rfqs {
			if q.ID == created.ID {
				return true
			}
		}
		return false
	}
	assert.True(t, open(), "the RFQ is listed among the caller's open RFQs")

	_, err = c.DeleteRFQ(ctx, created.ID)
	require.NoError(t, err)
	deleted = true
	assert.False(t, open(), "a deleted RFQ is no longer open")
}

// refusals: what Kalshi refuses, with which status and code.
func refusals(t *testing.T, tg *target) {
	ctx := ctxFor(t)
	c := tg.client
	_, err := c.GetMarket(ctx, "KXCONFORMANCE-NO-SUCH-MARKET")
	e := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)

	m := openMarket(t, tg)
	_, err = c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: m.Ticker, Side: gen.BookSideBid, Price: money.One, Count: money.MustCount("1"),
		TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	e = apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, "invalid_price", e.Code, "a price of $1 is refused")

	_, err = c.CancelOrderV2(ctx, "00000000-0000-4000-8000-000000000000", nil)
	e = apiError(t, err)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	assert.Equal(t, "not_found", e.Code)
}

// websocketFeed: an order book subscription starts with a snapshot, and a
// user_orders subscription reports the account's order as it rests and as
// it is canceled.
func websocketFeed(t *testing.T, tg *target) {
	ctx := ctxFor(t)
	m := openMarket(t, tg)
	conn, err := ws.Dial(ctx, ws.WithURL(tg.wsURL), ws.WithSigner(tg.signer))
	require.NoError(t, err)
	defer conn.Close()

	book, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{m.Ticker}})
	require.NoError(t, err)
	first := next(t, book)
	snap, ok := first.(*ws.OrderbookSnapshot)
	require.True(t, ok, "an order book subscription starts with a snapshot, got %T", first)
	assert.Equal(t, m.Ticker, snap.MarketTicker)

	orders, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelUserOrders})
	require.NoError(t, err)
	placed, err := tg.client.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: m.Ticker, Side: gen.BookSideBid, Price: lowest, Count: money.MustCount("1"),
		TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, PostOnly: ptr(true),
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	require.NoError(t, err)
	canceled := false
	defer func() {
		if !canceled {
			_, _ = tg.client.CancelOrderV2(context.Background(), placed.OrderID, nil)
		}
	}()
	u := nextOrder(t, orders, placed.OrderID)
	assert.Equal(t, "resting", string(u.Status))
	_, err = tg.client.CancelOrderV2(ctx, placed.OrderID, nil)
	require.NoError(t, err)
	canceled = true
	u = nextOrder(t, orders, placed.OrderID)
	assert.Equal(t, "canceled", string(u.Status))
}

// next returns the subscription's next message, or fails after 20 s.
func next(t *testing.T, s *ws.Subscription) ws.Message {
	t.Helper()
	select {
	case m, ok := <-s.C():
		require.True(t, ok, "the subscription ended: %v", s.Err())
		return m
	case <-time.After(20 * time.Second):
		t.Fatalf("no %s message in 20s", s.Channel())
		return nil
	}
}

// nextOrder returns the next user_order frame about orderID.
func nextOrder(t *testing.T, s *ws.Subscription, orderID string) *ws.UserOrder {
	t.Helper()
	for {
		if u, ok := next(t, s).(*ws.UserOrder); ok && u.OrderID == orderID {
			return u
		}
	}
}
