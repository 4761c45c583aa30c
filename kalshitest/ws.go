package kalshitest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// UnknownMessageType is the type of the frames WSConn.SendUnknown and
// WSFaults.UnknownTypeRate send: a type no client knows yet, as a newer
// Kalshi might send one.
const UnknownMessageType = "kalshitest_unknown"

// wsWriteTimeout is how long one frame may take to write before the
// connection is considered dead and closed.
const wsWriteTimeout = 10 * time.Second

// ErrNoSubscription is returned by WSConn methods given a sid the
// connection does not have.
var ErrNoSubscription = errors.New("kalshitest: no such WebSocket subscription")

// WebSocketURL returns the URL of the fake's WebSocket endpoint
// (ws://host:port/trade-api/ws/v2), for ws.WithURL. Handshakes must be
// signed by a key registered with AddAPIKey or AddAccount; private
// channels carry that key's account only.
func (s *Server) WebSocketURL() string {
	return "ws://" + s.listener.Addr().String() + signing.WebSocketPath
}

// WSConns returns the open WebSocket connections, oldest first.
func (s *Server) WSConns() []*WSConn {
	s.ws.mu.Lock()
	defer s.ws.mu.Unlock()
	out := make([]*WSConn, 0, len(s.ws.conns))
	for _, c := range s.ws.conns {
		if !c.closed {
			out = append(out, c)
		}
	}
	return out
}

// DropWSConns closes every open WebSocket connection abruptly, without a
// close frame, as a network failure would, and returns how many it closed.
// Clients reconnect and subscribe again; new connections are accepted as
// usual.
func (s *Server) DropWSConns() int {
	conns := s.WSConns()
	for _, c := range conns {
		c.Drop()
	}
	return len(conns)
}

// WSConn is one WebSocket connection to the fake exchange, for tests that
// inject faults into a single connection. Its methods are safe for
// concurrent use, and harmless once the connection has ended.
type WSConn struct {
	f      *wsFeed
	ws     *websocket.Conn
	userID string
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	wg     sync.WaitGroup

	// Guarded by f.mu.
	subs    []*wsSub // by sid
	nextSID int64
	closed  bool

	// The outbound queue and the stall, guarded by qmu. The writer goroutine
	// drains the queue; the feed fills it.
	qmu       sync.Mutex
	queue     []outFrame
	wake      chan struct{}
	stallHold bool
	stallTill time.Time
	stallCh   chan struct{} // closed and replaced when the stall changes
}

type outFrame struct {
	data  []byte
	sub   *wsSub        // for data frames, which count against the subscription's buffer
	stall time.Duration // a stall to begin once the frame is written
	drop  bool          // instead of a frame: close the connection here
}

// wsSub is one subscription of a connection. Its fields are guarded by
// the feed's mutex, except queued.
type wsSub struct {
	conn        *WSConn
	sid         int64
	channel     string
	markets     []string
	marketIDs   []string
	useYesPrice bool
	skipAck     bool
	indexIDs    []string
	underlyings []string
	userFilter  string // communications: "self" for the user's own RFQs only
	shardFactor int64  // communications: 0 unless sharded
	shardKey    int64  // communications: which shard this subscription takes
	seq         int64
	skip        int64
	ended       bool
	queued      atomic.Int64 // data frames queued and not yet written
}

// WSSubscription describes a subscription of a WSConn.
type WSSubscription struct {
	// SID is the subscription's id on its connection.
	SID int64
	// Channel is the channel subscribed to.
	Channel string
	// Markets are the market tickers it is filtered to (none: all markets).
	Markets []string
	// Seq is the sequence number of the last frame sent on it (0 if none).
	Seq int64
	// Queued counts its data frames waiting to be written.
	Queued int
}

func acceptWS(f *wsFeed, w http.ResponseWriter, r *http.Request, userID string) (*WSConn, error) {
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return nil, err
	}
	conn.SetReadLimit(1 << 20)
	ctx, cancel := context.WithCancel(context.Background())
	return &WSConn{
		f: f, ws: conn, userID: userID, ctx: ctx, cancel: cancel, done: make(chan struct{}),
		wake: make(chan struct{}, 1), stallCh: make(chan struct{}),
	}, nil
}

// serve runs the connection: this goroutine reads commands, one writes
// the outbound queue, one pings. It returns when the connection has ended
// and its goroutines have exited.
func (c *WSConn) serve() {
	c.wg.Add(2)
	go c.writeLoop()
	go c.pingLoop()
	for {
		_, data, err := c.ws.Read(c.ctx)
		if err != nil {
			break
		}
		c.f.command(c, data)
	}
	c.f.removeConn(c)
	c.cancel()
	c.ws.CloseNow()
	c.wg.Wait()
	close(c.done)
}

func (f *wsFeed) removeConn(c *WSConn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.closed = true
	for _, s := range c.subs {
		s.ended = true
	}
	c.subs = nil
	if i := slices.Index(f.conns, c); i >= 0 {
		f.conns = slices.Delete(f.conns, i, i+1)
	}
}

