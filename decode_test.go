package kalshi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	fastjson "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/spectest"
	"github.com/seed-c9ca4919/kalshi/money"
)

// driftLog collects drift reports safely.
type driftLog struct {
	mu     sync.Mutex
	drifts []kalshi.Drift
}

func (l *driftLog) report(d kalshi.Drift) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.drifts = append(l.drifts, d)
}

func (l *driftLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, len(l.drifts))
	for i, d := range l.drifts {
		out[i] = d.String()
	}
	sort.Strings(out)
	l.drifts = nil
	return out
}

// serveFixture answers every request with body and status, and returns a
// signed client for it.
func serveFixture(t *testing.T, status int, body []byte, opts ...kalshi.Option) *kalshi.Client {
	t.Helper()
	ts := newTestServer(t)
	ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
	signer, _ := newSigner(t)
	c, err := kalshi.New(append([]kalshi.Option{kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithRetry(kalshi.NoRetry())}, opts...)...)
	require.NoError(t, err)
	return c
}

// callOperation calls the operation's method on c with sample arguments
// and returns the decoded success value.
func callOperation(t *testing.T, c *kalshi.Client, op string) (reflect.Value, error) {
	t.Helper()
	m, ok := spectest.Method(c, op, "")
	require.True(t, ok, "no %s on the client", op)
	args, err := spectest.Args(context.Background(), m)
	require.NoError(t, err)
	out := m.Call(args)
	if err, _ := out[1].Interface().(error); err != nil {
		return reflect.Value{}, err
	}
	return out[0], nil
}

// TestEveryRecordedResponseDecodes sends every recorded body of kind
// response, item or array through the real client, the way users receive
// them. Items and bare arrays are wrapped in their operation's list.
func TestEveryRecordedResponseDecodes(t *testing.T) {
	t.Parallel()
	dir, rows := spectest.Fixtures(t)
	checked := 0
	for _, row := range rows {
		if row.Operation == "legacy" || (row.Kind != "response" && row.Kind != "item" && row.Kind != "array") {
			continue
		}
		t.Run(row.File, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(dir, row.File))
			require.NoError(t, err)
			if row.Kind != "response" {
				body = wrapInList(t, row, body)
			}
			log := &driftLog{}
			c := serveFixture(t, row.Status, body, kalshi.WithDriftReporter(log.report))
			success, err := callOperation(t, c, row.Operation)
			require.NoError(t, err)
			require.False(t, success.IsNil(), "the body decoded into the success type")
			for _, d := range log.take() {
				assert.NotContains(t, d, string(kalshi.DriftTypeMismatch), "recorded bodies decode without conversions")
			}
		})
		checked++
	}
	assert.GreaterOrEqual(t, checked, 20, "too few recorded bodies were checked")
}

// wrapInList puts a recorded list item (or bare list) into the list field
// of its operation's response whose elements are of the recorded schema.
func wrapInList(t *testing.T, row spectest.ManifestRow, body []byte) []byte {
	t.Helper()
	c, err := kalshi.New()
	require.NoError(t, err)
	m, ok := spectest.Method(c, row.Operation, "")
	require.True(t, ok)
	bodyType := m.Type().Out(0).Elem()
	for i := 0; i < bodyType.NumField(); i++ {
		f := bodyType.Field(i)
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Slice && strings.EqualFold(ft.Elem().Name(), row.Schema) {
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			list := strings.TrimSpace(string(body))
			if row.Kind == "item" {
				list = "[" + list + "]"
			}
			return []byte(fmt.Sprintf(`{%q:%s}`, name, list))
		}
	}
	t.Fatalf("%s: no list of %s in %s", row.File, row.Schema, bodyType)
	return nil
}

// TestRecordedDriftIsReportedExactly: the recorded bodies carry fields the
// spec does not declare; the reporter names each, once, by path.
func TestRecordedDriftIsReportedExactly(t *testing.T) {
	t.Parallel()
	dir, _ := spectest.Fixtures(t)
	cases := []struct {
		file, op string
		want     []string
	}{
		{"market/fortuna_tennis_KXWTACHALLENGERMATCH_demo.json", "GetMarket", []string{
			"GetMarket $.market.fractional_trading_enabled: undeclared field",
		}},
		{"portfolio_positions/fortuna_demo_2026-06-11.json", "GetPositions", []string{
			"GetPositions $.market_positions[*].resting_orders_count: undeclared field",
		}},
	}
	for _, tc := range cases {
		body, err := os.ReadFile(filepath.Join(dir, tc.file))
		require.NoError(t, err)
		log := &driftLog{}
		c := serveFixture(t, 200, body, kalshi.WithDriftReporter(log.report))
		_, err = callOperation(t, c, tc.op)
		require.NoError(t, err)
		got := log.take()
		for _, w := range tc.want {
			assert.Contains(t, got, w, tc.file)
		}
		assert.Equal(t, recordedDrift[tc.file], got, "%s: the full report", tc.file)
	}
}

