package kalshitest_test

import (
	"context"
	"crypto"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// fcmTicker is the market of the FCM tests: house bids at 0.38 and asks
// at 0.42, 100 contracts each; its series' category is "Other".
const fcmTicker = "KXFCM-26JUN30-A"

// fcmEnv is a fake exchange with an FCM member.
type fcmEnv struct {
	srv    *kalshitest.Server
	plain  *kalshi.Client // the default account, not an FCM member
	fcm    *kalshi.Client // the member's unbound key "fcm-key"
	userID string         // the member's user ID
}

func newFCMEnv(t *testing.T, opts ...kalshitest.Option) *fcmEnv {
	t.Helper()
	opts = append([]kalshitest.Option{kalshitest.WithMarkets(0)}, opts...)
	opts = append(opts, kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: fcmTicker,
		Bids:   []money.PriceLevel{{Price: usd("0.38"), Count: qty("100")}},
		Asks:   []money.PriceLevel{{Price: usd("0.42"), Count: qty("100")}},
	}))
	srv, plain := newClient(t, opts...)
	key, _ := newKey(t, signing.Ed25519)
	userID := srv.AddFCMAccount("fcm-key", key.Public(), usd("1000"))
	return &fcmEnv{srv: srv, plain: plain, fcm: signedClient(t, srv, "fcm-key", key), userID: userID}
}

func signedClient(t *testing.T, srv *kalshitest.Server, keyID string, key crypto.Signer) *kalshi.Client {
	t.Helper()
	s, err := signing.New(keyID, key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	return c
}

// subtrader creates the member's subtrader suffix holding balance.
func (e *fcmEnv) subtrader(t *testing.T, suffix, balance string) string {
	t.Helper()
	res, err := e.fcm.CreateFCMSubtrader(context.Background(), gen.CreateFCMSubtraderRequest{SubtraderSuffix: suffix})
	require.NoError(t, err)
	require.NoError(t, e.srv.SetBalance(res.SubtraderID, usd(balance)))
	return res.SubtraderID
}

// boundKey generates an API key bound to subtrader and returns its ID, a
// client signing with it, and the creation warning.
func (e *fcmEnv) boundKey(t *testing.T, subtrader string) (string, *kalshi.Client, *string) {
	t.Helper()
	typ := gen.APIKeyType("ed25519")
	gk, err := e.fcm.GenerateAPIKey(context.Background(), gen.GenerateAPIKeyRequest{Name: "bound", KeyType: &typ, FCMSubtraderID: &subtrader})
	require.NoError(t, err)
	key, err := signing.ParsePrivateKey([]byte(gk.PrivateKey))
	require.NoError(t, err)
	return gk.APIKeyID, signedClient(t, e.srv, gk.APIKeyID, key), gk.Warning
}

// limitOrder is a good-till-canceled order at price.
func limitOrder(ticker, side, price, count, clientID string) gen.CreateOrderV2Request {
	return gen.CreateOrderV2Request{
		Ticker: ticker, Side: gen.BookSide(side), Price: usd(price), Count: qty(count), ClientOrderID: clientID,
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	}
}

// iocOrder is an immediate-or-cancel order at price.
func iocOrder(ticker, side, price, count, clientID string) gen.CreateOrderV2Request {
	o := limitOrder(ticker, side, price, count, clientID)
	o.TimeInForce = "immediate_or_cancel"
	return o
}

// requireRefusal asserts that err (from PlaceSubtraderOrder) carries
// Kalshi's error code.
func requireRefusal(t *testing.T, err error, code string) {
	t.Helper()
	require.Error(t, err)
	assert.Contains(t, err.Error(), " "+code+":")
}

func TestFCMEndpointsRefuseNonMembers(t *testing.T) {
	t.Parallel()
	e := newFCMEnv(t)
	ctx := context.Background()
	other := e.userID + "_abc"
	calls := map[string]func() error{
		"GetFCMOrders": func() error {
			_, err := e.plain.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &other})
			return err
		},
		"GetFCMFills": func() error { _, err := e.plain.GetFCMFills(ctx, nil); return err },
		"GetFCMPositions": func() error {
			_, err := e.plain.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{SubtraderID: &other})
			return err
		},
		"ListFCMSubtraders": func() error { _, err := e.plain.ListFCMSubtraders(ctx); return err },
		"CreateFCMSubtrader": func() error {
			_, err := e.plain.CreateFCMSubtrader(ctx, gen.CreateFCMSubtraderRequest{SubtraderSuffix: "abc"})
			return err
		},
		"GetFCMEventContractDailyCap": func() error {
			_, err := e.plain.GetFCMEventContractDailyCap(ctx, &gen.GetFCMEventContractDailyCapParams{SubtraderID: &other})
			return err
		},
		"UpdateFCMEventContractDailyCap": func() error {
			_, err := e.plain.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: other, Limit: usd("10")})
			return err
		},
		"DeleteFCMEventContractDailyCap": func() error {
			_, err := e.plain.DeleteFCMEventContractDailyCap(ctx, &gen.DeleteFCMEventContractDailyCapParams{SubtraderID: other})
			return err
		},
		"GetFCMSubtraderBlockedCategories": func() error {
			_, err := e.plain.GetFCMSubtraderBlockedCategories(ctx, &gen.GetFCMSubtraderBlockedCategoriesParams{SubtraderID: other})
			return err
		},
		"UpdateFCMSubtraderBlockedCategories": func() error {
			_, err := e.plain.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: other, Category: "Sports", Blocked: true})
			return err
		},
		"CreateAPIKey with fcm_subtrader_id": func() error {
			key, _ := newKey(t, signing.Ed25519)
			pem, err := signing.MarshalPublicKey(key.Public())
			require.NoError(t, err)
			_, err = e.plain.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{Name: "k", PublicKey: string(pem), FCMSubtraderID: &other})
			return err
		},
	}
	for name, call := range calls {
		err := call()
		apiErr := requireAPIError(t, err, http.StatusForbidden, "forbidden")
		assert.ErrorIs(t, err, kalshi.ErrForbidden, name)
		assert.NotEmpty(t, apiErr.Details, name)
	}
	// and the member's own subtraders stay out of reach of anyone else
	_, err := e.plain.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &other})
	require.Error(t, err)
	_, err = e.srv.PlaceSubtraderOrder("test-key", other, limitOrder(fcmTicker, "bid", "0.10", "1", ""))
	requireRefusal(t, err, "forbidden")
}

