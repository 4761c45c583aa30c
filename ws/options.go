package ws

import (
	"github.com/seed-c9ca4919/kalshi/observe"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"time"
)

// Kalshi's WebSocket endpoints.
const (
	// ProductionURL is the WebSocket endpoint of Kalshi's production exchange.
	ProductionURL = "wss://external-api-ws.kalshi.com/trade-api/ws/v2"
	// DemoURL is the WebSocket endpoint of Kalshi's demo exchange, the default.
	DemoURL = "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"
)

// SlowConsumerPolicy says what a subscription does when its consumer falls behind and the
// subscription's bounded buffer is full. Memory never grows beyond the buffer either way.
type SlowConsumerPolicy int

const (
	// Block makes the connection's reader wait until the consumer takes the message: nothing
	// is lost, but every subscription of the connection (and command replies) waits too, and
	// a consumer stuck for long enough lets the server end the subscription (code 25) or the
	// connection, both of which are then healed. This is the default.
	Block SlowConsumerPolicy = iota
	// DropAndResync drops messages while the buffer is full, then delivers a *Gap event with
	// the number dropped as soon as there is room and, on orderbook_delta, asks the server for
	// a fresh snapshot of the subscription's markets. The connection never waits for the
	// consumer.
	DropAndResync
)

// String names the policy.
func (p SlowConsumerPolicy) String() string {
	switch p {
	case Block:
		return "block"
	case DropAndResync:
		return "drop-and-resync"
	}
	return "unknown"
}

// Backoff returns how long to wait before reconnection attempt n (0 for the first attempt
// after a connection is lost).
type Backoff func(attempt int) time.Duration

// ExponentialBackoff returns a Backoff that doubles from lo up to hi and waits a random
// duration in [d/2, d] ("equal jitter"), so many clients dropped together do not reconnect
// in lockstep.
func ExponentialBackoff(lo, hi time.Duration) Backoff {
	lo = max(lo, time.Millisecond)
	hi = max(hi, lo)
	return func(attempt int) time.Duration {
		d := lo
		for i := 0; i < attempt && d < hi; i++ {
			d *= 2
		}
		d = min(d, hi)
		half := d / 2
		return half + rand.N(half+1)
	}
}

// HeaderSigner produces the authentication headers of a request: Kalshi's
// KALSHI-ACCESS-KEY, -TIMESTAMP and -SIGNATURE over timestamp + method + path.
// *signing.Signer implements it.
type HeaderSigner interface {
	// Headers returns the headers that authenticate a request of method
	// to path (the URL's path, without the query), stamped with the
	// current time.
	Headers(method, path string) (http.Header, error)
}

type config struct {
	url              string
	signer           HeaderSigner
	httpClient       *http.Client
	observer         observe.Observer // nil when none
	bufferSize       int
	policy           SlowConsumerPolicy
	backoff          Backoff
	heartbeatTimeout time.Duration
	commandTimeout   time.Duration
	writeTimeout     time.Duration
	readLimit        int64
	header           http.Header
	unrouted         func(Message)
	reconnectLimit   int
}

func defaultConfig() config {
	return config{
		url:              DemoURL,
		bufferSize:       1024,
		policy:           Block,
		backoff:          ExponentialBackoff(250*time.Millisecond, 30*time.Second),
		heartbeatTimeout: 25 * time.Second,
		commandTimeout:   30 * time.Second,
		writeTimeout:     10 * time.Second,
		readLimit:        32 << 20,
		reconnectLimit:   20,
	}
}

// WithReconnectLimit sets how many failed reconnection attempts in a row the Conn makes
// before it gives up, ending every subscription with an error matching ErrReconnectLimit
// (default 20: with the default backoff, about seven minutes without a connection). 0 means
// it never gives up. A handshake refused with 401 or 403 ends it at once, whatever the
// limit: the key is not accepted, and trying again cannot help.
func WithReconnectLimit(n int) Option { return func(c *config) { c.reconnectLimit = n } }

// Option configures Dial.
type Option func(*config)

// WithURL sets the WebSocket URL (default DemoURL). The handshake is signed over the URL's
// path, which for Kalshi is /trade-api/ws/v2.
func WithURL(url string) Option { return func(c *config) { c.url = url } }

// WithSigner sets the signer of the handshake, usually a *signing.Signer. It is called
// afresh on every connect and reconnect, so each handshake carries a new timestamp.
func WithSigner(s HeaderSigner) Option { return func(c *config) { c.signer = s } }

// WithHTTPClient sets the HTTP client used for the handshake (proxies, TLS settings).
func WithHTTPClient(h *http.Client) Option { return func(c *config) { c.httpClient = h } }

// WithLogger logs the connection's events (connects, losses, reconnects, resubscriptions,
// gaps, resyncs, dropped messages, lag) to l at the levels observe.Logger describes. The
// default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.observer = observe.Join(c.observer, observe.Logger(l)) }
}

// WithObserver reports the connection's events to o as observe.FeedEvent values (see
// package observe; the otelkalshi module makes metrics of them). Given more than once, or
// beside WithLogger, every observer gets every event.
func WithObserver(o observe.Observer) Option {
	return func(c *config) { c.observer = observe.Join(c.observer, o) }
}

// WithHeader adds headers to every handshake (for example a User-Agent).
func WithHeader(h http.Header) Option { return func(c *config) { c.header = h.Clone() } }

// WithBufferSize sets how many messages each subscription buffers for its consumer
// (default 1024, minimum 1).
func WithBufferSize(n int) Option {
	return func(c *config) { c.bufferSize = max(n, 1) }
}

// WithSlowConsumerPolicy sets the default policy of subscriptions whose consumer falls
// behind (default Block). Params.SlowConsumer overrides it per subscription.
func WithSlowConsumerPolicy(p SlowConsumerPolicy) Option {
	return func(c *config) { c.policy = p }
}

// WithReconnectBackoff sets the delay between reconnection attempts
// (default ExponentialBackoff(250ms, 30s)).
func WithReconnectBackoff(b Backoff) Option {
	return func(c *config) {
		if b != nil {
			c.backoff = b
		}
	}
}

// WithHeartbeatTimeout sets how long the connection may stay silent (no frame and no ping)
// before it is considered dead and replaced. Kalshi pings every 10 s; the default is 25 s.
func WithHeartbeatTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.heartbeatTimeout = d
		}
	}
}

// WithCommandTimeout bounds how long restoring a subscription after a reconnect, and the
// client's own resync commands, wait for the server's reply (default 30 s). Commands sent
// by the caller are bounded by the caller's context instead.
func WithCommandTimeout(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.commandTimeout = d
		}
	}
}

// WithReadLimit sets the largest frame accepted, in bytes (default 32 MiB; big order book
// snapshots exceed the WebSocket library's 32 KiB default).
func WithReadLimit(n int64) Option {
	return func(c *config) {
		if n > 0 {
			c.readLimit = n
		}
	}
}

// WithUnroutedHandler sets a function called, on the connection's reader goroutine, with every
// message that belongs to no open subscription and answers no pending command (for example
// frames of a subscription just unsubscribed, or a new kind of broadcast). It must not block.
// Without it such messages are logged at debug level.
func WithUnroutedHandler(f func(Message)) Option { return func(c *config) { c.unrouted = f } }
