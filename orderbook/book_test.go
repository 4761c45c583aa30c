package orderbook_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

var (
	d = money.MustDollars
	c = money.MustCount
)

func lv(price, size string) orderbook.Level { return orderbook.Level{Price: d(price), Count: c(size)} }

func snap(market string, yes, no []orderbook.Level) *ws.OrderbookSnapshot {
	return &ws.OrderbookSnapshot{MarketTicker: market, Yes: yes, No: no}
}

func dl(market string, side ws.Side, price, delta string) *ws.OrderbookDelta {
	return &ws.OrderbookDelta{MarketTicker: market, Side: side, Price: d(price), Delta: c(delta)}
}

func mustApply(t *testing.T, b *orderbook.Book, msgs ...ws.Message) {
	t.Helper()
	for _, m := range msgs {
		if err := b.Apply(m); err != nil {
			t.Fatalf("apply %#v: %v", m, err)
		}
	}
}

func TestBookQueries(t *testing.T) {
	t.Parallel()
	b := orderbook.NewBook("M")
	mustApply(t, b, snap("M",
		[]orderbook.Level{lv("0.08", "300"), lv("0.22", "333.5")},
		[]orderbook.Level{lv("0.54", "20"), lv("0.56", "146"), lv("0.10", "1")}))
	if got, _ := b.BestYesBid(); got != lv("0.22", "333.5") {
		t.Errorf("best yes bid %v", got)
	}
	if got, _ := b.BestNoBid(); got != lv("0.56", "146") {
		t.Errorf("best no bid %v", got)
	}
	if got, _ := b.BestYesAsk(); got != lv("0.44", "146") {
		t.Errorf("best yes ask %v", got)
	}
	if got, _ := b.BestNoAsk(); got != lv("0.78", "333.5") {
		t.Errorf("best no ask %v", got)
	}
	if got, _ := b.Spread(); got != d("0.22") {
		t.Errorf("spread %v", got)
	}
	if got := b.Depth(orderbook.No, 2); !slices.Equal(got, []orderbook.Level{lv("0.56", "146"), lv("0.54", "20")}) {
		t.Errorf("depth %v", got)
	}
	if got := b.Depth(orderbook.Yes, 10); len(got) != 2 {
		t.Errorf("depth beyond the book %v", got)
	}
	if got := b.SizeAt(orderbook.Yes, d("0.08")); got != c("300") {
		t.Errorf("size at 0.08: %v", got)
	}
	if got := b.SizeAt(orderbook.Yes, d("0.09")); !got.IsZero() {
		t.Errorf("size at an empty price: %v", got)
	}
}

func TestBookSnapshotOmittingASide(t *testing.T) {
	t.Parallel()
	b := orderbook.NewBook("M")
	mustApply(t, b, snap("M", []orderbook.Level{lv("0.30", "2")}, nil))
	if _, ok := b.BestNoBid(); ok {
		t.Error("NO side not empty")
	}
	if _, ok := b.BestYesAsk(); ok {
		t.Error("YES ask exists without NO bids")
	}
	if _, ok := b.Spread(); ok {
		t.Error("spread exists with one side empty")
	}
	if !b.Ready() || b.Len(orderbook.No) != 0 {
		t.Errorf("ready %v, no levels %d", b.Ready(), b.Len(orderbook.No))
	}
	// A new snapshot replaces everything, including a side it omits.
	mustApply(t, b, snap("M", nil, []orderbook.Level{lv("0.60", "1")}))
	if b.Len(orderbook.Yes) != 0 || b.Len(orderbook.No) != 1 {
		t.Errorf("after second snapshot: %v", b)
	}
}

