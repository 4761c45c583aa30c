package kalshi_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/spectest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// A path parameter never changes which endpoint a call reaches: for every
// operation with a path parameter, an empty, "." or ".." value is refused
// before anything is sent, naming the parameter.
func TestPathParametersCannotChangeTheEndpoint(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	c := srv.client(t)
	ops, err := spectest.LoadRepoSpec()
	require.NoError(t, err)
	checked := 0
	for _, op := range ops {
		if len(op.Params) == 0 {
			continue
		}
		m, ok := spectest.Method(c, op.ID, "")
		require.True(t, ok, op.ID)
		for _, bad := range []string{"", ".", ".."} {
			for p := range op.Params {
				args, err := spectest.Args(context.Background(), m)
				require.NoError(t, err)
				if args[1+p].Kind() != reflect.String {
					continue
				}
				args[1+p] = reflect.ValueOf(bad).Convert(args[1+p].Type())
				out := m.Call(args)
				err, _ = out[1].Interface().(error)
				require.ErrorIs(t, err, kalshi.ErrInvalidParameter, "%s %s=%q", op.ID, op.Params[p], bad)
				assert.Contains(t, err.Error(), op.Params[p], "the error names the parameter")
				assert.True(t, out[0].IsNil())
				checked++
			}
		}
	}
	assert.Equal(t, "", srv.last(), "nothing was sent")
	assert.Positive(t, checked)
}

// A value that is a literal segment of another endpoint is refused too:
// "batched" as an order ID would cancel a batch.
func TestPathParameterThatNamesAnotherEndpoint(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	c := srv.client(t)
	_, err := c.CancelOrderV2(context.Background(), "batched", nil)
	require.ErrorIs(t, err, kalshi.ErrInvalidParameter)
	assert.Contains(t, err.Error(), "BatchCancelOrdersV2")
	_, err = c.GetMarket(context.Background(), "candlesticks")
	require.ErrorIs(t, err, kalshi.ErrInvalidParameter)
	assert.Equal(t, "", srv.last(), "nothing was sent")

	// Values that need escaping stay in their segment.
	srv.answer(200, "application/json", `{"order_id":"a/b"}`)
	_, err = c.CancelOrderV2(context.Background(), "a/../b", nil)
	require.NoError(t, err)
	assert.Equal(t, "DELETE /trade-api/v2/portfolio/events/orders/a%2F..%2Fb", srv.last())
}

// The finding that started it: on the fake exchange, CancelOrderV2(".")
// cancelled every resting order. Now it cancels nothing.
func TestDotOrderIDCancelsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := e2eServer(t)
	s, pub := newSigner(t)
	srv.AddAPIKey(s.KeyID(), pub)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s))
	require.NoError(t, err)
	for range 3 {
		_, err := c.CreateOrderV2(ctx, e2eOrder("bid", "0.30", "1", "good_till_canceled"))
		require.NoError(t, err)
	}
	for _, id := range []string{".", "..", "", "batched"} {
		_, err = c.CancelOrderV2(ctx, id, nil)
		require.ErrorIs(t, err, kalshi.ErrInvalidParameter, "%q", id)
	}
	resting, err := c.GetOrders(ctx, &gen.GetOrdersParams{Status: e2ePtr("resting")})
	require.NoError(t, err)
	assert.Len(t, resting.Orders, 3)
}

// redirector answers every request with a redirect to target; target
// records whether anything reached it.
func redirector(t *testing.T, status int) (from *httptest.Server, reached *atomic.Int32) {
	t.Helper()
	reached = new(atomic.Int32)
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(target.Close)
	// Another host name for the same loopback address.
	other := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	from = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other+r.URL.Path, status)
	}))
	t.Cleanup(from.Close)
	return from, reached
}

// A signed request never follows a redirect: the other host would get a
// fresh signature, and on 307 the order body, to replay.
func TestSignedRequestsDoNotFollowRedirects(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		from, reached := redirector(t, status)
		signer, _ := newSigner(t)
		c, err := kalshi.New(kalshi.WithBaseURL(from.URL+"/trade-api/v2"), kalshi.WithSigner(signer))
		require.NoError(t, err)
		_, err = c.CreateOrderV2(context.Background(), e2eOrder("bid", "0.30", "1", "good_till_canceled"))
		require.ErrorIs(t, err, kalshi.ErrRedirect, "%d", status)
		assert.Contains(t, err.Error(), strconv.Itoa(status), "the error names the status")
		assert.Contains(t, err.Error(), "localhost", "the error names the target")
		_, err = c.GetExchangeStatus(context.Background())
		require.ErrorIs(t, err, kalshi.ErrRedirect, "public calls do not follow redirects either")
		assert.Zero(t, reached.Load(), "nothing reached the other host")
	}
}

// signing.Transport refuses to sign the request an http.Client makes to
// follow a redirect, whatever the client's CheckRedirect says.
func TestSigningTransportRefusesRedirectedRequests(t *testing.T) {
	t.Parallel()
	from, reached := redirector(t, http.StatusTemporaryRedirect)
	signer, _ := newSigner(t)
	hc := &http.Client{Transport: signer.Transport(nil)}
	resp, err := hc.Post(from.URL+"/trade-api/v2/portfolio/events/orders", "application/json", strings.NewReader(`{"count":"50","price":"0.99"}`))
	if resp != nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, signing.ErrRedirect)
	assert.Zero(t, reached.Load())
}

// Close releases the client's idle connections, and so does
// HTTPClient().CloseIdleConnections: the server sees them close.
func TestCloseReleasesConnections(t *testing.T) {
	t.Parallel()
	var open atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"exchange_active":true,"trading_active":true}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			open.Add(1)
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL + "/trade-api/v2"))
	require.NoError(t, err)
	for _, release := range []func(){func() { _ = c.Close() }, c.HTTPClient().CloseIdleConnections} {
		_, err = c.GetExchangeStatus(context.Background())
		require.NoError(t, err)
		require.EqualValues(t, 1, open.Load(), "the connection is kept for the next call")
		release()
		require.Eventually(t, func() bool { return open.Load() == 0 }, 5*time.Second, 5*time.Millisecond, "the idle connection is closed")
	}
	_, err = c.GetExchangeStatus(context.Background())
	assert.NoError(t, err, "a closed client can still call")
}
