package kalshitest_test

import (
	"context"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// ogMarket is the market the order group tests trade: house bids at 0.40,
// asks at 0.60, so orders between them rest.
const ogMarket = "KXOG-26JUN12-T50"

// ogEnv is a fake exchange with ogMarket, the default account's client and
// a second account ("other") with $1,000.
type ogEnv struct {
	srv   *kalshitest.Server
	me    *kalshi.Client
	other *kalshi.Client
}

func newOGEnv(t *testing.T, opts ...kalshitest.Option) *ogEnv {
	t.Helper()
	all := append([]kalshitest.Option{
		kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{
			Ticker: ogMarket,
			Bids:   []money.PriceLevel{{Price: usd("0.40"), Count: qty("10")}},
			Asks:   []money.PriceLevel{{Price: usd("0.60"), Count: qty("10")}},
		}),
	}, opts...)
	srv, me := newClient(t, all...)
	return &ogEnv{srv: srv, me: me, other: clientFor(t, srv, "og-other", "1000")}
}

// newGroup creates a group with a limit of whole contracts.
func newGroup(t *testing.T, c *kalshi.Client, limit int64) string {
	t.Helper()
	res, err := c.CreateOrderGroup(ctxFor(t), gen.CreateOrderGroupRequest{ContractsLimit: limit})
	require.NoError(t, err)
	require.NotEmpty(t, res.OrderGroupID)
	return res.OrderGroupID
}

