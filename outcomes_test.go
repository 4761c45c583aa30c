package kalshi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// lossyProxy stands between the client and the fake exchange and loses
// the answers of the first n requests that match: it forwards them (the
// exchange acts) and answers 502 as a proxy would, or, with forward false,
// answers 502 without forwarding (the exchange never heard of them).
type lossyProxy struct {
	*httptest.Server
	left atomic.Int32
}

func newLossyProxy(t *testing.T, srv *kalshitest.Server, n int, forward bool, match func(*http.Request) bool) *lossyProxy {
	t.Helper()
	target, err := url.Parse(srv.URL())
	require.NoError(t, err)
	target.Path = ""
	proxy := httputil.NewSingleHostReverseProxy(target)
	p := &lossyProxy{}
	p.left.Store(int32(n))
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if match(r) && p.left.Add(-1) >= 0 {
			if forward {
				proxy.ServeHTTP(httptest.NewRecorder(), r) // the exchange acts; its answer goes nowhere
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = w.Write([]byte("<title>502 Bad Gateway</title>"))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

// outcomeEnv is the fake exchange with one resting market and a client
// signing with a registered key, reaching it through a lossy proxy.
func outcomeEnv(t *testing.T, n int, forward bool, match func(*http.Request) bool) (*kalshitest.Server, *kalshi.Client) {
	t.Helper()
	srv := e2eServer(t)
	s, pub := newSigner(t)
	srv.AddAPIKey(s.KeyID(), pub)
	proxy := newLossyProxy(t, srv, n, forward, match)
	c, err := kalshi.New(kalshi.WithBaseURL(proxy.URL+"/trade-api/v2"), kalshi.WithSigner(s), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	return srv, c
}

func isOrderEntry(method, suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool {
		return r.Method == method && strings.Contains(r.URL.Path, "/portfolio/events/orders") && strings.HasSuffix(r.URL.Path, suffix)
	}
}

// A create whose answer is lost after the exchange placed it: the retry is
// refused as a duplicate, and the client settles it by finding the order.
func TestLostCreateIsFound(t *testing.T) {
	t.Parallel()
	_, c := outcomeEnv(t, 1, true, isOrderEntry("POST", "/orders"))
	order, err := c.CreateOrderV2(context.Background(), e2eOrder("bid", "0.30", "2", "good_till_canceled"))
	require.NoError(t, err, "placed once, reported placed")
	require.NotNil(t, order.ClientOrderID)
	resting, err := c.GetOrders(context.Background(), &gen.GetOrdersParams{Status: e2ePtr("resting")})
	require.NoError(t, err)
	require.Len(t, resting.Orders, 1, "exactly one order")
	assert.Equal(t, resting.Orders[0].OrderID, order.OrderID)
	assert.Equal(t, resting.Orders[0].ClientOrderID, *order.ClientOrderID)
}

// A create that never reached the exchange, on every attempt: not found,
// so the outcome is unknown, and the error carries the client_order_id to
// resend with, which places it exactly once.
func TestUnplacedCreateIsUnknownWithItsID(t *testing.T) {
	t.Parallel()
	_, c := outcomeEnv(t, 4, false, isOrderEntry("POST", "/orders"))
	_, err := c.CreateOrderV2(context.Background(), e2eOrder("bid", "0.30", "2", "good_till_canceled"))
	require.ErrorIs(t, err, kalshi.ErrOutcomeUnknown)
	var callErr *kalshi.CallError
	require.ErrorAs(t, err, &callErr)
	require.Len(t, callErr.ClientOrderIDs, 1)
	assert.Contains(t, err.Error(), "safe")

	again := e2eOrder("bid", "0.30", "2", "good_till_canceled")
	again.ClientOrderID = callErr.ClientOrderIDs[0]
	order, err := c.CreateOrderV2(context.Background(), again)
	require.NoError(t, err)
	assert.Equal(t, callErr.ClientOrderIDs[0], *order.ClientOrderID)
}

// A batch whose answer is lost: the retry's per-item refusals are settled
// item by item.
func TestLostBatchIsFoundItemByItem(t *testing.T) {
	t.Parallel()
	_, c := outcomeEnv(t, 1, true, isOrderEntry("POST", "/batched"))
	res, err := c.BatchCreateOrdersV2(context.Background(), gen.BatchCreateOrdersV2Request{Orders: []gen.CreateOrderV2Request{
		e2eOrder("bid", "0.30", "1", "good_till_canceled"), e2eOrder("bid", "0.31", "1", "good_till_canceled"),
	}})
	require.NoError(t, err)
	require.Len(t, res.Orders, 2)
	for _, item := range res.Orders {
		assert.Nil(t, item.Error, "found, not refused")
		require.NotNil(t, item.OrderID)
		require.NotNil(t, item.ClientOrderID)
	}
	resting, err := c.GetOrders(context.Background(), &gen.GetOrdersParams{Status: e2ePtr("resting")})
	require.NoError(t, err)
	assert.Len(t, resting.Orders, 2, "each order placed once")
}

// A cancel whose answer is lost: the retry finds nothing to cancel (404),
// and the client confirms the order is cancelled.
func TestLostCancelIsConfirmed(t *testing.T) {
	t.Parallel()
	_, c := outcomeEnv(t, 0, true, isOrderEntry("DELETE", ""))
	order, err := c.CreateOrderV2(context.Background(), e2eOrder("bid", "0.30", "2", "good_till_canceled"))
	require.NoError(t, err)
	_, c2 := outcomeEnvFor(t, c, 1, isOrderEntry("DELETE", order.OrderID))
	canceled, err := c2.CancelOrderV2(context.Background(), order.OrderID, nil)
	require.NoError(t, err, "cancelled, reported cancelled")
	assert.Equal(t, order.OrderID, canceled.OrderID)
	assert.Equal(t, "2.00", canceled.ReducedBy.String())
}

// outcomeEnvFor is a second client of c's account behind a new lossy
// proxy in front of the same exchange.
func outcomeEnvFor(t *testing.T, c *kalshi.Client, n int, match func(*http.Request) bool) (*lossyProxy, *kalshi.Client) {
	t.Helper()
	target, err := url.Parse(c.BaseURL())
	require.NoError(t, err)
	target.Path = ""
	proxy := httputil.NewSingleHostReverseProxy(target)
	p := &lossyProxy{}
	p.left.Store(int32(n))
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if match(r) && p.left.Add(-1) >= 0 {
			proxy.ServeHTTP(httptest.NewRecorder(), r)
			w.WriteHeader(http.StatusGatewayTimeout)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	c2, err := kalshi.New(kalshi.WithBaseURL(p.URL+"/trade-api/v2"), kalshi.WithSigner(c.Signer()), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	return p, c2
}

// An amend or a decrease to a count whose answer is lost is confirmed from
// the order; a decrease by a count cannot be, and says so.
func TestLostAmendAndDecrease(t *testing.T) {
	t.Parallel()
	_, c := outcomeEnv(t, 0, true, func(*http.Request) bool { return false })
	ctx := context.Background()
	order, err := c.CreateOrderV2(ctx, e2eOrder("bid", "0.30", "5", "good_till_canceled"))
	require.NoError(t, err)

	_, lossy := outcomeEnvFor(t, c, 1, isOrderEntry("POST", "/amend"))
	amended, err := lossy.AmendOrderV2(ctx, order.OrderID, nil, gen.AmendOrderV2Request{Ticker: e2eMarket, Side: gen.BookSideBid, Price: usd("0.32"), Count: qty("4")})
	require.NoError(t, err, "applied, reported applied")
	assert.Equal(t, "4.00", amended.RemainingCount.String())

	_, lossy = outcomeEnvFor(t, c, 1, isOrderEntry("POST", "/decrease"))
	decreased, err := lossy.DecreaseOrderV2(ctx, order.OrderID, nil, gen.DecreaseOrderV2Request{ReduceTo: e2ePtr(qty("3"))})
	require.NoError(t, err)
	assert.Equal(t, "3.00", decreased.RemainingCount.String())

	_, lossy = outcomeEnvFor(t, c, 1, isOrderEntry("POST", "/decrease"))
	_, err = lossy.DecreaseOrderV2(ctx, order.OrderID, nil, gen.DecreaseOrderV2Request{ReduceBy: e2ePtr(qty("1"))})
	require.ErrorIs(t, err, kalshi.ErrOutcomeUnknown, "a decrease by a count cannot be confirmed")
	assert.Contains(t, err.Error(), "reduce_to")
	got, err := c.GetOrder(ctx, order.OrderID)
	require.NoError(t, err)
	assert.Equal(t, "2.00", got.Order.RemainingCountFp.String(), "it was applied, once")

	// A failure the exchange answered is a failure, not unknown.
	_, err = c.AmendOrderV2(ctx, "no-such-order", nil, gen.AmendOrderV2Request{Ticker: e2eMarket, Side: gen.BookSideBid, Price: usd("0.32"), Count: qty("4")})
	require.ErrorIs(t, err, kalshi.ErrNotFound)
	assert.NotErrorIs(t, err, kalshi.ErrOutcomeUnknown)
}
