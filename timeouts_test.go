package kalshi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// quickPolicy is the default policy scaled down, so a hung server costs a
// test a second rather than thirty.
func quickPolicy() kalshi.RetryPolicy {
	p := kalshi.DefaultRetryPolicy()
	p.AttemptTimeout, p.MaxElapsed = 150*time.Millisecond, time.Second
	p.BaseDelay, p.MaxDelay = time.Millisecond, 5*time.Millisecond
	return p
}

// badServer serves handler and counts the requests that reach it.
func badServer(t *testing.T, handler func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		// Read the body first: only then does the server notice a client
		// that hangs up, and end r.Context().
		_, _ = io.Copy(io.Discard, r.Body)
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func (quick) client(t *testing.T, srv *httptest.Server, opts ...kalshi.Option) *kalshi.Client {
	t.Helper()
	signer, _ := newSigner(t)
	c, err := kalshi.New(append([]kalshi.Option{kalshi.WithBaseURL(srv.URL + "/trade-api/v2"), kalshi.WithSigner(signer), kalshi.WithRetry(quickPolicy())}, opts...)...)
	require.NoError(t, err)
	return c
}

type quick struct{}

// The three ways a server can hang a call: never answering, stalling
// after the headers, drip-feeding the body. Each ends with ErrTimeout
// within MaxElapsed (plus a little), a read being retried, an amend (not
// safe to repeat) sent once.
func TestHungServersCannotHangACall(t *testing.T) {
	t.Parallel()
	hangs := map[string]func(w http.ResponseWriter, r *http.Request){
		"never answers": func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		"stalls after the headers": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"balance":`)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		},
		"drip-feeds bytes": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"markets":[`)
			for {
				if _, err := io.WriteString(w, " "); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		},
	}
	for name, hang := range hangs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, reached := badServer(t, hang)
			c := quick{}.client(t, srv)
			start := time.Now()
			_, err := c.GetBalance(context.Background(), nil)
			elapsed := time.Since(start)
			require.ErrorIs(t, err, kalshi.ErrTimeout)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, elapsed, 3*time.Second, "MaxElapsed bounds the call")
			var callErr *kalshi.CallError
			require.ErrorAs(t, err, &callErr)
			assert.Greater(t, callErr.Attempts, 1, "a read is retried after a timed-out attempt")
			// Every attempt the server saw is counted; the last one may be
			// cut short by MaxElapsed before a loaded machine's server
			// handler starts, so it can be counted without being seen.
			assert.LessOrEqual(t, int(reached.Load()), callErr.Attempts)
			assert.GreaterOrEqual(t, int(reached.Load()), callErr.Attempts-1)

			_, err = c.AmendOrderV2(context.Background(), "order-1", nil, gen.AmendOrderV2Request{Ticker: "T", Side: gen.BookSideBid, Count: qty("2"), Price: usd("0.5")})
			require.ErrorIs(t, err, kalshi.ErrTimeout)
			assert.Contains(t, err.Error(), "AttemptTimeout")
			require.ErrorAs(t, err, &callErr)
			assert.Equal(t, 1, callErr.Attempts, "an amend is not safe to repeat: sent once")
			assert.ErrorIs(t, err, kalshi.ErrOutcomeUnknown, "and since it may have been applied, its outcome is unknown")
		})
	}
}

// The caller's own deadline is reported as the caller's, not as the
// policy's timeout.
func TestCallersDeadlineIsTheCallers(t *testing.T) {
	t.Parallel()
	srv, _ := badServer(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	p := quickPolicy()
	p.AttemptTimeout, p.MaxElapsed = 0, 0
	c := quick{}.client(t, srv, kalshi.WithRetry(p))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.GetBalance(ctx, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, kalshi.ErrTimeout)
}

// The default policy bounds every call, and NoRetry keeps those bounds.
func TestDefaultPolicyHasTimeouts(t *testing.T) {
	t.Parallel()
	for _, p := range []kalshi.RetryPolicy{kalshi.DefaultRetryPolicy(), kalshi.NoRetry()} {
		assert.Positive(t, p.AttemptTimeout)
		assert.Positive(t, p.MaxElapsed)
		assert.LessOrEqual(t, p.AttemptTimeout, p.MaxElapsed)
	}
	assert.Equal(t, 1, kalshi.NoRetry().MaxAttempts)
}

// An absurd Retry-After neither overflows into no wait at all nor parks
// the call: it is capped, and MaxElapsed ends the call at once.
func TestRetryAfterIsCapped(t *testing.T) {
	t.Parallel()
	srv, reached := badServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "9223372037")
		writeJSON(w, http.StatusTooManyRequests, `{"error":"too many requests"}`)
	})
	c := quick{}.client(t, srv)
	start := time.Now()
	_, err := c.GetBalance(context.Background(), nil)
	require.ErrorIs(t, err, kalshi.ErrRateLimited)
	assert.EqualValues(t, 1, reached.Load(), "a wait longer than MaxElapsed is not started")
	assert.Less(t, time.Since(start), time.Second)
}

// endless streams a body that never ends, until the client hangs up.
func endless(status int, prefix, chunk string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, prefix)
		block := []byte(strings.Repeat(chunk, 4096/len(chunk)))
		for r.Context().Err() == nil {
			if _, err := w.Write(block); err != nil {
				return
			}
		}
	}
}

