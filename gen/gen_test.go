package gen_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/spectest"
)

const server = "https://api.test/trade-api/v2"

// recorder is an HTTP doer that keeps the request and answers with a
// canned response.
type recorder struct {
	req    *http.Request
	body   []byte
	status int
	answer []byte
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	r.req = req
	if req.Body != nil {
		r.body, _ = io.ReadAll(req.Body)
	}
	status := r.status
	if status == 0 {
		status = http.StatusOK
	}
	answer := r.answer
	if answer == nil {
		answer = []byte("{}")
	}
	return &http.Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": []string{"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(answer)),
		Request:    req,
	}, nil
}

func loadOps(t *testing.T) []spectest.Operation {
	t.Helper()
	ops, err := spectest.LoadRepoSpec()
	require.NoError(t, err)
	require.NotEmpty(t, ops)
	return ops
}

// TestEveryOperationIsOnTheClient fails when an operationId of openapi.yaml
// has no typed method on the generated client.
func TestEveryOperationIsOnTheClient(t *testing.T) {
	t.Parallel()
	c, err := gen.NewClientWithResponses(server)
	require.NoError(t, err)
	for _, op := range loadOps(t) {
		_, ok := spectest.Method(c, op.ID, "WithResponse")
		assert.True(t, ok, "operation %s (%s %s) has no %sWithResponse method", op.ID, op.Method, op.Path, op.ID)
	}
}

// TestEveryRequestHasTheSpecMethodAndPath calls every operation with
// sample path parameters (the first needing escaping) and checks the
// request line against the spec.
func TestEveryRequestHasTheSpecMethodAndPath(t *testing.T) {
	t.Parallel()
	for _, op := range loadOps(t) {
		t.Run(op.ID, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c, err := gen.NewClient(server, gen.WithHTTPClient(rec))
			require.NoError(t, err)
			m, ok := spectest.Method(c, op.ID, "")
			require.True(t, ok, "no method for %s", op.ID)
			args, err := spectest.Args(context.Background(), m)
			require.NoError(t, err)
			out := m.Call(args)
			if err, _ := out[1].Interface().(error); err != nil {
				t.Fatalf("%s: %v", op.ID, err)
			}
			require.NotNil(t, rec.req)
			assert.Equal(t, op.Method, rec.req.Method)
			want := "/trade-api/v2" + spectest.ExpectedPath(op, spectest.PathParamKinds(m))
			assert.Equal(t, want, rec.req.URL.EscapedPath())
			assert.Equal(t, "api.test", rec.req.URL.Host)
			if op.HasBody {
				assert.Equal(t, "application/json", rec.req.Header.Get("Content-Type"))
				assert.Regexp(t, `^[{\[]`, string(rec.body), "a JSON object or array body")
			}
		})
	}
}

// TestEveryRequestLeavesUnsetQueryParametersOut: with zero-value
// parameter structs, no operation sends a query string. Kalshi's
// skip-optional-pointer hints would otherwise send ?cursor=&ticker=.
func TestEveryRequestLeavesUnsetQueryParametersOut(t *testing.T) {
	t.Parallel()
	rec := &recorder{}
	c, err := gen.NewClient(server, gen.WithHTTPClient(rec))
	require.NoError(t, err)
	for _, op := range loadOps(t) {
		m, ok := spectest.Method(c, op.ID, "")
		require.True(t, ok)
		if hasRequiredQuery(m) {
			continue
		}
		args, err := spectest.Args(context.Background(), m)
		require.NoError(t, err)
		m.Call(args)
		assert.Empty(t, rec.req.URL.RawQuery, "%s sent a query string with nothing set", op.ID)
	}
}

