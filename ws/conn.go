package ws

import (
	"context"
	"errors"
	"fmt"
	"github.com/seed-c9ca4919/kalshi/observe"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/seed-c9ca4919/kalshi/internal/kalshierr"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Conn is a WebSocket connection to Kalshi. It reconnects with backoff when the
// connection drops or falls silent, restores every subscription with its current markets,
// checks each subscription's sequence, and routes every command's reply to its caller.
// All methods are safe for concurrent use.
type Conn struct {
	cfg      config
	path     string
	nextID   atomic.Int64
	connects atomic.Int64

	ctx     context.Context // lives until Close
	cancel  context.CancelFunc
	closing <-chan struct{}
	wg      sync.WaitGroup

	mu      sync.Mutex
	gen     *generation   // live connection, nil while reconnecting
	genSet  chan struct{} // closed when gen is set
	subs    []*Subscription
	closed  bool
	failed  error // why the Conn gave up reconnecting, nil while it has not
	failSet chan struct{}
}

// State is what a Conn is doing.
type State int

// The states of a Conn.
const (
	// Connected: the connection is up.
	Connected State = iota
	// Reconnecting: the connection was lost and the Conn is dialing again; subscriptions
	// have received a *Disconnected and get nothing until they are restored.
	Reconnecting
	// Failed: the Conn gave up (the handshake was refused with 401 or 403, or the
	// reconnect limit was reached); Err says why and every subscription ended with it.
	Failed
	// Closed: Close was called.
	Closed
)

// String names the state.
func (s State) String() string {
	switch s {
	case Connected:
		return "connected"
	case Reconnecting:
		return "reconnecting"
	case Failed:
		return "failed"
	case Closed:
		return "closed"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// String describes the connection: its URL, state and number of
// connects, never its signer's key.
func (c *Conn) String() string {
	return fmt.Sprintf("ws.Conn(%s, %s, %d connects)", c.cfg.url, c.State(), c.connects.Load())
}

// Format prints String for every verb, so printing a Conn never walks its
// live fields.
func (c *Conn) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, c.String()) }

// State returns what the Conn is doing now.
func (c *Conn) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return Closed
	case c.failed != nil:
		return Failed
	case c.gen == nil:
		return Reconnecting
	}
	return Connected
}

// Err returns why the Conn gave up reconnecting (a *HandshakeError, or an error matching
// ErrReconnectLimit), or nil while it has not.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.failed
}

// Failed is closed when the Conn gives up reconnecting; Err then says why.
func (c *Conn) Failed() <-chan struct{} { return c.failSet }

// fail gives up: every subscription ends with err, and so do later commands.
func (c *Conn) fail(err error) {
	c.mu.Lock()
	if c.closed || c.failed != nil {
		c.mu.Unlock()
		return
	}
	c.failed = err
	close(c.failSet)
	subs := c.subs
	c.subs = nil
	c.mu.Unlock()
	c.report(observe.FeedEvent{Kind: observe.FeedGaveUp, Err: err})
	for _, s := range subs {
		s.end(err)
	}
}

// HandshakeError reports a refused WebSocket handshake, with the HTTP status the server
// answered (401 for a bad signature or an expired timestamp).
type HandshakeError struct {
	date       time.Time // the refusal's Date header, for a clock correction
	StatusCode int       // the refusal's HTTP status; 0 when no answer came
	Code       string    // Kalshi's error code, e.g. "authentication_error"
	Message    string    // Kalshi's message
	Details    string    // extra detail, e.g. "NOT_FOUND"
	Hint       string    // what to do about it, when the cause is known
	Err        error     // the dial's own error, such as a bad handshake or a network failure
}