// groupOrder places a good-till-canceled order on ogMarket, in group when
// it is not empty.
func groupOrder(t *testing.T, c *kalshi.Client, group string, side gen.BookSide, price, count string) (*gen.CreateOrderV2Response, error) {
	t.Helper()
	return c.CreateOrderV2(ctxFor(t), gen.CreateOrderV2Request{
		Ticker: ogMarket, Side: side, Price: usd(price), Count: qty(count), OrderGroupID: group,
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
}

// mustGroupOrder is groupOrder that must succeed.
func mustGroupOrder(t *testing.T, c *kalshi.Client, group string, side gen.BookSide, price, count string) string {
	t.Helper()
	res, err := groupOrder(t, c, group, side, price, count)
	require.NoError(t, err)
	return res.OrderID
}

// apiError returns err as a *kalshi.APIError, failing the test otherwise.
func apiError(t *testing.T, err error) *kalshi.APIError {
	t.Helper()
	var e *kalshi.APIError
	require.True(t, errors.As(err, &e), "want an API error, got %v", err)
	return e
}

// refused checks that an order into group is refused as invalid, saying why.
func refused(t *testing.T, c *kalshi.Client, group, details string) {
	t.Helper()
	_, err := groupOrder(t, c, group, "bid", "0.41", "1")
	e := apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, "invalid_order", e.Code)
	assert.Equal(t, details, e.Details)
}

func orderStatus(t *testing.T, c *kalshi.Client, id string) gen.Order {
	t.Helper()
	o, err := c.GetOrder(ctxFor(t), id)
	require.NoError(t, err)
	return o.Order
}

func balance(t *testing.T, c *kalshi.Client) money.Dollars {
	t.Helper()
	b, err := c.GetBalance(ctxFor(t), nil)
	require.NoError(t, err)
	return b.BalanceDollars
}

func group(t *testing.T, c *kalshi.Client, id string) *gen.GetOrderGroupResponse {
	t.Helper()
	g, err := c.GetOrderGroup(ctxFor(t), id, nil)
	require.NoError(t, err)
	return g
}

// bookHas reports whether a YES price level rests on ogMarket's bid side.
func bookHas(t *testing.T, c *kalshi.Client, price string) bool {
	t.Helper()
	b, err := c.GetMarketOrderbook(ctxFor(t), ogMarket, nil)
	require.NoError(t, err)
	for _, l := range b.OrderbookFp.YesDollars {
		if l.Price == usd(price) {
			return true
		}
	}
	return false
}

// TestOrderGroupTriggersAtItsLimit fills a group's orders up to its limit:
// its resting orders are canceled, their cash comes back, new orders into
// it are refused until it is reset.
func TestOrderGroupTriggersAtItsLimit(t *testing.T) {
	t.Parallel()
	e := newOGEnv(t)
	ctx := ctxFor(t)
	id := newGroup(t, e.me, 5)
	list, err := e.me.GetOrderGroups(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.OrderGroups, 1)
	assert.Equal(t, gen.OrderGroup{ID: id, ContractsLimitFp: qty("5"), IsAutoCancelEnabled: false}, list.OrderGroups[0])

	a := mustGroupOrder(t, e.me, id, "bid", "0.45", "4")
	b := mustGroupOrder(t, e.me, id, "bid", "0.44", "4")
	c := mustGroupOrder(t, e.me, id, "ask", "0.58", "3")
	outside := mustGroupOrder(t, e.me, "", "bid", "0.43", "1")
	// held: 4 × 0.45 + 4 × 0.44 + 3 × (1 − 0.58) + 0.43
	assert.Equal(t, usd("994.75"), balance(t, e.me))
	g := group(t, e.me, id)
	assert.Equal(t, []string{a, b, c}, g.Orders)
	assert.False(t, g.IsAutoCancelEnabled)
	assert.Equal(t, qty("5"), g.ContractsLimitFp)

	// 3 contracts fill: below the limit, everything keeps resting.
	mustGroupOrder(t, e.other, "", "ask", "0.45", "3")
	assert.Equal(t, "resting", string(orderStatus(t, e.me, a).Status))
	assert.Len(t, group(t, e.me, id).Orders, 3)

	// 2 more reach the limit of 5: the group triggers.
	mustGroupOrder(t, e.other, "", "ask", "0.44", "2")
	assert.Equal(t, "executed", string(orderStatus(t, e.me, a).Status))
	for _, o := range []string{b, c} {
		got := orderStatus(t, e.me, o)
		assert.Equal(t, "canceled", string(got.Status), o)
		assert.True(t, got.RemainingCountFp.IsZero(), o)
	}
	assert.Equal(t, qty("1"), orderStatus(t, e.me, b).FillCountFp)
	assert.Equal(t, "resting", string(orderStatus(t, e.me, outside).Status), "an order outside the group is untouched")
	// paid 4 × 0.45 + 1 × 0.44 as a maker; only the order outside still holds cash
	assert.Equal(t, usd("997.33"), balance(t, e.me))
	assert.False(t, bookHas(t, e.me, "0.44"), "the canceled bid left the book")
	assert.True(t, bookHas(t, e.me, "0.43"))
	g = group(t, e.me, id)
	assert.True(t, g.IsAutoCancelEnabled)
	assert.Empty(t, g.Orders)

	refused(t, e.me, id, "order group triggered")
	batch, err := e.me.BatchCreateOrdersV2(ctx, gen.BatchCreateOrdersV2Request{Orders: []gen.CreateOrderV2Request{{
		Ticker: ogMarket, Side: "bid", Price: usd("0.41"), Count: qty("1"), OrderGroupID: id,
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	}}})
	require.NoError(t, err)
	require.Len(t, batch.Orders, 1)
	require.NotNil(t, batch.Orders[0].Error)
	assert.Equal(t, "invalid_order", *batch.Orders[0].Error.Code)

	// A reset clears the state and the volume: orders go in again.
	_, err = e.me.ResetOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	g = group(t, e.me, id)
	assert.False(t, g.IsAutoCancelEnabled)
	d := mustGroupOrder(t, e.me, id, "bid", "0.44", "2")
	assert.Equal(t, []string{d}, group(t, e.me, id).Orders)
	mustGroupOrder(t, e.other, "", "ask", "0.44", "1")
	assert.Equal(t, "resting", string(orderStatus(t, e.me, d).Status), "the volume before the reset no longer counts")
}

// TestOrderGroupTakerFillsCount puts a crossing order into a group: its own
// fills reach the limit, and what would rest of it is canceled.
func TestOrderGroupTakerFillsCount(t *testing.T) {
	t.Parallel()
	e := newOGEnv(t)
	id := newGroup(t, e.me, 5)
	res, err := groupOrder(t, e.me, id, "bid", "0.60", "12") // 10 at the house's 0.60, 2 would rest
	require.NoError(t, err)
	assert.Equal(t, qty("10"), res.FillCount)
	o := orderStatus(t, e.me, res.OrderID)
	assert.Equal(t, "canceled", string(o.Status))
	assert.Equal(t, qty("10"), o.FillCountFp)
	assert.True(t, group(t, e.me, id).IsAutoCancelEnabled)
	assert.False(t, bookHas(t, e.me, "0.60"))
	// paid 10 × 0.60 plus the taker fee 7% × 10 × 0.60 × 0.40; nothing held
	assert.Equal(t, usd("993.832"), balance(t, e.me))
}

// TestOrderGroupTriggerLimitAndDelete triggers a group by hand, changes
// its limit below and above its volume, and deletes it.
func TestOrderGroupTriggerLimitAndDelete(t *testing.T) {
	t.Parallel()
	e := newOGEnv(t)
	ctx := ctxFor(t)
	id := newGroup(t, e.me, 10)

	a := mustGroupOrder(t, e.me, id, "bid", "0.45", "2")
	b := mustGroupOrder(t, e.me, id, "ask", "0.55", "2")
	_, err := e.me.TriggerOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	assert.Equal(t, "canceled", string(orderStatus(t, e.me, a).Status))
	assert.Equal(t, "canceled", string(orderStatus(t, e.me, b).Status))
	assert.Equal(t, kalshitest.DefaultBalance, balance(t, e.me))
	assert.True(t, group(t, e.me, id).IsAutoCancelEnabled)
	refused(t, e.me, id, "order group triggered")
	_, err = e.me.ResetOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)

	// 3 contracts fill; a limit of 5 leaves the group active, a limit of 3 triggers it.
	c := mustGroupOrder(t, e.me, id, "bid", "0.45", "6")
	mustGroupOrder(t, e.other, "", "ask", "0.45", "3")
	_, err = e.me.UpdateOrderGroupLimit(ctx, id, nil, gen.UpdateOrderGroupLimitRequest{ContractsLimitFp: ptr(qty("5"))})
	require.NoError(t, err)
	g := group(t, e.me, id)
	assert.Equal(t, qty("5"), g.ContractsLimitFp)
	assert.False(t, g.IsAutoCancelEnabled)
	assert.Equal(t, []string{c}, g.Orders)
	_, err = e.me.UpdateOrderGroupLimit(ctx, id, nil, gen.UpdateOrderGroupLimitRequest{ContractsLimit: 3, ContractsLimitFp: ptr(qty("3"))})
	require.NoError(t, err)
	g = group(t, e.me, id)
	assert.Equal(t, qty("3"), g.ContractsLimitFp)
	assert.True(t, g.IsAutoCancelEnabled)
	assert.Empty(t, g.Orders)
	assert.Equal(t, "canceled", string(orderStatus(t, e.me, c).Status))

	// Deleting cancels the group's orders and removes it.
	_, err = e.me.ResetOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	d := mustGroupOrder(t, e.me, id, "bid", "0.41", "1")
	keep := newGroup(t, e.me, 7)
	_, err = e.me.DeleteOrderGroup(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, "canceled", string(orderStatus(t, e.me, d).Status))
	assert.Equal(t, id, *orderStatus(t, e.me, d).OrderGroupID, "the order still names its group")
	_, err = e.me.GetOrderGroup(ctx, id, nil)
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, err = e.me.DeleteOrderGroup(ctx, id, nil)
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	list, err := e.me.GetOrderGroups(ctx, nil)
	require.NoError(t, err)
	require.Len(t, list.OrderGroups, 1)
	assert.Equal(t, keep, list.OrderGroups[0].ID)
	refused(t, e.me, id, "order group not found")
}

