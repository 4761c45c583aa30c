package kalshi_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// e2eMarket is a market whose book the end-to-end test knows exactly:
// house bids at 0.45 and 0.44, asks at 0.50 and 0.52.
const e2eMarket = "KXE2E-26JUN12-T50"

func e2eServer(t *testing.T) *kalshitest.Server {
	t.Helper()
	srv := kalshitest.NewServer(kalshitest.WithMarkets(23), kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: e2eMarket,
		Bids:   []money.PriceLevel{{Price: money.MustDollars("0.45"), Count: money.MustCount("10")}, {Price: money.MustDollars("0.44"), Count: money.MustCount("10")}},
		Asks:   []money.PriceLevel{{Price: money.MustDollars("0.50"), Count: money.MustCount("5")}, {Price: money.MustDollars("0.52"), Count: money.MustCount("10")}},
	}))
	t.Cleanup(srv.Close)
	return srv
}

func usd(s string) money.Dollars { return money.MustDollars(s) }
func qty(s string) money.Count   { return money.MustCount(s) }

func e2eOrder(side gen.BookSide, price, count string, tif gen.CreateOrderV2RequestTimeInForce) gen.CreateOrderV2Request {
	return gen.CreateOrderV2Request{
		Ticker: e2eMarket, Side: side, Price: usd(price), Count: qty(count),
		TimeInForce: tif, SelfTradePreventionType: "taker_at_cross",
	}
}

// TestEndToEndAgainstKalshitest drives the real client against the fake
// exchange through a trader's day: a new API key, paging through markets,
// resting, crossing, amending, decreasing and cancelling orders, and
// checks that fills, positions and balance agree to the micro-dollar.
func TestEndToEndAgainstKalshitest(t *testing.T) {
	ctx := context.Background()
	srv := e2eServer(t)

	// A bootstrap key registers the user's own new key pair with
	// CreateApiKey; the new key signs the very next request.
	boot, bootPub := newSigner(t)
	srv.AddAPIKey(boot.KeyID(), bootPub)
	bootClient, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(boot))
	require.NoError(t, err)
	key, _, pubPEM, err := signing.GenerateKey(signing.RSA)
	require.NoError(t, err)
	created, err := bootClient.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{Name: "bot", PublicKey: string(pubPEM)})
	require.NoError(t, err)
	require.NotEmpty(t, created.APIKeyID)
	signer, err := signing.New(created.APIKeyID, key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithRetry(fastRetry()))
	require.NoError(t, err)
	keys, err := c.GetAPIKeys(ctx, nil)
	require.NoError(t, err)
	ids := []string{}
	for _, k := range keys.APIKeys {
		ids = append(ids, k.APIKeyID)
	}
	assert.Contains(t, ids, created.APIKeyID)

	start, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, kalshitest.DefaultBalance, start.BalanceDollars)

	// Markets across pages: every one once, the last cursor empty.
	limit := int64(5)
	seen := map[string]bool{}
	pages := 0
	for p, err := range c.GetMarketsPages(ctx, &gen.GetMarketsParams{Limit: &limit}) {
		require.NoError(t, err)
		pages++
		assert.LessOrEqual(t, len(p.Markets), 5)
		for _, m := range p.Markets {
			assert.False(t, seen[m.Ticker], "market %s listed twice", m.Ticker)
			seen[m.Ticker] = true
		}
	}
	assert.Len(t, seen, 24)
	assert.Equal(t, 5, pages)
	assert.True(t, seen[e2eMarket])

	// A resting bid below the book.
	resting, err := c.CreateOrderV2(ctx, e2eOrder("bid", "0.40", "10", "good_till_canceled"))
	require.NoError(t, err)
	assert.Equal(t, qty("0"), resting.FillCount)
	assert.Equal(t, qty("10"), resting.RemainingCount)
	require.NotNil(t, resting.ClientOrderID, "the client fills client_order_id")

	// A crossing bid for 8 takes the 5 offered at 0.50; 3 rest at 0.51.
	cross, err := c.CreateOrderV2(ctx, e2eOrder("bid", "0.51", "8", "good_till_canceled"))
	require.NoError(t, err)
	assert.Equal(t, qty("5"), cross.FillCount)
	assert.Equal(t, qty("3"), cross.RemainingCount)
	require.NotNil(t, cross.AverageFillPrice)
	assert.Equal(t, usd("0.50"), *cross.AverageFillPrice)
	require.NotNil(t, cross.AverageFeePaid)
	assert.Equal(t, usd("0.0175"), *cross.AverageFeePaid) // 7% × 0.50 × 0.50

	// Amend the first order up a cent and down to 6; decrease the second by 1.
	amended, err := c.AmendOrderV2(ctx, resting.OrderID, nil, gen.AmendOrderV2Request{
		Ticker: e2eMarket, Side: "bid", Price: usd("0.41"), Count: qty("6"),
	})
	require.NoError(t, err)
	require.NotNil(t, amended.RemainingCount)
	assert.Equal(t, qty("6"), *amended.RemainingCount)
	dec, err := c.DecreaseOrderV2(ctx, cross.OrderID, nil, gen.DecreaseOrderV2Request{ReduceBy: e2ePtr(qty("1"))})
	require.NoError(t, err)
	assert.Equal(t, qty("2"), dec.RemainingCount)

	// Cancel the amended order.
	canceled, err := c.CancelOrderV2(ctx, resting.OrderID, nil)
	require.NoError(t, err)
	assert.Equal(t, qty("6"), canceled.ReducedBy)
	_, err = c.CancelOrderV2(ctx, resting.OrderID, nil)
	assert.ErrorIs(t, err, kalshi.ErrNotFound)

	// Selling into the bids would first meet our own 0.51 bid: with
	// taker_at_cross the sell stops there, nothing trades.
	stopped, err := c.CreateOrderV2(ctx, e2eOrder("ask", "0.45", "2", "immediate_or_cancel"))
	require.NoError(t, err)
	assert.Equal(t, qty("0"), stopped.FillCount)

	// With maker prevention our bid is canceled instead, and 2 sell into
	// the house's 0.45 bid: buying NO at 0.55 closes 2 YES.
	sellOrder := e2eOrder("ask", "0.45", "2", "immediate_or_cancel")
	sellOrder.SelfTradePreventionType = "maker"
	sell, err := c.CreateOrderV2(ctx, sellOrder)
	require.NoError(t, err)
	assert.Equal(t, qty("2"), sell.FillCount)
	assert.Equal(t, qty("0"), sell.RemainingCount)
	crossed, err := c.GetOrder(ctx, cross.OrderID)
	require.NoError(t, err)
	assert.Equal(t, gen.OrderStatus("canceled"), crossed.Order.Status)
	assert.Equal(t, qty("5"), crossed.Order.FillCountFp)

	// One more resting order, so cash is held when the books are checked.
	_, err = c.CreateOrderV2(ctx, e2eOrder("bid", "0.30", "4", "good_till_canceled"))
	require.NoError(t, err)

	// Fills, positions, orders and balance agree.
	var fills []gen.Fill
	for f, err := range c.GetFillsIter(ctx, &gen.GetFillsParams{}) {
		require.NoError(t, err)
		fills = append(fills, f)
	}
	require.Len(t, fills, 2)
	feeTotal := money.Zero
	for _, f := range fills {
		assert.True(t, f.IsTaker)
		feeTotal = feeTotal.Add(f.FeeCost)
	}
	assert.Equal(t, usd("0.45"), fills[0].YesPriceDollars, "newest first")
	assert.Equal(t, gen.BookSide("ask"), fills[0].BookSide)
	assert.Equal(t, usd("0.50"), fills[1].YesPriceDollars)

	pos, err := c.GetPositions(ctx, &gen.GetPositionsParams{Ticker: e2ePtr(e2eMarket)})
	require.NoError(t, err)
	require.Len(t, pos.MarketPositions, 1)
	mp := pos.MarketPositions[0]
	assert.Equal(t, qty("3"), mp.PositionFp)
	assert.Equal(t, usd("1.50"), mp.MarketExposureDollars) // 3 left at 0.50
	assert.Equal(t, usd("-0.10"), mp.RealizedPNLDollars)   // 2 × (1 − 0.50 − 0.55)
	assert.Equal(t, feeTotal, mp.FeesPaidDollars)

	held := money.Zero
	for o, err := range c.GetOrdersIter(ctx, &gen.GetOrdersParams{Status: e2ePtr("resting")}) {
		require.NoError(t, err)
		price := o.YesPriceDollars
		if o.BookSide == "ask" {
			price = o.NoPriceDollars
		}
		held = held.Add(price.Mul(o.RemainingCountFp))
	}
	assert.Equal(t, usd("1.20"), held) // 4 at 0.30

	bal, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	// cash + cash held for orders + cost of what is held − realized + fees = start
	total := bal.BalanceDollars.Add(held).Add(mp.MarketExposureDollars).Sub(mp.RealizedPNLDollars).Add(mp.FeesPaidDollars)
	assert.Equal(t, start.BalanceDollars, total)
}