// writeLoop writes queued frames in order, waiting out stalls.
func (c *WSConn) writeLoop() {
	defer c.wg.Done()
	for {
		if !c.waitFrame() || !c.waitUnstalled() {
			return
		}
		c.qmu.Lock()
		fr := c.queue[0]
		c.queue[0] = outFrame{}
		c.queue = c.queue[1:]
		if len(c.queue) == 0 {
			c.queue = nil
		}
		c.qmu.Unlock()
		if fr.drop {
			c.ws.CloseNow()
			return
		}
		ctx, cancel := context.WithTimeout(c.ctx, wsWriteTimeout)
		err := c.ws.Write(ctx, websocket.MessageText, fr.data)
		cancel()
		if fr.sub != nil {
			fr.sub.queued.Add(-1)
		}
		if err != nil {
			c.ws.CloseNow()
			return
		}
		if fr.stall > 0 {
			c.Stall(fr.stall)
		}
	}
}

func (c *WSConn) waitFrame() bool {
	for {
		c.qmu.Lock()
		n := len(c.queue)
		c.qmu.Unlock()
		if n > 0 {
			return true
		}
		select {
		case <-c.wake:
		case <-c.ctx.Done():
			return false
		}
	}
}

func (c *WSConn) waitUnstalled() bool {
	for {
		c.qmu.Lock()
		hold, till, ch := c.stallHold, c.stallTill, c.stallCh
		c.qmu.Unlock()
		wait := time.Until(till)
		if !hold && wait <= 0 {
			return true
		}
		var timeout <-chan time.Time
		if !hold {
			t := time.NewTimer(wait)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-ch:
		case <-timeout:
		case <-c.ctx.Done():
			return false
		}
	}
}

func (c *WSConn) stalled() bool {
	c.qmu.Lock()
	defer c.qmu.Unlock()
	return c.stallHold || time.Now().Before(c.stallTill)
}

// pingLoop pings the client every ping interval, as Kalshi does, except
// while the connection is stalled.
func (c *WSConn) pingLoop() {
	defer c.wg.Done()
	d := c.f.cfg.pingInterval
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
		if c.stalled() {
			continue
		}
		ctx, cancel := context.WithTimeout(c.ctx, d)
		_ = c.ws.Ping(ctx) // a missing pong is the client's problem; a dead connection ends the reader
		cancel()
	}
}

// push queues a frame (feed lock held, so frames queue in seq order).
func (c *WSConn) push(data []byte, sub *wsSub) { c.pushFrame(outFrame{data: data, sub: sub}) }

