package orderbook_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// Build a book from a snapshot and a delta, and read it.
func ExampleBook() {
	b := orderbook.NewBook("FED-23DEC-T3.00")
	_ = b.ApplySnapshot(&ws.OrderbookSnapshot{
		MarketTicker: "FED-23DEC-T3.00",
		Yes:          []orderbook.Level{{Price: money.MustDollars("0.42"), Count: money.MustCount("100")}},
		No:           []orderbook.Level{{Price: money.MustDollars("0.55"), Count: money.MustCount("20.5")}},
	})
	_ = b.ApplyDelta(&ws.OrderbookDelta{MarketTicker: "FED-23DEC-T3.00", Side: ws.Yes,
		Price: money.MustDollars("0.43"), Delta: money.MustCount("7")})

	bid, _ := b.BestYesBid()
	ask, _ := b.BestYesAsk()
	spread, _ := b.Spread()
	fmt.Println("bid", bid.Price, bid.Count, "ask", ask.Price, ask.Count, "spread", spread)
	// Output: bid 0.4300 7.00 ask 0.4500 20.50 spread 0.0200
}

// Keep the books of a subscription up to date and read them from other goroutines.
func ExampleManager() {
	var conn *ws.Conn // from ws.Dial
	ctx := context.Background()
	sub, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"FED-23DEC-T3.00"}})
	if err != nil {
		log.Fatal(err)
	}
	books := orderbook.NewManager()
	go books.Run(ctx, sub)

	// Elsewhere, at any time:
	if b, ok := books.Book("FED-23DEC-T3.00"); ok && b.Ready() {
		fmt.Println(b.BestYesBid())
	}
}
