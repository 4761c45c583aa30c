package kalshitest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/money"
)

func usd(s string) money.Dollars { return money.MustDollars(s) }
func qty(s string) money.Count   { return money.MustCount(s) }

// testExchange has one market with an empty book and two traders.
func testExchange(t *testing.T) *exchange {
	t.Helper()
	x := newExchange(func() time.Time { return time.Date(2026, 6, 11, 12, 0, 0, 0, time.UTC) }, 7, 7)
	x.ensureAccount(houseUser, houseBalance)
	x.ensureAccount("alice", usd("100"))
	x.ensureAccount("bob", usd("100"))
	require.NoError(t, x.addSpec(MarketSpec{Ticker: "KXT-26JUN12-A"}))
	return x
}

func limit(user string, side bookSide, price, count, tif string) orderRequest {
	return orderRequest{userID: user, ticker: "KXT-26JUN12-A", side: side, price: usd(price), count: qty(count), tif: tif}
}

// checkBooks asserts the accounting identity of every ledger (account or
// subaccount, start keyed by ledgerKey): cash on every shard + cash held
// for resting orders + cost of positions − realized profit + fees paid −
// cash transferred in equals the starting cash.
func checkBooks(t *testing.T, x *exchange, start map[string]money.Dollars) {
	t.Helper()
	x.mu.Lock()
	defer x.mu.Unlock()
	for _, a := range x.allLedgers() {
		total := a.totalCash().Add(a.reservedTotal()).Sub(a.netIn)
		for _, p := range a.positions {
			total = total.Add(p.exposure).Sub(p.realized).Add(p.fees)
		}
		if want, ok := start[ledgerKey(a.userID, a.sub)]; ok {
			assert.Equal(t, want, total, "ledger %s", ledgerKey(a.userID, a.sub))
		}
		for _, o := range a.orders {
			if o.status == "resting" {
				assert.Equal(t, o.side.outcomePrice(o.price).Mul(o.remaining), o.reserved, "order %s", o.id)
			} else {
				assert.True(t, o.reserved.IsZero())
			}
		}
	}
	// every contract has a counterparty: longs equal shorts per market
	for ticker, m := range x.markets {
		var long, short money.Count
		for _, a := range x.allLedgers() {
			if p := a.positions[ticker]; p != nil {
				if p.count.Sign() > 0 {
					long = long.Add(p.count)
				} else {
					short = short.Add(p.count.Abs())
				}
			}
		}
		assert.Equal(t, long, short, "market %s", ticker)
		assert.Equal(t, long, m.openInterest, "market %s", ticker)
	}
}

func TestTakerFee(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ price, count, fee string }{
		{"0.52", "1", "0.0175"}, // as Kalshi charged on the recorded fill
		{"0.99", "1", "0.0007"}, // likewise
		{"0.50", "5", "0.0875"},
		{"0.50", "0.01", "0.0002"},
		{"0.01", "100", "0.0693"},
	} {
		assert.Equal(t, usd(tc.fee), takerFee(usd(tc.price), qty(tc.count)), "%s × %s", tc.count, tc.price)
	}
}

func TestPriceTimePriority(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	first, err := x.place(limit("alice", ask, "0.60", "3", "good_till_canceled"))
	require.NoError(t, err)
	second, err := x.place(limit("alice", ask, "0.60", "3", "good_till_canceled"))
	require.NoError(t, err)
	better, err := x.place(limit("alice", ask, "0.58", "2", "good_till_canceled"))
	require.NoError(t, err)

	pl, err := x.place(limit("bob", bid, "0.60", "4", "immediate_or_cancel"))
	require.NoError(t, err)
	assert.Equal(t, qty("4"), pl.filled)
	assert.Equal(t, usd("0.58").Mul(qty("2")).Add(usd("0.60").Mul(qty("2"))), pl.fillCost)
	assert.Equal(t, "executed", better.order.status, "the better price trades first")
	assert.Equal(t, qty("1"), first.order.remaining, "then the older order at 0.60")
	assert.Equal(t, qty("3"), second.order.remaining)
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}

