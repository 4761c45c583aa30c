package ws

import (
	"context"
	"errors"
	"fmt"
	"github.com/seed-c9ca4919/kalshi/observe"
	"time"

	"github.com/coder/websocket"
)

// ReasonReconnect and ReasonResync are Resubscribed.Reason values; terminal errors give
// "error <code>".
const (
	ReasonReconnect = "reconnect"
	ReasonResync    = "resync"
)

// supervise watches the live connection and replaces it when it fails: it waits a jittered
// backoff, dials with a freshly signed handshake, and restores every subscription.
func (c *Conn) supervise(g *generation) {
	defer c.wg.Done()
	for {
		select {
		case <-g.done:
		case <-c.closing:
			g.ws.Close(websocket.StatusNormalClosure, "")
			<-g.done
			return
		}
		c.detach(g)
		c.disconnected(g)
		var err error
		clockFixed := false
		tries := 0
		for attempt := 0; ; attempt++ {
			if !c.sleep(c.cfg.backoff(attempt)) {
				return
			}
			tries = attempt + 1
			if g, err = c.connect(c.ctx); err == nil {
				break
			}
			c.report(observe.FeedEvent{Kind: observe.FeedReconnectFailed, Attempt: attempt + 1, Err: err})
			var he *HandshakeError
			switch {
			case errors.As(err, &he) && he.Code == "header_timestamp_expired" && !clockFixed && c.correctClock(he):
				// The signer's clock is corrected: the next attempt can pass.
				clockFixed = true
			case errors.As(err, &he) && (he.StatusCode == 401 || he.StatusCode == 403):
				// The key is refused: trying again cannot help.
				c.fail(err)
				return
			case c.cfg.reconnectLimit > 0 && attempt+1 >= c.cfg.reconnectLimit:
				c.fail(fmt.Errorf("%w after %d attempts: %w", ErrReconnectLimit, attempt+1, err))
				return
			}
		}
		c.report(observe.FeedEvent{Kind: observe.FeedConnected, Attempt: tries})
		c.attach(g)
		c.mu.Lock()
		subs := append([]*Subscription(nil), c.subs...)
		c.mu.Unlock()
		for _, s := range subs {
			c.ensure(g, s, ReasonReconnect)
		}
	}
}

// disconnected tells every subscription that the connection g was lost.
// It runs on the supervisor between two connections, when no reader
// delivers.
func (c *Conn) disconnected(g *generation) {
	c.mu.Lock()
	closed, subs := c.closed, append([]*Subscription(nil), c.subs...)
	c.mu.Unlock()
	if closed || c.ctx.Err() != nil {
		return
	}
	err := g.err
	if err == nil {
		err = ErrConnectionLost
	}
	for _, s := range subs {
		s.deliver(g, &Disconnected{Envelope: Envelope{Type: TypeDisconnected}, Err: err})
	}
}

// correctClock sets the signer's clock from a handshake refused as stale,
// when the signer can be corrected and the refusal carried a Date.
func (c *Conn) correctClock(he *HandshakeError) bool {
	cs, ok := c.cfg.signer.(interface{ CorrectClock(time.Time) time.Duration })
	if !ok || he.date.IsZero() {
		return false
	}
	cs.CorrectClock(he.date.Add(500 * time.Millisecond))
	return true
}

// sleep waits d, or returns false when the Conn is closing.
func (c *Conn) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-c.closing:
		return false
	}
}

// background runs f on a goroutine that Close waits for, after delay.
func (c *Conn) background(delay time.Duration, f func(ctx context.Context)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		if delay > 0 && !c.sleep(delay) {
			return
		}
		f(c.ctx)
	}()
}

// retrySubscribe subscribes s again after a terminal error or a refused restore, backing off
// when it keeps failing without data in between.
func (c *Conn) retrySubscribe(s *Subscription, reason string) {
	n := s.attempts.Add(1)
	delay := time.Duration(0)
	if n > 1 {
		delay = c.cfg.backoff(int(n - 2))
	}
	c.background(delay, func(ctx context.Context) {
		g, err := c.ready(ctx)
		if err != nil {
			return
		}
		c.ensure(g, s, reason)
	})
}

// resync asks for fresh snapshots of s's markets; if the server refuses, the subscription
// is replaced by a new one. One request runs at a time. A resync asked for while one is in
// flight runs again once it is done: some of its snapshots may have arrived before the gap
// that asked, and a gap makes every snapshot before it untrustworthy.
func (c *Conn) resync(s *Subscription) {
	s.resyncWanted.Store(true)
	if !s.resyncing.CompareAndSwap(false, true) {
		return // the resync in flight sees resyncWanted and runs again
	}
	c.background(0, func(ctx context.Context) {
		for {
			s.resyncWanted.Store(false)
			c.resyncOnce(ctx, s)
			s.resyncing.Store(false)
			if !s.resyncWanted.Load() || !s.resyncing.CompareAndSwap(false, true) {
				return
			}
		}
	})
}

// resyncOnce sends one get_snapshot for s's markets and waits for the reply.
func (c *Conn) resyncOnce(ctx context.Context, s *Subscription) {
	if c.cfg.observer != nil {
		s.mu.Lock()
		sid := s.sid
		s.mu.Unlock()
		c.report(observe.FeedEvent{Kind: observe.FeedResync, Channel: string(s.params.Channel), SID: sid})
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.commandTimeout)
	defer cancel()
	err := s.GetSnapshot(ctx)
	var kerr *Error
	if err == nil || !errors.As(err, &kerr) {
		// Success, or the connection went away: a reconnect resubscribes anyway.
		return
	}
	s.mu.Lock()
	g, sid := s.gen, s.sid
	s.mu.Unlock()
	if sid == 0 {
		return
	}
	g.unbind(sid, s)
	c.unsubscribeOrphan(g, sid)
	c.ensure(g, s, ReasonResync)
}

// unsubscribeOrphan ends, without waiting for the reply, a server subscription nobody reads.
func (c *Conn) unsubscribeOrphan(g *generation, sid int64) {
	c.background(0, func(context.Context) {
		// Not sent means the connection is gone, and the sid with it.
		_, _, _ = c.send(g, CmdUnsubscribe, &CommandParams{SIDs: []int64{sid}}, nil)
	})
}
