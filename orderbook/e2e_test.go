package orderbook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"sync"
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

// The end-to-end tests feed a Manager from a ws subscription to
// kalshitest, the fake exchange, trade over REST, and compare the local
// books with the exchange's own.

// rndMarkets are traded; barrierMarket never is, so asking for its
// snapshot (see sync) leaves the traded books to the deltas.
var rndMarkets = []string{"KXRND-26JUN12-A", "KXRND-26JUN12-B", "KXRND-26JUN12-C"}

const barrierMarket = "KXRND-26JUN12-BARRIER"

// waitLong bounds every wait; only a broken client reaches it.
const waitLong = 30 * time.Second

type bookEnv struct {
	srv    *kalshitest.Server
	signer *signing.Signer
	rest   *kalshi.Client
}

func newBookEnv(t *testing.T, opts ...kalshitest.Option) *bookEnv {
	t.Helper()
	all := []kalshitest.Option{kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: barrierMarket})}
	for _, m := range rndMarkets {
		spec := kalshitest.MarketSpec{Ticker: m}
		for c := int64(45); c < 50; c++ {
			spec.Bids = append(spec.Bids, money.PriceLevel{Price: money.DollarsFromCents(c), Count: money.CountFromInt(10)})
			spec.Asks = append(spec.Asks, money.PriceLevel{Price: money.DollarsFromCents(c + 6), Count: money.CountFromInt(10)})
		}
		all = append(all, kalshitest.WithMarket(spec))
	}
	srv := kalshitest.NewServer(append(all, opts...)...)
	t.Cleanup(srv.Close)
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	srv.AddAPIKey("book-key", key.Public())
	signer, err := signing.New("book-key", key)
	require.NoError(t, err)
	rest, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	return &bookEnv{srv: srv, signer: signer, rest: rest}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*waitLong)
	t.Cleanup(cancel)
	return ctx
}