func TestBookDeltas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		deltas  []*ws.OrderbookDelta
		wantYes []orderbook.Level
		wantErr error
	}{
		{"new level", []*ws.OrderbookDelta{dl("M", ws.Yes, "0.35", "4")}, []orderbook.Level{lv("0.35", "4"), lv("0.30", "10")}, nil},
		{"fractional sizes", []*ws.OrderbookDelta{dl("M", ws.Yes, "0.30", "0.37"), dl("M", ws.Yes, "0.301", "1.01")},
			[]orderbook.Level{lv("0.301", "1.01"), lv("0.30", "10.37")}, nil},
		{"to exactly zero removes the level", []*ws.OrderbookDelta{dl("M", ws.Yes, "0.30", "-10")}, []orderbook.Level{}, nil},
		{"in steps to zero", []*ws.OrderbookDelta{dl("M", ws.Yes, "0.30", "-9.99"), dl("M", ws.Yes, "0.30", "-0.01")}, []orderbook.Level{}, nil},
		{"negative delta", []*ws.OrderbookDelta{dl("M", ws.Yes, "0.30", "-3.5")}, []orderbook.Level{lv("0.30", "6.50")}, nil},
		{"below zero", []*ws.OrderbookDelta{dl("M", ws.Yes, "0.30", "-10.01")}, []orderbook.Level{lv("0.30", "10")}, orderbook.ErrNegativeLevel},
		{"below zero at an empty price", []*ws.OrderbookDelta{dl("M", ws.Yes, "0.31", "-1")}, []orderbook.Level{lv("0.30", "10")}, orderbook.ErrNegativeLevel},
		{"other market", []*ws.OrderbookDelta{dl("X", ws.Yes, "0.30", "1")}, []orderbook.Level{lv("0.30", "10")}, orderbook.ErrMarket},
		{"bad side", []*ws.OrderbookDelta{dl("M", "maybe", "0.30", "1")}, []orderbook.Level{lv("0.30", "10")}, orderbook.ErrInvalid},
		{"price above a dollar", []*ws.OrderbookDelta{dl("M", ws.Yes, "1.01", "1")}, []orderbook.Level{lv("0.30", "10")}, orderbook.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := orderbook.NewBook("M")
			mustApply(t, b, snap("M", []orderbook.Level{lv("0.30", "10")}, []orderbook.Level{lv("0.60", "1")}))
			var err error
			for _, x := range tc.deltas {
				if err = b.ApplyDelta(x); err != nil {
					break
				}
			}
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err %v, want %v", err, tc.wantErr)
			}
			if got := b.Depth(orderbook.Yes, 0); !slices.Equal(got, tc.wantYes) {
				t.Errorf("yes %v, want %v", got, tc.wantYes)
			}
			if tc.wantErr == orderbook.ErrNegativeLevel {
				if !b.Stale() {
					t.Error("book not stale after a negative level")
				}
				if err := b.ApplyDelta(dl("M", ws.Yes, "0.30", "1")); !errors.Is(err, orderbook.ErrStale) {
					t.Errorf("delta on stale book: %v", err)
				}
				mustApply(t, b, snap("M", []orderbook.Level{lv("0.20", "1")}, nil))
				if !b.Ready() {
					t.Error("snapshot did not make the book ready again")
				}
			}
		})
	}
}

func TestBookDeltaBeforeSnapshot(t *testing.T) {
	t.Parallel()
	b := orderbook.NewBook("M")
	if err := b.ApplyDelta(dl("M", ws.Yes, "0.30", "5")); !errors.Is(err, orderbook.ErrNoSnapshot) {
		t.Fatalf("err %v", err)
	}
	if b.Len(orderbook.Yes) != 0 || b.Ready() {
		t.Errorf("book guessed a level: %v", b)
	}
}

func TestBookInvalidSnapshotLeavesBookUnchanged(t *testing.T) {
	t.Parallel()
	b := orderbook.NewBook("M")
	mustApply(t, b, snap("M", []orderbook.Level{lv("0.30", "10")}, nil))
	before := b.Clone()
	if err := b.ApplySnapshot(snap("M", []orderbook.Level{lv("0.30", "-1")}, nil)); !errors.Is(err, orderbook.ErrInvalid) {
		t.Fatalf("err %v", err)
	}
	if !b.Equal(before) {
		t.Errorf("book changed: %v", b)
	}
	// Zero-size levels are dropped and repeated prices merged.
	mustApply(t, b, snap("M", []orderbook.Level{lv("0.30", "0"), lv("0.20", "1"), lv("0.20", "2")}, nil))
	if got := b.Depth(orderbook.Yes, 0); !slices.Equal(got, []orderbook.Level{lv("0.20", "3")}) {
		t.Errorf("got %v", got)
	}
}

func TestBookYesPricing(t *testing.T) {
	t.Parallel()
	b := orderbook.NewBook("M", orderbook.WithYesPricing())
	// With use_yes_price a NO bid at 0.56 is reported at the yes-leg price 0.44.
	mustApply(t, b, snap("M", nil, []orderbook.Level{lv("0.44", "146")}), dl("M", ws.No, "0.46", "2"))
	if got, _ := b.BestNoBid(); got != lv("0.56", "146") {
		t.Errorf("best no bid %v", got)
	}
	if got, _ := b.BestYesAsk(); got != lv("0.44", "146") {
		t.Errorf("best yes ask %v", got)
	}
	if got := b.SizeAt(orderbook.No, d("0.46")); got != c("2") {
		t.Errorf("size at yes-leg 0.46: %v", got)
	}
}

func TestBookCloneIsIndependent(t *testing.T) {
	t.Parallel()
	b := orderbook.NewBook("M")
	mustApply(t, b, snap("M", []orderbook.Level{lv("0.30", "10")}, nil))
	cl := b.Clone()
	mustApply(t, b, dl("M", ws.Yes, "0.30", "-10"), dl("M", ws.Yes, "0.31", "1"))
	if got := cl.Depth(orderbook.Yes, 0); !slices.Equal(got, []orderbook.Level{lv("0.30", "10")}) {
		t.Errorf("clone changed with the original: %v", got)
	}
	if cl.Equal(b) {
		t.Error("Equal ignores levels")
	}
	round := orderbook.NewBook("M")
	mustApply(t, round, b.Snapshot())
	if !round.Equal(b) {
		t.Errorf("Snapshot does not rebuild the book: %v vs %v", round, b)
	}
}

