package kalshitest_test

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// eightDecimals is the format of value_usd and the averages.
var eightDecimals = regexp.MustCompile(`^\d+\.\d{8}$`)

// rawFrame is the upstream CF Benchmarks frame carried in data.
type rawFrame struct {
	Type  string `json:"type"`
	ID    string `json:"id"`
	Time  int64  `json:"time"`
	Value string `json:"value"`
}

func parseRaw(t *testing.T, data string) rawFrame {
	t.Helper()
	var f rawFrame
	require.NoError(t, json.Unmarshal([]byte(data), &f), data)
	require.Equal(t, "value", f.Type)
	return f
}

// sameValue reports whether two decimal texts are the same number.
func sameValue(t *testing.T, a, b string) bool {
	t.Helper()
	x, err := strconv.ParseFloat(a, 64)
	require.NoError(t, err)
	y, err := strconv.ParseFloat(b, 64)
	require.NoError(t, err)
	return x == y
}

// TestWSIndexFeeds receives the three index channels as the feed sends
// them: each subscription only the indices or underlyings it named, in
// sequence, with source times that never go back; a 1 Hz value between
// every five 5 Hz ones, carrying the index's latest value; and every
// index to a subscription of "all".
func TestWSIndexFeeds(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, kalshitest.WithIndexInterval(50*time.Millisecond))
	a := dialRaw(t, e.srv, e.signer)
	// One command, so that its three replies come before any value.
	id := a.cmd(ws.CmdSubscribe, map[string]any{
		"channels":  []string{"cfbenchmarks_value", "cfbenchmarks_value_5hz", "pyth_value"},
		"index_ids": []string{"BRTI", "ETHUSD_RTI"}, "underlying_tickers": []string{"Metal.XAU/USD"},
	})
	sids := map[string]int64{}
	for range 3 {
		s := expect[*ws.Subscribed](a)
		require.Equal(t, id, s.ID)
		sids[s.Channel] = s.SID
	}
	b := dialRaw(t, e.srv, e.signer)
	all := b.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value"}, "index_ids": []string{"all"}})

	seq := map[int64]int64{}
	lastSrc := map[string]int64{}
	checkSeq := func(h *ws.Envelope) {
		if prev, ok := seq[h.SID]; ok {
			require.Equal(t, prev+1, h.Seq, "sid %d", h.SID)
		}
		seq[h.SID] = h.Seq
	}
	advance := func(key string, src int64) {
		require.Greater(t, src, lastSrc[key], key)
		lastSrc[key] = src
	}
	slowCount := map[string]int{}
	lastWindow := map[string]int{}
	fastBRTI, fastSinceSlow := "", -1
	fastCount := map[string]int{}
	pythCount := 0
	for slowCount["BRTI"] < 4 || pythCount < 3 {
		switch m := a.next().(type) {
		case *ws.CFBenchmarksValue:
			require.Equal(t, sids["cfbenchmarks_value"], m.SID)
			require.Contains(t, []string{"BRTI", "ETHUSD_RTI"}, m.IndexID)
			checkSeq(&m.Envelope)
			raw := parseRaw(t, m.Data)
			assert.Equal(t, m.IndexID, raw.ID)
			advance("slow "+m.IndexID, raw.Time)
			assert.Greater(t, int64(m.ReceivedAt), raw.Time)
			assert.Regexp(t, eightDecimals, string(m.Avg60s.Value))
			assert.Equal(t, raw.Time, int64(m.Avg60s.WindowEndTSExclusive))
			assert.Equal(t, raw.Time-60_000, int64(m.Avg60s.WindowStartTSMs))
			if slowCount[m.IndexID] > 0 {
				assert.Equal(t, lastWindow[m.IndexID]+1, m.Avg60s.WindowSize, "each value joins the trailing window")
			}
			lastWindow[m.IndexID] = m.Avg60s.WindowSize
			slowCount[m.IndexID]++
			if m.IndexID != "BRTI" {
				continue
			}
			if fastBRTI != "" {
				assert.True(t, sameValue(t, fastBRTI, raw.Value), "the 1 Hz value %s is the latest 5 Hz one %s", raw.Value, fastBRTI)
			}
			if fastSinceSlow >= 0 {
				assert.Equal(t, 5, fastSinceSlow, "5 Hz BRTI values between two 1 Hz ones")
			}
			fastSinceSlow = 0
		case *ws.CFBenchmarksValue5Hz:
			require.Equal(t, sids["cfbenchmarks_value_5hz"], m.SID)
			require.Contains(t, []string{"BRTI", "ETHUSD_RTI"}, m.IndexID)
			checkSeq(&m.Envelope)
			assert.Regexp(t, eightDecimals, string(m.ValueUSD))
			raw := parseRaw(t, m.Data)
			assert.Equal(t, m.IndexID, raw.ID)
			assert.Equal(t, int64(m.SourceTSMs), raw.Time)
			assert.True(t, sameValue(t, string(m.ValueUSD), raw.Value))
			advance("fast "+m.IndexID, int64(m.SourceTSMs))
			fastCount[m.IndexID]++
			if m.IndexID == "BRTI" {
				fastBRTI = raw.Value
				if fastSinceSlow >= 0 {
					fastSinceSlow++
				}
			}
		case *ws.PythValue:
			require.Equal(t, sids["pyth_value"], m.SID)
			require.Equal(t, "Metal.XAU/USD", m.UnderlyingTicker)
			checkSeq(&m.Envelope)
			assert.Regexp(t, eightDecimals, string(m.ValueUSD))
			advance("pyth", int64(m.SourceTSMs))
			pythCount++
		default:
			b, _ := ws.Encode(m)
			t.Fatalf("unexpected frame %s", b)
		}
	}
	assert.Greater(t, fastCount["ETHUSD_RTI"], 0)

	// "all" takes every index of the channel, the 1 Hz-only ones too.
	seen := map[string]bool{}
	for len(seen) < 7 {
		m := expect[*ws.CFBenchmarksValue](b)
		require.Equal(t, all, m.SID)
		seen[m.IndexID] = true
	}
	assert.True(t, seen["LTCUSD_RTI"] && seen["LINKUSD_RTI"] && seen["BRTI"])
}

