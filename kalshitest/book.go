package kalshitest

import (
	"sort"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// bookSide is the side of the YES book: bid buys YES, ask sells YES
// (which is buying NO at 1 − price).
type bookSide string

const (
	bid bookSide = "bid"
	ask bookSide = "ask"
)

func (s bookSide) opposite() bookSide {
	if s == bid {
		return ask
	}
	return bid
}

// outcome is the outcome the side is exposed to: bid → yes, ask → no.
func (s bookSide) outcome() string {
	if s == bid {
		return "yes"
	}
	return "no"
}

// outcomePrice is what one contract costs the side at YES price p.
func (s bookSide) outcomePrice(p money.Dollars) money.Dollars {
	if s == bid {
		return p
	}
	return money.One.Sub(p)
}

// order is one order, resting or done.
type order struct {
	id, clientID, userID, ticker string
	side                         bookSide
	price                        money.Dollars // YES limit price
	initial, filled, remaining   money.Count
	status                       string // resting, canceled, executed
	tif                          string
	postOnly, reduceOnly         bool
	cancelOnPause                bool
	stp                          string
	subaccount                   int
	orderGroup                   string
	expiration                   *time.Time
	created, updated             time.Time
	takerFees, makerFees         money.Dollars
	takerCost, makerCost         money.Dollars
	reserved                     money.Dollars // cash held for the resting remainder
	seq                          uint64        // time priority; an amend to a new price or size renews it
	placed                       uint64        // the sequence number it was placed with, for listings
}

// level is the queue of resting orders at one price, oldest first.
type level struct {
	price  money.Dollars
	orders []*order
}

func (l *level) size() money.Count {
	var total money.Count
	for _, o := range l.orders {
		total = total.Add(o.remaining)
	}
	return total
}

// book is a market's YES order book: bids best (highest) first, asks best
// (lowest) first, each level first in, first out.
type book struct {
	bids, asks []*level
}

func (b *book) levels(s bookSide) *[]*level {
	if s == bid {
		return &b.bids
	}
	return &b.asks
}

// better reports whether price a has priority over b on side s.
func better(s bookSide, a, b money.Dollars) bool {
	if s == bid {
		return a.Cmp(b) > 0
	}
	return a.Cmp(b) < 0
}

// add puts o at the back of its price level.
func (b *book) add(o *order) {
	lv := b.levels(o.side)
	i := sort.Search(len(*lv), func(i int) bool { return !better(o.side, (*lv)[i].price, o.price) })
	if i < len(*lv) && (*lv)[i].price == o.price {
		(*lv)[i].orders = append((*lv)[i].orders, o)
		return
	}
	*lv = append(*lv, nil)
	copy((*lv)[i+1:], (*lv)[i:])
	(*lv)[i] = &level{price: o.price, orders: []*order{o}}
}

// remove takes o off the book; it reports whether o was there.
func (b *book) remove(o *order) bool {
	lv := b.levels(o.side)
	for i, l := range *lv {
		if l.price != o.price {
			continue
		}
		for j, r := range l.orders {
			if r == o {
				l.orders = append(l.orders[:j], l.orders[j+1:]...)
				if len(l.orders) == 0 {
					*lv = append((*lv)[:i], (*lv)[i+1:]...)
				}
				return true
			}
		}
	}
	return false
}

// crosses reports whether a side order at price p would trade with the
// best opposite level.
func (b *book) crosses(s bookSide, p money.Dollars) bool {
	opp := *b.levels(s.opposite())
	if len(opp) == 0 {
		return false
	}
	return marketable(s, p, opp[0].price)
}

// marketable reports whether an order on side s at limit p trades with a
// resting opposite order at q.
func marketable(s bookSide, p, q money.Dollars) bool {
	if s == bid {
		return p.Cmp(q) >= 0
	}
	return p.Cmp(q) <= 0
}

// all returns every resting order.
func (b *book) all() []*order {
	var out []*order
	for _, lv := range [][]*level{b.bids, b.asks} {
		for _, l := range lv {
			out = append(out, l.orders...)
		}
	}
	return out
}

// expired returns the resting orders whose expiration time is not after now.
func (b *book) expired(now time.Time) []*order {
	var out []*order
	for _, o := range b.all() {
		if o.expiration != nil && !o.expiration.After(now) {
			out = append(out, o)
		}
	}
	return out
}

// best returns the best price and its size on side s.
func (b *book) best(s bookSide) (money.Dollars, money.Count, bool) {
	lv := *b.levels(s)
	if len(lv) == 0 {
		return money.Zero, money.Count{}, false
	}
	return lv[0].price, lv[0].size(), true
}

// depth returns the aggregated levels of side s in Kalshi's order-book
// form: prices of the side's own outcome (asks become NO bids at
// 1 − price), ascending, at most n levels from the best (0 = all).
func (b *book) depth(s bookSide, n int) []money.PriceLevel {
	lv := *b.levels(s)
	if n > 0 && len(lv) > n {
		lv = lv[:n]
	}
	out := make([]money.PriceLevel, 0, len(lv))
	for i := len(lv) - 1; i >= 0; i-- {
		out = append(out, money.PriceLevel{Price: s.outcomePrice(lv[i].price), Count: lv[i].size()})
	}
	return out
}

// queueAhead is the number of contracts resting ahead of o at its price.
func (b *book) queueAhead(o *order) money.Count {
	var ahead money.Count
	for _, l := range *b.levels(o.side) {
		if l.price != o.price {
			continue
		}
		for _, r := range l.orders {
			if r == o {
				return ahead
			}
			ahead = ahead.Add(r.remaining)
		}
	}
	return ahead
}
