package kalshitest_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// TestSeriesFeeChanges checks the seeded and scheduled series fee changes:
// only those ahead unless show_historical, by series, soonest first.
func TestSeriesFeeChanges(t *testing.T) {
	t.Parallel()
	start := time.Now()
	srv, c := newClient(t)
	ctx := ctxFor(t)
	list := func(p *gen.GetSeriesFeeChangesParams) []gen.SeriesFeeChange {
		t.Helper()
		res, err := c.GetSeriesFeeChanges(ctx, p)
		require.NoError(t, err)
		require.NotNil(t, res.SeriesFeeChangeArr)
		for i, ch := range res.SeriesFeeChangeArr {
			_, err := c.GetSeries(ctx, ch.SeriesTicker, nil)
			require.NoError(t, err, "series %s of a fee change", ch.SeriesTicker)
			assert.NotEmpty(t, ch.ID)
			if i > 0 {
				assert.False(t, ch.ScheduledTS.Before(res.SeriesFeeChangeArr[i-1].ScheduledTS), "soonest first")
			}
		}
		return res.SeriesFeeChangeArr
	}
	ahead := list(nil)
	require.NotEmpty(t, ahead)
	for _, ch := range ahead {
		assert.True(t, ch.ScheduledTS.After(start), "%s at %s is not ahead", ch.SeriesTicker, ch.ScheduledTS)
	}
	all := list(&gen.GetSeriesFeeChangesParams{ShowHistorical: ptr(true)})
	assert.Greater(t, len(all), len(ahead))
	for _, ch := range all {
		if ch.ScheduledTS.Before(start) {
			// Changes already in effect agree with what GetSeries shows.
			s, err := c.GetSeries(ctx, ch.SeriesTicker, nil)
			require.NoError(t, err)
			assert.Equal(t, s.Series.FeeType, ch.FeeType)
			assert.Equal(t, s.Series.FeeMultiplier, ch.FeeMultiplier)
		}
	}
	btc := list(&gen.GetSeriesFeeChangesParams{SeriesTicker: ptr("KXBTCD"), ShowHistorical: ptr(true)})
	require.Len(t, btc, 2)
	assert.True(t, btc[0].ScheduledTS.Before(start))
	assert.Equal(t, gen.FeeType("quadratic_with_maker_fees"), btc[1].FeeType)
	assert.Empty(t, list(&gen.GetSeriesFeeChangesParams{SeriesTicker: ptr("KXNOSUCH"), ShowHistorical: ptr(true)}))

	at := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	require.NoError(t, srv.ScheduleSeriesFeeChange("KXFEDDECISION", "flat", 1.5, at))
	require.NoError(t, srv.ScheduleSeriesFeeChange("KXFEDDECISION", "quadratic", 1, at.Add(-72*time.Hour)))
	fed := list(&gen.GetSeriesFeeChangesParams{SeriesTicker: ptr("KXFEDDECISION")})
	require.Len(t, fed, 1, "the past change only with show_historical")
	assert.Equal(t, gen.FeeType("flat"), fed[0].FeeType)
	assert.Equal(t, 1.5, fed[0].FeeMultiplier)
	assert.True(t, at.Equal(fed[0].ScheduledTS))
	assert.Len(t, list(&gen.GetSeriesFeeChangesParams{SeriesTicker: ptr("KXFEDDECISION"), ShowHistorical: ptr(true)}), 2)

	assert.Error(t, srv.ScheduleSeriesFeeChange("KXNOSUCH", "flat", 1, at))
	assert.Error(t, srv.ScheduleSeriesFeeChange("KXFEDDECISION", "cubic", 1, at))
	assert.Error(t, srv.ScheduleSeriesFeeChange("KXFEDDECISION", "flat", -1, at))
}