// TestWSIndexLists checks the indexlist and underlying_list replies:
// the IDs each channel carries, without changing the subscription.
func TestWSIndexLists(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, kalshitest.WithIndexInterval(0))
	r := dialRaw(t, e.srv, e.signer)
	slow := r.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value"}, "index_ids": []string{"BRTI"}})
	fast := r.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value_5hz"}})
	pyth := r.subscribe(map[string]any{"channels": []string{"pyth_value"}})

	id := r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": slow, "action": "indexlist"})
	list := expect[*ws.CFBenchmarksIndexList](r)
	assert.Equal(t, id, list.ID)
	assert.Equal(t, ws.TypeCFBenchmarksIndexList, list.Type)
	assert.Equal(t, []string{"BRTI", "DOGEUSD_RTI", "ETHUSD_RTI", "LINKUSD_RTI", "LTCUSD_RTI", "SOLUSD_RTI", "XRPUSD_RTI"}, list.IndexIDs)

	id = r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": fast, "action": "indexlist"})
	list = expect[*ws.CFBenchmarksIndexList](r)
	assert.Equal(t, id, list.ID)
	assert.Equal(t, fast, list.SID)
	assert.Equal(t, ws.TypeCFBenchmarks5HzIndexList, list.Type)
	assert.Equal(t, []string{"BRTI", "DOGEUSD_RTI", "ETHUSD_RTI", "SOLUSD_RTI", "XRPUSD_RTI"}, list.IndexIDs)

	id = r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": pyth, "action": "underlying_list"})
	ul := expect[*ws.PythUnderlyingList](r)
	assert.Equal(t, id, ul.ID)
	assert.Equal(t, []string{"Commodities.Index.NATGAS/USD", "Commodities.Index.PYTHOIL/USD", "Metal.XAG/USD", "Metal.XAU/USD", "Metal.XPT/USD"}, ul.UnderlyingTickers)

	// The lists left the subscriptions as they were: BRTI only.
	require.NoError(t, e.srv.PublishIndexValue("ETHUSD_RTI", 3600))
	require.NoError(t, e.srv.PublishIndexValue("BRTI", 106000))
	v := expect[*ws.CFBenchmarksValue](r)
	assert.Equal(t, "BRTI", v.IndexID)
	r.nothingBefore()
}

