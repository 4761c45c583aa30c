package ws_test

import (
	"context"
	"crypto"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// testServer is a scripted stand-in for Kalshi's WebSocket endpoint: it verifies the signed
// handshake, answers the four commands, and lets a test push frames, skip sequence numbers
// and kill connections.
type testServer struct {
	t      *testing.T
	http   *httptest.Server
	signer *signing.Signer
	pub    crypto.PublicKey

	mu         sync.Mutex
	nextSID    int64
	handshakes []handshake
	conns      []*serverConn
	newConn    chan *serverConn
	// noSnapshots turns off the snapshots sent after an orderbook_delta subscribe.
	noSnapshots bool
	// refuse, if set, answers a command with an error of this code instead of handling it.
	refuse func(cmd ws.Command) (ws.ErrorCode, bool)
}

type handshake struct {
	timestamp string
	verifyErr error
}

type serverConn struct {
	s        *testServer
	c        *websocket.Conn
	ctx      context.Context
	mu       sync.Mutex
	subs     map[int64]*serverSub
	commands chan ws.Command
	writeMu  sync.Mutex
}

type serverSub struct {
	sid     int64
	channel string
	markets []string
	seq     int64
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := signing.New("test-key-id", key)
	if err != nil {
		t.Fatal(err)
	}
	s := &testServer{t: t, signer: signer, pub: key.Public(), newConn: make(chan *serverConn, 64)}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.close)
	return s
}

func (s *testServer) url() string {
	return "ws" + strings.TrimPrefix(s.http.URL, "http") + signing.WebSocketPath
}

// dial connects a client with fast reconnects; extra options come last.
func (s *testServer) dial(t *testing.T, opts ...ws.Option) *ws.Conn {
	t.Helper()
	all := append([]ws.Option{
		ws.WithURL(s.url()),
		ws.WithSigner(s.signer),
		ws.WithReconnectBackoff(ws.ExponentialBackoff(10*time.Millisecond, 50*time.Millisecond)),
		ws.WithCommandTimeout(10 * time.Second),
	}, opts...)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := ws.Dial(ctx, all...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (s *testServer) close() {
	s.mu.Lock()
	conns := append([]*serverConn(nil), s.conns...)
	s.mu.Unlock()
	for _, c := range conns {
		c.c.CloseNow()
	}
	s.http.Close()
}

func (s *testServer) serve(w http.ResponseWriter, r *http.Request) {
	err := signing.Verify(s.pub, r, time.Now(), 30*time.Second)
	s.mu.Lock()
	s.handshakes = append(s.handshakes, handshake{timestamp: r.Header.Get(signing.HeaderTimestamp), verifyErr: err})
	s.mu.Unlock()
	if err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	c.SetReadLimit(1 << 20)
	sc := &serverConn{s: s, c: c, ctx: r.Context(), subs: map[int64]*serverSub{}, commands: make(chan ws.Command, 256)}
	s.mu.Lock()
	s.conns = append(s.conns, sc)
	s.mu.Unlock()
	s.newConn <- sc
	sc.readLoop()
}

func (s *testServer) handshakeLog() []handshake {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]handshake(nil), s.handshakes...)
}

// waitConn returns the next connection the server accepts.
func (s *testServer) waitConn(t *testing.T) *serverConn {
	t.Helper()
	select {
	case sc := <-s.newConn:
		return sc
	case <-time.After(10 * time.Second):
		t.Fatal("no connection")
		return nil
	}
}

func (sc *serverConn) readLoop() {
	defer sc.c.CloseNow()
	for {
		_, data, err := sc.c.Read(sc.ctx)
		if err != nil {
			return
		}
		var cmd ws.Command
		if err := json.Unmarshal(data, &cmd); err != nil {
			sc.s.t.Errorf("server: bad command %s: %v", data, err)
			return
		}
		sc.handle(cmd)
		sc.commands <- cmd
	}
}

// nextCommand returns the next command of the given name the client sent.
func (sc *serverConn) nextCommand(t *testing.T, name string) ws.Command {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case cmd := <-sc.commands:
			if cmd.Cmd == name {
				return cmd
			}
		case <-timeout:
			t.Fatalf("no %s command", name)
		}
	}
}

