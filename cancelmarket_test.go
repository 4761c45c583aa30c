package kalshi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
)

// countingTransport counts the requests that reach the network, by method
// and path, and the items of each batch cancel.
type countingTransport struct {
	mu    sync.Mutex
	calls map[string]int
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.calls[r.Method+" "+strings.TrimPrefix(r.URL.Path, "/trade-api/v2")]++
	c.mu.Unlock()
	return kalshi.DefaultTransport().RoundTrip(r)
}

func (c *countingTransport) count(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.calls[key]
}

const batchCancelPath = "DELETE /portfolio/events/orders/batched"

// cancelEnv is a fake exchange with two markets and a client counting its
// requests, and a plain client of the same account to place orders with.
func cancelEnv(t *testing.T, opts ...kalshi.Option) (*kalshi.Client, *countingTransport, *kalshi.Client) {
	t.Helper()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXA-26JUN12-T1"}),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXB-26JUN12-T1"}))
	t.Cleanup(srv.Close)
	signer, pub := newSigner(t)
	srv.AddAPIKey(signer.KeyID(), pub)
	ct := &countingTransport{calls: map[string]int{}}
	c, err := kalshi.New(append([]kalshi.Option{kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer),
		kalshi.WithHTTPClient(&http.Client{Transport: ct})}, opts...)...)
	require.NoError(t, err)
	plain, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))
	require.NoError(t, err)
	return c, ct, plain
}

// rest places n resting bids in market, via batches.
func rest(t *testing.T, c *kalshi.Client, market string, n int) {
	t.Helper()
	for n > 0 {
		var orders []gen.CreateOrderV2Request
		for i := range min(n, 20) {
			orders = append(orders, gen.CreateOrderV2Request{Ticker: market, Side: gen.BookSideBid,
				Price: money.DollarsFromCents(int64(10 + i)), Count: money.CountFromInt(1),
				TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross})
		}
		resp, err := c.BatchCreateOrdersV2(context.Background(), gen.BatchCreateOrdersV2Request{Orders: orders})
		require.NoError(t, err)
		for _, o := range resp.Orders {
			require.Nil(t, o.Error)
		}
		n -= len(orders)
	}
}

func restingIn(t *testing.T, c *kalshi.Client, market string) int {
	t.Helper()
	status := string(gen.OrderStatusResting)
	n := 0
	for _, err := range c.GetOrdersIter(context.Background(), &gen.GetOrdersParams{Ticker: &market, Status: &status}) {
		require.NoError(t, err)
		n++
	}
	return n
}

// TestCancelOrdersInMarket cancels 120 resting orders of one market in
// batches of 50, across pages of the listing, and leaves the other
// market's orders alone.
func TestCancelOrdersInMarket(t *testing.T) {
	c, ct, _ := cancelEnv(t)
	rest(t, c, "KXA-26JUN12-T1", 120)
	rest(t, c, "KXB-26JUN12-T1", 3)

	res, err := c.CancelOrdersInMarket(context.Background(), "KXA-26JUN12-T1")
	require.NoError(t, err)
	assert.Equal(t, 120, res.Resting)
	assert.Len(t, res.Canceled, 120)
	assert.Empty(t, res.Failed)
	assert.Equal(t, 50, res.BatchSize, "the smallest tier's write bucket, 100 tokens at 2 a cancel")
	assert.Equal(t, 3, ct.count(batchCancelPath), "50 + 50 + 20")
	ids := map[string]bool{}
	for _, o := range res.Canceled {
		assert.Equal(t, money.CountFromInt(1), o.ReducedBy)
		ids[o.OrderID] = true
	}
	assert.Len(t, ids, 120, "each order once")
	assert.Zero(t, restingIn(t, c, "KXA-26JUN12-T1"))
	assert.Equal(t, 3, restingIn(t, c, "KXB-26JUN12-T1"))

	// Nothing left: no cancel is sent.
	res, err = c.CancelOrdersInMarket(context.Background(), "KXA-26JUN12-T1")
	require.NoError(t, err)
	assert.Zero(t, res.Resting)
	assert.Equal(t, 3, ct.count(batchCancelPath))
}

// TestCancelOrdersInMarketFitsTheClientsBucket: with rate limiting on, a
// batch is the client's write bucket over the cost of a cancel.
func TestCancelOrdersInMarketFitsTheClientsBucket(t *testing.T) {
	c, ct, plain := cancelEnv(t, kalshi.WithTier(kalshi.Basic))
	rest(t, plain, "KXA-26JUN12-T1", 100)
	res, err := c.CancelOrdersInMarket(context.Background(), "KXA-26JUN12-T1")
	require.NoError(t, err)
	assert.Equal(t, 45, res.BatchSize, "Basic's 100 write tokens less 100 ms of refill, at 2 a cancel")
	assert.Len(t, res.Canceled, 100)
	assert.Equal(t, 3, ct.count(batchCancelPath))
}

func TestCancelOrdersInMarketRefusesAnEmptyTicker(t *testing.T) {
	c, ct, _ := cancelEnv(t)
	for _, ticker := range []string{"", " "} {
		res, err := c.CancelOrdersInMarket(context.Background(), ticker)
		assert.Nil(t, res)
		assert.ErrorIs(t, err, kalshi.ErrInvalidParameter)
	}
	assert.Empty(t, ct.calls, "nothing sent")
}

