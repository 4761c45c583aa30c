package otelkalshi_test

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/otelkalshi"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

const market = "KXOTEL-26DEC31-T1"

// env is a kalshitest exchange, a client of it reporting to an otelkalshi
// observer, and the real OpenTelemetry SDK recording what it makes.
type env struct {
	srv    *kalshitest.Server
	client *kalshi.Client
	obs    observe.Observer
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	keyID  string
	signer *signing.Signer
}

// newEnv starts the exchange and the client; more observers, such as one
// that changes the faults between attempts, hear the client's events
// after otelkalshi's.
func newEnv(t *testing.T, clientOpts []kalshi.Option, more ...observe.Observer) *env {
	t.Helper()
	level := func(p, c string) money.PriceLevel {
		return money.PriceLevel{Price: money.MustDollars(p), Count: money.MustCount(c)}
	}
	srv := kalshitest.NewServer(kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: market,
		Bids:   []money.PriceLevel{level("0.45", "10")},
		Asks:   []money.PriceLevel{level("0.55", "10")},
	}))
	t.Cleanup(srv.Close)
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	e := &env{srv: srv, keyID: "otel-secret-key-id", spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	srv.AddAPIKey(e.keyID, key.Public())
	e.signer, err = signing.New(e.keyID, key)
	require.NoError(t, err)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(e.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(e.reader))
	e.obs, err = otelkalshi.New(otelkalshi.WithTracerProvider(tp), otelkalshi.WithMeterProvider(mp))
	require.NoError(t, err)
	fast := kalshi.DefaultRetryPolicy()
	fast.BaseDelay, fast.MaxDelay = time.Millisecond, 5*time.Millisecond
	opts := []kalshi.Option{kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(e.signer), kalshi.WithRetry(fast),
		kalshi.WithObserver(observe.Join(append([]observe.Observer{e.obs}, more...)...))}
	e.client, err = kalshi.New(append(opts, clientOpts...)...)
	require.NoError(t, err)
	return e
}

// metrics collects what the SDK holds now, by instrument name.
func (e *env) metrics(t *testing.T) map[string]metricdata.Aggregation {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, e.reader.Collect(context.Background(), &rm))
	out := map[string]metricdata.Aggregation{}
	for _, sm := range rm.ScopeMetrics {
		assert.Equal(t, otelkalshi.ScopeName, sm.Scope.Name)
		for _, m := range sm.Metrics {
			out[m.Name] = m.Data
		}
	}
	return out
}

// sum is the total of the int64 sum name over the points whose attributes
// include want.
func sum(t *testing.T, ms map[string]metricdata.Aggregation, name string, want ...attribute.KeyValue) int64 {
	t.Helper()
	data, ok := ms[name]
	if !ok {
		return 0
	}
	s, ok := data.(metricdata.Sum[int64])
	require.True(t, ok, "%s is a %T", name, data)
	assert.True(t, s.IsMonotonic, name)
	var total int64
	for _, p := range s.DataPoints {
		if hasAll(p.Attributes, want) {
			total += p.Value
		}
	}
	return total
}

// count is the number of measurements of the float64 histogram name over
// the points whose attributes include want.
func count(t *testing.T, ms map[string]metricdata.Aggregation, name string, want ...attribute.KeyValue) uint64 {
	t.Helper()
	data, ok := ms[name]
	if !ok {
		return 0
	}
	h, ok := data.(metricdata.Histogram[float64])
	require.True(t, ok, "%s is a %T", name, data)
	var total uint64
	for _, p := range h.DataPoints {
		if hasAll(p.Attributes, want) {
			total += p.Count
		}
	}
	return total
}

func hasAll(set attribute.Set, want []attribute.KeyValue) bool {
	for _, kv := range want {
		if v, ok := set.Value(kv.Key); !ok || v != kv.Value {
			return false
		}
	}
	return true
}

// attrs is a span's attributes by key.
func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		out[kv.Key] = kv.Value
	}
	return out
}

// callSpans returns the ended spans of kind client without a parent span
// (the calls) and, for each, its children in order.
func callSpans(t *testing.T, rec *tracetest.SpanRecorder) ([]sdktrace.ReadOnlySpan, map[trace.SpanID][]sdktrace.ReadOnlySpan) {
	t.Helper()
	var calls []sdktrace.ReadOnlySpan
	children := map[trace.SpanID][]sdktrace.ReadOnlySpan{}
	for _, s := range rec.Ended() {
		assert.Equal(t, trace.SpanKindClient, s.SpanKind(), s.Name())
		if !s.Parent().IsValid() {
			calls = append(calls, s)
		} else {
			children[s.Parent().SpanID()] = append(children[s.Parent().SpanID()], s)
		}
	}
	return calls, children
}