func (sc *serverConn) handle(cmd ws.Command) {
	if f := sc.s.refuse; f != nil {
		if code, ok := f(cmd); ok {
			sc.send(&ws.Error{Envelope: ws.Envelope{ID: cmd.ID}, Code: code, Message: code.String()})
			return
		}
	}
	p := cmd.Params
	if p == nil {
		p = &ws.CommandParams{}
	}
	switch cmd.Cmd {
	case ws.CmdSubscribe:
		for _, ch := range p.Channels {
			sc.s.mu.Lock()
			sc.s.nextSID++
			sid := sc.s.nextSID
			sc.s.mu.Unlock()
			sub := &serverSub{sid: sid, channel: ch, markets: append([]string(nil), p.MarketTickers...)}
			sc.mu.Lock()
			sc.subs[sid] = sub
			sc.mu.Unlock()
			sc.send(&ws.Subscribed{Envelope: ws.Envelope{ID: cmd.ID}, Channel: ch, SID: sid})
			if ch == ws.ChannelOrderbookDelta && !sc.s.noSnapshots {
				for _, m := range sub.markets {
					sc.emit(sid, snapshotOf(m, 0))
				}
			}
		}
	case ws.CmdUnsubscribe:
		for _, sid := range p.SIDs {
			sc.mu.Lock()
			sub := sc.subs[sid]
			delete(sc.subs, sid)
			sc.mu.Unlock()
			if sub == nil {
				sc.send(&ws.Error{Envelope: ws.Envelope{ID: cmd.ID}, Code: ws.CodeUnknownSubscriptionID})
				continue
			}
			sub.seq++
			sc.send(&ws.Unsubscribed{Envelope: ws.Envelope{ID: cmd.ID, SID: sid, Seq: sub.seq}})
		}
	case ws.CmdUpdateSubscription:
		sid := p.SID
		if len(p.SIDs) == 1 {
			sid = p.SIDs[0]
		}
		sc.mu.Lock()
		sub := sc.subs[sid]
		sc.mu.Unlock()
		if sub == nil {
			sc.send(&ws.Error{Envelope: ws.Envelope{ID: cmd.ID}, Code: ws.CodeUnknownSubscriptionID})
			return
		}
		switch p.Action {
		case ws.ActionAddMarkets, ws.ActionDeleteMarkets:
			var added []string
			sc.mu.Lock()
			for _, m := range p.MarketTickers {
				i := indexOf(sub.markets, m)
				if p.Action == ws.ActionAddMarkets && i < 0 {
					sub.markets = append(sub.markets, m)
					added = append(added, m)
				} else if p.Action == ws.ActionDeleteMarkets && i >= 0 {
					sub.markets = append(sub.markets[:i], sub.markets[i+1:]...)
				}
			}
			markets := append([]string{}, sub.markets...)
			sc.mu.Unlock()
			sc.emit(sid, &ws.OK{Envelope: ws.Envelope{ID: cmd.ID}, MarketTickers: markets})
			if sub.channel == ws.ChannelOrderbookDelta && !sc.s.noSnapshots {
				for _, m := range added {
					sc.emit(sid, snapshotOf(m, 0))
				}
			}
		case ws.ActionGetSnapshot:
			for i, m := range p.MarketTickers {
				id := int64(0)
				if i == 0 {
					id = cmd.ID
				}
				sc.emit(sid, snapshotOf(m, id))
			}
		default:
			sc.send(&ws.Error{Envelope: ws.Envelope{ID: cmd.ID}, Code: ws.CodeUnsupportedAction})
		}
	case ws.CmdListSubscriptions:
		sc.mu.Lock()
		list := []ws.SubscriptionInfo{}
		for _, sub := range sc.subs {
			list = append(list, ws.SubscriptionInfo{Channel: sub.channel, SID: sub.sid})
		}
		sc.mu.Unlock()
		sc.send(&ws.OK{Envelope: ws.Envelope{ID: cmd.ID}, Subscriptions: list})
	default:
		sc.send(&ws.Error{Envelope: ws.Envelope{ID: cmd.ID}, Code: ws.CodeUnknownCommand})
	}
}

// snapshotOf is the book the server reports for a market: one level each side.
func snapshotOf(market string, id int64) *ws.OrderbookSnapshot {
	return &ws.OrderbookSnapshot{
		Envelope:     ws.Envelope{ID: id},
		MarketTicker: market, MarketID: "id-" + market,
		Yes: []ws.Level{{Price: money.MustDollars("0.40"), Count: money.MustCount("10")}},
		No:  []ws.Level{{Price: money.MustDollars("0.55"), Count: money.MustCount("5")}},
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// emit sends m on subscription sid with the next sequence number.
func (sc *serverConn) emit(sid int64, m ws.Message) {
	sc.mu.Lock()
	sub := sc.subs[sid]
	var seq int64
	if sub != nil {
		sub.seq++
		seq = sub.seq
	}
	sc.mu.Unlock()
	h := m.Header()
	h.SID, h.Seq = sid, seq
	sc.send(m)
}

// skip makes the subscription's sequence jump by n.
func (sc *serverConn) skip(sid, n int64) {
	sc.mu.Lock()
	sc.subs[sid].seq += n
	sc.mu.Unlock()
}

func (sc *serverConn) send(m ws.Message) {
	b, err := ws.Encode(m)
	if err != nil {
		sc.s.t.Errorf("server: encode: %v", err)
		return
	}
	sc.sendRaw(b)
}

func (sc *serverConn) sendRaw(b []byte) {
	sc.writeMu.Lock()
	defer sc.writeMu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = sc.c.Write(ctx, websocket.MessageText, b)
}

func (sc *serverConn) kill() { sc.c.CloseNow() }

func delta(market string, side ws.Side, price, size string) *ws.OrderbookDelta {
	return &ws.OrderbookDelta{MarketTicker: market, MarketID: "id-" + market, Side: side,
		Price: money.MustDollars(price), Delta: money.MustCount(size)}
}

// next receives the next message of a subscription, failing after a generous guard.
func next(t *testing.T, sub *ws.Subscription) ws.Message {
	t.Helper()
	select {
	case m, ok := <-sub.C():
		if !ok {
			t.Fatalf("stream closed: %v", sub.Err())
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message")
		return nil
	}
}

// nextOf receives messages until one of type T arrives.
func nextOf[T ws.Message](t *testing.T, sub *ws.Subscription) T {
	t.Helper()
	for {
		if m, ok := next(t, sub).(T); ok {
			return m
		}
	}
}