// recordedDrift is the complete drift of two recorded bodies against spec
// 3.31.0, checked by hand against the files.
var recordedDrift = map[string][]string{
	"market/fortuna_tennis_KXWTACHALLENGERMATCH_demo.json": {
		"GetMarket $.market.fractional_trading_enabled: undeclared field",
		"GetMarket $.market.liquidity_dollars: undeclared field",
		"GetMarket $.market.response_price_units: undeclared field",
		"GetMarket $.market.settlement_bounds_type: missing required field",
	},
	"portfolio_positions/fortuna_demo_2026-06-11.json": {
		"GetPositions $.market_positions[*].exchange_index: missing required field",
		"GetPositions $.market_positions[*].resting_orders_count: undeclared field",
	},
}

// TestDeviationsDecode covers the classes of deviation real responses
// show, not just the recorded files: numbers and strings swapped, empty
// strings for prices and times, nulls, zero times, int or float strikes.
func TestDeviationsDecode(t *testing.T) {
	t.Parallel()
	market := func(extra string) []byte {
		return []byte(`{"cursor":"","markets":[{"ticker":"KX-1","event_ticker":"KX","status":"active",` + extra + `}]}`)
	}
	cases := []struct {
		name   string
		body   []byte
		check  func(t *testing.T, r *gen.GetMarketsResponse)
		drifts []string
	}{
		{"floor strike as integer", market(`"floor_strike":3`), func(t *testing.T, r *gen.GetMarketsResponse) {
			require.NotNil(t, r.Markets[0].FloorStrike)
			assert.Equal(t, 3.0, *r.Markets[0].FloorStrike)
		}, nil},
		{"floor strike as float", market(`"floor_strike":3.5`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.Equal(t, 3.5, *r.Markets[0].FloorStrike)
		}, nil},
		{"empty price string", market(`"yes_bid_dollars":"","yes_ask_dollars":"0.5600"`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.True(t, r.Markets[0].YesBidDollars.IsZero())
			assert.Equal(t, money.MustDollars("0.56"), r.Markets[0].YesAskDollars)
		}, nil},
		{"price as a number", market(`"yes_ask_dollars":0.56`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.Equal(t, money.MustDollars("0.56"), r.Markets[0].YesAskDollars)
		}, []string{"GetMarkets $.markets[*].yes_ask_dollars: type mismatch (got number, declared string)"}},
		{"null list", []byte(`{"cursor":"","markets":null}`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.Empty(t, r.Markets)
		}, nil},
		{"zero time", market(`"close_time":"0001-01-01T00:00:00Z"`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.True(t, r.Markets[0].CloseTime.IsZero())
		}, nil},
		{"empty time", market(`"close_time":"","open_time":"2026-06-11T05:39:29Z"`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.True(t, r.Markets[0].CloseTime.IsZero())
			assert.Equal(t, time.Date(2026, 6, 11, 5, 39, 29, 0, time.UTC), r.Markets[0].OpenTime.UTC())
		}, []string{"GetMarkets $.markets[*].close_time: type mismatch (empty string for a date-time)"}},
		{"time as unix seconds", market(`"close_time":1781159348`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.Equal(t, int64(1781159348), r.Markets[0].CloseTime.Unix())
		}, []string{"GetMarkets $.markets[*].close_time: type mismatch (got number, declared string)"}},
		{"number where a string is declared", market(`"event_ticker":12345`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.Equal(t, "12345", r.Markets[0].EventTicker)
		}, []string{"GetMarkets $.markets[*].event_ticker: type mismatch (got number, declared string)"}},
		{"string where an integer is declared", market(`"settlement_timer_seconds":"12"`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.EqualValues(t, 12, r.Markets[0].SettlementTimerSeconds)
		}, []string{"GetMarkets $.markets[*].settlement_timer_seconds: type mismatch (got string, declared integer)"}},
		{"fraction where an integer is declared", market(`"settlement_timer_seconds":12.0`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.EqualValues(t, 12, r.Markets[0].SettlementTimerSeconds)
		}, []string{"GetMarkets $.markets[*].settlement_timer_seconds: type mismatch (got a decimal number, declared integer)"}},
		{"string where a boolean is declared", market(`"can_close_early":"true"`), func(t *testing.T, r *gen.GetMarketsResponse) {
			assert.True(t, r.Markets[0].CanCloseEarly)
		}, []string{"GetMarkets $.markets[*].can_close_early: type mismatch (got string, declared boolean)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			log := &driftLog{}
			c := serveFixture(t, 200, tc.body, kalshi.WithDriftReporter(log.report))
			r, err := c.GetMarkets(context.Background(), nil)
			require.NoError(t, err)
			require.NotNil(t, r)
			tc.check(t, r)
			var mismatches []string
			for _, d := range log.take() {
				if strings.Contains(d, string(kalshi.DriftTypeMismatch)) {
					mismatches = append(mismatches, d)
				}
			}
			assert.Equal(t, tc.drifts, mismatches)
		})
	}
}