// faultsOnce clears the exchange's faults when the first attempt ends, so
// that a fault hits exactly one attempt.
type faultsOnce struct {
	observe.Nop
	srv  *kalshitest.Server
	once sync.Once
}

func (f *faultsOnce) AttemptEnd(context.Context, *observe.Attempt) {
	f.once.Do(func() { f.srv.InjectFaults(kalshitest.Faults{}) })
}

// TestServerErrorThenSuccess: a 5xx and then a success is one call span
// with two attempt spans below it, the first an error; one retry is
// counted, two request durations, one call duration and no error.
func TestServerErrorThenSuccess(t *testing.T) {
	t.Parallel()
	once := &faultsOnce{}
	e := newEnv(t, nil, once)
	once.srv = e.srv
	e.srv.InjectFaults(kalshitest.Faults{ServerErrorRate: 1})
	_, err := e.client.GetBalance(context.Background(), nil)
	require.NoError(t, err)

	calls, children := callSpans(t, e.spans)
	require.Len(t, calls, 1)
	call := calls[0]
	assert.Equal(t, "GetBalance", call.Name())
	a := attrs(call)
	assert.Equal(t, "GetBalance", a[otelkalshi.KeyOperation].AsString())
	assert.Equal(t, "GET", a["http.request.method"].AsString())
	assert.EqualValues(t, 200, a["http.response.status_code"].AsInt64())
	assert.EqualValues(t, 2, a[otelkalshi.KeyAttempts].AsInt64())
	assert.Equal(t, codes.Unset, call.Status().Code)

	attempts := children[call.SpanContext().SpanID()]
	require.Len(t, attempts, 2, "one span per attempt, children of the call's")
	_, port, _ := net.SplitHostPort(e.srv.Addr().String())
	for i, s := range attempts {
		a := attrs(s)
		assert.Equal(t, "GET /portfolio/balance", s.Name())
		assert.EqualValues(t, i+1, a[otelkalshi.KeyAttempt].AsInt64())
		assert.Equal(t, "http", a["url.scheme"].AsString())
		assert.Equal(t, "127.0.0.1", a["server.address"].AsString())
		assert.Equal(t, port, strconv.FormatInt(a["server.port"].AsInt64(), 10))
		assert.Equal(t, "/portfolio/balance", a["url.template"].AsString())
		assert.False(t, s.StartTime().Before(call.StartTime()))
		assert.False(t, s.EndTime().After(call.EndTime()))
	}
	first, second := attrs(attempts[0]), attrs(attempts[1])
	status := first["http.response.status_code"].AsInt64()
	assert.Contains(t, []int64{500, 503}, status)
	assert.Equal(t, strconv.FormatInt(status, 10), first["error.type"].AsString())
	assert.Equal(t, codes.Error, attempts[0].Status().Code)
	assert.EqualValues(t, 200, second["http.response.status_code"].AsInt64())
	assert.EqualValues(t, 1, second["http.request.resend_count"].AsInt64())
	reason := "status " + strconv.FormatInt(status, 10)
	assert.Equal(t, reason, second[otelkalshi.KeyRetryReason].AsString())
	assert.Equal(t, codes.Unset, attempts[1].Status().Code)

	ms := e.metrics(t)
	assert.EqualValues(t, 1, sum(t, ms, "kalshi.client.retries", otelkalshi.KeyOperation.String("GetBalance"), otelkalshi.KeyRetryReason.String(reason)))
	assert.EqualValues(t, 2, count(t, ms, "http.client.request.duration", attribute.String("http.request.method", "GET")))
	assert.EqualValues(t, 1, count(t, ms, "http.client.request.duration", attribute.Int("http.response.status_code", int(status)), attribute.String("error.type", strconv.FormatInt(status, 10))))
	assert.EqualValues(t, 1, count(t, ms, "kalshi.client.call.duration", otelkalshi.KeyOperation.String("GetBalance"), attribute.Int("http.response.status_code", 200)))
	assert.Zero(t, sum(t, ms, "kalshi.client.errors"))
	assert.Zero(t, sum(t, ms, "kalshi.client.rate_limited"))
}

