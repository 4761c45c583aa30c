package ws_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// feedRecorder keeps the feed events it is given.
type feedRecorder struct {
	observe.Nop
	mu     sync.Mutex
	events []observe.FeedEvent
}

func (r *feedRecorder) Feed(_ context.Context, e observe.FeedEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// waitFor returns the first event of kind that matches ok, waiting for it.
func (r *feedRecorder) waitFor(t *testing.T, kind observe.FeedKind, ok func(observe.FeedEvent) bool) observe.FeedEvent {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		for _, e := range r.events {
			if e.Kind == kind && (ok == nil || ok(e)) {
				r.mu.Unlock()
				return e
			}
		}
		r.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	t.Fatalf("no %s event among %+v", kind, r.events)
	return observe.FeedEvent{}
}

// TestObserverSeesTheFeed: the connection reports its connect; a dropped
// connection its loss, the reconnect and the resubscription; a skipped
// sequence number a gap and, on an order book, a resync; stamped messages
// their lag.
func TestObserverSeesTheFeed(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	rec := &feedRecorder{}
	c := e.dial(t, ws.WithObserver(rec))
	host := e.srv.Addr().String()

	first := rec.waitFor(t, observe.FeedConnected, nil)
	assert.Zero(t, first.Attempt, "the first connect is no reconnect")
	assert.Equal(t, host, first.Host)

	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{e2eMarket}})
	nextOf[*ws.OrderbookSnapshot](t, book)
	e.order(t, e2eMarket, "bid", "0.46", "2")
	nextOf[*ws.OrderbookDelta](t, book)
	lag := rec.waitFor(t, observe.FeedLag, func(e observe.FeedEvent) bool { return e.Channel == string(ws.ChannelOrderbookDelta) })
	assert.Equal(t, e2eMarket, lag.MarketTicker)
	assert.Equal(t, book.SID(), lag.SID)
	assert.Less(t, lag.Lag, 5*time.Second, "the fake stamps frames as it sends them")

	require.NoError(t, e.serverConn(t).SkipSeq(book.SID()))
	e.order(t, e2eMarket, "bid", "0.46", "1")
	gap := rec.waitFor(t, observe.FeedGap, nil)
	assert.Equal(t, string(ws.ChannelOrderbookDelta), gap.Channel)
	assert.Equal(t, gap.Expected+1, gap.Got)
	rec.waitFor(t, observe.FeedResync, nil)

	require.Positive(t, e.srv.DropWSConns())
	lost := rec.waitFor(t, observe.FeedDisconnected, nil)
	assert.Error(t, lost.Err)
	again := rec.waitFor(t, observe.FeedConnected, func(e observe.FeedEvent) bool { return e.Attempt > 0 })
	assert.Equal(t, host, again.Host)
	re := rec.waitFor(t, observe.FeedResubscribed, func(e observe.FeedEvent) bool { return e.Reason == ws.ReasonReconnect })
	assert.Equal(t, string(ws.ChannelOrderbookDelta), re.Channel)
}