func TestFCMSubtradersAreCreatedAndListed(t *testing.T) {
	t.Parallel()
	e := newFCMEnv(t)
	ctx := context.Background()

	list, err := e.fcm.ListFCMSubtraders(ctx)
	require.NoError(t, err)
	assert.Empty(t, list.Subtraders)

	a, err := e.fcm.CreateFCMSubtrader(ctx, gen.CreateFCMSubtraderRequest{SubtraderSuffix: "alpha"})
	require.NoError(t, err)
	assert.Equal(t, e.userID+"_alpha", a.SubtraderID)
	b, err := e.fcm.CreateFCMSubtrader(ctx, gen.CreateFCMSubtraderRequest{SubtraderSuffix: "Beta16charsXYZ12"})
	require.NoError(t, err)
	assert.Equal(t, e.userID+"_Beta16charsXYZ12", b.SubtraderID)
	// suffixes are case-sensitive
	_, err = e.fcm.CreateFCMSubtrader(ctx, gen.CreateFCMSubtraderRequest{SubtraderSuffix: "ALPHA"})
	require.NoError(t, err)

	list, err = e.fcm.ListFCMSubtraders(ctx)
	require.NoError(t, err)
	require.Len(t, list.Subtraders, 3, "subtraders that never traded are listed")
	assert.Equal(t, gen.FCMSubtrader{SubtraderID: e.userID + "_alpha", ExchangeIndices: []int32{0}}, list.Subtraders[0])
	assert.Equal(t, b.SubtraderID, list.Subtraders[1].SubtraderID)
	assert.Equal(t, e.userID+"_ALPHA", list.Subtraders[2].SubtraderID)

	for _, bad := range []string{"", "has-dash", "has_underscore", "x23456789012345678", "émoji"} {
		_, err := e.fcm.CreateFCMSubtrader(ctx, gen.CreateFCMSubtraderRequest{SubtraderSuffix: bad})
		var apiErr *kalshi.APIError
		require.ErrorAs(t, err, &apiErr, "suffix %q", bad)
		assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode, "suffix %q", bad)
	}
	_, err = e.fcm.CreateFCMSubtrader(ctx, gen.CreateFCMSubtraderRequest{SubtraderSuffix: "alpha"})
	requireAPIError(t, err, http.StatusConflict, "subtrader_already_exists")
	assert.ErrorIs(t, err, kalshi.ErrConflict)

	// another member sees none of them, and may not touch them
	key, _ := newKey(t, signing.Ed25519)
	e.srv.AddFCMAccount("fcm-2", key.Public(), usd("10"))
	other := signedClient(t, e.srv, "fcm-2", key)
	list, err = other.ListFCMSubtraders(ctx)
	require.NoError(t, err)
	assert.Empty(t, list.Subtraders)
	_, err = other.GetFCMSubtraderBlockedCategories(ctx, &gen.GetFCMSubtraderBlockedCategoriesParams{SubtraderID: a.SubtraderID})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	// a well-formed ID of one's own that was never created is not found
	_, err = e.fcm.GetFCMSubtraderBlockedCategories(ctx, &gen.GetFCMSubtraderBlockedCategoriesParams{SubtraderID: e.userID + "_nobody"})
	requireAPIError(t, err, http.StatusNotFound, "not_found")
}

