package kalshitest_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"testing"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// subMarket is the market the subaccount tests trade: house bids at 0.45,
// asks at 0.50 and 0.52.
const subMarket = "KXSUB-26JUN12-T50"

// subEnv starts a fake with subMarket, grants the default account the
// Advanced usage level (subaccounts need it) and makes n subaccounts; it
// returns the fake with a client of the default account.
func subEnv(t *testing.T, n int, opts ...kalshitest.Option) (*kalshitest.Server, *kalshi.Client) {
	t.Helper()
	srv, c := newClient(t, append([]kalshitest.Option{
		kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{
			Ticker: subMarket,
			Bids:   []money.PriceLevel{{Price: usd("0.45"), Count: qty("100")}},
			Asks:   []money.PriceLevel{{Price: usd("0.50"), Count: qty("100")}, {Price: usd("0.52"), Count: qty("100")}},
		}),
	}, opts...)...)
	require.NoError(t, srv.GrantUsageLevel(kalshitest.DefaultUserID, kalshi.Advanced))
	for i := 1; i <= n; i++ {
		res, err := c.CreateSubaccount(context.Background(), gen.CreateSubaccountRequest{})
		require.NoError(t, err)
		require.Equal(t, i, res.SubaccountNumber)
	}
	return srv, c
}

// newTransferID is a fresh client_transfer_id.
func newTransferID(t *testing.T) openapi_types.UUID {
	var id openapi_types.UUID
	_, err := rand.Read(id[:])
	require.NoError(t, err)
	id[6] = id[6]&0x0f | 0x40
	id[8] = id[8]&0x3f | 0x80
	return id
}

// transfer moves dollars between two subaccounts of c's user on shard 0.
func transfer(t *testing.T, c *kalshi.Client, from, to int, cents int64) {
	t.Helper()
	_, err := c.ApplySubaccountTransfer(context.Background(), gen.ApplySubaccountTransferRequest{
		ClientTransferID: newTransferID(t), FromSubaccount: from, ToSubaccount: to, AmountCents: cents,
	})
	require.NoError(t, err)
}

// subOrder places an order for a subaccount (nil: none named).
func subOrder(t *testing.T, c *kalshi.Client, sub *int, side gen.BookSide, price, count, tif string) (*gen.CreateOrderV2Response, error) {
	t.Helper()
	return c.CreateOrderV2(context.Background(), gen.CreateOrderV2Request{
		Ticker: subMarket, Side: side, Price: usd(price), Count: qty(count), Subaccount: sub,
		TimeInForce: gen.CreateOrderV2RequestTimeInForce(tif), SelfTradePreventionType: "taker_at_cross",
	})
}

// balanceOf is a subaccount's available cash as GetBalance reports it.
func balanceOf(t *testing.T, c *kalshi.Client, sub int) money.Dollars {
	t.Helper()
	b, err := c.GetBalance(context.Background(), &gen.GetBalanceParams{Subaccount: &sub})
	require.NoError(t, err)
	return b.BalanceDollars
}

// books is a subaccount's side of doc.go's identity as REST reports it:
// cash + cash held for resting orders + exposure − realized P&L + fees,
// which must equal the cash it started with plus the cash transferred in.
func books(t *testing.T, c *kalshi.Client, sub int) money.Dollars {
	t.Helper()
	ctx := context.Background()
	total := balanceOf(t, c, sub)
	orders, err := c.GetOrders(ctx, &gen.GetOrdersParams{Subaccount: &sub, Status: ptr("resting")})
	require.NoError(t, err)
	for _, o := range orders.Orders {
		price := o.YesPriceDollars
		if o.BookSide == "ask" {
			price = o.NoPriceDollars
		}
		total = total.Add(price.Mul(o.RemainingCountFp))
	}
	positions, err := c.GetPositions(ctx, &gen.GetPositionsParams{Subaccount: &sub})
	require.NoError(t, err)
	for _, p := range positions.MarketPositions {
		total = total.Add(p.MarketExposureDollars).Sub(p.RealizedPNLDollars).Add(p.FeesPaidDollars)
	}
	return total
}

