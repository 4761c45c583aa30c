package kalshi_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

const balanceBody = `{"balance":9801,"balance_dollars":"98.0100","portfolio_value":198,"updated_ts":1781159348}`

// TestEveryAttemptIsSignedAfresh asserts the order of the stack: retry
// sits above signing, so two attempts of one call carry different
// timestamps and both signatures verify.
func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	t.Parallel()
	var clock atomic.Int64
	clock.Store(time.Date(2026, 6, 11, 6, 0, 0, 0, time.UTC).UnixMilli())
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	signer, err := signing.New("key-1", key, signing.WithClock(func() time.Time {
		return time.UnixMilli(clock.Add(1500)) // each signature 1.5 s later
	}))
	require.NoError(t, err)

	ts := newTestServer(t)
	var calls atomic.Int32
	var verifyErrs []error
	ts.handle("GET", "/portfolio/balance", func(w http.ResponseWriter, r *http.Request) {
		verifyErrs = append(verifyErrs, signing.Verify(key.Public(), r, time.UnixMilli(clock.Load()), 5*time.Second))
		if calls.Add(1) == 1 {
			writeJSON(w, http.StatusServiceUnavailable, `{"error":{"code":"service_unavailable","message":"try again"}}`)
			return
		}
		writeJSON(w, http.StatusOK, balanceBody)
	})
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	bal, err := c.GetBalance(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(9801), bal.Balance)

	got := ts.received()
	require.Len(t, got, 2)
	ts1, ts2 := got[0].Header.Get(signing.HeaderTimestamp), got[1].Header.Get(signing.HeaderTimestamp)
	assert.NotEqual(t, ts1, ts2, "each attempt has its own timestamp")
	assert.NotEqual(t, got[0].Header.Get(signing.HeaderSignature), got[1].Header.Get(signing.HeaderSignature))
	for i, err := range verifyErrs {
		assert.NoError(t, err, "attempt %d verifies", i+1)
	}
}

func TestRetryPolicyByStatusAndMethod(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		status   int
		call     func(c *kalshi.Client) error
		attempts int
	}{
		{"429 on a read is retried", 429, func(c *kalshi.Client) error {
			_, err := c.GetMarkets(context.Background(), nil)
			return err
		}, 4},
		{"429 on a non-idempotent write is retried (Kalshi did not act)", 429, func(c *kalshi.Client) error {
			_, err := c.CreateRFQ(context.Background(), gen.CreateRFQRequest{MarketTicker: "KX-1"})
			return err
		}, 4},
		{"503 on a read is retried", 503, func(c *kalshi.Client) error {
			_, err := c.GetMarkets(context.Background(), nil)
			return err
		}, 4},
		{"500 on DELETE (idempotent) is retried", 500, func(c *kalshi.Client) error {
			_, err := c.CancelOrderV2(context.Background(), "ord-1", nil)
			return err
		}, 4},
		{"503 on a non-idempotent POST is not retried", 503, func(c *kalshi.Client) error {
			_, err := c.CreateRFQ(context.Background(), gen.CreateRFQRequest{MarketTicker: "KX-1"})
			return err
		}, 1},
		{"400 is never retried", 400, func(c *kalshi.Client) error {
			_, err := c.GetMarkets(context.Background(), nil)
			return err
		}, 1},
		{"501 is not retried", 501, func(c *kalshi.Client) error {
			_, err := c.GetMarkets(context.Background(), nil)
			return err
		}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			ts.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tc.status, `{"error":{"code":"x","message":"x"}}`)
			})
			signer, _ := newSigner(t)
			c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
			require.NoError(t, err)
			err = tc.call(c)
			var apiErr *kalshi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Len(t, ts.receivedLike(ts.received()[0]), tc.attempts, "(not counting the lookups that settle a lost cancel)")
			assert.Equal(t, tc.attempts, apiErr.Attempts)
		})
	}
}

func createOrderBody() gen.CreateOrderV2Request {
	return gen.CreateOrderV2Request{
		Ticker:                  "KXTEST-1",
		Side:                    gen.BookSideBid,
		Count:                   money.MustCount("3"),
		Price:                   money.MustDollars("0.56"),
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceGoodTillCanceled,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	}
}

