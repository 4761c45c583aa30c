package orderbook_test

import (
	"context"
	"fmt"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// Keep an exact local order book that heals itself, here against the fake
// exchange: the connection drops, an order arrives meanwhile, and the book
// comes back whole after the client reconnects on its own.
func ExampleManager_selfHealing() {
	const market = "KXDEMO-26JUN12-T1"
	srv := kalshitest.NewServer(kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: market,
		Bids:   []money.PriceLevel{{Price: money.MustDollars("0.45"), Count: money.MustCount("10")}},
		Asks:   []money.PriceLevel{{Price: money.MustDollars("0.55"), Count: money.MustCount("10")}},
	}))
	defer srv.Close()
	key, _, _, _ := signing.GenerateKey(signing.Ed25519)
	srv.AddAPIKey("demo-key", key.Public())
	signer, _ := signing.New("demo-key", key)
	client, _ := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	conn, err := ws.Dial(ctx, ws.WithURL(srv.WebSocketURL()), ws.WithSigner(signer))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	sub, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{market}})
	if err != nil {
		fmt.Println(err)
		return
	}
	books := orderbook.NewManager()
	go books.Run(ctx, sub) // snapshots, deltas, gaps and reconnects are handled here

	// show waits until the book is whole and has a bid of at least minBid.
	show := func(minBid string) {
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			b, ok := books.Book(market)
			if !ok || !b.Ready() {
				continue
			}
			if bid, _ := b.BestYesBid(); bid.Price.Cmp(money.MustDollars(minBid)) >= 0 {
				ask, _ := b.BestYesAsk()
				fmt.Println("bid", bid, "| ask", ask)
				return
			}
		}
		fmt.Println("timed out")
	}
	show("0.45")

	srv.DropWSConns() // the network fails...
	_, err = client.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: market, Side: "bid", Price: money.MustDollars("0.48"), Count: money.MustCount("3"),
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	show("0.48") // ...and the book catches up after the reconnect
	fmt.Println("connections:", conn.Connects())
	// Output:
	// bid 10.00 @ 0.4500 | ask 10.00 @ 0.5500
	// bid 3.00 @ 0.4800 | ask 10.00 @ 0.5500
	// connections: 2
}
