package kalshitest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

const (
	crossCollection = "KXMVECROSSCATEGORY-R"
	gamesCollection = "KXMVESPORTSMULTIGAME-R"
)

// mvAPIError returns the *kalshi.APIError of a refused call.
func mvAPIError(t *testing.T, err error) *kalshi.APIError {
	t.Helper()
	var apiErr *kalshi.APIError
	require.ErrorAs(t, err, &apiErr)
	return apiErr
}

// mvCollection returns a collection, which must exist.
func mvCollection(t *testing.T, c *kalshi.Client, ticker string) gen.MultivariateEventCollection {
	t.Helper()
	res, err := c.GetMultivariateEventCollection(ctxFor(t), ticker)
	require.NoError(t, err)
	return res.MultivariateContract
}

// mvLegs picks one open market from each of the first n events of a
// collection, on side.
func mvLegs(t *testing.T, c *kalshi.Client, col gen.MultivariateEventCollection, n int, side gen.TickerPairSide) []gen.TickerPair {
	t.Helper()
	var legs []gen.TickerPair
	for _, ae := range col.AssociatedEvents {
		if len(legs) == n {
			break
		}
		ms, err := c.GetMarkets(ctxFor(t), &gen.GetMarketsParams{EventTicker: ptr(ae.Ticker), Status: ptr(gen.GetMarketsParamsStatus("open"))})
		require.NoError(t, err)
		require.NotEmpty(t, ms.Markets, "event %s has no open market", ae.Ticker)
		legs = append(legs, gen.TickerPair{EventTicker: ae.Ticker, MarketTicker: ms.Markets[0].Ticker, Side: side})
	}
	require.Len(t, legs, n)
	return legs
}

