package ws_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/ws"
)

// clientGoroutines returns the stacks of goroutines running this package's client code or
// the WebSocket library (the test server is shut down first, so any left are the client's).
func clientGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var found []string
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		s := string(g)
		if strings.Contains(s, "testing.(*T).Parallel") {
			continue // a parallel test waiting for the sequential ones to finish
		}
		if strings.Contains(s, "kalshi/ws.") || strings.Contains(s, "coder/websocket") {
			found = append(found, s)
		}
	}
	return found
}

// TestCloseLeavesNoGoroutines runs without t.Parallel, so no other test's connections exist
// while it looks: top-level parallel tests only run after every sequential one.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	srv := newTestServer(t)
	c := srv.dial(t, ws.WithSlowConsumerPolicy(ws.DropAndResync), ws.WithBufferSize(1))
	sc := srv.waitConn(t)
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"A"}})
	block := ws.Block
	blocked := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade, SlowConsumer: &block})
	// Exercise the background paths: a gap (resync), a terminal error (resubscribe), a
	// reconnect, and a Block delivery left waiting on a full buffer.
	sc.skip(book.SID(), 3)
	sc.emit(book.SID(), delta("A", ws.Yes, "0.40", "1"))
	sc.nextCommand(t, ws.CmdUpdateSubscription)
	sc.kill()
	sc = srv.waitConn(t)
	nextOf[*ws.Resubscribed](t, book)
	nextOf[*ws.Resubscribed](t, blocked)
	for range 3 {
		sc.emit(blocked.SID(), &ws.Trade{})
	}
	// The reader now waits on the full buffer; this reply cannot arrive until Close.
	go c.ListSubscriptions(ctxT(t))

	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	srv.close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := clientGoroutines()
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines left after Close:\n%s", len(left), strings.Join(left, "\n\n"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	if book.Err() == nil || blocked.Err() == nil {
		t.Error("subscriptions still open after Close")
	}
}