// hasRequiredQuery reports whether m's parameter struct has a field that
// is neither a pointer nor a slice: a required query parameter.
func hasRequiredQuery(m reflect.Value) bool {
	t := m.Type()
	for i := 1; i < t.NumIn(); i++ {
		at := t.In(i)
		if at.Kind() != reflect.Pointer || !strings.HasSuffix(at.Elem().Name(), "Params") {
			continue
		}
		for f := 0; f < at.Elem().NumField(); f++ {
			if k := at.Elem().Field(f).Type.Kind(); k != reflect.Pointer {
				return true
			}
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }

func TestQueryStrings(t *testing.T) {
	t.Parallel()
	status := gen.GetMarketsParamsStatusOpen
	cases := []struct {
		name string
		call func(c *gen.Client) (*http.Response, error)
		want string
	}{
		{"none", func(c *gen.Client) (*http.Response, error) {
			return c.GetMarkets(context.Background(), &gen.GetMarketsParams{})
		}, ""},
		{"nil params", func(c *gen.Client) (*http.Response, error) {
			return c.GetMarkets(context.Background(), nil)
		}, ""},
		{"some", func(c *gen.Client) (*http.Response, error) {
			return c.GetMarkets(context.Background(), &gen.GetMarketsParams{
				Limit:        ptr[int64](5),
				Cursor:       ptr("abc=="),
				Status:       &status,
				SeriesTicker: ptr("KXBTC"),
			})
		}, "cursor=abc%3D%3D&limit=5&series_ticker=KXBTC&status=open"},
		{"array exploded", func(c *gen.Client) (*http.Response, error) {
			return c.GetMarketOrderbooks(context.Background(), &gen.GetMarketOrderbooksParams{
				Tickers: []string{"KX-A", "KX B"},
			})
		}, "tickers=KX-A&tickers=KX+B"},
		{"required and optional", func(c *gen.Client) (*http.Response, error) {
			return c.GetMarketCandlesticks(context.Background(), "KXBTC", "KXBTC-1", &gen.GetMarketCandlesticksParams{
				StartTS: 100, EndTS: 200, PeriodInterval: gen.GetMarketCandlesticksParamsPeriodInterval(60),
			})
		}, "end_ts=200&period_interval=60&start_ts=100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{}
			c, err := gen.NewClient(server, gen.WithHTTPClient(rec))
			require.NoError(t, err)
			_, err = tc.call(c)
			require.NoError(t, err)
			assert.Equal(t, tc.want, sortedQuery(rec.req.URL.RawQuery))
		})
	}
}

// sortedQuery orders the pairs of a raw query by key so the comparison does
// not depend on the generator's parameter order; the values of a repeated
// (exploded) key keep their order.
func sortedQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	key := func(p string) string { k, _, _ := strings.Cut(p, "="); return k }
	sort.SliceStable(parts, func(i, j int) bool { return key(parts[i]) < key(parts[j]) })
	return strings.Join(parts, "&")
}

// TestRecordedResponsesDecode feeds real recorded response bodies through
// the typed client, the way a user receives them.
func TestRecordedResponsesDecode(t *testing.T) {
	t.Parallel()
	dir, rows := spectest.Fixtures(t)
	checked := 0
	for _, row := range rows {
		if row.Kind != "response" || row.Operation == "legacy" {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, row.File))
		require.NoError(t, err)
		rec := &recorder{answer: body, status: row.Status}
		rc, err := gen.NewClientWithResponses(server, gen.WithHTTPClient(rec))
		require.NoError(t, err)
		m, ok := spectest.Method(rc, row.Operation, "WithResponse")
		require.True(t, ok, row.Operation)
		args, err := spectest.Args(context.Background(), m)
		require.NoError(t, err)
		out := m.Call(args)
		if err, _ := out[1].Interface().(error); err != nil {
			t.Errorf("%s: %v", row.File, err)
			continue
		}
		field := reflect.Indirect(out[0]).FieldByName(fmt.Sprintf("JSON%d", row.Status))
		if assert.True(t, field.IsValid(), "%s: no JSON%d field", row.File, row.Status) {
			assert.False(t, field.IsNil(), "%s: body not decoded", row.File)
		}
		checked++
	}
	assert.GreaterOrEqual(t, checked, 10, "too few recorded responses were checked")
}