// TestRateLimitedAnswers: two 429s before a success count two rate-limited
// answers and two retries for the 429, and leave the call a success.
func TestRateLimitedAnswers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.srv.InjectFaults(kalshitest.Faults{RateLimitBurst: 2})
	_, err := e.client.GetBalance(context.Background(), nil)
	require.NoError(t, err)

	ms := e.metrics(t)
	assert.EqualValues(t, 2, sum(t, ms, "kalshi.client.rate_limited", otelkalshi.KeyOperation.String("GetBalance")))
	assert.EqualValues(t, 2, sum(t, ms, "kalshi.client.retries", otelkalshi.KeyRetryReason.String("status 429")))
	assert.EqualValues(t, 3, count(t, ms, "http.client.request.duration"))
	assert.EqualValues(t, 2, count(t, ms, "http.client.request.duration", attribute.String("error.type", "429")))
	assert.Zero(t, sum(t, ms, "kalshi.client.errors"))
	calls, children := callSpans(t, e.spans)
	require.Len(t, calls, 1)
	assert.Len(t, children[calls[0].SpanContext().SpanID()], 3)
}

// TestErrorsByCode: a refused call counts under its status and Kalshi's
// code, its span an error carrying the code; a call refused before
// sending counts too, with no attempt.
func TestErrorsByCode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	_, err := e.client.GetMarket(context.Background(), "KXNOSUCH-1")
	require.ErrorIs(t, err, kalshi.ErrNotFound)

	unsigned, err := kalshi.New(kalshi.WithBaseURL(e.srv.URL()), kalshi.WithObserver(e.obs))
	require.NoError(t, err)
	_, err = unsigned.GetBalance(context.Background(), nil)
	require.ErrorIs(t, err, kalshi.ErrNoCredentials)

	ms := e.metrics(t)
	assert.EqualValues(t, 1, sum(t, ms, "kalshi.client.errors", otelkalshi.KeyOperation.String("GetMarket"),
		attribute.String("error.type", "404"), otelkalshi.KeyErrorCode.String("not_found")))
	assert.EqualValues(t, 1, sum(t, ms, "kalshi.client.errors", otelkalshi.KeyOperation.String("GetBalance"),
		attribute.String("error.type", "no_credentials")))
	assert.EqualValues(t, 2, sum(t, ms, "kalshi.client.errors"))
	assert.EqualValues(t, 1, count(t, ms, "http.client.request.duration"), "only GetMarket was sent")

	calls, children := callSpans(t, e.spans)
	require.Len(t, calls, 2)
	byName := map[string]sdktrace.ReadOnlySpan{}
	for _, c := range calls {
		byName[c.Name()] = c
	}
	get := byName["GetMarket"]
	require.NotNil(t, get)
	assert.Equal(t, codes.Error, get.Status().Code)
	assert.Equal(t, "404", get.Status().Description)
	assert.Equal(t, "not_found", attrs(get)[otelkalshi.KeyErrorCode].AsString())
	assert.Equal(t, "/markets/{ticker}", attrs(get)["url.template"].AsString())
	bal := byName["GetBalance"]
	require.NotNil(t, bal)
	assert.Equal(t, "no_credentials", bal.Status().Description)
	assert.Zero(t, attrs(bal)[otelkalshi.KeyAttempts].AsInt64())
	assert.Empty(t, children[bal.SpanContext().SpanID()])
}

// TestRateLimitWaits: draws from a small bucket record their waits and
// the tokens left, and a call that waited has an event saying so.
func TestRateLimitWaits(t *testing.T) {
	t.Parallel()
	e := newEnv(t, []kalshi.Option{kalshi.WithRateLimit(kalshi.RateLimit{
		Read: kalshi.Bucket{RefillPerSecond: 100, Capacity: 20}, Write: kalshi.Bucket{RefillPerSecond: 100, Capacity: 100}, Margin: -1,
	})})
	for range 4 {
		_, err := e.client.GetExchangeStatus(context.Background())
		require.NoError(t, err)
	}
	ms := e.metrics(t)
	assert.EqualValues(t, 4, count(t, ms, "kalshi.client.rate_limit.wait", otelkalshi.KeyBucket.String("read")))
	g, ok := ms["kalshi.client.rate_limit.tokens"].(metricdata.Gauge[float64])
	require.True(t, ok, "the tokens gauge is recorded")
	require.Len(t, g.DataPoints, 1)
	assert.Less(t, g.DataPoints[0].Value, 20.0)
	assert.Equal(t, "read", mustValue(g.DataPoints[0].Attributes, otelkalshi.KeyBucket).AsString())

	waited := 0
	calls, _ := callSpans(t, e.spans)
	for _, c := range calls {
		for _, ev := range c.Events() {
			if ev.Name == "kalshi.rate_limit.wait" {
				waited++
			}
		}
	}
	assert.Positive(t, waited, "40 tokens from a bucket of 20: some call waited")
}

