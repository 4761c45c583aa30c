package kalshi_test

import (
	"context"
	"net/http"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
)

// kalshiBucket emulates one of Kalshi's token buckets on the server side.
type kalshiBucket struct {
	capacity, refill float64
	level            float64
	last             time.Time
	refused          int
	spent            []spend
}

type spend struct {
	at     time.Time
	tokens float64
}

func (b *kalshiBucket) take(now time.Time, tokens float64) {
	if b.last.IsZero() {
		b.level, b.last = b.capacity, now
	}
	b.level = min(b.capacity, b.level+now.Sub(b.last).Seconds()*b.refill)
	b.last = now
	if b.level < tokens-1e-6 {
		b.refused++
	}
	b.level -= tokens
	b.spent = append(b.spent, spend{now, tokens})
}

// maxInWindow is the most tokens spent in any window of length w.
func (b *kalshiBucket) maxInWindow(w time.Duration) float64 {
	sort.Slice(b.spent, func(i, j int) bool { return b.spent[i].at.Before(b.spent[j].at) })
	best := 0.0
	for i := range b.spent {
		sum := 0.0
		for j := i; j < len(b.spent) && b.spent[j].at.Sub(b.spent[i].at) < w; j++ {
			sum += b.spent[j].tokens
		}
		best = max(best, sum)
	}
	return best
}

// TestBasicTierBurst fires 60 mixed calls at the Basic tier and replays
// the moments they left the client through buckets that count tokens as
// Kalshi's do: none would be refused, no one-second window spends more than
// the bucket admits, and reads finish while writes are still waiting for
// their bucket. The moments are taken where the request leaves the client
// (its HTTP transport), so what is checked is the client's pacing, not how
// a loaded machine delays the server; the margin (RateLimit.Margin) is what
// covers that delay on a real network.
func TestBasicTierBurst(t *testing.T) {
	t.Parallel()
	start := time.Now()
	var mu sync.Mutex
	var sent []spendOn
	stamp := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		mu.Lock()
		sent = append(sent, spendOn{at: time.Now(), write: req.Method == http.MethodPost})
		mu.Unlock()
		return http.DefaultTransport.RoundTrip(req)
	})

	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"cursor":"","markets":[]}`)
	})
	ts.handle("POST", "/portfolio/events/orders", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, `{"order_id":"o","fill_count":"0.00","remaining_count":"3.00","ts_ms":1}`)
	})
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithTier(kalshi.Basic),
		kalshi.WithHTTPClient(&http.Client{Transport: stamp}))
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 60)
	for i := range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				_, err := c.GetMarkets(context.Background(), nil)
				errs <- err
				return
			}
			_, err := c.CreateOrderV2(context.Background(), createOrderBody())
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	sort.Slice(sent, func(i, j int) bool { return sent[i].at.Before(sent[j].at) })
	read := &kalshiBucket{capacity: 200, refill: 200, last: start, level: 200}
	write := &kalshiBucket{capacity: 100, refill: 100, last: start, level: 100}
	var lastRead, lastWrite time.Time
	for _, s := range sent {
		if s.write {
			write.take(s.at, 10)
			lastWrite = s.at
		} else {
			read.take(s.at, 10)
			lastRead = s.at
		}
	}
	assert.Zero(t, read.refused, "no read would have been refused by Kalshi's bucket")
	assert.Zero(t, write.refused, "no write would have been refused by Kalshi's bucket")
	// A full bucket plus one second of refill is what Kalshi admits in any
	// one-second window: 400 read tokens and 200 write tokens at Basic.
	assert.LessOrEqual(t, read.maxInWindow(time.Second), 400.0)
	assert.LessOrEqual(t, write.maxInWindow(time.Second), 200.0)
	assert.Len(t, read.spent, 30)
	assert.Len(t, write.spent, 30)
	// 300 write tokens at 100/s take two seconds; 300 read tokens at 200/s
	// half of one. Reads draw from their own bucket and are done first.
	assert.True(t, lastRead.Before(lastWrite), "reads never wait on writes: last read %v, last write %v", lastRead.Sub(start), lastWrite.Sub(start))
	assert.GreaterOrEqual(t, lastWrite.Sub(start), 1500*time.Millisecond, "writes were paced by their bucket")
}

// spendOn is one request leaving the client: when, and from which bucket.
type spendOn struct {
	at    time.Time
	write bool
}

func TestRateLimitWaitHonoursContext(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"cursor":"","markets":[]}`)
	})
	// A bucket of 10 tokens refilled at 1 token/s: the second call would
	// wait ten seconds.
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithRateLimit(kalshi.RateLimit{
		Read: kalshi.Bucket{RefillPerSecond: 1, Capacity: 10}, Write: kalshi.Bucket{RefillPerSecond: 1, Capacity: 10},
	}))
	require.NoError(t, err)
	_, err = c.GetMarkets(context.Background(), nil)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.GetMarkets(ctx, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "rate-limit tokens")
	assert.Len(t, ts.received(), 1)
}

func TestRateLimitValidation(t *testing.T) {
	t.Parallel()
	_, err := kalshi.New(kalshi.WithRateLimit(kalshi.RateLimit{Read: kalshi.Bucket{RefillPerSecond: 10, Capacity: 10}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "write bucket")
	_, err = kalshi.New(kalshi.WithTier("gold"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"gold"`)
	tier, err := kalshi.ParseTier("Premier")
	require.NoError(t, err)
	l, err := tier.RateLimit()
	require.NoError(t, err)
	assert.Equal(t, 1000, l.Write.RefillPerSecond)
	assert.Equal(t, 2, l.Costs["CancelOrderV2"], "the preset carries the table's documented costs")
	_, err = kalshi.Tier("gold").RateLimit()
	require.Error(t, err, "an unknown tier is an error, not a panic")
}

func TestLimitsAreOffByDefault(t *testing.T) {
	t.Parallel()
	c, err := kalshi.New()
	require.NoError(t, err)
	_, on := c.RateLimit()
	assert.False(t, on)
}

// TestSyncLimits loads Kalshi's recorded answers for the account's limits
// and endpoint costs.
func TestSyncLimits(t *testing.T) {
	t.Parallel()
	limits, err := os.ReadFile(sharedFile(t, "fixtures", "account_limits", "fortuna_basic_tier_demo.json"))
	require.NoError(t, err)
	costs, err := os.ReadFile(sharedFile(t, "fixtures", "account_endpoint_costs", "fortuna_demo.json"))
	require.NoError(t, err)
	ts := newTestServer(t)
	ts.handle("GET", "/account/limits", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, string(limits)) })
	ts.handle("GET", "/account/endpoint_costs", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, string(costs)) })
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer))
	require.NoError(t, err)

	l, err := c.SyncLimits(context.Background())
	require.NoError(t, err)
	assert.Equal(t, kalshi.Bucket{RefillPerSecond: 200, Capacity: 200}, l.Read)
	assert.Equal(t, kalshi.Bucket{RefillPerSecond: 100, Capacity: 100}, l.Write)
	assert.Equal(t, 10, l.DefaultCost)
	assert.Equal(t, 2, l.Costs["CancelOrderV2"])
	assert.Equal(t, 2, l.Costs["BatchCancelOrdersV2"])
	assert.Equal(t, 2, l.Costs["GetOrder"])
	assert.Equal(t, 2, l.Costs["CreateQuote"])
	assert.Equal(t, 30, l.Costs["UpgradeAccountApiUsageLevel"])
	got, on := c.RateLimit()
	assert.True(t, on, "SyncLimits turns client-side limiting on")
	assert.Equal(t, l, got)
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }
