package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCollectorAgainstTheFake runs the collector briefly against the fake
// exchange: every market is written once, and the trades streamed are
// trades of those markets.
func TestCollectorAgainstTheFake(t *testing.T) {
	dir := t.TempDir()
	cfg := config{fake: true, duration: 2 * time.Second, markets: filepath.Join(dir, "markets.jsonl"), trades: filepath.Join(dir, "trades.jsonl")}
	var stderr bytes.Buffer
	require.NoError(t, run(context.Background(), cfg, &bytes.Buffer{}, &stderr))

	markets := map[string]bool{}
	for _, line := range readLines(t, cfg.markets) {
		var m struct{ Ticker string }
		require.NoError(t, json.Unmarshal(line, &m))
		assert.False(t, markets[m.Ticker], "%s written twice", m.Ticker)
		markets[m.Ticker] = true
	}
	assert.Len(t, markets, 60, "the fake's default markets")
	trades := readLines(t, cfg.trades)
	require.NotEmpty(t, trades, "the fake's traders trade every 100 ms; stderr:\n%s", stderr.String())
	for _, line := range trades {
		var tr tradeLine
		require.NoError(t, json.Unmarshal(line, &tr))
		assert.True(t, markets[tr.MarketTicker], "a trade in %s, a market listed", tr.MarketTicker)
		assert.Positive(t, tr.Count.Sign())
		assert.WithinDuration(t, time.Now(), tr.Time, time.Minute)
	}
	assert.Contains(t, stderr.String(), "markets: 60 written")
}

func readLines(t *testing.T, file string) [][]byte {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	var out [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, append([]byte(nil), sc.Bytes()...))
	}
	require.NoError(t, sc.Err())
	return out
}