// clientOfKey is a client signed with a key GenerateApiKey made.
func clientOfKey(t *testing.T, srv *kalshitest.Server, gk *gen.GenerateAPIKeyResponse) *kalshi.Client {
	t.Helper()
	key, err := signing.ParsePrivateKey([]byte(gk.PrivateKey))
	require.NoError(t, err)
	s, err := signing.New(gk.APIKeyID, key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	return c
}

// apiErr is err as the API error it must be.
func apiErr(t *testing.T, err error) *kalshi.APIError {
	t.Helper()
	var e *kalshi.APIError
	require.ErrorAs(t, err, &e)
	return e
}

func TestSubaccountOrderMovesOnlyItsLedger(t *testing.T) {
	t.Parallel()
	srv, c := subEnv(t, 2)
	ctx := context.Background()
	transfer(t, c, 0, 2, 100_00)
	require.Equal(t, usd("900"), balanceOf(t, c, 0))

	two := 2
	res, err := subOrder(t, c, &two, "bid", "0.50", "10", "immediate_or_cancel")
	require.NoError(t, err)
	require.Equal(t, qty("10"), res.FillCount)
	fee := usd("0.175") // 7% × 10 × 0.50 × 0.50
	assert.Equal(t, usd("100").Sub(usd("5")).Sub(fee), balanceOf(t, c, 2), "subaccount 2 paid")
	assert.Equal(t, usd("900"), balanceOf(t, c, 0), "the primary account did not")
	assert.Equal(t, usd("0"), balanceOf(t, c, 1))
	// GetBalance without the parameter is the primary account's
	bal, err := c.GetBalance(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, usd("900"), bal.BalanceDollars)
	assert.Zero(t, bal.PortfolioValue)

	// positions: per subaccount, the primary account's by default
	pos, err := c.GetPositions(ctx, &gen.GetPositionsParams{Subaccount: &two})
	require.NoError(t, err)
	require.Len(t, pos.MarketPositions, 1)
	assert.Equal(t, qty("10"), pos.MarketPositions[0].PositionFp)
	pos, err = c.GetPositions(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, pos.MarketPositions)

	// fills and orders: every subaccount's unless one is asked for
	fills, err := c.GetFills(ctx, nil)
	require.NoError(t, err)
	require.Len(t, fills.Fills, 1)
	assert.Equal(t, 2, *fills.Fills[0].SubaccountNumber)
	fills, err = c.GetFills(ctx, &gen.GetFillsParams{Subaccount: ptr(0)})
	require.NoError(t, err)
	assert.Empty(t, fills.Fills)
	fills, err = c.GetFills(ctx, &gen.GetFillsParams{Subaccount: &two})
	require.NoError(t, err)
	assert.Len(t, fills.Fills, 1)

	primary, err := subOrder(t, c, nil, "bid", "0.40", "3", "good_till_canceled")
	require.NoError(t, err)
	orders, err := c.GetOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, orders.Orders, 2)
	assert.Equal(t, primary.OrderID, orders.Orders[0].OrderID, "newest first across subaccounts")
	assert.Equal(t, 0, *orders.Orders[0].SubaccountNumber)
	assert.Equal(t, res.OrderID, orders.Orders[1].OrderID)
	assert.Equal(t, 2, *orders.Orders[1].SubaccountNumber)
	orders, err = c.GetOrders(ctx, &gen.GetOrdersParams{Subaccount: &two})
	require.NoError(t, err)
	require.Len(t, orders.Orders, 1)
	assert.Equal(t, res.OrderID, orders.Orders[0].OrderID)
	assert.Equal(t, usd("898.80"), balanceOf(t, c, 0), "the primary order holds $1.20")

	// the identity holds per subaccount
	assert.Equal(t, usd("900"), books(t, c, 0))
	assert.Equal(t, usd("100"), books(t, c, 2))
	assert.Equal(t, usd("0"), books(t, c, 1))

	// settlement pays the subaccount that holds the contracts
	require.NoError(t, srv.SettleMarket(subMarket, "yes"))
	assert.Equal(t, usd("105").Sub(fee), balanceOf(t, c, 2))
	assert.Equal(t, usd("900"), balanceOf(t, c, 0), "the primary order's cash came back")
	settlements, err := c.GetSettlements(ctx, nil)
	require.NoError(t, err)
	assert.Len(t, settlements.Settlements, 1)
	settlements, err = c.GetSettlements(ctx, &gen.GetSettlementsParams{Subaccount: ptr(0)})
	require.NoError(t, err)
	assert.Empty(t, settlements.Settlements)
	settlements, err = c.GetSettlements(ctx, &gen.GetSettlementsParams{Subaccount: &two})
	require.NoError(t, err)
	require.Len(t, settlements.Settlements, 1)
	assert.Equal(t, qty("10"), settlements.Settlements[0].YesCountFp)
	assert.Equal(t, usd("900"), books(t, c, 0))
	assert.Equal(t, usd("100"), books(t, c, 2))
}

