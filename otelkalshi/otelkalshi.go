// Package otelkalshi turns the events of a kalshi.Client and a ws.Conn
// into OpenTelemetry spans and metrics.
//
// New returns an observe.Observer; give it to kalshi.WithObserver and
// ws.WithObserver:
//
//	obs, err := otelkalshi.New() // the global TracerProvider and MeterProvider
//	if err != nil { ... }
//	client, err := kalshi.New(kalshi.WithObserver(obs), ...)
//	feed, err := ws.Dial(ctx, ws.WithObserver(obs), ...)
//
// # Spans
//
// Each call of a typed method is a span of kind client named after its
// operation ("GetMarkets"), with one child span per attempt named by the
// HTTP method and path template ("GET /markets/{ticker}"). They follow
// the semantic conventions for HTTP clients (http.request.method,
// http.response.status_code, server.address, server.port, url.scheme,
// url.template, error.type, http.request.resend_count) and add Kalshi's
// own attributes: kalshi.operation, kalshi.error_code, kalshi.attempt,
// kalshi.attempts, kalshi.retry_reason and kalshi.idempotency_key. A wait
// for rate-limit tokens is an event on the call's span. A span whose call
// or attempt failed has status Error, described by its error.type; error
// messages are not recorded, since an exchange's answer could echo what
// was sent.
//
// # Metrics
//
//   - http.client.request.duration (s): each attempt, by method, server,
//     scheme, path template, status and error.type.
//   - kalshi.client.call.duration (s): each call, retries and waits
//     included, by operation, method, status and error.type.
//   - kalshi.client.retries: attempts after the first, by operation and
//     reason.
//   - kalshi.client.rate_limited: answers with status 429, by operation.
//   - kalshi.client.errors: calls that returned an error, by operation,
//     error.type and kalshi.error_code.
//   - kalshi.client.rate_limit.wait (s): each draw of rate-limit tokens,
//     by bucket.
//   - kalshi.client.rate_limit.tokens: the tokens left in a bucket after
//     its last draw (a gauge).
//   - kalshi.ws.connects, kalshi.ws.reconnects, kalshi.ws.disconnects,
//     kalshi.ws.reconnect_failures, kalshi.ws.gave_up: the feed's
//     connection, by server.
//   - kalshi.ws.gaps, kalshi.ws.resyncs, kalshi.ws.resubscriptions,
//     kalshi.ws.dropped (messages), kalshi.ws.undecodable: the feed's
//     health, by channel.
//   - kalshi.ws.lag (s): the time from the exchange's stamp on a message
//     to its receipt, by channel.
//
// Nothing recorded carries key material, a signature, an order's body or
// a client_order_id: the events this package is given hold none.
package otelkalshi

import (
	"errors"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/seed-c9ca4919/kalshi/observe"
)

// ScopeName is the instrumentation scope of the tracer and the meter New
// creates.
const ScopeName = "github.com/seed-c9ca4919/kalshi/otelkalshi"

// Kalshi's attributes, beside those of the semantic conventions.
const (
	// KeyOperation is the operationId of the call ("GetMarkets").
	KeyOperation = attribute.Key("kalshi.operation")
	// KeyErrorCode is Kalshi's error code of a refused call
	// ("insufficient_balance").
	KeyErrorCode = attribute.Key("kalshi.error_code")
	// KeyAttempt is an attempt's number: 1 for the first.
	KeyAttempt = attribute.Key("kalshi.attempt")
	// KeyAttempts is how many times a call's request was sent.
	KeyAttempts = attribute.Key("kalshi.attempts")
	// KeyRetryReason says why an attempt was made again ("status 503",
	// "status 429", "timeout", "connection", "clock skew").
	KeyRetryReason = attribute.Key("kalshi.retry_reason")
	// KeyRetryWait is how long the client waited before a retry, in
	// seconds.
	KeyRetryWait = attribute.Key("kalshi.retry_wait")
	// KeyIdempotencyKey reports that every order of a call carried a
	// client_order_id, so that no retry could place it twice; it is set
	// on the calls that place orders.
	KeyIdempotencyKey = attribute.Key("kalshi.idempotency_key")
	// KeyBucket is a rate-limit bucket: "read" or "write".
	KeyBucket = attribute.Key("kalshi.rate_limit.bucket")
	// KeyTokens is what a request cost in rate-limit tokens.
	KeyTokens = attribute.Key("kalshi.rate_limit.tokens")
	// KeyWaited is how long a request waited for its tokens, in seconds.
	KeyWaited = attribute.Key("kalshi.rate_limit.waited")
	// KeyChannel is a WebSocket channel ("orderbook_delta").
	KeyChannel = attribute.Key("kalshi.ws.channel")
	// KeyResubscribeReason says why a subscription was restored
	// ("reconnect", "resync", or a refusal's error code).
	KeyResubscribeReason = attribute.Key("kalshi.ws.resubscribe_reason")
)

