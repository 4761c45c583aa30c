package ws

import (
	"context"
	"errors"
	"fmt"
	"github.com/seed-c9ca4919/kalshi/observe"
	"iter"
	"slices"
	"sync"
	"sync/atomic"
)

// Subscription is one channel subscription. It survives reconnects and terminal errors: the
// client subscribes again with the same markets, and the stream goes on (with a
// *Resubscribed event where it was restored). Its messages arrive, in server order, on a
// bounded buffer read through C or Messages.
type Subscription struct {
	c      *Conn
	policy SlowConsumerPolicy
	ch     chan Message
	done   chan struct{}

	mu       sync.Mutex
	params   Params
	gen      *generation // the connection sid belongs to
	sid      int64
	lastSID  int64
	bound    chan struct{} // closed while sid != 0
	inflight *generation   // a subscribe for this subscription awaits its reply there
	ended    bool
	err      error

	// Delivery state. Only the connection's reader goroutine delivers, and one reader
	// runs at a time; sendMu orders deliveries against closing ch.
	sendMu   sync.Mutex
	chClosed bool
	lastSeq  int64
	dropped  int

	resyncing    atomic.Bool
	resyncWanted atomic.Bool  // a resync was asked for since the one in flight started
	attempts     atomic.Int32 // consecutive resubscribes without data in between
}

func newSubscription(c *Conn, p Params) *Subscription {
	policy := c.cfg.policy
	if p.SlowConsumer != nil {
		policy = *p.SlowConsumer
	}
	return &Subscription{
		c:      c,
		policy: policy,
		ch:     make(chan Message, c.cfg.bufferSize),
		done:   make(chan struct{}),
		params: p.clone(),
		bound:  make(chan struct{}),
	}
}

// Channel returns the subscription's channel.
func (s *Subscription) Channel() string { return s.params.Channel }

// SID returns the server's current id for the subscription, 0 while it is being restored.
func (s *Subscription) SID() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sid
}

// Params returns the subscription's parameters as they stand now, with the markets added and
// deleted since it was created: what a restore would send.
func (s *Subscription) Params() Params {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.params.clone()
}

// Markets returns the subscription's current market tickers.
func (s *Subscription) Markets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.params.MarketTickers)
}

// C returns the subscription's stream. It is closed when the subscription ends; Err then
// says why. Messages left in the buffer can still be read after that.
func (s *Subscription) C() <-chan Message { return s.ch }

// Done is closed when the subscription ends.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Err returns why the subscription ended: ErrUnsubscribed, ErrClosed, a *Error the server
// refused it with, or the context error of an abandoned Subscribe. It is nil while the
// subscription is open.
func (s *Subscription) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

// Messages returns the stream as an iterator. It ends when the subscription ends, yielding
// a final error unless the end was Unsubscribe or Conn.Close; or when ctx is done, yielding
// ctx's error. Breaking out of the loop leaves the subscription open.
func (s *Subscription) Messages(ctx context.Context) iter.Seq2[Message, error] {
	return func(yield func(Message, error) bool) {
		for {
			select {
			case m, ok := <-s.ch:
				if !ok {
					if err := s.Err(); err != nil && !errors.Is(err, ErrUnsubscribed) && !errors.Is(err, ErrClosed) {
						yield(nil, err)
					}
					return
				}
				if !yield(m, nil) {
					return
				}
			case <-ctx.Done():
				yield(nil, ctx.Err())
				return
			}
		}
	}
}

// AddMarkets adds markets to the subscription (update_subscription add_markets). On success
// the subscription's market list is the server's (or, with SkipTickerAck, the old list plus
// these), and a later restore uses it.
func (s *Subscription) AddMarkets(ctx context.Context, tickers ...string) error {
	return s.updateMarkets(ctx, ActionAddMarkets, tickers)
}

// DeleteMarkets removes markets from the subscription (update_subscription delete_markets).
func (s *Subscription) DeleteMarkets(ctx context.Context, tickers ...string) error {
	return s.updateMarkets(ctx, ActionDeleteMarkets, tickers)
}

