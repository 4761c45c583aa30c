package kalshi_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// exampleBid rests a YES bid of count contracts at price on the example
// market and returns its order ID.
func exampleBid(c *kalshi.Client, price, count string) string {
	order, err := c.CreateOrderV2(context.Background(), gen.CreateOrderV2Request{
		Ticker:                  "KXHIGHNY-26JUN12-B80.5",
		Side:                    gen.BookSideBid,
		Price:                   money.MustDollars(price),
		Count:                   money.MustCount(count),
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceGoodTillCanceled,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	if err != nil {
		log.Fatal(err)
	}
	return order.OrderID
}

// Read the cash available to trade. BalanceDollars is exact; Balance is the
// same amount in cents.
func ExampleClient_GetBalance() {
	srv, c := exampleExchange()
	defer srv.Close()

	balance, err := c.GetBalance(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(balance.BalanceDollars, balance.Balance)
	// Output:
	// 1000.0000 100000
}

// Cancel a resting order by its ID. ReducedBy is the number of contracts
// the cancel took off the book; the cash held for them is released.
func ExampleClient_CancelOrderV2() {
	srv, c := exampleExchange()
	defer srv.Close()
	ctx := context.Background()
	id := exampleBid(c, "0.40", "5") // rests below the best ask

	canceled, err := c.CancelOrderV2(ctx, id, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("canceled", canceled.ReducedBy)
	balance, err := c.GetBalance(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance", balance.BalanceDollars)
	// Output:
	// canceled 5.00
	// balance 1000.0000
}

// Move a resting order to a new price and size. The body is the order's
// full new state: ticker, side, price and total count.
func ExampleClient_AmendOrderV2() {
	srv, c := exampleExchange()
	defer srv.Close()
	id := exampleBid(c, "0.40", "5")

	amended, err := c.AmendOrderV2(context.Background(), id, nil, gen.AmendOrderV2Request{
		Ticker: "KXHIGHNY-26JUN12-B80.5",
		Side:   gen.BookSideBid,
		Price:  money.MustDollars("0.42"),
		Count:  money.MustCount("8"),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("order", amended.OrderID == id, "resting", *amended.RemainingCount)
	// Output:
	// order true resting 8.00
}

// Cancel every resting order of the account in one market, for example
// when a bot shuts down.
func ExampleClient_CancelOrdersInMarket() {
	srv, c := exampleExchange()
	defer srv.Close()
	exampleBid(c, "0.38", "2")
	exampleBid(c, "0.39", "3")
	exampleBid(c, "0.40", "4")

	res, err := c.CancelOrdersInMarket(context.Background(), "KXHIGHNY-26JUN12-B80.5")
	if err != nil {
		log.Fatal(err) // res still says which cancels went through
	}
	removed := money.Count{}
	for _, o := range res.Canceled {
		removed = removed.Add(o.ReducedBy)
	}
	fmt.Println("resting", res.Resting, "canceled", len(res.Canceled), "contracts", removed, "refused", len(res.Failed))
	// Output:
	// resting 3 canceled 3 contracts 9.00 refused 0
}

// List the account's fills, following cursors. OutcomeSide is the
// direction of a fill (yes: toward a YES position); YesPriceDollars its
// price in YES terms.
func ExampleClient_GetFillsIter() {
	srv, c := exampleExchange()
	defer srv.Close()
	ctx := context.Background()
	exampleBid(c, "0.45", "3") // takes 3 of the 4 contracts offered at 0.45

	ticker := "KXHIGHNY-26JUN12-B80.5"
	for f, err := range c.GetFillsIter(ctx, &gen.GetFillsParams{Ticker: &ticker}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(f.OutcomeSide, f.CountFp, "@", f.YesPriceDollars, "taker", f.IsTaker, "fee", f.FeeCost)
	}
	// Output:
	// yes 3.00 @ 0.4500 taker true fee 0.0520
}

// Connect to the WebSocket feed of the exchange a client talks to, signed
// with the client's key. A client made with WithEnvironment or WithBaseURL
// finds the matching feed.
func ExampleClient_WebSocketURL() {
	prod, err := kalshi.New(kalshi.WithEnvironment(kalshi.Production))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(prod.WebSocketURL())

	srv, c := exampleExchange()
	defer srv.Close()
	ctx := context.Background()
	conn, err := ws.Dial(ctx, ws.WithURL(c.WebSocketURL()), ws.WithSigner(c.Signer()))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	sub, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelFill})
	if err != nil {
		log.Fatal(err)
	}
	exampleBid(c, "0.45", "2")
	for m, err := range sub.Messages(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if f, ok := m.(*ws.Fill); ok {
			fmt.Println("fill", f.OutcomeSide, f.Count, "@", f.YesPrice)
			break
		}
	}
	// Output:
	// wss://external-api-ws.kalshi.com/trade-api/ws/v2
	// fill yes 2.00 @ 0.4500
}