// TestOrderRetriesCannotDoubleAnOrder: an order without client_order_id
// gets one, every attempt carries the same one, and a retry answered with
// order_already_exists is reported as such.
func TestOrderRetriesCannotDoubleAnOrder(t *testing.T) {
	t.Parallel()
	for _, placed := range []bool{true, false} {
		ts := newTestServer(t)
		var calls atomic.Int32
		var placedID atomic.Value
		ts.handle("POST", "/portfolio/events/orders", func(w http.ResponseWriter, r *http.Request) {
			switch calls.Add(1) {
			case 1:
				// The order was placed, but the answer is lost.
				var body map[string]any
				_ = json.Unmarshal(readAll(r), &body)
				placedID.Store(body["client_order_id"])
				writeJSON(w, http.StatusBadGateway, `{"error":{"code":"bad_gateway","message":"upstream"}}`)
			default:
				writeJSON(w, http.StatusConflict, `{"error":{"code":"order_already_exists","message":"order already exists","service":"exchange"}}`)
			}
		})
		ts.handle("GET", "/portfolio/orders", func(w http.ResponseWriter, r *http.Request) {
			orders := `[]`
			if placed {
				orders = fmt.Sprintf(`[{"order_id":"ord-9","client_order_id":%q,"ticker":"KXTEST-1","status":"resting","fill_count_fp":"0.00","remaining_count_fp":"3.00"}]`, placedID.Load())
			}
			writeJSON(w, http.StatusOK, `{"orders":`+orders+`,"cursor":""}`)
		})
		signer, _ := newSigner(t)
		c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
		require.NoError(t, err)

		order := createOrderBody()
		created, err := c.CreateOrderV2(context.Background(), order)
		if placed {
			// The retry's order_already_exists is settled by looking the
			// order up by its client_order_id: it is the caller's order.
			require.NoError(t, err)
			assert.Equal(t, "ord-9", created.OrderID)
			assert.Equal(t, placedID.Load(), *created.ClientOrderID)
		} else {
			require.ErrorIs(t, err, kalshi.ErrOrderAlreadyExists)
			require.ErrorIs(t, err, kalshi.ErrOutcomeUnknown, "not found: the outcome is unknown, never a plain failure")
			var apiErr *kalshi.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, 2, apiErr.Attempts)
			assert.Contains(t, apiErr.Hint, "earlier attempt")
			var callErr *kalshi.CallError
			require.ErrorAs(t, err, &callErr)
			assert.Equal(t, []string{placedID.Load().(string)}, callErr.ClientOrderIDs)
		}
		assert.Empty(t, order.ClientOrderID, "the caller's value is not modified")

		got := ts.receivedLike(ts.received()[0])
		require.Len(t, got, 2)
		ids := make([]string, len(got))
		for i, r := range got {
			var body map[string]any
			require.NoError(t, json.Unmarshal(r.Body, &body))
			ids[i], _ = body["client_order_id"].(string)
			assert.Equal(t, "0.5600", body["price"])
			assert.Equal(t, "3.00", body["count"])
		}
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, ids[0])
		assert.Equal(t, ids[0], ids[1], "both attempts carry the same client_order_id")
	}
}

func TestOrderKeepsCallersClientOrderID(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("POST", "/portfolio/events/orders/batched", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, `{"orders":[]}`)
	})
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer))
	require.NoError(t, err)
	mine, theirs := createOrderBody(), createOrderBody()
	mine.ClientOrderID = "my-own-id"
	_, err = c.BatchCreateOrdersV2(context.Background(), gen.BatchCreateOrdersV2Request{Orders: []gen.CreateOrderV2Request{mine, theirs}})
	require.NoError(t, err)
	var body struct {
		Orders []struct {
			ClientOrderID string `json:"client_order_id"`
		} `json:"orders"`
	}
	require.NoError(t, json.Unmarshal(ts.received()[0].Body, &body))
	require.Len(t, body.Orders, 2)
	assert.Equal(t, "my-own-id", body.Orders[0].ClientOrderID)
	assert.NotEmpty(t, body.Orders[1].ClientOrderID, "a batch item without one gets one")
	assert.NotEqual(t, "my-own-id", body.Orders[1].ClientOrderID)
}

