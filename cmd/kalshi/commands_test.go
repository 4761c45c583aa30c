package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// columnStarts returns where each column of a header line starts.
func columnStarts(header string) []int {
	var starts []int
	for i := range header {
		if header[i] != ' ' && (i == 0 || strings.HasSuffix(header[:i], "  ")) {
			starts = append(starts, i)
		}
	}
	return starts
}

// requireAligned checks that every row of a table has a cell starting
// exactly where each header column starts.
func requireAligned(t *testing.T, table string) {
	t.Helper()
	ls := lines(table)
	require.GreaterOrEqual(t, len(ls), 2, table)
	starts := columnStarts(ls[0])
	require.GreaterOrEqual(t, len(starts), 2, ls[0])
	for _, row := range ls[1:] {
		for _, s := range starts[1:] {
			require.Greaterf(t, len(row), s, "row too short for its columns:\n%s", table)
			assert.Truef(t, row[s-1] == ' ' && row[s] != ' ', "column at %d not aligned in %q\n%s", s, row, table)
		}
	}
}

func TestMarketsListTable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.ok(t, "markets", "list", "--limit", "5")
	ls := lines(r.stdout)
	require.Len(t, ls, 6, r.stdout)
	assert.True(t, strings.HasPrefix(ls[0], "TICKER"), ls[0])
	requireAligned(t, r.stdout)
	assert.Contains(t, r.stderr, "more markets: --cursor ", "a next page is announced on stderr")
}

func TestMarketsListAllPagesWithProgress(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	whole := jsonOf(t, f.ok(t, "-o", "json", "markets", "list", "--limit", "1000"))
	total := len(whole["markets"].([]any))
	require.Greater(t, total, 7)

	r := f.ok(t, "markets", "list", "--all", "--limit", "4")
	assert.Len(t, lines(r.stdout), total+1, "every market of every page, plus the header")
	pages := (total + 3) / 4
	assert.Contains(t, r.stderr, "\rpage 1, 4 markets")
	assert.Contains(t, r.stderr, fmt.Sprintf("\rpage %d, %d markets\n", pages, total), "the last progress line ends with a newline")
	assert.NotContains(t, r.stderr, "more markets")

	r = f.ok(t, "-o", "json", "markets", "list", "--all", "--limit", "4")
	assert.Len(t, jsonOf(t, r)["markets"], total)
}

func TestJSONOutputIsTheAPIs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tests := []struct {
		args []string
		key  string
	}{
		{[]string{"exchange", "status"}, "trading_active"},
		{[]string{"markets", "list", "--limit", "2"}, "markets"},
		{[]string{"markets", "get", testTicker}, "market"},
		{[]string{"orderbook", testTicker}, "orderbook_fp"},
		{[]string{"balance"}, "balance_dollars"},
		{[]string{"positions"}, "market_positions"},
		{[]string{"fills"}, "fills"},
		{[]string{"orders", "list"}, "orders"},
		{[]string{"api-keys", "list"}, "api_keys"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			r := f.ok(t, append([]string{"-o", "json"}, tt.args...)...)
			assert.Contains(t, jsonOf(t, r), tt.key)
		})
	}
}

func TestOrderbook(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	r := f.ok(t, "orderbook", testTicker)
	assert.Contains(t, r.stdout, testTicker)
	assert.Regexp(t, `0\.4000\s+10\.00\s+0\.5500\s+10\.00`, r.stdout, "YES bid 10 @ 0.40 beside NO bid 10 @ 0.55")
	assert.Contains(t, r.stdout, "best YES bid 0.4000 x 10.00, best YES ask 0.4500 x 10.00")
}

func TestTradingRoundTrip(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	start := jsonOf(t, f.ok(t, "-o", "json", "balance"))["balance_dollars"]

	// A resting bid under the best ask.
	r := f.ok(t, "-o", "json", "orders", "create", "--ticker", testTicker, "--side", "bid", "--price", "0.30", "--count", "4")
	rest := jsonOf(t, r)
	restID := rest["order_id"].(string)
	assert.Equal(t, "4.00", rest["remaining_count"])

	// A bid at the best ask fills at once.
	r = f.ok(t, "orders", "create", "--ticker", testTicker, "--side", "bid", "--price", "0.45", "--count", "2", "--tif", "ioc")
	assert.Regexp(t, `filled\s+2\.00`, r.stdout)
	assert.Regexp(t, `average fill price\s+0\.4500`, r.stdout)

	r = f.ok(t, "orders", "list", "--status", "resting")
	assert.Contains(t, r.stdout, restID)
	requireAligned(t, r.stdout)

	r = f.ok(t, "orders", "get", restID)
	assert.Regexp(t, `status\s+resting`, r.stdout)

	r = f.ok(t, "orders", "cancel", restID)
	assert.Contains(t, r.stdout, "canceled order "+restID+": 4.00 contracts")
	r = f.ok(t, "orders", "get", restID)
	assert.Regexp(t, `status\s+canceled`, r.stdout)

	r = f.ok(t, "fills")
	assert.Regexp(t, testTicker+`\s+bid\s+2\.00\s+0\.4500\s+\S+\s+taker`, r.stdout)
	requireAligned(t, r.stdout)

	r = f.ok(t, "positions", "--ticker", testTicker)
	assert.Regexp(t, testTicker+`\s+2\.00\s+0\.9000`, r.stdout, "2 contracts, 0.90 exposure")

	end := jsonOf(t, f.ok(t, "-o", "json", "balance"))["balance_dollars"]
	assert.NotEqual(t, start, end)
	r = f.ok(t, "balance")
	assert.Regexp(t, `balance\s+`+regexp.QuoteMeta(end.(string)), r.stdout)
}