func TestTimeInForce(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tif             string
		filled, resting string
		status          string
	}{
		{"good_till_canceled", "2", "3", "resting"},
		{"immediate_or_cancel", "2", "0", "canceled"},
		{"fill_or_kill", "0", "0", "canceled"},
	} {
		t.Run(tc.tif, func(t *testing.T) {
			t.Parallel()
			x := testExchange(t)
			_, err := x.place(limit("alice", ask, "0.40", "2", "good_till_canceled"))
			require.NoError(t, err)
			pl, err := x.place(limit("bob", bid, "0.45", "5", tc.tif))
			require.NoError(t, err)
			assert.Equal(t, qty(tc.filled), pl.filled)
			assert.Equal(t, qty(tc.resting), pl.remainingNow)
			assert.Equal(t, tc.status, pl.order.status)
			checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
		})
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	_, err := x.place(limit("alice", ask, "0.40", "2", "good_till_canceled"))
	require.NoError(t, err)
	dup := limit("bob", bid, "0.10", "1", "good_till_canceled")
	dup.clientID = "c1"
	_, err = x.place(dup)
	require.NoError(t, err)
	postOnly := limit("bob", bid, "0.40", "1", "good_till_canceled")
	postOnly.postOnly = true
	reduceGTC := limit("bob", bid, "0.40", "1", "good_till_canceled")
	reduceGTC.reduceOnly = true
	unknown := limit("bob", bid, "0.40", "1", "good_till_canceled")
	unknown.ticker = "NOPE"

	for name, tc := range map[string]struct {
		req  orderRequest
		code string
	}{
		"duplicate client id": {dup, "order_already_exists"},
		"post only cross":     {postOnly, "invalid_order"},
		"off tick":            {limit("bob", bid, "0.405", "1", "good_till_canceled"), "invalid_price"},
		"price one":           {limit("bob", bid, "1.00", "1", "good_till_canceled"), "invalid_price"},
		"price zero":          {limit("bob", bid, "0", "1", "good_till_canceled"), "invalid_price"},
		"too expensive":       {limit("bob", bid, "0.30", "400", "good_till_canceled"), "insufficient_balance"},
		"reduce only gtc":     {reduceGTC, "invalid_order"},
		"unknown market":      {unknown, "market_not_found"},
		"zero count":          {limit("bob", bid, "0.30", "0", "good_till_canceled"), "invalid_order"},
	} {
		_, err := x.place(tc.req)
		var e *apiError
		require.ErrorAs(t, err, &e, name)
		assert.Equal(t, tc.code, e.code, name)
	}
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}

func TestSelfTradePrevention(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	own, err := x.place(limit("alice", ask, "0.40", "2", "good_till_canceled"))
	require.NoError(t, err)
	_, err = x.place(limit("bob", ask, "0.42", "2", "good_till_canceled"))
	require.NoError(t, err)

	pl, err := x.place(limit("alice", bid, "0.45", "3", "good_till_canceled"))
	require.NoError(t, err)
	assert.True(t, pl.filled.IsZero(), "taker_at_cross stops at the own order")
	assert.Equal(t, "canceled", pl.order.status)
	assert.Equal(t, "resting", own.order.status)

	req := limit("alice", bid, "0.45", "3", "good_till_canceled")
	req.stp = "maker"
	pl, err = x.place(req)
	require.NoError(t, err)
	assert.Equal(t, "canceled", own.order.status, "maker prevention cancels the resting order")
	assert.Equal(t, qty("2"), pl.filled)
	assert.Equal(t, qty("1"), pl.remainingNow)
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}

func TestClosingAPositionRealizesProfit(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	_, err := x.place(limit("bob", ask, "0.40", "10", "good_till_canceled"))
	require.NoError(t, err)
	_, err = x.place(limit("alice", bid, "0.40", "10", "immediate_or_cancel"))
	require.NoError(t, err)
	_, err = x.place(limit("bob", bid, "0.70", "4", "good_till_canceled"))
	require.NoError(t, err)
	_, err = x.place(limit("alice", ask, "0.70", "4", "immediate_or_cancel"))
	require.NoError(t, err)

	p := x.accounts["alice"].positions["KXT-26JUN12-A"]
	assert.Equal(t, qty("6"), p.count)
	assert.Equal(t, usd("2.40"), p.exposure)
	assert.Equal(t, usd("1.20"), p.realized) // 4 × (0.70 − 0.40)
	q := x.accounts["bob"].positions["KXT-26JUN12-A"]
	assert.Equal(t, qty("-6"), q.count)
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})

	require.NoError(t, x.settle("KXT-26JUN12-A", "yes"))
	assert.True(t, p.count.IsZero())
	assert.Equal(t, usd("4.80"), p.realized) // + 6 × (1 − 0.40)
	assert.Len(t, x.accounts["alice"].settlements, 1)
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}

