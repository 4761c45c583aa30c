package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// result is what one run of the tool produced.
type result struct {
	stdout, stderr string
	code           int
}

// invocation describes one run of the tool.
type invocation struct {
	env   map[string]string
	stdin io.Reader
	ctx   context.Context
}

// cli runs the tool with args and no environment variables.
func cli(t *testing.T, args ...string) result {
	t.Helper()
	return invocation{}.run(t, args...)
}

func (in invocation) run(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx := in.ctx
	if ctx == nil {
		ctx = t.Context()
	}
	stdin := in.stdin
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	code := run(ctx, args, stdin, &stdout, &stderr, func(k string) string { return in.env[k] })
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// testTicker is a market the fixture adds with a known book: YES bids
// 10 @ 0.40, YES asks 10 @ 0.45.
const testTicker = "KXCLITEST-26JAN01-T1"

// fixture is a fake exchange with one registered Ed25519 key whose private
// half is in keyFile.
type fixture struct {
	srv     *kalshitest.Server
	url     string
	keyID   string
	keyFile string
	pubFile string
}

func newFixture(t *testing.T, opts ...kalshitest.Option) *fixture {
	t.Helper()
	opts = append([]kalshitest.Option{
		kalshitest.WithMarkets(10),
		kalshitest.WithMarket(kalshitest.MarketSpec{
			Ticker: testTicker,
			Bids:   []money.PriceLevel{{Price: money.MustDollars("0.40"), Count: money.MustCount("10")}},
			Asks:   []money.PriceLevel{{Price: money.MustDollars("0.45"), Count: money.MustCount("10")}},
		}),
	}, opts...)
	srv := kalshitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	key, priv, pub, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	dir := t.TempDir()
	f := &fixture{srv: srv, url: srv.URL(), keyID: "cli-test-key", keyFile: filepath.Join(dir, "key.pem"), pubFile: filepath.Join(dir, "key.pub")}
	require.NoError(t, os.WriteFile(f.keyFile, priv, 0o600))
	require.NoError(t, os.WriteFile(f.pubFile, pub, 0o644))
	srv.AddAPIKey(f.keyID, key.Public())
	return f
}

// args prefixes args with the flags that point the tool at the fixture
// and sign with its key.
func (f *fixture) args(args ...string) []string {
	return append([]string{"--base-url", f.url, "--key-id", f.keyID, "--private-key", f.keyFile}, args...)
}

// run runs the tool against the fixture.
func (f *fixture) run(t *testing.T, args ...string) result {
	t.Helper()
	return cli(t, f.args(args...)...)
}

// ok runs the tool against the fixture and requires success.
func (f *fixture) ok(t *testing.T, args ...string) result {
	t.Helper()
	r := f.run(t, args...)
	require.Equalf(t, 0, r.code, "kalshi %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.stdout, r.stderr)
	return r
}

// jsonOf decodes a command's -o json output.
func jsonOf(t *testing.T, r result) map[string]any {
	t.Helper()
	require.Truef(t, json.Valid([]byte(r.stdout)), "not JSON:\n%s", r.stdout)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
	return v
}

// lines splits output into its non-empty lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

// requireOneLineError checks the error contract: a non-zero exit and
// exactly one line on stderr, starting with "kalshi: ".
func requireOneLineError(t *testing.T, r result) string {
	t.Helper()
	require.NotEqual(t, 0, r.code, "stdout: %s", r.stdout)
	ls := lines(r.stderr)
	require.Lenf(t, ls, 1, "want one line on stderr, got:\n%s", r.stderr)
	require.True(t, strings.HasPrefix(ls[0], "kalshi: "), ls[0])
	return ls[0]
}

func TestUsageErrorsExitTwo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage: kalshi"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"group without subcommand", []string{"markets"}, "markets needs a subcommand: list, get"},
		{"unknown subcommand", []string{"orders", "explode"}, `unknown command "orders" "explode"`},
		{"unknown flag", []string{"balance", "--nope"}, "flag provided but not defined: -nope"},
		{"bad output format", []string{"-o", "yaml", "balance"}, `-o "yaml": want table or json`},
		{"bad environment", []string{"--env", "staging", "balance"}, "unknown Kalshi environment"},
		{"missing argument", []string{"markets", "get"}, "missing argument TICKER"},
		{"extra argument", []string{"balance", "now"}, `unexpected argument "now"`},
		{"bad status", []string{"markets", "list", "--status", "sleepy"}, "want unopened, open, paused, closed or settled"},
		{"order without price", []string{"orders", "create", "--ticker", "T", "--side", "bid", "--count", "1"}, "--price and --count are required"},
		{"keygen bad type", []string{"keygen", "--type", "dsa", "--out", "x.pem"}, `--type "dsa": want rsa or ed25519`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := cli(t, tt.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, tt.want)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	r := cli(t, "help")
	require.Equal(t, 0, r.code)
	for _, c := range commands() {
		assert.Contains(t, r.stdout, c.name)
	}
	r = cli(t, "help", "orders", "create")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Usage: kalshi orders create")
	assert.Contains(t, r.stdout, "--tif")
	assert.NotContains(t, r.stdout, "--base-url", "global flags are listed by kalshi help, not per command")

	r = cli(t, "help", "api-keys")
	require.Equal(t, 0, r.code, r.stderr)
	for _, sub := range []string{"api-keys create", "api-keys generate", "api-keys list", "api-keys delete"} {
		assert.Contains(t, r.stdout, sub)
	}
	assert.NotContains(t, r.stdout, "markets list")

	r = cli(t, "version")
	require.Equal(t, 0, r.code)
	assert.Equal(t, "kalshi "+kalshi.Version+"\n", r.stdout)

	r = cli(t, "markets", "list", "-h")
	require.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "--all")
}

func TestFlagsAnywhere(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// Global flags after the command and after a positional argument.
	r := cli(t, "markets", "get", testTicker, "--base-url", f.url, "-o", "json")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, testTicker, jsonOf(t, r)["market"].(map[string]any)["ticker"])
	// "--" ends the flags.
	r = cli(t, "--base-url", f.url, "markets", "get", "--", "-NOT-A-FLAG")
	assert.Equal(t, exitError, r.code)
	assert.Contains(t, r.stderr, "404")
}
