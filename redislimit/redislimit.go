// Package redislimit is a kalshi.Limiter that keeps Kalshi's read and
// write token buckets in Redis, so that every client on one account, in
// any process on any machine, draws from one budget.
//
// Kalshi's budgets belong to the account, not to a process: four bots at
// the Basic tier that each pace themselves with their own buckets send
// four times what Kalshi admits and draw 429s. Give each the same Redis
// and the same Options.Account and they share the account's budget:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	lim, err := redislimit.New(rdb, redislimit.Options{Account: keyID, Environment: kalshi.Production, Limits: basic})
//	client, err := kalshi.New(kalshi.WithSigner(signer), kalshi.WithLimiter(lim))
//
// The client still works out each request's cost (per operation, per
// batch item); the Limiter takes the tokens with GCRA, one atomic script
// in Redis (github.com/go-redis/redis_rate), timed by Redis's clock.
//
// When Redis fails (down, or slower than Options.Timeout), FailClosed
// ends the call with an error matching ErrUnavailable that names the
// cause; FailOpen paces the process with its share of the budget
// (1/Options.Processes) in memory until Redis answers again. Waits always
// honour the caller's context.
package redislimit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// ErrUnavailable matches the error of a draw that Redis could not serve
// twice in a row: it was unreachable, failed, or did not answer within
// Options.Timeout. The error names the cause.
var ErrUnavailable = errors.New("redislimit: Redis unavailable")

// FailMode says what a draw does when Redis cannot serve it.
type FailMode int

const (
	// FailClosed returns an error matching ErrUnavailable: no request is
	// sent that the shared budget did not admit. The default.
	FailClosed FailMode = iota
	// FailOpen paces the process in memory with 1/Options.Processes of
	// the budget, starting from empty buckets, and tries Redis again
	// every Options.Recheck. A process that loses Redis while the others
	// keep it can overdraw the account by its share meanwhile.
	FailOpen
)

// String returns "closed" or "open".
func (m FailMode) String() string {
	if m == FailOpen {
		return "open"
	}
	return "closed"
}

// Defaults of Options.
const (
	DefaultPrefix  = "kalshi"
	DefaultTimeout = 200 * time.Millisecond
	DefaultRecheck = time.Second
)

// Options configures a Limiter.
type Options struct {
	// Account names the budget: every client of one Kalshi account must
	// give the same value, and different accounts different ones. The
	// API key ID is a good choice for one key per account; with several
	// keys on one account, use a name of your own. Required.
	Account string
	// Environment keeps the demo and production budgets apart (default
	// kalshi.Demo).
	Environment kalshi.Environment
	// Limits are the buckets and costs to pace by, the same in every
	// process: a tier's preset (kalshi.Basic.RateLimit()) or what
	// Client.SyncLimits loads. Required.
	Limits kalshi.RateLimit
	// Prefix starts every key (default DefaultPrefix); the keys are
	// "rate:<Prefix>:<environment>:<Account>:read" and ":write".
	Prefix string
	// Timeout bounds each Redis call (default DefaultTimeout); a call
	// that takes longer counts as failed. A draw tries a failed call once
	// more before Redis counts as unavailable.
	Timeout time.Duration
	// FailMode is what to do when Redis fails (default FailClosed).
	FailMode FailMode
	// Processes is how many clients share the account; with FailOpen
	// each falls back to 1/Processes of the budget. Required with
	// FailOpen.
	Processes int
	// Recheck is how long FailOpen paces locally before asking Redis
	// again (default DefaultRecheck).
	Recheck time.Duration
}

// Limiter is a kalshi.Limiter whose buckets live in Redis; see the
// package documentation. It is safe for concurrent use.
type Limiter struct {
	rdb  *redis_rate.Limiter
	opts Options
	keys [2]string // read, write

	mu        sync.RWMutex
	limits    kalshi.RateLimit
	fallback  *kalshi.LocalLimiter // FailOpen only
	downUntil time.Time            // FailOpen: pace locally until then
	lastErr   error
}

// New returns a Limiter drawing from rdb, or an error when o is
// incomplete. rdb is typically a *redis.Client; its own timeouts and
// retries still apply inside Options.Timeout.
func New(rdb redis.UniversalClient, o Options) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("redislimit: New: no Redis client")
	}
	if o.Account == "" {
		return nil, errors.New("redislimit: New: Options.Account is empty: give the API key ID or a name for the account")
	}
	if o.Environment == "" {
		o.Environment = kalshi.Demo
	}
	if !o.Environment.Valid() {
		return nil, fmt.Errorf("redislimit: New: unknown environment %q", string(o.Environment))
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Recheck <= 0 {
		o.Recheck = DefaultRecheck
	}
	if o.FailMode != FailClosed && o.FailMode != FailOpen {
		return nil, fmt.Errorf("redislimit: New: unknown FailMode %d", o.FailMode)
	}
	if o.FailMode == FailOpen && o.Processes < 1 {
		return nil, errors.New("redislimit: New: FailOpen needs Options.Processes, how many clients share the account")
	}
	l := &Limiter{rdb: redis_rate.NewLimiter(rdb), opts: o}
	base := o.Prefix + ":" + string(o.Environment) + ":" + o.Account + ":"
	l.keys = [2]string{base + string(observe.ReadBucket), base + string(observe.WriteBucket)}
	if err := l.SetLimits(o.Limits); err != nil {
		return nil, err
	}
	return l, nil
}

// Limits returns the figures the limiter paces by.
func (l *Limiter) Limits() kalshi.RateLimit {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.limits
}