func (e *bookEnv) dial(t *testing.T, opts ...ws.Option) *ws.Conn {
	t.Helper()
	c, err := ws.Dial(ctxFor(t), append([]ws.Option{
		ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(e.signer),
		ws.WithReconnectBackoff(ws.ExponentialBackoff(10*time.Millisecond, 100*time.Millisecond)),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// trader returns a REST client of a new account with a large balance.
func (e *bookEnv) trader(t *testing.T, name string) *kalshi.Client {
	t.Helper()
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	e.srv.AddAccount(name, key.Public(), money.DollarsFromCents(100_000_000))
	s, err := signing.New(name, key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(e.srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	return c
}

// serverBook returns the exchange's book of a market.
func (e *bookEnv) serverBook(t *testing.T, market string) *orderbook.Book {
	t.Helper()
	yes, no, _, err := e.srv.OrderbookSnapshot(market)
	require.NoError(t, err)
	b := orderbook.NewBook(market)
	require.NoError(t, b.ApplySnapshot(&ws.OrderbookSnapshot{MarketTicker: market, Yes: yes, No: no}))
	return b
}

func (e *bookEnv) place(t *testing.T, market string, side gen.BookSide, price, count string) {
	t.Helper()
	_, err := e.rest.CreateOrderV2(ctxFor(t), gen.CreateOrderV2Request{
		Ticker: market, Side: side, Price: money.MustDollars(price), Count: money.MustCount(count),
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	require.NoError(t, err)
}

// watched is a Source that lets the test see each message right after
// the manager has handled it.
type watched struct {
	*ws.Subscription
	mu      sync.Mutex
	counts  map[string]int
	log     []ws.Message // the client's own events and snapshots, in order
	lastSID int64        // the sid and seq of the last numbered frame handled
	lastSeq int64
}

func watch(sub *ws.Subscription) *watched {
	return &watched{Subscription: sub, counts: map[string]int{}}
}

func (w *watched) Messages(ctx context.Context) iter.Seq2[ws.Message, error] {
	return func(yield func(ws.Message, error) bool) {
		for m, err := range w.Subscription.Messages(ctx) {
			if !yield(m, err) {
				return
			}
			if err == nil {
				w.note(m)
			}
		}
	}
}

func (w *watched) note(m ws.Message) {
	w.mu.Lock()
	defer w.mu.Unlock()
	h := m.Header()
	w.counts[h.Type]++
	if h.Seq != 0 {
		w.lastSID, w.lastSeq = h.SID, h.Seq
	}
	switch m.(type) {
	case *ws.OrderbookSnapshot, *ws.Gap, *ws.Resubscribed:
		w.log = append(w.log, m)
	}
}

// handled reports whether the manager has handled frame seq of sid.
func (w *watched) handled(sid, seq int64) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lastSID == sid && w.lastSeq >= seq
}

func (w *watched) count(typ string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.counts[typ]
}

func (w *watched) events() []ws.Message {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]ws.Message(nil), w.log...)
}

// follow subscribes to the order books of markets and runs a manager on
// the subscription until the test ends.
func follow(t *testing.T, c *ws.Conn, p ws.Params) (*orderbook.Manager, *watched) {
	t.Helper()
	sub, err := c.Subscribe(ctxFor(t), p)
	require.NoError(t, err)
	w := watch(sub)
	m := orderbook.NewManager()
	run(t, m, w)
	return m, w
}

func run(t *testing.T, m *orderbook.Manager, src orderbook.Source) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, src) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// waitFor polls cond until it holds, failing after waitLong.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func allReady(m *orderbook.Manager, markets ...string) bool {
	for _, market := range markets {
		b, ok := m.Book(market)
		if !ok || !b.Ready() {
			return false
		}
	}
	return true
}

// sync waits until the manager has handled every change made so far: it
// asks for a snapshot of the barrier market (the server answers a command
// only after sending the deltas of every order placed before it), reads
// the last seq the server numbered on the subscription, and waits for the
// manager to handle that frame. A reconnect meanwhile starts it over.
func (e *bookEnv) sync(t *testing.T, w *watched) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		require.True(t, time.Now().Before(deadline), "the manager did not catch up with the server")
		ctx, cancel := context.WithTimeout(context.Background(), waitLong)
		err := w.GetSnapshot(ctx, barrierMarket)
		cancel()
		if err != nil {
			require.ErrorIs(t, err, ws.ErrConnectionLost, "barrier snapshot")
			continue
		}
		sid := w.SID()
		seq, ok := e.serverSeq(sid)
		if !ok {
			continue
		}
		for !w.handled(sid, seq) && w.SID() == sid && time.Now().Before(deadline) {
			time.Sleep(2 * time.Millisecond)
		}
		if w.handled(sid, seq) {
			return
		}
	}
}

// syncWhole syncs until every book is whole again. The client sees a gap
// only when the frame after it arrives, which can be after sync's barrier
// command was sent; the snapshots of the resync it starts then follow the
// barrier's answer, so one sync is not enough after a fault.
func (e *bookEnv) syncWhole(t *testing.T, m *orderbook.Manager, w *watched) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for {
		e.sync(t, w)
		if allReady(m, allMarkets...) {
			return
		}
		require.True(t, time.Now().Before(deadline), "the books did not become whole again")
	}
}

// serverSeq returns the last seq the server numbered on the order book
// subscription sid of the newest connection that has it.
func (e *bookEnv) serverSeq(sid int64) (int64, bool) {
	conns := e.srv.WSConns()
	for i := len(conns) - 1; i >= 0; i-- {
		for _, s := range conns[i].Subscriptions() {
			if s.SID == sid && s.Channel == ws.ChannelOrderbookDelta {
				return s.Seq, true
			}
		}
	}
	return 0, false
}