// TestOrderGroupLimitRollsOver counts fills over a rolling 15 seconds:
// fills older than that no longer count toward the limit.
func TestOrderGroupLimitRollsOver(t *testing.T) {
	t.Parallel()
	var offset atomic.Int64
	start := time.Now()
	clock := func() time.Time { return start.Add(time.Duration(offset.Load())) }
	e := newOGEnv(t, kalshitest.WithClock(clock))
	id := newGroup(t, e.me, 5)
	a := mustGroupOrder(t, e.me, id, "bid", "0.45", "10")

	mustGroupOrder(t, e.other, "", "ask", "0.45", "3")
	offset.Store(int64(16 * time.Second))
	mustGroupOrder(t, e.other, "", "ask", "0.45", "3") // the first 3 left the window
	assert.False(t, group(t, e.me, id).IsAutoCancelEnabled)
	assert.Equal(t, "resting", string(orderStatus(t, e.me, a).Status))

	offset.Store(int64(25 * time.Second))
	mustGroupOrder(t, e.other, "", "ask", "0.45", "2") // 3 + 2 within 15 s
	assert.True(t, group(t, e.me, id).IsAutoCancelEnabled)
	o := orderStatus(t, e.me, a)
	assert.Equal(t, "canceled", string(o.Status))
	assert.Equal(t, qty("8"), o.FillCountFp)
}

