package kalshi_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// recordingLimiter is a Limiter of the test's own that paces with a
// LocalLimiter and records every draw; fail, when set, is returned
// instead of drawing.
type recordingLimiter struct {
	*kalshi.LocalLimiter
	mu    sync.Mutex
	draws []draw
	fail  error
}

type draw struct {
	bucket observe.Bucket
	tokens int
}

func (l *recordingLimiter) Wait(ctx context.Context, b observe.Bucket, n int) (float64, error) {
	l.mu.Lock()
	l.draws = append(l.draws, draw{b, n})
	fail := l.fail
	l.mu.Unlock()
	if fail != nil {
		return -1, fail
	}
	return l.LocalLimiter.Wait(ctx, b, n)
}

func (l *recordingLimiter) recorded() []draw {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]draw(nil), l.draws...)
}

func newRecordingLimiter(t *testing.T) *recordingLimiter {
	t.Helper()
	basic, err := kalshi.Basic.RateLimit()
	require.NoError(t, err)
	local, err := kalshi.NewLocalLimiter(basic)
	require.NoError(t, err)
	return &recordingLimiter{LocalLimiter: local}
}

// TestEveryAttemptDrawsTokens: Kalshi counts a retried request again, so
// each attempt waits for its own tokens, the refused ones included.
func TestEveryAttemptDrawsTokens(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			writeJSON(w, http.StatusTooManyRequests, `{"error":{"code":"too_many_requests","message":"slow down"}}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"cursor":"","markets":[]}`)
	})
	lim := newRecordingLimiter(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithLimiter(lim), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	_, err = c.GetMarkets(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, []draw{{observe.ReadBucket, 10}, {observe.ReadBucket, 10}, {observe.ReadBucket, 10}}, lim.recorded())
	assert.Len(t, ts.received(), 3)
}