func TestAmendAndDecrease(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	a, err := x.place(limit("alice", bid, "0.30", "5", "good_till_canceled"))
	require.NoError(t, err)
	b, err := x.place(limit("bob", bid, "0.30", "5", "good_till_canceled"))
	require.NoError(t, err)

	// a smaller size keeps the place in the queue
	_, err = x.amend("alice", a.order.id, "KXT-26JUN12-A", bid, usd("0.30"), qty("4"), "", nil, false)
	require.NoError(t, err)
	assert.True(t, x.markets["KXT-26JUN12-A"].book.queueAhead(a.order).IsZero())
	// a new price goes to the back
	_, err = x.amend("bob", b.order.id, "KXT-26JUN12-A", bid, usd("0.31"), qty("5"), "", nil, false)
	require.NoError(t, err)
	_, err = x.amend("bob", b.order.id, "KXT-26JUN12-A", bid, usd("0.30"), qty("5"), "", nil, false)
	require.NoError(t, err)
	assert.Equal(t, qty("4"), x.markets["KXT-26JUN12-A"].book.queueAhead(b.order))

	_, _, err = x.decrease("alice", a.order.id, ptr(qty("1")), nil)
	require.NoError(t, err)
	assert.Equal(t, qty("3"), a.order.remaining)
	_, _, err = x.decrease("alice", a.order.id, nil, ptr(qty("0")))
	require.NoError(t, err)
	assert.Equal(t, "canceled", a.order.status)
	_, _, err = x.decrease("alice", a.order.id, ptr(qty("1")), nil)
	assert.Error(t, err)
	_, err = x.amend("alice", b.order.id, "KXT-26JUN12-A", bid, usd("0.30"), qty("5"), "", nil, false)
	assert.Error(t, err, "another user's order is not found")
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}

func TestExpiredOrdersLeaveTheBook(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 11, 12, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	x := newExchange(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }, 1, 1)
	x.ensureAccount("alice", usd("10"))
	require.NoError(t, x.addSpec(MarketSpec{Ticker: "KXT-26JUN12-A"}))
	req := limit("alice", bid, "0.30", "5", "good_till_canceled")
	req.expiration = ptr(now.Add(time.Minute))
	pl, err := x.place(req)
	require.NoError(t, err)
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	assert.Zero(t, x.cancelAll("alice", nil), "expired before anything else ran")
	assert.Equal(t, "canceled", pl.order.status)
	assert.Equal(t, usd("10"), x.accounts["alice"].balance)
}

// TestConcurrentTradersKeepTheBooks runs many traders at once (run it with
// -race) and checks every account and market afterwards.
func TestConcurrentTradersKeepTheBooks(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	start := map[string]money.Dollars{}
	for i := range 8 {
		u := fmt.Sprintf("trader%d", i)
		x.mu.Lock()
		x.ensureAccount(u, usd("50"))
		x.mu.Unlock()
		start[u] = usd("50")
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			u := fmt.Sprintf("trader%d", i)
			for j := range 60 {
				side := bid
				if (i+j)%2 == 0 {
					side = ask
				}
				price := fmt.Sprintf("0.%02d", 40+(i*7+j*3)%20)
				tif := []string{"good_till_canceled", "immediate_or_cancel", "fill_or_kill"}[j%3]
				pl, err := x.place(limit(u, side, price, fmt.Sprintf("%d", 1+j%4), tif))
				if err == nil && j%5 == 0 && pl.order.status == "resting" {
					_, _, _, _ = x.cancel(u, pl.order.id)
				}
			}
		}(i)
	}
	wg.Wait()
	checkBooks(t, x, start)
	// the book never crosses
	m := x.markets["KXT-26JUN12-A"]
	bp, _, okB := m.book.best(bid)
	ap, _, okA := m.book.best(ask)
	if okB && okA {
		assert.Less(t, bp.Cmp(ap), 0)
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 11, 12, 0, 0, 0, time.UTC)
	build := func(seed uint64) []string {
		x := newExchange(func() time.Time { return at }, seed, seed)
		x.ensureAccount(houseUser, houseBalance)
		x.generate(30, true, at)
		var out []string
		for _, m := range x.sortedMarkets() {
			out = append(out, fmt.Sprintf("%s %s %v %v", m.ticker, m.status, m.book.depth(bid, 0), m.book.depth(ask, 0)))
		}
		return out
	}
	assert.Equal(t, build(3), build(3))
	assert.NotEqual(t, build(3), build(4))
	assert.Len(t, build(3), 30)
	for _, n := range []int{60, 250} {
		x := newExchange(func() time.Time { return at }, 1, 1)
		x.generate(n, false, at)
		assert.Len(t, x.sortedMarkets(), n, "generate(%d) makes %d distinct markets", n, n)
	}
}

