package ws

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var deltaCorpus = []string{
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"KXA-26JUN11-X","market_id":"f5ed38e2-0991-4c8f-817e-08c4fd9cbfdb","price_dollars":"0.5200","delta_fp":"-1.00","side":"no","ts":"2026-06-11T06:29:47.354803Z","ts_ms":1781159387354}}`,
	`{"type":"orderbook_delta","sid":7,"seq":99,"msg":{"market_ticker":"A","market_id":"m","price_dollars":"0.0010","delta_fp":"2002.37","side":"yes"}}`,
	` { "msg" : { "side" : "yes" , "delta_fp" : "5" , "price_dollars" : "1" , "market_ticker" : "B" , "market_id" : "m" , "client_order_id" : "c" , "subaccount" : 3 } , "seq" : 1 , "sid" : 2 , "type" : "orderbook_delta" } `,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"A","market_id":"m","price_dollars":"0.5","delta_fp":"1","side":"no","ts":"2026-06-11T06:29:47Z"}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"A","market_id":"m","price_dollars":"0.5","delta_fp":"1","side":"no","ts":"2026-06-11T06:29:47+02:00"}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"A","price_dollars":"","delta_fp":"","side":"maybe"}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"A\u0042","price_dollars":"0.5","delta_fp":"1","side":"no"}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"A","price":50,"delta":1,"side":"no"}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"A","price_dollars":0.5,"delta_fp":1,"side":"no"}}`,
	`{"type":"orderbook_delta","sid":1.0,"seq":2,"msg":{}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"price_dollars":"0.1234567"}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"ts":"2026-02-30T00:00:00Z"}}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":null}`,
	`{"type":"orderbook_delta","sid":1,"seq":2}`,
	`{"type":"orderbook_delta","sid":1,"seq":2,"msg":{}} x`,
	`{"type":"ticker","sid":1,"msg":{}}`,
}

// decodeBoth runs the fast path and the general decoder; when the fast path accepts a frame
// both must give the same message.
func decodeBoth(t *testing.T, frame []byte) (fast bool) {
	t.Helper()
	f, ok := decodeDeltaFast(frame)
	g, err := decodeGeneral(frame)
	if !ok {
		return false
	}
	if err != nil {
		t.Fatalf("fast path accepted %q, general decoder failed: %v", frame, err)
	}
	if !reflect.DeepEqual(Message(f), g) {
		t.Fatalf("paths disagree on %q:\nfast    %#v\ngeneral %#v", frame, f, g)
	}
	return true
}

func TestFastDeltaAgreesWithGeneralDecoder(t *testing.T) {
	t.Parallel()
	accepted := 0
	for _, frame := range deltaCorpus {
		if decodeBoth(t, []byte(frame)) {
			accepted++
		}
	}
	if accepted < 4 {
		t.Errorf("fast path accepted only %d of the corpus frames", accepted)
	}
}

func TestFastDeltaOnFixtures(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs(filepath.Join("..", "..", "shared", "fixtures", "ws_orderbook_delta"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Skipf("no recorded orderbook_delta frames at %s (../shared beside the repository is absent in a plain clone)", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !decodeBoth(t, b) && !strings.Contains(string(b), "\n") {
			t.Errorf("fast path refused the recorded frame %s", filepath.Base(f))
		}
	}
}

func FuzzFastDelta(f *testing.F) {
	for _, frame := range deltaCorpus {
		f.Add([]byte(frame))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		decodeBoth(t, frame)
	})
}

func BenchmarkDecodeDelta(b *testing.B) {
	frame := []byte(deltaCorpus[0])
	for _, tc := range []struct {
		name string
		dec  func([]byte) (Message, error)
	}{{"fast", Decode}, {"general", decodeGeneral}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tc.dec(frame); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}

func ExampleDecode_delta() {
	m, _ := Decode([]byte(deltaCorpus[0]))
	d := m.(*OrderbookDelta)
	fmt.Println(d.MarketTicker, d.Side, d.Price, d.Delta, d.Seq)
	// Output: KXA-26JUN11-X no 0.5200 -1.00 2
}