func mustValue(set attribute.Set, k attribute.Key) attribute.Value {
	v, _ := set.Value(k)
	return v
}

// TestOrdersCarryNoSecrets: an order's call says it carried an
// idempotency key, and nothing recorded names the key, the order's
// client_order_id, its price or its market.
func TestOrdersCarryNoSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	_, err := e.client.CreateOrderV2(context.Background(), gen.CreateOrderV2Request{
		Ticker: market, Side: gen.BookSideBid, Price: money.MustDollars("0.07"), Count: money.MustCount("3"),
		TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
		ClientOrderID: "otel-secret-client-order-id",
	})
	require.NoError(t, err)
	calls, _ := callSpans(t, e.spans)
	require.Len(t, calls, 1)
	assert.True(t, attrs(calls[0])[otelkalshi.KeyIdempotencyKey].AsBool())

	// Every name and attribute value recorded, spans and metrics alike
	// (not the measured values and times, whose digits could match).
	var seen strings.Builder
	kvs := func(list []attribute.KeyValue) {
		for _, kv := range list {
			fmt.Fprintf(&seen, "%s=%s\n", kv.Key, kv.Value.String())
		}
	}
	for _, s := range e.spans.Ended() {
		fmt.Fprintln(&seen, s.Name(), s.Status().Description)
		kvs(s.Attributes())
		for _, ev := range s.Events() {
			fmt.Fprintln(&seen, ev.Name)
			kvs(ev.Attributes)
		}
	}
	for name, data := range e.metrics(t) {
		fmt.Fprintln(&seen, name)
		switch d := data.(type) {
		case metricdata.Histogram[float64]:
			for _, p := range d.DataPoints {
				kvs(p.Attributes.ToSlice())
			}
		case metricdata.Sum[int64]:
			for _, p := range d.DataPoints {
				kvs(p.Attributes.ToSlice())
			}
		case metricdata.Gauge[float64]:
			for _, p := range d.DataPoints {
				kvs(p.Attributes.ToSlice())
			}
		}
	}
	assert.Contains(t, seen.String(), "kalshi.operation=CreateOrderV2")
	for _, secret := range []string{e.keyID, "KALSHI-ACCESS", "otel-secret-client-order-id", "0.07", market} {
		assert.NotContains(t, seen.String(), secret)
	}
}

// TestFeedMetrics: a dropped connection counts a disconnect, a reconnect
// and a resubscription; a skipped sequence number a gap and a resync;
// stamped deltas their lag.
func TestFeedMetrics(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := ws.Dial(ctx, ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(e.signer), ws.WithObserver(e.obs),
		ws.WithReconnectBackoff(ws.ExponentialBackoff(10*time.Millisecond, 100*time.Millisecond)))
	require.NoError(t, err)
	defer conn.Close()
	book, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{market}})
	require.NoError(t, err)
	drain := make(chan struct{})
	go func() { // the test reads metrics, not messages
		defer close(drain)
		for range book.C() {
		}
	}()
	channel := otelkalshi.KeyChannel.String(string(ws.ChannelOrderbookDelta))

	order := func(price string) {
		_, err := e.client.CreateOrderV2(ctx, gen.CreateOrderV2Request{
			Ticker: market, Side: gen.BookSideBid, Price: money.MustDollars(price), Count: money.MustCount("1"),
			TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
		})
		require.NoError(t, err)
	}
	order("0.40")
	waitMetric(t, e, func(ms map[string]metricdata.Aggregation) bool {
		return count(t, ms, "kalshi.ws.lag", channel) > 0
	}, "the delta's lag")

	conns := e.srv.WSConns()
	require.Len(t, conns, 1)
	require.NoError(t, conns[0].SkipSeq(book.SID()))
	order("0.41")
	waitMetric(t, e, func(ms map[string]metricdata.Aggregation) bool {
		return sum(t, ms, "kalshi.ws.gaps", channel) == 1 && sum(t, ms, "kalshi.ws.resyncs", channel) == 1
	}, "a gap and its resync")

	require.Equal(t, 1, e.srv.DropWSConns())
	waitMetric(t, e, func(ms map[string]metricdata.Aggregation) bool {
		return sum(t, ms, "kalshi.ws.reconnects") == 1 &&
			sum(t, ms, "kalshi.ws.resubscriptions", channel, otelkalshi.KeyResubscribeReason.String(ws.ReasonReconnect)) == 1
	}, "the reconnect and the resubscription")

	ms := e.metrics(t)
	host, port, _ := net.SplitHostPort(e.srv.Addr().String())
	portN, _ := strconv.Atoi(port)
	assert.EqualValues(t, 2, sum(t, ms, "kalshi.ws.connects", attribute.String("server.address", host), attribute.Int("server.port", portN)))
	assert.EqualValues(t, 1, sum(t, ms, "kalshi.ws.disconnects"))
	assert.Zero(t, sum(t, ms, "kalshi.ws.gave_up"))
	assert.Zero(t, sum(t, ms, "kalshi.ws.dropped"))
	conn.Close()
	<-drain
}