// requireSameBooks compares the manager's books with the exchange's.
func (e *bookEnv) requireSameBooks(t *testing.T, m *orderbook.Manager, markets ...string) {
	t.Helper()
	for _, market := range markets {
		local, ok := m.Book(market)
		require.True(t, ok, market)
		require.True(t, local.Ready(), "%s is stale", market)
		server := e.serverBook(t, market)
		require.True(t, local.Equal(server), "%s:\n local  %v\n server %v", market, local, server)
	}
}

var allMarkets = append([]string{barrierMarket}, rndMarkets...)

// TestE2EGapResyncs skips a sequence number on the server: the manager
// sees a gap, the client asks for snapshots, and the books end equal to
// the exchange's.
func TestE2EGapResyncs(t *testing.T) {
	t.Parallel()
	e := newBookEnv(t)
	c := e.dial(t)
	m, w := follow(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: allMarkets})
	waitFor(t, "the first snapshots", func() bool { return allReady(m, allMarkets...) })

	conns := e.srv.WSConns()
	require.Len(t, conns, 1)
	require.NoError(t, conns[0].SkipSeq(w.SID()))
	e.place(t, rndMarkets[0], "bid", "0.40", "3")
	e.place(t, rndMarkets[1], "ask", "0.52", "2")
	e.syncWhole(t, m, w)
	e.requireSameBooks(t, m, allMarkets...)

	// The log: the first snapshots, the gap, then fresh snapshots of every market.
	log := w.events()
	require.Greater(t, len(log), len(allMarkets)+1)
	gap, ok := log[len(allMarkets)].(*ws.Gap)
	require.True(t, ok, "%T after the first snapshots", log[len(allMarkets)])
	assert.Equal(t, gap.Expected+1, gap.Got)
	assert.True(t, gap.Resync)
	resynced := map[string]bool{}
	for _, x := range log[len(allMarkets)+1:] {
		s, ok := x.(*ws.OrderbookSnapshot)
		require.True(t, ok, "%T after the gap", x)
		resynced[s.MarketTicker] = true
	}
	assert.Len(t, resynced, len(allMarkets))
	assert.Zero(t, w.count(ws.TypeResubscribed))
}

// TestE2ESlowConsumerDropsAndResyncs lets a DropAndResync subscription's
// buffer overflow while its consumer is away: the consumer then gets a gap
// counting the dropped deltas, and fresh snapshots.
func TestE2ESlowConsumerDropsAndResyncs(t *testing.T) {
	t.Parallel()
	e := newBookEnv(t)
	c := e.dial(t, ws.WithBufferSize(4))
	market := rndMarkets[0]
	drop := ws.DropAndResync
	sub, err := c.Subscribe(ctxFor(t), ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{market}, SlowConsumer: &drop})
	require.NoError(t, err)
	orders, err := c.Subscribe(ctxFor(t), ws.Params{Channel: ws.ChannelUserOrders})
	require.NoError(t, err)

	// Ten resting bids while nobody reads the book. Each order's user_order
	// frame follows its delta on the same connection, so once it arrives the
	// delta has been buffered or dropped.
	for i := range 10 {
		e.place(t, market, "bid", fmt.Sprintf("0.%02d", 30+i), "1")
		select {
		case <-orders.C():
		case <-time.After(waitLong):
			t.Fatal("no user_order")
		}
	}
	w := watch(sub)
	m := orderbook.NewManager()
	run(t, m, w)
	waitFor(t, "the buffered snapshot and 3 deltas", func() bool {
		return w.count(ws.TypeOrderbookSnapshot) == 1 && w.count(ws.TypeOrderbookDelta) == 3
	})
	e.place(t, market, "bid", "0.41", "1") // the next frame brings the gap
	waitFor(t, "a resync", func() bool { return w.count(ws.TypeOrderbookSnapshot) == 2 })
	e.requireSameBooks(t, m, market)
	log := w.events()
	require.Len(t, log, 3)
	gap, ok := log[1].(*ws.Gap)
	require.True(t, ok, "%T", log[1])
	assert.Equal(t, 7, gap.Dropped)
	assert.True(t, gap.Resync)
}

