package kalshi

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Option configures a Client. An option that cannot apply returns an
// error naming itself, and New returns the first such error.
type Option func(*config) error

type config struct {
	env        Environment
	baseURL    string
	signer     *signing.Signer
	httpClient *http.Client
	retry      RetryPolicy
	limiter    Limiter
	userAgent  string
	drift      func(Drift)
	bodyLimits BodyLimits

	clockCorrection bool
	clockReport     func(time.Duration)
	observer        observe.Observer
}

// WithEnvironment selects the Kalshi environment (default Demo).
func WithEnvironment(env Environment) Option {
	return func(c *config) error {
		if !env.Valid() {
			return fmt.Errorf("kalshi: WithEnvironment(%q): unknown environment: use kalshi.Demo or kalshi.Production (or ParseEnvironment)", string(env))
		}
		c.env = env
		return nil
	}
}

// WithBaseURL sends requests to baseURL (including /trade-api/v2) instead
// of the environment's host: for a proxy, a test server or kalshitest.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		if baseURL == "" {
			return errors.New("kalshi: WithBaseURL(\"\"): give an absolute http(s) URL such as " + Demo.BaseURL())
		}
		c.baseURL = baseURL
		return nil
	}
}

// WithSigner signs every request with s. Without a signer only public
// operations can be called.
func WithSigner(s *signing.Signer) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("kalshi: WithSigner(nil): pass a signer from signing.New")
		}
		c.signer = s
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc (its timeout, proxy
// and transport are kept; the client's own stack is layered on top).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("kalshi: WithHTTPClient(nil): pass an *http.Client, or leave the option out for the default")
		}
		c.httpClient = hc
		return nil
	}
}

// WithRetry replaces the retry policy (default DefaultRetryPolicy; use
// NoRetry to turn retries off).
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error {
		if p.MaxAttempts < 1 {
			return fmt.Errorf("kalshi: WithRetry: MaxAttempts is %d; it counts the first attempt, so use 1 (NoRetry) or more", p.MaxAttempts)
		}
		if p.MaxElapsed < 0 || p.BaseDelay < 0 || p.MaxDelay < 0 {
			return errors.New("kalshi: WithRetry: MaxElapsed, BaseDelay and MaxDelay cannot be negative")
		}
		c.retry = p
		return nil
	}
}

// WithRateLimit paces requests on the client side with Kalshi's two token
// buckets, kept in memory (a LocalLimiter). Off by default; see
// Tier.RateLimit for presets, Client.SyncLimits for the account's real
// figures and WithLimiter for a budget shared between processes.
func WithRateLimit(l RateLimit) Option {
	return func(c *config) error {
		if err := l.validate(); err != nil {
			return fmt.Errorf("kalshi: WithRateLimit: %w", err)
		}
		lim, err := NewLocalLimiter(l)
		if err != nil {
			return fmt.Errorf("kalshi: WithRateLimit: %w", err)
		}
		c.limiter = lim
		return nil
	}
}

// WithTier paces requests with the preset limits of a Kalshi access tier:
// shorthand for WithRateLimit with t.RateLimit().
func WithTier(t Tier) Option {
	return func(c *config) error {
		l, err := t.RateLimit()
		if err != nil {
			return fmt.Errorf("kalshi: WithTier: "+unknownTier, string(t))
		}
		lim, err := NewLocalLimiter(l)
		if err != nil {
			return fmt.Errorf("kalshi: WithTier: %w", err)
		}
		c.limiter = lim
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default "kalshi-go/<version>").
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		c.userAgent = ua
		return nil
	}
}

// WithDriftReporter calls report for every way a response differs from
// openapi.yaml: fields the spec does not declare, required fields that are
// missing, values of another type than declared, and success statuses or
// content types it does not document. It tells you when to regenerate,
// before your code breaks. Off by default, and free when off. report is
// called synchronously from the goroutine making the call.
func WithDriftReporter(report func(Drift)) Option {
	return func(c *config) error {
		c.drift = report
		return nil
	}
}

// WithBodyLimits caps how much of an answer the client reads (default
// DefaultSuccessBodyLimit for 2xx bodies, DefaultErrorBodyLimit for the
// others; a zero field keeps its default).
func WithBodyLimits(l BodyLimits) Option {
	return func(c *config) error {
		if l.Success < 0 || l.Error < 0 {
			return fmt.Errorf("kalshi: WithBodyLimits: negative limit %+v", l)
		}
		c.bodyLimits = l
		return nil
	}
}