// TestMultivariateCollections checks the seeded collections: built over
// events and series that exist, listed with their filters and pages, and
// fetched one by one.
func TestMultivariateCollections(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := ctxFor(t)
	all, err := c.GetMultivariateEventCollections(ctx, nil)
	require.NoError(t, err)
	require.Len(t, all.MultivariateContracts, 2)
	assert.Empty(t, all.Cursor)
	var gameEvent, weatherEvent string
	for _, col := range all.MultivariateContracts {
		assert.Contains(t, []string{crossCollection, gamesCollection}, col.CollectionTicker)
		assert.True(t, strings.HasPrefix(col.CollectionTicker, col.SeriesTicker+"-"), "collection %s in series %s", col.CollectionTicker, col.SeriesTicker)
		_, err := c.GetSeries(ctx, col.SeriesTicker, nil)
		require.NoError(t, err, "series of %s", col.CollectionTicker)
		assert.True(t, col.OpenDate.Before(col.CloseDate))
		assert.LessOrEqual(t, col.SizeMin, col.SizeMax)
		require.Len(t, col.AssociatedEventTickers, len(col.AssociatedEvents))
		for i, ae := range col.AssociatedEvents {
			assert.Equal(t, ae.Ticker, col.AssociatedEventTickers[i])
			ev, err := c.GetEvent(ctx, ae.Ticker, nil)
			require.NoError(t, err, "associated event %s", ae.Ticker)
			assert.NotEmpty(t, ev.Markets)
			switch ev.Event.SeriesTicker {
			case "KXNBAGAME":
				gameEvent = ae.Ticker
			case "KXHIGHNY":
				weatherEvent = ae.Ticker
			}
		}
		assert.Equal(t, col, mvCollection(t, c, col.CollectionTicker))
	}
	games := mvCollection(t, c, gamesCollection)
	assert.True(t, games.IsAllYes)
	for _, ae := range games.AssociatedEvents {
		assert.True(t, ae.IsYesOnly)
		assert.True(t, strings.HasPrefix(ae.Ticker, "KXNBAGAME-"))
	}
	require.NotEmpty(t, gameEvent)
	require.NotEmpty(t, weatherEvent)

	list := func(p gen.GetMultivariateEventCollectionsParams) []string {
		t.Helper()
		res, err := c.GetMultivariateEventCollections(ctx, &p)
		require.NoError(t, err)
		var out []string
		for _, col := range res.MultivariateContracts {
			out = append(out, col.CollectionTicker)
		}
		return out
	}
	assert.Equal(t, []string{gamesCollection}, list(gen.GetMultivariateEventCollectionsParams{SeriesTicker: ptr("KXMVESPORTSMULTIGAME")}))
	assert.Equal(t, []string{crossCollection, gamesCollection}, list(gen.GetMultivariateEventCollectionsParams{AssociatedEventTicker: &gameEvent}))
	assert.Equal(t, []string{crossCollection}, list(gen.GetMultivariateEventCollectionsParams{AssociatedEventTicker: &weatherEvent}))
	assert.Len(t, list(gen.GetMultivariateEventCollectionsParams{Status: ptr(gen.GetMultivariateEventCollectionsParamsStatusOpen)}), 2)
	assert.Empty(t, list(gen.GetMultivariateEventCollectionsParams{Status: ptr(gen.GetMultivariateEventCollectionsParamsStatusClosed)}))
	assert.Empty(t, list(gen.GetMultivariateEventCollectionsParams{Status: ptr(gen.GetMultivariateEventCollectionsParamsStatusUnopened)}))

	first, err := c.GetMultivariateEventCollections(ctx, &gen.GetMultivariateEventCollectionsParams{Limit: ptr(int32(1))})
	require.NoError(t, err)
	require.Len(t, first.MultivariateContracts, 1)
	require.NotEmpty(t, first.Cursor)
	second, err := c.GetMultivariateEventCollections(ctx, &gen.GetMultivariateEventCollectionsParams{Limit: ptr(int32(1)), Cursor: &first.Cursor})
	require.NoError(t, err)
	require.Len(t, second.MultivariateContracts, 1)
	assert.Empty(t, second.Cursor)
	assert.NotEqual(t, first.MultivariateContracts[0].CollectionTicker, second.MultivariateContracts[0].CollectionTicker)

	_, err = c.GetMultivariateEventCollection(ctx, "KXMVENOSUCH-R")
	assert.Equal(t, http.StatusNotFound, mvAPIError(t, err).StatusCode)
}

// TestMultivariateCollectionsNeedEvents checks that without events there
// is nothing to combine, so no collection.
func TestMultivariateCollectionsNeedEvents(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(0))
	res, err := c.GetMultivariateEventCollections(ctxFor(t), nil)
	require.NoError(t, err)
	assert.Empty(t, res.MultivariateContracts)
}