// Error returns one line: the status, Kalshi's code, message and details,
// and the hint.
func (e *HandshakeError) Error() string {
	if e.StatusCode == 0 {
		return fmt.Sprintf("ws: handshake failed: %v", e.Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ws: handshake refused with HTTP %d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" && e.Message != e.Code {
		b.WriteString(": " + e.Message)
	}
	if e.Details != "" {
		b.WriteString(" (" + e.Details + ")")
	}
	if e.Hint != "" {
		b.WriteString("; " + e.Hint)
	}
	if e.Code == "" && e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *HandshakeError) Unwrap() error { return e.Err }

// Dial connects to Kalshi's WebSocket API (DemoURL unless WithURL says otherwise), signing the
// handshake with the configured signer. ctx bounds only this first connection; the Conn lives
// until Close, reconnecting by itself. A handshake refused for a stale timestamp is tried
// once more after setting the signer's clock from the refusal (when the signer, like a
// *signing.Signer, has CorrectClock).
func Dial(ctx context.Context, opts ...Option) (*Conn, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.signer == nil {
		return nil, ErrNoSigner
	}
	u, err := url.Parse(cfg.url)
	if err != nil {
		return nil, fmt.Errorf("ws: bad URL %q: %w", cfg.url, err)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	c := &Conn{cfg: cfg, path: path, genSet: make(chan struct{}), failSet: make(chan struct{})}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.closing = c.ctx.Done()
	g, err := c.connect(ctx)
	var he *HandshakeError
	if errors.As(err, &he) && he.Code == "header_timestamp_expired" && c.correctClock(he) {
		g, err = c.connect(ctx) // signed with the corrected clock
	}
	if err != nil {
		c.cancel()
		return nil, err
	}
	c.attach(g)
	c.report(observe.FeedEvent{Kind: observe.FeedConnected})
	c.wg.Add(1)
	go c.supervise(g)
	return c, nil
}

// Subscribe subscribes to one channel and waits for the server's confirmation. The
// subscription is restored automatically after reconnects and terminal errors until
// Unsubscribe or Close. A refusal is returned as *Error.
func (c *Conn) Subscribe(ctx context.Context, p Params) (*Subscription, error) {
	if p.Channel == "" {
		return nil, errors.New("ws: Params.Channel is required")
	}
	s := newSubscription(c, p)
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, ErrClosed
	}
	if c.failed != nil {
		err := c.failed
		c.mu.Unlock()
		return nil, err
	}
	c.subs = append(c.subs, s)
	c.mu.Unlock()

	g, err := c.ready(ctx)
	if err == nil {
		c.ensure(g, s, "")
		_, _, err = s.waitBound(ctx)
	}
	if err != nil {
		c.abandon(s, err)
		return nil, err
	}
	return s, nil
}

// abandon drops a subscription whose Subscribe failed, unsubscribing it on the server if it
// was bound meanwhile. If it already ended, its own reason is returned to the caller.
func (c *Conn) abandon(s *Subscription, err error) {
	c.forget(s)
	s.mu.Lock()
	g, sid := s.gen, s.sid
	s.mu.Unlock()
	s.end(err)
	if sid != 0 {
		g.unbind(sid, s)
		c.unsubscribeOrphan(g, sid)
	}
}

// Close unsubscribes nothing but ends everything: the connection is closed with a normal
// close frame, every subscription ends with ErrClosed, and Close returns once all of the
// Conn's goroutines have exited.
func (c *Conn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	subs := c.subs
	c.subs = nil
	c.mu.Unlock()
	c.cancel()
	for _, s := range subs {
		s.end(ErrClosed)
	}
	c.wg.Wait()
	return nil
}

// Connects returns how many connections (the first and every reconnect) were established.
func (c *Conn) Connects() int64 { return c.connects.Load() }

// forget removes s from the subscriptions to restore.
func (c *Conn) forget(s *Subscription) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, x := range c.subs {
		if x == s {
			c.subs = append(c.subs[:i:i], c.subs[i+1:]...)
			return
		}
	}
}

// ready waits until a connection is up.
func (c *Conn) ready(ctx context.Context) (*generation, error) {
	for {
		c.mu.Lock()
		closed, failed, g, ch := c.closed, c.failed, c.gen, c.genSet
		c.mu.Unlock()
		if closed {
			return nil, ErrClosed
		}
		if failed != nil {
			return nil, failed
		}
		if g != nil {
			return g, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-c.closing:
			return nil, ErrClosed
		case <-c.failSet:
		}
	}
}

func (c *Conn) attach(g *generation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen = g
	close(c.genSet)
}

func (c *Conn) detach(g *generation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == g {
		c.gen = nil
		c.genSet = make(chan struct{})
	}
}

