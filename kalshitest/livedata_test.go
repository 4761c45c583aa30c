package kalshitest_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// movableClock is an exchange clock a test sets.
type movableClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *movableClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *movableClock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// liveStart is the clock the live data tests start at: a Wednesday
// afternoon.
var liveStart = time.Date(2026, 6, 10, 15, 0, 0, 0, time.UTC)

// liveEnv is a seeded exchange on a clock the test moves.
func liveEnv(t *testing.T, opts ...kalshitest.Option) (*kalshitest.Server, *kalshi.Client, *movableClock) {
	t.Helper()
	clock := &movableClock{t: liveStart}
	srv, c := newClient(t, append([]kalshitest.Option{kalshitest.WithSeed(11), kalshitest.WithClock(clock.now), kalshitest.WithIndexInterval(0)}, opts...)...)
	return srv, c, clock
}

func allMilestones(t *testing.T, c *kalshi.Client, p gen.GetMilestonesParams) []gen.Milestone {
	t.Helper()
	var out []gen.Milestone
	for {
		res, err := c.GetMilestones(ctxFor(t), &p)
		require.NoError(t, err)
		out = append(out, res.Milestones...)
		if res.Cursor == nil || *res.Cursor == "" {
			return out
		}
		p.Cursor = res.Cursor
	}
}

func milestoneOfType(t *testing.T, c *kalshi.Client, kind string) gen.Milestone {
	t.Helper()
	res, err := c.GetMilestones(ctxFor(t), &gen.GetMilestonesParams{Limit: 1, Type: ptr(kind)})
	require.NoError(t, err)
	require.Len(t, res.Milestones, 1, kind)
	return res.Milestones[0]
}

// TestMilestonesFollowTheEvents lists a milestone for every generated
// event, each pointing at its event, in start order; pages and filters.
func TestMilestonesFollowTheEvents(t *testing.T) {
	t.Parallel()
	_, c, _ := liveEnv(t)
	ctx := ctxFor(t)
	res, err := c.GetMilestones(ctx, &gen.GetMilestonesParams{Limit: 500})
	require.NoError(t, err)
	all := res.Milestones
	// the live events: the seeded history's settled events have none
	events, err := c.GetEvents(ctx, &gen.GetEventsParams{Limit: ptr(200), Status: ptr(gen.GetEventsParamsStatusOpen)})
	require.NoError(t, err)
	require.Len(t, all, len(events.Events), "one milestone per generated open event")

	kinds := map[string]string{"KXNBAGAME": "basketball_game", "KXBTCD": "crypto_price", "KXHIGHNY": "weather_daily_high", "KXFEDDECISION": "fomc_meeting"}
	seen := map[string]bool{}
	for i, m := range all {
		require.Len(t, m.RelatedEventTickers, 1)
		assert.Equal(t, m.RelatedEventTickers, m.PrimaryEventTickers)
		ev, err := c.GetEvent(ctx, m.RelatedEventTickers[0], nil)
		require.NoError(t, err, "milestone %s names an event that exists", m.ID)
		assert.Equal(t, kinds[ev.Event.SeriesTicker], m.Type)
		assert.Equal(t, ev.Event.Category, m.Category)
		assert.False(t, seen[ev.Event.EventTicker], "one milestone per event")
		seen[ev.Event.EventTicker] = true
		require.NotNil(t, m.EndDate)
		assert.True(t, m.EndDate.After(m.StartDate))
		for _, mk := range ev.Markets {
			if mk.Status == "closed" {
				continue // closed early by the generator
			}
			assert.False(t, mk.CloseTime.Before(*m.EndDate), "%s closes after its milestone ends", mk.Ticker)
		}
		if i > 0 {
			assert.False(t, m.StartDate.Before(all[i-1].StartDate), "listed by start date")
		}
		one, err := c.GetMilestone(ctx, m.ID)
		require.NoError(t, err)
		assert.Equal(t, m, one.Milestone)
	}

	// Pages of 5 give the same list, the last with an empty cursor.
	assert.Equal(t, all, allMilestones(t, c, gen.GetMilestonesParams{Limit: 5}))

	count := func(p gen.GetMilestonesParams) []gen.Milestone {
		p.Limit = 500
		return allMilestones(t, c, p)
	}
	sports := count(gen.GetMilestonesParams{Category: ptr("Sports")})
	require.Len(t, sports, 3)
	for _, m := range sports {
		assert.Equal(t, "basketball_game", m.Type)
		require.NotNil(t, m.SourceID)
		assert.Equal(t, *m.SourceID, (*m.SourceIds)["sportradar"])
	}
	assert.Equal(t, sports, count(gen.GetMilestonesParams{Competition: ptr("Pro Basketball (M)")}))
	assert.Equal(t, sports, count(gen.GetMilestonesParams{Type: ptr("basketball_game")}))
	assert.Empty(t, count(gen.GetMilestonesParams{Competition: ptr("Pro Football")}))
	assert.Equal(t, sports[1:2], count(gen.GetMilestonesParams{SourceID: sports[1].SourceID}))
	assert.Len(t, count(gen.GetMilestonesParams{Type: ptr("crypto_price")}), 3)
	assert.Equal(t, all[4:5], count(gen.GetMilestonesParams{RelatedEventTicker: ptr(all[4].RelatedEventTickers[0])}))
	later := count(gen.GetMilestonesParams{MinimumStartDate: ptr(all[6].StartDate)})
	assert.Equal(t, all[6:], later[len(later)-len(all[6:]):])
	for _, m := range later {
		assert.False(t, m.StartDate.Before(all[6].StartDate))
	}
	assert.Len(t, count(gen.GetMilestonesParams{MinUpdatedTS: ptr(liveStart.Unix())}), len(all))
	assert.Empty(t, count(gen.GetMilestonesParams{MinUpdatedTS: ptr(liveStart.Add(time.Hour).Unix())}))

	_, err = c.GetMilestone(ctx, "00000000-0000-4000-8000-000000000000")
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = c.GetMilestones(ctx, &gen.GetMilestonesParams{Limit: 501})
	requireAPIError(t, err, http.StatusBadRequest, "")
}

