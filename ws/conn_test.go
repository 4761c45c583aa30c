package ws_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

var _ ws.HeaderSigner = (*signing.Signer)(nil)

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func subscribe(t *testing.T, c *ws.Conn, p ws.Params) *ws.Subscription {
	t.Helper()
	s, err := c.Subscribe(ctxT(t), p)
	if err != nil {
		t.Fatalf("Subscribe(%s): %v", p.Channel, err)
	}
	return s
}

func TestSubscribeSeveralChannels(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t)
	sc := srv.waitConn(t)

	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"A", "B"}})
	tick := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker})
	trade := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade, MarketTickers: []string{"A"}})
	sids := []int64{book.SID(), tick.SID(), trade.SID()}
	if slices.Contains(sids, 0) || sids[0] == sids[1] || sids[1] == sids[2] || sids[0] == sids[2] {
		t.Fatalf("sids %v", sids)
	}

	for _, want := range []string{"A", "B"} {
		s := nextOf[*ws.OrderbookSnapshot](t, book)
		if s.MarketTicker != want || s.SID != book.SID() || len(s.Yes) != 1 {
			t.Errorf("snapshot %+v, want market %s", s, want)
		}
	}
	sc.emit(tick.SID(), &ws.Ticker{MarketTicker: "A", Price: money.MustDollars("0.41")})
	sc.emit(trade.SID(), &ws.Trade{MarketTicker: "A", Count: money.MustCount("2")})
	if m := nextOf[*ws.Ticker](t, tick); m.Price != money.MustDollars("0.41") {
		t.Errorf("ticker %+v", m)
	}
	if m := nextOf[*ws.Trade](t, trade); m.Count != money.MustCount("2") {
		t.Errorf("trade %+v", m)
	}
	if n := len(book.C()); n != 0 {
		t.Errorf("orderbook stream got %d foreign messages", n)
	}

	list, err := c.ListSubscriptions(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(list, func(a, b ws.SubscriptionInfo) int { return int(a.SID - b.SID) })
	want := []ws.SubscriptionInfo{{ws.ChannelOrderbookDelta, sids[0]}, {ws.ChannelTicker, sids[1]}, {ws.ChannelTrade, sids[2]}}
	if !slices.Equal(list, want) {
		t.Errorf("list %v, want %v", list, want)
	}
}

func TestRepliesReachTheirCaller(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	srv.noSnapshots = true
	c := srv.dial(t)
	subs := make([]*ws.Subscription, 4)
	for i := range subs {
		subs[i] = subscribe(t, c, ws.Params{Channel: ws.ChannelFill, MarketTickers: []string{fmt.Sprintf("M%d", i)}})
	}
	var wg sync.WaitGroup
	for i, s := range subs {
		for j := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := s.AddMarkets(ctxT(t), fmt.Sprintf("M%d-%d", i, j)); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.ListSubscriptions(ctxT(t)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i, s := range subs {
		got := s.Markets()
		if len(got) != 11 || got[0] != fmt.Sprintf("M%d", i) {
			t.Errorf("sub %d markets %v", i, got)
		}
		for _, m := range got {
			if m[:2] != fmt.Sprintf("M%d", i) {
				t.Errorf("sub %d got market %s of another subscription", i, m)
			}
		}
	}
	if err := subs[0].DeleteMarkets(ctxT(t), "M0"); err != nil || slices.Contains(subs[0].Markets(), "M0") {
		t.Errorf("delete: %v, markets %v", err, subs[0].Markets())
	}
}

func TestCommandErrorsReturnKalshiError(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	srv.refuse = func(cmd ws.Command) (ws.ErrorCode, bool) {
		if cmd.Cmd == ws.CmdSubscribe && cmd.Params.Channels[0] == "nonsense" {
			return ws.CodeUnknownChannel, true
		}
		return 0, false
	}
	c := srv.dial(t)
	_, err := c.Subscribe(ctxT(t), ws.Params{Channel: "nonsense"})
	var kerr *ws.Error
	if !errors.As(err, &kerr) || kerr.Code != ws.CodeUnknownChannel {
		t.Fatalf("err %v, want *ws.Error code 8", err)
	}
	// The refused subscription is not kept for restoring, and the connection still works.
	s := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker})
	if _, err := s.Update(ctxT(t), "bogus_action"); !errors.As(err, &kerr) || kerr.Code != ws.CodeUnsupportedAction {
		t.Errorf("update err %v", err)
	}
	if _, err := c.Send(ctxT(t), "nonsense_cmd", nil); !errors.As(err, &kerr) || kerr.Code != ws.CodeUnknownCommand {
		t.Errorf("send err %v", err)
	}
}

