package orderbook_test

import (
	"fmt"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// deltaFrames returns real-shaped orderbook_delta frames over 50 price levels a side, in
// pairs that add and remove the same size, so replaying them in a loop keeps the book valid.
func deltaFrames() [][]byte {
	var frames [][]byte
	seq := 1
	for i := range 50 {
		for _, side := range []string{"yes", "no"} {
			for _, delta := range []string{"12.00", "-12.00"} {
				seq++
				price := money.DollarsFromCents(int64(25 + i))
				frames = append(frames, fmt.Appendf(nil,
					`{"type":"orderbook_delta","sid":2,"seq":%d,"msg":{"market_ticker":"KXBTCD-26MAR1213-T69499.99","market_id":"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1","price_dollars":"%s","delta_fp":"%s","side":"%s","ts":"2026-03-12T13:04:05.123456Z","ts_ms":1773320645123}}`,
					seq, price, delta, side))
			}
		}
	}
	return frames
}

func benchBook() *orderbook.Book {
	s := &ws.OrderbookSnapshot{MarketTicker: "KXBTCD-26MAR1213-T69499.99"}
	for i := 1; i < 100; i++ {
		l := orderbook.Level{Price: money.DollarsFromCents(int64(i)), Count: money.CountFromInt(int64(i * 10))}
		s.Yes = append(s.Yes, l)
		s.No = append(s.No, l)
	}
	b := orderbook.NewBook(s.MarketTicker)
	if err := b.ApplySnapshot(s); err != nil {
		panic(err)
	}
	return b
}

// BenchmarkDecodeApplyDelta measures raw frame bytes -> ws.Decode -> Book.ApplyDelta, the
// work a connection does per order book update. Run with -cpu 1 for the one-core figure.
func BenchmarkDecodeApplyDelta(b *testing.B) {
	frames := deltaFrames()
	book := benchBook()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m, err := ws.Decode(frames[i%len(frames)])
		if err != nil {
			b.Fatal(err)
		}
		if err := book.ApplyDelta(m.(*ws.OrderbookDelta)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deltas/s")
}

// BenchmarkApplyDelta measures Book.ApplyDelta alone.
func BenchmarkApplyDelta(b *testing.B) {
	var deltas []*ws.OrderbookDelta
	for _, f := range deltaFrames() {
		m, _ := ws.Decode(f)
		deltas = append(deltas, m.(*ws.OrderbookDelta))
	}
	book := benchBook()
	i := 0
	for b.Loop() {
		if err := book.ApplyDelta(deltas[i%len(deltas)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deltas/s")
}