// waitMetric collects until ok holds, for at most ten seconds.
func waitMetric(t *testing.T, e *env, ok func(map[string]metricdata.Aggregation) bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ms := e.metrics(t)
		if ok(ms) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s in %+v", what, ms)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestMetricsOnly: with the no-op tracer provider, calls still count and
// time, through retries, and nothing breaks for the lack of spans.
func TestMetricsOnly(t *testing.T) {
	t.Parallel()
	reader := sdkmetric.NewManualReader()
	obs, err := otelkalshi.New(otelkalshi.WithTracerProvider(tracenoop.NewTracerProvider()),
		otelkalshi.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))))
	require.NoError(t, err)
	e := newEnv(t, []kalshi.Option{kalshi.WithObserver(obs)})
	e.srv.InjectFaults(kalshitest.Faults{RateLimitBurst: 1})
	_, err = e.client.GetBalance(context.Background(), nil)
	require.NoError(t, err)
	e.reader = reader
	ms := e.metrics(t)
	assert.EqualValues(t, 1, sum(t, ms, "kalshi.client.rate_limited"))
	assert.EqualValues(t, 1, sum(t, ms, "kalshi.client.retries"))
	assert.EqualValues(t, 1, count(t, ms, "kalshi.client.call.duration", otelkalshi.KeyOperation.String("GetBalance")))
	assert.EqualValues(t, 2, count(t, ms, "http.client.request.duration"))
}

// TestDroppedConnection: an attempt whose connection was closed without
// an answer is an error span with no status code, retried for
// "connection".
func TestDroppedConnection(t *testing.T) {
	t.Parallel()
	once := &faultsOnce{}
	e := newEnv(t, nil, once)
	once.srv = e.srv
	e.srv.InjectFaults(kalshitest.Faults{DropRate: 1})
	_, err := e.client.GetBalance(context.Background(), nil)
	require.NoError(t, err)

	calls, children := callSpans(t, e.spans)
	require.Len(t, calls, 1)
	attempts := children[calls[0].SpanContext().SpanID()]
	require.Len(t, attempts, 2)
	first := attrs(attempts[0])
	assert.Equal(t, codes.Error, attempts[0].Status().Code)
	_, hasStatus := first["http.response.status_code"]
	assert.False(t, hasStatus, "no answer came")
	assert.Contains(t, []string{"connection_closed", "connection_reset"}, first["error.type"].AsString())
	assert.Equal(t, "connection", attrs(attempts[1])[otelkalshi.KeyRetryReason].AsString())
	assert.EqualValues(t, 1, sum(t, e.metrics(t), "kalshi.client.retries", otelkalshi.KeyRetryReason.String("connection")))
}

// TestRequestOutsideTheSpec: a request the client's transport sends for a
// path no operation has is an attempt span named by its method alone,
// without the path, which could carry ids, in its name or its metrics.
func TestRequestOutsideTheSpec(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	resp, err := e.client.HTTPClient().Get(e.srv.URL() + "/nosuch/order-secret-42")
	require.NoError(t, err)
	resp.Body.Close()

	spans := e.spans.Ended()
	require.Len(t, spans, 1, "an attempt and no call")
	assert.Equal(t, "GET", spans[0].Name())
	a := attrs(spans[0])
	assert.NotContains(t, a, attribute.Key("url.template"))
	assert.NotContains(t, a, otelkalshi.KeyOperation)
	assert.EqualValues(t, 404, a["http.response.status_code"].AsInt64())
	ms := e.metrics(t)
	assert.EqualValues(t, 1, count(t, ms, "http.client.request.duration", attribute.String("error.type", "404")))
	assert.NotContains(t, fmt.Sprintf("%v", ms), "order-secret-42")
}