func (s *Subscription) updateMarkets(ctx context.Context, action string, tickers []string) error {
	if len(tickers) == 0 {
		return nil
	}
	// The market list is updated on the reader goroutine, in the order the server answered,
	// so concurrent updates cannot leave an older list behind.
	_, err := s.update(ctx, &CommandParams{MarketTickers: tickers, Action: action}, false, func(m Message) {
		ok, isOK := m.(*OK)
		if !isOK {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if ok.MarketTickers != nil {
			s.params.MarketTickers = slices.Clone(ok.MarketTickers)
			return
		}
		for _, t := range tickers {
			i := slices.Index(s.params.MarketTickers, t)
			switch {
			case action == ActionAddMarkets && i < 0:
				s.params.MarketTickers = append(s.params.MarketTickers, t)
			case action == ActionDeleteMarkets && i >= 0:
				s.params.MarketTickers = slices.Delete(s.params.MarketTickers, i, i+1)
			}
		}
	})
	return err
}

// GetSnapshot asks for fresh orderbook_snapshot messages of the given markets (all of the
// subscription's markets when none are given) without changing the subscription, and waits
// for the server to acknowledge. The snapshots arrive on the stream.
func (s *Subscription) GetSnapshot(ctx context.Context, tickers ...string) error {
	if len(tickers) == 0 {
		tickers = s.Markets()
	}
	_, err := s.update(ctx, &CommandParams{MarketTickers: tickers, Action: ActionGetSnapshot}, false, nil)
	return err
}

// Resync asks, without waiting, for fresh snapshots of the subscription's markets; if the
// server refuses, the subscription is created again. Consumers that find a book corrupt
// (for example an order book manager) call it from the goroutine reading the stream, where
// waiting for a reply could deadlock under the Block policy.
func (s *Subscription) Resync() { s.c.resync(s) }

// Update sends update_subscription with the given action and values on channels that take
// index IDs (cfbenchmarks_value, cfbenchmarks_value_5hz: subscribe_indices,
// unsubscribe_indices, indexlist) or underlyings (pyth_value: subscribe_underlyings,
// unsubscribe_underlyings, underlying_list), and returns the reply: an *OK with the current
// filter, or the list message. The filter a restore sends is updated from *OK replies.
func (s *Subscription) Update(ctx context.Context, action string, values ...string) (Message, error) {
	p := &CommandParams{Action: action}
	if s.params.Channel == ChannelPythValue {
		p.UnderlyingTickers = values
	} else {
		p.IndexIDs = values
	}
	return s.update(ctx, p, true, func(m Message) {
		if ok, isOK := m.(*OK); isOK {
			s.mu.Lock()
			if ok.IndexIDs != nil {
				s.params.IndexIDs = slices.Clone(ok.IndexIDs)
			}
			if ok.UnderlyingTickers != nil {
				s.params.UnderlyingTickers = slices.Clone(ok.UnderlyingTickers)
			}
			s.mu.Unlock()
		}
	})
}

// update sends update_subscription for this subscription once it is bound.
// onReply, if set, runs on the reader goroutine with the reply.
func (s *Subscription) update(ctx context.Context, p *CommandParams, singleSID bool, onReply func(Message)) (Message, error) {
	g, sid, err := s.waitBound(ctx)
	if err != nil {
		return nil, err
	}
	if singleSID {
		p.SID = sid
	} else {
		p.SIDs = []int64{sid}
	}
	id, pend, err := s.c.send(g, CmdUpdateSubscription, p, onReply)
	if err != nil {
		return nil, err
	}
	return s.c.await(ctx, g, id, pend)
}

// Unsubscribe ends the subscription on the server and locally. The stream is closed after
// the server confirms (frames sent before that are still delivered); Err then reports
// ErrUnsubscribed. If the connection is down, the subscription is not restored.
func (s *Subscription) Unsubscribe(ctx context.Context) error {
	s.c.forget(s)
	s.mu.Lock()
	g, sid := s.gen, s.sid
	s.mu.Unlock()
	var err error
	if sid != 0 {
		var id int64
		var pend *pending
		id, pend, err = s.c.send(g, CmdUnsubscribe, &CommandParams{SIDs: []int64{sid}}, func(Message) { g.unbind(sid, s) })
		if err == nil {
			_, err = s.c.await(ctx, g, id, pend)
		}
		if errors.Is(err, ErrConnectionLost) {
			err = nil
		}
	}
	s.end(ErrUnsubscribed)
	return err
}

// waitBound waits until the subscription has a sid on a live connection.
func (s *Subscription) waitBound(ctx context.Context) (*generation, int64, error) {
	for {
		s.mu.Lock()
		g, sid, bound, ended, err := s.gen, s.sid, s.bound, s.ended, s.err
		s.mu.Unlock()
		if ended {
			return nil, 0, fmt.Errorf("ws: subscription ended: %w", err)
		}
		if sid != 0 {
			return g, sid, nil
		}
		select {
		case <-bound:
		case <-s.done:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		}
	}
}

// bind records the sid the server gave on g. It fails if the subscription has ended.
func (s *Subscription) bind(g *generation, sid int64) (oldSID int64, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight == g {
		s.inflight = nil
	}
	if s.ended {
		return 0, false
	}
	oldSID = s.lastSID
	s.gen, s.sid, s.lastSID = g, sid, sid
	close(s.bound)
	return oldSID, true
}

// unbindFrom forgets the sid if it is still the one from g.
func (s *Subscription) unbindFrom(g *generation, sid int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.gen == g && s.sid == sid {
		s.gen, s.sid = nil, 0
		s.bound = make(chan struct{})
	}
}

// startSubscribe marks a subscribe in flight on g unless one is already, or the
// subscription is already bound there or has ended.
func (s *Subscription) startSubscribe(g *generation) (Params, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended || s.inflight == g || (s.gen == g && s.sid != 0) {
		return Params{}, false
	}
	s.inflight = g
	return s.params.clone(), true
}

func (s *Subscription) clearInflight(g *generation) {
	s.mu.Lock()
	if s.inflight == g {
		s.inflight = nil
	}
	s.mu.Unlock()
}

// end closes the subscription with the given reason; later calls do nothing.
func (s *Subscription) end(err error) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended, s.err = true, err
	close(s.done) // releases a delivery blocked on a full buffer
	s.mu.Unlock()

	s.sendMu.Lock()
	s.chClosed = true
	close(s.ch)
	s.sendMu.Unlock()
}