// TestEndToEndOrderRefusals checks that the exchange's refusals reach the
// client as Kalshi's errors.
func TestEndToEndOrderRefusals(t *testing.T) {
	ctx := context.Background()
	srv := e2eServer(t)
	s, pub := newSigner(t)
	srv.AddAPIKey(s.KeyID(), pub)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)

	dup := e2eOrder("bid", "0.30", "1", "good_till_canceled")
	dup.ClientOrderID = "dup-1"
	_, err = c.CreateOrderV2(ctx, dup)
	require.NoError(t, err)

	postOnly := e2eOrder("bid", "0.50", "1", "good_till_canceled")
	postOnly.PostOnly = e2ePtr(true)
	tooBig := e2eOrder("bid", "0.30", "1000000", "good_till_canceled")
	numeric := []byte(`{"ticker":"` + e2eMarket + `","side":"bid","price":"0.30","count":5,"time_in_force":"good_till_canceled","self_trade_prevention_type":"taker_at_cross"}`)

	for _, tc := range []struct {
		name   string
		send   func() error
		status int
		code   string
		is     error
	}{
		{"duplicate client_order_id", func() error { _, err := c.CreateOrderV2(ctx, dup); return err }, 409, "order_already_exists", kalshi.ErrOrderAlreadyExists},
		{"off the tick grid", func() error {
			_, err := c.CreateOrderV2(ctx, e2eOrder("bid", "0.305", "1", "good_till_canceled"))
			return err
		}, 400, "invalid_price", nil},
		{"post only crossing", func() error { _, err := c.CreateOrderV2(ctx, postOnly); return err }, 400, "invalid_order", nil},
		{"more than the balance", func() error { _, err := c.CreateOrderV2(ctx, tooBig); return err }, 400, "insufficient_balance", nil},
		{"numeric count", func() error {
			_, err := kalshi.Result(c.Raw().CreateOrderV2WithBodyWithResponse(ctx, "application/json", bytes.NewReader(numeric)))
			return err
		}, 400, "bad_request", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.send()
			var apiErr *kalshi.APIError
			require.True(t, errors.As(err, &apiErr), "got %v", err)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.code, apiErr.Code)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
		})
	}
}

func e2ePtr[T any](v T) *T { return &v }