func TestReconnectRestoresEverySubscription(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t)
	sc := srv.waitConn(t)
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"A", "B"}})
	tick := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker, MarketTickers: []string{"T"}})
	if err := book.AddMarkets(ctxT(t), "C"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		nextOf[*ws.OrderbookSnapshot](t, book)
	}
	oldBook, oldTick := book.SID(), tick.SID()

	for round := range 2 {
		sc.kill()
		sc = srv.waitConn(t)
		restored := map[string][]string{}
		for range 2 {
			cmd := sc.nextCommand(t, ws.CmdSubscribe)
			restored[cmd.Params.Channels[0]] = cmd.Params.MarketTickers
		}
		if !slices.Equal(restored[ws.ChannelOrderbookDelta], []string{"A", "B", "C"}) || !slices.Equal(restored[ws.ChannelTicker], []string{"T"}) {
			t.Fatalf("round %d: restored with %v", round, restored)
		}
		r := nextOf[*ws.Resubscribed](t, book)
		if r.Reason != ws.ReasonReconnect || r.OldSID != oldBook || r.NewSID == oldBook || r.NewSID != r.SID {
			t.Errorf("round %d: book event %+v (old sid %d)", round, r, oldBook)
		}
		for _, m := range []string{"A", "B", "C"} {
			if s := nextOf[*ws.OrderbookSnapshot](t, book); s.MarketTicker != m || s.SID != r.NewSID {
				t.Errorf("round %d: snapshot %s sid %d after restore", round, s.MarketTicker, s.SID)
			}
		}
		rt := nextOf[*ws.Resubscribed](t, tick)
		if rt.OldSID != oldTick || rt.NewSID != tick.SID() {
			t.Errorf("round %d: ticker event %+v", round, rt)
		}
		oldBook, oldTick = r.NewSID, rt.NewSID
		// Data on the new sids flows to the same subscriptions.
		sc.emit(tick.SID(), &ws.Ticker{MarketTicker: "T"})
		if m := nextOf[*ws.Ticker](t, tick); m.MarketTicker != "T" {
			t.Errorf("ticker %+v", m)
		}
	}
	if c.Connects() != 3 {
		t.Errorf("connects %d, want 3", c.Connects())
	}
	hs := srv.handshakeLog()
	if len(hs) != 3 {
		t.Fatalf("%d handshakes", len(hs))
	}
	seen := map[string]bool{}
	for i, h := range hs {
		if h.verifyErr != nil {
			t.Errorf("handshake %d: signing.Verify: %v", i, h.verifyErr)
		}
		if seen[h.timestamp] {
			t.Errorf("handshake %d reused timestamp %s", i, h.timestamp)
		}
		seen[h.timestamp] = true
	}
}

func TestSequenceGapTriggersResync(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t)
	sc := srv.waitConn(t)
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"A", "B"}})
	nextOf[*ws.OrderbookSnapshot](t, book)
	nextOf[*ws.OrderbookSnapshot](t, book) // seq 1, 2
	sid := book.SID()
	sc.emit(sid, delta("A", ws.Yes, "0.40", "1")) // seq 3
	if d := next(t, book).(*ws.OrderbookDelta); d.Seq != 3 {
		t.Fatalf("delta seq %d", d.Seq)
	}
	sc.skip(sid, 2)
	sc.emit(sid, delta("A", ws.Yes, "0.40", "1")) // seq 6
	gap, ok := next(t, book).(*ws.Gap)
	if !ok || gap.Expected != 4 || gap.Got != 6 || !gap.Resync || gap.SID != sid {
		t.Fatalf("want gap 4→6 with resync, got %#v", gap)
	}
	if d := next(t, book).(*ws.OrderbookDelta); d.Seq != 6 {
		t.Errorf("delta after gap has seq %d", d.Seq)
	}
	cmd := sc.nextCommand(t, ws.CmdUpdateSubscription)
	if cmd.Params.Action != ws.ActionGetSnapshot || !slices.Equal(cmd.Params.SIDs, []int64{sid}) || !slices.Equal(cmd.Params.MarketTickers, []string{"A", "B"}) {
		t.Errorf("resync command %+v", cmd.Params)
	}
	for _, m := range []string{"A", "B"} {
		if s := nextOf[*ws.OrderbookSnapshot](t, book); s.MarketTicker != m {
			t.Errorf("snapshot %s after resync", s.MarketTicker)
		}
	}
	// The sequence goes on from the snapshots without another gap.
	sc.emit(sid, delta("B", ws.No, "0.55", "-5"))
	if d := next(t, book).(*ws.OrderbookDelta); d.MarketTicker != "B" {
		t.Errorf("got %+v", d)
	}
}

