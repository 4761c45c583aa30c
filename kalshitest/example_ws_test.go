package kalshitest_test

import (
	"context"
	"fmt"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// Stream a market's book and your fills from the fake exchange while an
// order placed over REST trades.
func ExampleServer_WebSocketURL() {
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
	conn, err := ws.Dial(ctx, ws.WithURL(srv.WebSocketURL()), ws.WithSigner(signer))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer conn.Close()
	book, _ := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"KXDEMO-26JUN12-T1"}})
	fills, _ := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelFill})
	snap := (<-book.C()).(*ws.OrderbookSnapshot)
	fmt.Println("snapshot: yes", snap.Yes, "no", snap.No)

	// Bid 0.45 for 5: 3 fill against the ask at 0.40, 2 rest.
	_, err = client.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: "KXDEMO-26JUN12-T1", Side: "bid", Price: money.MustDollars("0.45"), Count: money.MustCount("5"),
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	f := (<-fills.C()).(*ws.Fill)
	fmt.Println("fill:", f.Count, "at", f.YesPrice, "fee", f.FeeCost, "position", f.PostPosition)
	for range 2 {
		d := (<-book.C()).(*ws.OrderbookDelta)
		fmt.Println("delta:", d.Side, d.Price, d.Delta, "seq", d.Seq)
	}
	// Output:
	// snapshot: yes [] no [3.00 @ 0.6000]
	// fill: 3.00 at 0.4000 fee 0.0504 position 3.00
	// delta: no 0.6000 -3.00 seq 2
	// delta: yes 0.4500 2.00 seq 3
}