// TestCreateComboMarket creates a combo market and checks that it is a
// real market: listed, in its own event of the collection's series, with
// an empty book, and tradable between two accounts.
func TestCreateComboMarket(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t)
	ctx := ctxFor(t)
	col := mvCollection(t, c, crossCollection)
	legs := mvLegs(t, c, col, 3, gen.TickerPairSideYes)
	legs[1].Side = gen.TickerPairSideNo

	res, err := c.CreateMarketInMultivariateEventCollection(ctx, crossCollection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: legs, WithMarketPayload: ptr(true)})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(res.EventTicker, col.SeriesTicker+"-"), "event %s", res.EventTicker)
	assert.True(t, strings.HasPrefix(res.MarketTicker, res.EventTicker+"-"), "market %s", res.MarketTicker)
	require.NotNil(t, res.Market)
	assert.Equal(t, res.MarketTicker, res.Market.Ticker)
	assert.Equal(t, crossCollection, res.Market.MVECollectionTicker)
	require.Len(t, res.Market.MVESelectedLegs, 3)
	for _, l := range res.Market.MVESelectedLegs {
		want := false
		for _, in := range legs {
			want = want || (in.MarketTicker == l.MarketTicker && in.EventTicker == l.EventTicker && string(in.Side) == l.Side)
		}
		assert.True(t, want, "leg %+v was not selected", l)
	}
	assert.Contains(t, res.Market.Title, "no ")

	m, err := c.GetMarket(ctx, res.MarketTicker)
	require.NoError(t, err)
	assert.Equal(t, gen.MarketStatus("active"), m.Market.Status)
	assert.Equal(t, res.EventTicker, m.Market.EventTicker)
	assert.Equal(t, res.Market.Title, m.Market.Title)
	ev, err := c.GetEvent(ctx, res.EventTicker, nil)
	require.NoError(t, err)
	assert.Equal(t, col.SeriesTicker, ev.Event.SeriesTicker)
	require.Len(t, ev.Markets, 1)
	assert.Equal(t, res.MarketTicker, ev.Markets[0].Ticker)
	listed, err := c.GetMarkets(ctx, &gen.GetMarketsParams{SeriesTicker: ptr(col.SeriesTicker)})
	require.NoError(t, err)
	require.Len(t, listed.Markets, 1)
	assert.Equal(t, res.MarketTicker, listed.Markets[0].Ticker)

	book, err := c.GetMarketOrderbook(ctx, res.MarketTicker, nil)
	require.NoError(t, err)
	assert.Empty(t, book.OrderbookFp.YesDollars)
	assert.Empty(t, book.OrderbookFp.NoDollars)

	// Tradable: a bid rests, another account sells into it.
	other := clientFor(t, srv, "mve-seller", "100")
	placeOrder(t, c, res.MarketTicker, "bid", "0.12", "5")
	placeOrder(t, other, res.MarketTicker, "ask", "0.12", "5")
	pos, err := c.GetPositions(ctx, &gen.GetPositionsParams{Ticker: ptr(res.MarketTicker)})
	require.NoError(t, err)
	require.Len(t, pos.MarketPositions, 1)
	assert.Equal(t, qty("5"), pos.MarketPositions[0].PositionFp)
	m, err = c.GetMarket(ctx, res.MarketTicker)
	require.NoError(t, err)
	assert.Equal(t, qty("5"), m.Market.VolumeFp)
	assert.Equal(t, usd("0.12"), m.Market.LastPriceDollars)
}

// TestCreateComboMarketTwice checks that the same legs give the same
// market, in any order, while other legs give another.
func TestCreateComboMarketTwice(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := ctxFor(t)
	col := mvCollection(t, c, crossCollection)
	legs := mvLegs(t, c, col, 2, gen.TickerPairSideYes)
	create := func(legs ...gen.TickerPair) *gen.CreateMarketInMultivariateEventCollectionResponse {
		t.Helper()
		res, err := c.CreateMarketInMultivariateEventCollection(ctx, crossCollection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: legs})
		require.NoError(t, err)
		assert.Nil(t, res.Market, "no payload unless asked")
		return res
	}
	first := create(legs...)
	again := create(legs[1], legs[0])
	assert.Equal(t, first.MarketTicker, again.MarketTicker)
	assert.Equal(t, first.EventTicker, again.EventTicker)

	flipped := []gen.TickerPair{legs[0], legs[1]}
	flipped[0].Side = gen.TickerPairSideNo
	other := create(flipped...)
	assert.NotEqual(t, first.MarketTicker, other.MarketTicker)

	evs, err := c.GetMultivariateEvents(ctx, nil)
	require.NoError(t, err)
	require.Len(t, evs.Events, 2, "one event per distinct combo")
	ms, err := c.GetMarkets(ctx, &gen.GetMarketsParams{EventTicker: &first.EventTicker})
	require.NoError(t, err)
	assert.Len(t, ms.Markets, 1)
}