func TestConnectionErrorsRetryOnlySafeRequests(t *testing.T) {
	t.Parallel()
	// A server that accepts and immediately drops every connection.
	var conns atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conns.Add(1)
		hj, ok := w.(http.Hijacker)
		require.True(t, ok)
		conn, _, err := hj.Hijack()
		require.NoError(t, err)
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL+"/trade-api/v2"), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)

	_, err = c.GetMarkets(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, int32(4), conns.Load(), "a read is retried after a dropped connection")

	conns.Store(0)
	_, err = c.CreateRFQ(context.Background(), gen.CreateRFQRequest{MarketTicker: "KX-1"})
	require.Error(t, err)
	assert.Equal(t, int32(1), conns.Load(), "a non-idempotent write is not")

	_, err = c.CreateOrderV2(context.Background(), createOrderBody())
	var callErr *kalshi.CallError
	require.ErrorAs(t, err, &callErr)
	assert.Equal(t, 4, callErr.Attempts, "an order with a client_order_id is")
	assert.ErrorIs(t, err, kalshi.ErrOutcomeUnknown, "and since the lookup fails too, its outcome is unknown")
}

func TestRetryWaitStopsWithContext(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		writeJSON(w, http.StatusTooManyRequests, `{"error":"too many requests"}`)
	})
	p := kalshi.DefaultRetryPolicy()
	p.MaxElapsed = 0 // no overall bound: only the context can end the wait
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithRetry(p))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.GetMarkets(ctx, nil)
		done <- err
	}()
	// Wait until the first attempt has been answered, then cancel.
	require.Eventually(t, func() bool { return len(ts.received()) == 1 }, 10*time.Second, time.Millisecond)
	cancel()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("the retry wait did not end with the context")
	}
	assert.Len(t, ts.received(), 1)
}

func TestRetryBudgetStopsBeforeALongWait(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "60")
		writeJSON(w, http.StatusTooManyRequests, `{"error":"too many requests"}`)
	})
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL())) // default budget: 30 s
	require.NoError(t, err)
	_, err = c.GetMarkets(context.Background(), nil)
	require.ErrorIs(t, err, kalshi.ErrRateLimited)
	assert.Len(t, ts.received(), 1, "a 60 s Retry-After exceeds the 30 s budget, so the 429 is returned at once")
}

func TestDefaultBackoff(t *testing.T) {
	t.Parallel()
	p := kalshi.DefaultRetryPolicy()
	resp := &http.Response{Header: http.Header{"Retry-After": []string{"7"}}}
	assert.Equal(t, 7*time.Second, kalshi.DefaultBackoff(p, 2, resp), "Retry-After in seconds")
	date := time.Now().Add(90 * time.Second).UTC().Format(http.TimeFormat)
	d := kalshi.DefaultBackoff(p, 2, &http.Response{Header: http.Header{"Retry-After": []string{date}}})
	assert.InDelta(t, 90, d.Seconds(), 2, "Retry-After as a date")
	for next := 2; next <= 10; next++ {
		ceiling := p.BaseDelay << (next - 2)
		if ceiling > p.MaxDelay {
			ceiling = p.MaxDelay
		}
		for range 50 {
			d := kalshi.DefaultBackoff(p, next, nil)
			require.GreaterOrEqual(t, d, time.Duration(0))
			require.LessOrEqual(t, d, ceiling, "attempt %d", next)
		}
	}
}

func TestNoCredentialsFailsBeforeSending(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"cursor":"","markets":[]}`)
	})
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()))
	require.NoError(t, err)

	_, err = c.GetMarkets(context.Background(), nil)
	require.NoError(t, err, "public operations work without credentials")

	_, err = c.GetBalance(context.Background(), nil)
	require.ErrorIs(t, err, kalshi.ErrNoCredentials)
	assert.Contains(t, err.Error(), "GetBalance")
	assert.Contains(t, err.Error(), "KALSHI_API_KEY_ID")
	_, err = c.CreateOrderV2(context.Background(), createOrderBody())
	require.ErrorIs(t, err, kalshi.ErrNoCredentials)
	assert.Len(t, ts.received(), 1, "only the public call reached the server")
	assert.False(t, errors.Is(err, kalshi.ErrUnauthorized))
}
