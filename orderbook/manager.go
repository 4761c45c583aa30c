package orderbook

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/seed-c9ca4919/kalshi/ws"
)

// Source is a stream of orderbook_delta messages with a way to ask for fresh snapshots;
// *ws.Subscription is one.
type Source interface {
	// Messages yields the stream's messages in order until the stream ends
	// (with a final error unless it was closed on purpose) or ctx is done.
	Messages(ctx context.Context) iter.Seq2[ws.Message, error]
	// Resync asks, without waiting, for fresh snapshots of every market of
	// the stream; it is called from the goroutine reading Messages.
	Resync()
}

// Manager keeps the books of every market of a subscription up to date and gives readers
// consistent copies while updates go on. Books go stale on a sequence gap, a resubscribe or
// a delta that does not fit, and are whole again at the next snapshot; Manager asks for that
// snapshot when the client has not already.
type Manager struct {
	opts []Option
	log  *slog.Logger

	mu    sync.RWMutex
	books map[string]*entry

	// Readers of Changes; nsubs lets the feed skip the lock when there are none.
	subsMu   sync.Mutex
	subs     map[*changes]struct{}
	nsubs    atomic.Int32
	stopped  chan struct{} // closed when Run returns
	stopOnce sync.Once
}

type entry struct {
	mu   sync.RWMutex
	book *Book
}

// ManagerOption configures a Manager.
type ManagerOption func(*Manager)

// WithBookOptions sets the options of every book the manager creates (for example
// WithYesPricing for a subscription made with UseYesPrice).
func WithBookOptions(opts ...Option) ManagerOption {
	return func(m *Manager) { m.opts = append(m.opts, opts...) }
}

// WithLogger sets the logger for resyncs and rejected deltas (default: discard).
func WithLogger(l *slog.Logger) ManagerOption {
	return func(m *Manager) {
		if l != nil {
			m.log = l
		}
	}
}