// TestCreateComboMarketRefused checks the collection's rules: each refusal
// names its reason and creates nothing.
func TestCreateComboMarketRefused(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := ctxFor(t)
	cross := mvCollection(t, c, crossCollection)
	games := mvCollection(t, c, gamesCollection)
	legs := mvLegs(t, c, cross, 2, gen.TickerPairSideYes)
	gameLegs := mvLegs(t, c, games, 1, gen.TickerPairSideYes)
	sameEvent, err := c.GetMarkets(ctx, &gen.GetMarketsParams{EventTicker: &legs[0].EventTicker, Status: ptr(gen.GetMarketsParamsStatus("open"))})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(sameEvent.Markets), 2)
	second := gen.TickerPair{EventTicker: legs[0].EventTicker, MarketTicker: sameEvent.Markets[1].Ticker, Side: "yes"}
	var nonGame gen.TickerPair
	for _, l := range legs {
		if !strings.HasPrefix(l.EventTicker, "KXNBAGAME-") {
			nonGame = l
		}
	}
	require.NotEmpty(t, nonGame.MarketTicker)
	var closedMarket gen.Market
	closed, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatus("closed"))})
	require.NoError(t, err)
	require.NotEmpty(t, closed.Markets)
	closedMarket = closed.Markets[0]
	openLeg := legs[0]
	if openLeg.EventTicker == closedMarket.EventTicker {
		openLeg = legs[1]
	}

	for _, tc := range []struct {
		name       string
		collection string
		legs       []gen.TickerPair
		status     int
		details    string
	}{
		{"unknown collection", "KXMVENOSUCH-R", legs, http.StatusNotFound, ""},
		{"too few legs", crossCollection, legs[:1], http.StatusBadRequest, "takes 2 to"},
		{"unknown market", crossCollection, []gen.TickerPair{legs[0], {EventTicker: legs[1].EventTicker, MarketTicker: legs[1].EventTicker + "-NOSUCH", Side: "yes"}}, http.StatusBadRequest, "does not exist"},
		{"market of another event", crossCollection, []gen.TickerPair{legs[0], {EventTicker: legs[1].EventTicker, MarketTicker: legs[0].MarketTicker, Side: "yes"}}, http.StatusBadRequest, "is not in event"},
		{"event not in the collection", gamesCollection, []gen.TickerPair{gameLegs[0], nonGame}, http.StatusBadRequest, "is not in collection"},
		{"two markets of one event", crossCollection, []gen.TickerPair{legs[0], second}, http.StatusBadRequest, "one market per event"},
		{"same market twice", gamesCollection, []gen.TickerPair{gameLegs[0], gameLegs[0]}, http.StatusBadRequest, "selected twice"},
		{"closed market", crossCollection, []gen.TickerPair{openLeg, {EventTicker: closedMarket.EventTicker, MarketTicker: closedMarket.Ticker, Side: "yes"}}, http.StatusBadRequest, "is not open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateMarketInMultivariateEventCollection(ctx, tc.collection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: tc.legs})
			apiErr := mvAPIError(t, err)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			if tc.status == http.StatusBadRequest {
				assert.Equal(t, "invalid_parameters", apiErr.Code)
				assert.Contains(t, apiErr.Details, tc.details)
			}
		})
	}
	// A yes-only event refuses the no side with its reason.
	gameMarkets, err := c.GetMarkets(ctx, &gen.GetMarketsParams{EventTicker: &gameLegs[0].EventTicker})
	require.NoError(t, err)
	_, err = c.CreateMarketInMultivariateEventCollection(ctx, gamesCollection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: []gen.TickerPair{
		gameLegs[0], {EventTicker: gameLegs[0].EventTicker, MarketTicker: gameMarkets.Markets[1].Ticker, Side: "no"},
	}})
	assert.Contains(t, mvAPIError(t, err).Details, "only the yes side")

	evs, err := c.GetMultivariateEvents(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, evs.Events, "nothing created by a refused request")
}