// SetLimits replaces the figures, for this process: give every process
// the same (Client.SyncLimits does, from the account's). The state in
// Redis is kept.
func (l *Limiter) SetLimits(r kalshi.RateLimit) error {
	var fallback *kalshi.LocalLimiter
	if l.opts.FailMode == FailOpen {
		var err error
		if fallback, err = kalshi.NewLocalLimiter(share(r, l.opts.Processes)); err != nil {
			return fmt.Errorf("redislimit: %w", err)
		}
		fallback.Drain()
	} else if _, err := kalshi.NewLocalLimiter(r); err != nil {
		return fmt.Errorf("redislimit: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if r.DefaultCost == 0 {
		r.DefaultCost = gen.DefaultCost
	}
	l.limits = r
	l.fallback = fallback
	return nil
}

// share is one of n processes' part of r: 1/n of each bucket's refill
// and capacity, at least one token.
func share(r kalshi.RateLimit, n int) kalshi.RateLimit {
	part := func(b kalshi.Bucket) kalshi.Bucket {
		return kalshi.Bucket{RefillPerSecond: max(1, b.RefillPerSecond/n), Capacity: max(1, b.Capacity/n)}
	}
	r.Read, r.Write = part(r.Read), part(r.Write)
	return r
}

// Wait takes tokens from bucket in Redis, waiting until the shared bucket
// holds them or ctx ends; see kalshi.Limiter. It returns an error matching
// ErrUnavailable when Redis fails and the mode is FailClosed, and one
// matching context.DeadlineExceeded at once when the tokens would come
// after ctx's deadline. Waiters are not queued: each asks Redis again
// when its tokens are due, so under contention one can be passed over.
func (l *Limiter) Wait(ctx context.Context, bucket observe.Bucket, tokens int) (float64, error) {
	for {
		if fallback := l.fallbackNow(); fallback != nil {
			return fallback.Wait(ctx, bucket, tokens)
		}
		res, err := l.allow(ctx, bucket, tokens)
		if err != nil && ctx.Err() == nil {
			// One more try: a single slow answer (a busy machine, a
			// connection being replaced) is not yet an outage.
			res, err = l.allow(ctx, bucket, tokens)
		}
		if err != nil {
			if ctx.Err() != nil {
				return -1, ctx.Err()
			}
			err = fmt.Errorf("%w: %w", ErrUnavailable, err)
			if l.opts.FailMode == FailClosed {
				return -1, err
			}
			l.goLocal(err)
			continue
		}
		l.recovered()
		if res.Allowed > 0 {
			return float64(res.Remaining), nil
		}
		wait := res.RetryAfter
		if wait < 0 {
			return -1, fmt.Errorf("redislimit: %d tokens do not fit the %s bucket", tokens, bucket)
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return -1, fmt.Errorf("redislimit: the tokens come in %s, after the context's deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded)
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return -1, ctx.Err()
		case <-timer.C:
		}
	}
}

// allow asks Redis for tokens of bucket, within Options.Timeout. The
// timeout is kept here rather than left to the Redis client, which by
// default ignores contexts' deadlines on the wire (its ReadTimeout ends
// an abandoned call later).
func (l *Limiter) allow(ctx context.Context, bucket observe.Bucket, tokens int) (*redis_rate.Result, error) {
	limits := l.Limits()
	key, size := l.keys[0], limits.Read
	if bucket == observe.WriteBucket {
		key, size = l.keys[1], limits.Write
	}
	burst := limits.Burst(size)
	limit := redis_rate.Limit{Rate: size.RefillPerSecond, Burst: burst, Period: time.Second}
	rctx, cancel := context.WithTimeout(ctx, l.opts.Timeout)
	type answer struct {
		res *redis_rate.Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		defer cancel()
		res, err := l.rdb.AllowN(rctx, key, limit, min(tokens, burst))
		done <- answer{res, err}
	}()
	select {
	case a := <-done:
		if a.err != nil && rctx.Err() != nil && ctx.Err() == nil {
			a.err = fmt.Errorf("no answer within %s (Options.Timeout): %w", l.opts.Timeout, a.err)
		}
		return a.res, a.err
	case <-rctx.Done():
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("no answer within %s (Options.Timeout)", l.opts.Timeout)
	}
}

// fallbackNow returns the local limiter while FailOpen paces locally,
// nil when Redis is to be asked.
func (l *Limiter) fallbackNow() *kalshi.LocalLimiter {
	if l.opts.FailMode != FailOpen {
		return nil
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if time.Now().Before(l.downUntil) {
		return l.fallback
	}
	return nil
}

// goLocal switches FailOpen to local pacing for Options.Recheck, from
// empty buckets when it was on Redis: the shared bucket may be spent.
func (l *Limiter) goLocal(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Before(l.downUntil) {
		return // another goroutine switched already
	}
	if l.lastErr == nil {
		l.fallback.Drain()
	}
	l.lastErr = err
	l.downUntil = now.Add(l.opts.Recheck)
}

// recovered notes that Redis answered.
func (l *Limiter) recovered() {
	l.mu.RLock()
	failed := l.lastErr != nil
	l.mu.RUnlock()
	if failed {
		l.mu.Lock()
		l.lastErr = nil
		l.mu.Unlock()
	}
}

// Err returns why the limiter last found Redis unavailable while in
// FailOpen, or nil when Redis has answered since (or never failed).
func (l *Limiter) Err() error {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.lastErr
}

// Reset deletes the account's buckets in Redis, so they start full.
func (l *Limiter) Reset(ctx context.Context) error {
	for _, k := range l.keys {
		if err := l.rdb.Reset(ctx, k); err != nil {
			return fmt.Errorf("%w: %w", ErrUnavailable, err)
		}
	}
	return nil
}

var _ kalshi.Limiter = (*Limiter)(nil)
var _ kalshi.LimitSetter = (*Limiter)(nil)
