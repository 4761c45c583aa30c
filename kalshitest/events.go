package kalshitest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// EventKind names a kind of exchange event.
type EventKind string

// The kinds of exchange events, named after the WebSocket channels that
// carry them.
const (
	// EventOrderbookDelta: a price level of a market's book changed by
	// Delta contracts (Side "yes" for bids, "no" for asks at the NO price).
	EventOrderbookDelta EventKind = "orderbook_delta"
	// EventTrade: a public trade (Trade is set).
	EventTrade EventKind = "trade"
	// EventFill: one of a user's orders traded (Fill and UserID are set).
	EventFill EventKind = "fill"
	// EventOrderUpdate: a user's order was placed, filled, amended,
	// decreased or canceled (Order and UserID are set).
	EventOrderUpdate EventKind = "user_orders"
	// EventPositionUpdate: a user's position in a market changed
	// (Position and UserID are set).
	EventPositionUpdate EventKind = "market_positions"
	// EventMarketLifecycle: a market was added or changed status
	// (Status is set).
	EventMarketLifecycle EventKind = "market_lifecycle_v2"
	// EventChannelMessage: a message for a WebSocket channel that carries
	// no order book: RFQs and quotes (communications), order groups,
	// multivariate and event lifecycle, index values. Channel and Message
	// are set; Audience, when not empty, lists the only users who may
	// receive it.
	EventChannelMessage EventKind = "channel_message"
)

// ExchangeEvent is one thing that happened on the fake exchange. Events are
// published in the order they happened, under the exchange's lock, so Seq
// is strictly increasing and a market's MarketSeq counts its book changes
// without gaps: what a WebSocket layer needs to send orderbook_delta
// messages with Kalshi's per-subscription sequence checks.
type ExchangeEvent struct {
	Seq       uint64    // position in the whole stream, from 1
	Kind      EventKind // which of the payload fields is set
	Time      time.Time // exchange time
	Ticker    string    // market ticker
	UserID    string    // owner, for private events (fills, orders, positions)
	MarketSeq uint64    // for EventOrderbookDelta: the market's book version after the change

	Subaccount int // EventFill, EventOrderUpdate, EventPositionUpdate: the owner's subaccount (0 for the primary account)

	Side  string        // EventOrderbookDelta: "yes" or "no"
	Price money.Dollars // EventOrderbookDelta: price of Side's outcome
	Delta money.Count   // EventOrderbookDelta: change at that price

	Trade         *gen.Trade          // EventTrade
	Fill          *gen.Fill           // EventFill
	ClientOrderID string              // EventFill: the client_order_id of the order that filled
	Order         *gen.Order          // EventOrderUpdate
	Position      *gen.MarketPosition // EventPositionUpdate
	Status        gen.MarketStatus    // EventMarketLifecycle

	Channel  string     // EventChannelMessage: the WebSocket channel that carries it
	Message  ws.Message // EventChannelMessage: the message as the channel sends it (its envelope is filled per subscription)
	Audience []string   // EventChannelMessage: the users who may receive it; none means every user
	Owner    string     // EventChannelMessage: the user who made what it is about (an RFQ's creator), for "self" filters
	Key      string     // EventChannelMessage: what it is about (an RFQ's ID, an index ID), for sharding and index filters
}

// ErrSubscriptionClosed is returned by Subscription.Next after Close.
var ErrSubscriptionClosed = errors.New("kalshitest: subscription closed")

// Subscription receives every exchange event published after it was made,
// in order, without loss: its queue grows as needed, so a slow reader
// never blocks trading (read it, or Close it).
type Subscription struct {
	hub    *hub
	mu     sync.Mutex
	queue  []ExchangeEvent
	ready  chan struct{}
	closed bool
}

// Next returns the next event, waiting for one until ctx is done.
func (s *Subscription) Next(ctx context.Context) (ExchangeEvent, error) {
	for {
		s.mu.Lock()
		if len(s.queue) > 0 {
			ev := s.queue[0]
			s.queue[0] = ExchangeEvent{}
			s.queue = s.queue[1:]
			s.mu.Unlock()
			return ev, nil
		}
		closed := s.closed
		s.mu.Unlock()
		if closed {
			return ExchangeEvent{}, ErrSubscriptionClosed
		}
		select {
		case <-s.ready:
		case <-ctx.Done():
			return ExchangeEvent{}, ctx.Err()
		}
	}
}