// TestMultivariateEvents checks the listing of combo events: by
// collection or series, with nested markets, in pages.
func TestMultivariateEvents(t *testing.T) {
	t.Parallel()
	_, c := newClient(t)
	ctx := ctxFor(t)
	cross := mvCollection(t, c, crossCollection)
	games := mvCollection(t, c, gamesCollection)
	crossLegs := mvLegs(t, c, cross, 2, gen.TickerPairSideYes)
	gameEvent := games.AssociatedEvents[0].Ticker
	gameMarkets, err := c.GetMarkets(ctx, &gen.GetMarketsParams{EventTicker: &gameEvent, Status: ptr(gen.GetMarketsParamsStatus("open"))})
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(gameMarkets.Markets), 2)
	gameLegs := []gen.TickerPair{{EventTicker: gameEvent, MarketTicker: gameMarkets.Markets[0].Ticker, Side: "yes"}, {EventTicker: gameEvent, MarketTicker: gameMarkets.Markets[1].Ticker, Side: "yes"}}

	a, err := c.CreateMarketInMultivariateEventCollection(ctx, crossCollection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: crossLegs})
	require.NoError(t, err)
	b, err := c.CreateMarketInMultivariateEventCollection(ctx, gamesCollection, gen.CreateMarketInMultivariateEventCollectionRequest{SelectedMarkets: gameLegs})
	require.NoError(t, err)

	list := func(p *gen.GetMultivariateEventsParams) *gen.GetMultivariateEventsResponse {
		t.Helper()
		res, err := c.GetMultivariateEvents(ctx, p)
		require.NoError(t, err)
		return res
	}
	all := list(nil)
	require.Len(t, all.Events, 2)
	assert.Equal(t, a.EventTicker, all.Events[0].EventTicker)
	assert.Equal(t, b.EventTicker, all.Events[1].EventTicker)
	assert.Empty(t, all.Events[0].Markets, "markets only when nested")

	byCollection := list(&gen.GetMultivariateEventsParams{CollectionTicker: ptr(gamesCollection), WithNestedMarkets: ptr(true)})
	require.Len(t, byCollection.Events, 1)
	assert.Equal(t, b.EventTicker, byCollection.Events[0].EventTicker)
	assert.Equal(t, games.SeriesTicker, byCollection.Events[0].SeriesTicker)
	require.Len(t, byCollection.Events[0].Markets, 1)
	assert.Equal(t, b.MarketTicker, byCollection.Events[0].Markets[0].Ticker)
	assert.Equal(t, gamesCollection, byCollection.Events[0].Markets[0].MVECollectionTicker)
	assert.Len(t, byCollection.Events[0].Markets[0].MVESelectedLegs, 2)

	bySeries := list(&gen.GetMultivariateEventsParams{SeriesTicker: ptr(cross.SeriesTicker)})
	require.Len(t, bySeries.Events, 1)
	assert.Equal(t, a.EventTicker, bySeries.Events[0].EventTicker)
	assert.Empty(t, list(&gen.GetMultivariateEventsParams{SeriesTicker: ptr("KXHIGHNY")}).Events, "ordinary events are not multivariate")

	p1 := list(&gen.GetMultivariateEventsParams{Limit: ptr(1)})
	require.Len(t, p1.Events, 1)
	require.NotEmpty(t, p1.Cursor)
	p2 := list(&gen.GetMultivariateEventsParams{Limit: ptr(1), Cursor: &p1.Cursor})
	require.Len(t, p2.Events, 1)
	assert.Equal(t, b.EventTicker, p2.Events[0].EventTicker)
	assert.Empty(t, p2.Cursor)

	_, err = c.GetMultivariateEvents(ctx, &gen.GetMultivariateEventsParams{SeriesTicker: ptr(cross.SeriesTicker), CollectionTicker: ptr(crossCollection)})
	assert.Equal(t, http.StatusBadRequest, mvAPIError(t, err).StatusCode)
}