func TestEventsAreOrderedPerMarket(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	x.mu.Lock()
	sub := x.hub.subscribe()
	x.mu.Unlock()
	defer sub.Close()
	_, err := x.place(limit("alice", ask, "0.40", "2", "good_till_canceled"))
	require.NoError(t, err)
	_, err = x.place(limit("bob", bid, "0.40", "1", "good_till_canceled"))
	require.NoError(t, err)

	var kinds []EventKind
	var lastSeq, lastBook uint64
	for range 8 {
		ev, err := sub.Next(t.Context())
		require.NoError(t, err)
		assert.Greater(t, ev.Seq, lastSeq)
		lastSeq = ev.Seq
		if ev.Kind == EventOrderbookDelta {
			assert.Equal(t, lastBook+1, ev.MarketSeq-0, "book deltas count without gaps")
			lastBook = ev.MarketSeq
		}
		kinds = append(kinds, ev.Kind)
	}
	assert.Equal(t, []EventKind{
		EventOrderbookDelta, EventOrderUpdate, // the ask rests
		EventOrderbookDelta, EventTrade, EventFill, EventFill, EventOrderUpdate, EventPositionUpdate, // the bid takes 1
	}, kinds)
}

// TestPriceErrorsSayWhy: an off-tick or out-of-range price is refused with
// invalid_price and details naming the rule, as Kalshi details its other
// order errors.
func TestPriceErrorsSayWhy(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	for price, want := range map[string]string{
		"0.405": "price 0.4050 is not a multiple of the tick size 0.0100",
		"1.00":  "price 1.0000 is outside 0.0100 to 0.9900",
		"0":     "price 0.0000 is outside 0.0100 to 0.9900",
	} {
		_, err := x.place(limit("bob", bid, price, "1", "good_till_canceled"))
		var e *apiError
		require.ErrorAs(t, err, &e, price)
		assert.Equal(t, "invalid_price", e.code, price)
		assert.Equal(t, want, e.details, price)
	}
}

// TestAmendKeepsPostOnly: a post-only bid amended across the best ask is
// refused and stays where it was; it never takes.
func TestAmendKeepsPostOnly(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	_, err := x.place(limit("alice", ask, "0.55", "5", "good_till_canceled"))
	require.NoError(t, err)
	req := limit("bob", bid, "0.45", "2", "good_till_canceled")
	req.postOnly = true
	pl, err := x.place(req)
	require.NoError(t, err)

	_, err = x.amend("bob", pl.order.id, "KXT-26JUN12-A", bid, usd("0.60"), qty("2"), "", nil, false)
	var e *apiError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "invalid_order", e.code)
	assert.Equal(t, "post only cross", e.details)
	assert.Equal(t, "resting", pl.order.status)
	assert.Equal(t, usd("0.45"), pl.order.price)
	assert.True(t, pl.order.filled.IsZero(), "a post-only order must never take")

	// below the ask it may move
	_, err = x.amend("bob", pl.order.id, "KXT-26JUN12-A", bid, usd("0.54"), qty("2"), "", nil, false)
	require.NoError(t, err)
	assert.Equal(t, usd("0.54"), pl.order.price)
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}
