// Package observe is how a kalshi.Client and a ws.Conn report what they do:
// every call and each of its attempts, every wait for rate-limit tokens,
// and the feed's connects, reconnects, gaps, resyncs, dropped messages and
// lag. An Observer receives these events; Logger writes them to a
// log/slog logger, Join sends them to several observers, and the module
// github.com/seed-c9ca4919/kalshi/otelkalshi turns them into OpenTelemetry
// spans and metrics.
//
// Events carry no key material, signature, request body or order detail:
// only operations, statuses, counts, durations and Kalshi's error codes.
// With no observer set, the client and the feed pay a nil check per event.
package observe

import (
	"context"
	"time"
)

// Observer receives a client's and a feed's events. Its methods are
// called synchronously on the goroutine doing the work, so they must be
// quick and safe for concurrent use. Embed Nop to implement only some.
type Observer interface {
	// CallStart is called when a typed method starts; the context it
	// returns is the call's from then on (its attempts and waits see it).
	CallStart(ctx context.Context, c *Call) context.Context
	// CallEnd is called with the same *Call when the method returns, its
	// outcome filled in.
	CallEnd(ctx context.Context, c *Call)
	// AttemptStart is called before each time a request is sent; the
	// context it returns is the attempt's.
	AttemptStart(ctx context.Context, a *Attempt) context.Context
	// AttemptEnd is called with the same *Attempt when the attempt's
	// answer (or failure) is known.
	AttemptEnd(ctx context.Context, a *Attempt)
	// RateLimitWait is called after a request drew tokens from one of the
	// client's rate-limit buckets, whether it had to wait or not.
	RateLimitWait(ctx context.Context, w RateLimitWait)
	// Feed is called for each event of a WebSocket connection.
	Feed(ctx context.Context, e FeedEvent)
}

// Call is one call of a typed method: what was called, then how it ended.
type Call struct {
	// Operation is the operationId ("GetMarkets"); Method and Path are its
	// HTTP method and path template ("/markets/{ticker}").
	Operation, Method, Path string
	// Start is when the call began.
	Start time.Time

	// The outcome, set before CallEnd.

	// Duration is the call's whole time, retries and waits included.
	Duration time.Duration
	// Attempts is how many times the request was sent (0 when it never
	// was: a refused parameter, missing credentials, a cancelled wait).
	Attempts int
	// StatusCode is the final answer's HTTP status; 0 without an answer.
	StatusCode int
	// ErrorCode is Kalshi's error code of a non-2xx answer
	// ("insufficient_balance"); "" otherwise.
	ErrorCode string
	// ResponseBytes is the size of the final answer's body.
	ResponseBytes int64
	// IdempotencyKey reports that the request carried a client_order_id
	// for each of its orders (the client gives one to any order without
	// it), so that no retry can place an order twice. It is false for
	// operations that place no order. The ids themselves are not given.
	IdempotencyKey bool
	// Err is what the call returned as its error; nil on success.
	Err error
}

// Attempt is one sending of a request.
type Attempt struct {
	// Operation is the operationId; "" for a request outside the spec.
	Operation string
	// Method is the HTTP method; Scheme the URL's scheme ("https");
	// Host the server's host and port; Path the path template, or the
	// request path outside the spec.
	Method, Scheme, Host, Path string
	// Number is 1 for the first attempt, 2 for the first retry.
	Number int
	// RetryReason says why this attempt was made again ("status 503",
	// "status 429", "timeout", "connection", "clock skew"); "" for the
	// first.
	RetryReason string
	// Wait is how long the client waited before this attempt (backoff or
	// Retry-After); 0 for the first and for a clock-skew resend.
	Wait time.Duration
	// Start is when the attempt was sent.
	Start time.Time

	// The outcome, set before AttemptEnd.

	// Duration is from sending to the end of the answer's body (for the
	// typed methods, which read it within the attempt) or its headers.
	Duration time.Duration
	// StatusCode is the answer's HTTP status; 0 when none came.
	StatusCode int
	// Err is why no usable answer came (a connection failure, a timeout,
	// an answer over the body limit); nil when one did.
	Err error
}

// Bucket names a rate-limit bucket.
type Bucket string

// Kalshi's two rate-limit buckets.
const (
	ReadBucket  Bucket = "read"
	WriteBucket Bucket = "write"
)

// RateLimitWait is one draw from a rate-limit bucket.
type RateLimitWait struct {
	// Operation is the operationId; "" for a request outside the spec.
	Operation string
	// Bucket is the bucket drawn from; Tokens what the request cost.
	Bucket Bucket
	Tokens int
	// Waited is how long the request waited for the tokens.
	Waited time.Duration
	// Available is the tokens left in the bucket after the draw (it can
	// be negative while reservations wait for refill); -1 when the
	// limiter cannot tell.
	Available float64
	// Err is set when the wait ended without the tokens (the context
	// ended, or a shared limiter failed).
	Err error
}

