package kalshi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// exampleExchange starts a fake exchange with one market whose book is
// known, and a client signing with a key registered there. In your own
// code the client would come from kalshi.NewFromEnv().
func exampleExchange() (*kalshitest.Server, *kalshi.Client) {
	srv := kalshitest.NewServer(kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: "KXHIGHNY-26JUN12-B80.5",
		Bids:   []money.PriceLevel{{Price: money.MustDollars("0.41"), Count: money.MustCount("10")}},
		Asks:   []money.PriceLevel{{Price: money.MustDollars("0.45"), Count: money.MustCount("4")}},
	}))
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	srv.AddAPIKey("example-key", key.Public())
	signer, err := signing.New("example-key", key)
	if err != nil {
		log.Fatal(err)
	}
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))
	if err != nil {
		log.Fatal(err)
	}
	return srv, c
}

// List every market of a series, following cursors page after page.
func ExampleClient_GetMarketsIter() {
	srv := kalshitest.NewServer(kalshitest.WithMarkets(40), kalshitest.WithSeed(1),
		kalshitest.WithClock(func() time.Time { return time.Date(2026, 6, 11, 12, 0, 0, 0, time.UTC) }))
	defer srv.Close()
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL())) // market data needs no key
	if err != nil {
		log.Fatal(err)
	}

	series, limit := "KXHIGHNY", int64(4)
	params := &gen.GetMarketsParams{SeriesTicker: &series, Limit: &limit}
	n := 0
	for m, err := range c.GetMarketsIter(context.Background(), params) {
		if err != nil {
			log.Fatal(err)
		}
		if n < 2 {
			fmt.Println(m.Ticker)
		}
		n++
	}
	fmt.Println(n, "markets")
	// Output:
	// KXHIGHNY-26JUN12-B70.5
	// KXHIGHNY-26JUN12-B72.5
	// 10 markets
}

// Read an order book: bids on each side, and the asks they imply.
func ExampleClient_GetMarketOrderbook() {
	srv, c := exampleExchange()
	defer srv.Close()

	book, err := c.GetMarketOrderbook(context.Background(), "KXHIGHNY-26JUN12-B80.5", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, l := range book.OrderbookFp.YesDollars {
		fmt.Println("YES bid", l)
	}
	for _, l := range book.OrderbookFp.NoDollars {
		fmt.Println("NO bid ", l, "= YES ask", money.One.Sub(l.Price))
	}
	// Output:
	// YES bid 10.00 @ 0.4100
	// NO bid  4.00 @ 0.5500 = YES ask 0.4500
}

// Place an order and cancel what rests. The client gives the order a
// client_order_id, so a retry after a lost answer can never place it twice.
func ExampleClient_CreateOrderV2() {
	srv, c := exampleExchange()
	defer srv.Close()
	ctx := context.Background()

	order, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker:                  "KXHIGHNY-26JUN12-B80.5",
		Side:                    gen.BookSideBid, // buy YES
		Price:                   money.MustDollars("0.45"),
		Count:                   money.MustCount("6"),
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceGoodTillCanceled,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("filled", order.FillCount, "resting", order.RemainingCount, "id set:", order.ClientOrderID != nil)

	canceled, err := c.CancelOrderV2(ctx, order.OrderID, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("canceled", canceled.ReducedBy)
	// Output:
	// filled 4.00 resting 2.00 id set: true
	// canceled 2.00
}

// Errors from Kalshi are *APIError values: match them with errors.Is, or
// read Kalshi's code, details and a hint.
func ExampleAPIError() {
	srv, c := exampleExchange()
	defer srv.Close()

	_, err := c.GetMarket(context.Background(), "KXNOSUCH-MARKET")
	fmt.Println(errors.Is(err, kalshi.ErrNotFound))
	var apiErr *kalshi.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.Operation)
	}

	public, _ := kalshi.New(kalshi.WithBaseURL(srv.URL())) // no signer
	_, err = public.GetBalance(context.Background(), nil)
	fmt.Println(errors.Is(err, kalshi.ErrNoCredentials))
	// Output:
	// true
	// 404 GetMarket
	// true
}

// Pace requests on the client side with the buckets of your access tier,
// and retry with a policy of your own.
func ExampleWithTier() {
	policy := kalshi.DefaultRetryPolicy()
	policy.MaxAttempts = 6
	c, err := kalshi.New(kalshi.WithEnvironment(kalshi.Demo), kalshi.WithTier(kalshi.Advanced), kalshi.WithRetry(policy))
	if err != nil {
		log.Fatal(err)
	}
	l, on := c.RateLimit()
	fmt.Println(on, l.Read.RefillPerSecond, l.Write.RefillPerSecond, l.Costs["CancelOrderV2"])
	// Output:
	// true 300 300 2
}

// Learn when Kalshi's responses change, before your code breaks. Here a
// stand-in server answers with a field spec 3.31.0 does not declare.
func ExampleWithDriftReporter() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"exchange_active":true,"trading_active":true,"maintenance_window":"sun"}`)
	}))
	defer srv.Close()
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL+"/trade-api/v2"), kalshi.WithDriftReporter(func(d kalshi.Drift) {
		fmt.Println(d)
	}))
	if err != nil {
		log.Fatal(err)
	}
	status, err := c.GetExchangeStatus(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("trading active:", status.TradingActive)
	// Output:
	// GetExchangeStatus $.maintenance_window: undeclared field
	// trading active: true
}

// Register a key pair you generated yourself, so the private key never
// leaves your machine; the new key signs the very next request.
func ExampleClient_CreateAPIKey() {
	srv, c := exampleExchange()
	defer srv.Close()
	ctx := context.Background()

	key, _, publicPEM, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	created, err := c.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{Name: "bot", PublicKey: string(publicPEM)})
	if err != nil {
		log.Fatal(err)
	}
	signer, err := signing.New(created.APIKeyID, key)
	if err != nil {
		log.Fatal(err)
	}
	bot, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))
	if err != nil {
		log.Fatal(err)
	}
	balance, err := bot.GetBalance(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("the new key works:", balance.Balance > 0)
	// Output:
	// the new key works: true
}

// For the rare case that needs the raw answer, Raw is the generated client
// on the same transport stack (signing, retries, rate limits), and Result
// turns its answers into a value or an error.
func ExampleClient_Raw() {
	srv, c := exampleExchange()
	defer srv.Close()
	ctx := context.Background()

	r, err := c.Raw().GetExchangeStatusWithResponse(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.StatusCode(), len(r.Body) > 0)
	status, err := kalshi.Result(r, err)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("trading active:", status.TradingActive)
	// Output:
	// 200 true
	// trading active: true
}
