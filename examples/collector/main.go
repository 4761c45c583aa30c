// Command collector is an example data collector: it pages through every
// market of the exchange into a JSON-lines file, then streams every public
// trade as a JSON line until it is stopped (Ctrl-C) or -duration passes.
//
//	go run ./examples/collector -fake -duration 10s          # against an in-process fake exchange
//	go run ./examples/collector -trades trades.jsonl         # against Kalshi's demo, keys from KALSHI_*
//
// Progress goes to stderr; the trade stream's gaps and reconnects are
// reported there too, since a collector that silently misses trades is worse
// than one that says so.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/seed-c9ca4919/kalshi/examples/internal/target"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// config is what the flags set.
type config struct {
	fake     bool
	duration time.Duration
	markets  string // file for the markets; "" skips them
	trades   string // file for the trades; "-" is stdout
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.fake, "fake", false, "run against an in-process fake exchange instead of Kalshi")
	flag.DurationVar(&cfg.duration, "duration", 0, "stop streaming after this long (0: until interrupted)")
	flag.StringVar(&cfg.markets, "markets", "markets.jsonl", `file for the markets, one JSON object a line ("" to skip)`)
	flag.StringVar(&cfg.trades, "trades", "-", `file for the trades, one JSON object a line ("-" for stdout)`)
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		target.Fatal(err)
	}
}

// tradeLine is one trade as written out.
type tradeLine struct {
	TradeID      string        `json:"trade_id"`
	MarketTicker string        `json:"market_ticker"`
	YesPrice     money.Dollars `json:"yes_price"`
	Count        money.Count   `json:"count"`
	TakerSide    ws.Side       `json:"taker_outcome_side"`
	Time         time.Time     `json:"time"`
}

func run(ctx context.Context, cfg config, stdout, stderr io.Writer) error {
	t, err := target.Open(cfg.fake)
	if err != nil {
		return err
	}
	defer t.Close()
	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	if cfg.markets != "" {
		if err := collectMarkets(ctx, t, cfg.markets, stderr); err != nil {
			return err
		}
	}
	out := stdout
	if cfg.trades != "-" {
		f, err := os.Create(cfg.trades)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	if err := t.StartTraders(ctx, 100*time.Millisecond); err != nil {
		return err
	}
	n, err := streamTrades(ctx, t, out, stderr)
	fmt.Fprintf(stderr, "trades: %d written\n", n)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return nil // -duration passed, or interrupted: a normal end
	}
	return err
}

// collectMarkets writes every market, page by page, to file.
func collectMarkets(ctx context.Context, t *target.Target, file string, stderr io.Writer) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	n := 0
	for page, err := range t.Client.GetMarketsPages(ctx, &gen.GetMarketsParams{Limit: ptr(int64(1000))}) {
		if err != nil {
			return fmt.Errorf("listing markets after %d: %w", n, err)
		}
		for _, m := range page.Markets {
			if err := enc.Encode(m); err != nil {
				return err
			}
		}
		n += len(page.Markets)
		fmt.Fprintf(stderr, "markets: %d so far\n", n)
	}
	fmt.Fprintf(stderr, "markets: %d written to %s\n", n, file)
	return f.Close()
}

// streamTrades writes every public trade to out until ctx ends, and
// reports on stderr what could make the record incomplete.
func streamTrades(ctx context.Context, t *target.Target, out, stderr io.Writer) (int, error) {
	conn, err := ws.Dial(ctx, ws.WithURL(t.WebSocketURL), ws.WithSigner(t.Signer))
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	sub, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelTrade})
	if err != nil {
		return 0, err
	}
	enc := json.NewEncoder(out)
	n := 0
	for m, err := range sub.Messages(ctx) {
		if err != nil {
			return n, err
		}
		switch m := m.(type) {
		case *ws.Trade:
			line := tradeLine{TradeID: m.TradeID, MarketTicker: m.MarketTicker, YesPrice: m.YesPrice, Count: m.Count,
				TakerSide: m.TakerOutcomeSide, Time: m.TSMs.Time()}
			if err := enc.Encode(line); err != nil {
				return n, err
			}
			n++
		case *ws.Gap:
			fmt.Fprintf(stderr, "trades: gap in the stream (expected %d, got %d, %d dropped): some trades are missing\n", m.Expected, m.Got, m.Dropped)
		case *ws.Disconnected:
			fmt.Fprintf(stderr, "trades: connection lost (%v); reconnecting\n", m.Err)
		case *ws.Resubscribed:
			fmt.Fprintln(stderr, "trades: streaming again; trades while disconnected are missing")
		}
	}
	return n, ctx.Err()
}

func ptr[T any](v T) *T { return &v }
