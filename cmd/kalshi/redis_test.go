package main

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/redislimit/redistest"
)

// keyExists reports whether key is in srv's Redis.
func keyExists(t *testing.T, srv *redistest.Server, key string) bool {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer rdb.Close()
	n, err := rdb.Exists(context.Background(), key).Result()
	require.NoError(t, err)
	return n == 1
}

// TestRedisDrawsFromTheAccountsBudget: with --redis the tool's requests
// draw from the account's buckets in Redis, named by the API key ID or
// --redis-account, per environment; $KALSHI_REDIS_URL stands for --redis.
func TestRedisDrawsFromTheAccountsBudget(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	f := newFixture(t)

	f.ok(t, "--redis", srv.URL(), "balance")
	assert.True(t, keyExists(t, srv, "rate:kalshi:demo:cli-test-key:read"), "the read bucket of the key's account, in demo")
	assert.False(t, keyExists(t, srv, "rate:kalshi:demo:cli-test-key:write"), "no write was made")

	f.ok(t, "--redis", srv.URL(), "--redis-account", "desk-1", "--redis-tier", "premier", "orders", "create",
		"--ticker", testTicker, "--side", "bid", "--price", "0.10", "--count", "1")
	assert.True(t, keyExists(t, srv, "rate:kalshi:demo:desk-1:write"))

	r := invocation{env: map[string]string{envRedisURL: srv.URL()}}.run(t, f.args("-o", "json", "markets", "list", "--limit", "1")...)
	require.Zero(t, r.code, r.stderr)
	assert.True(t, keyExists(t, srv, "rate:kalshi:demo:cli-test-key:read"))
}

// TestRedisUnavailableFailsTheCommand: the tool fails closed, saying why,
// rather than spend tokens the bots sharing the budget count on.
func TestRedisUnavailableFailsTheCommand(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	srv.Stop()
	f := newFixture(t)
	r := f.run(t, "--redis", srv.URL(), "balance")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "Redis unavailable")
	assert.Empty(t, r.stdout)
}

func TestRedisFlagErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--redis", "redis://127.0.0.1:1", "--redis-tier", "gold", "balance"}, `"gold"`},
		{[]string{"--redis-tier", "basic", "balance"}, "need --redis"},
		{[]string{"--redis", "mysql://x", "balance"}, "redis://"},
	} {
		r := f.run(t, tc.args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.args)
	}
	r := cli(t, "--base-url", f.url, "--redis", "redis://127.0.0.1:1", "markets", "list")
	assert.Equal(t, exitUsage, r.code, "no key, no account: %s", r.stderr)
	assert.Contains(t, r.stderr, "--redis-account")
}