// TestFCMSubtraderTradesShowInFCMLists has two subtraders trade with the
// house and with each other, then reads their orders, fills and positions
// through the member's endpoints.
func TestFCMSubtraderTradesShowInFCMLists(t *testing.T) {
	t.Parallel()
	e := newFCMEnv(t)
	ctx := context.Background()
	a := e.subtrader(t, "a", "100")
	b := e.subtrader(t, "b", "100")

	// A buys 10 YES from the house at 0.42
	res, err := e.srv.PlaceSubtraderOrder("fcm-key", a, limitOrder(fcmTicker, "bid", "0.42", "10", "a-1"))
	require.NoError(t, err)
	assert.Equal(t, qty("10"), res.FillCount)
	a1 := res.OrderID
	// B bids 5 at 0.40, between the house's bid and ask: it rests
	res, err = e.srv.PlaceSubtraderOrder("fcm-key", b, limitOrder(fcmTicker, "bid", "0.40", "5", "b-1"))
	require.NoError(t, err)
	assert.Equal(t, qty("5"), res.RemainingCount)
	b1 := res.OrderID
	// A sells 5 into B's bid: a match between two subtraders
	res, err = e.srv.PlaceSubtraderOrder("fcm-key", a, iocOrder(fcmTicker, "ask", "0.40", "5", "a-2"))
	require.NoError(t, err)
	assert.Equal(t, qty("5"), res.FillCount)
	a2 := res.OrderID

	// orders, by subtrader, newest first
	orders, err := e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &a})
	require.NoError(t, err)
	require.Len(t, orders.Orders, 2)
	assert.Equal(t, []string{a2, a1}, []string{orders.Orders[0].OrderID, orders.Orders[1].OrderID})
	assert.Equal(t, a, orders.Orders[0].UserID)
	assert.Equal(t, gen.OrderStatus("executed"), orders.Orders[1].Status)
	assert.Empty(t, orders.Cursor)

	status := gen.GetFCMOrdersParamsStatus("resting")
	orders, err = e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &b, Status: &status})
	require.NoError(t, err)
	assert.Empty(t, orders.Orders, "B's bid was filled")
	status = "executed"
	orders, err = e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &b, Status: &status, Ticker: ptr(fcmTicker), EventTicker: ptr("KXFCM-26JUN30")})
	require.NoError(t, err)
	require.Len(t, orders.Orders, 1)
	assert.Equal(t, b1, orders.Orders[0].OrderID)
	orders, err = e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &b, Ticker: ptr("KXOTHER-X")})
	require.NoError(t, err)
	assert.Empty(t, orders.Orders)

	// by client order ID across subtraders, and both filters together
	orders, err = e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{ClientOrderIds: ptr("a-1,b-1")})
	require.NoError(t, err)
	require.Len(t, orders.Orders, 2)
	assert.Equal(t, []string{b1, a1}, []string{orders.Orders[0].OrderID, orders.Orders[1].OrderID})
	orders, err = e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{ClientOrderIds: ptr("a-1,b-1"), SubtraderID: &b})
	require.NoError(t, err)
	require.Len(t, orders.Orders, 1)
	assert.Equal(t, b1, orders.Orders[0].OrderID)
	_, err = e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")

	// pages of one
	var paged []string
	params := &gen.GetFCMOrdersParams{SubtraderID: &a, Limit: ptr(1)}
	for {
		page, err := e.fcm.GetFCMOrders(ctx, params)
		require.NoError(t, err)
		for _, o := range page.Orders {
			paged = append(paged, o.OrderID)
		}
		if page.Cursor == "" {
			break
		}
		params.Cursor = ptr(page.Cursor)
	}
	assert.Equal(t, []string{a2, a1}, paged)

	// the subtraders are accounts of their own: the member has no orders
	own, err := e.fcm.GetOrders(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, own.Orders)

	// fills: one entry per match, with the sides the member owns
	fills, err := e.fcm.GetFCMFills(ctx, nil)
	require.NoError(t, err)
	require.Len(t, fills.Fills, 2)
	between := fills.Fills[0]
	assert.Equal(t, fcmTicker, between.Ticker)
	assert.Equal(t, qty("5"), between.CountFp)
	assert.Equal(t, usd("0.40"), between.YesPriceDollars)
	assert.Equal(t, gen.OutcomeSide("no"), between.TakerOutcomeSide, "A sold YES")
	assert.Equal(t, ptr(a), between.TakerSubtraderID)
	assert.Equal(t, ptr(a2), between.TakerOrderID)
	assert.Equal(t, ptr(usd("0.0840")), between.TakerFeeCost) // 7% × 5 × 0.40 × 0.60
	assert.Equal(t, ptr(b), between.MakerSubtraderID)
	assert.Equal(t, ptr(b1), between.MakerOrderID)
	assert.Equal(t, ptr(money.Zero), between.MakerFeeCost)
	withHouse := fills.Fills[1]
	assert.Equal(t, gen.OutcomeSide("yes"), withHouse.TakerOutcomeSide)
	assert.Equal(t, ptr(a1), withHouse.TakerOrderID)
	assert.Equal(t, ptr(usd("0.1706")), withHouse.TakerFeeCost) // 7% × 10 × 0.42 × 0.58, rounded up
	assert.Nil(t, withHouse.MakerSubtraderID, "the house's side is not the member's")
	assert.Nil(t, withHouse.MakerOrderID)
	assert.Empty(t, fills.Cursor)
	future := time.Now().Add(time.Hour).Unix()
	fills, err = e.fcm.GetFCMFills(ctx, &gen.GetFCMFillsParams{MinTS: &future})
	require.NoError(t, err)
	assert.Empty(t, fills.Fills)

	// positions: A holds 10 − 5, B holds 5
	pos, err := e.fcm.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{SubtraderID: &a})
	require.NoError(t, err)
	require.Len(t, pos.MarketPositions, 1)
	assert.Equal(t, qty("5"), pos.MarketPositions[0].PositionFp)
	require.Len(t, pos.EventPositions, 1)
	assert.Equal(t, "KXFCM-26JUN30", pos.EventPositions[0].EventTicker)
	pos, err = e.fcm.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{SubtraderID: &b, Ticker: ptr(fcmTicker), CountFilter: ptr("position")})
	require.NoError(t, err)
	require.Len(t, pos.MarketPositions, 1)
	assert.Equal(t, qty("5"), pos.MarketPositions[0].PositionFp)
	assert.Equal(t, usd("2.00"), pos.MarketPositions[0].MarketExposureDollars)
	_, err = e.fcm.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")

	// settled markets leave the default (unsettled) list
	require.NoError(t, e.srv.SettleMarket(fcmTicker, "yes"))
	pos, err = e.fcm.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{SubtraderID: &a})
	require.NoError(t, err)
	assert.Empty(t, pos.MarketPositions)
	settled := gen.GetFCMPositionsParamsSettlementStatus("settled")
	pos, err = e.fcm.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{SubtraderID: &a, SettlementStatus: &settled})
	require.NoError(t, err)
	require.Len(t, pos.MarketPositions, 1)
	assert.True(t, pos.MarketPositions[0].PositionFp.IsZero())
	all := gen.GetFCMPositionsParamsSettlementStatus("all")
	pos, err = e.fcm.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{SubtraderID: &b, SettlementStatus: &all})
	require.NoError(t, err)
	assert.Len(t, pos.MarketPositions, 1)
}

