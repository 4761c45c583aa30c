package orderbook_test

import (
	"encoding/binary"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// Whatever snapshots and deltas arrive, a book never panics and never
// shows a level of zero or negative size: it refuses what it cannot apply
// and goes stale.
func FuzzBook(f *testing.F) {
	f.Add([]byte{1, 40, 0, 0, 0, 0, 0, 0, 0, 10, 2, 40, 0, 0, 0, 0, 0, 0, 0, 246})
	f.Add([]byte{1, 99, 127, 255, 255, 255, 255, 255, 255, 255, 1, 99, 127, 255, 255, 255, 255, 255, 255, 255})
	f.Fuzz(func(t *testing.T, data []byte) {
		b := orderbook.NewBook("M")
		var snap []orderbook.Level
		for len(data) >= 10 {
			kind, cents, size := data[0], int64(data[1]%101), int64(binary.BigEndian.Uint64(data[2:10]))
			data = data[10:]
			price := money.DollarsFromMicros(cents * 10_000)
			side := orderbook.Yes
			if kind&4 != 0 {
				side = orderbook.No
			}
			switch kind % 3 {
			case 0:
				snap = append(snap, orderbook.Level{Price: price, Count: money.CountFromHundredths(size)})
			case 1:
				_ = b.ApplySnapshot(&ws.OrderbookSnapshot{MarketTicker: "M", Yes: snap})
				snap = nil
			case 2:
				_ = b.ApplyDelta(&ws.OrderbookDelta{MarketTicker: "M", Side: side, Price: price, Delta: money.CountFromHundredths(size)})
			}
			for _, s := range []orderbook.Side{orderbook.Yes, orderbook.No} {
				for _, l := range b.Depth(s, 1000) {
					if l.Count.Sign() <= 0 {
						t.Fatalf("a %s level %v has size %v", s, l.Price, l.Count)
					}
				}
			}
		}
	})
}
