package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/redislimit"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// requestTimeout bounds each HTTP request (retries included) so a stalled
// connection cannot hang the tool.
const requestTimeout = 60 * time.Second

// environment resolves --env, then $KALSHI_ENV, then demo.
func (a *app) environment() (kalshi.Environment, error) {
	name := a.env
	source := "--env"
	if name == "" {
		name, source = strings.TrimSpace(a.getenv(kalshi.EnvEnvironment)), kalshi.EnvEnvironment
	}
	if name == "" {
		return kalshi.Demo, nil
	}
	env, err := kalshi.ParseEnvironment(strings.ToLower(name))
	if err != nil {
		return "", fmt.Errorf("kalshi: %s: %w", source, err)
	}
	return env, nil
}

// target names what the tool talks to, for messages: an environment with
// its URL when the base URL is that environment's, else the URL alone, so
// that a fake exchange or a proxy is never reported as Kalshi's demo.
func (a *app) target() string {
	base := a.resolvedBaseURL()
	for _, e := range []kalshi.Environment{kalshi.Demo, kalshi.Production, kalshi.DemoLegacy, kalshi.ProductionLegacy} {
		if strings.TrimSuffix(base, "/") == e.BaseURL() {
			return fmt.Sprintf("%s (%s)", e, base)
		}
	}
	return base + " (not a Kalshi environment)"
}

// resolvedBaseURL is --base-url, then $KALSHI_BASE_URL, then the
// environment's URL.
func (a *app) resolvedBaseURL() string {
	if a.baseURL != "" {
		return a.baseURL
	}
	if v := strings.TrimSpace(a.getenv(kalshi.EnvBaseURL)); v != "" {
		return v
	}
	env, err := a.environment()
	if err != nil {
		return kalshi.Demo.BaseURL()
	}
	return env.BaseURL()
}

// signer builds the request signer through the library's
// kalshi.SignerFromEnv, with --key-id and --private-key standing in for
// KALSHI_API_KEY_ID and the private key variables. It returns nil, nil
// when no credentials are configured at all.
func (a *app) signer() (*signing.Signer, error) {
	lookup := func(name string) (string, bool) {
		switch {
		case name == kalshi.EnvAPIKeyID && a.keyID != "":
			return a.keyID, true
		case name == kalshi.EnvPrivateKeyPath && a.privateKey != "":
			return a.privateKey, true
		case name == kalshi.EnvPrivateKey && a.privateKey != "":
			return "", false // --private-key wins over both variables
		}
		v := a.getenv(name)
		return v, v != ""
	}
	if path, _ := lookup(kalshi.EnvPrivateKeyPath); strings.TrimSpace(path) != "" {
		a.warnKeyPermissions(strings.TrimSpace(path))
	}
	s, err := kalshi.SignerFromEnv(lookup)
	if err != nil && (a.keyID != "" || a.privateKey != "") {
		return nil, fmt.Errorf("%w (here --key-id stands for %s and --private-key for %s)", err, kalshi.EnvAPIKeyID, kalshi.EnvPrivateKeyPath)
	}
	return s, err
}

// client builds a client from the global flags and the environment. Public
// commands work without credentials; the others fail before sending
// anything, with kalshi.ErrNoCredentials.
func (a *app) client() (*kalshi.Client, error) {
	env, err := a.environment()
	if err != nil {
		return nil, err
	}
	base := a.resolvedBaseURL()
	if !strings.HasPrefix(base, "http://") && !strings.HasPrefix(base, "https://") {
		return nil, fmt.Errorf("kalshi: base URL %q must be an http(s) URL such as %s", base, kalshi.Demo.BaseURL())
	}
	s, err := a.signer()
	if err != nil {
		return nil, err
	}
	return a.clientWith(env, base, s)
}

// clientWith builds a client for env at base, signing with s when it is
// not nil.
func (a *app) clientWith(env kalshi.Environment, base string, s *signing.Signer) (*kalshi.Client, error) {
	opts := []kalshi.Option{
		kalshi.WithEnvironment(env),
		kalshi.WithBaseURL(base),
		kalshi.WithHTTPClient(&http.Client{Timeout: requestTimeout}),
		kalshi.WithUserAgent("kalshi-go/" + kalshi.Version + " (cmd/kalshi)"),
	}
	if s != nil {
		opts = append(opts, kalshi.WithSigner(s))
	}
	lim, err := a.sharedLimiter(env, s)
	if err != nil {
		return nil, err
	}
	if lim != nil {
		opts = append(opts, kalshi.WithLimiter(lim))
	}
	if l := a.logger(); l != nil {
		opts = append(opts, kalshi.WithLogger(l))
	}
	return kalshi.New(opts...)
}

// envRedisURL names the variable --redis stands for.
const envRedisURL = "KALSHI_REDIS_URL"

// sharedLimiter is the limiter drawing from the account's budget in Redis
// (--redis or $KALSHI_REDIS_URL), nil when neither is given. It fails
// closed: when Redis cannot be reached the command fails and says so,
// rather than spend tokens the bots sharing the budget count on.
func (a *app) sharedLimiter(env kalshi.Environment, s *signing.Signer) (kalshi.Limiter, error) {
	url := a.redisURL
	if url == "" {
		url = strings.TrimSpace(a.getenv(envRedisURL))
	}
	if url == "" {
		if a.redisTier != "" || a.redisAccount != "" {
			return nil, usageErrorf("--redis-tier and --redis-account need --redis URL (or $%s)", envRedisURL)
		}
		return nil, nil
	}
	account := a.redisAccount
	if account == "" && s != nil {
		account = s.KeyID()
	}
	if account == "" {
		return nil, usageErrorf("--redis: the shared budget is an account's: give the API key (--key-id, or $%s) or --redis-account", kalshi.EnvAPIKeyID)
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		return nil, usageErrorf("--redis %q: %v (want redis://[user:password@]host:port[/db])", url, err)
	}
	tier := kalshi.Basic
	if a.redisTier != "" {
		if tier, err = kalshi.ParseTier(a.redisTier); err != nil {
			return nil, usageErrorf("--redis-tier: %v", err)
		}
	}
	limits, err := tier.RateLimit()
	if err != nil {
		return nil, err
	}
	redis.SetLogger(quietRedis{})
	return redislimit.New(redis.NewClient(opts), redislimit.Options{Account: account, Environment: env, Limits: limits})
}

// quietRedis drops the Redis client's own log lines: a failed draw is
// reported once, as the command's error.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

// logger is the --verbose logger, writing every event at Debug and up to
// stderr as text; nil without --verbose.
func (a *app) logger() *slog.Logger {
	if !a.verbose {
		return nil
	}
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// warnKeyPermissions says so on stderr when a private key file can be read
// by other users of this machine: anyone who reads it can trade as you.
func (a *app) warnKeyPermissions(path string) {
	if runtime.GOOS == "windows" {
		return // permission bits do not describe Windows ACLs
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm()&0o077 == 0 {
		return
	}
	who := "other users"
	if st.Mode().Perm()&0o007 == 0 {
		who = "its group"
	}
	fmt.Fprintf(a.stderr, "kalshi: warning: the private key file %s can be read by %s (mode %04o); anyone who reads it can trade as you: chmod 600 %s\n",
		path, who, st.Mode().Perm(), path)
}