func TestOrderFlagsChecked(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		flags []string
		want  string
	}{
		{"side", []string{"--side", "buy"}, `--side "buy": want bid (buy YES) or ask (sell YES)`},
		{"price above one", []string{"--price", "1.20"}, "between 0 and 1"},
		{"price not a number", []string{"--price", "0,5"}, "--price"},
		{"zero count", []string{"--count", "0"}, "positive number of contracts"},
		{"time in force", []string{"--tif", "day"}, "want gtc, ioc or fok"},
		{"self-trade prevention", []string{"--stp", "none"}, "want taker_at_cross or maker"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"orders", "create", "--ticker", "T", "--side", "bid", "--price", "0.5", "--count", "1"}
			args = append(args, tt.flags...) // later flags win
			r := cli(t, args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, tt.want)
		})
	}
}

func TestErrorsAreOneLineWithAHint(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	skewed := newFixture(t, kalshitest.WithClockSkew(kalshitest.DefaultMaxSkew*10))
	otherKey := newFixture(t) // a valid key file that is not the fixture's key

	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"unknown key", []string{"--base-url", f.url, "--key-id", "no-such-key", "--private-key", f.keyFile, "balance"},
			[]string{"GetBalance: 401", "NOT_FOUND", "unknown to this environment", "[" + f.url + " (not a Kalshi environment)]"}},
		{"wrong private key", []string{"--base-url", f.url, "--key-id", f.keyID, "--private-key", otherKey.keyFile, "balance"},
			[]string{"GetBalance: 401", "INCORRECT_API_KEY_SIGNATURE", "private key belongs to this API key ID"}},
		{"expired timestamp", skewed.args("balance"),
			[]string{"GetBalance: 401", "header_timestamp_expired", "clock"}},
		{"no credentials", []string{"--base-url", f.url, "balance"},
			[]string{"balance needs an API key", "KALSHI_API_KEY_ID", "--private-key"}},
		{"key ID without a key", []string{"--base-url", f.url, "--key-id", "x", "balance"},
			[]string{"no private key", "--private-key"}},
		{"missing key file", []string{"--base-url", f.url, "--key-id", "x", "--private-key", "/nonexistent/key.pem", "balance"},
			[]string{"--private-key", "no such file"}},
		{"not found", f.args("markets", "get", "NOPE"),
			[]string{"GetMarket: 404"}},
		{"unreachable", []string{"--base-url", "http://127.0.0.1:1/trade-api/v2", "exchange", "status"},
			[]string{"exchange status: cannot reach http://127.0.0.1:1", "check --env/--base-url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := cli(t, tt.args...)
			line := requireOneLineError(t, r)
			assert.Equal(t, exitError, r.code)
			for _, w := range tt.want {
				assert.Contains(t, line, w)
			}
		})
	}
}

