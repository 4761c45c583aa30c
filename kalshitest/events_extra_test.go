package kalshitest_test

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
)

// mvEventOfSeries returns an event of a series with its markets.
func mvEventOfSeries(t *testing.T, c *kalshi.Client, series string) *gen.GetEventResponse {
	t.Helper()
	// open events: the series' settled, archived event has no markets left
	// on the live endpoints
	evs, err := c.GetEvents(ctxFor(t), &gen.GetEventsParams{SeriesTicker: ptr(series), Status: ptr(gen.GetEventsParamsStatusOpen)})
	require.NoError(t, err)
	require.NotEmpty(t, evs.Events, "no open event in %s", series)
	ev, err := c.GetEvent(ctxFor(t), evs.Events[0].EventTicker, nil)
	require.NoError(t, err)
	return ev
}

func mvMarketTickers(ms []gen.Market) []string {
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.Ticker)
	}
	return out
}

// TestEventMetadata checks an event's metadata against the event: one
// entry per market in order, the series' settlement sources, the
// competition of games, and the legs' sources for a combo event.
func TestEventMetadata(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := ctxFor(t)

	game := mvEventOfSeries(t, c, "KXNBAGAME")
	md, err := c.GetEventMetadata(ctx, game.Event.EventTicker)
	require.NoError(t, err)
	assert.Equal(t, "Pro Basketball (M)", md.Competition)
	assert.Equal(t, "Game", md.CompetitionScope)
	assert.Contains(t, md.ImageURL, "KXNBAGAME")
	require.Len(t, md.MarketDetails, len(game.Markets))
	colors := map[string]bool{}
	for i, d := range md.MarketDetails {
		assert.Equal(t, game.Markets[i].Ticker, d.MarketTicker)
		assert.Contains(t, d.ImageURL, d.MarketTicker)
		assert.Regexp(t, `^#[0-9A-F]{6}$`, d.ColorCode)
		colors[d.ColorCode] = true
	}
	assert.Len(t, colors, len(game.Markets), "each market its own color")
	require.NotNil(t, md.FeaturedImageURL)
	assert.Equal(t, md.MarketDetails[0].ImageURL, *md.FeaturedImageURL)
	require.Len(t, md.SettlementSources, 1)
	assert.Equal(t, "NBA", md.SettlementSources[0].Name)

	weather := mvEventOfSeries(t, c, "KXHIGHNY")
	wmd, err := c.GetEventMetadata(ctx, weather.Event.EventTicker)
	require.NoError(t, err)
	assert.Empty(t, wmd.Competition)
	require.Len(t, wmd.SettlementSources, 1)
	assert.Equal(t, "National Weather Service", wmd.SettlementSources[0].Name)

	crypto := mvEventOfSeries(t, c, "KXBTCD")
	combo, err := c.CreateMarketInMultivariateEventCollection(ctx, crossCollection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: []gen.TickerPair{
		{EventTicker: weather.Event.EventTicker, MarketTicker: weather.Markets[0].Ticker, Side: "yes"},
		{EventTicker: crypto.Event.EventTicker, MarketTicker: crypto.Markets[0].Ticker, Side: "no"},
	}})
	require.NoError(t, err)
	cmd, err := c.GetEventMetadata(ctx, combo.EventTicker)
	require.NoError(t, err)
	require.Len(t, cmd.MarketDetails, 1)
	assert.Equal(t, combo.MarketTicker, cmd.MarketDetails[0].MarketTicker)
	var names []string
	for _, s := range cmd.SettlementSources {
		names = append(names, s.Name)
	}
	assert.ElementsMatch(t, []string{"National Weather Service", "CF Benchmarks"}, names)

	_, err = c.GetEventMetadata(ctx, "KXNOSUCH-1")
	assert.Equal(t, http.StatusNotFound, mvAPIError(t, err).StatusCode)
}

