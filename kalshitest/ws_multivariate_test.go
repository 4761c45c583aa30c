package kalshitest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// TestWSMultivariateLifecycle creates a combo market and checks its
// frames: event_lifecycle and "created" on multivariate_market_lifecycle,
// nothing on market_lifecycle_v2, nothing for a repeated creation, a book
// like any market's, and its settlement on the multivariate channel.
func TestWSMultivariateLifecycle(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, kalshitest.WithMarkets(20))
	r := dialRaw(t, e.srv, e.signer)
	mv := r.subscribe(map[string]any{"channels": []string{"multivariate_market_lifecycle"}})
	r.subscribe(map[string]any{"channels": []string{"market_lifecycle_v2"}})

	col := mvCollection(t, e.rest, crossCollection)
	legs := mvLegs(t, e.rest, col, 2, gen.TickerPairSideYes)
	create := func() *gen.CreateMarketInMultivariateEventCollectionResponse {
		t.Helper()
		res, err := e.rest.CreateMarketInMultivariateEventCollection(ctxFor(t), crossCollection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: legs, WithMarketPayload: ptr(true)})
		require.NoError(t, err)
		return res
	}
	res := create()

	ev := expect[*ws.EventLifecycle](r)
	assert.Equal(t, mv, ev.SID)
	assert.Equal(t, int64(1), ev.Seq)
	assert.Equal(t, res.EventTicker, ev.EventTicker)
	assert.Equal(t, col.SeriesTicker, ev.SeriesTicker)
	assert.Equal(t, res.Market.Title, ev.Title)
	assert.False(t, ev.StrikeDate.IsZero())
	created := expect[*ws.MultivariateMarketLifecycle](r)
	assert.Equal(t, mv, created.SID)
	assert.Equal(t, int64(2), created.Seq)
	assert.Equal(t, ws.LifecycleCreated, created.EventType)
	assert.Equal(t, res.MarketTicker, created.MarketTicker)
	require.NotNil(t, created.AdditionalMetadata)
	assert.Equal(t, res.EventTicker, created.AdditionalMetadata.EventTicker)
	assert.Equal(t, res.Market.Title, created.AdditionalMetadata.Title)
	assert.Equal(t, res.Market.CloseTime.Unix(), created.CloseTS.Time.Unix())
	r.nothingBefore() // market_lifecycle_v2 leaves multivariate markets out

	again := create()
	require.Equal(t, res.MarketTicker, again.MarketTicker)
	r.nothingBefore() // an existing combo is not created again

	book := r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{res.MarketTicker}})
	snap := expect[*ws.OrderbookSnapshot](r)
	assert.Equal(t, book, snap.SID)
	assert.Empty(t, snap.Yes)
	assert.Empty(t, snap.No)
	e.order(t, res.MarketTicker, "bid", "0.10", "3")
	delta := expect[*ws.OrderbookDelta](r)
	assert.Equal(t, res.MarketTicker, delta.MarketTicker)
	assert.Equal(t, qty("3"), delta.Delta)

	require.NoError(t, e.srv.SettleMarket(res.MarketTicker, "no"))
	var events []string
	var removed money.Count
	for len(events) < 2 || removed != qty("-3") {
		switch m := r.next().(type) {
		case *ws.MultivariateMarketLifecycle:
			assert.Equal(t, mv, m.SID)
			assert.Equal(t, res.MarketTicker, m.MarketTicker)
			events = append(events, m.EventType)
			if m.EventType == ws.LifecycleDetermined {
				assert.Equal(t, "no", m.Result)
			}
		case *ws.OrderbookDelta:
			removed = removed.Add(m.Delta) // the resting bid is canceled
		default:
			b, _ := ws.Encode(m)
			t.Fatalf("unexpected frame %s", b)
		}
	}
	assert.Equal(t, []string{ws.LifecycleDetermined, ws.LifecycleSettled}, events)

	// Fee overrides of multivariate events stay off market_lifecycle_v2.
	require.NoError(t, e.srv.SetEventFeeOverride(res.EventTicker, &kalshitest.EventFeeOverride{FeeType: "flat", Multiplier: 1}))
	r.nothingBefore()
}

// TestWSEventLifecycleAndFeeUpdate checks market_lifecycle_v2's event
// messages: event_lifecycle for a new event (not for a market added to an
// existing one) and event_fee_update when an override is set and cleared.
func TestWSEventLifecycleAndFeeUpdate(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	life := r.subscribe(map[string]any{"channels": []string{"market_lifecycle_v2"}})
	r.subscribe(map[string]any{"channels": []string{"multivariate_market_lifecycle"}})

	require.NoError(t, e.srv.AddMarket(kalshitest.MarketSpec{Ticker: "KXNEWEV-26JUN12-T1", Title: "New event market"}))
	ev := expect[*ws.EventLifecycle](r)
	assert.Equal(t, life, ev.SID)
	assert.Equal(t, "KXNEWEV-26JUN12", ev.EventTicker)
	assert.Equal(t, "KXNEWEV", ev.SeriesTicker)
	assert.Equal(t, "New event market", ev.Title)
	assert.Empty(t, ev.CollateralReturnType)
	rest, err := e.rest.GetEvent(ctxFor(t), ev.EventTicker, nil)
	require.NoError(t, err)
	require.NotNil(t, rest.Event.StrikeDate)
	assert.Equal(t, rest.Event.StrikeDate.Unix(), ev.StrikeDate.Time.Unix())
	assert.Equal(t, "KXNEWEV-26JUN12-T1", expect[*ws.MarketLifecycle](r).MarketTicker)

	require.NoError(t, e.srv.AddMarket(kalshitest.MarketSpec{Ticker: "KXNEWEV-26JUN12-T2"}))
	assert.Equal(t, "KXNEWEV-26JUN12-T2", expect[*ws.MarketLifecycle](r).MarketTicker, "no event_lifecycle for an event that exists")

	require.NoError(t, e.srv.SetEventFeeOverride(ev.EventTicker, &kalshitest.EventFeeOverride{FeeType: "quadratic_with_maker_fees", Multiplier: 0.5}))
	set := expect[*ws.EventFeeUpdate](r)
	assert.Equal(t, life, set.SID)
	assert.Equal(t, ev.EventTicker, set.EventTicker)
	require.NotNil(t, set.FeeTypeOverride)
	assert.Equal(t, "quadratic_with_maker_fees", *set.FeeTypeOverride)
	require.NotNil(t, set.FeeMultiplierOverride)
	assert.Equal(t, ws.Number("0.5"), *set.FeeMultiplierOverride)

	require.NoError(t, e.srv.SetEventFeeOverride(ev.EventTicker, nil))
	var raw []byte
	select {
	case raw = <-r.frames:
	case <-time.After(waitLong):
		t.Fatal("no event_fee_update for the cleared override")
	}
	var frame struct {
		Type string                     `json:"type"`
		Msg  map[string]json.RawMessage `json:"msg"`
	}
	require.NoError(t, json.Unmarshal(raw, &frame))
	assert.Equal(t, "event_fee_update", frame.Type)
	assert.Equal(t, "null", string(frame.Msg["fee_type_override"]), "cleared overrides are null, not left out")
	assert.Equal(t, "null", string(frame.Msg["fee_multiplier_override"]))
	cleared, err := ws.Decode(raw)
	require.NoError(t, err)
	assert.Empty(t, cleared.Header().Warnings)
	r.nothingBefore() // the multivariate channel carries none of these
}
