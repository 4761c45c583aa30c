package orderbook_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

func TestFromREST(t *testing.T) {
	resp := &gen.GetMarketOrderbookResponse{OrderbookFp: gen.OrderbookCountFp{
		YesDollars: []gen.PriceLevelDollarsCountFp{lv("0.40", "5"), lv("0.42", "3")},
		NoDollars:  []gen.PriceLevelDollarsCountFp{lv("0.55", "7")},
	}}
	for _, opts := range [][]orderbook.Option{nil, {orderbook.WithYesPricing()}} {
		b, err := orderbook.FromREST("M", resp, opts...)
		require.NoError(t, err)
		assert.True(t, b.Ready())
		assert.Equal(t, "M", b.Market())
		bid, _ := b.BestYesBid()
		ask, _ := b.BestYesAsk()
		assert.Equal(t, lv("0.42", "3"), bid)
		assert.Equal(t, lv("0.45", "7"), ask, "NO levels are in NO prices whatever the options")
		assert.Equal(t, 2, b.Len(orderbook.Yes))
	}
	// The options stay in force for what follows.
	b, err := orderbook.FromREST("M", resp, orderbook.WithYesPricing())
	require.NoError(t, err)
	require.NoError(t, b.ApplyDelta(dl("M", ws.No, "0.45", "1"))) // yes-leg price 0.45 is NO 0.55
	assert.Equal(t, c("8"), b.SizeAt(orderbook.No, d("0.45")))

	empty, err := orderbook.FromREST("E", &gen.GetMarketOrderbookResponse{})
	require.NoError(t, err)
	assert.True(t, empty.Ready())
	_, ok := empty.BestYesBid()
	assert.False(t, ok)

	_, err = orderbook.FromREST("M", nil)
	assert.ErrorIs(t, err, orderbook.ErrInvalid)
	_, err = orderbook.FromREST("M", &gen.GetMarketOrderbookResponse{OrderbookFp: gen.OrderbookCountFp{YesDollars: []gen.PriceLevelDollarsCountFp{lv("1.5", "1")}}})
	assert.ErrorIs(t, err, orderbook.ErrInvalid)
}

// TestFromRESTRecorded builds a book from an answer Kalshi sent.
func TestFromRESTRecorded(t *testing.T) {
	p := filepath.Join("..", "..", "shared", "fixtures", "orderbook", "fortuna_fp_demo_2026-06-11.json")
	raw, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("the recorded order book is not beside the repository (../shared); skipping")
	}
	require.NoError(t, err)
	var resp gen.GetMarketOrderbookResponse
	require.NoError(t, json.Unmarshal(raw, &resp))
	b, err := orderbook.FromREST("KX", &resp)
	require.NoError(t, err)
	assert.Equal(t, len(resp.OrderbookFp.YesDollars), b.Len(orderbook.Yes))
	assert.Equal(t, len(resp.OrderbookFp.NoDollars), b.Len(orderbook.No))
	if n := len(resp.OrderbookFp.YesDollars); n > 0 {
		bid, _ := b.BestYesBid()
		assert.Equal(t, resp.OrderbookFp.YesDollars[n-1], bid, "Kalshi lists levels in ascending price")
	}
}

// next reads one ticker from a Changes loop running in the background.
func collect(ctx context.Context, m *orderbook.Manager) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for market := range m.Changes(ctx) {
			out <- market
		}
	}()
	return out
}

func recv(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case s, ok := <-ch:
		require.True(t, ok, "the sequence ended")
		return s
	case <-time.After(waitLong):
		t.Fatal("no change reported")
		return ""
	}
}

// TestChangesCoalesces: while the reader is busy, many changes of a book are
// reported once, in the order of first change, and the feed never waits.
func TestChangesCoalesces(t *testing.T) {
	t.Parallel()
	m := orderbook.NewManager()
	m.Handle(snap("B", []orderbook.Level{lv("0.30", "10")}, nil))
	m.Handle(snap("A", []orderbook.Level{lv("0.30", "10")}, nil))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := make(chan struct{})
	got := make(chan string, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for market := range m.Changes(ctx) {
			got <- market
			<-release // a slow reader
		}
	}()
	// The books that existed when the loop started come first, sorted.
	assert.Equal(t, "A", <-got)
	// The reader is stuck; the feed goes on.
	for range 1000 {
		m.Handle(dl("C", ws.Yes, "0.30", "1")) // before any snapshot: C has a book, not ready
		m.Handle(dl("B", ws.Yes, "0.30", "1"))
		m.Handle(dl("B", ws.Yes, "0.30", "-1"))
	}
	m.Handle(snap("C", nil, nil))
	release <- struct{}{}
	assert.Equal(t, "B", <-got, "B was pending from the start")
	release <- struct{}{}
	// Then each book changed while the reader was busy, once: B's thousand
	// deltas, C's snapshot.
	var rest []string
	for range 2 {
		rest = append(rest, <-got)
		release <- struct{}{}
	}
	assert.ElementsMatch(t, []string{"B", "C"}, rest)
	select {
	case s := <-got:
		t.Fatalf("reported again: %s", s)
	case <-time.After(20 * time.Millisecond):
	}
	cancel()
	<-done
}

