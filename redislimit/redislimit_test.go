package redislimit_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/redislimit"
	"github.com/seed-c9ca4919/kalshi/redislimit/redistest"
)

// slow is a budget of 100 tokens refilled at one a second, without the
// latency margin: a second draw of a spent bucket waits about ten seconds
// per ten tokens, far beyond any test's short deadline.
var slow = kalshi.RateLimit{
	Read:   kalshi.Bucket{RefillPerSecond: 1, Capacity: 100},
	Write:  kalshi.Bucket{RefillPerSecond: 1, Capacity: 100},
	Margin: -1,
}

func client(t *testing.T, srv *redistest.Server) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	t.Cleanup(func() { _ = rdb.Close() })
	return rdb
}

func newLimiter(t *testing.T, rdb *redis.Client, o redislimit.Options) *redislimit.Limiter {
	t.Helper()
	if o.Account == "" {
		o.Account = "acct"
	}
	if o.Limits.Read.Capacity == 0 {
		o.Limits = slow
	}
	l, err := redislimit.New(rdb, o)
	require.NoError(t, err)
	return l
}

// shortWait draws tokens with a context too short for any refill.
func shortWait(l kalshi.Limiter, b observe.Bucket, tokens int) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := l.Wait(ctx, b, tokens)
	return err
}

// TestOneBudgetPerAccountAndEnvironment: limiters of one account and
// environment share the buckets; another account, another environment or
// the other bucket have their own.
func TestOneBudgetPerAccountAndEnvironment(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	a := newLimiter(t, client(t, srv), redislimit.Options{})
	b := newLimiter(t, client(t, srv), redislimit.Options{})
	other := newLimiter(t, client(t, srv), redislimit.Options{Account: "other"})
	prod := newLimiter(t, client(t, srv), redislimit.Options{Environment: kalshi.Production})

	left, err := a.Wait(context.Background(), observe.ReadBucket, 60)
	require.NoError(t, err)
	assert.InDelta(t, 40, left, 1)
	left, err = b.Wait(context.Background(), observe.ReadBucket, 40)
	require.NoError(t, err, "b draws the 40 that a left")
	assert.InDelta(t, 0, left, 1)

	err = shortWait(a, observe.ReadBucket, 10)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the shared bucket is spent")
	assert.Contains(t, err.Error(), "after the context's deadline")
	require.ErrorIs(t, shortWait(b, observe.ReadBucket, 10), context.DeadlineExceeded)

	require.NoError(t, shortWait(a, observe.WriteBucket, 100), "the write bucket is apart")
	require.NoError(t, shortWait(other, observe.ReadBucket, 100), "another account is apart")
	require.NoError(t, shortWait(prod, observe.ReadBucket, 100), "production is apart from demo")

	require.NoError(t, a.Reset(context.Background()))
	require.NoError(t, shortWait(b, observe.ReadBucket, 100), "Reset fills the buckets")
}

// TestWaitHonoursCancellation: a wait for refill ends when its context is
// cancelled.
func TestWaitHonoursCancellation(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	l := newLimiter(t, client(t, srv), redislimit.Options{})
	require.NoError(t, shortWait(l, observe.ReadBucket, 100))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := l.Wait(ctx, observe.ReadBucket, 10)
		done <- err
	}()
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// TestWaitsForRefill: a draw on a spent bucket is served once Redis's
// bucket has refilled.
func TestWaitsForRefill(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	fast := kalshi.RateLimit{Read: kalshi.Bucket{RefillPerSecond: 100, Capacity: 20}, Write: kalshi.Bucket{RefillPerSecond: 100, Capacity: 20}, Margin: -1}
	l := newLimiter(t, client(t, srv), redislimit.Options{Limits: fast})
	start := time.Now()
	for range 4 {
		_, err := l.Wait(context.Background(), observe.ReadBucket, 10)
		require.NoError(t, err)
	}
	// 40 tokens from a bucket of 20 at 100 a second: 20 came from refill.
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)
}

