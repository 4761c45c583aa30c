package kalshi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// recordingObserver keeps every event it is given, and checks that each
// end event follows its start with the context the start returned.
type recordingObserver struct {
	mu       sync.Mutex
	calls    []observe.Call
	attempts []observe.Attempt
	waits    []observe.RateLimitWait
	feed     []observe.FeedEvent
	badCtx   int
}

type spanKey struct{}

func (o *recordingObserver) CallStart(ctx context.Context, c *observe.Call) context.Context {
	return context.WithValue(ctx, spanKey{}, c)
}

func (o *recordingObserver) CallEnd(ctx context.Context, c *observe.Call) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if ctx.Value(spanKey{}) != c {
		o.badCtx++
	}
	o.calls = append(o.calls, *c)
}

func (o *recordingObserver) AttemptStart(ctx context.Context, a *observe.Attempt) context.Context {
	return context.WithValue(ctx, spanKey{}, a)
}

func (o *recordingObserver) AttemptEnd(ctx context.Context, a *observe.Attempt) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if ctx.Value(spanKey{}) != a {
		o.badCtx++
	}
	o.attempts = append(o.attempts, *a)
}

func (o *recordingObserver) RateLimitWait(_ context.Context, w observe.RateLimitWait) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.waits = append(o.waits, w)
}

func (o *recordingObserver) Feed(_ context.Context, e observe.FeedEvent) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.feed = append(o.feed, e)
}

func (o *recordingObserver) reset() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls, o.attempts, o.waits, o.feed = nil, nil, nil, nil
}

// observedClient is a client of a fresh kalshitest exchange, signed with a
// registered key, reporting to a recordingObserver.
func observedClient(t *testing.T, opts ...kalshi.Option) (*kalshitest.Server, *kalshi.Client, *recordingObserver, string) {
	t.Helper()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(3))
	t.Cleanup(srv.Close)
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	keyID := "observed-key-id"
	srv.AddAPIKey(keyID, key.Public())
	signer, err := signing.New(keyID, key)
	require.NoError(t, err)
	obs := &recordingObserver{}
	fast := kalshi.DefaultRetryPolicy()
	fast.BaseDelay, fast.MaxDelay = time.Millisecond, 5*time.Millisecond
	c, err := kalshi.New(append([]kalshi.Option{kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithRetry(fast), kalshi.WithObserver(obs)}, opts...)...)
	require.NoError(t, err)
	return srv, c, obs, keyID
}

// TestObserverSeesCallsAndAttempts: a call retried through two 429s is one
// call of three attempts, the retries giving their reason and wait; a
// refused call carries Kalshi's status and code; a call refused before
// sending has no attempt.
func TestObserverSeesCallsAndAttempts(t *testing.T) {
	t.Parallel()
	srv, c, obs, _ := observedClient(t)
	ctx := context.Background()

	srv.InjectFaults(kalshitest.Faults{RateLimitBurst: 2})
	_, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	require.Len(t, obs.calls, 1)
	call := obs.calls[0]
	assert.Equal(t, "GetBalance", call.Operation)
	assert.Equal(t, http.MethodGet, call.Method)
	assert.Equal(t, "/portfolio/balance", call.Path)
	assert.Equal(t, 3, call.Attempts)
	assert.False(t, call.IdempotencyKey, "GetBalance places no order")
	assert.Equal(t, http.StatusOK, call.StatusCode)
	assert.NoError(t, call.Err)
	assert.Positive(t, call.ResponseBytes)
	assert.Positive(t, call.Duration)
	require.Len(t, obs.attempts, 3)
	for i, a := range obs.attempts {
		assert.Equal(t, i+1, a.Number)
		assert.Equal(t, "GetBalance", a.Operation)
		assert.Equal(t, "/portfolio/balance", a.Path)
		assert.Equal(t, "http", a.Scheme)
		assert.Equal(t, strings.TrimPrefix(srv.URL(), "http://")[:len(a.Host)], a.Host)
	}
	assert.Equal(t, http.StatusTooManyRequests, obs.attempts[0].StatusCode)
	assert.Equal(t, "", obs.attempts[0].RetryReason)
	assert.Equal(t, "status 429", obs.attempts[1].RetryReason)
	assert.Equal(t, "status 429", obs.attempts[2].RetryReason)
	assert.Equal(t, http.StatusOK, obs.attempts[2].StatusCode)

	obs.reset()
	_, err = c.GetMarket(ctx, "KXNOSUCH-1")
	require.Error(t, err)
	require.Len(t, obs.calls, 1)
	assert.Equal(t, http.StatusNotFound, obs.calls[0].StatusCode)
	assert.Equal(t, "not_found", obs.calls[0].ErrorCode)
	assert.Equal(t, 1, obs.calls[0].Attempts)
	assert.Equal(t, err, obs.calls[0].Err)

	assert.Zero(t, obs.badCtx, "each end event gets the context its start returned")

	unsigned := &recordingObserver{}
	c, err = kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithObserver(unsigned))
	require.NoError(t, err)
	_, err = c.GetBalance(ctx, nil)
	require.ErrorIs(t, err, kalshi.ErrNoCredentials)
	require.Len(t, unsigned.calls, 1)
	assert.Zero(t, unsigned.calls[0].Attempts, "nothing was sent")
	assert.Equal(t, err, unsigned.calls[0].Err)
	assert.Empty(t, unsigned.attempts)
}

// TestObserverSeesRateLimitWaits: with a small read bucket, draws report
// their bucket, cost and waits; the tokens left fall as the bucket drains.
func TestObserverSeesRateLimitWaits(t *testing.T) {
	t.Parallel()
	_, c, obs, _ := observedClient(t, kalshi.WithRateLimit(kalshi.RateLimit{
		Read: kalshi.Bucket{RefillPerSecond: 100, Capacity: 20}, Write: kalshi.Bucket{RefillPerSecond: 100, Capacity: 100}, Margin: -1,
	}))
	for range 4 {
		_, err := c.GetExchangeStatus(context.Background())
		require.NoError(t, err)
	}
	require.Len(t, obs.waits, 4)
	waited := time.Duration(0)
	for _, w := range obs.waits {
		assert.Equal(t, "GetExchangeStatus", w.Operation)
		assert.Equal(t, observe.ReadBucket, w.Bucket)
		assert.Equal(t, 10, w.Tokens)
		assert.NoError(t, w.Err)
		waited += w.Waited
	}
	assert.Less(t, obs.waits[0].Available, 20.0)
	// 40 tokens from a bucket of 20 refilling 100 a second: the last two
	// draws wait about 0.1 s each in all
	assert.Greater(t, waited, 50*time.Millisecond, "the drained bucket made calls wait")
}

// TestObserverGetsNoKeyMaterial: nothing the observer is given names the
// key, the signature or the order's body.
func TestObserverGetsNoKeyMaterial(t *testing.T) {
	t.Parallel()
	_, c, obs, keyID := observedClient(t)
	markets, err := c.GetMarkets(context.Background(), &gen.GetMarketsParams{Limit: ptr(int64(1))})
	require.NoError(t, err)
	_, err = c.CreateOrderV2(context.Background(), gen.CreateOrderV2Request{
		Ticker: markets.Markets[0].Ticker, Side: gen.BookSideBid, Price: mustDollars("0.01"), Count: mustCount("3"),
		TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
		ClientOrderID: "observer-secret-client-id",
	})
	require.NoError(t, err)
	require.NotEmpty(t, obs.calls)
	assert.True(t, obs.calls[len(obs.calls)-1].IdempotencyKey, "the order carried its client_order_id")
	seen := fmt.Sprintf("%+v %+v %+v", obs.calls, obs.attempts, obs.waits)
	for _, secret := range []string{keyID, "KALSHI-ACCESS", "observer-secret-client-id", "0.01", markets.Markets[0].Ticker} {
		assert.NotContains(t, seen, secret)
	}
}

// TestLoggerLevels: WithLogger writes attempts at Debug, retries at Info
// and refusals at Info, with the documented attribute names.
func TestLoggerLevels(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var mu sync.Mutex
	h := slog.NewJSONHandler(&lockedWriter{w: &buf, mu: &mu}, &slog.HandlerOptions{Level: slog.LevelDebug})
	srv, c, _, _ := observedClient(t, kalshi.WithLogger(slog.New(h)))
	srv.InjectFaults(kalshitest.Faults{RateLimitBurst: 1})
	_, err := c.GetBalance(context.Background(), nil)
	require.NoError(t, err)
	_, err = c.GetMarket(context.Background(), "KXNOSUCH-1")
	require.Error(t, err)

	mu.Lock()
	defer mu.Unlock()
	var records []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		var r map[string]any
		require.NoError(t, json.Unmarshal(line, &r), string(line))
		records = append(records, r)
	}
	levels := map[string][]string{}
	for _, r := range records {
		levels[r["msg"].(string)] = append(levels[r["msg"].(string)], r["level"].(string))
	}
	assert.Equal(t, []string{"DEBUG", "DEBUG", "DEBUG"}, levels["kalshi attempt"], "two attempts of GetBalance, one of GetMarket")
	assert.Equal(t, []string{"INFO"}, levels["kalshi retry"])
	assert.Equal(t, []string{"DEBUG", "INFO"}, levels["kalshi call"], "a success at Debug, a refusal at Info")
	for _, r := range records {
		if r["msg"] == "kalshi retry" {
			assert.Equal(t, "GetBalance", r[observe.KeyOperation])
			assert.Equal(t, "status 429", r[observe.KeyRetryReason])
			assert.EqualValues(t, 2, r[observe.KeyAttempt])
		}
		if r["msg"] == "kalshi call" && r["level"] == "INFO" {
			assert.Equal(t, "not_found", r[observe.KeyErrorCode])
			assert.EqualValues(t, 404, r[observe.KeyStatus])
		}
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// TestObserverOptionsRefuseNil: a nil observer or logger is a mistake
// named by the option.
func TestObserverOptionsRefuseNil(t *testing.T) {
	t.Parallel()
	_, err := kalshi.New(kalshi.WithObserver(nil))
	assert.ErrorContains(t, err, "WithObserver(nil)")
	_, err = kalshi.New(kalshi.WithLogger(nil))
	assert.ErrorContains(t, err, "WithLogger(nil)")
}
func ptr[T any](v T) *T { return &v }
