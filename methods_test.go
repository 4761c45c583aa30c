package kalshi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/spectest"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// answerServer answers every request with the same status and body, and
// records the method and escaped path it was sent.
type answerServer struct {
	*httptest.Server
	mu          sync.Mutex
	status      int
	contentType string
	body        string
	got         []string // "METHOD /escaped/path"
}

func newAnswerServer(t *testing.T) *answerServer {
	t.Helper()
	s := &answerServer{status: http.StatusOK, contentType: "application/json", body: "{}"}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		s.mu.Lock()
		s.got = append(s.got, r.Method+" "+r.URL.EscapedPath())
		status, ct, body := s.status, s.contentType, s.body
		s.mu.Unlock()
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *answerServer) answer(status int, contentType, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.contentType, s.body = status, contentType, body
}

func (s *answerServer) last() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.got) == 0 {
		return ""
	}
	return s.got[len(s.got)-1]
}

func (s *answerServer) client(t *testing.T, opts ...kalshi.Option) *kalshi.Client {
	t.Helper()
	signer, _ := newSigner(t)
	c, err := kalshi.New(append([]kalshi.Option{kalshi.WithBaseURL(s.URL + "/trade-api/v2"), kalshi.WithSigner(signer), kalshi.WithRetry(kalshi.NoRetry())}, opts...)...)
	require.NoError(t, err)
	return c
}

// invoke calls the Client's method for op with sample arguments and
// returns its two results and the kinds of its path parameters.
func invoke(t *testing.T, c *kalshi.Client, op gen.Operation) (reflect.Value, []reflect.Kind, error) {
	t.Helper()
	m, ok := spectest.Method(c, op.ID, "")
	require.True(t, ok, "Client has no method for %s", op.ID)
	args, err := spectest.Args(context.Background(), m)
	require.NoError(t, err, op.ID)
	out := m.Call(args)
	require.Len(t, out, 2, op.ID)
	err, _ = out[1].Interface().(error)
	return out[0], spectest.PathParamKinds(m), err
}

// Every operation of the spec is a method of the Client, named after it,
// taking the context first and returning the typed success value and an
// error.
func TestEveryOperationHasItsMethod(t *testing.T) {
	t.Parallel()
	c, err := kalshi.New()
	require.NoError(t, err)
	ops, err := spectest.LoadRepoSpec()
	require.NoError(t, err)
	require.Len(t, gen.Operations(), len(ops))
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	errType := reflect.TypeOf((*error)(nil)).Elem()
	for _, op := range ops {
		m, ok := spectest.Method(c, op.ID, "")
		if !assert.True(t, ok, "Client has no method for %s", op.ID) {
			continue
		}
		mt := m.Type()
		assert.Equal(t, ctxType, mt.In(0), "%s takes the context first", op.ID)
		assert.False(t, mt.IsVariadic(), op.ID)
		if assert.Equal(t, 2, mt.NumOut(), op.ID) {
			assert.Equal(t, reflect.Pointer, mt.Out(0).Kind(), "%s returns a pointer to its success value", op.ID)
			assert.Equal(t, errType, mt.Out(1), op.ID)
		}
	}
}

// Every method sends its own operation (method and escaped path) and,
// on the documented success, returns a non-nil value and no error.
func TestEveryMethodSendsItsOperationAndDecodesSuccess(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	c := srv.client(t)
	ops, err := spectest.LoadRepoSpec()
	require.NoError(t, err)
	for _, op := range ops {
		body := "{}"
		if !op.SuccessBody {
			body = ""
		}
		srv.answer(op.SuccessStatus, "application/json", body)
		v, kinds, err := invoke(t, c, gen.Operation{ID: op.ID})
		if !assert.NoError(t, err, op.ID) {
			continue
		}
		assert.False(t, v.IsNil(), "%s returned (nil, nil)", op.ID)
		assert.Equal(t, op.Method+" /trade-api/v2"+spectest.ExpectedPath(op, kinds), srv.last(), op.ID)
	}
}

// Every non-2xx answer is an *APIError naming the operation, for every
// method.
func TestEveryMethodReturnsAPIErrors(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	srv.answer(http.StatusUnauthorized, "application/json", `{"error":{"code":"authentication_error","message":"authentication failed","details":"NOT_FOUND"}}`)
	c := srv.client(t)
	for _, op := range gen.Operations() {
		v, _, err := invoke(t, c, op)
		var apiErr *kalshi.APIError
		if assert.ErrorAs(t, err, &apiErr, op.ID) {
			assert.Equal(t, op.ID, apiErr.Operation)
			assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
			assert.ErrorIs(t, err, kalshi.ErrUnauthorized)
		}
		assert.True(t, v.IsNil(), op.ID)
	}
}