// Close stops the subscription; Next then drains nothing more and returns
// ErrSubscriptionClosed.
func (s *Subscription) Close() {
	s.hub.remove(s)
	s.mu.Lock()
	s.closed = true
	s.queue = nil
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

func (s *Subscription) push(ev ExchangeEvent) {
	s.mu.Lock()
	if !s.closed {
		s.queue = append(s.queue, ev)
	}
	s.mu.Unlock()
	select {
	case s.ready <- struct{}{}:
	default:
	}
}

// hub fans events out to subscriptions.
type hub struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
	seq  uint64
}

func (h *hub) subscribe() *Subscription {
	s := &Subscription{hub: h, ready: make(chan struct{}, 1)}
	h.mu.Lock()
	if h.subs == nil {
		h.subs = map[*Subscription]struct{}{}
	}
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

func (h *hub) remove(s *Subscription) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

// publish numbers ev and hands it to every subscription. Callers hold the
// exchange lock, which fixes the order.
func (h *hub) publish(ev ExchangeEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	ev.Seq = h.seq
	for s := range h.subs {
		s.push(ev)
	}
}

func (h *hub) active() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs) > 0
}

// --- publishing from the engine (exchange lock held) ---

func (x *exchange) publishBook(m *marketState, side bookSide, price money.Dollars, delta money.Count, now time.Time) {
	m.bookSeq++
	if !x.hub.active() {
		return
	}
	x.hub.publish(ExchangeEvent{
		Kind: EventOrderbookDelta, Time: now, Ticker: m.ticker, MarketSeq: m.bookSeq,
		Side: side.outcome(), Price: side.outcomePrice(price), Delta: delta,
	})
}

func (x *exchange) publishTrade(m *marketState, t *tradeRecord) {
	if !x.hub.active() {
		return
	}
	v := t.api()
	x.hub.publish(ExchangeEvent{Kind: EventTrade, Time: t.at, Ticker: m.ticker, Trade: &v})
}

func (x *exchange) publishFill(userID string, f *fillRecord) {
	if !x.hub.active() {
		return
	}
	v := f.api()
	ev := ExchangeEvent{Kind: EventFill, Time: f.at, Ticker: f.ticker, UserID: userID, Subaccount: f.sub, Fill: &v}
	if o := x.orders[f.orderID]; o != nil {
		ev.ClientOrderID = o.clientID
	}
	x.hub.publish(ev)
}

func (x *exchange) publishOrder(o *order, now time.Time) {
	if !x.hub.active() {
		return
	}
	v := o.api()
	x.hub.publish(ExchangeEvent{Kind: EventOrderUpdate, Time: now, Ticker: o.ticker, UserID: o.userID, Subaccount: o.subaccount, Order: &v})
}

func (x *exchange) publishPosition(a *account, ticker string, p *position, now time.Time) {
	if !x.hub.active() {
		return
	}
	v := p.api(ticker)
	x.hub.publish(ExchangeEvent{Kind: EventPositionUpdate, Time: now, Ticker: ticker, UserID: a.userID, Subaccount: a.sub, Position: &v})
}

func (x *exchange) publishLifecycle(m *marketState, now time.Time) {
	if !x.hub.active() {
		return
	}
	x.hub.publish(ExchangeEvent{Kind: EventMarketLifecycle, Time: now, Ticker: m.ticker, Status: gen.MarketStatus(m.status)})
}

// publishChannel publishes a message for a channel without an order book
// (see EventChannelMessage). ev's Kind and Time are set here.
func (x *exchange) publishChannel(ev ExchangeEvent, now time.Time) {
	if !x.hub.active() {
		return
	}
	ev.Kind, ev.Time = EventChannelMessage, now
	x.hub.publish(ev)
}
