package kalshi_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// Make a client from the environment: KALSHI_API_KEY_ID with
// KALSHI_PRIVATE_KEY_PATH (or KALSHI_PRIVATE_KEY), and KALSHI_ENV=prod for
// real money; the demo exchange otherwise.
func ExampleNewFromEnv() {
	c, err := kalshi.NewFromEnv(kalshi.WithTier(kalshi.Basic))
	if err != nil {
		log.Fatal(err) // names the variable that is missing or wrong
	}
	defer c.Close()
	balance, err := c.GetBalance(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Environment(), balance.BalanceDollars)
}

// Read the balance and the positions a trade left: a position is signed,
// positive for YES contracts and negative for NO.
func ExampleClient_GetPositionsMarketPositionsIter() {
	srv, c := exampleExchange()
	defer srv.Close()
	ctx := context.Background()
	_, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: "KXHIGHNY-26JUN12-B80.5", Side: gen.BookSideAsk, // buy NO at 1 − 0.41
		Price: money.MustDollars("0.41"), Count: money.MustCount("3"),
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceImmediateOrCancel,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	if err != nil {
		log.Fatal(err)
	}
	for p, err := range c.GetPositionsMarketPositionsIter(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.Ticker, "position", p.PositionFp, "exposure", p.MarketExposureDollars)
	}
	balance, err := c.GetBalance(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance", balance.BalanceDollars) // $1,000 − 3 × 0.59 − the taker fee
	// Output:
	// KXHIGHNY-26JUN12-B80.5 position -3.00 exposure 1.7700
	// balance 998.1792
}

// Log what the client does: every attempt at Debug, retries at Info,
// failures at Warn, with stable attribute names (observe.Key*).
func ExampleWithLogger() {
	srv, _ := exampleExchange()
	defer srv.Close()
	// Text on stdout without times and durations, so the output repeats;
	// a bot would use slog.NewJSONHandler(os.Stderr, nil).
	h := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			switch a.Key {
			case slog.TimeKey, observe.KeyDuration, observe.KeyWait, observe.KeyHost, observe.KeyBytes:
				return slog.Attr{}
			}
			return a
		}})
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithLogger(slog.New(h)))
	if err != nil {
		log.Fatal(err)
	}
	srv.InjectFaults(kalshitest.Faults{RateLimitBurst: 1}) // the first attempt gets a 429
	if _, err := c.GetExchangeStatus(context.Background()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// level=DEBUG msg="kalshi attempt" operation=GetExchangeStatus method=GET path=/exchange/status attempt=1 status=429
	// level=INFO msg="kalshi retry" operation=GetExchangeStatus method=GET path=/exchange/status attempt=2 retry_reason="status 429"
	// level=DEBUG msg="kalshi attempt" operation=GetExchangeStatus method=GET path=/exchange/status attempt=2 status=200
	// level=DEBUG msg="kalshi call" operation=GetExchangeStatus attempts=2 status=200
}