func TestGapOnOtherChannelsIsReported(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t)
	sc := srv.waitConn(t)
	trade := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade})
	sc.emit(trade.SID(), &ws.Trade{TradeID: "1"})
	sc.skip(trade.SID(), 1)
	sc.emit(trade.SID(), &ws.Trade{TradeID: "3"})
	next(t, trade)
	if g, ok := next(t, trade).(*ws.Gap); !ok || g.Expected != 2 || g.Got != 3 || g.Resync {
		t.Fatalf("got %#v", g)
	}
	if m := next(t, trade).(*ws.Trade); m.TradeID != "3" {
		t.Errorf("got %+v", m)
	}
}

func TestUnknownTypeDeliveredRaw(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	unrouted := make(chan ws.Message, 1)
	c := srv.dial(t, ws.WithUnroutedHandler(func(m ws.Message) { unrouted <- m }))
	sc := srv.waitConn(t)
	s := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker})
	sc.sendRaw(fmt.Appendf(nil, `{"type":"ticker_v9","sid":%d,"msg":{"new":true}}`, s.SID()))
	r, ok := next(t, s).(*ws.RawMessage)
	if !ok || r.Type != "ticker_v9" || string(r.Msg) != `{"new":true}` {
		t.Fatalf("got %#v", r)
	}
	sc.sendRaw([]byte(`{"type":"announcement","msg":{"text":"hi"}}`))
	select {
	case m := <-unrouted:
		if m.Header().Type != "announcement" {
			t.Errorf("unrouted %#v", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("frame for no subscription was not handed to the unrouted handler")
	}
}

func TestSlowConsumerBlockLosesNothing(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t, ws.WithBufferSize(2))
	sc := srv.waitConn(t)
	s := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade})
	const n = 200
	go func() {
		for i := range n {
			sc.emit(s.SID(), &ws.Trade{TradeID: fmt.Sprint(i)})
		}
	}()
	for i := range n {
		m := next(t, s)
		tr, ok := m.(*ws.Trade)
		if !ok || tr.TradeID != fmt.Sprint(i) || tr.Seq != int64(i+1) {
			t.Fatalf("message %d: %#v", i, m)
		}
		if len(s.C()) > cap(s.C()) {
			t.Fatal("buffer above its bound")
		}
	}
}

func TestSlowConsumerDropAndResync(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t, ws.WithBufferSize(4), ws.WithSlowConsumerPolicy(ws.DropAndResync))
	sc := srv.waitConn(t)
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"A"}})
	nextOf[*ws.OrderbookSnapshot](t, book)
	for range 50 {
		sc.emit(book.SID(), delta("A", ws.Yes, "0.40", "1"))
	}
	// A round trip after the burst: its reply is read after every frame of the burst.
	if _, err := c.ListSubscriptions(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if got := len(book.C()); got != 4 {
		t.Fatalf("buffer holds %d messages, want its bound 4", got)
	}
	for i := range 4 {
		if d := next(t, book).(*ws.OrderbookDelta); d.Seq != int64(i+2) {
			t.Errorf("kept delta %d has seq %d", i, d.Seq)
		}
	}
	sc.emit(book.SID(), delta("A", ws.Yes, "0.40", "1"))
	gap, ok := next(t, book).(*ws.Gap)
	if !ok || gap.Dropped != 46 || !gap.Resync {
		t.Fatalf("want a gap of 46 dropped with resync, got %#v", gap)
	}
	if d := next(t, book).(*ws.OrderbookDelta); d.Seq != 52 {
		t.Errorf("delta after gap seq %d", d.Seq)
	}
	if cmd := sc.nextCommand(t, ws.CmdUpdateSubscription); cmd.Params.Action != ws.ActionGetSnapshot {
		t.Errorf("resync command %+v", cmd.Params)
	}
	if s := nextOf[*ws.OrderbookSnapshot](t, book); s.MarketTicker != "A" {
		t.Errorf("snapshot %+v", s)
	}
}