func (c *WSConn) pushFrame(fr outFrame) {
	if fr.sub != nil {
		fr.sub.queued.Add(1)
	}
	c.qmu.Lock()
	c.queue = append(c.queue, fr)
	c.qmu.Unlock()
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// send encodes and queues a control frame: a reply, or an error.
func (c *WSConn) send(m ws.Message) { c.push(mustEncode(m), nil) }

func mustEncode(m ws.Message) []byte {
	b, err := ws.Encode(m)
	if err != nil {
		panic(fmt.Sprintf("kalshitest: encoding %T: %v", m, err))
	}
	return b
}

// sequenced reports whether the channel's data frames carry seq. Kalshi
// numbers every channel's frames except ticker, fill, market_positions and
// user_orders.
func (s *wsSub) sequenced() bool {
	switch s.channel {
	case ws.ChannelTicker, ws.ChannelFill, ws.ChannelMarketPositions, ws.ChannelUserOrders:
		return false
	}
	return true
}

// next returns the subscription's next sequence number.
func (s *wsSub) next() int64 {
	s.seq += 1 + s.skip
	s.skip = 0
	return s.seq
}

// wants reports whether the subscription receives data about a market.
func (s *wsSub) wants(ticker string) bool {
	switch s.channel {
	case ws.ChannelOrderbookDelta:
		return slices.Contains(s.markets, ticker)
	case ws.ChannelTicker, ws.ChannelTrade, ws.ChannelFill, ws.ChannelUserOrders, ws.ChannelMarketPositions:
		if len(s.markets) == 0 && len(s.marketIDs) == 0 {
			return true
		}
		return slices.Contains(s.markets, ticker) || (len(s.marketIDs) > 0 && slices.Contains(s.marketIDs, marketID(ticker)))
	}
	return true // channels without market filters
}

// emit numbers and queues a data frame of s, applying the random faults
// in force. A subscription whose buffer is full ends with error 25, as
// Kalshi's do. Feed lock held.
func (f *wsFeed) emit(s *wsSub, m ws.Message) {
	c := s.conn
	if s.ended || c.closed {
		return
	}
	fl := f.faults.draw()
	if fl.drop {
		// The frames queued so far go out, then the connection closes;
		// nothing more is queued on it.
		c.closed = true
		c.pushFrame(outFrame{drop: true})
		return
	}
	if fl.unknown {
		f.emitUnknown(s)
	}
	if fl.skip && s.sequenced() {
		s.skip++
	}
	if s.queued.Load() >= int64(f.cfg.bufferSize) {
		f.endSub(s, ws.CodeSubscriptionBufferFull)
		return
	}
	h := m.Header()
	h.SID = s.sid
	if s.sequenced() {
		h.Seq = s.next()
	}
	c.pushFrame(outFrame{data: mustEncode(m), sub: s, stall: fl.stall})
}

// emitUnknown queues a frame of UnknownMessageType on s.
func (f *wsFeed) emitUnknown(s *wsSub) {
	m := &ws.RawMessage{Envelope: ws.Envelope{Type: UnknownMessageType, SID: s.sid}, Msg: []byte(`{"note":"a message type this client does not know"}`)}
	if s.sequenced() {
		m.Seq = s.next()
	}
	s.conn.push(mustEncode(m), s)
}

// endSub ends a subscription on the server with a terminal error (10 or
// 25) the client must answer by subscribing again. Feed lock held.
func (f *wsFeed) endSub(s *wsSub, code ws.ErrorCode) {
	c := s.conn
	s.ended = true
	if i := slices.Index(c.subs, s); i >= 0 {
		c.subs = slices.Delete(c.subs, i, i+1)
	}
	e := &ws.Error{Envelope: ws.Envelope{SID: s.sid}, Code: code, Message: errorText(code)}
	if s.sequenced() {
		e.Seq = s.next()
	}
	c.send(e)
}

// sub returns the connection's subscription sid (feed lock held).
func (c *WSConn) sub(sid int64) *wsSub {
	for _, s := range c.subs {
		if s.sid == sid {
			return s
		}
	}
	return nil
}

// UserID returns the account the connection authenticated as.
func (c *WSConn) UserID() string { return c.userID }

// Done is closed when the connection has ended and the server has
// released it.
func (c *WSConn) Done() <-chan struct{} { return c.done }

// Drop closes the connection abruptly, without a close frame, as a
// network failure would.
func (c *WSConn) Drop() {
	c.f.mu.Lock()
	c.closed = true
	c.f.mu.Unlock()
	c.ws.CloseNow()
}

// Stall stops writing to the connection for d, or until Release when d <=
// 0: frames queue up (until a subscription's buffer overflows, which ends
// it with error 25) and no pings are sent, so the client sees a silent
// connection. Stall(d) replaces any stall in force.
func (c *WSConn) Stall(d time.Duration) {
	if d <= 0 {
		c.setStall(true, time.Time{})
		return
	}
	c.setStall(false, time.Now().Add(d))
}

// Release ends a stall: queued frames are written at once.
func (c *WSConn) Release() { c.setStall(false, time.Time{}) }

func (c *WSConn) setStall(hold bool, till time.Time) {
	c.qmu.Lock()
	c.stallHold, c.stallTill = hold, till
	old := c.stallCh
	c.stallCh = make(chan struct{})
	c.qmu.Unlock()
	close(old)
}

// Subscriptions returns the connection's subscriptions, by sid.
func (c *WSConn) Subscriptions() []WSSubscription {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	out := make([]WSSubscription, 0, len(c.subs))
	for _, s := range c.subs {
		out = append(out, WSSubscription{SID: s.sid, Channel: s.channel, Markets: slices.Clone(s.markets), Seq: s.seq, Queued: int(s.queued.Load())})
	}
	return out
}

// SkipSeq makes the next numbered frame of subscription sid carry one
// sequence number more than it should, as if a frame had been lost: the
// client sees a gap. On channels whose data frames carry no seq (ticker,
// fill, market_positions, user_orders) the next numbered frame is a reply
// (ok, unsubscribed).
func (c *WSConn) SkipSeq(sid int64) error {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	s := c.sub(sid)
	if s == nil {
		return fmt.Errorf("%w: sid %d", ErrNoSubscription, sid)
	}
	s.skip++
	return nil
}

// SendUnknown sends, on subscription sid, a frame of UnknownMessageType
// (numbered, on channels that number their frames), which a client should
// deliver as it is rather than drop.
func (c *WSConn) SendUnknown(sid int64) error {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	s := c.sub(sid)
	if s == nil {
		return fmt.Errorf("%w: sid %d", ErrNoSubscription, sid)
	}
	c.f.emitUnknown(s)
	return nil
}

// FailSubscription ends subscription sid with error 10 (channel error),
// which Kalshi documents as terminal: the client must subscribe again.
func (c *WSConn) FailSubscription(sid int64) error {
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	s := c.sub(sid)
	if s == nil {
		return fmt.Errorf("%w: sid %d", ErrNoSubscription, sid)
	}
	c.f.endSub(s, ws.CodeChannelError)
	return nil
}