// TestLiveDataEndpoints reads live data by milestone, the legacy typed
// path and the batch, which agree and refuse what does not exist.
func TestLiveDataEndpoints(t *testing.T) {
	t.Parallel()
	_, c, _ := liveEnv(t)
	ctx := ctxFor(t)
	all := allMilestones(t, c, gen.GetMilestonesParams{Limit: 500})
	var ids []string
	for _, m := range all {
		res, err := c.GetLiveDataByMilestone(ctx, m.ID, nil)
		require.NoError(t, err)
		assert.Equal(t, m.ID, res.LiveData.MilestoneID)
		assert.Equal(t, m.Type, res.LiveData.Type)
		assert.Equal(t, m.Type, res.LiveData.Details["type"])
		assert.Contains(t, []any{"none", "live", "finished"}, res.LiveData.Details["status"])
		legacy, err := c.GetLiveData(ctx, m.Type, m.ID, nil)
		require.NoError(t, err)
		assert.Equal(t, res.LiveData, legacy.LiveData)
		_, err = c.GetLiveData(ctx, "football_game", m.ID, nil)
		requireAPIError(t, err, http.StatusNotFound, "not_found")
		ids = append(ids, m.ID)
	}

	batch, err := c.GetLiveDatas(ctx, &gen.GetLiveDatasParams{MilestoneIds: []string{ids[2], "no-such-milestone", ids[0], ids[2]}})
	require.NoError(t, err)
	require.Len(t, batch.LiveDatas, 2, "unknown IDs are left out, repeats answered once")
	assert.Equal(t, ids[2], batch.LiveDatas[0].MilestoneID)
	assert.Equal(t, ids[0], batch.LiveDatas[1].MilestoneID)

	_, err = c.GetLiveDataByMilestone(ctx, "no-such-milestone", nil)
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = c.GetGameStats(ctx, "no-such-milestone")
	requireAPIError(t, err, http.StatusNotFound, "not_found")

	// Game stats exist for games only.
	stats, err := c.GetGameStats(ctx, milestoneOfType(t, c, "crypto_price").ID)
	require.NoError(t, err)
	assert.Nil(t, stats.Pbp)
}

// gameAt reads a game's live data (with player stats) and play-by-play.
func gameAt(t *testing.T, c *kalshi.Client, id string) (map[string]any, [][]map[string]any) {
	t.Helper()
	live, err := c.GetLiveDataByMilestone(ctxFor(t), id, &gen.GetLiveDataByMilestoneParams{IncludePlayerStats: ptr(true)})
	require.NoError(t, err)
	stats, err := c.GetGameStats(ctxFor(t), id)
	require.NoError(t, err)
	require.NotNil(t, stats.Pbp)
	var periods [][]map[string]any
	for _, p := range *stats.Pbp.Periods {
		require.NotNil(t, p.Events)
		periods = append(periods, *p.Events)
	}
	return live.LiveData.Details, periods
}

func num(v any) int { return int(v.(float64)) }