// connect performs one signed handshake and starts the connection's reader.
func (c *Conn) connect(ctx context.Context) (*generation, error) {
	header := c.cfg.header.Clone()
	if header == nil {
		header = http.Header{}
	}
	signed, err := c.cfg.signer.Headers(http.MethodGet, c.path)
	if err != nil {
		return nil, fmt.Errorf("ws: sign handshake: %w", err)
	}
	for k, v := range signed {
		header[k] = v
	}
	g := &generation{
		c:       c,
		done:    make(chan struct{}),
		pending: make(map[int64]*pending),
		bySID:   make(map[int64]*Subscription),
		started: time.Now(),
	}
	g.ctx, g.cancel = context.WithCancel(context.Background())
	dctx, cancel := context.WithTimeout(ctx, c.cfg.commandTimeout)
	defer cancel()
	// The handshake is signed: it never follows a redirect.
	hc := http.Client{}
	if c.cfg.httpClient != nil {
		hc = *c.cfg.httpClient
	}
	hc.CheckRedirect = signing.RefuseRedirect
	conn, resp, err := websocket.Dial(dctx, c.cfg.url, &websocket.DialOptions{
		HTTPClient: &hc,
		HTTPHeader: header,
		OnPingReceived: func(context.Context, []byte) bool {
			g.alive()
			return true
		},
	})
	var refusal []byte // the refusal's body: the websocket library keeps its first 1 KiB
	if resp != nil && resp.Body != nil {
		if err != nil {
			refusal, _ = io.ReadAll(io.LimitReader(resp.Body, 1024))
		}
		resp.Body.Close()
	}
	if err != nil {
		g.cancel()
		he := &HandshakeError{Err: err}
		if resp != nil && resp.StatusCode != http.StatusSwitchingProtocols {
			he.StatusCode = resp.StatusCode
			f := kalshierr.Parse(resp.StatusCode, refusal)
			he.Code, he.Message, he.Details = f.Code, f.Message, f.Details
			he.Hint = kalshierr.AuthHint(resp.StatusCode, f.Code, f.Details)
			he.date, _ = http.ParseTime(resp.Header.Get("Date"))
		}
		return nil, he
	}
	conn.SetReadLimit(c.cfg.readLimit)
	g.ws = conn
	g.watchdog = time.AfterFunc(c.cfg.heartbeatTimeout, g.expire)
	c.connects.Add(1)
	c.wg.Add(1)
	go g.run()
	return g, nil
}

// ensure subscribes s on g unless it is already bound there or a subscribe is in flight.
// The reply is handled on the reader goroutine (see onSubscribeReply). reason is empty for
// the first subscribe, and says why otherwise.
func (c *Conn) ensure(g *generation, s *Subscription, reason string) {
	p, ok := s.startSubscribe(g)
	if !ok {
		return
	}
	if _, _, err := c.send(g, CmdSubscribe, p.command(), c.onSubscribeReply(g, s, p, reason)); err != nil {
		s.clearInflight(g)
	}
}

// onSubscribeReply returns the reader-side handler of a subscribe reply for s.
func (c *Conn) onSubscribeReply(g *generation, s *Subscription, p Params, reason string) func(Message) {
	return func(m Message) {
		switch v := m.(type) {
		case *Subscribed:
			oldSID, ok := s.bind(g, v.SID)
			if !ok { // abandoned or closed meanwhile
				c.unsubscribeOrphan(g, v.SID)
				return
			}
			g.bindSID(v.SID, s)
			s.lastSeq = 0
			if reason != "" {
				c.report(observe.FeedEvent{Kind: observe.FeedResubscribed, Channel: string(p.Channel), SID: v.SID, Reason: reason})
				s.deliver(g, &Resubscribed{
					Envelope: Envelope{Type: TypeResubscribed, SID: v.SID},
					OldSID:   oldSID, NewSID: v.SID, Reason: reason, Markets: p.MarketTickers,
				})
			}
		case *Error:
			s.clearInflight(g)
			if reason != "" && v.Code.Transient() {
				c.retrySubscribe(s, reason)
				return
			}
			c.forget(s)
			s.end(v)
		default:
			s.clearInflight(g)
			c.forget(s)
			s.end(fmt.Errorf("%w: %s to subscribe", ErrUnexpectedReply, m.Header().Type))
		}
	}
}

// generation is one WebSocket connection: its reader, its pending commands and the sids the
// server gave on it. A reconnect makes a new generation.
type generation struct {
	c        *Conn
	ws       *websocket.Conn
	ctx      context.Context
	cancel   context.CancelFunc
	done     chan struct{} // closed when the reader has exited
	started  time.Time
	watchdog *time.Timer

	mu      sync.Mutex
	dead    bool
	pending map[int64]*pending
	bySID   map[int64]*Subscription

	err    error       // why the reader stopped; set before done is closed
	silent atomic.Bool // the heartbeat timeout closed the connection
}

func (g *generation) addPending(id int64, p *pending) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.dead {
		return false
	}
	g.pending[id] = p
	return true
}

func (g *generation) removePending(id int64) {
	g.mu.Lock()
	delete(g.pending, id)
	g.mu.Unlock()
}

// abandonPending keeps the reply handler (it may bind a sid that must then be released)
// but nobody waits for the reply any more; the buffered reply channel absorbs it.
func (g *generation) abandonPending(id int64) {
	g.mu.Lock()
	p := g.pending[id]
	g.mu.Unlock()
	if p != nil && p.onReply == nil {
		g.removePending(id)
	}
}

func (g *generation) takePending(id int64) *pending {
	g.mu.Lock()
	defer g.mu.Unlock()
	p := g.pending[id]
	delete(g.pending, id)
	return p
}

