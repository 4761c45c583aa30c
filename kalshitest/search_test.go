package kalshitest_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// TestSearchTagsAndSportFilters builds the search helpers from the
// series listed: every category with its series' tags, and the sports
// filters from the Sports series; a series added later shows up.
func TestSearchTagsAndSportFilters(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ctx := ctxFor(t)
	series, err := c.GetSeriesList(ctx, nil)
	require.NoError(t, err)
	tags, err := c.GetTagsForSeriesCategories(ctx)
	require.NoError(t, err)
	want := map[string][]string{}
	for _, s := range series.Series {
		for _, tag := range *s.Tags {
			if !slices.Contains(want[s.Category], tag) {
				want[s.Category] = append(want[s.Category], tag)
			}
		}
	}
	assert.Equal(t, want, tags.TagsByCategories)
	assert.Equal(t, []string{"Basketball", "Games", "Parlays"}, tags.TagsByCategories["Sports"], "the multi-game collection's series is a sports series too")

	filters, err := c.GetFiltersForSports(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"Basketball", "Parlays"}, filters.SportOrdering)
	assert.Equal(t, gen.SportFilterDetails{
		Scopes:       []string{"Games"},
		Competitions: map[string]gen.ScopeList{"Pro Basketball (M)": {Scopes: []string{"Games"}}},
	}, filters.FiltersBySports["Basketball"])
	// The competition is the one the game milestones carry.
	games := allMilestones(t, c, gen.GetMilestonesParams{Limit: 100, Competition: ptr("Pro Basketball (M)")})
	assert.NotEmpty(t, games)

	require.NoError(t, srv.AddMarket(kalshitest.MarketSpec{Ticker: "KXNEWTHING-26JUN12-T1"}))
	tags, err = c.GetTagsForSeriesCategories(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{}, tags.TagsByCategories["Other"])

	_, empty := newClient(t, kalshitest.WithMarkets(0))
	none, err := empty.GetFiltersForSports(ctx)
	require.NoError(t, err)
	assert.Empty(t, none.FiltersBySports)
	assert.Equal(t, []string{}, none.SportOrdering)
}

func allTargets(t *testing.T, c *kalshi.Client, p gen.GetStructuredTargetsParams) []gen.StructuredTarget {
	t.Helper()
	var out []gen.StructuredTarget
	for {
		res, err := c.GetStructuredTargets(ctxFor(t), &p)
		require.NoError(t, err)
		out = append(out, *res.StructuredTargets...)
		if res.Cursor == nil || *res.Cursor == "" {
			return out
		}
		p.Cursor = res.Cursor
	}
}

// TestStructuredTargets lists the teams of the generated games and their
// players, filters them by ID, type and competition, and pages them.
func TestStructuredTargets(t *testing.T) {
	t.Parallel()
	_, c, _ := liveEnv(t)
	ctx := ctxFor(t)
	all := allTargets(t, c, gen.GetStructuredTargetsParams{})
	teams := allTargets(t, c, gen.GetStructuredTargetsParams{Type: ptr("basketball_team")})
	players := allTargets(t, c, gen.GetStructuredTargetsParams{Type: ptr("basketball_player")})
	require.Len(t, teams, 6, "the teams of the three generated games")
	require.Len(t, players, 30, "five players a team")
	assert.Len(t, all, 36)

	// Every team plays in a game milestone; every player's team is a target.
	games := allMilestones(t, c, gen.GetMilestonesParams{Limit: 100, Type: ptr("basketball_game")})
	var playing []string
	for _, g := range games {
		playing = append(playing, g.Details["home_team_id"].(string), g.Details["away_team_id"].(string))
	}
	teamIDs := map[string]bool{}
	for _, tm := range teams {
		assert.Contains(t, playing, *tm.ID)
		teamIDs[*tm.ID] = true
		assert.Equal(t, "NBA", (*tm.Details)["league"])
		assert.Equal(t, *tm.SourceID, (*tm.SourceIds)["sportradar"])
		assert.Equal(t, liveStart, *tm.LastUpdatedTS)
	}
	for _, p := range players {
		assert.True(t, teamIDs[(*p.Details)["team_id"].(string)], "%s plays for a listed team", *p.Name)
	}

	// Competition matches league, conference or division.
	assert.Equal(t, all, allTargets(t, c, gen.GetStructuredTargetsParams{Competition: ptr("NBA")}))
	east := allTargets(t, c, gen.GetStructuredTargetsParams{Competition: ptr("Eastern"), Type: ptr("basketball_team")})
	assert.NotEmpty(t, east)
	for _, tm := range east {
		assert.Equal(t, "Eastern", (*tm.Details)["conference"])
	}
	assert.Empty(t, allTargets(t, c, gen.GetStructuredTargetsParams{Competition: ptr("NFL")}))

	picked := allTargets(t, c, gen.GetStructuredTargetsParams{Ids: &[]string{*players[3].ID, *teams[1].ID, "unknown"}})
	require.Len(t, picked, 2)
	assert.ElementsMatch(t, []string{*players[3].ID, *teams[1].ID}, []string{*picked[0].ID, *picked[1].ID})

	// Pages of 10 give the same list; the last page's cursor is empty.
	paged := allTargets(t, c, gen.GetStructuredTargetsParams{PageSize: ptr(int32(10))})
	assert.Equal(t, all, paged)
	first, err := c.GetStructuredTargets(ctx, &gen.GetStructuredTargetsParams{PageSize: ptr(int32(10))})
	require.NoError(t, err)
	assert.Len(t, *first.StructuredTargets, 10)
	assert.NotEmpty(t, *first.Cursor)

	one, err := c.GetStructuredTarget(ctx, *players[0].ID)
	require.NoError(t, err)
	assert.Equal(t, players[0], *one.StructuredTarget)
	_, err = c.GetStructuredTarget(ctx, "no-such-target")
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = c.GetStructuredTargets(ctx, &gen.GetStructuredTargetsParams{PageSize: ptr(int32(2001))})
	requireAPIError(t, err, http.StatusBadRequest, "")
	_, err = c.GetStructuredTargets(ctx, &gen.GetStructuredTargetsParams{Cursor: ptr("%%%")})
	requireAPIError(t, err, http.StatusBadRequest, "")
}