// TestOrderGroupBelongsToItsOwner keeps a group to the user and the
// subaccount that made it.
func TestOrderGroupBelongsToItsOwner(t *testing.T) {
	t.Parallel()
	e := newOGEnv(t)
	ctx := ctxFor(t)
	id := newGroup(t, e.me, 5)
	a := mustGroupOrder(t, e.me, id, "bid", "0.45", "1")

	_, err := e.other.GetOrderGroup(ctx, id, nil)
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, err = e.other.TriggerOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, err = e.other.UpdateOrderGroupLimit(ctx, id, nil, gen.UpdateOrderGroupLimitRequest{ContractsLimit: 1})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, err = e.other.ResetOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, err = e.other.DeleteOrderGroup(ctx, id, nil)
	e404 := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, e404.StatusCode)
	assert.Equal(t, "not_found", e404.Code)
	refused(t, e.other, id, "order group not found")
	refused(t, e.me, "no-such-group", "order group not found")
	list, err := e.other.GetOrderGroups(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, list.OrderGroups)
	// nothing the other account did touched the group
	g := group(t, e.me, id)
	assert.False(t, g.IsAutoCancelEnabled)
	assert.Equal(t, qty("5"), g.ContractsLimitFp)
	assert.Equal(t, []string{a}, g.Orders)

	// A group of subaccount 2 is found only without a subaccount or with 2.
	sub, err := e.me.CreateOrderGroup(ctx, gen.CreateOrderGroupRequest{ContractsLimitFp: ptr(qty("4")), Subaccount: ptr(2)})
	require.NoError(t, err)
	assert.Equal(t, 2, sub.Subaccount)
	_, err = e.me.GetOrderGroup(ctx, sub.OrderGroupID, nil)
	require.NoError(t, err)
	_, err = e.me.GetOrderGroup(ctx, sub.OrderGroupID, &gen.GetOrderGroupParams{Subaccount: ptr(0)})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, err = e.me.TriggerOrderGroup(ctx, sub.OrderGroupID, nil, gen.EmptyResponse{}) // the primary account's, by default
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, err = e.me.TriggerOrderGroup(ctx, sub.OrderGroupID, &gen.TriggerOrderGroupParams{Subaccount: ptr(2)}, gen.EmptyResponse{})
	require.NoError(t, err)
	_, err = e.me.ResetOrderGroup(ctx, id, &gen.ResetOrderGroupParams{ExchangeIndex: ptr(1)}, gen.EmptyResponse{})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode, "groups live on shard 0")
	refused(t, e.me, sub.OrderGroupID, "order group not found") // an order of the primary account

	for sa, want := range map[int][]string{0: {id}, 2: {sub.OrderGroupID}} {
		list, err := e.me.GetOrderGroups(ctx, &gen.GetOrderGroupsParams{Subaccount: ptr(sa)})
		require.NoError(t, err)
		require.Len(t, list.OrderGroups, len(want), "subaccount %d", sa)
		assert.Equal(t, want[0], list.OrderGroups[0].ID)
	}
	all, err := e.me.GetOrderGroups(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all.OrderGroups, 2)
	assert.Equal(t, id, all.OrderGroups[0].ID)
	assert.True(t, all.OrderGroups[1].IsAutoCancelEnabled)
}

