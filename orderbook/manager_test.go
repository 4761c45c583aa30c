package orderbook_test

import (
	"context"
	"iter"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

var _ orderbook.Source = (*ws.Subscription)(nil)

// fakeSource replays messages and counts resync requests.
type fakeSource struct {
	ch      chan ws.Message
	resyncs atomic.Int32
}

func (f *fakeSource) Messages(ctx context.Context) iter.Seq2[ws.Message, error] {
	return func(yield func(ws.Message, error) bool) {
		for {
			select {
			case m, ok := <-f.ch:
				if !ok || !yield(m, nil) {
					return
				}
			case <-ctx.Done():
				yield(nil, ctx.Err())
				return
			}
		}
	}
}

func (f *fakeSource) Resync() { f.resyncs.Add(1) }

func TestManagerResyncs(t *testing.T) {
	t.Parallel()
	m := orderbook.NewManager()
	ready := func(market string) bool {
		b, ok := m.Book(market)
		return ok && b.Ready()
	}
	if m.Handle(snap("A", []orderbook.Level{lv("0.30", "10")}, nil)) || m.Handle(snap("B", nil, []orderbook.Level{lv("0.60", "1")})) {
		t.Fatal("snapshots asked for a resync")
	}
	if m.Handle(dl("A", ws.Yes, "0.30", "-4")) {
		t.Fatal("good delta asked for a resync")
	}
	// The client reports a gap and has already asked for snapshots: books go stale and
	// deltas before the snapshot are ignored, without asking again.
	if m.Handle(&ws.Gap{Expected: 5, Got: 7, Resync: true}) {
		t.Error("gap with resync under way asked again")
	}
	if ready("A") || ready("B") {
		t.Fatal("books ready after a gap")
	}
	if m.Handle(dl("A", ws.Yes, "0.30", "-100")) {
		t.Error("delta on a stale book asked for a resync")
	}
	m.Handle(snap("A", []orderbook.Level{lv("0.31", "2")}, nil))
	if !ready("A") || ready("B") {
		t.Error("only A has a new snapshot")
	}
	if b, _ := m.Book("A"); b.SizeAt(orderbook.Yes, d("0.31")) != c("2") || b.Len(orderbook.Yes) != 1 {
		t.Errorf("A after resync: %v", b)
	}
	// A delta that does not fit the book: stale, and a resync is needed.
	if !m.Handle(dl("A", ws.Yes, "0.31", "-3")) {
		t.Error("negative level did not ask for a resync")
	}
	// A delta of a market never snapshotted: the snapshot was lost.
	if !m.Handle(dl("C", ws.No, "0.50", "1")) {
		t.Error("delta before snapshot did not ask for a resync")
	}
	m.Handle(snap("A", nil, nil))
	m.Handle(&ws.Resubscribed{NewSID: 9})
	if ready("A") {
		t.Error("book ready after a resubscribe, before its new snapshot")
	}
	m.Handle(snap("A", nil, nil))
	m.Handle(&ws.Error{Code: ws.CodeSubscriptionBufferFull})
	if ready("A") {
		t.Error("book ready after a terminal error")
	}
	if got := m.Markets(); len(got) != 3 || got[0] != "A" || got[2] != "C" {
		t.Errorf("markets %v", got)
	}
}

// TestManagerRunWithReaders feeds a manager while readers take copies; run with -race.
// Each copy must be a state the book really had: every update is a snapshot whose YES sizes
// at 0.10 and 0.20 add up to 100, so a torn copy would show another sum.
func TestManagerRunWithReaders(t *testing.T) {
	t.Parallel()
	m := orderbook.NewManager()
	src := &fakeSource{ch: make(chan ws.Message, 16)}
	done := make(chan error, 1)
	go func() { done <- m.Run(context.Background(), src) }()

	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				b, ok := m.Book("A")
				if !ok || !b.Ready() {
					continue
				}
				sum := b.SizeAt(orderbook.Yes, d("0.10")).Add(b.SizeAt(orderbook.Yes, d("0.20")))
				if sum != c("100") {
					t.Errorf("inconsistent copy: %v", b)
					return
				}
			}
		}()
	}
	for i := range 2000 {
		a := i % 101
		src.ch <- snap("A", []orderbook.Level{
			{Price: d("0.10"), Count: money.CountFromInt(int64(a))},
			{Price: d("0.20"), Count: money.CountFromInt(int64(100 - a))},
		}, nil)
	}
	close(src.ch)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if b, _ := m.Book("A"); b.SizeAt(orderbook.Yes, d("0.10")) != c("80") {
		t.Errorf("final book %v", b)
	}
}

func TestManagerRunAsksSourceToResync(t *testing.T) {
	t.Parallel()
	m := orderbook.NewManager()
	src := &fakeSource{ch: make(chan ws.Message, 4)}
	src.ch <- snap("A", nil, nil)
	src.ch <- dl("A", ws.No, "0.40", "-1")
	src.ch <- &ws.Gap{Dropped: 3} // a gap the client did not resync
	close(src.ch)
	if err := m.Run(context.Background(), src); err != nil {
		t.Fatal(err)
	}
	if got := src.resyncs.Load(); got != 2 {
		t.Errorf("%d resyncs, want 2", got)
	}
}

// TestRecordedFrames replays recorded Kalshi frames: a snapshot with one level a side, and
// deltas that take each level to exactly zero.
func TestRecordedFrames(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "shared", "fixtures")
	read := func(name string) ws.Message {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("recorded frames not found (%v); they live in ../shared beside the repository", err)
		}
		m, err := ws.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	s := read("ws_orderbook_snapshot/fortuna_demo_one_level_each_side.json").(*ws.OrderbookSnapshot)
	b := orderbook.NewBook(s.MarketTicker)
	mustApply(t, b, s)
	if got, _ := b.Spread(); got != d("0.01") {
		t.Errorf("spread %v (yes bid 0.47, no bid 0.52)", got)
	}
	mustApply(t, b, read("ws_orderbook_delta/fortuna_demo_no_negative.json"))
	if b.Len(orderbook.No) != 0 || b.SizeAt(orderbook.No, d("0.52")) != c("0") {
		t.Errorf("NO level left after delta to zero: %v", b)
	}
	mustApply(t, b, read("ws_orderbook_delta/fortuna_demo_noleg_yes_negative.json"))
	if b.Len(orderbook.Yes) != 0 {
		t.Errorf("YES level left after delta to zero: %v", b)
	}
}