// TestBasketballGameUnfolds moves the clock through a game: nothing
// before tip-off, a score that grows by the plays of the play-by-play
// and the players' points, half-time, and a final with a winner; the
// teams are the event's and are structured targets.
func TestBasketballGameUnfolds(t *testing.T) {
	t.Parallel()
	_, c, clock := liveEnv(t)
	ctx := ctxFor(t)
	m := milestoneOfType(t, c, "basketball_game")
	ev, err := c.GetEvent(ctx, m.RelatedEventTickers[0], nil)
	require.NoError(t, err)
	title := strings.TrimPrefix(ev.Event.Title, "Game ") // "BOS at NYK"

	d, periods := gameAt(t, c, m.ID)
	assert.Equal(t, "none", d["status"])
	assert.Equal(t, title, d["away_abbreviation"].(string)+" at "+d["home_abbreviation"].(string))
	assert.Equal(t, 0, num(d["home_points"])+num(d["away_points"]))
	assert.Empty(t, periods)
	for _, side := range []string{"home", "away"} {
		team, err := c.GetStructuredTarget(ctx, d[side+"_id"].(string))
		require.NoError(t, err)
		assert.Equal(t, d[side+"_name"], *team.StructuredTarget.Name)
		assert.Equal(t, d[side+"_id"], m.Details[side+"_team_id"])
	}

	check := func(d map[string]any, periods [][]map[string]any) {
		t.Helper()
		home, away := 0, 0
		for _, p := range periods {
			for _, e := range p {
				if e["team_id"] == d["home_id"] {
					home += num(e["points"])
				} else {
					away += num(e["points"])
				}
				assert.Equal(t, home, num(e["home_points"]))
				assert.Equal(t, away, num(e["away_points"]))
			}
		}
		assert.Equal(t, home, num(d["home_points"]), "the score is the sum of the plays")
		assert.Equal(t, away, num(d["away_points"]))
		byTeam := map[string]int{}
		for _, p := range d["player_stats"].([]any) {
			ps := p.(map[string]any)
			byTeam[ps["team_id"].(string)] += num(ps["points"])
		}
		assert.Equal(t, home, byTeam[d["home_id"].(string)], "the players' points add up")
		assert.Equal(t, away, byTeam[d["away_id"].(string)])
	}

	clock.set(m.StartDate.Add(45 * time.Minute))
	d, periods = gameAt(t, c, m.ID)
	assert.Equal(t, "live", d["status"])
	assert.Equal(t, 2, num(d["period"]))
	assert.Equal(t, "Q2 "+d["clock"].(string), d["tileLiveText"])
	require.Len(t, periods, 2)
	assert.NotEmpty(t, periods[0])
	q2 := num(d["home_points"]) + num(d["away_points"])
	assert.Greater(t, q2, 0)
	check(d, periods)

	clock.set(m.StartDate.Add(65 * time.Minute))
	d, _ = gameAt(t, c, m.ID)
	assert.Equal(t, true, d["half_time"])
	assert.Equal(t, "Halftime", d["tileLiveText"])
	assert.GreaterOrEqual(t, num(d["home_points"])+num(d["away_points"]), q2)

	clock.set(m.EndDate.Add(time.Minute))
	d, periods = gameAt(t, c, m.ID)
	assert.Equal(t, "finished", d["status"])
	require.Len(t, periods, 4)
	check(d, periods)
	home, away := num(d["home_points"]), num(d["away_points"])
	assert.NotEqual(t, home, away)
	if home > away {
		assert.Equal(t, d["home_id"], d["winner"])
	} else {
		assert.Equal(t, d["away_id"], d["winner"])
	}

	// The same seed plays the same game; the event's live data is the game's.
	_, c2, clock2 := liveEnv(t)
	clock2.set(m.EndDate.Add(time.Minute))
	d2, periods2 := gameAt(t, c2, m.ID)
	assert.Equal(t, d, d2)
	assert.Equal(t, periods, periods2)
	evLive, err := c.GetEventLiveData(ctx, ev.Event.EventTicker, nil)
	require.NoError(t, err)
	assert.Equal(t, "basketball_game", evLive.LiveData.Type)
	assert.Equal(t, home, num(evLive.LiveData.Details["home_points"]))
}

