package kalshitest_test

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// TestWeatherIndexWindows reads New York's index (the city of the
// KXHIGHNY series): final minutes only, in order, with gaps where the
// quorum failed; detailed answers add every station and the minutes still
// inside their receipt deadline; the same seed gives the same values.
func TestWeatherIndexWindows(t *testing.T) {
	t.Parallel()
	_, c, _ := liveEnv(t)
	ctx := ctxFor(t)
	now := liveStart.UnixMilli()

	day, err := c.GetWeatherIndex(ctx, "new_york", nil)
	require.NoError(t, err)
	assert.Equal(t, "new_york", day.City)
	assert.Equal(t, "fahrenheit", day.Units)
	require.NotEmpty(t, day.Timeseries)
	assert.Less(t, len(day.Timeseries), 24*60, "a day of minutes, less the gaps and the last ones")
	assert.Greater(t, len(day.Timeseries), 24*60-30)
	statuses := map[string]int{}
	prev := int64(0)
	for _, p := range day.Timeseries {
		assert.Zero(t, p.T%60_000)
		assert.Greater(t, p.T, prev)
		prev = p.T
		assert.GreaterOrEqual(t, p.T, now-24*3600_000)
		assert.LessOrEqual(t, p.T+3*60_000, now, "only minutes past their receipt deadline")
		require.NotNil(t, p.V)
		assert.Equal(t, math.Round(*p.V*100)/100, *p.V, "rounded to 0.01")
		assert.Nil(t, p.Stations)
		statuses[p.Status]++
		if p.Status == "normal" {
			assert.Equal(t, 3, *p.Contributors)
		}
	}
	assert.Greater(t, statuses["normal"], statuses["degraded"])
	assert.Greater(t, statuses["degraded"], 0)
	require.NotNil(t, day.ConfigVersion)
	assert.True(t, strings.HasPrefix(*day.ConfigVersion, "new_york-temperature-v1.0-cal-"), *day.ConfigVersion)

	recent, err := c.GetWeatherIndex(ctx, "new_york", &gen.GetWeatherIndexParams{LastSec: ptr(int64(600))})
	require.NoError(t, err)
	assert.Equal(t, day.Timeseries[len(day.Timeseries)-len(recent.Timeseries):], recent.Timeseries, "a window is a slice of the series")

	detailed, err := c.GetWeatherIndex(ctx, "new_york", &gen.GetWeatherIndexParams{LastSec: ptr(int64(600)), Detailed: ptr(true)})
	require.NoError(t, err)
	incomplete := 0
	for _, p := range detailed.Timeseries {
		require.NotNil(t, p.Stations)
		var ids []string
		for _, s := range *p.Stations {
			ids = append(ids, s.StationID)
			if p.Status == "incomplete" {
				assert.Equal(t, "pending", s.Code)
			}
		}
		assert.IsIncreasing(t, ids, "sorted by station ID")
		if p.Status == "incomplete" {
			incomplete++
			assert.Nil(t, p.V)
			assert.Nil(t, p.Contributors)
			continue
		}
		assert.Len(t, ids, 3)
	}
	assert.Equal(t, 2, incomplete, "the two minutes inside the deadline")

	window := &gen.GetWeatherIndexParams{From: ptr(now - 7200_000), To: ptr(now - 3600_000)}
	one, err := c.GetWeatherIndex(ctx, "new_york", window)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(one.Timeseries), 61)
	assert.Equal(t, now-7200_000, one.Timeseries[0].T)
	_, c2, _ := liveEnv(t)
	two, err := c2.GetWeatherIndex(ctx, "new_york", window)
	require.NoError(t, err)
	assert.Equal(t, one, two, "the same seed, the same index")

	for name, p := range map[string]*gen.GetWeatherIndexParams{
		"from alone":           {From: ptr(now - 1000)},
		"last_sec and to":      {LastSec: ptr(int64(60)), To: ptr(now)},
		"from after to":        {From: ptr(now), To: ptr(now - 60_000)},
		"more than seven days": {From: ptr(now - 8*24*3600_000), To: ptr(now)},
		"last_sec zero":        {LastSec: ptr(int64(0))},
	} {
		_, err := c.GetWeatherIndex(ctx, "new_york", p)
		requireAPIError(t, err, http.StatusBadRequest, "bad_request")
		_ = name
	}
	_, err = c.GetWeatherIndex(ctx, "miami", nil)
	e := requireAPIError(t, err, http.StatusBadRequest, "bad_request")
	assert.Contains(t, e.Details, "new_york", "names the cities there are")
}

// TestWeatherIndexCalibrations reads the configuration timeline: the
// launch record, then a weekly calibration for every complete week, each
// with the same weights and a city reference that is their weighted
// offsets; a week later there is one more.
func TestWeatherIndexCalibrations(t *testing.T) {
	t.Parallel()
	_, c, clock := liveEnv(t)
	ctx := ctxFor(t)
	res, err := c.GetWeatherIndexCalibrations(ctx, "new_york")
	require.NoError(t, err)
	assert.Equal(t, "celsius", res.Units)
	cals := res.Calibrations
	require.Len(t, cals, 7, "launched six weeks before this week's Monday, recalibrated every Monday since")
	launch := cals[0]
	assert.Equal(t, "new_york-temperature-v1.0", launch.ConfigVersion)
	assert.Nil(t, launch.CalibrationWindowStartMs)
	for i, cal := range cals {
		if i > 0 {
			assert.Greater(t, cal.EffectiveAtMs, cals[i-1].EffectiveAtMs)
			require.NotNil(t, cal.CalibrationWindowStartMs)
			assert.Equal(t, *cal.CalibrationWindowStartMs+7*24*3600_000, *cal.CalibrationWindowEndMs)
			assert.Greater(t, *cal.PublishedAtMs, *cal.CalibrationWindowEndMs)
			end := time.UnixMilli(*cal.CalibrationWindowEndMs).UTC()
			assert.Equal(t, time.Monday, end.Weekday())
			assert.Equal(t, "new_york-temperature-v1.0-cal-"+end.Format("20060102"), cal.ConfigVersion)
		}
		assert.LessOrEqual(t, cal.EffectiveAtMs, liveStart.UnixMilli())
		ref, weights := 0.0, 0.0
		for j, s := range cal.Stations {
			assert.Equal(t, launch.Stations[j].StationID, s.StationID)
			assert.Equal(t, launch.Stations[j].Weight, s.Weight, "calibration never changes weights")
			assert.Equal(t, i > 0, s.UpdateNote != nil)
			ref += s.Weight * s.OffsetC
			weights += s.Weight
		}
		assert.InDelta(t, 1, weights, 1e-9)
		assert.InDelta(t, ref, cal.CityReferenceC, 1e-4)
	}

	clock.set(liveStart.AddDate(0, 0, 7))
	later, err := c.GetWeatherIndexCalibrations(ctx, "new_york")
	require.NoError(t, err)
	require.Len(t, later.Calibrations, 8)
	assert.Equal(t, cals, later.Calibrations[:7], "the timeline only grows")

	_, err = c.GetWeatherIndexCalibrations(ctx, "atlantis")
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
}

// TestWeatherCitiesFollowTheSeries: a city is configured when its
// weather series is listed.
func TestWeatherCitiesFollowTheSeries(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXHIGHMIA-26JUN12-B90.5"}))
	_, err := c.GetWeatherIndexCalibrations(ctxFor(t), "miami")
	require.NoError(t, err)
	_, err = c.GetWeatherIndex(ctxFor(t), "new_york", nil)
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
}
