package ws_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// Stream order book updates of one market, handling the client's own events.
func ExampleConn_Subscribe() {
	key, err := signing.LoadPrivateKey(os.Getenv("KALSHI_PRIVATE_KEY_FILE"))
	if err != nil {
		log.Fatal(err)
	}
	signer, err := signing.New(os.Getenv("KALSHI_API_KEY_ID"), key)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	conn, err := ws.Dial(ctx, ws.WithSigner(signer), ws.WithURL(ws.DemoURL))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()

	sub, err := conn.Subscribe(ctx, ws.Params{
		Channel:       ws.ChannelOrderbookDelta,
		MarketTickers: []string{"KXBTCD-26DEC31-T100000"},
	})
	if err != nil {
		log.Fatal(err)
	}
	for m, err := range sub.Messages(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		switch m := m.(type) {
		case *ws.OrderbookSnapshot:
			fmt.Println("snapshot", m.MarketTicker, len(m.Yes), len(m.No))
		case *ws.OrderbookDelta:
			fmt.Println("delta", m.Side, m.Price, m.Delta)
		case *ws.Gap, *ws.Resubscribed:
			fmt.Println("book is stale until the next snapshot")
		}
	}
}

// Decode a recorded frame.
func ExampleDecode() {
	m, err := ws.Decode([]byte(`{"type":"ticker","sid":1,"msg":{"market_ticker":"A","price_dollars":"0.5600","ts":1784475900}}`))
	if err != nil {
		log.Fatal(err)
	}
	t := m.(*ws.Ticker)
	fmt.Println(t.MarketTicker, t.Price, t.TS.Time.Unix())
	// Output: A 0.5600 1784475900
}
