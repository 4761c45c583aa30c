package orderbook_test

import (
	"context"
	"fmt"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// React to every change of the managed books; a program would run the
// manager on a subscription (go books.Run(ctx, sub)) and loop until it
// stops.
func ExampleManager_Changes() {
	books := orderbook.NewManager()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	books.Handle(&ws.OrderbookSnapshot{MarketTicker: "FED-23DEC-T3.00",
		Yes: []orderbook.Level{{Price: money.MustDollars("0.42"), Count: money.MustCount("100")}}})
	for ticker := range books.Changes(ctx) {
		books.View(ticker, func(b *orderbook.Book) {
			bid, _ := b.BestYesBid()
			fmt.Println(ticker, "ready:", b.Ready(), "best bid:", bid)
		})
		cancel() // here: stop after the first
	}
	// Output:
	// FED-23DEC-T3.00 ready: true best bid: 100.00 @ 0.4200
}

// A book from the REST answer, without a WebSocket connection.
func ExampleFromREST() {
	resp := &gen.GetMarketOrderbookResponse{OrderbookFp: gen.OrderbookCountFp{
		YesDollars: []money.PriceLevel{{Price: money.MustDollars("0.42"), Count: money.MustCount("100")}},
		NoDollars:  []money.PriceLevel{{Price: money.MustDollars("0.55"), Count: money.MustCount("20")}},
	}} // c.GetMarketOrderbook(ctx, "FED-23DEC-T3.00", nil)
	b, err := orderbook.FromREST("FED-23DEC-T3.00", resp)
	if err != nil {
		panic(err)
	}
	ask, _ := b.BestYesAsk()
	spread, _ := b.Spread()
	fmt.Println("YES ask", ask, "spread", spread)
	// Output:
	// YES ask 20.00 @ 0.4500 spread 0.0300
}