// TestChangesStaleness: going stale is a change, staying stale is not.
func TestChangesStaleness(t *testing.T) {
	t.Parallel()
	m := orderbook.NewManager()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := collect(ctx, m)
	m.Handle(snap("A", []orderbook.Level{lv("0.30", "10")}, nil))
	assert.Equal(t, "A", recv(t, ch))
	m.Handle(&ws.Gap{Resync: true})
	assert.Equal(t, "A", recv(t, ch))
	b, _ := m.Book("A")
	assert.False(t, b.Ready())
	m.Handle(&ws.Disconnected{})                  // already stale: no change
	m.Handle(dl("A", ws.Yes, "0.30", "1"))        // refused while stale: no change
	m.Handle(snap("A", nil, []orderbook.Level{})) // whole again
	assert.Equal(t, "A", recv(t, ch))
	m.Handle(dl("A", ws.Yes, "0.30", "-1")) // would go negative: rejected, stale
	assert.Equal(t, "A", recv(t, ch))
	select {
	case s := <-ch:
		t.Fatalf("reported again: %s", s)
	case <-time.After(20 * time.Millisecond):
	}
}

// TestChangesEnds: the sequence ends with ctx, and when Run returns, after
// the changes still pending; readers are independent.
func TestChangesEnds(t *testing.T) {
	t.Parallel()
	m := orderbook.NewManager()
	ctx, cancel := context.WithCancel(context.Background())
	first, second := collect(ctx, m), collect(context.Background(), m)
	m.Handle(snap("A", nil, nil))
	assert.Equal(t, "A", recv(t, first))
	assert.Equal(t, "A", recv(t, second))
	cancel()
	_, ok := <-first
	assert.False(t, ok, "ends with its context")

	src := &fakeSource{ch: make(chan ws.Message, 1)}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background(), src) }()
	src.ch <- snap("B", nil, nil)
	close(src.ch)
	require.NoError(t, <-done)
	assert.Equal(t, "B", recv(t, second), "a change pending when Run returned is still yielded")
	_, ok = <-second
	assert.False(t, ok, "ends when the manager stops")

	for range m.Changes(context.Background()) {
		// A stopped manager yields the books it has, then ends.
	}
}

// TestChangesEndToEnd follows the fake exchange's books: each order placed
// is reported as a change of its market, after which the managed book
// equals the one the REST API returns.
func TestChangesEndToEnd(t *testing.T) {
	e := newBookEnv(t)
	conn := e.dial(t)
	m, _ := follow(t, conn, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: allMarkets})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := collect(ctx, m)
	seen := map[string]bool{}
	for len(seen) < len(allMarkets) {
		seen[recv(t, ch)] = true
	}
	require.True(t, allReady(m, allMarkets...))

	market := rndMarkets[1]
	for i, price := range []string{"0.41", "0.42", "0.43"} {
		e.place(t, market, gen.BookSideBid, price, "2")
		for {
			got := recv(t, ch)
			require.Contains(t, allMarkets, got)
			if b, _ := m.Book(market); got == market && b.SizeAt(orderbook.Yes, d(price)).Cmp(c("2")) == 0 {
				break
			}
		}
		resp, err := e.rest.GetMarketOrderbook(ctxFor(t), market, nil)
		require.NoError(t, err)
		rest, err := orderbook.FromREST(market, resp)
		require.NoError(t, err)
		local, _ := m.Book(market)
		require.True(t, local.Equal(rest), "after order %d:\n stream %v\n rest   %v", i, local, rest)
	}
}

// BenchmarkHandleDelta measures Manager.Handle on deltas, with no reader of
// Changes and with one that is never scheduled to catch up: what a reader
// costs the feed.
func BenchmarkHandleDelta(b *testing.B) {
	for _, readers := range []int{0, 1} {
		b.Run(map[int]string{0: "no-reader", 1: "one-reader"}[readers], func(b *testing.B) {
			m := orderbook.NewManager()
			m.Handle(snap("A", []orderbook.Level{lv("0.30", "10")}, nil))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if readers > 0 {
				started := make(chan struct{})
				go func() {
					for range m.Changes(ctx) {
						close(started)
						<-ctx.Done()
					}
				}()
				<-started
			}
			up, down := dl("A", ws.Yes, "0.30", "1"), dl("A", ws.Yes, "0.30", "-1")
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					m.Handle(up)
				} else {
					m.Handle(down)
				}
			}
		})
	}
}
