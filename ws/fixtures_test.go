package ws_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/internal/spectest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

type wsFixture struct {
	file, typ string
}

// wsFixtures lists the manifest rows of kind ws.
func wsFixtures(t *testing.T) (string, []wsFixture) {
	dir, rows := spectest.Fixtures(t)
	var out []wsFixture
	for _, r := range rows {
		if r.Kind == "ws" {
			out = append(out, wsFixture{file: r.File, typ: r.Schema})
		}
	}
	if len(out) == 0 {
		t.Fatal("manifest lists no ws fixtures")
	}
	return dir, out
}

// decodeFixture decodes a recorded frame, or a recorded bare body of the manifest's type.
func decodeFixture(t *testing.T, dir string, fx wsFixture) (ws.Message, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, fx.file))
	if err != nil {
		t.Fatal(err)
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(b, &probe); err != nil {
		t.Fatalf("%s: not a JSON object: %v", fx.file, err)
	}
	if _, framed := probe["type"]; framed {
		m, err := ws.Decode(b)
		if err != nil {
			t.Fatalf("%s: Decode: %v", fx.file, err)
		}
		return m, b
	}
	m, err := ws.DecodeMsg(fx.typ, b)
	if err != nil {
		t.Fatalf("%s: DecodeMsg(%q): %v", fx.file, fx.typ, err)
	}
	return m, b
}

// TestFixturesDecode decodes every recorded ws frame: each must come back as the typed
// message of its manifest type, with no field left undecoded, and encode back to a frame
// that decodes to the same value.
func TestFixturesDecode(t *testing.T) {
	t.Parallel()
	dir, fixtures := wsFixtures(t)
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			t.Parallel()
			m, _ := decodeFixture(t, dir, fx)
			if _, raw := m.(*ws.RawMessage); raw {
				t.Fatalf("%s decoded as RawMessage; want a typed %s", fx.file, fx.typ)
			}
			if got := m.Header().Type; got != fx.typ {
				t.Errorf("type %q, want %q", got, fx.typ)
			}
			if w := m.Header().Warnings; len(w) > 0 {
				t.Errorf("warnings: %v", w)
			}
			again, err := ws.Encode(m)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			m2, err := ws.Decode(again)
			if err != nil {
				t.Fatalf("Decode(Encode): %v", err)
			}
			assertSameMessage(t, m, m2)
		})
	}
}

// assertSameMessage compares two messages by their encoded frames.
func assertSameMessage(t *testing.T, a, b ws.Message) {
	t.Helper()
	ea, err := ws.Encode(a)
	if err != nil {
		t.Fatal(err)
	}
	eb, err := ws.Encode(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ea, eb) {
		t.Errorf("messages differ:\n%s\n%s", ea, eb)
	}
}