// TestFCMDailyCap sets, reads and removes a subtrader's daily cap and
// checks that orders through its bound key respect it.
func TestFCMDailyCap(t *testing.T) {
	t.Parallel()
	e := newFCMEnv(t)
	ctx := context.Background()
	a := e.subtrader(t, "a", "100")
	boundID, _, warning := e.boundKey(t, a)
	require.NotNil(t, warning, "a key bound to a subtrader without a cap is made with a warning")
	assert.Contains(t, *warning, "daily cap")

	_, err := e.fcm.GetFCMEventContractDailyCap(ctx, &gen.GetFCMEventContractDailyCapParams{SubtraderID: &a})
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = e.fcm.DeleteFCMEventContractDailyCap(ctx, &gen.DeleteFCMEventContractDailyCapParams{SubtraderID: a})
	requireAPIError(t, err, http.StatusNotFound, "not_found")

	// without a cap the bound key cannot order; the member's own key can
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", iocOrder(fcmTicker, "bid", "0.42", "1", ""))
	requireRefusal(t, err, "event_contract_daily_cap_not_set")
	res, err := e.srv.PlaceSubtraderOrder("fcm-key", a, iocOrder(fcmTicker, "bid", "0.42", "1", ""))
	require.NoError(t, err)
	require.Equal(t, qty("1"), res.FillCount)

	_, err = e.fcm.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: a, Limit: usd("0.50")})
	require.NoError(t, err)
	capNow, err := e.fcm.GetFCMEventContractDailyCap(ctx, &gen.GetFCMEventContractDailyCapParams{SubtraderID: &a})
	require.NoError(t, err)
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	assert.Equal(t, gen.GetFCMEventContractDailyCapResponse{
		SubtraderID:             a,
		Limit:                   usd("0.50"),
		ExecutedUtilization:     usd("0.4371"), // 0.42 + fee 0.0171
		RestingOrderUtilization: money.Zero,
		PendingOrderUtilization: money.Zero,
		CapDate:                 time.Now().In(ny).Format(time.DateOnly),
	}, *capNow)

	// another 0.4371 would pass 0.50
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", iocOrder(fcmTicker, "bid", "0.42", "1", ""))
	requireRefusal(t, err, "event_contract_daily_cap_exceeded")
	// selling what it holds gives premium back, and is allowed over the cap
	res, err = e.srv.PlaceSubtraderOrder(boundID, a, iocOrder(fcmTicker, "ask", "0.38", "1", ""))
	require.NoError(t, err)
	require.Equal(t, qty("1"), res.FillCount)
	capNow, err = e.fcm.GetFCMEventContractDailyCap(ctx, &gen.GetFCMEventContractDailyCapParams{SubtraderID: &a})
	require.NoError(t, err)
	assert.Equal(t, usd("0.0736"), capNow.ExecutedUtilization) // 0.4371 + 0.62 + fee 0.0165 − 1

	// resting orders count at their cost
	_, err = e.fcm.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: a, Limit: usd("5")})
	require.NoError(t, err)
	res, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(fcmTicker, "bid", "0.40", "10", "rest"))
	require.NoError(t, err)
	require.Equal(t, qty("10"), res.RemainingCount)
	capNow, err = e.fcm.GetFCMEventContractDailyCap(ctx, &gen.GetFCMEventContractDailyCapParams{SubtraderID: &a})
	require.NoError(t, err)
	assert.Equal(t, usd("4.00"), capNow.RestingOrderUtilization)
	// 0.0736 + 4.00 + (0.90 + fee 0.0441) > 5
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(fcmTicker, "bid", "0.30", "3", ""))
	requireRefusal(t, err, "event_contract_daily_cap_exceeded")
	// … but 2 fit: 0.0736 + 4.00 + 0.6294
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(fcmTicker, "bid", "0.30", "2", ""))
	require.NoError(t, err)
	// the member's own key is not held to the cap
	_, err = e.srv.PlaceSubtraderOrder("fcm-key", a, limitOrder(fcmTicker, "bid", "0.30", "3", ""))
	require.NoError(t, err)

	// a lower cap cancels nothing
	_, err = e.fcm.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: a, Limit: usd("1")})
	require.NoError(t, err)
	resting := gen.GetFCMOrdersParamsStatus("resting")
	orders, err := e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &a, Status: &resting})
	require.NoError(t, err)
	assert.Len(t, orders.Orders, 3)

	_, err = e.fcm.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: a, Limit: usd("-1")})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
	_, err = e.fcm.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: e.userID + "_zz", Limit: usd("1")})
	requireAPIError(t, err, http.StatusNotFound, "not_found")

	// removed, the bound key can order no more
	_, err = e.fcm.DeleteFCMEventContractDailyCap(ctx, &gen.DeleteFCMEventContractDailyCapParams{SubtraderID: a})
	require.NoError(t, err)
	_, err = e.fcm.GetFCMEventContractDailyCap(ctx, &gen.GetFCMEventContractDailyCapParams{SubtraderID: &a})
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(fcmTicker, "bid", "0.01", "1", ""))
	requireRefusal(t, err, "event_contract_daily_cap_not_set")
	_, err = e.srv.PlaceSubtraderOrder("fcm-key", a, limitOrder(fcmTicker, "bid", "0.01", "1", ""))
	require.NoError(t, err)
}