// TestOrderGroupLimitsAreChecked refuses limits that are missing,
// contradictory, fractional or out of range, and creates nothing.
func TestOrderGroupLimitsAreChecked(t *testing.T) {
	t.Parallel()
	e := newOGEnv(t)
	ctx := ctxFor(t)
	for name, body := range map[string]gen.CreateOrderGroupRequest{
		"no limit":     {},
		"both differ":  {ContractsLimit: 5, ContractsLimitFp: ptr(qty("6"))},
		"fractional":   {ContractsLimitFp: ptr(qty("2.5"))},
		"zero fp":      {ContractsLimitFp: ptr(qty("0"))},
		"too big":      {ContractsLimit: 1_000_001},
		"too big fp":   {ContractsLimitFp: ptr(qty("1000001"))},
		"shard 1":      {ContractsLimit: 5, ExchangeIndex: 1},
		"subaccount64": {ContractsLimit: 5, Subaccount: ptr(64)},
	} {
		_, err := e.me.CreateOrderGroup(ctx, body)
		assert.Equal(t, http.StatusBadRequest, apiError(t, err).StatusCode, name)
	}
	list, err := e.me.GetOrderGroups(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, list.OrderGroups)

	id := newGroup(t, e.me, 1_000_000)
	_, err = e.me.UpdateOrderGroupLimit(ctx, id, nil, gen.UpdateOrderGroupLimitRequest{ContractsLimitFp: ptr(qty("1.5"))})
	e400 := apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, e400.StatusCode)
	assert.Equal(t, "bad_request", e400.Code)
	assert.Equal(t, qty("1000000"), group(t, e.me, id).ContractsLimitFp)
}

// TestOrderGroupsSurviveConcurrentTraders places and fills group orders
// from several goroutines while the group is re-limited and reset: the
// exchange stays consistent and the race detector stays quiet.
func TestOrderGroupsSurviveConcurrentTraders(t *testing.T) {
	t.Parallel()
	e := newOGEnv(t)
	id := newGroup(t, e.me, 3)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			_, _ = e.other.CreateOrderV2(ctx, gen.CreateOrderV2Request{
				Ticker: ogMarket, Side: "ask", Price: usd("0.45"), Count: qty("1"),
				TimeInForce: "immediate_or_cancel", SelfTradePreventionType: "taker_at_cross",
			})
			if i%5 == 0 {
				_, _ = e.me.ResetOrderGroup(ctx, id, nil, gen.EmptyResponse{})
			}
		}
	}()
	for range 20 {
		_, _ = groupOrder(t, e.me, id, "bid", "0.45", "1")
	}
	<-done
	// Whatever happened, a triggered group holds no resting orders.
	g := group(t, e.me, id)
	if g.IsAutoCancelEnabled {
		assert.Empty(t, g.Orders)
	}
	for _, o := range g.Orders {
		assert.Equal(t, "resting", string(orderStatus(t, e.me, o).Status))
	}
}