func (g *generation) bindSID(sid int64, s *Subscription) {
	g.mu.Lock()
	g.bySID[sid] = s
	g.mu.Unlock()
}

// unbind forgets sid on this connection if it still belongs to s.
func (g *generation) unbind(sid int64, s *Subscription) {
	g.mu.Lock()
	if g.bySID[sid] == s {
		delete(g.bySID, sid)
	}
	g.mu.Unlock()
	s.unbindFrom(g, sid)
}

func (g *generation) lookup(sid int64) *Subscription {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.bySID[sid]
}

func (g *generation) write(frame []byte) error {
	ctx, cancel := context.WithTimeout(g.ctx, g.c.cfg.writeTimeout)
	defer cancel()
	if err := g.ws.Write(ctx, websocket.MessageText, frame); err != nil {
		return fmt.Errorf("%w: %w", ErrConnectionLost, err)
	}
	return nil
}

// alive pushes the heartbeat deadline back: a frame or a ping arrived.
func (g *generation) alive() { g.watchdog.Reset(g.c.cfg.heartbeatTimeout) }

func (g *generation) pauseWatchdog()  { g.watchdog.Stop() }
func (g *generation) resumeWatchdog() { g.alive() }

// expire runs when the connection stayed silent past the heartbeat timeout.
func (g *generation) expire() {
	g.silent.Store(true)
	g.ws.CloseNow()
}

// run is the reader: it decodes every frame and routes it, until the connection fails.
func (g *generation) run() {
	defer g.c.wg.Done()
	defer close(g.done)
	defer g.shutdown()
	for {
		_, data, err := g.ws.Read(g.ctx)
		if err != nil {
			if g.c.ctx.Err() == nil {
				if g.silent.Load() {
					err = fmt.Errorf("%w (%s)", errSilent, g.c.cfg.heartbeatTimeout)
				}
				g.c.report(observe.FeedEvent{Kind: observe.FeedDisconnected, Err: err})
			}
			g.err = err
			return
		}
		g.alive()
		m, err := Decode(data)
		if err != nil {
			g.c.report(observe.FeedEvent{Kind: observe.FeedUndecodable, Err: err})
			continue
		}
		g.route(m)
	}
}

// shutdown releases what the connection held: its socket, its sids.
func (g *generation) shutdown() {
	g.watchdog.Stop()
	g.ws.CloseNow()
	g.cancel()
	g.mu.Lock()
	g.dead = true
	bound := g.bySID
	g.bySID = map[int64]*Subscription{}
	g.pending = map[int64]*pending{}
	g.mu.Unlock()
	for sid, s := range bound {
		s.unbindFrom(g, sid)
	}
}

// route sends a decoded frame where it belongs: to the command it answers, to its
// subscription, or to the unrouted handler. Runs on the reader goroutine.
func (g *generation) route(m Message) {
	h := m.Header()
	var p *pending
	if h.ID != 0 {
		p = g.takePending(h.ID)
	}
	var s *Subscription
	if h.SID != 0 {
		s = g.lookup(h.SID)
	}
	if s != nil && h.Seq != 0 {
		if gap := s.checkSeq(h.Seq); gap != nil {
			gap.Envelope = Envelope{Type: TypeGap, SID: h.SID}
			gap.Resync = s.params.Channel == ChannelOrderbookDelta
			g.c.report(observe.FeedEvent{Kind: observe.FeedGap, Channel: string(s.params.Channel), SID: h.SID, Expected: gap.Expected, Got: gap.Got})
			s.deliver(g, gap)
			if gap.Resync {
				g.c.resync(s)
			}
		}
	}
	if p != nil {
		if p.onReply != nil {
			p.onReply(m)
		}
		p.reply <- m
	}
	switch h.Type {
	case TypeError:
		if e, ok := m.(*Error); ok && s != nil && e.Code.Terminal() {
			s.deliver(g, m)
			g.unbind(h.SID, s)
			g.c.retrySubscribe(s, fmt.Sprintf("error %d", int(e.Code)))
			return
		}
		switch {
		case s != nil && p == nil:
			s.deliver(g, m) // scoped to the subscription, answering no command
		case p == nil:
			g.unrouted(m)
		}
	case TypeSubscribed, TypeUnsubscribed, TypeOK, TypeListSubscriptions:
		if p == nil && s == nil {
			g.unrouted(m)
		}
	default:
		switch {
		case s != nil:
			s.attempts.Store(0)
			if g.c.cfg.observer != nil {
				g.c.reportLag(s, m)
			}
			s.deliver(g, m)
		case p == nil:
			g.unrouted(m)
		}
	}
}

func (g *generation) unrouted(m Message) {
	if f := g.c.cfg.unrouted; f != nil {
		f(m)
		return
	}
}
