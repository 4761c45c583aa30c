package kalshitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/money"
)

// subExchange is testExchange with two numbered subaccounts for alice,
// the second holding $40 of its own.
func subExchange(t *testing.T) *exchange {
	t.Helper()
	x := testExchange(t)
	alice := x.account("alice")
	for range 2 {
		_, err := x.newSubaccount(alice)
		require.NoError(t, err)
	}
	alice.subaccounts[1].balance = usd("40")
	return x
}

var subStart = map[string]money.Dollars{"alice": usd("100"), "alice#1": usd("0"), "alice#2": usd("40"), "bob": usd("100")}

func TestLedgerOfSubaccountOrder(t *testing.T) {
	t.Parallel()
	x := subExchange(t)
	_, err := x.place(limit("bob", ask, "0.40", "10", "good_till_canceled"))
	require.NoError(t, err)
	req := limit("alice", bid, "0.40", "5", "immediate_or_cancel")
	req.subaccount = 2
	pl, err := x.place(req)
	require.NoError(t, err)
	assert.Equal(t, qty("5"), pl.filled)

	primary, sub2 := x.accounts["alice"], x.accounts["alice"].subaccounts[1]
	assert.Equal(t, usd("100"), primary.balance, "the primary account is untouched")
	assert.Empty(t, primary.positions)
	assert.Empty(t, primary.fills)
	assert.Equal(t, usd("40").Sub(usd("2")).Sub(takerFee(usd("0.40"), qty("5"))), sub2.balance)
	assert.Equal(t, qty("5"), sub2.positions["KXT-26JUN12-A"].count)
	require.Len(t, sub2.fills, 1)
	assert.Equal(t, 2, sub2.fills[0].sub)
	assert.Equal(t, []*order{pl.order}, sub2.orders)
	checkBooks(t, x, subStart)

	// settlement pays the subaccount that holds the contracts
	require.NoError(t, x.settle("KXT-26JUN12-A", "yes"))
	assert.Equal(t, usd("100"), primary.balance)
	assert.Len(t, sub2.settlements, 1)
	assert.Equal(t, usd("43").Sub(takerFee(usd("0.40"), qty("5"))), sub2.balance)
	checkBooks(t, x, subStart)
}

func TestLedgerRefundsRestingOrder(t *testing.T) {
	t.Parallel()
	x := subExchange(t)
	req := limit("alice", bid, "0.30", "10", "good_till_canceled")
	req.subaccount = 2
	pl, err := x.place(req)
	require.NoError(t, err)
	sub2 := x.accounts["alice"].subaccounts[1]
	assert.Equal(t, usd("37"), sub2.balance, "$3 held for the order")

	_, _, err = x.decrease("alice", pl.order.id, ptr(qty("4")), nil)
	require.NoError(t, err)
	assert.Equal(t, usd("38.20"), sub2.balance)
	checkBooks(t, x, subStart)

	_, err = x.amend("alice", pl.order.id, "KXT-26JUN12-A", bid, usd("0.35"), qty("6"), "", nil, false)
	require.NoError(t, err)
	assert.Equal(t, usd("37.90"), sub2.balance)
	checkBooks(t, x, subStart)

	// a maker fill takes the cash from the subaccount's held cash
	_, err = x.place(limit("bob", ask, "0.35", "2", "immediate_or_cancel"))
	require.NoError(t, err)
	assert.Equal(t, qty("2"), sub2.positions["KXT-26JUN12-A"].count)
	checkBooks(t, x, subStart)

	sub := 2
	assert.Equal(t, 0, x.cancelAll("alice", ptr(1)), "subaccount 1 has nothing resting")
	assert.Equal(t, 1, x.cancelAll("alice", &sub))
	assert.Equal(t, usd("40").Sub(usd("0.70")), sub2.balance)
	assert.Equal(t, usd("100"), x.accounts["alice"].balance)
	checkBooks(t, x, subStart)
}

func TestLedgerRefusals(t *testing.T) {
	t.Parallel()
	x := subExchange(t)

	req := limit("alice", bid, "0.30", "1", "good_till_canceled")
	req.subaccount = 3
	_, err := x.place(req)
	assert.Equal(t, "subaccount_not_found", err.(*apiError).code, "alice made subaccounts 1 and 2 only")

	req.subaccount = 1
	_, err = x.place(req)
	assert.Equal(t, "insufficient_balance", err.(*apiError).code, "subaccount 1 has no cash, whatever the primary holds")

	// client_order_id is the user's, across subaccounts
	req = limit("alice", bid, "0.30", "1", "good_till_canceled")
	req.clientID = "same"
	_, err = x.place(req)
	require.NoError(t, err)
	req.subaccount = 2
	_, err = x.place(req)
	assert.Equal(t, "order_already_exists", err.(*apiError).code)

	// self-trade prevention is the user's too: subaccount 2 cannot take
	// the primary account's bid
	ask2 := limit("alice", ask, "0.30", "1", "immediate_or_cancel")
	ask2.subaccount = 2
	pl, err := x.place(ask2)
	require.NoError(t, err)
	assert.True(t, pl.filled.IsZero())
	assert.Equal(t, "canceled", pl.order.status)
	checkBooks(t, x, subStart)
}

func TestLedgerNumbering(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	a := x.account("alice")
	for n := 1; n <= maxSubaccount; n++ {
		s, err := x.newSubaccount(a)
		require.NoError(t, err)
		assert.Equal(t, n, s.sub)
	}
	_, err := x.newSubaccount(a)
	assert.Error(t, err, "63 is the last")
	l, err := x.ledger("alice", 63)
	require.NoError(t, err)
	assert.Same(t, a.subaccounts[62], l)
	_, err = x.ledger("alice", 64)
	assert.Error(t, err)
	_, err = x.ledger("alice", -1)
	assert.Error(t, err)
}