// TestWSOrderGroupUpdates receives an order_group_updates frame for each
// change of a group: created, limit_updated, triggered (by fills and by
// hand), reset and deleted, numbered without gaps; another user's
// connection receives none of them, and none of its own group's reach the
// first.
func TestWSOrderGroupUpdates(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	otherKey, _ := newKey(t, signing.Ed25519)
	e.srv.AddAccount("og-ws-other", otherKey.Public(), usd("1000"))
	otherSigner, err := signing.New("og-ws-other", otherKey)
	require.NoError(t, err)
	other, err := kalshi.New(kalshi.WithBaseURL(e.srv.URL()), kalshi.WithSigner(otherSigner), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)

	mine := dialRaw(t, e.srv, e.signer)
	theirs := dialRaw(t, e.srv, otherSigner)
	sid := mine.subscribe(map[string]any{"channels": []string{"order_group_updates"}})
	theirSID := theirs.subscribe(map[string]any{"channels": []string{"order_group_updates"}})
	ctx := ctxFor(t)

	id := newGroup(t, e.rest, 2)
	_, err = e.rest.UpdateOrderGroupLimit(ctx, id, nil, gen.UpdateOrderGroupLimitRequest{ContractsLimit: 3})
	require.NoError(t, err)
	// 5 contracts at the house's 0.50 reach the limit of 3.
	res, err := e.rest.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: wsMarket, Side: "bid", Price: usd("0.50"), Count: qty("5"), OrderGroupID: id,
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	require.NoError(t, err)
	require.Equal(t, qty("5"), res.FillCount)
	_, err = e.rest.ResetOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	_, err = e.rest.TriggerOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	_, err = e.rest.ResetOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	_, err = e.rest.DeleteOrderGroup(ctx, id, nil)
	require.NoError(t, err)
	theirGroup := newGroup(t, other, 9)

	for i, want := range []struct {
		event string
		limit string
	}{
		{"created", "2"}, {"limit_updated", "3"}, {"triggered", ""}, {"reset", ""},
		{"triggered", ""}, {"reset", ""}, {"deleted", ""},
	} {
		u := expect[*ws.OrderGroupUpdate](mine)
		assert.Equal(t, ws.TypeOrderGroupUpdates, u.Type)
		assert.Equal(t, sid, u.SID)
		assert.Equal(t, int64(i+1), u.Seq)
		assert.Equal(t, want.event, u.EventType, "frame %d", i+1)
		assert.Equal(t, id, u.OrderGroupID)
		assert.Positive(t, int64(u.TSMs))
		if want.limit == "" {
			assert.Nil(t, u.ContractsLimit, want.event)
		} else if assert.NotNil(t, u.ContractsLimit, want.event) {
			assert.Equal(t, qty(want.limit), *u.ContractsLimit)
		}
	}
	mine.nothingBefore()

	u := expect[*ws.OrderGroupUpdate](theirs)
	assert.Equal(t, theirSID, u.SID)
	assert.Equal(t, int64(1), u.Seq)
	assert.Equal(t, "created", u.EventType)
	assert.Equal(t, theirGroup, u.OrderGroupID)
	theirs.nothingBefore()
}

// TestWSOrderGroupTriggerCancels follows a trigger on the other channels:
// the group's resting order is canceled on user_orders and leaves the book
// on orderbook_delta before the triggered frame arrives.
func TestWSOrderGroupTriggerCancels(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	r.subscribe(map[string]any{"channels": []string{"order_group_updates"}})
	r.subscribe(map[string]any{"channels": []string{"user_orders"}})
	r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_ticker": wsMarket2})
	book := orderbook.NewBook(wsMarket2)
	require.NoError(t, book.ApplySnapshot(expect[*ws.OrderbookSnapshot](r)))
	ctx := ctxFor(t)

	id := newGroup(t, e.rest, 10)
	assert.Equal(t, "created", expect[*ws.OrderGroupUpdate](r).EventType)
	res, err := e.rest.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: wsMarket2, Side: "bid", Price: usd("0.35"), Count: qty("3"), OrderGroupID: id,
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	require.NoError(t, err)
	added := expect[*ws.OrderbookDelta](r)
	assert.Equal(t, qty("3"), added.Delta)
	require.NoError(t, book.ApplyDelta(added))
	placed := expect[*ws.UserOrder](r)
	assert.Equal(t, "resting", placed.Status)
	assert.Equal(t, id, placed.OrderGroupID)

	_, err = e.rest.TriggerOrderGroup(ctx, id, nil, gen.EmptyResponse{})
	require.NoError(t, err)
	removed := expect[*ws.OrderbookDelta](r)
	assert.Equal(t, usd("0.35"), removed.Price)
	assert.Equal(t, qty("-3"), removed.Delta)
	require.NoError(t, book.ApplyDelta(removed))
	canceled := expect[*ws.UserOrder](r)
	assert.Equal(t, res.OrderID, canceled.OrderID)
	assert.Equal(t, "canceled", canceled.Status)
	assert.Equal(t, id, canceled.OrderGroupID)
	assert.True(t, canceled.RemainingCount.IsZero())
	assert.Equal(t, "triggered", expect[*ws.OrderGroupUpdate](r).EventType)
	r.nothingBefore()
	assert.True(t, book.SizeAt(orderbook.Yes, usd("0.35")).IsZero())
	assert.True(t, book.Equal(e.restBook(t, wsMarket2)), "book %v, REST %v", book, e.restBook(t, wsMarket2))
}
