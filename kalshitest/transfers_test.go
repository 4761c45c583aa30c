package kalshitest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
)

func TestCreateSubaccount(t *testing.T) {
	t.Parallel()
	// a default fake is at the basic level: no subaccounts until advanced
	_, c := newClient(t, kalshitest.WithMarkets(0), kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: subMarket, Bids: []money.PriceLevel{{Price: usd("0.45"), Count: qty("10")}},
	}))
	ctx := context.Background()
	_, err := c.CreateSubaccount(ctx, gen.CreateSubaccountRequest{})
	e := apiErr(t, err)
	assert.Equal(t, http.StatusForbidden, e.StatusCode)
	assert.Contains(t, e.Details, "advanced")

	_, err = subOrder(t, c, nil, "bid", "0.30", "1", "good_till_canceled")
	require.NoError(t, err)
	_, err = c.UpgradeAccountAPIUsageLevel(ctx)
	require.NoError(t, err)
	for want := 1; want <= 63; want++ {
		res, err := c.CreateSubaccount(ctx, gen.CreateSubaccountRequest{})
		require.NoError(t, err)
		require.Equal(t, want, res.SubaccountNumber, "numbered in order")
	}
	_, err = c.CreateSubaccount(ctx, gen.CreateSubaccountRequest{})
	assert.Equal(t, http.StatusBadRequest, apiErr(t, err).StatusCode, "63 is the most")

	balances, err := c.GetSubaccountBalances(ctx)
	require.NoError(t, err)
	require.Len(t, balances.SubaccountBalances, 64, "the primary account and 63 subaccounts, all on shard 0")
	assert.Equal(t, 0, balances.SubaccountBalances[0].SubaccountNumber)
	assert.Equal(t, usd("999.70"), balances.SubaccountBalances[0].Balance)
	assert.Equal(t, 63, balances.SubaccountBalances[63].SubaccountNumber)
	assert.True(t, balances.SubaccountBalances[63].Balance.IsZero())
}

func TestCreateSubaccountOnAShard(t *testing.T) {
	t.Parallel()
	_, c := subEnv(t, 0)
	ctx := context.Background()
	res, err := c.CreateSubaccount(ctx, gen.CreateSubaccountRequest{ExchangeIndex: 3})
	require.NoError(t, err)
	assert.Equal(t, 1, res.SubaccountNumber)
	balances, err := c.GetSubaccountBalances(ctx)
	require.NoError(t, err)
	var got [][2]int
	for _, b := range balances.SubaccountBalances {
		got = append(got, [2]int{b.SubaccountNumber, b.ExchangeIndex})
		assert.NotZero(t, b.UpdatedTS)
	}
	assert.Equal(t, [][2]int{{0, 0}, {1, 0}, {1, 3}}, got, "on shard 3 and on shard 0, where the markets trade")
	_, err = c.CreateSubaccount(ctx, gen.CreateSubaccountRequest{ExchangeIndex: 101})
	assert.Equal(t, http.StatusBadRequest, apiErr(t, err).StatusCode)
}

