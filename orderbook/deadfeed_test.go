package orderbook_test

import (
	"context"
	"errors"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// recorder is a Source that keeps the client's own events it passes on.
type recorder struct {
	*ws.Subscription
	mu     sync.Mutex
	events []string
}

func (r *recorder) Messages(ctx context.Context) iter.Seq2[ws.Message, error] {
	return func(yield func(ws.Message, error) bool) {
		for m, err := range r.Subscription.Messages(ctx) {
			if m != nil {
				switch m.(type) {
				case *ws.Disconnected, *ws.Resubscribed:
					r.mu.Lock()
					r.events = append(r.events, m.Header().Type)
					r.mu.Unlock()
				}
			}
			if !yield(m, err) {
				return
			}
		}
	}
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// The finding: with every reconnect refused (a revoked key), the feed
// looked live: no error, book.Ready() true while the exchange's best bid
// moved on, Manager.Run blocked. Now the book goes not ready at the
// disconnect, the subscription ends with the refusal, Run returns it, and
// the connection says it failed.
func TestE2EDeadFeedIsNotLive(t *testing.T) {
	t.Parallel()
	e := newBookEnv(t)
	market := rndMarkets[0]
	conn := e.dial(t)
	sub, err := conn.Subscribe(ctxFor(t), ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{market}})
	require.NoError(t, err)
	src := &recorder{Subscription: sub}
	books := orderbook.NewManager()
	done := make(chan error, 1)
	go func() { done <- books.Run(ctxFor(t), src) }()
	require.Eventually(t, func() bool { b, ok := books.Book(market); return ok && b.Ready() }, waitLong, time.Millisecond)
	assert.Equal(t, ws.Connected, conn.State())

	// The key is revoked (deleted over REST with the same key), then the
	// connection drops: every reconnect is refused with 401.
	_, err = e.rest.DeleteAPIKey(ctxFor(t), e.signer.KeyID())
	require.NoError(t, err)
	e.srv.DropWSConns()

	select {
	case err = <-done:
	case <-time.After(waitLong):
		t.Fatal("Manager.Run stayed blocked on a feed that can never come back")
	}
	var he *ws.HandshakeError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 401, he.StatusCode)
	book, _ := books.Book(market)
	assert.False(t, book.Ready(), "a book nothing keeps current is not ready")
	assert.Equal(t, ws.Failed, conn.State())
	assert.ErrorAs(t, conn.Err(), &he)
	assert.Equal(t, []string{ws.TypeDisconnected}, src.seen(), "the subscriber heard of the disconnect")
	assert.True(t, errors.As(sub.Err(), &he), "the subscription ended with the refusal: %v", sub.Err())
	select {
	case <-conn.Failed():
	default:
		t.Error("Failed() is closed")
	}
	_, err = conn.Subscribe(ctxFor(t), ws.Params{Channel: ws.ChannelTicker})
	assert.ErrorAs(t, err, &he, "a failed connection refuses new subscriptions with its reason")
}

// A connection that comes back: the book is not ready from the disconnect
// until the new snapshot, the subscriber sees Disconnected then
// Resubscribed, and the state goes Reconnecting then Connected.
func TestE2EDisconnectUntilResync(t *testing.T) {
	t.Parallel()
	e := newBookEnv(t)
	market := rndMarkets[1]
	conn := e.dial(t, ws.WithReconnectBackoff(ws.ExponentialBackoff(3*time.Second, 3*time.Second)))
	sub, err := conn.Subscribe(ctxFor(t), ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{market}})
	require.NoError(t, err)
	src := &recorder{Subscription: sub}
	books := orderbook.NewManager()
	go func() { _ = books.Run(ctxFor(t), src) }()
	require.Eventually(t, func() bool { b, ok := books.Book(market); return ok && b.Ready() }, waitLong, time.Millisecond)

	e.srv.DropWSConns()
	require.Eventually(t, func() bool { b, _ := books.Book(market); return !b.Ready() }, waitLong, time.Millisecond,
		"not ready once the connection is lost")
	assert.Equal(t, ws.Reconnecting, conn.State(), "waiting out the backoff (1.5 to 3 s)")
	e.place(t, market, gen.BookSideBid, "0.30", "3") // a change made while the feed was away

	require.Eventually(t, func() bool { b, _ := books.Book(market); return b.Ready() }, waitLong, time.Millisecond)
	assert.Equal(t, ws.Connected, conn.State())
	assert.Equal(t, []string{ws.TypeDisconnected, ws.TypeResubscribed}, src.seen())
	book, _ := books.Book(market)
	assert.True(t, book.Equal(e.serverBook(t, market)), "the resynced book has the change made while away")
}

// A Conn that cannot reconnect gives up after its reconnect limit.
func TestE2EReconnectLimit(t *testing.T) {
	t.Parallel()
	e := newBookEnv(t)
	conn := e.dial(t, ws.WithReconnectLimit(3))
	sub, err := conn.Subscribe(ctxFor(t), ws.Params{Channel: ws.ChannelTicker})
	require.NoError(t, err)
	e.srv.Close() // nothing answers any more
	select {
	case <-sub.Done():
	case <-time.After(waitLong):
		t.Fatal("the subscription did not end")
	}
	require.ErrorIs(t, sub.Err(), ws.ErrReconnectLimit)
	assert.Contains(t, sub.Err().Error(), "3 attempts")
	assert.Equal(t, ws.Failed, conn.State())
}