// TestFCMBlockedCategories blocks categories of a subtrader and checks
// orders through its bound key in markets of them.
func TestFCMBlockedCategories(t *testing.T) {
	t.Parallel()
	e := newFCMEnv(t, kalshitest.WithMarkets(20))
	ctx := context.Background()
	a := e.subtrader(t, "a", "100")
	boundID, _, _ := e.boundKey(t, a)
	_, err := e.fcm.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: a, Limit: usd("100")})
	require.NoError(t, err)
	sports := activeMarketOf(t, e.fcm, "KXNBAGAME")
	btc := activeMarketOf(t, e.fcm, "KXBTCD")

	got, err := e.fcm.GetFCMSubtraderBlockedCategories(ctx, &gen.GetFCMSubtraderBlockedCategoriesParams{SubtraderID: a})
	require.NoError(t, err)
	assert.Equal(t, []string{}, got.Categories)

	// an order resting before the block stays
	res, err := e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(fcmTicker, "bid", "0.01", "1", "before"))
	require.NoError(t, err)
	before := res.OrderID

	upd, err := e.fcm.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: a, Category: "Sports", Blocked: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"Sports"}, upd.Categories)
	upd, err = e.fcm.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: a, Category: "Other", Blocked: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"Other", "Sports"}, upd.Categories)
	got, err = e.fcm.GetFCMSubtraderBlockedCategories(ctx, &gen.GetFCMSubtraderBlockedCategoriesParams{SubtraderID: a})
	require.NoError(t, err)
	assert.Equal(t, []string{"Other", "Sports"}, got.Categories)

	_, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(sports, "bid", "0.01", "1", ""))
	requireRefusal(t, err, "category_blocked")
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(fcmTicker, "bid", "0.01", "1", ""))
	requireRefusal(t, err, "category_blocked")
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(btc, "bid", "0.01", "1", ""))
	require.NoError(t, err, "Crypto is not blocked")
	// the member's own key is not held to the blocks
	_, err = e.srv.PlaceSubtraderOrder("fcm-key", a, limitOrder(sports, "bid", "0.01", "1", ""))
	require.NoError(t, err)

	orders, err := e.fcm.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{ClientOrderIds: ptr("before")})
	require.NoError(t, err)
	require.Len(t, orders.Orders, 1)
	assert.Equal(t, before, orders.Orders[0].OrderID)
	assert.Equal(t, gen.OrderStatus("resting"), orders.Orders[0].Status)

	// unblocking, and unblocking what is not blocked
	upd, err = e.fcm.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: a, Category: "Other", Blocked: false})
	require.NoError(t, err)
	assert.Equal(t, []string{"Sports"}, upd.Categories)
	upd, err = e.fcm.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: a, Category: "Politics", Blocked: false})
	require.NoError(t, err)
	assert.Equal(t, []string{"Sports"}, upd.Categories)
	_, err = e.srv.PlaceSubtraderOrder(boundID, "", limitOrder(fcmTicker, "bid", "0.01", "1", ""))
	require.NoError(t, err)

	_, err = e.fcm.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: a, Category: strings.Repeat("x", 101), Blocked: true})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
	_, err = e.fcm.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: e.userID + "_zz", Category: "Sports", Blocked: true})
	requireAPIError(t, err, http.StatusNotFound, "not_found")
}