// checkSeq tracks the subscription's sequence on the reader goroutine and returns a gap
// event when seq is not the successor of the previous one.
func (s *Subscription) checkSeq(seq int64) *Gap {
	last := s.lastSeq
	s.lastSeq = seq
	if last == 0 || seq == last+1 {
		return nil
	}
	return &Gap{Expected: last + 1, Got: seq}
}

// deliver hands m to the consumer under the subscription's slow-consumer policy.
// It runs on the reader goroutine of g.
func (s *Subscription) deliver(g *generation, m Message) {
	s.sendMu.Lock()
	defer s.sendMu.Unlock()
	if s.chClosed {
		return
	}
	if s.policy == DropAndResync {
		s.deliverOrDrop(m)
		return
	}
	select {
	case s.ch <- m:
		return
	default:
	}
	// Full: wait for the consumer. The heartbeat watchdog is paused meanwhile, since no
	// frame can be read while the reader waits here.
	g.pauseWatchdog()
	defer g.resumeWatchdog()
	select {
	case s.ch <- m:
	case <-s.done:
	}
}

func (s *Subscription) deliverOrDrop(m Message) {
	if s.dropped > 0 {
		gap := &Gap{Envelope: Envelope{Type: TypeGap, SID: m.Header().SID}, Dropped: s.dropped, Resync: s.params.Channel == ChannelOrderbookDelta}
		select {
		case s.ch <- gap:
			s.c.report(observe.FeedEvent{Kind: observe.FeedDropped, Channel: string(s.params.Channel), SID: m.Header().SID, Dropped: s.dropped})
			s.dropped = 0
			if gap.Resync {
				s.c.resync(s)
			}
		default:
			s.dropped++
			return
		}
	}
	select {
	case s.ch <- m:
	default:
		s.dropped++
	}
}
