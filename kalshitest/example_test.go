package kalshitest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Trade against the fake exchange with the real client: a market with a
// known book, an order that crosses it, and the resulting balance.
func Example() {
	srv := kalshitest.NewServer(kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: "KXDEMO-26JUN12-T1",
		Asks:   []money.PriceLevel{{Price: money.MustDollars("0.40"), Count: money.MustCount("3")}},
	}))
	defer srv.Close()

	key, _, _, _ := signing.GenerateKey(signing.Ed25519)
	srv.AddAPIKey("demo-key", key.Public())
	signer, _ := signing.New("demo-key", key)
	client, _ := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))

	ctx := context.Background()
	res, err := client.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: "KXDEMO-26JUN12-T1", Side: "bid", Price: money.MustDollars("0.45"), Count: money.MustCount("5"),
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("filled", res.FillCount, "at", *res.AverageFillPrice, "resting", res.RemainingCount)

	bal, _ := client.GetBalance(ctx, nil)
	fmt.Println("balance", bal.BalanceDollars)
	// Output:
	// filled 3.00 at 0.4000 resting 2.00
	// balance 997.8496
}

// Make a client's requests fail the way a struggling exchange does.
func ExampleServer_InjectFaults() {
	srv := kalshitest.NewServer(kalshitest.WithMarkets(1))
	defer srv.Close()
	client, _ := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithRetry(kalshi.NoRetry()))
	ctx := context.Background()

	srv.InjectFaults(kalshitest.Faults{RateLimitBurst: 1})
	_, err := client.GetExchangeStatus(ctx)
	fmt.Println(err != nil, errorsIs(err, kalshi.ErrRateLimited))

	_, err = client.GetExchangeStatus(ctx)
	fmt.Println(err)
	// Output:
	// true true
	// <nil>
}

func errorsIs(err, target error) bool { return errors.Is(err, target) }

// Package gen works on its own too: its generated client signs with a
// request editor. (Package kalshi's Client adds retries, rate limits,
// typed errors and drift handling on top.)
func Example_generatedClient() {
	srv := kalshitest.NewServer(kalshitest.WithMarkets(1))
	defer srv.Close()
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	srv.AddAPIKey("raw-key", key.Public())
	signer, err := signing.New("raw-key", key)
	if err != nil {
		log.Fatal(err)
	}
	c, err := gen.NewClientWithResponses(srv.URL(), gen.WithRequestEditorFn(signer.EditRequest))
	if err != nil {
		log.Fatal(err)
	}
	r, err := c.GetBalanceWithResponse(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), r.JSON200.Balance)
	// Output: 200 100000
}
