package kalshitest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/spectest"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// rawClient is a generated client that signs with a fresh registered key,
// without the root client's retries or guards.
func rawClient(t *testing.T, srv *kalshitest.Server) *gen.ClientWithResponses {
	t.Helper()
	key, _ := newKey(t, signing.Ed25519)
	srv.AddAPIKey("raw-key", key.Public())
	s, err := signing.New("raw-key", key)
	require.NoError(t, err)
	c, err := gen.NewClientWithResponses(srv.URL(), gen.WithHTTPClient(&http.Client{Transport: s.Transport(nil), Timeout: 10 * time.Second}))
	require.NoError(t, err)
	return c
}

// TestEveryOperationAnswers calls all operations of the spec through the
// generated client with sample arguments: each answers (a success, or a
// 4xx for the sample values) or answers 501 naming the operation; none
// fails with another server error, panics or hangs.
func TestEveryOperationAnswers(t *testing.T) {
	t.Parallel()
	implemented, stubbed := callEveryOperation(t)
	t.Logf("%d operations implemented, %d answer 501", implemented, len(stubbed))
	assert.Equal(t, len(gen.Operations()), implemented+len(stubbed))
}

// TestEveryOperationIsImplemented: no operation of the spec answers 501.
// An operation new in the spec answers 501 until the fake implements it,
// so CI's step with a mutated spec, which adds operations, skips this test.
func TestEveryOperationIsImplemented(t *testing.T) {
	t.Parallel()
	_, stubbed := callEveryOperation(t)
	assert.Empty(t, stubbed, "operations kalshitest does not implement")
}

// callEveryOperation calls every operation with sample arguments and
// returns how many answered other than 501 and which answered 501, each
// such answer checked for Kalshi's error shape naming the operation.
func callEveryOperation(t *testing.T) (implemented int, stubbed []string) {
	t.Helper()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(10))
	defer srv.Close()
	c := rawClient(t, srv)
	ctx := context.Background()
	for _, op := range gen.Operations() {
		m, ok := spectest.Method(c, op.ID, "WithResponse")
		require.True(t, ok, op.ID)
		args, err := spectest.Args(ctx, m)
		require.NoError(t, err, op.ID)
		out := m.Call(args)
		if e := out[1].Interface(); e != nil {
			t.Fatalf("%s: %v", op.ID, e)
		}
		resp := out[0].Interface().(interface {
			StatusCode() int
			GetBody() []byte
		})
		code := resp.StatusCode()
		switch {
		case code == http.StatusNotImplemented:
			stubbed = append(stubbed, op.ID)
			var body struct {
				Error struct{ Code, Message string }
			}
			require.NoError(t, json.Unmarshal(resp.GetBody(), &body), op.ID)
			assert.Equal(t, "not_implemented", body.Error.Code, op.ID)
			assert.Contains(t, body.Error.Message, op.ID)
		case code >= 500:
			t.Errorf("%s: %d %s", op.ID, code, resp.GetBody())
		default:
			implemented++
			assert.NotEqual(t, http.StatusUnauthorized, code, "%s: %s", op.ID, resp.GetBody())
		}
	}
	return implemented, stubbed
}

func TestSignatureErrors(t *testing.T) {
	t.Parallel()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(1))
	defer srv.Close()
	known, _ := newKey(t, signing.Ed25519)
	srv.AddAPIKey("known", known.Public())
	other, _ := newKey(t, signing.RSA)

	send := func(t *testing.T, s *signing.Signer) (int, string, string) {
		req, err := http.NewRequest(http.MethodGet, srv.URL()+"/portfolio/balance", nil)
		require.NoError(t, err)
		hc := http.DefaultClient
		if s != nil {
			hc = &http.Client{Transport: s.Transport(nil)}
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body struct {
			Error struct{ Code, Details string }
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		return resp.StatusCode, body.Error.Code, body.Error.Details
	}
	good, _ := signing.New("known", known)
	unknown, _ := signing.New("unknown", known)
	wrong, _ := signing.New("known", other)
	stale, _ := signing.New("known", known, signing.WithClock(func() time.Time { return time.Now().Add(-time.Hour) }))
	for _, tc := range []struct {
		name          string
		s             *signing.Signer
		code, details string
	}{
		{"unsigned", nil, "signature_is_missing_from_headers", ""},
		{"unknown key", unknown, "authentication_error", "NOT_FOUND"},
		{"wrong key", wrong, "authentication_error", "INCORRECT_API_KEY_SIGNATURE"},
		{"stale timestamp", stale, "header_timestamp_expired", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, code, details := send(t, tc.s)
			assert.Equal(t, http.StatusUnauthorized, status)
			assert.Equal(t, tc.code, code)
			assert.Equal(t, tc.details, details)
		})
	}
	status, _, _ := send(t, good)
	assert.Equal(t, http.StatusOK, status)
}

