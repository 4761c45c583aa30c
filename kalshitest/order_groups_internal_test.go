package kalshitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/money"
)

// TestOrderGroupFillsFromAmendsKeepTheBooks fills a group's order through
// an amend that crosses: the fills count, the group triggers once the
// amend has finished matching, its other order is canceled, and every
// account still balances.
func TestOrderGroupFillsFromAmendsKeepTheBooks(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	x.mu.Lock()
	g, err := x.createGroup("alice", 0, qty("3"), x.now())
	x.mu.Unlock()
	require.NoError(t, err)

	_, err = x.place(limit("bob", ask, "0.50", "2", "good_till_canceled"))
	require.NoError(t, err)
	_, err = x.place(limit("bob", ask, "0.51", "2", "good_till_canceled"))
	require.NoError(t, err)
	inGroup := func(price, count string) orderRequest {
		req := limit("alice", bid, price, count, "good_till_canceled")
		req.orderGroup = g.id
		return req
	}
	crossing, err := x.place(inGroup("0.30", "5"))
	require.NoError(t, err)
	other, err := x.place(inGroup("0.20", "2"))
	require.NoError(t, err)

	// Amended to 0.51, the order takes both asks (4 contracts, over the
	// limit of 3) before the group cancels what is left of it.
	res, err := x.amend("alice", crossing.order.id, "KXT-26JUN12-A", bid, usd("0.51"), qty("5"), "", nil, false)
	require.NoError(t, err)
	assert.Equal(t, qty("4"), res.filled)
	x.mu.Lock()
	assert.True(t, g.triggered)
	assert.Equal(t, "canceled", x.orders[crossing.order.id].status)
	assert.Equal(t, "canceled", other.order.status)
	assert.Empty(t, x.restingOrders(g))
	x.mu.Unlock()
	_, err = x.place(inGroup("0.10", "1"))
	var e *apiError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "order group triggered", e.details)
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}