func TestCredentialsFromEnvironment(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	pemText, err := os.ReadFile(f.keyFile)
	require.NoError(t, err)
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"key text", map[string]string{"KALSHI_API_KEY_ID": f.keyID, "KALSHI_PRIVATE_KEY": string(pemText), "KALSHI_BASE_URL": f.url}},
		{"key text with \\n escapes", map[string]string{"KALSHI_API_KEY_ID": f.keyID, "KALSHI_PRIVATE_KEY": strings.ReplaceAll(string(pemText), "\n", `\n`), "KALSHI_BASE_URL": f.url}},
		{"key file", map[string]string{"KALSHI_API_KEY_ID": f.keyID, "KALSHI_PRIVATE_KEY_PATH": f.keyFile, "KALSHI_BASE_URL": f.url}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := invocation{env: tt.env}.run(t, "balance")
			require.Equal(t, 0, r.code, r.stderr)
			assert.Contains(t, r.stdout, "1000.0000")
		})
	}

	// Flags win over the environment.
	env := map[string]string{"KALSHI_API_KEY_ID": "stale-id", "KALSHI_PRIVATE_KEY_PATH": "/nonexistent", "KALSHI_BASE_URL": "http://127.0.0.1:1/trade-api/v2"}
	r := invocation{env: env}.run(t, f.args("balance")...)
	require.Equal(t, 0, r.code, r.stderr)

	// KALSHI_ENV=prod makes writes ask; --env demo overrides it.
	env = map[string]string{"KALSHI_ENV": "prod"}
	r = invocation{env: env, stdin: strings.NewReader("n\n")}.run(t, f.args("orders", "cancel", "some-order")...)
	assert.Contains(t, r.stderr, "PRODUCTION")
	r = invocation{env: env}.run(t, f.args("--env", "demo", "orders", "cancel", "some-order")...)
	assert.NotContains(t, r.stderr, "PRODUCTION")
	assert.Contains(t, r.stderr, "CancelOrderV2: 404")

	r = invocation{env: map[string]string{"KALSHI_API_KEY_ID": f.keyID, "KALSHI_PRIVATE_KEY": "a", "KALSHI_PRIVATE_KEY_PATH": "b"}}.run(t, "--base-url", f.url, "balance")
	assert.Contains(t, requireOneLineError(t, r), "both KALSHI_PRIVATE_KEY and KALSHI_PRIVATE_KEY_PATH are set")
}