// TestPluggedLimiterGetsTheCoreCharges: a limiter given to WithLimiter is
// asked for the bucket and the tokens the core works out: the costs of its
// Limits, times the items of a batch.
func TestPluggedLimiterGetsTheCoreCharges(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("POST", "/portfolio/events/orders/batched", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, `{"orders":[]}`)
	})
	ts.handle("DELETE", "/portfolio/events/orders/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"order_id":"o1","reduced_by":"1.00","ts_ms":1}`)
	})
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"cursor":"","markets":[]}`)
	})
	signer, _ := newSigner(t)
	lim := newRecordingLimiter(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithLimiter(lim))
	require.NoError(t, err)
	ctx := context.Background()

	_, err = c.BatchCreateOrdersV2(ctx, gen.BatchCreateOrdersV2Request{Orders: []gen.CreateOrderV2Request{createOrderBody(), createOrderBody(), createOrderBody()}})
	require.NoError(t, err)
	_, err = c.CancelOrderV2(ctx, "o1", nil)
	require.NoError(t, err)
	_, err = c.GetMarkets(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []draw{{observe.WriteBucket, 30}, {observe.WriteBucket, 2}, {observe.ReadBucket, 10}}, lim.recorded())

	got, on := c.RateLimit()
	assert.True(t, on)
	assert.Equal(t, lim.Limits(), got, "RateLimit reports the plugged limiter's figures")
	assert.Same(t, kalshi.Limiter(lim), c.Limiter())
}

// TestLimiterFailureEndsTheCall: a limiter that cannot give tokens ends
// the call with its error, reported to the observer, and nothing is sent.
func TestLimiterFailureEndsTheCall(t *testing.T) {
	t.Parallel()
	lim := newRecordingLimiter(t)
	lim.fail = errors.New("store unreachable")
	srv, c, obs, _ := observedClient(t, kalshi.WithLimiter(lim))
	_ = srv
	_, err := c.GetExchangeStatus(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, lim.fail)
	assert.Contains(t, err.Error(), "rate-limit tokens")
	require.Len(t, obs.waits, 1)
	assert.Equal(t, lim.fail, obs.waits[0].Err)
	assert.Equal(t, -1.0, obs.waits[0].Available)
	require.Len(t, obs.calls, 1)
	assert.Zero(t, obs.calls[0].Attempts, "nothing was sent")
}

// setterless is a Limiter without SetLimits.
type setterless struct{ l *kalshi.LocalLimiter }

func (s setterless) Limits() kalshi.RateLimit { return s.l.Limits() }
func (s setterless) Wait(ctx context.Context, b observe.Bucket, n int) (float64, error) {
	return s.l.Wait(ctx, b, n)
}

// TestSyncLimitsUpdatesThePluggedLimiter: SyncLimits hands the account's
// figures to a limiter with SetLimits, and says so when it has none.
func TestSyncLimitsUpdatesThePluggedLimiter(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/account/limits", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"usage_tier":"advanced","read":{"refill_rate":300,"bucket_capacity":300},"write":{"refill_rate":300,"bucket_capacity":300}}`)
	})
	ts.handle("GET", "/account/endpoint_costs", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"default_cost":10,"endpoint_costs":[{"method":"DELETE","path":"/trade-api/v2/portfolio/events/orders/:order_id","cost":3}]}`)
	})
	signer, _ := newSigner(t)
	lim := newRecordingLimiter(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithLimiter(lim))
	require.NoError(t, err)
	l, err := c.SyncLimits(context.Background())
	require.NoError(t, err)
	assert.Equal(t, kalshi.Bucket{RefillPerSecond: 300, Capacity: 300}, lim.Limits().Write)
	assert.Equal(t, 3, lim.Limits().Costs["CancelOrderV2"])
	assert.Equal(t, l, lim.Limits())

	plain, err := kalshi.NewLocalLimiter(kalshi.RateLimit{Read: kalshi.Bucket{RefillPerSecond: 1, Capacity: 1}, Write: kalshi.Bucket{RefillPerSecond: 1, Capacity: 1}})
	require.NoError(t, err)
	c, err = kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithLimiter(setterless{plain}))
	require.NoError(t, err)
	_, err = c.SyncLimits(context.Background())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SetLimits")
}

func TestLimiterOptions(t *testing.T) {
	t.Parallel()
	_, err := kalshi.New(kalshi.WithLimiter(nil))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithLimiter(nil)")

	// The last of WithTier, WithRateLimit and WithLimiter wins.
	lim := newRecordingLimiter(t)
	c, err := kalshi.New(kalshi.WithLimiter(lim), kalshi.WithTier(kalshi.Premier))
	require.NoError(t, err)
	got, _ := c.RateLimit()
	assert.Equal(t, 1000, got.Read.RefillPerSecond)
	c, err = kalshi.New(kalshi.WithTier(kalshi.Premier), kalshi.WithLimiter(lim))
	require.NoError(t, err)
	assert.Same(t, kalshi.Limiter(lim), c.Limiter())

	_, err = kalshi.NewLocalLimiter(kalshi.RateLimit{})
	require.Error(t, err)
}

// TestBurstLeavesTheMargin: the client's bucket holds Margin's worth of
// refill less than Kalshi's, and never less than one token.
func TestBurstLeavesTheMargin(t *testing.T) {
	t.Parallel()
	basic, err := kalshi.Basic.RateLimit()
	require.NoError(t, err)
	assert.Equal(t, 180, basic.Burst(basic.Read), "100 ms of 200 tokens a second")
	assert.Equal(t, 90, basic.Burst(basic.Write))
	basic.Margin = -1
	assert.Equal(t, 200, basic.Burst(basic.Read))
	basic.Margin = 10 * time.Second
	assert.Equal(t, 1, basic.Burst(basic.Read))
}

// TestDrainEmptiesTheBuckets: after Drain a draw must wait for refill, so a
// context too short for the refill ends the wait at once.
func TestDrainEmptiesTheBuckets(t *testing.T) {
	t.Parallel()
	lim, err := kalshi.NewLocalLimiter(kalshi.RateLimit{
		Read: kalshi.Bucket{RefillPerSecond: 1, Capacity: 100}, Write: kalshi.Bucket{RefillPerSecond: 1, Capacity: 100}, Margin: -1,
	})
	require.NoError(t, err)
	left, err := lim.Wait(context.Background(), observe.ReadBucket, 10)
	require.NoError(t, err)
	assert.InDelta(t, 90, left, 1)
	lim.Drain()
	for _, b := range []observe.Bucket{observe.ReadBucket, observe.WriteBucket} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err = lim.Wait(ctx, b, 10)
		cancel()
		require.Error(t, err, "%s: ten tokens at one a second do not come within a second", b)
	}
}
