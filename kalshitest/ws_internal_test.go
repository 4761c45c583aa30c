package kalshitest

import (
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// feedWithoutLoop returns a server whose WebSocket feed is seeded but whose
// event loop does not run, and a connection registered on it whose frames
// stay queued: events reach the feed only when a command catches up.
func feedWithoutLoop(t testing.TB) (*Server, *WSConn) {
	t.Helper()
	s, err := newServer(WithMarkets(0), WithMarket(MarketSpec{
		Ticker: "KXFEED-1",
		Bids:   []money.PriceLevel{{Price: money.MustDollars("0.40"), Count: money.MustCount("5")}},
		Asks:   []money.PriceLevel{{Price: money.MustDollars("0.60"), Count: money.MustCount("5")}},
	}))
	if err != nil {
		t.Fatal(err)
	}
	f := s.ws
	f.mu.Lock()
	f.seedLocked()
	c := &WSConn{f: f, userID: DefaultUserID, wake: make(chan struct{}, 1), stallCh: make(chan struct{})}
	f.conns = append(f.conns, c)
	f.mu.Unlock()
	t.Cleanup(f.events.Close)
	return s, c
}

// frames decodes and empties the connection's queue.
func (c *WSConn) frames(t *testing.T) []ws.Message {
	t.Helper()
	c.qmu.Lock()
	q := c.queue
	c.queue = nil
	c.qmu.Unlock()
	var out []ws.Message
	for _, fr := range q {
		if fr.sub != nil {
			fr.sub.queued.Add(-1)
		}
		m, err := ws.Decode(fr.data)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestFeedCommandCatchesUp places an order while the event loop is not
// running: the get_snapshot sent after it must still see it, its delta
// first and then a snapshot that includes it.
func TestFeedCommandCatchesUp(t *testing.T) {
	s, c := feedWithoutLoop(t)
	f := s.ws
	f.command(c, []byte(`{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["KXFEED-1"]}}`))
	got := c.frames(t)
	if len(got) != 2 {
		t.Fatalf("frames %v", got)
	}
	if _, err := s.x.place(orderRequest{userID: DefaultUserID, ticker: "KXFEED-1", side: bid, price: money.MustDollars("0.45"),
		count: money.MustCount("2"), tif: "good_till_canceled"}); err != nil {
		t.Fatal(err)
	}
	f.command(c, []byte(`{"id":2,"cmd":"update_subscription","params":{"sids":[1],"action":"get_snapshot","market_tickers":["KXFEED-1"]}}`))
	got = c.frames(t)
	if len(got) != 2 {
		t.Fatalf("want the delta and the snapshot, got %d frames", len(got))
	}
	d, ok := got[0].(*ws.OrderbookDelta)
	if !ok || d.Seq != 2 || d.Price != money.MustDollars("0.45") || d.Delta != money.MustCount("2") {
		t.Fatalf("first frame %#v", got[0])
	}
	snap, ok := got[1].(*ws.OrderbookSnapshot)
	if !ok || snap.ID != 2 || snap.Seq != 3 {
		t.Fatalf("second frame %#v", got[1])
	}
	want := []ws.Level{{Price: money.MustDollars("0.40"), Count: money.MustCount("5")}, {Price: money.MustDollars("0.45"), Count: money.MustCount("2")}}
	if len(snap.Yes) != 2 || snap.Yes[0] != want[0] || snap.Yes[1] != want[1] {
		t.Fatalf("snapshot yes %v, want %v", snap.Yes, want)
	}
}

// TestFeedMirrorsMarketAddedLater checks that a market added while the
// feed runs joins the mirror with the book the exchange had, without
// counting deltas twice that the copy already holds.
func TestFeedMirrorsMarketAddedLater(t *testing.T) {
	s, c := feedWithoutLoop(t)
	f := s.ws
	f.command(c, []byte(`{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["KXFEED-2"]}}`))
	if got := c.frames(t); len(got) != 1 {
		t.Fatalf("only the reply before the market exists, got %v", got)
	}
	if err := s.AddMarket(MarketSpec{Ticker: "KXFEED-2", Bids: []money.PriceLevel{{Price: money.MustDollars("0.20"), Count: money.MustCount("3")}}}); err != nil {
		t.Fatal(err)
	}
	// A change after creation, also queued before the feed sees either event.
	if _, err := s.x.place(orderRequest{userID: DefaultUserID, ticker: "KXFEED-2", side: bid, price: money.MustDollars("0.20"),
		count: money.MustCount("1"), tif: "good_till_canceled"}); err != nil {
		t.Fatal(err)
	}
	f.command(c, []byte(`{"id":2,"cmd":"list_subscriptions"}`))
	var size money.Count
	for _, m := range c.frames(t) {
		switch m := m.(type) {
		case *ws.OrderbookSnapshot:
			size = m.Yes[0].Count
		case *ws.OrderbookDelta:
			size = size.Add(m.Delta)
		}
	}
	if size != money.MustCount("4") {
		t.Fatalf("the book's level holds %s, want 4.00", size)
	}
}

// BenchmarkFeedDelta measures what one order book change costs the server
// per subscription: mirroring the event, numbering, encoding and queuing
// the frame.
func BenchmarkFeedDelta(b *testing.B) {
	s, c := feedWithoutLoop(b)
	f := s.ws
	f.command(c, []byte(`{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_tickers":["KXFEED-1"]}}`))
	ev := ExchangeEvent{Kind: EventOrderbookDelta, Ticker: "KXFEED-1", Side: "yes", Price: money.MustDollars("0.30"), Time: time.Now()}
	up, down := money.MustCount("1"), money.MustCount("-1")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		f.mu.Lock()
		ev.MarketSeq = f.markets["KXFEED-1"].seq + 1
		ev.Delta = up
		if i%2 == 1 {
			ev.Delta = down
		}
		f.apply(&ev)
		f.mu.Unlock()
		if i%1024 == 0 {
			c.discard()
		}
	}
	if len(c.Subscriptions()) != 1 {
		b.Fatal("the subscription ended")
	}
}

// discard empties the queue as the writer would, without writing.
func (c *WSConn) discard() {
	c.qmu.Lock()
	q := c.queue
	c.queue = nil
	c.qmu.Unlock()
	for _, fr := range q {
		if fr.sub != nil {
			fr.sub.queued.Add(-1)
		}
	}
}

// TestChannelMessagesReachTheirAudience: a channel message goes to the
// subscriptions of its channel only, only to the users of its audience,
// and each copy carries its own subscription's sid and seq.
func TestChannelMessagesReachTheirAudience(t *testing.T) {
	s, c := feedWithoutLoop(t)
	f := s.ws
	f.command(c, []byte(`{"id":1,"cmd":"subscribe","params":{"channels":["order_group_updates","user_orders"]}}`))
	if got := c.frames(t); len(got) != 2 {
		t.Fatalf("want two subscribed replies, got %v", got)
	}
	publish := func(audience ...string) {
		s.x.mu.Lock()
		s.x.publishChannel(ExchangeEvent{Channel: ws.ChannelOrderGroupUpdates, Audience: audience,
			Message: &ws.OrderGroupUpdate{EventType: "created", OrderGroupID: "g1"}}, s.x.now())
		s.x.mu.Unlock()
		f.mu.Lock()
		f.catchUp()
		f.mu.Unlock()
	}
	publish(DefaultUserID)
	publish("someone-else")
	publish()
	got := c.frames(t)
	if len(got) != 2 {
		t.Fatalf("want the message for this user and the one for everyone, got %d frames: %v", len(got), got)
	}
	for i, m := range got {
		u, ok := m.(*ws.OrderGroupUpdate)
		if !ok || u.OrderGroupID != "g1" || u.SID != 1 || u.Seq != int64(i+1) {
			t.Fatalf("frame %d: %#v", i, m)
		}
	}
}
