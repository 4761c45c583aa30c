package kalshi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// staticTransport answers every request with the same body, in memory, so
// the benchmarks measure the client rather than a network.
type staticTransport struct{ body []byte }

func (s staticTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": []string{"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(s.body)),
		ContentLength: int64(len(s.body)),
		Request:       req,
	}, nil
}

// marketsPage is a GetMarkets page of n markets shaped like Kalshi's,
// including one field the spec does not declare.
func marketsPage(n int) []byte {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"ticker":"KXBENCH-26JUN11-%03d","event_ticker":"KXBENCH-26JUN11","market_type":"binary",`+
			`"title":"Benchmark market %d","yes_sub_title":"Yes","no_sub_title":"No","status":"active",`+
			`"open_time":"2026-06-11T05:39:29Z","close_time":"2026-06-25T16:00:00Z","expiration_time":"2026-06-25T16:00:00Z",`+
			`"latest_expiration_time":"2026-06-25T16:00:00Z","created_time":"2026-06-11T05:12:22.338653Z",`+
			`"yes_bid_dollars":"0.4700","yes_ask_dollars":"0.5300","no_bid_dollars":"0.4700","no_ask_dollars":"0.5300",`+
			`"last_price_dollars":"0.5000","previous_price_dollars":"0.0000","previous_yes_bid_dollars":"0.0000",`+
			`"previous_yes_ask_dollars":"0.0000","notional_value_dollars":"1.0000","volume_fp":"120.00","volume_24h_fp":"12.00",`+
			`"open_interest_fp":"40.00","can_close_early":true,"result":"","rules_primary":"Resolves Yes if it happens.",`+
			`"rules_secondary":"","price_level_structure":"linear_cent","price_ranges":[{"start":"0.0000","end":"1.0000","step":"0.0100"}],`+
			`"fractional_trading_enabled":true}`, i, i)
	}
	return []byte(`{"cursor":"next","markets":[` + strings.Join(items, ",") + `]}`)
}

func benchmarkGetMarkets(b *testing.B, call func(ctx context.Context) error) {
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPage is the GetMarkets page the decoding benchmarks decode: 1,000
// markets built from Kalshi's recorded demo page when it is beside the
// repository (the recorded markets repeated with distinct tickers), else
// from marketsPage.
func benchPage(b *testing.B) []byte {
	b.Helper()
	rec, err := os.ReadFile(filepath.Join("..", "shared", "fixtures", "markets", "fortuna_limit5_page1_demo.json"))
	if err != nil {
		return marketsPage(1000)
	}
	var page struct {
		Markets []map[string]any `json:"markets"`
	}
	if err := json.Unmarshal(rec, &page); err != nil || len(page.Markets) == 0 {
		b.Fatalf("the recorded page: %v", err)
	}
	out := make([]map[string]any, 1000)
	for i := range out {
		m := maps.Clone(page.Markets[i%len(page.Markets)])
		m["ticker"] = fmt.Sprintf("%s-%04d", m["ticker"], i)
		out[i] = m
	}
	body, err := json.Marshal(map[string]any{"cursor": "next", "markets": out})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkGetMarkets decodes one 1,000-market page (2.2 MB) by the bare
// generated client, by the Client's method without a drift reporter, and
// with one:
// go test -run '^$' -bench GetMarkets -count 5 .
func BenchmarkGetMarkets(b *testing.B) {
	body := benchPage(b)
	hc := &http.Client{Transport: staticTransport{body}}
	run := func(b *testing.B, call func(ctx context.Context) error) {
		b.SetBytes(int64(len(body)))
		benchmarkGetMarkets(b, call)
	}
	b.Run("gen", func(b *testing.B) {
		c, err := gen.NewClientWithResponses("https://bench.test/trade-api/v2", gen.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		run(b, func(ctx context.Context) error {
			_, err := c.GetMarketsWithResponse(ctx, nil)
			return err
		})
	})
	b.Run("client", func(b *testing.B) {
		c, err := kalshi.New(kalshi.WithBaseURL("https://bench.test/trade-api/v2"), kalshi.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		run(b, func(ctx context.Context) error {
			_, err := c.GetMarkets(ctx, nil)
			return err
		})
	})
	b.Run("client+drift", func(b *testing.B) {
		reports := 0
		c, err := kalshi.New(kalshi.WithBaseURL("https://bench.test/trade-api/v2"), kalshi.WithHTTPClient(hc),
			kalshi.WithDriftReporter(func(kalshi.Drift) { reports++ }))
		if err != nil {
			b.Fatal(err)
		}
		run(b, func(ctx context.Context) error {
			_, err := c.GetMarkets(ctx, nil)
			return err
		})
		if reports == 0 {
			b.Fatal("the undeclared field was not reported")
		}
	})
}

// BenchmarkCallOverhead is the cost of one call through the client's whole
// stack (building the request, the layers, reading and decoding a small
// answer) over an in-memory transport, without signing:
// go test -run '^$' -bench CallOverhead -count 5 .
func BenchmarkCallOverhead(b *testing.B) {
	hc := &http.Client{Transport: staticTransport{[]byte(`{"exchange_active":true,"trading_active":true}`)}}
	c, err := kalshi.New(kalshi.WithBaseURL("https://bench.test/trade-api/v2"), kalshi.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.GetExchangeStatus(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkObserverCost is BenchmarkCallOverhead with no observer (the
// hot path checks a nil field per layer), with an observer that does
// nothing (the events' own cost), and with a slog logger whose handler is
// off at Debug (the WithLogger a production bot leaves at Info):
// go test -run '^$' -bench ObserverCost -count 5 .
func BenchmarkObserverCost(b *testing.B) {
	hc := &http.Client{Transport: staticTransport{[]byte(`{"exchange_active":true,"trading_active":true}`)}}
	for _, bc := range []struct {
		name string
		opts []kalshi.Option
	}{
		{"none", nil},
		{"nop", []kalshi.Option{kalshi.WithObserver(observe.Nop{})}},
		{"slog-info", []kalshi.Option{kalshi.WithLogger(slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo})))}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c, err := kalshi.New(append([]kalshi.Option{kalshi.WithBaseURL("https://bench.test/trade-api/v2"), kalshi.WithHTTPClient(hc)}, bc.opts...)...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				if _, err := c.GetExchangeStatus(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