func TestProdWritesAskFirst(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	order := []string{"--env", "prod", "orders", "create", "--ticker", testTicker, "--side", "bid", "--price", "0.30", "--count", "1"}
	restingOrders := func() int {
		r := f.ok(t, "-o", "json", "orders", "list", "--status", "resting")
		var v struct{ Orders []json.RawMessage }
		require.NoError(t, json.Unmarshal([]byte(r.stdout), &v))
		return len(v.Orders)
	}

	// A standard input that is not a terminal cannot confirm: refused.
	notTTY, err := os.Open(f.pubFile)
	require.NoError(t, err)
	defer notTTY.Close()
	r := invocation{stdin: notTTY}.run(t, f.args(order...)...)
	line := requireOneLineError(t, r)
	assert.Contains(t, line, "refusing to place an order")
	assert.Contains(t, line, "without --yes")
	assert.Equal(t, 0, restingOrders())

	// "n", or no answer at all, sends nothing.
	for _, answer := range []string{"n\n", "\n", ""} {
		r = invocation{stdin: strings.NewReader(answer)}.run(t, f.args(order...)...)
		assert.Contains(t, r.stderr, "About to place an order: bid 1.00 "+testTicker+" @ 0.3000 on PRODUCTION (real money). Proceed? [y/N]")
		assert.Contains(t, r.stderr, "aborted: nothing was sent")
		assert.Equal(t, exitError, r.code)
	}
	assert.Equal(t, 0, restingOrders())

	// "y" proceeds.
	r = invocation{stdin: strings.NewReader("y\n")}.run(t, f.args(order...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 1, restingOrders())

	// --yes needs no answer.
	r = invocation{stdin: notTTY}.run(t, f.args(append(order, "--yes")...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "Proceed?")
	assert.Equal(t, 2, restingOrders())

	// Reading needs no confirmation on prod.
	r = invocation{stdin: notTTY}.run(t, f.args("--env", "prod", "balance")...)
	require.Equal(t, 0, r.code, r.stderr)

	// Demo never asks.
	r = invocation{stdin: notTTY}.run(t, f.args(order[2:]...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "Proceed?")
}

// TestVerboseLogsTheCalls: --verbose logs each attempt and the call to
// stderr, and a retry at Info; without it stderr stays empty.
func TestVerboseLogsTheCalls(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	quiet := f.ok(t, "balance")
	assert.Empty(t, quiet.stderr)

	f.srv.InjectFaults(kalshitest.Faults{RateLimitBurst: 1})
	r := f.ok(t, "--verbose", "balance")
	assert.Contains(t, r.stdout, "balance")
	assert.Regexp(t, `level=INFO msg="kalshi retry" operation=GetBalance .*retry_reason="status 429"`, r.stderr)
	assert.Regexp(t, `level=DEBUG msg="kalshi attempt" operation=GetBalance .*attempt=2 status=200`, r.stderr)
	assert.Regexp(t, `level=DEBUG msg="kalshi call" operation=GetBalance attempts=2 status=200`, r.stderr)
	assert.NotContains(t, r.stderr, f.keyID, "no key material in the log")
}

// TestOrdersAmendAndCancelAll: amend changes a resting order's price and
// total size, keeping what it does not name; cancel-all cancels every
// resting order; bad amendments are usage errors.
func TestOrdersAmendAndCancelAll(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := jsonOf(t, f.ok(t, "-o", "json", "orders", "create", "--ticker", testTicker, "--side", "bid", "--price", "0.30", "--count", "4"))["order_id"].(string)
	b := jsonOf(t, f.ok(t, "-o", "json", "orders", "create", "--ticker", testTicker, "--side", "ask", "--price", "0.70", "--count", "2"))["order_id"].(string)

	r := f.ok(t, "orders", "amend", a, "--price", "0.32")
	assert.Regexp(t, `price\s+0\.3200`, r.stdout)
	assert.Regexp(t, `total count\s+4\.00`, r.stdout, "the size is kept")
	o := jsonOf(t, f.ok(t, "-o", "json", "orders", "get", a))["order"].(map[string]any)
	assert.Equal(t, "0.3200", o["yes_price_dollars"])
	assert.Equal(t, "4.00", o["remaining_count_fp"])

	f.ok(t, "orders", "amend", a, "--count", "6")
	o = jsonOf(t, f.ok(t, "-o", "json", "orders", "get", a))["order"].(map[string]any)
	assert.Equal(t, "0.3200", o["yes_price_dollars"], "the price is kept")
	assert.Equal(t, "6.00", o["remaining_count_fp"])

	for _, bad := range [][]string{{"orders", "amend", a}, {"orders", "amend", a, "--price", "1.00"}, {"orders", "amend", a, "--count", "0"}} {
		r := f.run(t, bad...)
		assert.Equal(t, 2, r.code, "%v: %s", bad, r.stderr)
	}

	r = f.ok(t, "orders", "cancel-all")
	assert.Contains(t, r.stdout, "canceled every resting order")
	for _, id := range []string{a, b} {
		o := jsonOf(t, f.ok(t, "-o", "json", "orders", "get", id))["order"].(map[string]any)
		assert.Equal(t, "canceled", o["status"], id)
	}
}

// TestOrdersCancelAllInOneMarket: cancel-all --ticker cancels the resting
// orders of that market only, asks first on prod like every write, and
// reports in JSON what it did.
func TestOrdersCancelAllInOneMarket(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var markets struct{ Markets []struct{ Ticker string } }
	require.NoError(t, json.Unmarshal([]byte(f.ok(t, "-o", "json", "markets", "list").stdout), &markets))
	other := ""
	for _, m := range markets.Markets {
		if m.Ticker != testTicker {
			other = m.Ticker
			break
		}
	}
	require.NotEmpty(t, other)
	place := func(ticker, price string) string {
		return jsonOf(t, f.ok(t, "-o", "json", "orders", "create", "--ticker", ticker, "--side", "bid", "--price", price, "--count", "1"))["order_id"].(string)
	}
	mine := []string{place(testTicker, "0.30"), place(testTicker, "0.31"), place(testTicker, "0.32")}
	kept := place(other, "0.05")
	status := func(id string) string {
		return jsonOf(t, f.ok(t, "-o", "json", "orders", "get", id))["order"].(map[string]any)["status"].(string)
	}

	// On prod it asks; "n" sends nothing.
	r := invocation{stdin: strings.NewReader("n\n")}.run(t, f.args("--env", "prod", "orders", "cancel-all", "--ticker", testTicker)...)
	assert.Contains(t, r.stderr, "About to cancel every resting order in "+testTicker+" on PRODUCTION (real money). Proceed? [y/N]")
	assert.Equal(t, exitError, r.code)
	assert.Equal(t, "resting", status(mine[0]))

	r = f.ok(t, "orders", "cancel-all", "--ticker", testTicker)
	assert.Equal(t, "canceled 3 of 3 resting orders in "+testTicker+"\n", r.stdout)
	for _, id := range mine {
		assert.Equal(t, "canceled", status(id), id)
	}
	assert.Equal(t, "resting", status(kept), "another market's order is left alone")

	mine = append(mine, place(testTicker, "0.33"))
	res := jsonOf(t, f.ok(t, "-o", "json", "orders", "cancel-all", "--ticker", testTicker))
	assert.Equal(t, testTicker, res["ticker"])
	assert.EqualValues(t, 1, res["resting"])
	canceled := res["canceled"].([]any)
	require.Len(t, canceled, 1)
	assert.Equal(t, mine[3], canceled[0].(map[string]any)["order_id"])
	assert.Empty(t, res["failed"])

	r = f.run(t, "orders", "cancel-all", "--ticker", "")
	assert.Equal(t, exitUsage, r.code, r.stderr)
	assert.Equal(t, "resting", status(kept))
}
