package kalshi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/seed-c9ca4919/kalshi/observe"
)

// RetryPolicy says when and how long to wait before sending a request
// again. Its functions are small and replaceable; a nil function uses the
// default.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included;
	// 1 turns retries off.
	MaxAttempts int
	// MaxElapsed bounds the total time of one call: every attempt, the
	// waits between them and reading the answer. It is a deadline: an
	// attempt still running when it passes is stopped, and no retry
	// starts that could not finish its wait before it. 0 means no bound.
	MaxElapsed time.Duration
	// AttemptTimeout bounds one attempt, from sending the request to the
	// last byte of the answer: a server that never answers, stalls
	// mid-body or drip-feeds bytes is given up on after it. A timed-out
	// attempt is retried only where repeating is safe (see
	// DefaultShouldRetry). 0 means no bound.
	AttemptTimeout time.Duration
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

// DefaultRetryPolicy retries up to 4 attempts within 30 seconds, each
// attempt given at most 15 seconds, with jittered exponential backoff from
// 250 ms up to 8 s.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, MaxElapsed: 30 * time.Second, AttemptTimeout: 15 * time.Second,
		BaseDelay: 250 * time.Millisecond, MaxDelay: 8 * time.Second}
}

// NoRetry sends every request exactly once, with the default policy's
// timeouts.
func NoRetry() RetryPolicy {
	p := DefaultRetryPolicy()
	p.MaxAttempts = 1
	return p
}

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
// refuses a duplicate with order_already_exists). An attempt that ran out
// of its AttemptTimeout counts as a connection failure. Cancellation of
// the caller's context, missing credentials, refused redirects and answers
// over the body limit are never retried.
func DefaultShouldRetry(req *http.Request, resp *http.Response, err error) bool {
	if err != nil {
		var te *timeoutError
		if errors.As(err, &te) && te.attempt {
			return safeToRepeat(req)
		}
		if errors.Is(err, ErrResponseTooLarge) || errors.Is(err, ErrRedirect) {
			return false
		}
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

// maxRetryAfter caps the wait a Retry-After header can ask for, so that
// an absurd value neither overflows nor parks a call for days; MaxElapsed
// usually ends the call sooner.
const maxRetryAfter = time.Hour

// retryAfter reads a Retry-After header in seconds or as an HTTP date,
// capped at maxRetryAfter.
func retryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil && secs >= 0 {
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter, true
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return min(max(time.Until(t), 0), maxRetryAfter), true
	}
	return 0, false
}

// retryTransport sends a request again as the policy allows. It sits
// above the signer, so every attempt is signed afresh. It also bounds
// every call: each attempt by the policy's AttemptTimeout, the whole call
// by MaxElapsed, and every answer's body by the client's limits. For the
// typed methods it reads the whole answer within the attempt, so a body
// that stalls or breaks off is a failed attempt like any other.
type retryTransport struct {
	next     http.RoundTripper
	policy   RetryPolicy
	limits   BodyLimits
	clock    *clockCorrection // nil when off
	observer observe.Observer // nil when none
	pacer    *pacer           // draws every attempt's rate-limit tokens
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
	parent := req.Context()
	st := callOf(parent)
	if st == nil {
		st = &callState{}
		parent = withCall(parent, st)
		req = req.WithContext(parent)
	}
	if p.MaxAttempts > 1 && req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		// Make the body replayable for later attempts.
		req = req.Clone(parent)
		if _, err := requestBody(req); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	var callDeadline time.Time // MaxElapsed, as a deadline; zero when none
	if p.MaxElapsed > 0 {
		callDeadline = start.Add(p.MaxElapsed)
	}
	var wait time.Duration // before this attempt
	reason := ""           // why this attempt is a retry
	tokens := t.pacer.charge(req)
	for attempt := 1; ; attempt++ {
		// Kalshi charges every attempt: each waits for its tokens, under
		// the caller's context alone.
		if err := tokens.wait(req); err != nil {
			closeRequestBody(req)
			return nil, err
		}
		st.attempts = attempt
		// One context per attempt, ending at the attempt's deadline or the
		// call's, whichever comes first.
		deadline := callDeadline
		if p.AttemptTimeout > 0 {
			if d := time.Now().Add(p.AttemptTimeout); deadline.IsZero() || d.Before(deadline) {
				deadline = d
			}
		}
		actx, cancelAttempt := parent, context.CancelFunc(func() {})
		if !deadline.IsZero() {
			actx, cancelAttempt = context.WithDeadline(parent, deadline)
		}
		var ev *observe.Attempt
		if t.observer != nil {
			ev = t.startAttempt(req, st, attempt, reason, wait)
			actx = t.observer.AttemptStart(actx, ev)
		}
		var r *http.Request
		if attempt == 1 {
			r = req.WithContext(actx)
		} else {
			r = req.Clone(actx)
			if req.GetBody != nil {
				body, err := req.GetBody()
				if err != nil {
					cancelAttempt()
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := t.next.RoundTrip(r)
		st.status = 0
		if err == nil {
			st.status = resp.StatusCode
			err = t.limits.apply(resp, st)
			if err != nil {
				resp = nil
			}
		}
		if err != nil {
			err = explainTimeout(err, parent, actx, callDeadline, p)
		}
		if ev != nil {
			ev.Duration, ev.StatusCode, ev.Err = time.Since(ev.Start), st.status, err
			t.observer.AttemptEnd(actx, ev)
		}
		if err == nil && t.clock.correct(resp, st) {
			// Kalshi refused the timestamp, not the request: send it
			// again at once, signed with the corrected clock.
			cancelAttempt()
			resp.Body.Close()
			wait, reason = 0, "clock skew"
			continue
		}
		if attempt >= p.MaxAttempts || !should(r, resp, err) {
			if resp != nil && !st.buffered {
				// The caller reads the body: the deadlines hold until it
				// closes it.
				resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancelAttempt}
			} else {
				cancelAttempt()
			}
			return resp, err
		}
		cancelAttempt()
		wait, reason = backoff(p, attempt+1, resp), retryReason(resp, err)
		if p.MaxElapsed > 0 && time.Since(start)+wait > p.MaxElapsed {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
		}
		if err := parent.Err(); err != nil {
			// The caller gave up: that, not the answer that would have
			// been retried, is why the call ends.
			return nil, err
		}
		timer := time.NewTimer(wait)
		select {
		case <-parent.Done():
			timer.Stop()
			return nil, parent.Err()
		case <-timer.C:
		}
	}
}

// startAttempt describes attempt number n of req for the observer.
func (t *retryTransport) startAttempt(req *http.Request, st *callState, n int, reason string, wait time.Duration) *observe.Attempt {
	ev := &observe.Attempt{Method: req.Method, Scheme: req.URL.Scheme, Host: req.URL.Host, Path: req.URL.Path, Number: n, RetryReason: reason, Wait: wait, Start: time.Now()}
	if st.op != nil {
		ev.Operation, ev.Path = st.op.ID, st.op.Path
	}
	return ev
}

// retryReason says why an attempt that ended with resp or err is retried.
func retryReason(resp *http.Response, err error) string {
	switch {
	case err == nil:
		return "status " + strconv.Itoa(resp.StatusCode)
	case errors.Is(err, ErrTimeout):
		return "timeout"
	}
	return "connection"
}

// ErrTimeout matches a call or an attempt that ran out of the time its
// RetryPolicy gives it (AttemptTimeout, MaxElapsed). It also matches
// context.DeadlineExceeded.
var ErrTimeout = errors.New("kalshi: timed out")

// timeoutError is a deadline of the retry policy that passed: one
// attempt's, or the whole call's.
type timeoutError struct {
	attempt bool
	limit   time.Duration
	err     error
}

func (e *timeoutError) Error() string {
	what := "the call (RetryPolicy.MaxElapsed)"
	if e.attempt {
		what = "the attempt (RetryPolicy.AttemptTimeout)"
	}
	return fmt.Sprintf("timed out: %s took more than %s", what, e.limit)
}

func (e *timeoutError) Is(target error) bool {
	return target == ErrTimeout || target == context.DeadlineExceeded
}

func (e *timeoutError) Unwrap() error { return e.err }

// explainTimeout turns the context error of a deadline the policy set into
// a timeoutError saying which one passed; the caller's own cancellation
// and deadline are left as they are.
func explainTimeout(err error, parent, attempt context.Context, callDeadline time.Time, p RetryPolicy) error {
	if parent.Err() != nil || attempt.Err() == nil || !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		return err
	}
	if !callDeadline.IsZero() && !time.Now().Before(callDeadline) {
		return &timeoutError{limit: p.MaxElapsed, err: err}
	}
	return &timeoutError{attempt: true, limit: p.AttemptTimeout, err: err}
}

// cancelOnClose releases a call's deadlines when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel func()
	once   sync.Once
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.once.Do(c.cancel)
	return err
}
