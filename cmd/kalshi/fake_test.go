package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startFakeExchange runs "kalshi fake-exchange args..." until the returned
// stop function is called, and returns the first line it printed (the REST
// URL).
func startFakeExchange(t *testing.T, args ...string) (firstLine string, stderr *syncBuffer, stop func() int) {
	t.Helper()
	urls, stderr, stop := startFakeExchangeURLs(t, args...)
	return urls[0], stderr, stop
}

// startFakeExchangeURLs is startFakeExchange returning both lines it
// prints first: the REST and the WebSocket URL.
func startFakeExchangeURLs(t *testing.T, args ...string) (urls [2]string, stderr *syncBuffer, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	stderr = &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"fake-exchange"}, args...), strings.NewReader(""), pw, stderr, func(string) string { return "" })
		pw.Close()
		done <- code
	}()
	r := bufio.NewReader(pr)
	for i := range urls {
		line, err := r.ReadString('\n')
		if err != nil {
			cancel()
			code := <-done
			t.Fatalf("fake-exchange printed %d lines (exit %d): %v; stderr: %s", i, code, err, stderr)
		}
		urls[i] = strings.TrimSuffix(line, "\n")
	}
	go func() { _, _ = io.Copy(io.Discard, r) }() // drain anything after
	return urls, stderr, func() int {
		cancel()
		return <-done
	}
}

// syncBuffer is a buffer safe to write from one goroutine and read from
// another.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestFakeExchangePrintsItsURLFirst(t *testing.T) {
	t.Parallel()
	url, stderr, stop := startFakeExchange(t, "--addr", "127.0.0.1:0")
	assert.Regexp(t, regexp.MustCompile(`^http://127\.0\.0\.1:\d+/trade-api/v2$`), url)

	resp, err := http.Get(url + "/exchange/status")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	r := cli(t, "--base-url", url, "markets", "list", "--limit", "3")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Len(t, lines(r.stdout), 4)

	assert.Equal(t, 0, stop(), "an interrupt is a clean stop")
	assert.Contains(t, stderr.String(), "fake exchange stopped")
}

func TestFakeExchangeRegistersAKey(t *testing.T) {
	t.Parallel()
	f := newFixture(t) // only for its key files
	url, stderr, stop := startFakeExchange(t, "--addr", "127.0.0.1:0", "--key-id", "my-key", "--public-key", f.pubFile, "--seed", "7")
	defer stop()
	r := cli(t, "--base-url", url, "--key-id", "my-key", "--private-key", f.keyFile, "balance")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "1000.0000")
	assert.Contains(t, stderr.String(), "my-key")
}

func TestFakeExchangeStartFailures(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()

	r := cli(t, "fake-exchange", "--addr", ln.Addr().String())
	line := requireOneLineError(t, r)
	assert.Contains(t, line, "starting the fake exchange")
	assert.Empty(t, r.stdout, "no URL is printed for a server that did not start")

	r = cli(t, "fake-exchange", "--addr", "127.0.0.1:0", "--key-id", "k")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "--key-id and --public-key go together")

	r = cli(t, "fake-exchange", "--seed", "x")
	assert.Equal(t, exitUsage, r.code)
}

func TestFakeExchangePrintsItsWebSocketURLSecond(t *testing.T) {
	t.Parallel()
	urls, _, stop := startFakeExchangeURLs(t, "--addr", "127.0.0.1:0")
	defer stop()
	assert.Regexp(t, regexp.MustCompile(`^ws://127\.0\.0\.1:\d+/trade-api/ws/v2$`), urls[1])
	assert.Equal(t, strings.TrimSuffix(urls[0], "/trade-api/v2"), strings.Replace(strings.TrimSuffix(urls[1], "/trade-api/ws/v2"), "ws://", "http://", 1))
}

// TestFakeExchangeFlags: a second account trades with its own key and
// balance, an injected 429 burst and a rate-limit tier reach clients, and
// the status command names the fake rather than an environment.
func TestFakeExchangeFlags(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	g := newFixture(t)
	url, stderr, stop := startFakeExchange(t, "--addr", "127.0.0.1:0", "--key-id", "first", "--public-key", f.pubFile,
		"--account", "second="+g.pubFile, "--account-balance", "250", "--balance", "40", "--429-burst", "1", "--tier", "basic")
	defer stop()
	assert.Eventually(t, func() bool { return strings.Contains(stderr.String(), "tier basic, 429 burst 1") }, 5*time.Second, 10*time.Millisecond, stderr.String())

	// The first request meets the injected 429; the CLI's retries carry it through.
	r := cli(t, "--base-url", url, "--key-id", "second", "--private-key", g.keyFile, "balance")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "250.0000")
	r = cli(t, "--base-url", url, "--key-id", "first", "--private-key", f.keyFile, "balance")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "40.0000")

	r = cli(t, "--base-url", url, "exchange", "status")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, url+" (not a Kalshi environment)")
	assert.NotContains(t, r.stdout, "demo")
}

func TestFakeExchangeSeedRepeatsIDs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	firstOrder := func(seed ...string) string {
		args := append([]string{"--addr", "127.0.0.1:0", "--key-id", "k", "--public-key", f.pubFile}, seed...)
		url, _, stop := startFakeExchange(t, args...)
		defer stop()
		r := cli(t, "--base-url", url, "-o", "json", "markets", "list", "--status", "open", "--limit", "1")
		require.Equal(t, 0, r.code, r.stderr)
		ticker := regexp.MustCompile(`"ticker":\s*"([^"]+)"`).FindStringSubmatch(r.stdout)
		require.NotNil(t, ticker, r.stdout)
		r = cli(t, "--base-url", url, "--key-id", "k", "--private-key", f.keyFile, "-o", "json",
			"orders", "create", "--ticker", ticker[1], "--side", "bid", "--price", "0.01", "--count", "1")
		require.Equal(t, 0, r.code, r.stderr)
		id := regexp.MustCompile(`"order_id":\s*"([^"]+)"`).FindStringSubmatch(r.stdout)
		require.NotNil(t, id, r.stdout)
		return id[1]
	}
	assert.NotEqual(t, firstOrder(), firstOrder(), "without --seed, IDs differ from run to run")
	assert.Equal(t, firstOrder("--seed", "9"), firstOrder("--seed", "9"), "--seed repeats them")
}

func TestFakeExchangeRefusesBadFlags(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, args := range [][]string{
		{"--tier", "gold"},
		{"--error-rate", "1.5"},
		{"--balance", "lots"},
		{"--account", "nofile"},
		{"--account", "a=" + f.pubFile, "--account", "a=" + f.pubFile},
		{"--latency", "-1s"},
	} {
		r := cli(t, append([]string{"fake-exchange", "--addr", "127.0.0.1:0"}, args...)...)
		assert.NotEqual(t, 0, r.code, "%v", args)
		assert.Empty(t, r.stdout, "%v: no URL for a server that did not start", args)
	}
}