func TestTerminalErrorsResubscribe(t *testing.T) {
	t.Parallel()
	for _, code := range []ws.ErrorCode{ws.CodeChannelError, ws.CodeSubscriptionBufferFull} {
		t.Run(code.String(), func(t *testing.T) {
			t.Parallel()
			srv := newTestServer(t)
			c := srv.dial(t)
			sc := srv.waitConn(t)
			book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"A", "B"}})
			nextOf[*ws.OrderbookSnapshot](t, book)
			nextOf[*ws.OrderbookSnapshot](t, book)
			old := book.SID()
			sc.nextCommand(t, ws.CmdSubscribe)
			sc.emit(old, &ws.Error{Code: code, Message: "boom"})
			if e := next(t, book).(*ws.Error); e.Code != code || e.SID != old {
				t.Fatalf("error delivered as %+v", e)
			}
			cmd := sc.nextCommand(t, ws.CmdSubscribe)
			if !slices.Equal(cmd.Params.MarketTickers, []string{"A", "B"}) || cmd.Params.Channels[0] != ws.ChannelOrderbookDelta {
				t.Errorf("resubscribed with %+v", cmd.Params)
			}
			r := nextOf[*ws.Resubscribed](t, book)
			if r.Reason != fmt.Sprintf("error %d", code) || r.OldSID != old || r.NewSID == old {
				t.Errorf("event %+v", r)
			}
			nextOf[*ws.OrderbookSnapshot](t, book)
			if c.Connects() != 1 {
				t.Errorf("reconnected (%d connects) instead of resubscribing", c.Connects())
			}
		})
	}
}

func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t)
	sc := srv.waitConn(t)
	a := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker})
	b := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade})
	if err := a.Unsubscribe(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-a.C(); ok {
		t.Error("stream still open after Unsubscribe")
	}
	if !errors.Is(a.Err(), ws.ErrUnsubscribed) {
		t.Errorf("Err %v", a.Err())
	}
	for m, err := range a.Messages(ctxT(t)) {
		t.Errorf("iterator yielded %v, %v after Unsubscribe", m, err)
	}
	sc.kill()
	sc = srv.waitConn(t)
	if cmd := sc.nextCommand(t, ws.CmdSubscribe); cmd.Params.Channels[0] != ws.ChannelTrade {
		t.Errorf("restored %v; the unsubscribed ticker must not come back", cmd.Params.Channels)
	}
	nextOf[*ws.Resubscribed](t, b)
	list, err := c.ListSubscriptions(ctxT(t))
	if err != nil || len(list) != 1 || list[0].Channel != ws.ChannelTrade {
		t.Errorf("list %v, %v", list, err)
	}
}

func TestHeartbeat(t *testing.T) {
	t.Parallel()
	t.Run("silence reconnects", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		c := srv.dial(t, ws.WithHeartbeatTimeout(300*time.Millisecond))
		srv.waitConn(t)
		s := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker})
		// From here the server neither pings nor sends: the client must give up on the
		// connection and restore the subscription on a new one.
		srv.waitConn(t)
		if r := nextOf[*ws.Resubscribed](t, s); r.Reason != ws.ReasonReconnect {
			t.Errorf("event %+v", r)
		}
		if c.Connects() < 2 {
			t.Errorf("connects %d", c.Connects())
		}
	})
	t.Run("pings keep the connection", func(t *testing.T) {
		t.Parallel()
		srv := newTestServer(t)
		c := srv.dial(t, ws.WithHeartbeatTimeout(time.Second))
		sc := srv.waitConn(t)
		start := time.Now()
		// Pings only, no data, for well past the timeout; each Ping waits for the pong.
		for time.Since(start) < 3*time.Second {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err := sc.c.Ping(ctx)
			cancel()
			if err != nil {
				t.Fatalf("ping: %v (connection dropped despite pings)", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		if c.Connects() != 1 {
			t.Errorf("connects %d; pings should have kept the connection", c.Connects())
		}
	})
}

func TestDialRefused(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	key, _, _, _ := signing.GenerateKey(signing.Ed25519)
	other, _ := signing.New("someone-else", key)
	_, err := ws.Dial(ctxT(t), ws.WithURL(srv.url()), ws.WithSigner(other))
	var he *ws.HandshakeError
	if !errors.As(err, &he) || he.StatusCode != 401 {
		t.Fatalf("err %v, want HandshakeError 401", err)
	}
	if _, err := ws.Dial(ctxT(t), ws.WithURL(srv.url())); !errors.Is(err, ws.ErrNoSigner) {
		t.Errorf("no signer: %v", err)
	}
}

func TestMessagesIterator(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t)
	sc := srv.waitConn(t)
	s := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade})
	for i := range 3 {
		sc.emit(s.SID(), &ws.Trade{TradeID: fmt.Sprint(i)})
	}
	var got []string
	for m, err := range s.Messages(ctxT(t)) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.(*ws.Trade).TradeID)
		if len(got) == 3 {
			break
		}
	}
	if !slices.Equal(got, []string{"0", "1", "2"}) {
		t.Errorf("got %v", got)
	}
	c.Close()
	var errs []error
	for _, err := range s.Messages(ctxT(t)) {
		errs = append(errs, err)
	}
	if len(errs) != 0 || !errors.Is(s.Err(), ws.ErrClosed) {
		t.Errorf("after Close: iterator errors %v, Err %v", errs, s.Err())
	}
	if _, err := c.Subscribe(ctxT(t), ws.Params{Channel: ws.ChannelTrade}); !errors.Is(err, ws.ErrClosed) {
		t.Errorf("Subscribe after Close: %v", err)
	}
}