func TestValidationRefusesMalformedRequests(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, kalshitest.WithMarkets(3))
	ctx := context.Background()

	r, err := c.Raw().GetMarketsWithResponse(ctx, &gen.GetMarketsParams{Limit: ptr(int64(1001))})
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadRequest, r.StatusCode())
	var bare map[string]string
	require.NoError(t, json.Unmarshal(r.Body, &bare))
	assert.Len(t, bare, 1, "Kalshi's bare shape: %s", r.Body)
	assert.Contains(t, bare["msg"], "limit")

	for name, body := range map[string]string{
		"missing side":  `{"ticker":"X","count":"1","price":"0.5","time_in_force":"good_till_canceled","self_trade_prevention_type":"maker"}`,
		"numeric price": `{"ticker":"X","side":"bid","count":"1","price":0.5,"time_in_force":"good_till_canceled","self_trade_prevention_type":"maker"}`,
		"unknown tif":   `{"ticker":"X","side":"bid","count":"1","price":"0.5","time_in_force":"day","self_trade_prevention_type":"maker"}`,
	} {
		resp, err := c.Raw().CreateOrderV2WithBodyWithResponse(ctx, "application/json", strings.NewReader(body))
		require.NoError(t, err, name)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode(), name)
		var flat struct{ Code, Message, Details string }
		require.NoError(t, json.Unmarshal(resp.Body, &flat), name)
		assert.Equal(t, "bad_request", flat.Code, "%s: %s", name, resp.Body)
	}

	resp, err := http.Get(srv.URL() + "/no/such/path")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestAPIKeysLifecycle(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, kalshitest.WithMarkets(1))
	ctx := context.Background()
	for _, typ := range []gen.APIKeyType{"rsa", "ed25519"} {
		gk, err := c.GenerateAPIKey(ctx, gen.GenerateAPIKeyRequest{Name: "gen", KeyType: &typ})
		require.NoError(t, err)
		key, err := signing.ParsePrivateKey([]byte(gk.PrivateKey))
		require.NoError(t, err, typ)
		s, err := signing.New(gk.APIKeyID, key)
		require.NoError(t, err)
		nc, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()))
		require.NoError(t, err)
		_, err = nc.GetBalance(ctx, nil)
		require.NoError(t, err, "a generated key signs the next request")

		del, err := c.Raw().DeleteAPIKeyWithResponse(ctx, gk.APIKeyID)
		require.NoError(t, err)
		assert.Equal(t, http.StatusNoContent, del.StatusCode())
		_, err = nc.GetBalance(ctx, nil)
		var apiErr *kalshi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "NOT_FOUND", apiErr.Details)
	}
}

func TestPaginationCursors(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, kalshitest.WithMarkets(12))
	ctx := context.Background()
	var cursors []string
	seen := 0
	cursor := ""
	for {
		p, err := c.GetMarkets(ctx, &gen.GetMarketsParams{Limit: ptr(int64(5)), Cursor: ptr(cursor)})
		require.NoError(t, err)
		seen += len(p.Markets)
		cursors = append(cursors, p.Cursor)
		if p.Cursor == "" {
			break
		}
		cursor = p.Cursor
	}
	assert.Equal(t, 12, seen)
	assert.Len(t, cursors, 3)
	assert.Empty(t, cursors[2], "the last page's cursor is empty")

	resp, err := http.Get(srv.URL() + "/markets?cursor=%25%25")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
}

func TestRateLimitsPerTier(t *testing.T) {
	t.Parallel()
	_, c := newClient(t, kalshitest.WithMarkets(1), kalshitest.WithTier(kalshi.Basic))
	ctx := context.Background()
	limits, err := c.GetAccountAPILimits(ctx)
	require.NoError(t, err)
	assert.Equal(t, "basic", limits.UsageTier)
	assert.Equal(t, 100, limits.Write.RefillRate)

	// The write bucket holds 100 tokens and DecreaseOrderV2 costs the
	// default 10, so the first 10 pass at once and a burst runs dry.
	limited := 0
	for i := range 60 {
		r, err := c.Raw().DecreaseOrderV2WithResponse(ctx, "nope", nil, gen.DecreaseOrderV2Request{ReduceBy: ptr(qty("1"))})
		require.NoError(t, err)
		if r.StatusCode() == http.StatusTooManyRequests {
			limited++
			assert.JSONEq(t, `{"error":"too many requests"}`, string(r.Body))
			assert.GreaterOrEqual(t, i, 10)
		}
	}
	assert.Positive(t, limited)
}