// TestBookMatchesModel applies 10,000 random actions to a book and to a plain map model and
// compares them after every step.
func TestBookMatchesModel(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	b := orderbook.NewBook("M")
	model := map[ws.Side]map[int64]int64{ws.Yes: {}, ws.No: {}}
	price := func() int64 { return int64(r.IntN(100)+1) * 10_000 / int64(1+r.IntN(2)*9) } // cent or deci-cent grid
	mustApply(t, b, snap("M", nil, nil))
	for step := range 10_000 {
		side := []ws.Side{ws.Yes, ws.No}[r.IntN(2)]
		p := price()
		cur := model[side][p]
		var delta int64
		switch {
		case r.IntN(10) == 0 && cur > 0: // take the level out exactly
			delta = -cur
		case r.IntN(3) == 0 && cur > 0:
			delta = -r.Int64N(cur) - 1
		default:
			delta = r.Int64N(50_000) + 1 // up to 500 contracts, in hundredths
		}
		if r.IntN(1000) == 0 { // a fresh snapshot of the model
			mustApply(t, b, modelSnapshot(model))
		}
		x := &ws.OrderbookDelta{MarketTicker: "M", Side: side, Price: money.DollarsFromMicros(p), Delta: money.CountFromHundredths(delta)}
		mustApply(t, b, x)
		if model[side][p] += delta; model[side][p] == 0 {
			delete(model[side], p)
		}
		if !b.Equal(buildModel(t, model)) {
			t.Fatalf("step %d: book %v differs from model %v", step, b, model)
		}
	}
}

func modelSnapshot(model map[ws.Side]map[int64]int64) *ws.OrderbookSnapshot {
	s := &ws.OrderbookSnapshot{MarketTicker: "M"}
	for p, n := range model[ws.Yes] {
		s.Yes = append(s.Yes, orderbook.Level{Price: money.DollarsFromMicros(p), Count: money.CountFromHundredths(n)})
	}
	for p, n := range model[ws.No] {
		s.No = append(s.No, orderbook.Level{Price: money.DollarsFromMicros(p), Count: money.CountFromHundredths(n)})
	}
	return s
}

func buildModel(t *testing.T, model map[ws.Side]map[int64]int64) *orderbook.Book {
	b := orderbook.NewBook("M")
	mustApply(t, b, modelSnapshot(model))
	return b
}

// Sizes that would overflow never leave a wrapped, negative level: the
// book refuses them and goes stale until the next snapshot.
func TestOverflowingLevelsMakeTheBookStale(t *testing.T) {
	max := money.CountFromHundredths(math.MaxInt64)
	price := money.MustDollars("0.40")
	snap := &ws.OrderbookSnapshot{MarketTicker: "M", Yes: []orderbook.Level{{Price: price, Count: max}, {Price: price, Count: max}}}

	b := orderbook.NewBook("M")
	err := b.ApplySnapshot(snap)
	if !errors.Is(err, orderbook.ErrOverflow) {
		t.Fatalf("two maximum levels at one price: %v, want ErrOverflow", err)
	}
	if b.Ready() {
		t.Error("a book whose snapshot was refused is not ready")
	}
	if best, ok := b.BestYesBid(); ok && best.Count.Sign() < 0 {
		t.Errorf("best bid %v has a negative size", best)
	}

	b = orderbook.NewBook("M")
	if err := b.ApplySnapshot(&ws.OrderbookSnapshot{MarketTicker: "M", Yes: []orderbook.Level{{Price: price, Count: max}}}); err != nil {
		t.Fatal(err)
	}
	err = b.ApplyDelta(&ws.OrderbookDelta{MarketTicker: "M", Side: orderbook.Yes, Price: price, Delta: money.MustCount("0.02")})
	if !errors.Is(err, orderbook.ErrOverflow) {
		t.Fatalf("a delta past the maximum: %v, want ErrOverflow", err)
	}
	if b.Ready() {
		t.Error("a book that refused an overflowing delta is not ready")
	}
	if best, _ := b.BestYesBid(); best.Count.Sign() < 0 {
		t.Errorf("best bid %v has a negative size", best)
	}
	if err := b.ApplySnapshot(&ws.OrderbookSnapshot{MarketTicker: "M", Yes: []orderbook.Level{{Price: price, Count: money.MustCount("5")}}}); err != nil || !b.Ready() {
		t.Errorf("a fresh snapshot makes the book ready again: %v", err)
	}
}
