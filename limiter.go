package kalshi

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// Limiter paces a client's requests by Kalshi's read and write token
// buckets. The client works out what each request costs (the operation's
// cost from Limits, times the items of a batch) and calls Wait before
// every attempt, retries included, since Kalshi counts each one.
//
// LocalLimiter keeps the buckets in memory, for one process. A limiter
// shared between processes (package redislimit keeps them in Redis) lets
// several clients on one account draw from one budget. A Limiter whose
// figures can change implements LimitSetter too, for Client.SyncLimits.
// A Limiter is used from many goroutines at once.
type Limiter interface {
	// Limits returns the figures the limiter paces by; the client takes
	// the per-operation costs from them on every request.
	Limits() RateLimit
	// Wait takes tokens from bucket, waiting until they are there. It
	// returns early with an error when ctx ends first (or its deadline
	// would pass before the tokens come) or the limiter fails. left is
	// what the bucket holds after the draw, -1 when the limiter cannot
	// tell. tokens is never more than Limits().Burst of the bucket.
	Wait(ctx context.Context, bucket observe.Bucket, tokens int) (left float64, err error)
}

// LimitSetter is implemented by a Limiter whose figures can change.
// Client.SyncLimits calls SetLimits with the account's real limits and
// costs.
type LimitSetter interface {
	SetLimits(RateLimit) error
}

// WithLimiter paces requests with l instead of the in-memory buckets of
// WithRateLimit and WithTier: for a budget shared between processes (see
// package redislimit). Of WithLimiter, WithRateLimit and WithTier, the
// last given wins.
func WithLimiter(l Limiter) Option {
	return func(c *config) error {
		if l == nil {
			return fmt.Errorf("kalshi: WithLimiter(nil): pass a Limiter such as NewLocalLimiter's, or leave the option out for no limiting")
		}
		c.limiter = l
		return nil
	}
}

// LocalLimiter is a Limiter holding both buckets in this process's memory:
// what WithRateLimit and WithTier use. It is safe for concurrent use.
type LocalLimiter struct {
	mu          sync.RWMutex
	config      RateLimit
	read, write *rate.Limiter
}

// NewLocalLimiter returns a limiter with full buckets sized by l (see
// RateLimit.Burst), or an error when l is unusable.
func NewLocalLimiter(l RateLimit) (*LocalLimiter, error) {
	lim := &LocalLimiter{}
	if err := lim.SetLimits(l); err != nil {
		return nil, err
	}
	return lim, nil
}

// Limits returns the figures the limiter paces by.
func (l *LocalLimiter) Limits() RateLimit {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.config
}

// SetLimits replaces the limiter's figures; its buckets start again full.
// A DefaultCost of 0 becomes Kalshi's default, 10.
func (l *LocalLimiter) SetLimits(r RateLimit) error {
	if err := r.validate(); err != nil {
		return fmt.Errorf("kalshi: %w", err)
	}
	if r.DefaultCost == 0 {
		r.DefaultCost = gen.DefaultCost
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.config = r
	l.read = rate.NewLimiter(rate.Limit(r.Read.RefillPerSecond), r.Burst(r.Read))
	l.write = rate.NewLimiter(rate.Limit(r.Write.RefillPerSecond), r.Burst(r.Write))
	return nil
}

// Wait takes tokens from bucket (observe.ReadBucket or
// observe.WriteBucket), waiting for them as long as ctx allows; see
// Limiter.
func (l *LocalLimiter) Wait(ctx context.Context, bucket observe.Bucket, tokens int) (float64, error) {
	b := l.bucket(bucket)
	if err := b.WaitN(ctx, min(tokens, b.Burst())); err != nil {
		if ctx.Err() == nil {
			// The tokens would come after ctx's deadline: say so in a
			// way errors.Is recognises.
			err = fmt.Errorf("%v: %w", err, context.DeadlineExceeded)
		}
		return b.Tokens(), err
	}
	return b.Tokens(), nil
}

// Drain empties both buckets, so that the next draws wait for refill: for
// a limiter taking over from another whose buckets may be spent, as a
// shared limiter's fallback does when its store fails.
func (l *LocalLimiter) Drain() {
	l.mu.RLock()
	defer l.mu.RUnlock()
	now := time.Now()
	for _, b := range []*rate.Limiter{l.read, l.write} {
		if n := int(b.TokensAt(now)); n > 0 {
			b.ReserveN(now, n)
		}
	}
}

func (l *LocalLimiter) bucket(name observe.Bucket) *rate.Limiter {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if name == observe.WriteBucket {
		return l.write
	}
	return l.read
}
