package kalshi

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy says when and how long to wait before sending a request
// again. Its functions are small and replaceable; a nil function uses the
// default.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included;
	// 1 turns retries off.
	MaxAttempts int
	// MaxElapsed bounds the total time spent on one call, waits included;
	// no retry starts once it would be exceeded. 0 means no bound.
	MaxElapsed time.Duration
	// BaseDelay and MaxDelay shape the exponential backoff.
	BaseDelay, MaxDelay time.Duration
	// ShouldRetry reports whether to send req again after resp or err.
	// Default: DefaultShouldRetry.
	ShouldRetry func(req *http.Request, resp *http.Response, err error) bool
	// Backoff returns the wait before attempt number next (2 for the
	// first retry). Default: Retry-After when the server sent one, else
	// full-jitter exponential backoff between 0 and
	// min(MaxDelay, BaseDelay·2^(next-2)).
	Backoff func(p RetryPolicy, next int, resp *http.Response) time.Duration
}

// DefaultRetryPolicy retries up to 4 attempts within 30 seconds, with
// jittered exponential backoff from 250 ms up to 8 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MaxElapsed: 30 * time.Second, BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second}
}

// NoRetry sends every request exactly once.
func NoRetry() RetryPolicy { return RetryPolicy{MaxAttempts: 1} }

// Attempt returns which attempt a request is (1 for the first), from its
// context; 0 when it did not pass through the retry layer.
func Attempt(ctx context.Context) int {
	if st := callOf(ctx); st != nil {
		return st.attempts
	}
	return 0
}

// DefaultShouldRetry retries 429 on any request (Kalshi did not act on
// it), and server errors and connection failures only on requests that
// cannot double an effect: operations the table marks Repeatable, and
// order creation that carries a client_order_id on every order (Kalshi
// refuses a duplicate with order_already_exists). Cancellation of the caller's context and
// missing credentials are never retried.
func DefaultShouldRetry(req *http.Request, resp *http.Response, err error) bool {
	if err != nil {
		if errors.Is(err, ErrNoCredentials) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return false
		}
		return safeToRepeat(req)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		return true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return safeToRepeat(req)
	}
	return false
}

// safeToRepeat reports whether sending req twice cannot double an effect.
// A request outside the spec is judged by its method alone.
func safeToRepeat(req *http.Request) bool {
	op := operationOf(req)
	if op == nil {
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
			return true
		}
		return false
	}
	if op.Repeatable {
		return true
	}
	if op.OrdersAt == "" {
		return false
	}
	body, err := requestBody(req)
	return err == nil && carriesClientOrderIDs(body, op.OrdersAt)
}

// DefaultBackoff honours a Retry-After header, else waits a random time
// between 0 and min(MaxDelay, BaseDelay·2^(next-2)) ("full jitter").
func DefaultBackoff(p RetryPolicy, next int, resp *http.Response) time.Duration {
	if d, ok := retryAfter(resp); ok {
		return d
	}
	ceiling := p.BaseDelay
	for i := 2; i < next && ceiling < p.MaxDelay; i++ {
		ceiling *= 2
	}
	if p.MaxDelay > 0 && ceiling > p.MaxDelay {
		ceiling = p.MaxDelay
	}
	if ceiling <= 0 {
		return 0
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

// retryAfter reads a Retry-After header in seconds or as an HTTP date.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := time.Until(t); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// retryTransport sends a request again as the policy allows. It sits
// above the signer, so every attempt is signed afresh.
type retryTransport struct {
	next   http.RoundTripper
	policy RetryPolicy
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	p := t.policy
	should := p.ShouldRetry
	if should == nil {
		should = DefaultShouldRetry
	}
	backoff := p.Backoff
	if backoff == nil {
		backoff = DefaultBackoff
	}
	ctx := req.Context()
	st := callOf(ctx)
	if st == nil {
		st = &callState{}
		ctx = withCall(ctx, st)
		req = req.WithContext(ctx)
	}
	if p.MaxAttempts > 1 && req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		// Make the body replayable for later attempts.
		req = req.Clone(ctx)
		if _, err := requestBody(req); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	for attempt := 1; ; attempt++ {
		st.attempts = attempt
		r := req
		if attempt > 1 {
			r = req.Clone(ctx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := t.next.RoundTrip(r)
		if attempt >= p.MaxAttempts || !should(r, resp, err) {
			return resp, err
		}
		wait := backoff(p, attempt+1, resp)
		if p.MaxElapsed > 0 && time.Since(start)+wait > p.MaxElapsed {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		if err := ctx.Err(); err != nil {
			// The caller gave up: that, not the answer that would have
			// been retried, is why the call ends.
			return nil, err
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
	}
}