func allIncentives(t *testing.T, c *kalshi.Client, p gen.GetIncentiveProgramsParams) []gen.IncentiveProgram {
	t.Helper()
	var out []gen.IncentiveProgram
	for {
		res, err := c.GetIncentivePrograms(ctxFor(t), &p)
		require.NoError(t, err)
		out = append(out, res.IncentivePrograms...)
		if res.NextCursor == nil || *res.NextCursor == "" {
			return out
		}
		p.Cursor = res.NextCursor
	}
}

// TestIncentivePrograms lists programs on markets that exist, with
// statuses that follow the clock and the markets' state, and filters and
// pages them.
func TestIncentivePrograms(t *testing.T) {
	t.Parallel()
	_, c, clock := liveEnv(t)
	ctx := ctxFor(t)
	all := allIncentives(t, c, gen.GetIncentiveProgramsParams{})
	require.NotEmpty(t, all)
	status := func(s gen.GetIncentiveProgramsParamsStatus) []gen.IncentiveProgram {
		return allIncentives(t, c, gen.GetIncentiveProgramsParams{Status: &s})
	}
	active, upcoming, closed, paid := status("active"), status("upcoming"), status("closed"), status("paid_out")
	for name, l := range map[string][]gen.IncentiveProgram{"active": active, "upcoming": upcoming, "closed": closed, "paid_out": paid} {
		assert.NotEmpty(t, l, name)
	}
	assert.Equal(t, len(all), len(active)+len(upcoming)+len(closed)+len(paid))
	assert.Equal(t, all, status("all"))

	now := liveStart
	for _, p := range all {
		m, err := c.GetMarket(ctx, p.MarketTicker)
		require.NoError(t, err, "%s is a market", p.MarketTicker)
		assert.True(t, p.EndDate.After(p.StartDate))
		assert.False(t, p.StartDate.Before(m.Market.OpenTime), "no program before its market opens")
		assert.False(t, p.EndDate.After(m.Market.CloseTime), "nor after it closes")
		assert.Len(t, p.MarketID, 36)
		assert.Greater(t, p.PeriodReward, int64(0))
		if p.IncentiveType == "liquidity" {
			assert.NotNil(t, p.TargetSizeFp)
			assert.NotNil(t, p.DiscountFactorBps)
		} else {
			require.NotNil(t, p.MaxRewardPerAccount)
			assert.Less(t, *p.MaxRewardPerAccount, p.PeriodReward)
		}
	}
	for _, p := range active {
		assert.True(t, !now.Before(p.StartDate) && now.Before(p.EndDate) && !p.PaidOut)
	}
	for _, p := range upcoming {
		assert.True(t, now.Before(p.StartDate))
	}
	for _, p := range closed {
		assert.False(t, now.Before(p.EndDate))
		assert.False(t, p.PaidOut)
	}
	for _, p := range paid {
		assert.True(t, p.PaidOut)
		m, err := c.GetMarket(ctx, p.MarketTicker)
		require.NoError(t, err)
		assert.Equal(t, gen.MarketStatus("closed"), m.Market.Status, "paid out once its market closed")
	}

	kind := func(k gen.GetIncentiveProgramsParamsType) []gen.IncentiveProgram {
		return allIncentives(t, c, gen.GetIncentiveProgramsParams{Type: &k})
	}
	liquidity, volume := kind("liquidity"), kind("volume")
	assert.Equal(t, len(all), len(liquidity)+len(volume))
	assert.Empty(t, kind("margin_maker_volume"))
	for _, p := range liquidity {
		assert.Equal(t, gen.IncentiveProgramIncentiveType("liquidity"), p.IncentiveType)
	}

	desc := all[0].IncentiveDescription
	same := allIncentives(t, c, gen.GetIncentiveProgramsParams{IncentiveDescription: &desc})
	assert.Greater(t, len(same), 1, "programs share descriptions")
	for _, p := range same {
		assert.Equal(t, desc, p.IncentiveDescription)
	}

	// Pages of 3 give the same list.
	assert.Equal(t, all, allIncentives(t, c, gen.GetIncentiveProgramsParams{Limit: ptr(3)}))
	last, err := c.GetIncentivePrograms(ctx, &gen.GetIncentiveProgramsParams{Limit: ptr(10000)})
	require.NoError(t, err)
	assert.Nil(t, last.NextCursor, "no cursor after the last page")

	// Upcoming programs start when the clock reaches them.
	clock.set(upcoming[0].StartDate.Add(time.Minute))
	nowActive := status("active")
	assert.True(t, slices.ContainsFunc(nowActive, func(p gen.IncentiveProgram) bool { return p.ID == upcoming[0].ID }))

	_, err = c.GetIncentivePrograms(ctx, &gen.GetIncentiveProgramsParams{Status: ptr(gen.GetIncentiveProgramsParamsStatus("paid"))})
	requireAPIError(t, err, http.StatusBadRequest, "")
}
