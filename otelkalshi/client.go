package otelkalshi

import (
	"context"
	"errors"
	"io"
	"net"
	"strconv"
	"syscall"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// clientKind is the kind of every span, made once.
var clientKind = trace.WithSpanKind(trace.SpanKindClient)

// CallStart starts the call's span.
func (o *observer) CallStart(ctx context.Context, c *observe.Call) context.Context {
	if o.tracer == nil {
		return ctx
	}
	ctx, _ = o.tracer.Start(ctx, c.Operation, clientKind,
		trace.WithTimestamp(c.Start),
		trace.WithAttributes(
			KeyOperation.String(c.Operation),
			semconv.HTTPRequestMethodKey.String(c.Method),
			semconv.URLTemplate(c.Path),
		))
	return ctx
}

// CallEnd ends the call's span and records its duration and, when it
// failed, its error.
func (o *observer) CallEnd(ctx context.Context, c *observe.Call) {
	errType := errorType(c.Err, c.StatusCode)
	if span := o.span(ctx); span.IsRecording() {
		attrs := make([]attribute.KeyValue, 0, 6)
		attrs = append(attrs, KeyAttempts.Int(c.Attempts))
		if c.StatusCode != 0 {
			attrs = append(attrs, semconv.HTTPResponseStatusCode(c.StatusCode))
		}
		if c.ResponseBytes > 0 {
			attrs = append(attrs, semconv.HTTPResponseBodySize(int(c.ResponseBytes)))
		}
		if c.ErrorCode != "" {
			attrs = append(attrs, KeyErrorCode.String(c.ErrorCode))
		}
		if c.IdempotencyKey {
			attrs = append(attrs, KeyIdempotencyKey.Bool(true))
		}
		if errType != "" {
			attrs = append(attrs, semconv.ErrorTypeKey.String(errType))
		}
		span.SetAttributes(attrs...)
		if c.Err != nil {
			span.SetStatus(codes.Error, errType)
		}
		span.End(trace.WithTimestamp(c.Start.Add(c.Duration)))
	}
	o.callDuration.Record(ctx, c.Duration.Seconds(), o.sets.get(setKey{
		kind: setCall, a: c.Operation, b: c.Method, c: errType, n: c.StatusCode,
	}).record...)
	if c.Err != nil {
		o.errors.Add(ctx, 1, o.sets.get(setKey{kind: setError, a: c.Operation, b: errType, c: c.ErrorCode}).add...)
	}
}

// AttemptStart starts the attempt's span, a child of the call's.
func (o *observer) AttemptStart(ctx context.Context, a *observe.Attempt) context.Context {
	if o.tracer == nil {
		return ctx
	}
	host, port := splitHost(a.Host, a.Scheme)
	attrs := make([]attribute.KeyValue, 0, 10)
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(a.Method),
		semconv.ServerAddress(host),
		semconv.ServerPort(port),
		semconv.URLScheme(a.Scheme),
		KeyAttempt.Int(a.Number),
	)
	template := templateOf(a)
	if template != "" {
		attrs = append(attrs, semconv.URLTemplate(template), KeyOperation.String(a.Operation))
	}
	if a.Number > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(a.Number-1), KeyRetryReason.String(a.RetryReason))
		if a.Wait > 0 {
			attrs = append(attrs, KeyRetryWait.Float64(a.Wait.Seconds()))
		}
	}
	ctx, _ = o.tracer.Start(ctx, o.attemptName(a.Method, template), clientKind,
		trace.WithTimestamp(a.Start),
		trace.WithAttributes(attrs...))
	return ctx
}

// AttemptEnd ends the attempt's span and records its duration, and
// whether it was a retry or was rate limited.
func (o *observer) AttemptEnd(ctx context.Context, a *observe.Attempt) {
	errType := errorType(a.Err, a.StatusCode)
	if span := o.span(ctx); span.IsRecording() {
		if a.StatusCode != 0 {
			span.SetAttributes(semconv.HTTPResponseStatusCode(a.StatusCode))
		}
		if errType != "" {
			span.SetAttributes(semconv.ErrorTypeKey.String(errType))
			span.SetStatus(codes.Error, errType)
		}
		span.End(trace.WithTimestamp(a.Start.Add(a.Duration)))
	}
	o.attemptDuration.Record(ctx, a.Duration.Seconds(), o.sets.get(setKey{
		kind: setAttempt, a: a.Method, b: a.Scheme, c: a.Host, d: templateOf(a), e: errType, n: a.StatusCode,
	}).record...)
	if a.Number > 1 {
		o.retries.Add(ctx, 1, o.sets.get(setKey{kind: setRetry, a: a.Operation, b: a.RetryReason}).add...)
	}
	if a.StatusCode == 429 {
		o.rateLimited.Add(ctx, 1, o.sets.get(setKey{kind: setOperation, a: a.Operation}).add...)
	}
}