func TestSubaccountOrderRefusals(t *testing.T) {
	t.Parallel()
	_, c := subEnv(t, 1)

	_, err := subOrder(t, c, ptr(3), "bid", "0.50", "1", "immediate_or_cancel")
	e := apiErr(t, err)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, "subaccount_not_found", e.Code)
	assert.Contains(t, e.Details, "subaccount 3")

	_, err = subOrder(t, c, ptr(1), "bid", "0.50", "1", "immediate_or_cancel")
	assert.Equal(t, "insufficient_balance", apiErr(t, err).Code, "subaccount 1 holds no cash")
	assert.Equal(t, usd("1000"), balanceOf(t, c, 0))

	// the existing endpoints refuse a subaccount that does not exist
	_, err = c.GetBalance(context.Background(), &gen.GetBalanceParams{Subaccount: ptr(7)})
	assert.Equal(t, "subaccount_not_found", apiErr(t, err).Code)
	_, err = c.GetOrders(context.Background(), &gen.GetOrdersParams{Subaccount: ptr(64)})
	assert.Equal(t, http.StatusBadRequest, apiErr(t, err).StatusCode)
}

func TestCancelAllOrdersBySubaccount(t *testing.T) {
	t.Parallel()
	_, c := subEnv(t, 1)
	ctx := context.Background()
	transfer(t, c, 0, 1, 50_00)
	one := 1
	_, err := subOrder(t, c, nil, "bid", "0.40", "5", "good_till_canceled")
	require.NoError(t, err)
	_, err = subOrder(t, c, &one, "bid", "0.40", "5", "good_till_canceled")
	require.NoError(t, err)
	require.Equal(t, usd("48"), balanceOf(t, c, 1))

	_, err = c.CancelAllOrders(ctx, &gen.CancelAllOrdersParams{Subaccount: &one})
	require.NoError(t, err)
	assert.Equal(t, usd("50"), balanceOf(t, c, 1), "subaccount 1's order was canceled")
	resting, err := c.GetOrders(ctx, &gen.GetOrdersParams{Status: ptr("resting")})
	require.NoError(t, err)
	require.Len(t, resting.Orders, 1, "the primary account's rests")
	assert.Equal(t, 0, *resting.Orders[0].SubaccountNumber)

	_, err = c.CancelAllOrders(ctx, nil)
	require.NoError(t, err)
	resting, err = c.GetOrders(ctx, &gen.GetOrdersParams{Status: ptr("resting")})
	require.NoError(t, err)
	assert.Empty(t, resting.Orders)
	assert.Equal(t, usd("950"), balanceOf(t, c, 0))

	_, err = c.CancelAllOrders(ctx, &gen.CancelAllOrdersParams{Subaccount: ptr(5)})
	assert.Equal(t, "subaccount_not_found", apiErr(t, err).Code)
}

// TestSubaccountKey uses a key restricted to subaccount 2: it reads and
// trades there only, and cannot move cash or make subaccounts.
func TestSubaccountKey(t *testing.T) {
	t.Parallel()
	srv, c := subEnv(t, 2)
	ctx := context.Background()
	transfer(t, c, 0, 2, 40_00)
	primaryOrder, err := subOrder(t, c, nil, "bid", "0.40", "5", "good_till_canceled")
	require.NoError(t, err)

	gk, err := c.GenerateAPIKey(ctx, gen.GenerateAPIKeyRequest{Name: "sub two", KeyType: ptr(gen.APIKeyType("ed25519")), Subaccount: ptr(2)})
	require.NoError(t, err)
	k := clientOfKey(t, srv, gk)

	bal, err := k.GetBalance(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, usd("40"), bal.BalanceDollars, "subaccount 2's, not the primary account's")
	assert.Nil(t, bal.BalanceBreakdown, "omitted for subaccount-restricted keys")
	_, err = k.GetBalance(ctx, &gen.GetBalanceParams{Subaccount: ptr(0)})
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode)

	// orders without a subaccount trade for the key's; another is refused
	mine, err := subOrder(t, k, nil, "bid", "0.40", "10", "good_till_canceled")
	require.NoError(t, err)
	assert.Equal(t, usd("36"), balanceOf(t, c, 2))
	_, err = subOrder(t, k, ptr(0), "bid", "0.40", "1", "good_till_canceled")
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode)
	_, err = subOrder(t, k, ptr(2), "bid", "0.40", "1", "good_till_canceled")
	require.NoError(t, err, "its own subaccount may be named")

	orders, err := k.GetOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, orders.Orders, 2)
	for _, o := range orders.Orders {
		assert.Equal(t, 2, *o.SubaccountNumber)
	}
	_, err = k.GetOrder(ctx, primaryOrder.OrderID)
	assert.Equal(t, http.StatusNotFound, apiErr(t, err).StatusCode, "the primary account's order is not the key's")
	_, err = k.CancelOrderV2(ctx, primaryOrder.OrderID, nil)
	assert.Equal(t, http.StatusNotFound, apiErr(t, err).StatusCode)
	_, err = k.GetOrder(ctx, mine.OrderID)
	require.NoError(t, err)

	_, err = k.CancelAllOrders(ctx, nil)
	require.NoError(t, err)
	o, err := c.GetOrder(ctx, primaryOrder.OrderID)
	require.NoError(t, err)
	assert.Equal(t, gen.OrderStatus("resting"), o.Order.Status, "the key cancels its own subaccount's orders only")
	assert.Equal(t, usd("40"), balanceOf(t, c, 2))

	_, err = k.ApplySubaccountTransfer(ctx, gen.ApplySubaccountTransferRequest{ClientTransferID: newTransferID(t), FromSubaccount: 2, ToSubaccount: 0, AmountCents: 100})
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode)
	_, err = k.CreateSubaccount(ctx, gen.CreateSubaccountRequest{})
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode)
	assert.Equal(t, usd("40"), balanceOf(t, c, 2), "nothing moved")
	balances, err := k.GetSubaccountBalances(ctx)
	require.NoError(t, err)
	require.Len(t, balances.SubaccountBalances, 1)
	assert.Equal(t, 2, balances.SubaccountBalances[0].SubaccountNumber)

	// a key for a subaccount that does not exist is refused
	_, err = c.GenerateAPIKey(ctx, gen.GenerateAPIKeyRequest{Name: "nine", Subaccount: ptr(9)})
	assert.Equal(t, "subaccount_not_found", apiErr(t, err).Code)
}