// TestE2ERandomActions drives 10,000 random order actions (creates that
// rest or cross, of both sides, whole and fractional, good-till-canceled
// and immediate-or-cancel, singly and in batches; cancels; amends;
// decreases) from four accounts at once while a manager follows the
// books, then checks that every local book equals the exchange's exactly,
// built from deltas alone: no gap, no resubscribe, no snapshot after the
// first ones.
func TestE2ERandomActions(t *testing.T) {
	t.Parallel()
	e := newBookEnv(t, kalshitest.WithWSBufferSize(1<<20))
	c := e.dial(t)
	m, w := follow(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: allMarkets})
	waitFor(t, "the first snapshots", func() bool { return allReady(m, allMarkets...) })

	const total = 10_000
	start := time.Now()
	stats := drive(t, e, total, 4, 1)
	elapsed := time.Since(start)
	e.sync(t, w)
	t.Logf("%d actions (%d accepted) in %v, books in sync %v later; %d deltas",
		stats.actions.Load(), stats.accepted.Load(), elapsed, time.Since(start)-elapsed, w.count(ws.TypeOrderbookDelta))
	require.EqualValues(t, total, stats.actions.Load())
	assert.Greater(t, stats.accepted.Load(), int64(total*8/10), "most actions should be accepted")
	assert.Greater(t, stats.fills.Load(), int64(total/20), "many orders should trade")

	e.requireSameBooks(t, m, allMarkets...)
	assert.Zero(t, w.count(ws.TypeGap))
	assert.Zero(t, w.count(ws.TypeResubscribed))
	assert.Equal(t, len(allMarkets)+1, w.count(ws.TypeOrderbookSnapshot), "the books were kept by deltas alone")
	for _, market := range rndMarkets {
		b := e.serverBook(t, market)
		assert.Positive(t, b.Len(orderbook.Yes)+b.Len(orderbook.No), "%s ended empty", market)
	}
}

// TestE2EChaos trades while the server drops connections, skips sequence
// numbers, sends unknown message types and stalls: the client and manager
// heal, and once the faults stop the books equal the exchange's.
func TestE2EChaos(t *testing.T) {
	t.Parallel()
	e := newBookEnv(t, kalshitest.WithWSFaults(kalshitest.WSFaults{
		DropRate: 0.004, SkipSeqRate: 0.02, UnknownTypeRate: 0.02, StallRate: 0.005, StallFor: 20 * time.Millisecond,
	}))
	c := e.dial(t)
	m, w := follow(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: allMarkets})
	waitFor(t, "the first snapshots", func() bool { return allReady(m, allMarkets...) })
	drive(t, e, 1500, 2, 2)
	e.srv.InjectWSFaults(kalshitest.WSFaults{})
	// A reconnect under way when the faults stopped may still bring
	// snapshots; they agree with the quiet exchange, so sync until the books
	// are whole.
	e.syncWhole(t, m, w)
	e.requireSameBooks(t, m, allMarkets...)
	assert.Positive(t, w.count(ws.TypeGap), "gaps")
	assert.Positive(t, w.count(ws.TypeResubscribed), "reconnects")
	assert.Greater(t, c.Connects(), int64(1))
	t.Logf("%d gaps, %d resubscribes, %d connects", w.count(ws.TypeGap), w.count(ws.TypeResubscribed), c.Connects())
}

// --- the random trader ---

type driveStats struct {
	actions, accepted, fills atomic.Int64
}

