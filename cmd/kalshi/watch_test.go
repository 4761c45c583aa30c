package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// background runs the tool against the fixture in a goroutine; wait
// returns its result.
func (f *fixture) background(t *testing.T, ctx context.Context, args ...string) (stdout *syncBuffer, wait func() result) {
	t.Helper()
	stdout = &syncBuffer{}
	stderr := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, f.args(args...), strings.NewReader(""), stdout, stderr, func(string) string { return "" })
	}()
	return stdout, func() result {
		select {
		case code := <-done:
			return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
		case <-time.After(30 * time.Second):
			t.Fatalf("kalshi %s did not finish; stdout:\n%s\nstderr:\n%s", strings.Join(args, " "), stdout, stderr)
			return result{}
		}
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 20*time.Second, 5*time.Millisecond, what)
}

func TestOrderbookWatchRedrawsOnEveryChange(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	out, wait := f.background(t, t.Context(), "orderbook", testTicker, "--watch", "--count", "2")
	waitFor(t, "the first book is drawn", func() bool { return strings.Contains(out.String(), "best YES bid") })
	first := out.String()
	assert.Contains(t, first, testTicker+"  (seq ")
	assert.Regexp(t, `0\.4000\s+10\.00`, first, "the seeded YES bid")
	assert.NotContains(t, first, "0.3000")

	f.ok(t, "orders", "create", "--ticker", testTicker, "--side", "bid", "--price", "0.30", "--count", "4")
	r := wait()
	require.Equal(t, 0, r.code, r.stderr)
	frames := strings.Split(strings.TrimSpace(r.stdout), "\n\n")
	require.Len(t, frames, 2, r.stdout)
	assert.Regexp(t, `0\.3000\s+4\.00`, frames[1], "the new resting bid appears in the redraw")
	assert.Contains(t, frames[1], "best YES bid 0.4000 x 10.00, best YES ask 0.4500 x 10.00")
	assert.NotContains(t, r.stdout, "\x1b[", "no terminal escapes when stdout is not a terminal")
}

func TestWatchPrintsFramesAsJSONLines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, waitTrades := f.background(t, ctx, "watch", "trade", "--market", testTicker, "--count", "1")
	fills, waitFills := f.background(t, ctx, "watch", "fill")
	// The commands run concurrently: wait until both have subscribed.
	waitFor(t, "both watchers subscribed", func() bool {
		subscribed := 0
		for _, c := range f.srv.WSConns() {
			subscribed += len(c.Subscriptions())
		}
		return subscribed == 2
	})
	f.ok(t, "orders", "create", "--ticker", testTicker, "--side", "bid", "--price", "0.45", "--count", "3", "--tif", "ioc")

	r := waitTrades()
	require.Equal(t, 0, r.code, r.stderr)
	var frame struct {
		Type string `json:"type"`
		SID  int64  `json:"sid"`
		Msg  struct {
			MarketTicker string `json:"market_ticker"`
			CountFp      string `json:"count_fp"`
			YesPrice     string `json:"yes_price_dollars"`
		} `json:"msg"`
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	require.Len(t, lines, 1, r.stdout)
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &frame))
	assert.Equal(t, "trade", frame.Type)
	assert.Equal(t, testTicker, frame.Msg.MarketTicker)
	assert.Equal(t, "3.00", frame.Msg.CountFp)
	assert.Equal(t, "0.4500", frame.Msg.YesPrice)

	waitFor(t, "the fill frame", func() bool { return strings.Contains(fills.String(), `"type":"fill"`) })
	cancel() // Ctrl-C ends a watch cleanly
	r = waitFills()
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, testTicker)
	assert.Equal(t, r.stdout, fills.String())
}

func TestWatchRefusals(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.run(t, "watch", "weather")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown channel "weather"`)

	r = f.run(t, "watch", "orderbook_delta")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "needs --market")

	r = cli(t, "--base-url", f.url, "watch", "ticker")
	msg := requireOneLineError(t, r)
	assert.Contains(t, msg, "watch needs an API key")
}

func TestWebSocketURLFollowsTheBaseURL(t *testing.T) {
	t.Parallel()
	cases := []struct {
		base, env, flag, want string
	}{
		{"http://127.0.0.1:8080/trade-api/v2", "", "", "ws://127.0.0.1:8080/trade-api/ws/v2"},
		{"https://proxy.example/kalshi/trade-api/v2/", "", "", "wss://proxy.example/kalshi/trade-api/ws/v2"},
		{"", "prod", "", "wss://external-api-ws.kalshi.com/trade-api/ws/v2"},
		{"", "", "", "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"},
		{"http://127.0.0.1:1/trade-api/v2", "", "ws://elsewhere/x", "ws://elsewhere/x"},
	}
	for _, tc := range cases {
		a := &app{baseURL: tc.base, env: tc.env, getenv: func(string) string { return "" }}
		got, err := a.webSocketURL(tc.flag)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, "%+v", tc)
	}
}