// TestSubaccountWSFrames checks that fill and market_positions frames name
// the subaccount and report its own position, as REST does.
func TestSubaccountWSFrames(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	ctx := ctxFor(t)
	require.NoError(t, e.srv.GrantUsageLevel(kalshitest.DefaultUserID, kalshi.Advanced))
	sub, err := e.rest.CreateSubaccount(ctx, gen.CreateSubaccountRequest{})
	require.NoError(t, err)
	one := sub.SubaccountNumber
	transfer(t, e.rest, 0, one, 100_00)

	r := dialRaw(t, e.srv, e.signer)
	r.subscribe(map[string]any{"channels": []string{"fill"}})
	r.subscribe(map[string]any{"channels": []string{"market_positions"}})
	e.order(t, wsMarket, "bid", "0.50", "3")
	res, err := e.rest.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: wsMarket, Side: "bid", Price: usd("0.50"), Count: qty("2"), Subaccount: &one,
		TimeInForce: "immediate_or_cancel", SelfTradePreventionType: "taker_at_cross",
	})
	require.NoError(t, err)

	primaryFill := expect[*ws.Fill](r)
	assert.Nil(t, primaryFill.Subaccount, "absent for the primary account")
	assert.Equal(t, qty("3"), primaryFill.PostPosition)
	primaryPos := expect[*ws.MarketPosition](r)
	assert.Nil(t, primaryPos.Subaccount)
	assert.Equal(t, qty("3"), primaryPos.Position)

	subFill := expect[*ws.Fill](r)
	require.NotNil(t, subFill.Subaccount)
	assert.Equal(t, one, *subFill.Subaccount)
	assert.Equal(t, res.OrderID, subFill.OrderID)
	assert.Equal(t, qty("2"), subFill.PostPosition, "the subaccount's position, not the user's 5")
	subPos := expect[*ws.MarketPosition](r)
	require.NotNil(t, subPos.Subaccount)
	assert.Equal(t, one, *subPos.Subaccount)
	assert.Equal(t, qty("2"), subPos.Position)
	assert.Equal(t, qty("2"), subPos.Volume)

	positions, err := e.rest.GetPositions(ctx, &gen.GetPositionsParams{Subaccount: &one})
	require.NoError(t, err)
	require.Len(t, positions.MarketPositions, 1)
	assert.Equal(t, subPos.Position, positions.MarketPositions[0].PositionFp)
	assert.Equal(t, subPos.PositionCost, positions.MarketPositions[0].MarketExposureDollars)
	fills, err := e.rest.GetFills(ctx, &gen.GetFillsParams{Subaccount: &one})
	require.NoError(t, err)
	require.Len(t, fills.Fills, 1)
	assert.Equal(t, subFill.TradeID, fills.Fills[0].TradeID)
}