// NewManager returns a manager with no books.
func NewManager(opts ...ManagerOption) *Manager {
	m := &Manager{log: slog.New(slog.DiscardHandler), books: map[string]*entry{}, subs: map[*changes]struct{}{}, stopped: make(chan struct{})}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Run feeds the manager from src until the stream ends (nil, or its error) or ctx is done
// (ctx's error). Run one manager per subscription. When the stream ends with an error (the
// connection gave up: a refused key, the reconnect limit), every book is marked stale, so
// none looks current once nothing keeps it so, and Run returns that error. When Run returns
// the manager is stopped: its Changes sequences end.
func (m *Manager) Run(ctx context.Context, src Source) error {
	defer m.stopOnce.Do(func() { close(m.stopped) })
	for msg, err := range src.Messages(ctx) {
		if err != nil {
			if ctx.Err() == nil {
				m.markAllStale()
			}
			return err
		}
		if m.Handle(msg) {
			src.Resync()
		}
	}
	return nil
}

// Handle applies one message of the stream and reports whether the books need fresh
// snapshots that nobody has asked for yet. Run calls it; call it yourself to feed the
// manager from elsewhere.
func (m *Manager) Handle(msg ws.Message) (needResync bool) {
	switch v := msg.(type) {
	case *ws.OrderbookSnapshot:
		e := m.entry(v.MarketTicker)
		e.mu.Lock()
		err := e.book.ApplySnapshot(v)
		e.mu.Unlock()
		m.changed(v.MarketTicker)
		if err != nil {
			m.log.Warn("orderbook: snapshot rejected", "market", v.MarketTicker, "err", err)
			return true
		}
	case *ws.OrderbookDelta:
		e := m.entry(v.MarketTicker)
		e.mu.Lock()
		err := e.book.ApplyDelta(v)
		e.mu.Unlock()
		switch {
		case err == nil:
			m.changed(v.MarketTicker)
		case errors.Is(err, ErrStale):
			// Waiting for the snapshot already asked for: deltas before it are superseded.
		case errors.Is(err, ErrNoSnapshot):
			// Kalshi sends a market's snapshot before its deltas, so this one was lost.
			m.log.Warn("orderbook: delta before any snapshot; resyncing", "market", v.MarketTicker)
			return true
		default:
			m.log.Warn("orderbook: delta rejected; resyncing", "market", v.MarketTicker, "err", err)
			e.mu.Lock()
			e.book.MarkStale()
			e.mu.Unlock()
			m.changed(v.MarketTicker)
			return true
		}
	case *ws.Gap:
		m.markAllStale()
		return !v.Resync
	case *ws.Resubscribed:
		// New snapshots follow on the new subscription.
		m.markAllStale()
	case *ws.Disconnected:
		// Nothing arrives until the subscription is restored, with new snapshots.
		m.markAllStale()
	case *ws.Error:
		if v.Code.Terminal() {
			m.markAllStale()
		}
	}
	return false
}

func (m *Manager) entry(market string) *entry {
	m.mu.RLock()
	e := m.books[market]
	m.mu.RUnlock()
	if e != nil {
		return e
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if e = m.books[market]; e == nil {
		e = &entry{book: NewBook(market, m.opts...)}
		m.books[market] = e
	}
	return e
}

func (m *Manager) markAllStale() {
	m.mu.RLock()
	defer m.mu.RUnlock()
	for market, e := range m.books {
		e.mu.Lock()
		was := e.book.Stale()
		e.book.MarkStale()
		e.mu.Unlock()
		if !was {
			m.changed(market)
		}
	}
}

// Book returns a copy of a market's book, consistent as of one moment, that the caller
// owns; ok is false when the market has no book. Check Ready on the copy: a stale or
// not-yet-snapshotted book is returned too.
func (m *Manager) Book(market string) (b *Book, ok bool) {
	m.mu.RLock()
	e := m.books[market]
	m.mu.RUnlock()
	if e == nil {
		return nil, false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.book.Clone(), true
}

// View calls f with a market's live book under a read lock, for reads that need no copy
// (best bid and ask, say). f must not keep the book or call back into the manager.
func (m *Manager) View(market string, f func(*Book)) bool {
	m.mu.RLock()
	e := m.books[market]
	m.mu.RUnlock()
	if e == nil {
		return false
	}
	e.mu.RLock()
	defer e.mu.RUnlock()
	f(e.book)
	return true
}

// Markets returns the markets that have a book, sorted.
func (m *Manager) Markets() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]string, 0, len(m.books))
	for k := range m.books {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// changes is one reader of Changes: the markets changed since it last looked, in the order
// of their first change, each once.
type changes struct {
	pending []string
	set     map[string]struct{}
	wake    chan struct{} // holds one token while pending is not empty
}

// changed tells every reader of Changes that market's book changed. It never blocks on a
// reader: a market already pending is not added again, and the wake-up is a token in a
// one-slot channel.
func (m *Manager) changed(market string) {
	if m.nsubs.Load() == 0 {
		return
	}
	m.subsMu.Lock()
	defer m.subsMu.Unlock()
	for c := range m.subs {
		if _, ok := c.set[market]; ok {
			continue
		}
		c.set[market] = struct{}{}
		c.pending = append(c.pending, market)
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// take returns and clears a reader's pending markets.
func (m *Manager) take(c *changes) []string {
	m.subsMu.Lock()
	defer m.subsMu.Unlock()
	out := c.pending
	c.pending = nil
	clear(c.set)
	return out
}

// Changes returns the tickers of books as they change, for a program that acts on every
// move of the books (a market maker re-quoting, say), without feeding the manager itself.
//
// A book changes when a snapshot or a delta is applied to it, and when it goes stale (a
// gap, a reconnect, a rejected delta): check Ready on the book before trusting it. The
// sequence coalesces: a ticker is yielded once however many times its book changed since
// it was last yielded, so a slow reader skips intermediate states and always reads the
// current book with Book or View; it never sees a change twice, nor misses the last one.
// Tickers come in the order of their first change since the reader last caught up. When
// the loop starts, the ticker of every book that already exists is yielded first, so no
// change made before the loop began goes unseen.
//
// The feed never waits for a reader: Handle only records the ticker, so a reader that is
// slow or stopped costs memory bounded by the number of markets, never throughput. Each
// call of Changes (each range loop) is an independent reader; several may run at once.
// The sequence ends when ctx is done, or when the manager stops (Run returns), after the
// changes still pending are yielded.
func (m *Manager) Changes(ctx context.Context) iter.Seq[string] {
	return func(yield func(string) bool) {
		c := &changes{set: map[string]struct{}{}, wake: make(chan struct{}, 1)}
		m.mu.RLock()
		m.subsMu.Lock()
		for market := range m.books {
			c.set[market] = struct{}{}
			c.pending = append(c.pending, market)
		}
		slices.Sort(c.pending)
		if len(c.pending) > 0 {
			c.wake <- struct{}{}
		}
		m.subs[c] = struct{}{}
		m.nsubs.Add(1)
		m.subsMu.Unlock()
		m.mu.RUnlock()
		defer func() {
			m.subsMu.Lock()
			delete(m.subs, c)
			m.nsubs.Add(-1)
			m.subsMu.Unlock()
		}()
		for {
			stopped := false
			select {
			case <-ctx.Done():
				return
			case <-c.wake:
			case <-m.stopped:
				stopped = true
			}
			for _, market := range m.take(c) {
				if ctx.Err() != nil || !yield(market) {
					return
				}
			}
			if stopped {
				return
			}
		}
	}
}