// drive runs total random order actions from n accounts at once.
func drive(t *testing.T, e *bookEnv, total int64, n int, seed uint64) *driveStats {
	t.Helper()
	stats := &driveStats{}
	var budget atomic.Int64
	budget.Store(total)
	var wg sync.WaitGroup
	traders := make([]*trader, n)
	for i := range n {
		tr := &trader{
			c: e.trader(t, fmt.Sprintf("trader-%d-%d", seed, i)), rng: rand.New(rand.NewPCG(seed, uint64(i))),
			budget: &budget, stats: stats,
		}
		traders[i] = tr
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for tr.step(ctx) {
			}
		}()
	}
	wg.Wait()
	for _, tr := range traders {
		require.NoError(t, tr.err)
	}
	return stats
}

type trader struct {
	c       *kalshi.Client
	rng     *rand.Rand
	budget  *atomic.Int64
	stats   *driveStats
	resting []*restingOrder
	err     error
}

type restingOrder struct {
	id, market string
	side       gen.BookSide
	price      int64 // cents
	total      money.Count
}

// take claims up to k actions of the budget.
func (tr *trader) take(k int) int {
	for {
		left := tr.budget.Load()
		if left <= 0 {
			return 0
		}
		n := min(int64(k), left)
		if tr.budget.CompareAndSwap(left, left-n) {
			tr.stats.actions.Add(n)
			return int(n)
		}
	}
}

// step performs one request: a batch of creates or cancels, or a single
// create, amend or decrease. It reports false when the budget is spent or
// a request failed outside the API.
func (tr *trader) step(ctx context.Context) bool {
	r := tr.rng.IntN(100)
	var err error
	switch {
	case r < 45:
		n := tr.take(1 + tr.rng.IntN(20))
		if n == 0 {
			return false
		}
		err = tr.createBatch(ctx, n)
	case r < 60 && len(tr.resting) > 0:
		n := tr.take(1 + tr.rng.IntN(min(10, len(tr.resting))))
		if n == 0 {
			return false
		}
		err = tr.cancelBatch(ctx, n)
	case r < 75 && len(tr.resting) > 0:
		if tr.take(1) == 0 {
			return false
		}
		err = tr.amend(ctx)
	case r < 90 && len(tr.resting) > 0:
		if tr.take(1) == 0 {
			return false
		}
		err = tr.decrease(ctx)
	default:
		if tr.take(1) == 0 {
			return false
		}
		err = tr.createOne(ctx)
	}
	var apiErr *kalshi.APIError
	if err != nil && !errors.As(err, &apiErr) {
		tr.err = err // refusals are part of the game; a failed request is not
		return false
	}
	return true
}

// newOrder draws an order: a quarter of them priced to cross the spread.
func (tr *trader) newOrder() gen.CreateOrderV2Request {
	rng := tr.rng
	side := gen.BookSide("bid")
	if rng.IntN(2) == 0 {
		side = "ask"
	}
	var cents int64
	switch cross := rng.IntN(4) == 0; {
	case side == "bid" && cross:
		cents = 51 + rng.Int64N(8)
	case side == "bid":
		cents = 49 - rng.Int64N(20)
	case cross:
		cents = 49 - rng.Int64N(8)
	default:
		cents = 51 + rng.Int64N(20)
	}
	count := money.CountFromInt(1 + rng.Int64N(20))
	if rng.IntN(10) == 0 {
		count = money.CountFromHundredths(1 + rng.Int64N(1999))
	}
	tif := gen.CreateOrderV2RequestTimeInForce("good_till_canceled")
	if rng.IntN(7) == 0 {
		tif = "immediate_or_cancel"
	}
	stp := gen.SelfTradePreventionType("taker_at_cross")
	if rng.IntN(5) == 0 {
		stp = "maker"
	}
	return gen.CreateOrderV2Request{
		Ticker: rndMarkets[rng.IntN(len(rndMarkets))], Side: side, Price: money.DollarsFromCents(cents),
		Count: count, TimeInForce: tif, SelfTradePreventionType: stp,
	}
}

