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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// startFakeExchange runs "kalshi fake-exchange args..." until the returned
// stop function is called, and returns the first line it printed.
func startFakeExchange(t *testing.T, args ...string) (firstLine string, stderr *syncBuffer, stop func() int) {
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
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		code := <-done
		t.Fatalf("fake-exchange printed no line (exit %d): %v", code, err)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }() // drain anything after the first line
	return strings.TrimSuffix(line, "\n"), stderr, func() int {
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
