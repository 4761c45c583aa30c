package kalshi_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
)

// TestRecordedErrorBodies maps every recorded Kalshi error body, in all
// three shapes, to the right fields and sentinel.
func TestRecordedErrorBodies(t *testing.T) {
	t.Parallel()
	dir := sharedFile(t, "fixtures", "errors")
	want := map[string]struct {
		code, message, details, service string
		sentinel                        error
		hint                            string
	}{
		"fortuna_400_BARE_msg_limit_over_max.json":            {"", "Parameter validation failed for GetMarkets", "", "", nil, ""},
		"fortuna_400_FLAT_bad_request_numeric_count.json":     {"bad_request", "bad request", "json: cannot unmarshal number", "", nil, ""},
		"fortuna_400_insufficient_balance.json":               {"insufficient_balance", "insufficient balance", "", "exchange", nil, ""},
		"fortuna_400_invalid_order_post_only_cross.json":      {"invalid_order", "invalid order", "post only cross", "", nil, ""},
		"fortuna_400_invalid_price.json":                      {"invalid_price", "invalid price", "", "exchange", nil, ""},
		"fortuna_401_authentication_error_bad_signature.json": {"authentication_error", "authentication_error", "INCORRECT_API_KEY_SIGNATURE", "", kalshi.ErrUnauthorized, "private key belongs to this API key ID"},
		"fortuna_401_authentication_error_unknown_key.json":   {"authentication_error", "authentication_error", "NOT_FOUND", "", kalshi.ErrUnauthorized, "environment (demo or prod)"},
		"fortuna_401_header_timestamp_expired.json":           {"header_timestamp_expired", "header timestamp expired", "", "", kalshi.ErrUnauthorized, "clock"},
		"fortuna_401_signature_is_missing_from_headers.json":  {"signature_is_missing_from_headers", "signature is missing from headers", "", "", kalshi.ErrUnauthorized, "not signed"},
		"fortuna_404_not_found_cancel_unknown_order.json":     {"not_found", "not found", "", "exchange", kalshi.ErrNotFound, ""},
		"fortuna_409_order_already_exists.json":               {"order_already_exists", "order already exists", "", "exchange", kalshi.ErrOrderAlreadyExists, ""},
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	seen := 0
	for _, e := range entries {
		w, ok := want[e.Name()]
		if !assert.True(t, ok, "no expectation for recorded error %s", e.Name()) {
			continue
		}
		seen++
		status, _ := strconv.Atoi(strings.Split(e.Name(), "_")[1])
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)

		ts := newTestServer(t)
		ts.handle("GET", "/portfolio/balance", func(rw http.ResponseWriter, r *http.Request) { writeJSON(rw, status, string(body)) })
		signer, _ := newSigner(t)
		c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithSigner(signer), kalshi.WithRetry(kalshi.NoRetry()))
		require.NoError(t, err)
		_, err = c.GetBalance(context.Background(), nil)
		require.Error(t, err, e.Name())

		var apiErr *kalshi.APIError
		require.True(t, errors.As(err, &apiErr), e.Name())
		assert.Equal(t, status, apiErr.StatusCode, e.Name())
		assert.Equal(t, w.code, apiErr.Code, e.Name())
		assert.Contains(t, apiErr.Message, w.message, e.Name())
		assert.Contains(t, apiErr.Details, w.details, e.Name())
		assert.Equal(t, w.service, apiErr.Service, e.Name())
		assert.Equal(t, "GetBalance", apiErr.Operation, e.Name())
		assert.Equal(t, body, apiErr.Body, e.Name())
		assert.Contains(t, apiErr.Hint, w.hint, e.Name())
		if w.sentinel != nil {
			assert.ErrorIs(t, err, w.sentinel, e.Name())
		}
		if status == 409 {
			assert.ErrorIs(t, err, kalshi.ErrConflict, "order_already_exists is also a conflict")
		}
		assert.NotErrorIs(t, err, kalshi.ErrServer, e.Name())
	}
	assert.Equal(t, len(want), seen, "every expected recorded error was found")
}

func TestErrorBodiesOfEveryShape(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		method      string
		path        string
		code, msg   string
		sentinel    error
		hint        string
	}{
		{"nested", 400, "application/json", `{"error":{"code":"invalid_price","message":"invalid price","details":{"tick":"0.01"}}}`, "GET", "/markets", "invalid_price", "invalid price", nil, ""},
		{"flat", 400, "application/json", `{"code":"bad_request","message":"bad request"}`, "GET", "/markets", "bad_request", "bad request", nil, ""},
		{"bare msg", 400, "application/json", `{"msg":"Parameter validation failed"}`, "GET", "/markets", "", "Parameter validation failed", nil, ""},
		{"error string", 429, "application/json", `{"error":"too many requests"}`, "GET", "/markets", "", "too many requests", kalshi.ErrRateLimited, "rate limited"},
		{"html from a proxy", 502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad</h1></body></html>", "GET", "/markets", "", "502 Bad Gateway", kalshi.ErrServer, ""},
		{"html labelled json", 503, "application/json", "<html><body>Service Unavailable</body></html>", "GET", "/markets", "", "Service Unavailable", kalshi.ErrServer, ""},
		{"empty", 500, "", "", "GET", "/markets", "", "Internal Server Error", kalshi.ErrServer, ""},
		{"forbidden", 403, "application/json", `{"error":{"code":"forbidden","message":"forbidden"}}`, "GET", "/markets", "forbidden", "forbidden", kalshi.ErrForbidden, ""},
		{"retired v1 order endpoint", 410, "application/json", `{"error":{"code":"gone","message":"endpoint removed"}}`, "POST", "/portfolio/orders", "gone", "endpoint removed", kalshi.ErrGone, "CreateOrderV2 (POST /portfolio/events/orders)"},
		{"retired v1 cancel", 410, "text/plain", "gone", "DELETE", "/portfolio/orders/abc", "", "gone", kalshi.ErrGone, "CancelOrderV2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := newTestServer(t)
			ts.handle(tc.method, tc.path, func(w http.ResponseWriter, r *http.Request) {
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithRetry(kalshi.NoRetry()))
			require.NoError(t, err)
			var apiErr *kalshi.APIError
			if tc.path == "/markets" {
				_, err = c.GetMarkets(context.Background(), nil)
			} else {
				// Retired endpoints are not in the spec: call them raw and
				// map the answer the same way.
				req, _ := http.NewRequest(tc.method, ts.baseURL()+tc.path, nil)
				resp, rerr := c.HTTPClient().Do(req)
				require.NoError(t, rerr)
				err = kalshi.CheckResponse(resp)
			}
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Equal(t, tc.msg, apiErr.Message)
			assert.Contains(t, apiErr.Hint, tc.hint)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestNestedDetailsObjectIsKeptAsJSON(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/markets", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, `{"error":{"code":"invalid_price","message":"invalid price","details":{"tick":"0.01"}}}`)
	})
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()))
	require.NoError(t, err)
	_, err = c.GetMarkets(context.Background(), nil)
	var apiErr *kalshi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.JSONEq(t, `{"tick":"0.01"}`, apiErr.Details)
	assert.Equal(t, `kalshi: GetMarkets: 400 invalid_price: invalid price ({"tick":"0.01"})`, err.Error())
}