// TestEventLiveData reads the live data of events: a crypto chart that
// freezes once the fixing has passed, a day's weather that agrees with
// the city's index, and not_found for events without live data.
func TestEventLiveData(t *testing.T) {
	t.Parallel()
	srv, c, clock := liveEnv(t, kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXMINE-26JUN12-T1"}))
	ctx := ctxFor(t)

	crypto := milestoneOfType(t, c, "crypto_price")
	btc := crypto.RelatedEventTickers[0]
	require.NoError(t, srv.PublishIndexValue("BRTI", 105100))
	clock.set(liveStart.Add(time.Second))
	require.NoError(t, srv.PublishIndexValue("BRTI", 105200))
	res, err := c.GetEventLiveData(ctx, btc, &gen.GetEventLiveDataParams{Range: ptr("1h")})
	require.NoError(t, err)
	ld := res.LiveData
	assert.Equal(t, "crypto_price", ld.Type)
	assert.Equal(t, false, *ld.IsHistorical)
	assert.Equal(t, "15min", *ld.DefaultRange)
	assert.Contains(t, *ld.RangeOptions, "1h")
	assert.Equal(t, 105200.0, ld.Details["value"])
	series := ld.Details["timeseries"].([]any)
	require.GreaterOrEqual(t, len(series), 2)
	assert.Equal(t, 105200.0, series[len(series)-1].(map[string]any)["value"])
	_, err = c.GetEventLiveData(ctx, btc, &gen.GetEventLiveDataParams{Range: ptr("2h")})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")

	// After the fixing the chart is history: later values do not move it.
	clock.set(crypto.EndDate.Add(time.Minute))
	require.NoError(t, srv.PublishIndexValue("BRTI", 99999))
	res, err = c.GetEventLiveData(ctx, btc, nil)
	require.NoError(t, err)
	assert.Equal(t, true, *res.LiveData.IsHistorical)
	assert.Equal(t, 105200.0, res.LiveData.Details["value"])
	assert.Equal(t, "finished", res.LiveData.Details["status"])

	// A day's high is the highest final value of the city's index that day.
	weather := milestoneOfType(t, c, "weather_daily_high")
	clock.set(weather.StartDate.Add(15*time.Hour + 30*time.Minute))
	res, err = c.GetEventLiveData(ctx, weather.RelatedEventTickers[0], nil)
	require.NoError(t, err)
	d := res.LiveData.Details
	assert.Equal(t, "live", d["status"])
	idx, err := c.GetWeatherIndex(ctx, d["city"].(string), &gen.GetWeatherIndexParams{From: ptr(weather.StartDate.UnixMilli()), To: ptr(clock.now().UnixMilli())})
	require.NoError(t, err)
	high := 0.0
	for _, p := range idx.Timeseries {
		high = max(high, *p.V)
	}
	last := idx.Timeseries[len(idx.Timeseries)-1]
	assert.Equal(t, high, d["high_temp_f"])
	assert.Equal(t, *last.V, d["current_temp_f"])
	assert.Equal(t, float64(last.T), d["observation_ts_ms"])
	obs := d["observations"].([]any)
	assert.Len(t, obs, 16, "one an hour since midnight, gaps aside")

	_, err = c.GetEventLiveData(ctx, "KXMINE-26JUN12", nil)
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = c.GetEventLiveData(ctx, "KXNOPE-1", nil)
	requireAPIError(t, err, http.StatusNotFound, "not_found")
}

// TestMilestonesWithoutMarkets: an exchange without generated events has
// no milestones and no live data.
func TestMilestonesWithoutMarkets(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(0))
	res, err := c.GetMilestones(ctxFor(t), &gen.GetMilestonesParams{Limit: 10})
	require.NoError(t, err)
	assert.Empty(t, res.Milestones)
	assert.Equal(t, "", *res.Cursor)
}

// TestIndexValueReachesLiveData publishes a BRTI value and reads it back
// from the live data of a KXBTCD event, which follows that index.
func TestIndexValueReachesLiveData(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, kalshitest.WithIndexInterval(0))
	ev := firstEvent(t, c, "KXBTCD")
	require.NoError(t, srv.PublishIndexValue("BRTI", 106543.21))
	res, err := c.GetEventLiveData(ctxFor(t), ev, nil)
	require.NoError(t, err)
	assert.Equal(t, "crypto_price", res.LiveData.Type)
	assert.Equal(t, 106543.21, res.LiveData.Details["value"])
	assert.Equal(t, "BRTI", res.LiveData.Details["index_id"])
}

// firstEvent returns the first event of a series.
func firstEvent(t *testing.T, c *kalshi.Client, series string) string {
	t.Helper()
	res, err := c.GetEvents(ctxFor(t), &gen.GetEventsParams{SeriesTicker: ptr(series), Status: ptr(gen.GetEventsParamsStatusOpen)})
	require.NoError(t, err)
	require.NotEmpty(t, res.Events, series)
	return res.Events[0].EventTicker
}

// TestOwnMarketsInGeneratedSeries: markets of your own in a generated
// series (even with a ticker that names no teams) get no milestone; the
// generated events keep theirs.
func TestOwnMarketsInGeneratedSeries(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(15),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXNBAGAME-X", EventTicker: "E", SeriesTicker: "KXNBAGAME"}),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXNBAGAME-26JUN12ABCXYZ-T1"}))
	all := allMilestones(t, c, gen.GetMilestonesParams{Limit: 100})
	require.Len(t, all, 3, "the three generated events")
	for _, m := range all {
		assert.NotContains(t, []string{"E", "KXNBAGAME-26JUN12ABCXYZ"}, m.RelatedEventTickers[0])
	}
	_, err := c.GetEventLiveData(ctxFor(t), "E", nil)
	requireAPIError(t, err, http.StatusNotFound, "not_found")
}