// TestWSPublishIndexValueByHand publishes values by hand with the
// automatic ones off and checks the averages: the trailing 60 s window
// of the ticks before, falling back to the value itself, and the
// quarter-hour average only in the final minute before :15.
func TestWSPublishIndexValueByHand(t *testing.T) {
	t.Parallel()
	clock := &movableClock{t: time.Date(2026, 6, 10, 14, 12, 10, 0, time.UTC)}
	e := newWSEnv(t, kalshitest.WithIndexInterval(0), kalshitest.WithClock(clock.now))
	r := dialRaw(t, e.srv, e.signer)
	r.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value"}, "index_ids": []string{"all"}})
	r.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value_5hz"}, "index_ids": []string{"BRTI"}})
	r.subscribe(map[string]any{"channels": []string{"pyth_value"}, "underlying_tickers": []string{"Metal.XAU/USD"}})

	publish := func(at time.Time, v float64) (*ws.CFBenchmarksValue5Hz, *ws.CFBenchmarksValue) {
		t.Helper()
		clock.set(at)
		require.NoError(t, e.srv.PublishIndexValue("BRTI", v))
		return expect[*ws.CFBenchmarksValue5Hz](r), expect[*ws.CFBenchmarksValue](r)
	}
	base := time.Date(2026, 6, 10, 14, 14, 10, 0, time.UTC) // the seeded value is two minutes old
	f, s := publish(base, 100000)
	assert.Equal(t, ws.Decimal("100000.00000000"), f.ValueUSD)
	assert.Equal(t, "100000.00", parseRaw(t, s.Data).Value)
	assert.Equal(t, 0, s.Avg60s.WindowSize, "no tick in the trailing minute")
	assert.Equal(t, ws.Decimal("100000.00000000"), s.Avg60s.Value, "the average falls back to the value")
	require.NotNil(t, s.Last60sWindowedAverage15Min, "14:14:10 is in the final minute before 14:15")
	assert.Equal(t, 1, s.Last60sWindowedAverage15Min.WindowSize)
	assert.Equal(t, ws.UnixMillis(time.Date(2026, 6, 10, 14, 14, 0, 0, time.UTC).UnixMilli()), s.Last60sWindowedAverage15Min.WindowStartTSMs)

	_, s = publish(base.Add(time.Second), 101000.004)
	assert.Equal(t, "101000.00", parseRaw(t, s.Data).Value, "BRTI has two decimals")
	assert.Equal(t, 1, s.Avg60s.WindowSize)
	assert.Equal(t, ws.Decimal("100000.00000000"), s.Avg60s.Value)
	assert.Equal(t, 2, s.Last60sWindowedAverage15Min.WindowSize)
	assert.Equal(t, ws.Decimal("100500.00000000"), s.Last60sWindowedAverage15Min.Value, "the close tick counts")

	_, s = publish(base.Add(2*time.Second), 103000)
	assert.Equal(t, 2, s.Avg60s.WindowSize)
	assert.Equal(t, ws.Decimal("100500.00000000"), s.Avg60s.Value)
	assert.Equal(t, ws.Decimal("101333.33333333"), s.Last60sWindowedAverage15Min.Value)

	_, s = publish(time.Date(2026, 6, 10, 14, 16, 0, 0, time.UTC), 104000)
	assert.Equal(t, 0, s.Avg60s.WindowSize)
	assert.Nil(t, s.Last60sWindowedAverage15Min, "outside the final minute of a quarter hour")

	// Source times never repeat, even with the clock standing still.
	_, s2 := publish(time.Date(2026, 6, 10, 14, 16, 0, 0, time.UTC), 104001)
	assert.Greater(t, parseRaw(t, s2.Data).Time, parseRaw(t, s.Data).Time)

	require.NoError(t, e.srv.PublishPythValue("Metal.XAU/USD", 3400.123456))
	p := expect[*ws.PythValue](r)
	assert.Equal(t, ws.Decimal("3400.12346000"), p.ValueUSD)

	// An index only on the 1 Hz channel goes there alone.
	require.NoError(t, e.srv.PublishIndexValue("LTCUSD_RTI", 91.5))
	s = expect[*ws.CFBenchmarksValue](r)
	assert.Equal(t, "LTCUSD_RTI", s.IndexID)
	assert.Equal(t, "91.5000", parseRaw(t, s.Data).Value)
	r.nothingBefore()

	for _, bad := range []struct {
		id string
		v  float64
	}{{"BTC", 1}, {"Metal.XAU/USD", 1}} {
		err := e.srv.PublishIndexValue(bad.id, bad.v)
		assert.True(t, errors.Is(err, kalshitest.ErrUnknownIndex), "%s: %v", bad.id, err)
	}
	assert.Error(t, e.srv.PublishIndexValue("BRTI", -5))
	assert.Error(t, e.srv.PublishIndexValue("BRTI", 1e12), "beyond what a price can be")
	assert.True(t, errors.Is(e.srv.PublishPythValue("BRTI", 5), kalshitest.ErrUnknownIndex))
}

// TestWSIndexAllMode checks "all": removing one index while it is on
// still sends that index; removing "all" keeps the indices named.
func TestWSIndexAllMode(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, kalshitest.WithIndexInterval(0))
	r := dialRaw(t, e.srv, e.signer)
	sid := r.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value"}, "index_ids": []string{"all", "ETHUSD_RTI"}})
	update := func(action string, ids ...string) {
		r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": sid, "action": action, "index_ids": ids})
		expect[*ws.OK](r)
	}
	update("unsubscribe_indices", "BRTI")
	require.NoError(t, e.srv.PublishIndexValue("BRTI", 105000))
	assert.Equal(t, "BRTI", expect[*ws.CFBenchmarksValue](r).IndexID)

	update("unsubscribe_indices", "all")
	require.NoError(t, e.srv.PublishIndexValue("BRTI", 105001))
	require.NoError(t, e.srv.PublishIndexValue("ETHUSD_RTI", 3501))
	assert.Equal(t, "ETHUSD_RTI", expect[*ws.CFBenchmarksValue](r).IndexID)
	r.nothingBefore()
}
