package orderbook

import (
	"errors"
	"fmt"
	"slices"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// Side is a side of a market's book: Yes or No. Both ladders hold bids.
type Side = ws.Side

// The two sides.
const (
	Yes = ws.Yes
	No  = ws.No
)

// Level is a price level: a price and the contracts resting there.
type Level = ws.Level

// Errors of Book. A book that returned ErrNegativeLevel, ErrNoSnapshot or ErrStale needs a
// fresh snapshot; Manager asks for one itself.
var (
	// ErrNoSnapshot is returned for a delta that arrives before any snapshot of the book:
	// without the base it changes, a delta cannot be applied.
	ErrNoSnapshot = errors.New("orderbook: delta before any snapshot")
	// ErrNegativeLevel is returned when a delta would leave a level below zero contracts. The
	// book no longer matches the exchange's; it is marked stale and refuses deltas until the
	// next snapshot.
	ErrNegativeLevel = errors.New("orderbook: delta takes a level below zero")
	// ErrStale is returned for deltas to a book marked stale, until a snapshot arrives.
	ErrStale = errors.New("orderbook: book is stale, waiting for a snapshot")
	// ErrMarket is returned for a message about another market.
	ErrMarket = errors.New("orderbook: message is for another market")
	// ErrInvalid is returned for a snapshot or delta that cannot describe a book: an unknown
	// side, a price outside [0, 1] dollars, a negative size in a snapshot.
	ErrInvalid = errors.New("orderbook: invalid book data")
	// ErrOverflow is returned when a level's size would pass what a Count can hold. The book
	// is marked stale: it can no longer be right, and it is never left holding a wrapped,
	// negative size.
	ErrOverflow = errors.New("orderbook: a level's size overflows")
)

// level is a price level in raw units: micro-dollars and hundredths of a contract.
type level struct {
	price int64
	size  int64
}

// ladder is one side's bids in ascending price order, so the best bid is the last element.
// Kalshi books hold at most a few hundred levels on a bounded price grid, where a sorted
// slice beats maps and trees: binary search to find a level, a short memmove to insert or
// remove one, and the best bid in O(1).
type ladder []level

func (l ladder) find(price int64) (int, bool) {
	lo, hi := 0, len(l)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if l[m].price < price {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo, lo < len(l) && l[lo].price == price
}

const oneDollar = 1_000_000 // micro-dollars

// Book is the exact order book of one market, built from an orderbook_snapshot and the
// orderbook_delta messages that follow it. It keeps YES bids and NO bids; asks are derived
// (a YES ask at p is a NO bid at 1 − p). A Book is not safe for concurrent use; Manager
// shares books between goroutines.
type Book struct {
	market     string
	yes, no    ladder
	ready      bool
	stale      bool
	seq        int64
	yesPricing bool
}

// Option configures a Book.
type Option func(*Book)

// WithYesPricing says NO levels arrive in yes-leg prices, as on a subscription made with
// use_yes_price: a NO bid reported at q is stored at 1 − q.
func WithYesPricing() Option { return func(b *Book) { b.yesPricing = true } }

// NewBook returns an empty book of market awaiting its first snapshot.
func NewBook(market string, opts ...Option) *Book {
	b := &Book{market: market}
	for _, o := range opts {
		o(b)
	}
	return b
}

// Market returns the book's market ticker.
func (b *Book) Market() string { return b.market }

// Ready reports whether the book holds a snapshot and has not gone stale since.
func (b *Book) Ready() bool { return b.ready && !b.stale }

// Stale reports whether the book was marked stale and waits for a snapshot.
func (b *Book) Stale() bool { return b.stale }

// MarkStale marks the book as no longer trustworthy (after a sequence gap, say); deltas are
// refused until the next snapshot.
func (b *Book) MarkStale() { b.stale = true }

// Seq returns the sequence number of the last message applied (0 if unknown).
func (b *Book) Seq() int64 { return b.seq }

func (b *Book) side(s Side) (*ladder, error) {
	switch s {
	case Yes:
		return &b.yes, nil
	case No:
		return &b.no, nil
	}
	return nil, fmt.Errorf("%w: side %q", ErrInvalid, s)
}

// price converts a reported price of side s to the stored one.
func (b *Book) price(s Side, p money.Dollars) (int64, error) {
	v := p.Micros()
	if v < 0 || v > oneDollar {
		return 0, fmt.Errorf("%w: price %s", ErrInvalid, p)
	}
	if b.yesPricing && s == No {
		v = oneDollar - v
	}
	return v, nil
}

// Apply applies a snapshot or delta and ignores other messages.
func (b *Book) Apply(m ws.Message) error {
	switch m := m.(type) {
	case *ws.OrderbookSnapshot:
		return b.ApplySnapshot(m)
	case *ws.OrderbookDelta:
		return b.ApplyDelta(m)
	}
	return nil
}

// ApplySnapshot replaces the book with the snapshot's levels. A side the snapshot omits is
// empty; levels of size zero are left out; repeated prices add up. On error the levels are
// unchanged and the book is marked stale: the snapshot said they are no longer right.
func (b *Book) ApplySnapshot(s *ws.OrderbookSnapshot) error {
	if s.MarketTicker != "" && b.market != "" && s.MarketTicker != b.market {
		return fmt.Errorf("%w: snapshot of %s applied to %s", ErrMarket, s.MarketTicker, b.market)
	}
	yes, err := b.build(Yes, s.Yes, b.yes[:0:0])
	if err != nil {
		b.stale = true
		return err
	}
	no, err := b.build(No, s.No, b.no[:0:0])
	if err != nil {
		b.stale = true
		return err
	}
	if b.market == "" {
		b.market = s.MarketTicker
	}
	b.yes, b.no = yes, no
	b.ready, b.stale, b.seq = true, false, s.Seq
	return nil
}

func (b *Book) build(s Side, levels []Level, out ladder) (ladder, error) {
	out = slices.Grow(out, len(levels))
	for _, l := range levels {
		p, err := b.price(s, l.Price)
		if err != nil {
			return nil, err
		}
		n := l.Count.Hundredths()
		if n < 0 {
			return nil, fmt.Errorf("%w: %s level %s has size %s", ErrInvalid, s, l.Price, l.Count)
		}
		if n > 0 {
			out = append(out, level{p, n})
		}
	}
	slices.SortStableFunc(out, func(a, b level) int { return int(a.price - b.price) })
	// Merge repeated prices.
	merged := out[:0]
	for _, l := range out {
		if k := len(merged); k > 0 && merged[k-1].price == l.price {
			sum, ok := addSize(merged[k-1].size, l.size)
			if !ok {
				return nil, fmt.Errorf("%w: %s %s at %s: %s + %s", ErrOverflow, b.market, s,
					money.DollarsFromMicros(l.price), money.CountFromHundredths(merged[k-1].size), money.CountFromHundredths(l.size))
			}
			merged[k-1].size = sum
			continue
		}
		merged = append(merged, l)
	}
	return merged, nil
}

// ApplyDelta changes one level by the delta's size. A level brought to exactly zero is
// removed; one that would go below zero is not changed, the book is marked stale and
// ErrNegativeLevel returned. Deltas before any snapshot return ErrNoSnapshot.
func (b *Book) ApplyDelta(d *ws.OrderbookDelta) error {
	switch {
	case d.MarketTicker != "" && b.market != "" && d.MarketTicker != b.market:
		return fmt.Errorf("%w: delta of %s applied to %s", ErrMarket, d.MarketTicker, b.market)
	case !b.ready:
		return ErrNoSnapshot
	case b.stale:
		return ErrStale
	}
	l, err := b.side(d.Side)
	if err != nil {
		return err
	}
	p, err := b.price(d.Side, d.Price)
	if err != nil {
		return err
	}
	delta := d.Delta.Hundredths()
	i, found := l.find(p)
	var size int64
	if found {
		size = (*l)[i].size
	}
	prev := size
	size, ok := addSize(size, delta)
	switch {
	case !ok:
		b.stale = true
		return fmt.Errorf("%w: %s %s at %s: %s + %s", ErrOverflow, b.market, d.Side, d.Price,
			money.CountFromHundredths(prev), d.Delta)
	case size < 0:
		b.stale = true
		return fmt.Errorf("%w: %s %s at %s: %s + %s", ErrNegativeLevel, b.market, d.Side, d.Price,
			money.CountFromHundredths(size-delta), d.Delta)
	case size == 0:
		if found {
			*l = slices.Delete(*l, i, i+1)
		}
	case found:
		(*l)[i].size = size
	default:
		*l = slices.Insert(*l, i, level{p, size})
	}
	if d.Seq != 0 {
		b.seq = d.Seq
	}
	return nil
}

// addSize adds two sizes in hundredths; ok is false when the sum would
// overflow.
func addSize(a, b int64) (sum int64, ok bool) {
	sum = a + b
	return sum, (sum^a)&(sum^b) >= 0
}

func (l level) export() Level {
	return Level{Price: money.DollarsFromMicros(l.price), Count: money.CountFromHundredths(l.size)}
}

func (b *Book) ladder(s Side) ladder {
	if s == No {
		return b.no
	}
	if s == Yes {
		return b.yes
	}
	return nil
}

// BestBid returns the highest bid of a side; ok is false when the side is empty.
func (b *Book) BestBid(s Side) (best Level, ok bool) {
	l := b.ladder(s)
	if len(l) == 0 {
		return Level{}, false
	}
	return l[len(l)-1].export(), true
}

// BestYesBid returns the highest YES bid.
func (b *Book) BestYesBid() (Level, bool) { return b.BestBid(Yes) }

// BestNoBid returns the highest NO bid.
func (b *Book) BestNoBid() (Level, bool) { return b.BestBid(No) }

// BestAsk returns the lowest ask of a side, derived from the other side's best bid: a YES
// ask at 1 − p with the size of the NO bid at p, and the other way round.
func (b *Book) BestAsk(s Side) (Level, bool) {
	other := No
	if s == No {
		other = Yes
	} else if s != Yes {
		return Level{}, false
	}
	bid, ok := b.BestBid(other)
	if !ok {
		return Level{}, false
	}
	return Level{Price: money.One.Sub(bid.Price), Count: bid.Count}, true
}

// BestYesAsk returns the lowest YES ask: 1 − the best NO bid.
func (b *Book) BestYesAsk() (Level, bool) { return b.BestAsk(Yes) }

// BestNoAsk returns the lowest NO ask: 1 − the best YES bid.
func (b *Book) BestNoAsk() (Level, bool) { return b.BestAsk(No) }

// Spread returns the YES ask minus the YES bid (equal to the NO spread); ok is false when
// either side is empty. A crossed book gives a negative spread.
func (b *Book) Spread() (money.Dollars, bool) {
	bid, ok1 := b.BestYesBid()
	ask, ok2 := b.BestYesAsk()
	if !ok1 || !ok2 {
		return money.Dollars{}, false
	}
	return ask.Price.Sub(bid.Price), true
}

// Depth returns up to n bids of a side, best (highest price) first; n <= 0 means all.
func (b *Book) Depth(s Side, n int) []Level {
	l := b.ladder(s)
	if n <= 0 || n > len(l) {
		n = len(l)
	}
	out := make([]Level, n)
	for i := range n {
		out[i] = l[len(l)-1-i].export()
	}
	return out
}

// SizeAt returns the contracts bid at price on a side (zero when there is no level). With
// WithYesPricing, a NO price is in yes-leg terms, as the subscription reports it.
func (b *Book) SizeAt(s Side, price money.Dollars) money.Count {
	p, err := b.price(s, price)
	if err != nil {
		return money.Count{}
	}
	l := b.ladder(s)
	if i, ok := l.find(p); ok {
		return money.CountFromHundredths(l[i].size)
	}
	return money.Count{}
}

// Len returns the number of levels of a side.
func (b *Book) Len(s Side) int { return len(b.ladder(s)) }

// Clone returns an independent copy of the book.
func (b *Book) Clone() *Book {
	c := *b
	c.yes = slices.Clone(b.yes)
	c.no = slices.Clone(b.no)
	return &c
}

// Snapshot returns the book as an orderbook_snapshot message: levels in ascending price,
// as Kalshi sends them, NO prices in no-leg terms.
func (b *Book) Snapshot() *ws.OrderbookSnapshot {
	s := &ws.OrderbookSnapshot{Envelope: ws.Envelope{Type: ws.TypeOrderbookSnapshot, Seq: b.seq}, MarketTicker: b.market}
	for _, l := range b.yes {
		s.Yes = append(s.Yes, l.export())
	}
	for _, l := range b.no {
		s.No = append(s.No, l.export())
	}
	return s
}

// Equal reports whether two books hold the same market and the same levels.
func (b *Book) Equal(o *Book) bool {
	return b.market == o.market && slices.Equal(b.yes, o.yes) && slices.Equal(b.no, o.no)
}

// String renders the book compactly, best bids first, for logs and test failures.
func (b *Book) String() string {
	return fmt.Sprintf("%s yes%v no%v", b.market, b.Depth(Yes, 0), b.Depth(No, 0))
}

// FromREST returns the book of market built from the answer of the REST call
// GetMarketOrderbook (GET /markets/{ticker}/orderbook), which carries no ticker, hence the
// market argument. The book is ready, at sequence 0: it is the exchange's book at the time
// of the answer, and no WebSocket delta follows on from it, so use it for a one-off look
// (or a check against a streamed book), not as the base of a stream. The answer's NO levels
// are in NO prices whatever the options say. An answer requested with a depth holds only
// that many levels per side, and so does the book. Errors are those of ApplySnapshot.
func FromREST(market string, resp *gen.GetMarketOrderbookResponse, opts ...Option) (*Book, error) {
	b := NewBook(market, opts...)
	if resp == nil {
		return nil, fmt.Errorf("%w: no order book answer for %s", ErrInvalid, market)
	}
	yesPricing := b.yesPricing
	b.yesPricing = false
	err := b.ApplySnapshot(&ws.OrderbookSnapshot{MarketTicker: market, Yes: resp.OrderbookFp.YesDollars, No: resp.OrderbookFp.NoDollars})
	b.yesPricing = yesPricing
	if err != nil {
		return nil, err
	}
	return b, nil
}