func TestUndecodableBodyIsAnError(t *testing.T) {
	t.Parallel()
	c := serveFixture(t, 200, []byte(`{"cursor":"","markets":[{"ticker":`))
	_, err := c.GetMarkets(context.Background(), nil)
	require.Error(t, err)
	c = serveFixture(t, 200, []byte(`[1,2,3]`))
	_, err = c.GetMarkets(context.Background(), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "GetMarkets")
}

func TestDriftReporterIsOffByDefault(t *testing.T) {
	t.Parallel()
	body := []byte(`{"cursor":"","markets":[{"ticker":"KX-1","brand_new_field":1}]}`)
	c := serveFixture(t, 200, body)
	r, err := c.GetMarkets(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "KX-1", r.Markets[0].Ticker)

	log := &driftLog{}
	c = serveFixture(t, 200, body, kalshi.WithDriftReporter(log.report))
	_, err = c.GetMarkets(context.Background(), nil)
	require.NoError(t, err)
	got := log.take()
	assert.Contains(t, got, "GetMarkets $.markets[*].brand_new_field: undeclared field")
	assert.Contains(t, got, "GetMarkets $.markets[*].event_ticker: missing required field")
	var d kalshi.Drift
	require.NoError(t, json.Unmarshal([]byte(`{}`), &d))
}

// The client reuses the buffers of decoded answers, which is safe only if
// nothing decoded refers to the buffer: every recorded body, decoded into
// its operation's type, keeps its values after the buffer is overwritten.
func TestDecodedValuesDoNotAliasTheBody(t *testing.T) {
	t.Parallel()
	dir, rows := spectest.Fixtures(t)
	c, err := kalshi.New()
	require.NoError(t, err)
	checked := 0
	for _, row := range rows {
		if row.Kind != "response" || row.Operation == "legacy" {
			continue
		}
		m, ok := spectest.Method(c, row.Operation, "")
		if !ok {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, row.File))
		require.NoError(t, err)
		typ := m.Type().Out(0).Elem()
		buf := append([]byte(nil), body...)
		got := reflect.New(typ)
		if fastjson.Unmarshal(buf, got.Interface()) != nil {
			continue // a drifting body: decoded on the lenient path, from a copy
		}
		for i := range buf {
			buf[i] = 'x'
		}
		want := reflect.New(typ)
		require.NoError(t, fastjson.Unmarshal(body, want.Interface()))
		assert.Equal(t, want.Interface(), got.Interface(), "%s: a decoded value changed with the buffer", row.File)
		checked++
	}
	assert.Greater(t, checked, 10)

	// The kinds of field the recorded bodies may lack: free-form objects,
	// raw JSON, escaped strings, pointers.
	type kinds struct {
		Free    map[string]any  `json:"free"`
		List    []any           `json:"list"`
		Raw     json.RawMessage `json:"raw"`
		Escaped string          `json:"escaped"`
		Ptr     *string         `json:"ptr"`
		Price   money.Dollars   `json:"price"`
		At      time.Time       `json:"at"`
	}
	body := []byte(`{"free":{"a":"b","n":[1,"x"]},"list":["s",{"k":"v"}],"raw":{"keep":"me"},"escaped":"a\nb\u00e9","ptr":"p","price":"0.5600","at":"2026-06-11T06:10:00.733307Z"}`)
	buf := append([]byte(nil), body...)
	var got, want kinds
	require.NoError(t, fastjson.Unmarshal(buf, &got))
	for i := range buf {
		buf[i] = 'x'
	}
	require.NoError(t, fastjson.Unmarshal(body, &want))
	assert.Equal(t, want, got)
}