// Answers that differ from the documented success never come back as
// (nil, nil): a JSON body decodes whatever its 2xx status or content type
// (and the difference is reported as drift), a missing or non-JSON body is
// an error.
func TestStatusDrift(t *testing.T) {
	t.Parallel()
	order := `{"order_id":"o-1","client_order_id":"c-1","fill_count":"0.00","remaining_count":"1.00","ts_ms":1}`
	req := gen.CreateOrderV2Request{Ticker: "T", Side: gen.BookSideBid, Count: mustCount("1"), Price: mustDollars("0.5")}
	for _, tc := range []struct {
		name        string
		status      int
		contentType string
		body        string
		wantOrderID string
		wantErr     error
		wantDrift   []kalshi.DriftKind
	}{
		{name: "documented 201", status: 201, contentType: "application/json", body: order, wantOrderID: "o-1"},
		{name: "200 for a 201 operation", status: 200, contentType: "application/json", body: order, wantOrderID: "o-1", wantDrift: []kalshi.DriftKind{kalshi.DriftStatus}},
		{name: "202 with the body", status: 202, contentType: "application/json", body: order, wantOrderID: "o-1", wantDrift: []kalshi.DriftKind{kalshi.DriftStatus}},
		{name: "JSON sent as text/plain", status: 201, contentType: "text/plain; charset=utf-8", body: order, wantOrderID: "o-1", wantDrift: []kalshi.DriftKind{kalshi.DriftContentType}},
		{name: "204 without a body", status: 204, body: "", wantErr: kalshi.ErrUnexpectedResponse, wantDrift: []kalshi.DriftKind{kalshi.DriftStatus}},
		{name: "201 without a body", status: 201, contentType: "application/json", body: "  ", wantErr: kalshi.ErrUnexpectedResponse},
		{name: "200 with an HTML page", status: 200, contentType: "text/html", body: "<html><title>Maintenance</title></html>", wantErr: kalshi.ErrUnexpectedResponse, wantDrift: []kalshi.DriftKind{kalshi.DriftStatus, kalshi.DriftContentType}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := newAnswerServer(t)
			srv.answer(tc.status, tc.contentType, tc.body)
			var mu sync.Mutex
			var drifts []kalshi.DriftKind
			c := srv.client(t, kalshi.WithDriftReporter(func(d kalshi.Drift) {
				mu.Lock()
				defer mu.Unlock()
				// Only the create's own answer: a lost one is then looked up.
				if d.Operation == "CreateOrderV2" && (d.Kind == kalshi.DriftStatus || d.Kind == kalshi.DriftContentType) {
					drifts = append(drifts, d.Kind)
				}
			}))
			got, err := c.CreateOrderV2(context.Background(), req)
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				assert.Nil(t, got)
				var callErr *kalshi.CallError
				require.ErrorAs(t, err, &callErr)
				assert.Equal(t, "CreateOrderV2", callErr.Operation)
				assert.Equal(t, tc.status, callErr.StatusCode)
			} else {
				require.NoError(t, err)
				require.NotNil(t, got)
				assert.Equal(t, tc.wantOrderID, got.OrderID)
			}
			assert.Equal(t, tc.wantDrift, drifts)
		})
	}
}

// An operation documented without a success body returns an empty value,
// never nil, whatever body comes with it.
func TestNoContentOperations(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	c := srv.client(t)
	for _, body := range []string{"", "{}", `{"unexpected":true}`} {
		srv.answer(http.StatusNoContent, "", body)
		if body != "" {
			srv.answer(http.StatusOK, "application/json", body)
		}
		got, err := c.DeleteAPIKey(context.Background(), "key-1")
		require.NoError(t, err, body)
		assert.NotNil(t, got, body)
	}
}

// A wrong key is an error, not a 401 hidden in a response value.
func TestWrongKeyIsAnError(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	srv.answer(http.StatusUnauthorized, "application/json", `{"error":{"code":"authentication_error","message":"bad signature","details":"INCORRECT_API_KEY_SIGNATURE"}}`)
	balance, err := srv.client(t).GetBalance(context.Background(), nil)
	assert.Nil(t, balance)
	var apiErr *kalshi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "GetBalance", apiErr.Operation)
	assert.Contains(t, apiErr.Hint, "private key")
}