func TestInjectedFaults(t *testing.T) {
	t.Parallel()
	srv, c := newClient(t, kalshitest.WithMarkets(1), kalshitest.With429Burst(2))
	ctx := context.Background()
	for range 2 {
		_, err := c.GetExchangeStatus(ctx)
		assert.ErrorIs(t, err, kalshi.ErrRateLimited)
	}
	_, err := c.GetExchangeStatus(ctx)
	require.NoError(t, err)

	srv.InjectFaults(kalshitest.Faults{ServerErrorRate: 1})
	_, err = c.GetExchangeStatus(ctx)
	assert.ErrorIs(t, err, kalshi.ErrServer)

	srv.InjectFaults(kalshitest.Faults{DropRate: 1})
	_, err = c.GetExchangeStatus(ctx)
	require.Error(t, err)
	var apiErr *kalshi.APIError
	assert.False(t, errors.As(err, &apiErr), "a dropped connection is a transport error")

	srv.InjectFaults(kalshitest.Faults{Latency: time.Minute})
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	_, err = c.GetExchangeStatus(short)
	cancel()
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	srv.InjectFaults(kalshitest.Faults{ClockSkew: time.Hour})
	_, err = c.GetBalance(ctx, nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "header_timestamp_expired", apiErr.Code)

	srv.InjectFaults(kalshitest.Faults{})
	_, err = c.GetBalance(ctx, nil)
	require.NoError(t, err)
}

// TestConcurrentClients trades from several accounts at once over HTTP
// (run with -race) and checks that the market's books and every account
// still agree.
func TestConcurrentClients(t *testing.T) {
	t.Parallel()
	srv, _ := newClient(t, kalshitest.WithMarkets(5))
	ctx := context.Background()
	const ticker = "KXHIGHNY-" // prefix of the first event's markets
	first, err := mustClient(t, srv).GetMarkets(ctx, &gen.GetMarketsParams{Limit: ptr(int64(1))})
	require.NoError(t, err)
	market := first.Markets[0].Ticker
	require.True(t, strings.HasPrefix(market, ticker))

	clients := make([]*kalshi.Client, 6)
	for i := range clients {
		clients[i] = clientFor(t, srv, "trader-"+string(rune('a'+i)), "200")
	}
	done := make(chan error, len(clients))
	for i, c := range clients {
		go func() {
			for j := range 25 {
				side := gen.BookSide("bid")
				if (i+j)%2 == 1 {
					side = "ask"
				}
				price := usd("0.30").Add(usd("0.01").Mul(qty(string(rune('0' + (i*3+j)%10)))))
				_, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
					Ticker: market, Side: side, Price: price, Count: qty("2"),
					TimeInForce: "good_till_canceled", SelfTradePreventionType: "maker",
				})
				var apiErr *kalshi.APIError
				if err != nil && !(errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest) {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range clients {
		require.NoError(t, <-done)
	}

	// every account reconciles, and the book does not cross
	for _, c := range clients {
		bal, err := c.GetBalance(ctx, nil)
		require.NoError(t, err)
		total := bal.BalanceDollars
		for o, err := range c.GetOrdersIter(ctx, &gen.GetOrdersParams{Status: ptr("resting")}) {
			require.NoError(t, err)
			p := o.YesPriceDollars
			if o.BookSide == "ask" {
				p = o.NoPriceDollars
			}
			total = total.Add(p.Mul(o.RemainingCountFp))
		}
		pos, err := c.GetPositions(ctx, &gen.GetPositionsParams{})
		require.NoError(t, err)
		for _, p := range pos.MarketPositions {
			total = total.Add(p.MarketExposureDollars).Sub(p.RealizedPNLDollars).Add(p.FeesPaidDollars)
		}
		assert.Equal(t, usd("200"), total)
	}
	ob, err := clients[0].GetMarketOrderbook(ctx, market, nil)
	require.NoError(t, err)
	yes, no := ob.OrderbookFp.YesDollars, ob.OrderbookFp.NoDollars
	if len(yes) > 0 && len(no) > 0 {
		bestBid := yes[len(yes)-1].Price
		bestAsk := usd("1").Sub(no[len(no)-1].Price)
		assert.Less(t, bestBid.Cmp(bestAsk), 0, "the book must not cross")
	}
}

func mustClient(t *testing.T, srv *kalshitest.Server) *kalshi.Client {
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	return c
}

// Extreme values are refused with 400, never a panic (which net/http turns
// into a dropped connection that a client retries).
func TestExtremeCountsAreRefused(t *testing.T) {
	t.Parallel()
	const ticker = "KXHUGE-26JAN01-T1"
	_, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: ticker}))
	ctx := context.Background()
	for _, count := range []string{"1000000000.01", "90000000000000000.00", "92233720368547758.07"} {
		_, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{Ticker: ticker, Side: gen.BookSideBid, Count: qty(count), Price: usd("0.50"),
			TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross})
		var apiErr *kalshi.APIError
		require.ErrorAs(t, err, &apiErr, count)
		assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode, count)
		assert.Equal(t, 1, apiErr.Attempts, "refused once, not retried")
		assert.Contains(t, apiErr.Details+apiErr.Message, "at most", count)
	}
	order, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{Ticker: ticker, Side: gen.BookSideBid, Count: qty("1"), Price: usd("0.01"),
		TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross})
	require.NoError(t, err)
	_, err = c.AmendOrderV2(ctx, order.OrderID, nil, gen.AmendOrderV2Request{Ticker: ticker, Side: gen.BookSideBid, Count: qty("90000000000000000"), Price: usd("0.01")})
	var apiErr *kalshi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
}