// TestFailClosed: with Redis stopped or stalled, a draw fails at once
// with ErrUnavailable naming the cause, and works again when Redis is
// back.
func TestFailClosed(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	l := newLimiter(t, client(t, srv), redislimit.Options{Timeout: 100 * time.Millisecond})
	require.NoError(t, shortWait(l, observe.ReadBucket, 10))

	srv.Pause()
	err := shortWait(l, observe.ReadBucket, 10)
	require.ErrorIs(t, err, redislimit.ErrUnavailable)
	assert.Contains(t, err.Error(), "no answer within 100ms")
	srv.Resume()

	srv.Stop()
	err = shortWait(l, observe.ReadBucket, 10)
	require.ErrorIs(t, err, redislimit.ErrUnavailable)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "the cause is Redis, not the caller's deadline")
	assert.Contains(t, err.Error(), "Redis unavailable: ")

	require.NoError(t, srv.Restart())
	require.Eventually(t, func() bool { return shortWait(l, observe.ReadBucket, 10) == nil }, 10*time.Second, 50*time.Millisecond)
}

// TestFailOpen: with Redis stopped, draws are paced locally with the
// process's share of the budget, from empty buckets; once Redis is back
// they go to Redis again.
func TestFailOpen(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	budget := kalshi.RateLimit{Read: kalshi.Bucket{RefillPerSecond: 400, Capacity: 400}, Write: kalshi.Bucket{RefillPerSecond: 400, Capacity: 400}, Margin: -1}
	l := newLimiter(t, client(t, srv), redislimit.Options{Limits: budget, FailMode: redislimit.FailOpen, Processes: 4, Recheck: 50 * time.Millisecond})
	_, err := l.Wait(context.Background(), observe.ReadBucket, 10)
	require.NoError(t, err)
	require.NoError(t, l.Err())

	srv.Stop()
	// The share is 100 tokens a second from an empty bucket: 50 tokens
	// take about half a second.
	start := time.Now()
	for range 5 {
		_, err := l.Wait(context.Background(), observe.ReadBucket, 10)
		require.NoError(t, err, "fail open paces locally")
	}
	assert.GreaterOrEqual(t, time.Since(start), 400*time.Millisecond, "the local share starts empty and refills at 1/4 of the rate")
	require.ErrorIs(t, l.Err(), redislimit.ErrUnavailable)

	require.NoError(t, srv.Restart())
	require.Eventually(t, func() bool {
		_, err := l.Wait(context.Background(), observe.ReadBucket, 1)
		return err == nil && l.Err() == nil
	}, 10*time.Second, 20*time.Millisecond, "back on Redis")
}

func TestOptions(t *testing.T) {
	t.Parallel()
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer rdb.Close()
	for name, tc := range map[string]struct {
		o    redislimit.Options
		want string
	}{
		"no account":    {redislimit.Options{Limits: slow}, "Account"},
		"no limits":     {redislimit.Options{Account: "a"}, "bucket"},
		"bad env":       {redislimit.Options{Account: "a", Limits: slow, Environment: "staging"}, "staging"},
		"open no count": {redislimit.Options{Account: "a", Limits: slow, FailMode: redislimit.FailOpen}, "Processes"},
	} {
		_, err := redislimit.New(rdb, tc.o)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
	}
	_, err := redislimit.New(nil, redislimit.Options{Account: "a", Limits: slow})
	require.Error(t, err)
	l, err := redislimit.New(rdb, redislimit.Options{Account: "a", Limits: slow})
	require.NoError(t, err)
	assert.Equal(t, 10, l.Limits().DefaultCost, "Kalshi's default cost when none is given")
	assert.Equal(t, "closed", redislimit.FailClosed.String())
	assert.True(t, errors.Is(shortWait(l, observe.ReadBucket, 1), redislimit.ErrUnavailable), "nothing listens on port 1")
}