// A call that gets no answer says which operation failed and after how
// many attempts, and unwraps to the cause.
func TestCallErrorsCarryOperationAndAttempts(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			// Read the request, then hang up without an answer.
			buf := make([]byte, 4096)
			_, _ = conn.Read(buf)
			conn.Close()
		}
	}()
	signer, _ := newSigner(t)
	c, err := kalshi.New(kalshi.WithBaseURL("http://"+ln.Addr().String()+"/trade-api/v2"), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	_, err = c.GetBalance(context.Background(), nil)
	var callErr *kalshi.CallError
	require.ErrorAs(t, err, &callErr)
	assert.Equal(t, "GetBalance", callErr.Operation)
	assert.Equal(t, 4, callErr.Attempts, "the default policy sends a read 4 times")
	assert.Equal(t, "/trade-api/v2/portfolio/balance", callErr.Path)
	assert.ErrorIs(t, err, io.EOF)
	assert.Contains(t, err.Error(), "GetBalance")
	assert.Contains(t, err.Error(), "4 attempts")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.GetBalance(ctx, nil)
	require.ErrorAs(t, err, &callErr)
	assert.ErrorIs(t, err, context.Canceled)
}

// ErrNoCredentials comes back before anything is sent, as itself: not as
// a network error that retry code would retry.
func TestNoCredentialsIsNotANetworkError(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL + "/trade-api/v2"))
	require.NoError(t, err)
	_, err = c.GetBalance(context.Background(), nil)
	require.ErrorIs(t, err, kalshi.ErrNoCredentials)
	var netErr net.Error
	assert.False(t, errors.As(err, &netErr), "ErrNoCredentials must not pass as a net.Error")
	var callErr *kalshi.CallError
	require.ErrorAs(t, err, &callErr)
	assert.Equal(t, 0, callErr.Attempts)
	assert.Equal(t, "", srv.last(), "nothing was sent")
	assert.Contains(t, err.Error(), "WithSigner")
	assert.Equal(t, 1, strings.Count(err.Error(), "kalshi:"), "one prefix: %s", err)

	// Public operations still work without a key.
	_, err = c.GetExchangeStatus(context.Background())
	assert.NoError(t, err)
}

func ExampleCallError() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent) // a 204 where Kalshi documents the balance
	}))
	defer srv.Close()
	signer, _ := exampleSigner()
	c, _ := kalshi.New(kalshi.WithBaseURL(srv.URL+"/trade-api/v2"), kalshi.WithSigner(signer))
	_, err := c.GetBalance(context.Background(), nil)
	var callErr *kalshi.CallError
	fmt.Println(errors.As(err, &callErr), errors.Is(err, kalshi.ErrUnexpectedResponse), callErr.StatusCode)
	// Output: true true 204
}

// Every method, called with sample arguments against kalshitest, returns
// either its value or an *APIError (a 4xx for the sample values, 501 for
// what the fake does not implement): never (nil, nil), and never a value
// the client failed to read.
func TestEveryMethodAgainstKalshitest(t *testing.T) {
	t.Parallel()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(10))
	t.Cleanup(srv.Close)
	signer, pub := newSigner(t)
	srv.AddAPIKey(signer.KeyID(), pub)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	succeeded, refused := 0, 0
	for _, op := range gen.Operations() {
		v, _, err := invoke(t, c, op)
		if err == nil {
			succeeded++
			assert.False(t, v.IsNil(), "%s returned (nil, nil)", op.ID)
			continue
		}
		refused++
		var apiErr *kalshi.APIError
		if assert.ErrorAs(t, err, &apiErr, op.ID) {
			assert.Less(t, apiErr.StatusCode, 502, "%s: %v", op.ID, err)
			assert.NotEqual(t, http.StatusUnauthorized, apiErr.StatusCode, "%s: %v", op.ID, err)
		}
		assert.True(t, v.IsNil(), op.ID)
	}
	t.Logf("%d operations succeeded with sample arguments, %d were refused", succeeded, refused)
	assert.GreaterOrEqual(t, succeeded, 15)
}

// The operation travels with the request: every layer, a retry policy
// included, reads it from the request's context. Requests sent from
// outside (HTTPClient, Raw) are matched to their operation from the URL.
func TestOperationTravelsWithTheRequest(t *testing.T) {
	t.Parallel()
	srv := newAnswerServer(t)
	var mu sync.Mutex
	var seen []string
	policy := kalshi.RetryPolicy{MaxAttempts: 2, ShouldRetry: func(req *http.Request, _ *http.Response, _ error) bool {
		op, ok := kalshi.OperationFromContext(req.Context())
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, fmt.Sprintf("%s %v %d", op.ID, ok, kalshi.Attempt(req.Context())))
		return false
	}}
	c := srv.client(t, kalshi.WithRetry(policy))
	ctx := context.Background()

	_, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	_, err = c.Raw().GetMarketWithResponse(ctx, "KX-1")
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, c.BaseURL()+"/portfolio/events/orders/batched", nil)
	require.NoError(t, err)
	resp, err := c.HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, c.BaseURL()+"/not/in/the/spec", nil)
	require.NoError(t, err)
	resp, err = c.HTTPClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, []string{"GetBalance true 1", "GetMarket true 1", "BatchCancelOrdersV2 true 1", " false 1"}, seen)
}
