package kalshi_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/specread"
	"github.com/seed-c9ca4919/kalshi/internal/spectest"
)

// pagedMarkets serves n markets, limit per page, with opaque cursors.
func pagedMarkets(t *testing.T, n int) *testServer {
	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		limit := 100
		if v := r.URL.Query().Get("limit"); v != "" {
			limit, _ = strconv.Atoi(v)
		}
		start := 0
		if c := r.URL.Query().Get("cursor"); c != "" {
			start, _ = strconv.Atoi(strings.TrimPrefix(c, "c-"))
		}
		var items []string
		for i := start; i < start+limit && i < n; i++ {
			items = append(items, fmt.Sprintf(`{"ticker":"KX-%03d","event_ticker":"KX"}`, i))
		}
		next := ""
		if start+limit < n {
			next = fmt.Sprintf("c-%d", start+limit)
		}
		writeJSON(w, http.StatusOK, fmt.Sprintf(`{"cursor":%q,"markets":[%s]}`, next, strings.Join(items, ",")))
	})
	return ts
}

func TestIteratorFollowsCursorsAndCopiesParams(t *testing.T) {
	t.Parallel()
	ts := pagedMarkets(t, 23)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()))
	require.NoError(t, err)

	limit := int64(10)
	params := &gen.GetMarketsParams{Limit: &limit}
	var pages []kalshi.PageInfo
	var tickers []string
	for m, err := range c.GetMarketsIter(context.Background(), params, kalshi.OnPage(func(p kalshi.PageInfo) { pages = append(pages, p) })) {
		require.NoError(t, err)
		tickers = append(tickers, m.Ticker)
	}
	require.Len(t, tickers, 23)
	assert.Equal(t, "KX-000", tickers[0])
	assert.Equal(t, "KX-022", tickers[22])
	assert.Equal(t, []kalshi.PageInfo{{1, 10, 10, "c-10"}, {2, 10, 20, "c-20"}, {3, 3, 23, ""}}, pages)
	assert.Nil(t, params.Cursor, "the caller's params are not modified")

	got := ts.received()
	require.Len(t, got, 3)
	assert.Equal(t, "limit=10", got[0].Query)
	assert.Contains(t, got[1].Query, "cursor=c-10")
	assert.Contains(t, got[2].Query, "limit=10")
}

func TestIteratorStartsAtTheCallersCursorAndCapsPages(t *testing.T) {
	t.Parallel()
	ts := pagedMarkets(t, 50)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()))
	require.NoError(t, err)
	limit, cursor := int64(5), "c-20"
	n := 0
	for m, err := range c.GetMarketsIter(context.Background(), &gen.GetMarketsParams{Limit: &limit, Cursor: &cursor}, kalshi.MaxPages(2)) {
		require.NoError(t, err)
		if n == 0 {
			assert.Equal(t, "KX-020", m.Ticker)
		}
		n++
	}
	assert.Equal(t, 10, n)
	assert.Len(t, ts.received(), 2)
}

func TestIteratorStopsWhenTheCallerBreaks(t *testing.T) {
	t.Parallel()
	ts := pagedMarkets(t, 50)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()))
	require.NoError(t, err)
	limit := int64(10)
	n := 0
	for _, err := range c.GetMarketsIter(context.Background(), &gen.GetMarketsParams{Limit: &limit}) {
		require.NoError(t, err)
		if n++; n == 12 {
			break
		}
	}
	assert.Len(t, ts.received(), 2, "no page is fetched beyond the one being read")
}

func TestIteratorDetectsARepeatedCursor(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/portfolio/fills", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"cursor":"same","fills":[]}`)
	})
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer))
	require.NoError(t, err)
	var lastErr error
	for _, err := range c.GetFillsIter(context.Background(), nil) {
		lastErr = err
	}
	require.ErrorIs(t, lastErr, kalshi.ErrRepeatedCursor)
	assert.Len(t, ts.received(), 2)
}