func TestRestoreRetriesTransientRefusals(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var mu sync.Mutex
	subscribes := 0
	srv.refuse = func(cmd ws.Command) (ws.ErrorCode, bool) {
		if cmd.Cmd != ws.CmdSubscribe {
			return 0, false
		}
		mu.Lock()
		defer mu.Unlock()
		subscribes++
		// The first restore attempts after the reconnect are rate limited.
		return ws.CodeTooManyRequests, subscribes == 2 || subscribes == 3
	}
	c := srv.dial(t)
	sc := srv.waitConn(t)
	s := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker, MarketTickers: []string{"A"}})
	sc.kill()
	srv.waitConn(t) // the reconnect
	if r := nextOf[*ws.Resubscribed](t, s); r.Reason != ws.ReasonReconnect || !slices.Equal(r.Markets, []string{"A"}) {
		t.Errorf("event %+v", r)
	}
	mu.Lock()
	n := subscribes
	mu.Unlock()
	if n != 4 {
		t.Errorf("%d subscribes, want 4 (1 + 2 refused + 1)", n)
	}
}

func TestRestoreRefusedEndsSubscription(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var mu sync.Mutex
	subscribes := 0
	srv.refuse = func(cmd ws.Command) (ws.ErrorCode, bool) {
		mu.Lock()
		defer mu.Unlock()
		if cmd.Cmd == ws.CmdSubscribe {
			subscribes++
		}
		return ws.CodeAuthenticationRequired, cmd.Cmd == ws.CmdSubscribe && subscribes > 1
	}
	c := srv.dial(t)
	sc := srv.waitConn(t)
	s := subscribe(t, c, ws.Params{Channel: ws.ChannelFill})
	sc.kill()
	select {
	case <-s.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("subscription still open after its restore was refused")
	}
	var kerr *ws.Error
	if !errors.As(s.Err(), &kerr) || kerr.Code != ws.CodeAuthenticationRequired {
		t.Errorf("Err %v, want the server's refusal", s.Err())
	}
}

func TestScopedErrorIsDelivered(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	c := srv.dial(t)
	sc := srv.waitConn(t)
	s := subscribe(t, c, ws.Params{Channel: ws.ChannelFill})
	sc.emit(s.SID(), &ws.Error{Code: ws.CodeMarketLimitExceeded, Message: "too many"})
	if e := next(t, s).(*ws.Error); e.Code != ws.CodeMarketLimitExceeded || e.SID != s.SID() {
		t.Errorf("got %+v", e)
	}
	if c.Connects() != 1 {
		t.Error("non-terminal error caused a reconnect")
	}
}

func TestExponentialBackoff(t *testing.T) {
	t.Parallel()
	b := ws.ExponentialBackoff(100*time.Millisecond, time.Second)
	for attempt, want := range []time.Duration{100, 200, 400, 800, 1000, 1000, 1000} {
		want *= time.Millisecond
		for range 50 {
			if d := b(attempt); d < want/2 || d > want {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, want/2, want)
			}
		}
	}
}