// TestEventFeeChanges checks the event fee overrides: seeded ones that are
// set and later cleared, overrides set while the server runs, the event
// filter and pages.
func TestEventFeeChanges(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ctx := ctxFor(t)
	list := func(p *gen.GetEventFeeChangesParams) *gen.GetEventFeeChangesResponse {
		t.Helper()
		res, err := c.GetEventFeeChanges(ctx, p)
		require.NoError(t, err)
		return res
	}
	seeded := list(nil)
	require.NotEmpty(t, seeded.EventFeeChanges)
	assert.Empty(t, seeded.Cursor)
	for i, ch := range seeded.EventFeeChanges {
		ev, err := c.GetEvent(ctx, ch.EventTicker, nil)
		require.NoError(t, err, "event %s of a fee change", ch.EventTicker)
		assert.Equal(t, ev.Event.SeriesTicker, ch.SeriesTicker)
		assert.Equal(t, ch.FeeTypeOverride == nil, ch.FeeMultiplierOverride == nil, "set together or cleared together")
		if i > 0 {
			assert.False(t, ch.ScheduledTS.Before(seeded.EventFeeChanges[i-1].ScheduledTS))
		}
	}
	event := seeded.EventFeeChanges[0].EventTicker
	one := list(&gen.GetEventFeeChangesParams{EventTicker: &event}).EventFeeChanges
	require.Len(t, one, 2)
	require.NotNil(t, one[0].FeeTypeOverride, "first set")
	assert.Nil(t, one[1].FeeTypeOverride, "then cleared")
	assert.True(t, one[0].ScheduledTS.Before(one[1].ScheduledTS))

	require.NoError(t, srv.SetEventFeeOverride(event, &kalshitest.EventFeeOverride{FeeType: "flat", Multiplier: 2}))
	require.NoError(t, srv.SetEventFeeOverride(event, nil))
	now := list(&gen.GetEventFeeChangesParams{EventTicker: &event}).EventFeeChanges
	require.Len(t, now, 4)
	require.NotNil(t, now[0].FeeTypeOverride, "set now, before the scheduled ones")
	assert.Equal(t, gen.FeeType("flat"), *now[0].FeeTypeOverride)
	require.NotNil(t, now[0].FeeMultiplierOverride)
	assert.Equal(t, 2.0, *now[0].FeeMultiplierOverride)
	assert.WithinDuration(t, time.Now(), now[0].ScheduledTS, time.Minute)
	assert.Nil(t, now[1].FeeTypeOverride)
	assert.Nil(t, now[1].FeeMultiplierOverride)

	// A cleared override is sent as nulls, not left out.
	resp, err := http.Get(srv.URL() + "/events/fee_changes?event_ticker=" + url.QueryEscape(event) + "&limit=2")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Contains(t, string(body), `"fee_type_override":null`)
	assert.Contains(t, string(body), `"fee_multiplier_override":null`)

	total := len(seeded.EventFeeChanges) + 2
	p1 := list(&gen.GetEventFeeChangesParams{Limit: ptr(gen.LimitQuery(total - 1))})
	require.Len(t, p1.EventFeeChanges, total-1)
	require.NotEmpty(t, p1.Cursor)
	p2 := list(&gen.GetEventFeeChangesParams{Limit: ptr(gen.LimitQuery(total - 1)), Cursor: &p1.Cursor})
	require.Len(t, p2.EventFeeChanges, 1)
	assert.Empty(t, p2.Cursor)
	for _, ch := range p1.EventFeeChanges {
		assert.NotEqual(t, p2.EventFeeChanges[0].ID, ch.ID)
	}

	assert.Empty(t, list(&gen.GetEventFeeChangesParams{EventTicker: ptr("KXNOSUCH-1")}).EventFeeChanges)
	assert.Error(t, srv.SetEventFeeOverride("KXNOSUCH-1", nil))
	err = srv.SetEventFeeOverride(event, &kalshitest.EventFeeOverride{FeeType: "cubic", Multiplier: 1})
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "cubic"))
}