// Option configures New.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider makes spans with tp instead of the global
// TracerProvider. The no-op provider of go.opentelemetry.io/otel/trace/noop
// turns spans off, leaving only the metrics: the observer then starts no
// span at all.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider records metrics with mp instead of the global
// MeterProvider. A no-op provider (go.opentelemetry.io/otel/metric/noop)
// leaves only the spans.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// New returns an observer that makes spans and metrics of the events it
// is given; pass it to kalshi.WithObserver and ws.WithObserver (one
// observer may serve several clients and feeds). It fails only when an
// instrument cannot be created.
func New(opts ...Option) (observe.Observer, error) {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	o := &observer{sets: newSetCache()}
	if _, off := c.tp.(tracenoop.TracerProvider); !off {
		o.tracer = c.tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL))
	}
	if err := o.instruments(c.mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))); err != nil {
		return nil, err
	}
	return o, nil
}

// durationBounds are the histogram buckets, in seconds, that the semantic
// conventions advise for http.client.request.duration.
var durationBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// observer is what New returns.
type observer struct {
	tracer    trace.Tracer // nil when spans are off
	sets      *setCache
	names     sync.Map // [2]string{method, path} -> span name
	namesSize atomic.Int64

	attemptDuration metric.Float64Histogram
	callDuration    metric.Float64Histogram
	retries         metric.Int64Counter
	rateLimited     metric.Int64Counter
	errors          metric.Int64Counter
	waitDuration    metric.Float64Histogram
	tokens          metric.Float64Gauge

	wsConnects, wsReconnects, wsDisconnects, wsReconnectFailures, wsGaveUp metric.Int64Counter
	wsGaps, wsResyncs, wsResubscriptions, wsDropped, wsUndecodable         metric.Int64Counter
	wsLag                                                                  metric.Float64Histogram
}

var _ observe.Observer = (*observer)(nil)

// instruments creates the observer's instruments with m.
func (o *observer) instruments(m metric.Meter) error {
	var errs []error
	hist := func(name, desc string) metric.Float64Histogram {
		h, err := m.Float64Histogram(name, metric.WithUnit("s"), metric.WithDescription(desc),
			metric.WithExplicitBucketBoundaries(durationBounds...))
		errs = append(errs, err)
		return h
	}
	count := func(name, unit, desc string) metric.Int64Counter {
		c, err := m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
		errs = append(errs, err)
		return c
	}
	o.attemptDuration = hist("http.client.request.duration", "Duration of HTTP client requests.")
	o.callDuration = hist("kalshi.client.call.duration", "Duration of Kalshi API calls, retries and rate-limit waits included.")
	o.retries = count("kalshi.client.retries", "{retry}", "Requests sent again after a failed attempt.")
	o.rateLimited = count("kalshi.client.rate_limited", "{response}", "Answers with status 429 (rate limited).")
	o.errors = count("kalshi.client.errors", "{call}", "Calls that returned an error.")
	o.waitDuration = hist("kalshi.client.rate_limit.wait", "Time requests waited for rate-limit tokens.")
	var err error
	o.tokens, err = m.Float64Gauge("kalshi.client.rate_limit.tokens", metric.WithUnit("{token}"),
		metric.WithDescription("Tokens left in a rate-limit bucket after its last draw."))
	errs = append(errs, err)

	o.wsConnects = count("kalshi.ws.connects", "{connection}", "WebSocket connections established, reconnects included.")
	o.wsReconnects = count("kalshi.ws.reconnects", "{connection}", "WebSocket connections re-established after a loss.")
	o.wsDisconnects = count("kalshi.ws.disconnects", "{connection}", "WebSocket connections lost.")
	o.wsReconnectFailures = count("kalshi.ws.reconnect_failures", "{try}", "Failed tries to reconnect a WebSocket connection.")
	o.wsGaveUp = count("kalshi.ws.gave_up", "{connection}", "WebSocket connections that stopped reconnecting for good.")
	o.wsGaps = count("kalshi.ws.gaps", "{gap}", "Skipped sequence numbers on a subscription.")
	o.wsResyncs = count("kalshi.ws.resyncs", "{resync}", "Order book snapshots asked for again.")
	o.wsResubscriptions = count("kalshi.ws.resubscriptions", "{subscription}", "Subscriptions restored.")
	o.wsDropped = count("kalshi.ws.dropped", "{message}", "Messages discarded because the consumer did not keep up.")
	o.wsUndecodable = count("kalshi.ws.undecodable", "{frame}", "Frames that could not be decoded.")
	o.wsLag = hist("kalshi.ws.lag", "Time from the exchange's stamp on a message to its receipt.")
	return errors.Join(errs...)
}