// activeMarketOf returns an active market of a generated series.
func activeMarketOf(t *testing.T, c *kalshi.Client, series string) string {
	t.Helper()
	res, err := c.GetMarkets(context.Background(), &gen.GetMarketsParams{SeriesTicker: &series})
	require.NoError(t, err)
	for _, m := range res.Markets {
		if m.Status == "active" {
			return m.Ticker
		}
	}
	t.Fatalf("no active market in series %s", series)
	return ""
}

// TestFCMBoundKeys makes keys bound to a subtrader and checks where they
// are taken and where refused.
func TestFCMBoundKeys(t *testing.T) {
	t.Parallel()
	e := newFCMEnv(t)
	ctx := context.Background()
	a := e.subtrader(t, "a", "100")
	b := e.subtrader(t, "b", "100")
	_, err := e.fcm.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: a, Limit: usd("10")})
	require.NoError(t, err)

	// CreateApiKey binds a key of one's own; no warning with a cap set
	key, _ := newKey(t, signing.Ed25519)
	pem, err := signing.MarshalPublicKey(key.Public())
	require.NoError(t, err)
	created, err := e.fcm.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{Name: "bound-a", PublicKey: string(pem), FCMSubtraderID: &a})
	require.NoError(t, err)
	assert.Nil(t, created.Warning)
	boundA := signedClient(t, e.srv, created.APIKeyID, key)
	idB, _, warning := e.boundKey(t, b)
	assert.NotNil(t, warning)

	keys, err := e.fcm.GetAPIKeys(ctx, nil)
	require.NoError(t, err)
	byID := map[string]gen.APIKey{}
	for _, k := range keys.APIKeys {
		byID[k.APIKeyID] = k
	}
	require.Len(t, byID, 3)
	assert.Nil(t, byID["fcm-key"].FCMSubtraderID)
	assert.Equal(t, ptr(a), byID[created.APIKeyID].FCMSubtraderID)
	assert.Equal(t, ptr(b), byID[idB].FCMSubtraderID)
	keys, err = e.fcm.GetAPIKeys(ctx, &gen.GetAPIKeysParams{FCMSubtraderID: &b})
	require.NoError(t, err)
	require.Len(t, keys.APIKeys, 1)
	assert.Equal(t, idB, keys.APIKeys[0].APIKeyID)

	// bad bindings
	_, err = e.fcm.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{Name: "x", PublicKey: string(pem), FCMSubtraderID: &a, Subaccount: ptr(1)})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
	_, err = e.fcm.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{Name: "x", PublicKey: string(pem), FCMSubtraderID: ptr(e.userID + "_nobody")})
	requireAPIError(t, err, http.StatusBadRequest, "bad_request")
	_, err = e.fcm.GenerateAPIKey(ctx, gen.GenerateAPIKeyRequest{Name: "x", FCMSubtraderID: ptr(kalshitest.DefaultUserID + "_a")})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")

	// the bound key trades for its subtrader only
	res, err := e.srv.PlaceSubtraderOrder(created.APIKeyID, "", iocOrder(fcmTicker, "bid", "0.42", "2", "bound-1"))
	require.NoError(t, err)
	assert.Equal(t, qty("2"), res.FillCount)
	_, err = e.srv.PlaceSubtraderOrder(created.APIKeyID, b, iocOrder(fcmTicker, "bid", "0.42", "2", ""))
	requireRefusal(t, err, "forbidden")

	// the three reads a bound key may call default to its subtrader
	orders, err := boundA.GetFCMOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, orders.Orders, 1)
	assert.Equal(t, res.OrderID, orders.Orders[0].OrderID)
	assert.Equal(t, a, orders.Orders[0].UserID)
	orders, err = boundA.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &a})
	require.NoError(t, err)
	assert.Len(t, orders.Orders, 1)
	_, err = boundA.GetFCMOrders(ctx, &gen.GetFCMOrdersParams{SubtraderID: &b})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	pos, err := boundA.GetFCMPositions(ctx, nil)
	require.NoError(t, err)
	require.Len(t, pos.MarketPositions, 1)
	assert.Equal(t, qty("2"), pos.MarketPositions[0].PositionFp)
	_, err = boundA.GetFCMPositions(ctx, &gen.GetFCMPositionsParams{SubtraderID: &b})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	capA, err := boundA.GetFCMEventContractDailyCap(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, a, capA.SubtraderID)
	assert.Equal(t, usd("10"), capA.Limit)
	_, err = boundA.GetFCMEventContractDailyCap(ctx, &gen.GetFCMEventContractDailyCapParams{SubtraderID: &b})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")

	// the other fcm endpoints refuse it
	_, err = boundA.GetFCMFills(ctx, nil)
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	_, err = boundA.ListFCMSubtraders(ctx)
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	_, err = boundA.CreateFCMSubtrader(ctx, gen.CreateFCMSubtraderRequest{SubtraderSuffix: "c"})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	_, err = boundA.UpdateFCMEventContractDailyCap(ctx, gen.UpdateFCMEventContractDailyCapRequest{SubtraderID: a, Limit: usd("1000")})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	_, err = boundA.DeleteFCMEventContractDailyCap(ctx, &gen.DeleteFCMEventContractDailyCapParams{SubtraderID: a})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	_, err = boundA.GetFCMSubtraderBlockedCategories(ctx, &gen.GetFCMSubtraderBlockedCategoriesParams{SubtraderID: a})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")
	_, err = boundA.UpdateFCMSubtraderBlockedCategories(ctx, gen.UpdateFCMSubtraderBlockedCategoriesRequest{SubtraderID: a, Category: "Sports", Blocked: false})
	requireAPIError(t, err, http.StatusForbidden, "forbidden")

	// a deleted key orders no more
	_, err = e.fcm.Raw().DeleteAPIKeyWithResponse(ctx, created.APIKeyID)
	require.NoError(t, err)
	_, err = e.srv.PlaceSubtraderOrder(created.APIKeyID, "", iocOrder(fcmTicker, "bid", "0.42", "1", ""))
	requireRefusal(t, err, "authentication_error")
}

