package kalshitest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// wsMarket is the market the WebSocket tests trade: house bids at 0.45 and
// 0.44, asks at 0.50 and 0.52. wsMarket2 is a second one with a bid.
const (
	wsMarket  = "KXWS-26JUN12-T50"
	wsMarket2 = "KXWS-26JUN12-T60"
)

// waitLong bounds every wait for a frame: generous, so a loaded machine
// never fails a correct test, and only reached when something is wrong.
const waitLong = 15 * time.Second

// wsEnv is a fake exchange with the two markets, a signer of the default
// account and a REST client signed by it.
type wsEnv struct {
	srv    *kalshitest.Server
	signer *signing.Signer
	rest   *kalshi.Client
}

func newWSEnv(t *testing.T, opts ...kalshitest.Option) *wsEnv {
	t.Helper()
	all := append([]kalshitest.Option{
		kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{
			Ticker: wsMarket,
			Bids:   []money.PriceLevel{{Price: usd("0.45"), Count: qty("10")}, {Price: usd("0.44"), Count: qty("10")}},
			Asks:   []money.PriceLevel{{Price: usd("0.50"), Count: qty("5")}, {Price: usd("0.52"), Count: qty("10")}},
		}),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: wsMarket2, Bids: []money.PriceLevel{{Price: usd("0.30"), Count: qty("4")}}}),
	}, opts...)
	srv, rest := newClient(t, all...)
	key, _ := newKey(t, signing.Ed25519)
	srv.AddAPIKey("ws-key", key.Public())
	signer, err := signing.New("ws-key", key)
	require.NoError(t, err)
	return &wsEnv{srv: srv, signer: signer, rest: rest}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*waitLong)
	t.Cleanup(cancel)
	return ctx
}

// order places an order on the default account over REST.
func (e *wsEnv) order(t *testing.T, market string, side gen.BookSide, price, count string) *gen.CreateOrderV2Response {
	t.Helper()
	return placeOrder(t, e.rest, market, side, price, count)
}

func placeOrder(t *testing.T, c *kalshi.Client, market string, side gen.BookSide, price, count string) *gen.CreateOrderV2Response {
	t.Helper()
	res, err := c.CreateOrderV2(ctxFor(t), gen.CreateOrderV2Request{
		Ticker: market, Side: side, Price: usd(price), Count: qty(count),
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	require.NoError(t, err)
	return res
}

// restBook returns a market's book as REST reports it.
func (e *wsEnv) restBook(t *testing.T, market string) *orderbook.Book {
	t.Helper()
	res, err := e.rest.GetMarketOrderbook(ctxFor(t), market, nil)
	require.NoError(t, err)
	b := orderbook.NewBook(market)
	require.NoError(t, b.ApplySnapshot(&ws.OrderbookSnapshot{MarketTicker: market, Yes: res.OrderbookFp.YesDollars, No: res.OrderbookFp.NoDollars}))
	return b
}

// rawConn is a WebSocket connection that speaks frames, not the ws
// client: it sees exactly what the server sends.
type rawConn struct {
	t      *testing.T
	c      *websocket.Conn
	frames chan []byte
	ended  chan struct{}
	pings  atomic.Int64
	nextID int64
}

// dialRaw opens a connection signed by signer.
func dialRaw(t *testing.T, srv *kalshitest.Server, signer *signing.Signer) *rawConn {
	t.Helper()
	h, err := signer.Headers(http.MethodGet, signing.WebSocketPath)
	require.NoError(t, err)
	r := &rawConn{t: t, frames: make(chan []byte, 4096), ended: make(chan struct{})}
	c, resp, err := websocket.Dial(ctxFor(t), srv.WebSocketURL(), &websocket.DialOptions{
		HTTPHeader: h,
		OnPingReceived: func(context.Context, []byte) bool {
			r.pings.Add(1)
			return true
		},
	})
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	require.NoError(t, err)
	c.SetReadLimit(1 << 24)
	r.c = c
	go func() {
		defer close(r.ended)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				return
			}
			r.frames <- b
		}
	}()
	t.Cleanup(func() { c.CloseNow() })
	return r
}

// cmd sends a command with the next id and returns the id.
func (r *rawConn) cmd(name string, params any) int64 {
	r.t.Helper()
	r.nextID++
	m := map[string]any{"id": r.nextID, "cmd": name}
	if params != nil {
		m["params"] = params
	}
	b, err := json.Marshal(m)
	require.NoError(r.t, err)
	r.sendRaw(b)
	return r.nextID
}

func (r *rawConn) sendRaw(b []byte) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	require.NoError(r.t, r.c.Write(ctx, websocket.MessageText, b))
}

// next returns the next frame, decoded.
func (r *rawConn) next() ws.Message {
	r.t.Helper()
	select {
	case b, ok := <-r.frames:
		if !ok {
			r.t.Fatal("connection ended")
		}
		m, err := ws.Decode(b)
		require.NoError(r.t, err)
		require.Empty(r.t, m.Header().Warnings, "frame %s", b)
		return m
	case <-r.ended:
		select { // frames read before the end come first
		case b := <-r.frames:
			m, err := ws.Decode(b)
			require.NoError(r.t, err)
			return m
		default:
		}
		r.t.Fatal("connection ended")
	case <-time.After(waitLong):
		r.t.Fatal("no frame")
	}
	return nil
}

// expect returns the next frame, which must be of type T.
func expect[T ws.Message](r *rawConn) T {
	r.t.Helper()
	m := r.next()
	v, ok := m.(T)
	if !ok {
		b, _ := ws.Encode(m)
		var want T
		r.t.Fatalf("got %s, want a %T", b, want)
	}
	return v
}

// subscribe subscribes and returns the new sid.
func (r *rawConn) subscribe(params map[string]any) int64 {
	r.t.Helper()
	id := r.cmd(ws.CmdSubscribe, params)
	s := expect[*ws.Subscribed](r)
	require.Equal(r.t, id, s.ID)
	return s.SID
}

// quiet reports that no frame arrives for a moment; used only where a
// frame would be a failure, never to wait for one.
func (r *rawConn) quiet(d time.Duration) bool {
	select {
	case b := <-r.frames:
		r.t.Logf("unexpected frame %s", b)
		return false
	case <-time.After(d):
		return true
	}
}

// nothingBefore checks that no frame is queued ahead of a command's
// answer: the server answers a command only after sending every frame due
// for the REST requests completed before it, so whatever those requests
// should not have sent would arrive first.
func (r *rawConn) nothingBefore() {
	r.t.Helper()
	id := r.cmd(ws.CmdListSubscriptions, nil)
	m := r.next()
	if ok, isOK := m.(*ws.OK); !isOK || ok.ID != id {
		b, _ := ws.Encode(m)
		r.t.Fatalf("unexpected frame %s", b)
	}
}

// waitEnded waits for the server to close the connection.
func (r *rawConn) waitEnded() {
	r.t.Helper()
	select {
	case <-r.ended:
	case <-time.After(waitLong):
		r.t.Fatal("connection still open")
	}
}

// onlyConn returns the server's single open connection.
func onlyConn(t *testing.T, srv *kalshitest.Server) *kalshitest.WSConn {
	t.Helper()
	conns := srv.WSConns()
	require.Len(t, conns, 1)
	return conns[0]
}