func (tr *trader) placed(o gen.CreateOrderV2Request, id string, filled, remaining money.Count) {
	tr.stats.accepted.Add(1)
	if filled.Sign() > 0 {
		tr.stats.fills.Add(1)
	}
	if remaining.Sign() > 0 {
		cents, _ := o.Price.Cents()
		tr.resting = append(tr.resting, &restingOrder{id: id, market: o.Ticker, side: o.Side, price: cents, total: o.Count})
	}
}

func (tr *trader) createBatch(ctx context.Context, n int) error {
	orders := make([]gen.CreateOrderV2Request, n)
	for i := range orders {
		orders[i] = tr.newOrder()
	}
	res, err := tr.c.BatchCreateOrdersV2(ctx, gen.BatchCreateOrdersV2Request{Orders: orders})
	if err != nil {
		return err
	}
	for i, item := range res.Orders {
		if item.Error == nil && item.OrderID != nil && item.FillCount != nil && item.RemainingCount != nil {
			tr.placed(orders[i], *item.OrderID, *item.FillCount, *item.RemainingCount)
		}
	}
	return nil
}

func (tr *trader) createOne(ctx context.Context) error {
	o := tr.newOrder()
	res, err := tr.c.CreateOrderV2(ctx, o)
	if err != nil {
		return err
	}
	tr.placed(o, res.OrderID, res.FillCount, res.RemainingCount)
	return nil
}

// pick removes and returns a random resting order of the trader's.
func (tr *trader) pick() *restingOrder {
	i := tr.rng.IntN(len(tr.resting))
	o := tr.resting[i]
	tr.resting[i] = tr.resting[len(tr.resting)-1]
	tr.resting = tr.resting[:len(tr.resting)-1]
	return o
}

func (tr *trader) cancelBatch(ctx context.Context, n int) error {
	type item struct {
		OrderID string `json:"order_id"`
	}
	var items []item
	for range n {
		items = append(items, item{tr.pick().id})
	}
	b, err := json.Marshal(map[string]any{"orders": items})
	if err != nil {
		return err
	}
	var body gen.BatchCancelOrdersV2Request
	if err := json.Unmarshal(b, &body); err != nil {
		return err
	}
	res, err := tr.c.BatchCancelOrdersV2(ctx, body)
	if err != nil {
		return err
	}
	for _, it := range res.Orders {
		if it.Error == nil {
			tr.stats.accepted.Add(1)
		}
	}
	return nil
}

// amend moves a resting order's price by up to 3 cents either way (it may
// cross) and changes its total size.
func (tr *trader) amend(ctx context.Context) error {
	o := tr.pick()
	price := min(max(o.price+tr.rng.Int64N(7)-3, 1), 99)
	total := o.total.Add(money.CountFromInt(tr.rng.Int64N(6) - 2))
	if total.Sign() <= 0 {
		total = o.total
	}
	res, err := tr.c.AmendOrderV2(ctx, o.id, nil, gen.AmendOrderV2Request{
		Ticker: o.market, Side: o.side, Price: money.DollarsFromCents(price), Count: total,
	})
	if err != nil {
		return err // filled or canceled meanwhile, or not above the filled count: dropped
	}
	tr.stats.accepted.Add(1)
	if res.FillCount != nil && res.FillCount.Sign() > 0 {
		tr.stats.fills.Add(1)
	}
	if res.RemainingCount == nil || res.RemainingCount.Sign() > 0 {
		o.price, o.total = price, total
		tr.resting = append(tr.resting, o)
	}
	return nil
}

func (tr *trader) decrease(ctx context.Context) error {
	o := tr.pick()
	by := money.CountFromInt(1 + tr.rng.Int64N(3))
	res, err := tr.c.DecreaseOrderV2(ctx, o.id, nil, gen.DecreaseOrderV2Request{ReduceBy: &by})
	if err != nil {
		return err
	}
	tr.stats.accepted.Add(1)
	if res.RemainingCount.Sign() > 0 {
		tr.resting = append(tr.resting, o)
	}
	return nil
}