// TestCancelOrdersInMarketPartialFailure: the cancels Kalshi refuses are
// reported one by one, and the call returns the result with an error
// wrapping each; an order no longer resting (not_found) is not a failure.
func TestCancelOrdersInMarketPartialFailure(t *testing.T) {
	ts := newTestServer(t)
	ts.handle("GET", "/portfolio/orders", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "KX-1", r.URL.Query().Get("ticker"))
		assert.Equal(t, "resting", r.URL.Query().Get("status"))
		writeJSON(w, 200, `{"cursor":"","orders":[
			{"order_id":"o1","ticker":"KX-1","status":"resting"},
			{"order_id":"o2","ticker":"KX-1","status":"resting","subaccount_number":3},
			{"order_id":"o3","ticker":"KX-1","status":"resting"},
			{"order_id":"o4","ticker":"KX-1","status":"resting"}]}`)
	})
	ts.handle("DELETE", "/portfolio/events/orders/batched", func(w http.ResponseWriter, r *http.Request) {
		assert.JSONEq(t, `{"orders":[{"order_id":"o1","market_ticker":"KX-1"},{"order_id":"o2","market_ticker":"KX-1","subaccount":3},{"order_id":"o3","market_ticker":"KX-1"},{"order_id":"o4","market_ticker":"KX-1"}]}`, string(readAll(r)))
		writeJSON(w, 200, `{"orders":[
			{"order_id":"o1","reduced_by":"2.00","ts_ms":1},
			{"order_id":"o2","client_order_id":"c2","reduced_by":"0.00","ts_ms":null,"error":{"code":"internal_error","message":"try again"}},
			{"order_id":"o3","reduced_by":"1.00","ts_ms":2},
			{"order_id":"o4","reduced_by":"0.00","ts_ms":null,"error":{"code":"not_found","message":"order not found"}}]}`)
	})
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)

	res, err := c.CancelOrdersInMarket(context.Background(), "KX-1")
	require.Error(t, err)
	require.NotNil(t, res)
	assert.Equal(t, 4, res.Resting)
	require.Len(t, res.Canceled, 2)
	assert.Equal(t, []string{"o4"}, res.NotResting)
	assert.Equal(t, "o1", res.Canceled[0].OrderID)
	assert.Equal(t, money.MustCount("2"), res.Canceled[0].ReducedBy)
	assert.Equal(t, []kalshi.BatchItemError{{OrderID: "o2", ClientOrderID: "c2", Code: "internal_error", Message: "try again"}}, res.Failed)
	var item *kalshi.BatchItemError
	require.True(t, errors.As(err, &item))
	assert.Equal(t, "o2", item.OrderID)
	assert.EqualError(t, err, "kalshi: CancelOrdersInMarket KX-1: 1 of 4 cancels refused: kalshi: order o2: internal_error: try again")
}

// TestCancelOrdersInMarketBatchFails: a batch refused as a whole stops the
// work; the result says what was done.
func TestCancelOrdersInMarketBatchFails(t *testing.T) {
	ts := newTestServer(t)
	ts.handle("GET", "/portfolio/orders", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"cursor":"","orders":[{"order_id":"o1","ticker":"KX-1","status":"resting"}]}`)
	})
	ts.handle("DELETE", "/portfolio/events/orders/batched", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 403, `{"error":{"code":"forbidden","message":"no"}}`)
	})
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	res, err := c.CancelOrdersInMarket(context.Background(), "KX-1")
	assert.ErrorIs(t, err, kalshi.ErrForbidden)
	assert.ErrorContains(t, err, "1 of 1 orders not canceled")
	require.NotNil(t, res)
	assert.Equal(t, 1, res.Resting)
	assert.Empty(t, res.Canceled)
}

// TestCancelOrdersInMarketLostAnswers: with answers lost after the exchange
// acted (dropped connections, a proxy's 502 or 504), a retried batch finds
// its orders already canceled. Nothing is left resting, no order is
// reported as a failure, and every order is accounted for once.
func TestCancelOrdersInMarketLostAnswers(t *testing.T) {
	srv := kalshitest.NewServer(kalshitest.WithSeed(3), kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: "KXA-26JUN12-T1"}))
	t.Cleanup(srv.Close)
	signer, pub := newSigner(t)
	srv.AddAPIKey(signer.KeyID(), pub)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	rest(t, c, "KXA-26JUN12-T1", 200)

	srv.InjectFaults(kalshitest.Faults{LostAnswerRate: 0.5})
	accounted := map[string]int{}
	for range 5 { // a batch whose every attempt is lost fails as a whole; running again is safe
		var res *kalshi.MarketCancels
		res, err = c.CancelOrdersInMarket(context.Background(), "KXA-26JUN12-T1")
		require.NotNil(t, res)
		assert.Empty(t, res.Failed)
		for _, o := range res.Canceled {
			accounted[o.OrderID]++
		}
		for _, id := range res.NotResting {
			accounted[id]++
		}
		if err == nil {
			break
		}
		assert.NotErrorIs(t, err, kalshi.ErrForbidden)
	}
	require.NoError(t, err)
	srv.InjectFaults(kalshitest.Faults{})
	assert.Zero(t, restingIn(t, c, "KXA-26JUN12-T1"))
	assert.Len(t, accounted, 200, "every order canceled or found no longer resting")
}