func TestApplySubaccountTransfer(t *testing.T) {
	t.Parallel()
	_, c := subEnv(t, 2)
	ctx := context.Background()
	balances := func() map[int]money.Dollars {
		res, err := c.GetSubaccountBalances(ctx)
		require.NoError(t, err)
		out := map[int]money.Dollars{}
		for _, b := range res.SubaccountBalances {
			out[b.SubaccountNumber] = b.Balance
		}
		return out
	}
	transfer(t, c, 0, 1, 250_00)
	transfer(t, c, 1, 2, 50_00)
	assert.Equal(t, map[int]money.Dollars{0: usd("750"), 1: usd("200"), 2: usd("50")}, balances())

	// refusals move nothing
	id := newTransferID(t)
	for _, tc := range []struct {
		name string
		body gen.ApplySubaccountTransferRequest
		code string
	}{
		{"more than it holds", gen.ApplySubaccountTransferRequest{FromSubaccount: 2, ToSubaccount: 0, AmountCents: 50_01}, "insufficient_balance"},
		{"no such subaccount", gen.ApplySubaccountTransferRequest{FromSubaccount: 0, ToSubaccount: 3, AmountCents: 1}, "subaccount_not_found"},
		{"to itself", gen.ApplySubaccountTransferRequest{FromSubaccount: 1, ToSubaccount: 1, AmountCents: 1}, "bad_request"},
		{"nothing", gen.ApplySubaccountTransferRequest{FromSubaccount: 1, ToSubaccount: 2, AmountCents: 0}, "bad_request"},
		{"negative", gen.ApplySubaccountTransferRequest{FromSubaccount: 1, ToSubaccount: 2, AmountCents: -5}, "bad_request"},
		{"out of range", gen.ApplySubaccountTransferRequest{FromSubaccount: 0, ToSubaccount: 64, AmountCents: 1}, "bad_request"},
	} {
		tc.body.ClientTransferID = id
		_, err := c.ApplySubaccountTransfer(ctx, tc.body)
		e := apiErr(t, err)
		assert.Equal(t, http.StatusBadRequest, e.StatusCode, tc.name)
		assert.Equal(t, tc.code, e.Code, tc.name)
	}
	assert.Equal(t, map[int]money.Dollars{0: usd("750"), 1: usd("200"), 2: usd("50")}, balances())

	// a client_transfer_id applies once
	body := gen.ApplySubaccountTransferRequest{ClientTransferID: id, FromSubaccount: 1, ToSubaccount: 2, AmountCents: 10_00}
	_, err := c.ApplySubaccountTransfer(ctx, body)
	require.NoError(t, err)
	_, err = c.ApplySubaccountTransfer(ctx, body)
	e := apiErr(t, err)
	assert.Equal(t, http.StatusConflict, e.StatusCode)
	assert.Equal(t, "transfer_already_exists", e.Code)
	assert.Equal(t, map[int]money.Dollars{0: usd("750"), 1: usd("190"), 2: usd("60")}, balances())

	// listed newest first, page by page
	var seen []gen.SubaccountTransfer
	cursor := ""
	for {
		page, err := c.GetSubaccountTransfers(ctx, &gen.GetSubaccountTransfersParams{Limit: ptr(int64(2)), Cursor: &cursor})
		require.NoError(t, err)
		seen = append(seen, page.Transfers...)
		require.NotNil(t, page.Cursor)
		if cursor = *page.Cursor; cursor == "" {
			break
		}
	}
	require.Len(t, seen, 3)
	assert.Equal(t, [3]any{1, 2, int64(10_00)}, [3]any{seen[0].FromSubaccount, seen[0].ToSubaccount, seen[0].AmountCents})
	assert.Equal(t, [3]any{1, 2, int64(50_00)}, [3]any{seen[1].FromSubaccount, seen[1].ToSubaccount, seen[1].AmountCents})
	assert.Equal(t, [3]any{0, 1, int64(250_00)}, [3]any{seen[2].FromSubaccount, seen[2].ToSubaccount, seen[2].AmountCents})
	for _, tr := range seen {
		assert.NotEmpty(t, tr.TransferID)
		assert.Equal(t, 0, tr.ExchangeIndex)
		assert.NotZero(t, tr.CreatedTS)
	}

	// and the identity holds with the transfers counted
	assert.Equal(t, usd("750"), books(t, c, 0))
	assert.Equal(t, usd("190"), books(t, c, 1))
}

func TestSubaccountNetting(t *testing.T) {
	t.Parallel()
	_, c := subEnv(t, 2)
	ctx := context.Background()
	settings := func() map[int]bool {
		res, err := c.GetSubaccountNetting(ctx)
		require.NoError(t, err)
		out := map[int]bool{}
		for _, n := range res.NettingConfigs {
			assert.Equal(t, 0, n.ExchangeIndex)
			out[n.SubaccountNumber] = n.Enabled
		}
		return out
	}
	assert.Equal(t, map[int]bool{0: true, 1: true, 2: true}, settings(), "on by default")
	_, err := c.UpdateSubaccountNetting(ctx, gen.UpdateSubaccountNettingRequest{SubaccountNumber: 1, Enabled: false})
	require.NoError(t, err)
	assert.Equal(t, map[int]bool{0: true, 1: false, 2: true}, settings())
	_, err = c.UpdateSubaccountNetting(ctx, gen.UpdateSubaccountNettingRequest{SubaccountNumber: 1, Enabled: true})
	require.NoError(t, err)
	assert.Equal(t, map[int]bool{0: true, 1: true, 2: true}, settings())
	_, err = c.UpdateSubaccountNetting(ctx, gen.UpdateSubaccountNettingRequest{SubaccountNumber: 5, Enabled: false})
	assert.Equal(t, "subaccount_not_found", apiErr(t, err).Code)
}