// TestEventCandlesticks trades in one market of an event and checks the
// event's candlesticks: every market in order, each the same as its own
// GetMarketCandlesticks, and a range too long cut short.
func TestEventCandlesticks(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := ctxFor(t)
	ev := mvEventOfSeries(t, c, "KXBTCD")
	var traded gen.Market
	for _, m := range ev.Markets {
		if m.Status == "active" && m.YesAskSizeFp.Sign() > 0 {
			traded = m
			break
		}
	}
	require.NotEmpty(t, traded.Ticker)
	placeOrder(t, c, traded.Ticker, "bid", traded.YesAskDollars.String(), "2")

	now := time.Now().Unix()
	p := &gen.GetMarketCandlesticksByEventParams{StartTS: now - 3600, EndTS: now + 120, PeriodInterval: 1}
	res, err := c.GetMarketCandlesticksByEvent(ctx, "KXBTCD", ev.Event.EventTicker, p)
	require.NoError(t, err)
	assert.Equal(t, p.EndTS, res.AdjustedEndTS)
	assert.Equal(t, mvMarketTickers(ev.Markets), res.MarketTickers)
	require.Len(t, res.MarketCandlesticks, len(ev.Markets))
	for i, ticker := range res.MarketTickers {
		own, err := c.GetMarketCandlesticks(ctx, "KXBTCD", ticker, &gen.GetMarketCandlesticksParams{StartTS: p.StartTS, EndTS: p.EndTS, PeriodInterval: 1})
		require.NoError(t, err)
		assert.Equal(t, own.Candlesticks, res.MarketCandlesticks[i], "candles of %s", ticker)
		volume := qty("0")
		for _, cs := range res.MarketCandlesticks[i] {
			volume = volume.Add(cs.VolumeFp)
		}
		if ticker == traded.Ticker {
			assert.Equal(t, qty("2"), volume)
		} else {
			assert.True(t, volume.IsZero(), "no trade in %s", ticker)
		}
	}

	long := &gen.GetMarketCandlesticksByEventParams{StartTS: now - 10*86400, EndTS: now, PeriodInterval: 1}
	res, err = c.GetMarketCandlesticksByEvent(ctx, "KXBTCD", ev.Event.EventTicker, long)
	require.NoError(t, err)
	assert.Less(t, res.AdjustedEndTS, long.EndTS)
	total := 0
	for _, cs := range res.MarketCandlesticks {
		total += len(cs)
		require.NotEmpty(t, cs)
		assert.LessOrEqual(t, cs[len(cs)-1].EndPeriodTS, res.AdjustedEndTS)
	}
	assert.LessOrEqual(t, total, 5000)

	_, err = c.GetMarketCandlesticksByEvent(ctx, "KXHIGHNY", ev.Event.EventTicker, p)
	assert.Equal(t, http.StatusNotFound, mvAPIError(t, err).StatusCode, "the event is not in that series")
	_, err = c.GetMarketCandlesticksByEvent(ctx, "KXBTCD", "KXBTCD-NOSUCH", p)
	assert.Equal(t, http.StatusNotFound, mvAPIError(t, err).StatusCode)
}

