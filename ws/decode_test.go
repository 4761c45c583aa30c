package ws_test

import (
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// One frame of every message type of every channel in Kalshi's AsyncAPI description, with
// values made up here. Each must decode to its Go type and survive Encode unchanged.
var everyType = []struct {
	frame string
	want  any
}{
	{`{"type":"subscribed","id":3,"msg":{"channel":"fill","sid":9}}`, &ws.Subscribed{}},
	{`{"type":"unsubscribed","id":4,"sid":9,"seq":12}`, &ws.Unsubscribed{}},
	{`{"type":"ok","id":5,"sid":2,"seq":8,"msg":{"market_tickers":["A-1","B-2"]}}`, &ws.OK{}},
	{`{"type":"ok","id":6,"msg":[{"channel":"ticker","sid":1},{"channel":"fill","sid":4}]}`, &ws.OK{}},
	{`{"type":"ok","id":7,"sid":3,"seq":2,"msg":{"index_ids":["all"]}}`, &ws.OK{}},
	{`{"type":"ok","id":8,"sid":3,"seq":2,"msg":{"underlying_tickers":["Metal.XAG/USD"]}}`, &ws.OK{}},
	{`{"type":"error","id":9,"msg":{"code":8,"msg":"Unknown channel name"}}`, &ws.Error{}},
	{`{"type":"error","sid":2,"seq":40,"msg":{"code":25,"msg":"Subscription buffer overflow","market_ticker":"A-1"}}`, &ws.Error{}},
	{`{"type":"orderbook_snapshot","sid":2,"seq":1,"msg":{"market_ticker":"A-1","market_id":"0b9a5e7c-1111-4222-8333-944445555666","yes_dollars_fp":[["0.1000","5.00"],["0.1200","7.50"]],"no_dollars_fp":[["0.8100","1.00"]]}}`, &ws.OrderbookSnapshot{}},
	{`{"type":"orderbook_snapshot","id":14,"sid":2,"seq":9,"msg":{"market_ticker":"A-1","market_id":"0b9a5e7c-1111-4222-8333-944445555666"}}`, &ws.OrderbookSnapshot{}},
	{`{"type":"orderbook_delta","sid":2,"seq":2,"msg":{"market_ticker":"A-1","market_id":"0b9a5e7c-1111-4222-8333-944445555666","price_dollars":"0.1000","delta_fp":"2.50","side":"yes","client_order_id":"c-1","subaccount":2,"ts":"2026-01-02T03:04:05.123Z","ts_ms":1767323045123}}`, &ws.OrderbookDelta{}},
	{`{"type":"ticker","sid":1,"msg":{"market_id":"m","market_ticker":"A-1","price_dollars":"0.3300","yes_bid_dollars":"0.3200","yes_ask_dollars":"0.3400","volume_fp":"10.00","open_interest_fp":"4.00","dollar_volume":3,"dollar_open_interest":-1,"yes_bid_size_fp":"1.00","yes_ask_size_fp":"2.00","last_trade_size_fp":"0.50","ts":1767323045,"ts_ms":1767323045000,"time":"2026-01-02T03:04:05Z"}}`, &ws.Ticker{}},
	{`{"type":"trade","sid":4,"seq":7,"msg":{"trade_id":"t","market_ticker":"A-1","yes_price_dollars":"0.3300","no_price_dollars":"0.6700","count_fp":"2.00","taker_side":"no","taker_outcome_side":"no","taker_book_side":"ask","is_block_trade":true,"ts":1767323045,"ts_ms":1767323045000}}`, &ws.Trade{}},
	{`{"type":"fill","sid":5,"msg":{"trade_id":"t","order_id":"o","client_order_id":"c","market_ticker":"A-1","exchange_index":1,"is_taker":true,"side":"yes","yes_price_dollars":"0.4000","count_fp":"3.00","fee_cost":"0.012500","action":"buy","post_position_fp":"3.00","purchased_side":"yes","outcome_side":"yes","book_side":"bid","subaccount":0,"ts":1767323045,"ts_ms":1767323045000}}`, &ws.Fill{}},
	{`{"type":"market_position","sid":6,"msg":{"user_id":"u","market_ticker":"A-1","position_fp":"-4.00","position_cost_dollars":"1.6000","realized_pnl_dollars":"-0.2000","fees_paid_dollars":"0.0200","position_fee_cost_dollars":"0.0100","volume_fp":"9.00","subaccount":1}}`, &ws.MarketPosition{}},
	{`{"type":"market_lifecycle_v2","sid":7,"seq":3,"msg":{"market_ticker":"A-1","event_type":"created","exchange_index":0,"open_ts":1767323045,"close_ts":1767409445,"additional_metadata":{"name":"n","title":"t","yes_sub_title":"y","no_sub_title":"n","rules_primary":"r","rules_secondary":"","can_close_early":true,"event_ticker":"A","expected_expiration_ts":1767409445,"strike_type":"greater","floor_strike":4487.5},"price_level_structure":"deci_cent","price_ranges":[{"start":"0.0000","end":"1.0000","step":"0.0010"}]}}`, &ws.MarketLifecycle{}},
	{`{"type":"market_lifecycle_v2","sid":7,"seq":4,"msg":{"market_ticker":"A-1","event_type":"metadata_updated","strike_type":"between","floor_strike":95000,"cap_strike":95250,"yes_sub_title":"above"}}`, &ws.MarketLifecycle{}},
	{`{"type":"market_lifecycle_v2","sid":7,"seq":5,"msg":{"market_ticker":"A-1","event_type":"deactivated","is_deactivated":true}}`, &ws.MarketLifecycle{}},
	{`{"type":"event_lifecycle","sid":7,"seq":6,"msg":{"event_ticker":"A","exchange_index":0,"title":"t","subtitle":"s","collateral_return_type":"","series_ticker":"S","strike_date":1767409445,"strike_period":"day"}}`, &ws.EventLifecycle{}},
	{`{"type":"event_fee_update","sid":7,"seq":7,"msg":{"event_ticker":"A","fee_type_override":"flat","fee_multiplier_override":0.5}}`, &ws.EventFeeUpdate{}},
	{`{"type":"event_fee_update","sid":7,"seq":8,"msg":{"event_ticker":"A","fee_type_override":null,"fee_multiplier_override":null}}`, &ws.EventFeeUpdate{}},
	{`{"type":"multivariate_market_lifecycle","sid":8,"seq":1,"msg":{"market_ticker":"KXMVE-A","event_type":"settled","settled_ts":1767409445}}`, &ws.MultivariateMarketLifecycle{}},
	{`{"type":"rfq_created","sid":9,"seq":1,"msg":{"id":"r","creator_id":"c","market_ticker":"A-1","event_ticker":"A","target_cost_dollars":"10.0000","created_ts":"2026-01-02T03:04:05Z","mve_collection_ticker":"K","mve_selected_legs":[{"event_ticker":"E","market_ticker":"E-1","side":"no","yes_settlement_value_dollars":"1.0000"}]}}`, &ws.RFQCreated{}},
	{`{"type":"rfq_deleted","sid":9,"seq":2,"msg":{"id":"r","creator_id":"c","market_ticker":"A-1","contracts_fp":"5.00","deleted_ts":"2026-01-02T03:04:06Z"}}`, &ws.RFQDeleted{}},
	{`{"type":"quote_created","sid":9,"seq":3,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"x","rfq_creator_id":"c","market_ticker":"A-1","yes_bid_dollars":"0.3000","no_bid_dollars":"0.6000","yes_contracts_offered_fp":"5.00","created_ts":"2026-01-02T03:04:07Z","subaccount":1}}`, &ws.QuoteCreated{}},
	{`{"type":"quote_accepted","sid":9,"seq":4,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"x","rfq_creator_id":"c","market_ticker":"A-1","yes_bid_dollars":"0.3000","no_bid_dollars":"0.6000","accepted_side":"yes","contracts_accepted_fp":"5.00"}}`, &ws.QuoteAccepted{}},
	{`{"type":"quote_executed","sid":9,"seq":5,"msg":{"quote_id":"q","rfq_id":"r","quote_creator_id":"x","rfq_creator_id":"c","order_id":"o","client_order_id":"co","market_ticker":"A-1","executed_ts":"2026-01-02T03:04:08Z"}}`, &ws.QuoteExecuted{}},
	{`{"type":"order_group_updates","sid":10,"seq":1,"msg":{"event_type":"limit_updated","order_group_id":"g","contracts_limit_fp":"150.00","ts_ms":1767323045000}}`, &ws.OrderGroupUpdate{}},
	{`{"type":"user_order","sid":11,"msg":{"order_id":"o","user_id":"u","ticker":"A-1","exchange_index":2,"status":"resting","side":"yes","is_yes":true,"outcome_side":"yes","book_side":"bid","yes_price_dollars":"0.3500","fill_count_fp":"0.00","remaining_count_fp":"10.00","initial_count_fp":"10.00","taker_fill_cost_dollars":"0.000000","maker_fill_cost_dollars":"0.000000","taker_fees_dollars":"0.000000","maker_fees_dollars":"0.000000","client_order_id":"c","order_group_id":"g","self_trade_prevention_type":"maker","created_time":"2026-01-02T03:04:05Z","created_ts_ms":1767323045000,"expiration_time":"2026-01-02T04:04:05Z","expiration_ts_ms":1767326645000,"last_update_reason":"Trade","subaccount_number":0}}`, &ws.UserOrder{}},
	{`{"type":"cfbenchmarks_value","sid":12,"seq":42,"msg":{"index_id":"BRTI","received_at":1767323045123,"data":"{\"id\":\"BRTI\"}","avg_60s_data":{"value":"68000.12000000","window_size":3,"window_start_ts_ms":1767322985123,"window_end_ts_exclusive":1767323045123},"last_60s_windowed_average_15min":{"value":"68000.23000000","window_size":14,"window_start_ts_ms":1767323000000,"window_end_ts_exclusive":1767323045123}}}`, &ws.CFBenchmarksValue{}},
	{`{"type":"cfbenchmarks_value_indexlist","id":2,"sid":12,"seq":1,"msg":{"index_ids":["BRTI","ETHUSD_RTI"]}}`, &ws.CFBenchmarksIndexList{}},
	{`{"type":"cfbenchmarks_value_5hz","sid":13,"seq":1,"msg":{"index_id":"BRTI","value_usd":"68000.12000000","source_ts_ms":1767323045323,"received_at":1767323045341,"data":"{}"}}`, &ws.CFBenchmarksValue5Hz{}},
	{`{"type":"cfbenchmarks_value_5hz_indexlist","id":3,"sid":13,"seq":2,"msg":{"index_ids":["BRTI"]}}`, &ws.CFBenchmarksIndexList{}},
	{`{"type":"pyth_value","sid":14,"seq":42,"msg":{"underlying_ticker":"Metal.XAU/USD","value_usd":"2412.12345000","source_ts_ms":1767323045100,"received_at":1767323045123}}`, &ws.PythValue{}},
	{`{"type":"pyth_value_underlying_list","id":2,"sid":14,"seq":1,"msg":{"underlying_tickers":["Metal.XAU/USD"]}}`, &ws.PythUnderlyingList{}},
}

func TestDecodeEveryType(t *testing.T) {
	t.Parallel()
	for _, tc := range everyType {
		name := strings.SplitN(tc.frame[9:], `"`, 2)[0]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, err := ws.Decode([]byte(tc.frame))
			if err != nil {
				t.Fatal(err)
			}
			if reflect.TypeOf(m) != reflect.TypeOf(tc.want) {
				t.Fatalf("decoded %T, want %T", m, tc.want)
			}
			if w := m.Header().Warnings; w != nil {
				t.Errorf("warnings: %v", w)
			}
			// Encode gives back the same frame, member for member.
			enc, err := ws.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			assertJSONEqual(t, tc.frame, string(enc))
		})
	}
}