func TestIntraExchangeInstanceTransfer(t *testing.T) {
	t.Parallel()
	_, c := subEnv(t, 1)
	ctx := context.Background()
	move := func(b gen.IntraExchangeInstanceTransferRequest) (string, error) {
		res, err := c.IntraExchangeInstanceTransfer(ctx, b)
		if err != nil {
			return "", err
		}
		return res.TransferID, nil
	}
	breakdown := func(p *gen.GetBalanceParams) (money.Dollars, map[int]money.Dollars) {
		b, err := c.GetBalance(ctx, p)
		require.NoError(t, err)
		out := map[int]money.Dollars{}
		for _, ib := range *b.BalanceBreakdown {
			out[ib.ExchangeIndex] = ib.Balance
		}
		return b.BalanceDollars, out
	}

	// $100 from shard 0 to shard 2: the total stays, the breakdown moves
	first, err := move(gen.IntraExchangeInstanceTransferRequest{Source: "event_contract", Destination: "event_contract", DestinationExchangeShard: 2, Amount: 100_0000})
	require.NoError(t, err)
	total, by := breakdown(nil)
	assert.Equal(t, usd("1000"), total)
	assert.Equal(t, map[int]money.Dollars{0: usd("900"), 2: usd("100")}, by)
	total, by = breakdown(&gen.GetBalanceParams{ExchangeIndex: ptr(2)})
	assert.Equal(t, usd("100"), total)
	assert.Equal(t, map[int]money.Dollars{2: usd("100")}, by)
	total, _ = breakdown(&gen.GetBalanceParams{ExchangeIndex: ptr(0)})
	assert.Equal(t, usd("900"), total)

	// the markets trade on shard 0: its cash is what orders can use
	_, err = subOrder(t, c, nil, "bid", "0.50", "1900", "good_till_canceled")
	assert.Equal(t, "insufficient_balance", apiErr(t, err).Code)

	// to the margined exchange and back: out of the balance, then in again
	_, err = move(gen.IntraExchangeInstanceTransferRequest{Source: "event_contract", Destination: "margined", SourceExchangeShard: 2, DestinationExchangeShard: 2, Amount: 40_0000})
	require.NoError(t, err)
	total, by = breakdown(nil)
	assert.Equal(t, usd("960"), total)
	assert.Equal(t, map[int]money.Dollars{0: usd("900"), 2: usd("60")}, by)
	_, err = move(gen.IntraExchangeInstanceTransferRequest{Source: "margined", Destination: "event_contract", SourceExchangeShard: 2, Amount: 40_0001})
	assert.Equal(t, "insufficient_balance", apiErr(t, err).Code, "one centi-cent more than the margined shard holds")
	last, err := move(gen.IntraExchangeInstanceTransferRequest{Source: "margined", Destination: "event_contract", SourceExchangeShard: 2, Amount: 15_5050})
	require.NoError(t, err)
	total, _ = breakdown(nil)
	assert.Equal(t, usd("975.505"), total)

	// event contract to event contract on one shard: a subaccount transfer
	_, err = move(gen.IntraExchangeInstanceTransferRequest{Source: "event_contract", Destination: "event_contract", DestinationSubaccount: 1, Amount: 25_0000})
	require.NoError(t, err)
	assert.Equal(t, usd("25"), balanceOf(t, c, 1))
	assert.Equal(t, usd("950.505"), balanceOf(t, c, 0)) // shard 0: 900 + 15.505 − 25; shard 2: 60
	assert.Equal(t, usd("25"), books(t, c, 1))

	// refusals
	for name, b := range map[string]gen.IntraExchangeInstanceTransferRequest{
		"same place":             {Source: "event_contract", Destination: "event_contract", Amount: 1},
		"no amount":              {Source: "event_contract", Destination: "event_contract", DestinationExchangeShard: 1},
		"subaccount to margined": {Source: "event_contract", Destination: "margined", SourceSubaccount: 1, Amount: 1},
		"no such subaccount":     {Source: "event_contract", Destination: "event_contract", DestinationSubaccount: 4, Amount: 1},
	} {
		_, err := move(b)
		assert.Equal(t, http.StatusBadRequest, apiErr(t, err).StatusCode, name)
	}

	// listed newest first, and one by one
	list, err := c.GetIntraExchangeInstanceTransfers(ctx, &gen.GetIntraExchangeInstanceTransfersParams{Limit: ptr(int64(3))})
	require.NoError(t, err)
	require.Len(t, list.Transfers, 3)
	require.NotNil(t, list.Cursor)
	assert.Equal(t, last, list.Transfers[1].TransferID)
	assert.Equal(t, usd("15.505"), list.Transfers[1].Amount)
	assert.Equal(t, gen.ExchangeInstance("margined"), list.Transfers[1].Source)
	list, err = c.GetIntraExchangeInstanceTransfers(ctx, &gen.GetIntraExchangeInstanceTransfersParams{Limit: ptr(int64(3)), Cursor: list.Cursor})
	require.NoError(t, err)
	require.Len(t, list.Transfers, 1)
	assert.Nil(t, list.Cursor, "absent on the last page")
	one, err := c.GetIntraExchangeInstanceTransfer(ctx, first)
	require.NoError(t, err)
	assert.Equal(t, usd("100"), one.Transfer.Amount)
	assert.Equal(t, 2, one.Transfer.DestinationExchangeShard)
	assert.Equal(t, gen.IntraExchangeInstanceTransferStatus("complete"), one.Transfer.Status)
	_, err = c.GetIntraExchangeInstanceTransfer(ctx, "no-such-transfer")
	assert.Equal(t, http.StatusNotFound, apiErr(t, err).StatusCode)

	// the primary account's identity: $40 left for the margined exchange, $15.505 came back, $25 went to subaccount 1
	assert.Equal(t, usd("950.505"), books(t, c, 0))
}