// FeedKind is what happened on a WebSocket connection.
type FeedKind string

// The feed's events.
const (
	// FeedConnected: a connection was established (Attempt > 0 for a
	// reconnect, the number of tries it took).
	FeedConnected FeedKind = "connected"
	// FeedDisconnected: the connection was lost (Err says why).
	FeedDisconnected FeedKind = "disconnected"
	// FeedReconnectFailed: one try to reconnect failed (Attempt, Err).
	FeedReconnectFailed FeedKind = "reconnect_failed"
	// FeedGaveUp: the connection stopped reconnecting for good (Err).
	FeedGaveUp FeedKind = "gave_up"
	// FeedResubscribed: a subscription was restored (Reason: "reconnect",
	// "resync", or a refused subscription's error code).
	FeedResubscribed FeedKind = "resubscribed"
	// FeedGap: a subscription's sequence skipped (Expected, Got).
	FeedGap FeedKind = "gap"
	// FeedResync: fresh order book snapshots were asked for.
	FeedResync FeedKind = "resync"
	// FeedDropped: Dropped messages were discarded because the consumer
	// did not keep up.
	FeedDropped FeedKind = "dropped"
	// FeedLag: a message stamped by the exchange was received Lag after
	// its stamp.
	FeedLag FeedKind = "lag"
	// FeedUndecodable: a frame could not be decoded (Err) and was skipped.
	FeedUndecodable FeedKind = "undecodable"
)

// FeedEvent is one event of a WebSocket connection. Fields not relevant to
// the Kind are zero.
type FeedEvent struct {
	// Kind is what happened; it says which of the other fields are set.
	Kind FeedKind
	// Host is the feed's host and port.
	Host string
	// Channel, SID and MarketTicker identify the subscription and market
	// concerned, where there is one.
	Channel      string
	SID          int64
	MarketTicker string
	// Attempt counts reconnect tries (FeedConnected, FeedReconnectFailed).
	Attempt int
	// Expected and Got are the sequence numbers of a gap.
	Expected, Got int64
	// Dropped is how many messages were discarded.
	Dropped int
	// Lag is the time from the exchange's stamp to local receipt.
	Lag time.Duration
	// Reason says why a subscription was restored.
	Reason string
	// Err says why a connection was lost or a try failed.
	Err error
}

// Nop implements Observer with methods that do nothing; embed it in an
// observer that implements only some methods.
type Nop struct{}

// CallStart returns ctx.
func (Nop) CallStart(ctx context.Context, _ *Call) context.Context { return ctx }

// CallEnd does nothing.
func (Nop) CallEnd(context.Context, *Call) {}

// AttemptStart returns ctx.
func (Nop) AttemptStart(ctx context.Context, _ *Attempt) context.Context { return ctx }

// AttemptEnd does nothing.
func (Nop) AttemptEnd(context.Context, *Attempt) {}

// RateLimitWait does nothing.
func (Nop) RateLimitWait(context.Context, RateLimitWait) {}

// Feed does nothing.
func (Nop) Feed(context.Context, FeedEvent) {}

var _ Observer = Nop{}

// Join returns an observer that passes every event to each of obs in
// turn (nil ones left out), threading the contexts the Start methods
// return; nil when none is left, one observer as it is.
func Join(obs ...Observer) Observer {
	var list joined
	for _, o := range obs {
		switch o := o.(type) {
		case nil:
		case joined:
			list = append(list, o...)
		default:
			list = append(list, o)
		}
	}
	switch len(list) {
	case 0:
		return nil
	case 1:
		return list[0]
	}
	return list
}

type joined []Observer

func (j joined) CallStart(ctx context.Context, c *Call) context.Context {
	for _, o := range j {
		ctx = o.CallStart(ctx, c)
	}
	return ctx
}

func (j joined) CallEnd(ctx context.Context, c *Call) {
	for _, o := range j {
		o.CallEnd(ctx, c)
	}
}

func (j joined) AttemptStart(ctx context.Context, a *Attempt) context.Context {
	for _, o := range j {
		ctx = o.AttemptStart(ctx, a)
	}
	return ctx
}

func (j joined) AttemptEnd(ctx context.Context, a *Attempt) {
	for _, o := range j {
		o.AttemptEnd(ctx, a)
	}
}

func (j joined) RateLimitWait(ctx context.Context, w RateLimitWait) {
	for _, o := range j {
		o.RateLimitWait(ctx, w)
	}
}

func (j joined) Feed(ctx context.Context, e FeedEvent) {
	for _, o := range j {
		o.Feed(ctx, e)
	}
}