// span is the span in ctx: the one the observer started, when spans are
// on; a span that records nothing when they are off.
func (o *observer) span(ctx context.Context) trace.Span {
	if o.tracer == nil {
		return noSpan
	}
	return trace.SpanFromContext(ctx)
}

var noSpan = trace.SpanFromContext(context.Background())

// templateOf is the path template of an attempt's operation; "" for a
// request outside the spec, whose path is the request's own (it may
// carry tickers and ids, too many values for a span name or a metric).
func templateOf(a *observe.Attempt) string {
	if a.Operation == "" {
		return ""
	}
	return a.Path
}

// attemptName is the name of an attempt's span, as the conventions for
// HTTP clients name it: the method and the path template, or the method
// alone without a template.
func (o *observer) attemptName(method, template string) string {
	if template == "" {
		return method
	}
	k := [2]string{method, template}
	if n, ok := o.names.Load(k); ok {
		return n.(string)
	}
	n := method + " " + template
	if o.namesSize.Add(1) <= maxSets {
		o.names.Store(k, n)
	}
	return n
}

// RateLimitWait records the wait and the tokens left and, when the
// request had to wait, adds an event to the span of its context: the
// call's, for a typed method.
func (o *observer) RateLimitWait(ctx context.Context, w observe.RateLimitWait) {
	bucket := o.sets.get(setKey{kind: setBucket, a: string(w.Bucket)})
	o.waitDuration.Record(ctx, w.Waited.Seconds(), bucket.record...)
	if w.Available != -1 {
		o.tokens.Record(ctx, w.Available, bucket.record...)
	}
	if w.Waited <= 0 && w.Err == nil {
		return
	}
	if span := o.span(ctx); span.IsRecording() {
		attrs := []attribute.KeyValue{KeyBucket.String(string(w.Bucket)), KeyTokens.Int(w.Tokens), KeyWaited.Float64(w.Waited.Seconds())}
		if w.Err != nil {
			attrs = append(attrs, semconv.ErrorTypeKey.String(errorType(w.Err, 0)))
		}
		span.AddEvent("kalshi.rate_limit.wait", trace.WithAttributes(attrs...))
	}
}

// statusText is status in decimal, without allocating for the usual ones.
func statusText(status int) string {
	if status >= 400 && status < 600 {
		return statusTexts[status-400]
	}
	return strconv.Itoa(status)
}

var statusTexts = func() (s [200]string) {
	for i := range s {
		s[i] = strconv.Itoa(400 + i)
	}
	return s
}()

// splitHost splits host:port, the port defaulting to the scheme's.
func splitHost(hostport, scheme string) (string, int) {
	host, p, err := net.SplitHostPort(hostport)
	if err != nil {
		host, p = hostport, ""
	}
	if port, err := strconv.Atoi(p); err == nil {
		return host, port
	}
	switch scheme {
	case "http", "ws":
		return host, 80
	}
	return host, 443
}

// errorType is the error.type of an outcome: the status code of an answer
// of 400 or more, a short name for the client's own failures and the
// usual network ones ("timeout", "connection_closed", "dns"), else the Go
// type of the cause, or "_OTHER" when that type says nothing; "" for a
// success.
func errorType(err error, status int) string {
	if err == nil {
		if status >= 400 {
			return statusText(status)
		}
		return ""
	}
	var apiErr *kalshi.APIError
	switch {
	case errors.As(err, &apiErr):
		return statusText(apiErr.StatusCode)
	case errors.Is(err, kalshi.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, kalshi.ErrNoCredentials):
		return "no_credentials"
	case errors.Is(err, kalshi.ErrInvalidParameter):
		return "invalid_parameter"
	case errors.Is(err, kalshi.ErrUnexpectedResponse):
		return "unexpected_response"
	case errors.Is(err, kalshi.ErrResponseTooLarge):
		return "response_too_large"
	}
	var netErr net.Error
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection_closed"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection_reset"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection_refused"
	case errors.As(err, &dnsErr):
		return "dns"
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	}
	var callErr *kalshi.CallError
	if errors.As(err, &callErr) && callErr.Err != nil {
		err = callErr.Err
	}
	t := semconv.ErrorType(err).Value.AsString()
	if t == "*errors.errorString" || t == "*errors.joinError" {
		return semconv.ErrorTypeOther.Value.AsString() // a type that says nothing
	}
	return t
}