func TestIteratorYieldsAPIErrorsAndHonoursContext(t *testing.T) {
	t.Parallel()
	ts := pagedMarkets(t, 30)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	limit := int64(10)
	n := 0
	var lastErr error
	for _, err := range c.GetMarketsIter(ctx, &gen.GetMarketsParams{Limit: &limit}) {
		if err != nil {
			lastErr = err
			break
		}
		if n++; n == 10 {
			cancel()
		}
	}
	assert.ErrorIs(t, lastErr, context.Canceled)
	assert.Len(t, ts.received(), 1)

	bad := newTestServer(t)
	bad.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, `{"msg":"Parameter validation failed for GetMarkets"}`)
	})
	c2, err := kalshi.New(kalshi.WithBaseURL(bad.baseURL()))
	require.NoError(t, err)
	for _, err := range c2.GetMarketsIter(context.Background(), nil) {
		var apiErr *kalshi.APIError
		require.True(t, errors.As(err, &apiErr))
		assert.Contains(t, err.Error(), "page 1")
	}
}

// TestPositionsIteratorsCoverBothLists: an operation with two lists gets
// an iterator per list.
func TestPositionsIteratorsCoverBothLists(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/portfolio/positions", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("cursor") == "" {
			writeJSON(w, http.StatusOK, `{"cursor":"p2","market_positions":[{"ticker":"A","position_fp":"1.00"}],"event_positions":[{"event_ticker":"E1"}]}`)
			return
		}
		writeJSON(w, http.StatusOK, `{"market_positions":[{"ticker":"B","position_fp":"-2.50"}],"event_positions":[]}`)
	})
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer))
	require.NoError(t, err)
	var tickers []string
	for p, err := range c.GetPositionsMarketPositionsIter(context.Background(), nil) {
		require.NoError(t, err)
		tickers = append(tickers, p.Ticker+" "+p.PositionFp.String())
	}
	assert.Equal(t, []string{"A 1.00", "B -2.50"}, tickers)
	var events []string
	for e, err := range c.GetPositionsEventPositionsIter(context.Background(), nil) {
		require.NoError(t, err)
		events = append(events, e.EventTicker)
	}
	assert.Equal(t, []string{"E1"}, events)
}

// TestEveryPaginatedOperationHasIterators reads the spec: every operation
// taking a cursor (cursor, page_token, ...) whose success body returns one
// (cursor, next_cursor, next_page_token, ...) and a list has a Pages
// iterator on the Client, and an item iterator.
func TestEveryPaginatedOperationHasIterators(t *testing.T) {
	t.Parallel()
	ops, err := spectest.LoadRepoSpec()
	require.NoError(t, err)
	c, err := kalshi.New()
	require.NoError(t, err)
	paginated := 0
	for _, op := range ops {
		if op.CursorParam == "" {
			continue
		}
		m, ok := spectest.Method(c, op.ID, "")
		require.True(t, ok, op.ID)
		bodyType := m.Type().Out(0).Elem()
		hasCursor := false
		var lists []string // Go names of the list fields
		for i := 0; i < bodyType.NumField(); i++ {
			f := bodyType.Field(i)
			switch name := strings.Split(f.Tag.Get("json"), ",")[0]; {
			case specread.IsCursorName(name):
				hasCursor = true
			case f.Type.Kind() == reflect.Slice || (f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Slice):
				lists = append(lists, f.Name)
			}
		}
		if !hasCursor || len(lists) == 0 {
			continue
		}
		paginated++
		_, ok = spectest.Method(c, op.ID, "Pages")
		assert.True(t, ok, "%s has no Pages iterator", op.ID)
		// One item iterator per list: <Op>Iter for the list named after
		// the operation (or the only one), <Op><List>Iter for the others.
		_, primary := spectest.Method(c, op.ID, "Iter")
		named := 0
		for _, l := range lists {
			if _, ok := spectest.Method(c, op.ID, l+"Iter"); ok {
				named++
			}
		}
		if primary {
			named++
		}
		assert.Equal(t, len(lists), named, "%s: one item iterator per list %v", op.ID, lists)
	}
	// Spec 3.31.0 has 28; the count comes from the spec, so a new list
	// operation is checked as soon as it is there.
	assert.Positive(t, paginated)
	t.Logf("%d cursor-paginated operations, each with its iterators", paginated)
}