// TestPlaceSubtraderOrderChecksTheOrder checks the order fields
// PlaceSubtraderOrder takes without the REST validator in front of it.
func TestPlaceSubtraderOrderChecksTheOrder(t *testing.T) {
	t.Parallel()
	e := newFCMEnv(t)
	a := e.subtrader(t, "a", "1")
	for _, c := range []struct {
		code  string
		order gen.CreateOrderV2Request
	}{
		{"invalid_order", gen.CreateOrderV2Request{Ticker: fcmTicker, Side: "buy", Price: usd("0.10"), Count: qty("1"), TimeInForce: "good_till_canceled"}},
		{"invalid_order", gen.CreateOrderV2Request{Ticker: fcmTicker, Side: "bid", Price: usd("0.10"), Count: qty("1"), TimeInForce: "gtc"}},
		{"invalid_order", gen.CreateOrderV2Request{Ticker: fcmTicker, Side: "bid", Price: usd("0.10"), Count: qty("1"), TimeInForce: "good_till_canceled", Subaccount: ptr(2)}},
		{"insufficient_balance", limitOrder(fcmTicker, "bid", "0.30", "10", "")},
		{"market_not_found", limitOrder("KXNOPE-1", "bid", "0.30", "1", "")},
		{"invalid_price", limitOrder(fcmTicker, "bid", "1.30", "1", "")},
	} {
		_, err := e.srv.PlaceSubtraderOrder("fcm-key", a, c.order)
		requireRefusal(t, err, c.code)
	}
	_, err := e.srv.PlaceSubtraderOrder("fcm-key", "", limitOrder(fcmTicker, "bid", "0.30", "1", ""))
	requireRefusal(t, err, "bad_request")
	_, err = e.srv.PlaceSubtraderOrder("no-such-key", a, limitOrder(fcmTicker, "bid", "0.30", "1", ""))
	requireRefusal(t, err, "authentication_error")
}