func TestSubaccountsAreRefusedToRestrictedKeysForAccountSettings(t *testing.T) {
	t.Parallel()
	srv, c := subEnv(t, 1)
	ctx := context.Background()
	gk, err := c.GenerateAPIKey(ctx, gen.GenerateAPIKeyRequest{Name: "sub one", KeyType: ptr(gen.APIKeyType("ed25519")), Subaccount: ptr(1)})
	require.NoError(t, err)
	k := clientOfKey(t, srv, gk)
	_, err = k.IntraExchangeInstanceTransfer(ctx, gen.IntraExchangeInstanceTransferRequest{Source: "event_contract", Destination: "margined", Amount: 1})
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode)
	_, err = k.SetTargetBalanceAllocation(ctx, gen.SetTargetBalanceAllocationRequest{Allocations: []gen.TargetBalanceAllocationInput{}})
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode)
	_, err = k.UpdateSubaccountNetting(ctx, gen.UpdateSubaccountNettingRequest{SubaccountNumber: 0, Enabled: false})
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode, "only its own subaccount's")
	_, err = k.UpdateSubaccountNetting(ctx, gen.UpdateSubaccountNettingRequest{SubaccountNumber: 1, Enabled: false})
	require.NoError(t, err)
	netting, err := k.GetSubaccountNetting(ctx)
	require.NoError(t, err)
	assert.Equal(t, []gen.SubaccountNettingConfig{{SubaccountNumber: 1, ExchangeIndex: 0, Enabled: false}}, netting.NettingConfigs)
	_, err = k.GenerateAPIKey(ctx, gen.GenerateAPIKeyRequest{Name: "escape"})
	assert.Equal(t, http.StatusForbidden, apiErr(t, err).StatusCode, "a restricted key cannot make an unrestricted one")
	deposits, err := k.GetDeposits(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, deposits.Deposits, "money arrives in the primary account")
}