// allocated runs f and returns the bytes it allocated (run alone, so
// other tests do not count).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// An endless answer, success or error, ends at the body limit with memory
// near the limit. (Not parallel: it measures allocations.)
func TestEndlessBodiesStopAtTheLimit(t *testing.T) {
	const limit = 1 << 20
	// Reading up to the limit must end the attempt, not the attempt timeout:
	// on a loaded machine (with -race) reading 1 MiB can take longer than
	// quickPolicy's 150 ms, and a timed-out read is retried.
	patient := quickPolicy()
	patient.AttemptTimeout, patient.MaxElapsed = time.Minute, time.Minute
	t.Run("success", func(t *testing.T) {
		srv, reached := badServer(t, endless(http.StatusOK, `{"markets":[`, `{"ticker":"KX"},`))
		c := quick{}.client(t, srv, kalshi.WithBodyLimits(kalshi.BodyLimits{Success: limit}), kalshi.WithRetry(patient))
		var err error
		alloc := allocated(func() { _, err = c.GetMarkets(context.Background(), nil) })
		require.ErrorIs(t, err, kalshi.ErrResponseTooLarge)
		assert.Contains(t, err.Error(), fmt.Sprint(limit))
		assert.EqualValues(t, 1, reached.Load(), "a body over the limit is not fetched again")
		assert.Less(t, alloc, uint64(4*limit), "allocated %d bytes for a %d-byte limit", alloc, limit)
		t.Logf("an endless 200 body: the call allocated %d bytes with a %d-byte limit", alloc, limit)
	})
	t.Run("error", func(t *testing.T) {
		srv, _ := badServer(t, endless(http.StatusInternalServerError, `<html>`, `oops `))
		p := patient
		p.MaxAttempts = 1
		c := quick{}.client(t, srv, kalshi.WithBodyLimits(kalshi.BodyLimits{Error: limit}), kalshi.WithRetry(p))
		var err error
		alloc := allocated(func() { _, err = c.GetMarkets(context.Background(), nil) })
		var apiErr *kalshi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusInternalServerError, apiErr.StatusCode)
		assert.Len(t, apiErr.Body, limit, "the error keeps what fits")
		assert.Less(t, alloc, uint64(4*limit), "allocated %d bytes for a %d-byte limit", alloc, limit)
		t.Logf("an endless 500 body: the call allocated %d bytes with a %d-byte limit", alloc, limit)
	})
	t.Run("raw", func(t *testing.T) {
		srv, _ := badServer(t, endless(http.StatusOK, `[`, `1,`))
		c := quick{}.client(t, srv, kalshi.WithBodyLimits(kalshi.BodyLimits{Success: limit}))
		resp, err := c.HTTPClient().Get(c.BaseURL() + "/markets")
		require.NoError(t, err)
		defer resp.Body.Close()
		n, err := io.Copy(io.Discard, resp.Body)
		require.True(t, errors.Is(err, kalshi.ErrResponseTooLarge), "got %v", err)
		assert.EqualValues(t, limit, n)
	})
	assert.Equal(t, 64<<20, kalshi.DefaultSuccessBodyLimit)
}

// A machine whose clock is a minute ahead: Kalshi refuses every timestamp
// as stale. The client sets its signer's clock from the refusal's Date,
// sends the call again, and every later call (and the signer's other
// users) signs with the corrected time.
func TestClockSkewIsCorrected(t *testing.T) {
	t.Parallel()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(1))
	defer srv.Close()
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	srv.AddAPIKey("skewed", key.Public())
	ahead := func() time.Time { return time.Now().Add(time.Minute) }

	t.Run("corrected", func(t *testing.T) {
		signer, err := signing.New("skewed", key, signing.WithClock(ahead))
		require.NoError(t, err)
		var reported []time.Duration
		c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer),
			kalshi.WithClockCorrection(true, func(d time.Duration) { reported = append(reported, d) }))
		require.NoError(t, err)
		_, err = c.GetBalance(context.Background(), nil)
		require.NoError(t, err)
		require.Len(t, reported, 1)
		assert.InDelta(t, -time.Minute, reported[0], float64(2*time.Second))
		assert.Equal(t, reported[0], signer.ClockOffset())
		_, err = c.GetBalance(context.Background(), nil)
		require.NoError(t, err)
		assert.Len(t, reported, 1, "corrected once, not on every call")
		conn, err := ws.Dial(context.Background(), ws.WithURL(srv.WebSocketURL()), ws.WithSigner(signer))
		require.NoError(t, err, "the WebSocket handshake signs with the corrected clock too")
		conn.Close()
	})
	t.Run("off", func(t *testing.T) {
		signer, err := signing.New("skewed", key, signing.WithClock(ahead))
		require.NoError(t, err)
		c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithClockCorrection(false, nil))
		require.NoError(t, err)
		_, err = c.GetBalance(context.Background(), nil)
		var apiErr *kalshi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "header_timestamp_expired", apiErr.Code)
		assert.Contains(t, apiErr.Hint, "clock")
		assert.Zero(t, signer.ClockOffset())
	})
}