func assertJSONEqual(t *testing.T, want, got string) {
	t.Helper()
	var a, b any
	if err := json.Unmarshal([]byte(want), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(got), &b); err != nil {
		t.Fatalf("not JSON: %s", got)
	}
	if !sameJSON(a, b) {
		t.Errorf("JSON differs\nwant %s\n got %s", want, got)
	}
}

// sameJSON compares decoded JSON values; decimal strings compare by value, since Kalshi
// writes some amounts with 6 places ("0.012500") that encode canonically ("0.0125").
func sameJSON(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case string:
		y, ok := b.(string)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		rx, okx := new(big.Rat).SetString(x)
		ry, oky := new(big.Rat).SetString(y)
		return okx && oky && rx.Cmp(ry) == 0
	}
	return reflect.DeepEqual(a, b)
}

func TestDecodeDrift(t *testing.T) {
	t.Parallel()
	d, c := money.MustDollars, money.MustCount
	tests := []struct {
		name, frame string
		check       func(t *testing.T, m ws.Message)
	}{
		{"ts as integer seconds on a delta", `{"type":"orderbook_delta","sid":1,"seq":3,"msg":{"market_ticker":"A","market_id":"m","price_dollars":"0.5","delta_fp":"1","side":"no","ts":1781159387}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.OrderbookDelta)
				if x.TS.Time.Unix() != 1781159387 || x.TS.RFC3339 || x.Price != d("0.50") || x.Delta != c("1") {
					t.Errorf("got %+v", x)
				}
			}},
		{"ts as RFC 3339 on a ticker, ts_ms as string", `{"type":"ticker","sid":1,"msg":{"market_ticker":"A","ts":"2026-07-19T15:45:00Z","ts_ms":"1784475900544"}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.Ticker)
				if x.TS.Time.Unix() != 1784475900 || !x.TS.RFC3339 || x.TSMs != 1784475900544 {
					t.Errorf("got %+v", x)
				}
			}},
		{"fractional ts seconds", `{"type":"trade","sid":1,"seq":1,"msg":{"ts":1784475900.5}}`,
			func(t *testing.T, m ws.Message) {
				if got := m.(*ws.Trade).TS.Time; !got.Equal(time.Unix(1784475900, 5e8)) {
					t.Errorf("ts %v", got)
				}
			}},
		{"nulls and empty strings", `{"type":"ticker","sid":1,"msg":{"market_ticker":null,"price_dollars":"","yes_bid_dollars":null,"volume_fp":"","ts":null,"ts_ms":null,"time":""}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.Ticker)
				if x.MarketTicker != "" || !x.Price.IsZero() || !x.YesBid.IsZero() || !x.TS.IsZero() || !x.Time.IsZero() || x.TSMs != 0 {
					t.Errorf("got %+v", x)
				}
				if len(x.Warnings) != 0 {
					t.Errorf("warnings %v", x.Warnings)
				}
			}},
		{"unknown members are ignored", `{"type":"trade","sid":1,"seq":1,"extra":{"a":[1]},"msg":{"trade_id":"t","brand_new":[1,2],"Clock":5,"count_fp":"1.00"}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.Trade)
				if x.TradeID != "t" || x.Count != c("1") || len(x.Warnings) != 0 {
					t.Errorf("got %+v", x)
				}
			}},
		{"legacy cents only", `{"type":"trade","sid":1,"seq":1,"msg":{"yes_price":36,"no_price":64,"count":136}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.Trade)
				if x.YesPrice != d("0.36") || x.NoPrice != d("0.64") || x.Count != c("136") {
					t.Errorf("got %+v", x)
				}
			}},
		{"legacy snapshot in cents", `{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"A","yes":[[8,300],[22,333]]}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.OrderbookSnapshot)
				if len(x.Yes) != 2 || x.Yes[1] != (ws.Level{Price: d("0.22"), Count: c("333")}) || x.No != nil {
					t.Errorf("got %+v", x)
				}
			}},
		{"legacy snapshot in dollars with integer counts", `{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"A","no_dollars":[["0.54",20]]}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.OrderbookSnapshot)
				if len(x.No) != 1 || x.No[0] != (ws.Level{Price: d("0.54"), Count: c("20")}) {
					t.Errorf("got %+v", x)
				}
			}},
		{"legacy delta", `{"type":"orderbook_delta","sid":1,"seq":2,"msg":{"market_ticker":"A","price":96,"delta":-54,"side":"yes"}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.OrderbookDelta)
				if x.Price != d("0.96") || x.Delta != c("-54") {
					t.Errorf("got %+v", x)
				}
			}},
		{"floor_strike as int, float and string", `{"type":"market_lifecycle_v2","sid":1,"seq":1,"msg":{"event_type":"metadata_updated","floor_strike":95000,"cap_strike":"95250.5","additional_metadata":{"floor_strike":69499.99}}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.MarketLifecycle)
				if x.FloorStrike != "95000" || x.CapStrike != "95250.5" || x.AdditionalMetadata.FloorStrike != "69499.99" {
					t.Errorf("got %+v", x)
				}
			}},
		{"numbers as strings and strings as numbers", `{"type":"fill","sid":"5","msg":{"exchange_index":"2","market_ticker":123,"is_taker":"true","count_fp":3}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.Fill)
				if x.SID != 5 || x.ExchangeIndex != 2 || x.MarketTicker != "123" || !x.IsTaker || x.Count != c("3") || len(x.Warnings) != 0 {
					t.Errorf("got %+v warnings %v", x, x.Warnings)
				}
			}},
		{"unusable field is zero and reported", `{"type":"fill","sid":5,"msg":{"order_id":"o","yes_price_dollars":"cheap","is_taker":"sometimes","exchange_index":1.5}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.Fill)
				if x.OrderID != "o" || !x.YesPrice.IsZero() || x.IsTaker || x.ExchangeIndex != 0 || len(x.Warnings) != 3 {
					t.Errorf("got %+v warnings %v", x, x.Warnings)
				}
			}},
		{"drift inside a nested object", `{"type":"market_lifecycle_v2","sid":1,"seq":1,"msg":{"event_type":"created","additional_metadata":{"title":"T","can_close_early":"yes?","expected_expiration_ts":"soon"}}}`,
			func(t *testing.T, m ws.Message) {
				x := m.(*ws.MarketLifecycle)
				if x.AdditionalMetadata == nil || x.AdditionalMetadata.Title != "T" || len(x.Warnings) != 2 {
					t.Errorf("got %+v warnings %v", x.AdditionalMetadata, x.Warnings)
				}
			}},
		{"price with six decimals", `{"type":"fill","sid":5,"msg":{"fee_cost":"0.017510"}}`,
			func(t *testing.T, m ws.Message) {
				if got := m.(*ws.Fill).FeeCost; got != d("0.01751") {
					t.Errorf("fee %v", got)
				}
			}},
		{"body of the wrong shape", `{"type":"ticker","sid":1,"msg":[1,2,3]}`,
			func(t *testing.T, m ws.Message) {
				r := m.(*ws.RawMessage)
				if r.Type != "ticker" || string(r.Msg) != "[1,2,3]" || len(r.Warnings) == 0 {
					t.Errorf("got %+v", r)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m, err := ws.Decode([]byte(tc.frame))
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, m)
		})
	}
}

func TestDecodeUnknownTypeIsRaw(t *testing.T) {
	t.Parallel()
	frame := `{"type":"brand_new_thing","sid":3,"seq":9,"msg":{"x":[1,{"y":"z"}]}}`
	m, err := ws.Decode([]byte(frame))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := m.(*ws.RawMessage)
	if !ok {
		t.Fatalf("got %T", m)
	}
	if r.Type != "brand_new_thing" || r.SID != 3 || r.Seq != 9 || string(r.Msg) != `{"x":[1,{"y":"z"}]}` {
		t.Errorf("got %+v", r)
	}
	enc, err := ws.Encode(r)
	if err != nil {
		t.Fatal(err)
	}
	assertJSONEqual(t, frame, string(enc))
}

func TestDecodeRejectsNonObjects(t *testing.T) {
	t.Parallel()
	for _, frame := range []string{``, `   `, `[]`, `[{"type":"ticker"}]`, `"ticker"`, `42`, `null`, `{"type":`, `heartbeat`} {
		_, err := ws.Decode([]byte(frame))
		if !errors.Is(err, ws.ErrNotObject) {
			t.Errorf("Decode(%q) = %v, want ErrNotObject", frame, err)
		}
	}
}

func TestDecodeMsg(t *testing.T) {
	t.Parallel()
	m, err := ws.DecodeMsg("orderbook_delta", []byte(`{"market_ticker":"A","price_dollars":"0.4400","delta_fp":"-2.00","side":"no"}`))
	if err != nil {
		t.Fatal(err)
	}
	d := m.(*ws.OrderbookDelta)
	if d.Type != "orderbook_delta" || d.Price != money.MustDollars("0.44") || d.Delta != money.MustCount("-2") {
		t.Errorf("got %+v", d)
	}
	if r, _ := ws.DecodeMsg("mystery", []byte(`{"a":1}`)); r.(*ws.RawMessage).Type != "mystery" {
		t.Errorf("unknown type gave %+v", r)
	}
}

func TestEncodeRefusesClientEvents(t *testing.T) {
	t.Parallel()
	if _, err := ws.Encode(&ws.Gap{Envelope: ws.Envelope{Type: ws.TypeGap}}); err == nil {
		t.Error("Encode(*Gap) succeeded")
	}
}

func TestErrorCodes(t *testing.T) {
	t.Parallel()
	for code := ws.ErrorCode(1); code <= 28; code++ {
		want := code == 10 || code == 25
		if code.Terminal() != want {
			t.Errorf("code %d Terminal() = %v", code, !want)
		}
	}
	e := &ws.Error{Code: ws.CodeUnknownChannel, Message: "Unknown channel name"}
	if got := e.Error(); !strings.Contains(got, "8") || !strings.Contains(got, "unknown channel name") {
		t.Errorf("Error() = %q", got)
	}
	var target *ws.Error
	if !errors.As(error(e), &target) || target.Code != 8 {
		t.Error("errors.As failed")
	}
}