// Amending an order renews its time priority but does not move it in
// GetOrders: paging through the orders yields each one once.
func TestOrderListingSurvivesAmends(t *testing.T) {
	t.Parallel()
	const ticker = "KXLIST-26JAN01-T1"
	_, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: ticker}))
	ctx := context.Background()
	var ids []string
	for i := range 7 {
		o, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{Ticker: ticker, Side: gen.BookSideBid, Count: qty("1"), Price: usd(fmt.Sprintf("0.%02d", 10+i)),
			TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross})
		require.NoError(t, err)
		ids = append(ids, o.OrderID)
	}
	_, err := c.AmendOrderV2(ctx, ids[0], nil, gen.AmendOrderV2Request{Ticker: ticker, Side: gen.BookSideBid, Count: qty("2"), Price: usd("0.30")})
	require.NoError(t, err)
	seen := map[string]int{}
	for o, err := range c.GetOrdersIter(ctx, &gen.GetOrdersParams{Limit: ptr(int64(2))}) {
		require.NoError(t, err)
		seen[o.OrderID]++
	}
	assert.Len(t, seen, len(ids))
	for id, n := range seen {
		assert.Equal(t, 1, n, id)
	}
}

// TestIDsAreUniqueAcrossRunsUnlessSeeded: two servers started the same way
// hand out different IDs, so an ID kept from one run can never name
// something in the next; with WithSeed they repeat exactly.
func TestIDsAreUniqueAcrossRunsUnlessSeeded(t *testing.T) {
	t.Parallel()
	run := func(opts ...kalshitest.Option) (userID, orderID string) {
		srv, c := newClient(t, opts...)
		key, _ := newKey(t, signing.Ed25519)
		userID = srv.AddAccount("second", key.Public(), usd("10"))
		var ticker string
		for m, err := range c.GetMarketsIter(context.Background(), &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen)}) {
			require.NoError(t, err)
			ticker = m.Ticker
			break
		}
		o, err := c.CreateOrderV2(context.Background(), gen.CreateOrderV2Request{Ticker: ticker, Side: gen.BookSideBid, Count: qty("1"), Price: usd("0.01"),
			TimeInForce: gen.CreateOrderV2RequestTimeInForceGoodTillCanceled, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross})
		require.NoError(t, err)
		return userID, o.OrderID
	}
	u1, o1 := run()
	u2, o2 := run()
	assert.NotEqual(t, u1, u2, "user IDs repeat across runs")
	assert.NotEqual(t, o1, o2, "order IDs repeat across runs")
	assert.NotContains(t, []string{u1, o1}, o2)

	s1, p1 := run(kalshitest.WithSeed(42))
	s2, p2 := run(kalshitest.WithSeed(42))
	assert.Equal(t, s1, s2, "a seed fixes user IDs")
	assert.Equal(t, p1, p2, "a seed fixes order IDs")
}