// TestFixtureValues checks decoded values of each recorded frame, not just that it decodes.
func TestFixtureValues(t *testing.T) {
	t.Parallel()
	dir, fixtures := wsFixtures(t)
	byFile := map[string]ws.Message{}
	for _, fx := range fixtures {
		m, _ := decodeFixture(t, dir, fx)
		byFile[fx.file] = m
	}
	get := func(name string) ws.Message {
		t.Helper()
		m, ok := byFile[name]
		if !ok {
			t.Skipf("fixture %s not in the manifest", name)
		}
		return m
	}
	d := money.MustDollars
	c := money.MustCount

	t.Run("delta", func(t *testing.T) {
		m := get("ws_orderbook_delta/fortuna_demo_no_negative.json").(*ws.OrderbookDelta)
		wantHeader(t, m, "orderbook_delta", 1, 2)
		if m.MarketTicker != "KXWTACHALLENGERMATCH-26JUN11JIMLEP-LEP" || m.Side != ws.No ||
			m.Price != d("0.52") || m.Delta != c("-1") {
			t.Errorf("got %+v", m)
		}
		want := time.Date(2026, 6, 11, 6, 29, 47, 354803000, time.UTC)
		if !m.TS.Time.Equal(want) || !m.TS.RFC3339 || m.TSMs != 1781159387354 {
			t.Errorf("ts %v (rfc3339 %v) ts_ms %d", m.TS.Time, m.TS.RFC3339, m.TSMs)
		}
		y := get("ws_orderbook_delta/fortuna_demo_noleg_yes_negative.json").(*ws.OrderbookDelta)
		if y.Side != ws.Yes || y.Price != d("0.47") || y.Delta != c("-3.00") {
			t.Errorf("got %+v", y)
		}
	})
	t.Run("snapshot", func(t *testing.T) {
		m := get("ws_orderbook_snapshot/fortuna_demo_one_level_each_side.json").(*ws.OrderbookSnapshot)
		wantHeader(t, m, "orderbook_snapshot", 1, 1)
		if len(m.Yes) != 1 || m.Yes[0] != (ws.Level{Price: d("0.47"), Count: c("3")}) ||
			len(m.No) != 1 || m.No[0] != (ws.Level{Price: d("0.52"), Count: c("1")}) {
			t.Errorf("got yes %v no %v", m.Yes, m.No)
		}
		b := get("ws_orderbook_snapshot/organics_msg_only_KXBTC15M-26MAY110530-30.json").(*ws.OrderbookSnapshot)
		if b.MarketTicker != "KXBTC15M-26MAY110530-30" || len(b.No) < 100 || len(b.Yes) != 14 {
			t.Fatalf("got %s with %d yes, %d no levels", b.MarketTicker, len(b.Yes), len(b.No))
		}
		if b.No[0] != (ws.Level{Price: d("0.001"), Count: c("2002")}) ||
			b.No[9] != (ws.Level{Price: d("0.01"), Count: c("715.76")}) ||
			b.Yes[13] != (ws.Level{Price: d("0.017"), Count: c("81.01")}) {
			t.Errorf("levels: no[0] %v no[9] %v yes[13] %v", b.No[0], b.No[9], b.Yes[13])
		}
	})
	t.Run("subscribed", func(t *testing.T) {
		m := get("ws_subscribed/fortuna_trade_sid2_demo.json").(*ws.Subscribed)
		if m.ID != 1 || m.Channel != "trade" || m.SID != 2 {
			t.Errorf("got %+v", m)
		}
		o := get("ws_subscribed/organics_ticker_sid1_2026-05-11.json").(*ws.Subscribed)
		if o.ID != 1 || o.Channel != "ticker" || o.SID != 1 {
			t.Errorf("got %+v", o)
		}
	})
	t.Run("lifecycle", func(t *testing.T) {
		m := get("ws_market_lifecycle_v2/ssmd_determined_2026-07-19.json").(*ws.MarketLifecycle)
		wantHeader(t, m, "market_lifecycle_v2", 1, 279597)
		if m.EventType != ws.LifecycleDetermined || m.Result != "no" || m.SettlementValue == nil ||
			*m.SettlementValue != d("0") || m.DeterminationTS.Time.Unix() != 1784501722 || m.DeterminationTS.RFC3339 {
			t.Errorf("got %+v", m)
		}
		s := get("ws_market_lifecycle_v2/ssmd_settled_2026-07-19.json").(*ws.MarketLifecycle)
		if s.EventType != ws.LifecycleSettled || s.SettledTS.Time.Unix() != 1784500206 || s.SettlementValue != nil {
			t.Errorf("got %+v", s)
		}
	})
	t.Run("ticker", func(t *testing.T) {
		m := get("ws_ticker/ssmd_KXBTC15M_fractional_dollar_format_2026-07-19.json").(*ws.Ticker)
		wantHeader(t, m, "ticker", 1, 0)
		if m.Price != d("0.999") || m.YesAsk != d("1") || !m.YesBid.IsZero() || m.LastTradeSize != c("0.11") ||
			m.OpenInterest != c("618700.14") || m.Volume != c("2233487.48") || m.DollarVolume != 1116743 ||
			m.TS.Time.Unix() != 1784475900 || m.TSMs != 1784475900544 || !m.Time.RFC3339 {
			t.Errorf("got %+v", m)
		}
		l := get("ws_ticker/ssmd_legacy_cents_plus_dollars_prod.json").(*ws.Ticker)
		if l.Price != d("0.12") || l.YesBid != d("0.11") || l.YesAsk != d("0.12") ||
			l.Volume != c("351970") || l.OpenInterest != c("182646") || l.DollarOpenInterest != 91323 {
			t.Errorf("legacy: got %+v", l)
		}
		z := get("ws_ticker/ssmd_zero_price_empty_price_dollars.json").(*ws.Ticker)
		if !z.Price.IsZero() || z.YesBid != d("0.37") || z.YesAsk != d("0.43") {
			t.Errorf("empty price: got %+v", z)
		}
	})
	t.Run("trade", func(t *testing.T) {
		m := get("ws_trade/ssmd_new_format_KXBTCD_2026-03-12.json").(*ws.Trade)
		wantHeader(t, m, "trade", 2, 2573)
		if m.YesPrice != d("0.89") || m.NoPrice != d("0.11") || m.Count != c("3") || m.TakerSide != ws.Yes ||
			m.TS.Time.Unix() != 1773331880 {
			t.Errorf("got %+v", m)
		}
	})
}

func wantHeader(t *testing.T, m ws.Message, typ string, sid, seq int64) {
	t.Helper()
	h := m.Header()
	if h.Type != typ || h.SID != sid || h.Seq != seq {
		t.Errorf("header %s sid %d seq %d, want %s sid %d seq %d", h.Type, h.SID, h.Seq, typ, sid, seq)
	}
}
