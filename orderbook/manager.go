package orderbook

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"slices"
	"sync"

	"github.com/seed-c9ca4919/kalshi/ws"
)

// Source is a stream of orderbook_delta messages with a way to ask for fresh snapshots;
// *ws.Subscription is one.
type Source interface {
	Messages(ctx context.Context) iter.Seq2[ws.Message, error]
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
	m := &Manager{log: slog.New(slog.DiscardHandler), books: map[string]*entry{}}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Run feeds the manager from src until the stream ends (nil, or its error) or ctx is done
// (ctx's error). Run one manager per subscription. When the stream ends with an error (the
// connection gave up: a refused key, the reconnect limit), every book is marked stale, so
// none looks current once nothing keeps it so, and Run returns that error.
func (m *Manager) Run(ctx context.Context, src Source) error {
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
	for _, e := range m.books {
		e.mu.Lock()
		e.book.MarkStale()
		e.mu.Unlock()
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
