package kalshi

import (
	"errors"
	"net/http"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// Option configures a Client.
type Option func(*config)

type config struct {
	env        Environment
	baseURL    string
	signer     *signing.Signer
	httpClient *http.Client
	retry      RetryPolicy
	rateLimit  *RateLimit
	userAgent  string
	drift      func(Drift)
	err        error
}

// WithEnvironment selects the Kalshi environment (default Demo).
func WithEnvironment(env Environment) Option {
	return func(c *config) { c.env = env }
}

// WithBaseURL sends requests to baseURL (including /trade-api/v2) instead
// of the environment's host: for a proxy, a test server or kalshitest.
func WithBaseURL(baseURL string) Option {
	return func(c *config) { c.baseURL = baseURL }
}

// WithSigner signs every request with s. Without a signer only public
// operations can be called.
func WithSigner(s *signing.Signer) Option {
	return func(c *config) {
		if s == nil {
			c.err = errors.New("kalshi: WithSigner(nil): pass a signer from signing.New")
		}
		c.signer = s
	}
}

// WithHTTPClient sends requests through a copy of hc (its timeout, proxy
// and transport are kept; the client's own stack is layered on top).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) { c.httpClient = hc }
}

// WithRetry replaces the retry policy (default DefaultRetryPolicy; use
// NoRetry to turn retries off).
func WithRetry(p RetryPolicy) Option {
	return func(c *config) { c.retry = p }
}

// WithRateLimit paces requests on the client side with Kalshi's two token
// buckets. Off by default; see Tier.RateLimit for presets and
// Client.SyncLimits for the account's real figures.
func WithRateLimit(l RateLimit) Option {
	return func(c *config) {
		if err := l.validate(); err != nil {
			c.err = err
		}
		c.rateLimit = &l
	}
}

// WithTier paces requests with the preset limits of a Kalshi access tier:
// shorthand for WithRateLimit with t.RateLimit().
func WithTier(t Tier) Option {
	return func(c *config) {
		l, err := t.RateLimit()
		if err != nil {
			c.err = err
			return
		}
		c.rateLimit = &l
	}
}

// WithUserAgent sets the User-Agent header (default "kalshi-go/<version>").
func WithUserAgent(ua string) Option {
	return func(c *config) { c.userAgent = ua }
}

// WithDriftReporter calls report for every way a response differs from
// openapi.yaml: fields the spec does not declare, required fields that are
// missing, and values of another type than declared. It tells you when to
// regenerate, before your code breaks. Off by default, and free when off.
// report is called synchronously from the goroutine making the call.
func WithDriftReporter(report func(Drift)) Option {
	return func(c *config) { c.drift = report }
}