// TestEventForecastHistory checks the forecast history of events with
// numerical strikes: one point per period up to now, values rising with
// the percentile, rounded and written per series, the same when asked
// again; and the refusals.
func TestEventForecastHistory(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := ctxFor(t)
	weather := mvEventOfSeries(t, c, "KXHIGHNY")
	now := time.Now().Unix()
	p := &gen.GetEventForecastPercentilesHistoryParams{Percentiles: []int32{1000, 5000, 9000}, StartTS: now - 3*3600, EndTS: now + 3*3600, PeriodInterval: 60}
	res, err := c.GetEventForecastPercentilesHistory(ctx, "KXHIGHNY", weather.Event.EventTicker, p)
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(res.ForecastHistory), 2)
	require.LessOrEqual(t, len(res.ForecastHistory), 3, "nothing after now")
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, m := range weather.Markets {
		require.NotNil(t, m.FloorStrike)
		lo, hi = math.Min(lo, *m.FloorStrike), math.Max(hi, *m.FloorStrike)
	}
	for i, pt := range res.ForecastHistory {
		assert.Equal(t, weather.Event.EventTicker, pt.EventTicker)
		assert.Equal(t, int32(60), pt.PeriodInterval)
		assert.Zero(t, pt.EndPeriodTS%3600)
		assert.LessOrEqual(t, pt.EndPeriodTS, time.Now().Unix())
		if i > 0 {
			assert.Equal(t, res.ForecastHistory[i-1].EndPeriodTS+3600, pt.EndPeriodTS)
		}
		require.Len(t, pt.PercentilePoints, 3)
		for j, pp := range pt.PercentilePoints {
			assert.Equal(t, p.Percentiles[j], pp.Percentile)
			assert.InDelta(t, pp.RawNumericalForecast, pp.NumericalForecast, 0.05)
			assert.Equal(t, strconv.FormatFloat(pp.NumericalForecast, 'f', 1, 64)+"°", pp.FormattedForecast)
			if j > 0 {
				assert.Greater(t, pp.RawNumericalForecast, pt.PercentilePoints[j-1].RawNumericalForecast)
			}
		}
		median := pt.PercentilePoints[1].RawNumericalForecast
		assert.True(t, median > lo && median < hi, "median %v among the strikes %v to %v", median, lo, hi)
	}
	again, err := c.GetEventForecastPercentilesHistory(ctx, "KXHIGHNY", weather.Event.EventTicker, p)
	require.NoError(t, err)
	assert.Equal(t, res.ForecastHistory, again.ForecastHistory)

	crypto := mvEventOfSeries(t, c, "KXBTCD")
	fine, err := c.GetEventForecastPercentilesHistory(ctx, "KXBTCD", crypto.Event.EventTicker, &gen.GetEventForecastPercentilesHistoryParams{
		Percentiles: []int32{0, 9999}, StartTS: now - 60, EndTS: now, PeriodInterval: 0,
	})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(fine.ForecastHistory), 11)
	for _, pt := range fine.ForecastHistory {
		assert.Equal(t, int32(0), pt.PeriodInterval)
		assert.Zero(t, pt.EndPeriodTS%5, "5-second periods")
		for _, pp := range pt.PercentilePoints {
			assert.True(t, strings.HasPrefix(pp.FormattedForecast, "$"), pp.FormattedForecast)
			assert.False(t, math.IsInf(pp.RawNumericalForecast, 0))
		}
	}

	future, err := c.GetEventForecastPercentilesHistory(ctx, "KXHIGHNY", weather.Event.EventTicker, &gen.GetEventForecastPercentilesHistoryParams{
		Percentiles: []int32{5000}, StartTS: now + 7200, EndTS: now + 9000, PeriodInterval: 1,
	})
	require.NoError(t, err)
	assert.Empty(t, future.ForecastHistory)

	fed := mvEventOfSeries(t, c, "KXFEDDECISION")
	_, err = c.GetEventForecastPercentilesHistory(ctx, "KXFEDDECISION", fed.Event.EventTicker, p)
	apiErr := mvAPIError(t, err)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Contains(t, apiErr.Details, "no numerical forecast")
	_, err = c.GetEventForecastPercentilesHistory(ctx, "KXBTCD", weather.Event.EventTicker, p)
	assert.Equal(t, http.StatusNotFound, mvAPIError(t, err).StatusCode)
	_, err = c.GetEventForecastPercentilesHistory(ctx, "KXHIGHNY", weather.Event.EventTicker, &gen.GetEventForecastPercentilesHistoryParams{
		Percentiles: []int32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, StartTS: now - 3600, EndTS: now, PeriodInterval: 60,
	})
	assert.Equal(t, http.StatusBadRequest, mvAPIError(t, err).StatusCode)
}
