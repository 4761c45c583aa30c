package kalshitest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// quoteAndExecute has alice ask for quotes on count contracts, bob quote
// yes/no bids, alice accept side and bob confirm.
func quoteAndExecute(t *testing.T, x *exchange, count, yes, no, side string) *quoteRecord {
	t.Helper()
	q, err := x.createRFQ(rfqRequest{userID: "alice", ticker: "KXT-26JUN12-A", contracts: qty(count), contractsGiven: true})
	require.NoError(t, err)
	qt, err := x.createQuote(quoteRequest{userID: "bob", rfqID: q.id, yesBid: usd(yes), noBid: usd(no)})
	require.NoError(t, err)
	require.NoError(t, x.acceptQuote("alice", q.id, qt.id, side))
	require.NoError(t, x.confirmQuote("bob", q.id, qt.id))
	return qt
}

// TestQuoteExecutionKeepsTheBooks checks the money model through quote
// executions on both sides, one of them closing a position: every
// account's identity holds and every contract has a counterparty.
func TestQuoteExecutionKeepsTheBooks(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	x.seedRFQ(x.now())
	start := map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")}

	// "yes": bob buys 10 YES at 0.40, alice 10 NO at 0.60 and the taker fee
	qt := quoteAndExecute(t, x, "10", "0.40", "0.55", "yes")
	assert.Equal(t, quoteExecuted, qt.status)
	fee := takerFee(usd("0.40"), qty("10"))
	assert.Equal(t, usd("96"), x.accounts["bob"].balance)
	assert.Equal(t, usd("94").Sub(fee), x.accounts["alice"].balance)
	assert.Equal(t, qty("10"), x.accounts["bob"].positions["KXT-26JUN12-A"].count)
	assert.Equal(t, qty("-10"), x.accounts["alice"].positions["KXT-26JUN12-A"].count)
	checkBooks(t, x, start)

	// "no": bob buys 4 NO at 0.35, closing 4 of his YES; alice buys 4 YES
	// at 0.65, closing 4 of her NO
	quoteAndExecute(t, x, "4", "0.30", "0.35", "no")
	assert.Equal(t, qty("6"), x.accounts["bob"].positions["KXT-26JUN12-A"].count)
	assert.Equal(t, qty("-6"), x.accounts["alice"].positions["KXT-26JUN12-A"].count)
	checkBooks(t, x, start)

	m := x.markets["KXT-26JUN12-A"]
	assert.Equal(t, usd("0.65"), m.lastPrice)
	assert.Equal(t, qty("14"), m.volume)
}

// TestConfirmWithoutCashChangesNothing: a quoter who cannot pay is
// refused at confirmation, and the quote stays accepted.
func TestConfirmWithoutCashChangesNothing(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	x.seedRFQ(x.now())
	x.accounts["bob"].balance = usd("3.99")
	q, err := x.createRFQ(rfqRequest{userID: "alice", ticker: "KXT-26JUN12-A", contracts: qty("10"), contractsGiven: true})
	require.NoError(t, err)
	qt, err := x.createQuote(quoteRequest{userID: "bob", rfqID: q.id, yesBid: usd("0.40")})
	require.NoError(t, err)
	require.NoError(t, x.acceptQuote("alice", q.id, qt.id, "yes"))
	fills := len(x.trades)
	err = x.confirmQuote("bob", q.id, qt.id)
	var e *apiError
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "insufficient_balance", e.code)
	assert.Equal(t, quoteAccepted, qt.status)
	assert.Equal(t, rfqOpen, q.status)
	assert.Len(t, x.trades, fills)
	assert.Equal(t, usd("3.99"), x.accounts["bob"].balance)
	assert.Equal(t, usd("100"), x.accounts["alice"].balance)

	// exactly enough is enough
	x.accounts["bob"].balance = usd("4")
	require.NoError(t, x.confirmQuote("bob", q.id, qt.id))
	assert.True(t, x.accounts["bob"].balance.IsZero())
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("4")})
}

// TestBlockTradeKeepsTheBooks executes block trades with either party as
// the maker.
func TestBlockTradeKeepsTheBooks(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	x.seedRFQ(x.now())
	exp := x.now().Add(time.Hour)
	for _, makerSide := range []gen.ProposeBlockTradeRequestMakerSide{"yes", "no"} {
		p, err := x.proposeBlockTrade("alice", gen.ProposeBlockTradeRequest{
			BuyerUserID: "alice", SellerUserID: "bob", MarketTicker: "KXT-26JUN12-A",
			PriceCentiCents: 4500, Centicount: 500, MakerSide: makerSide, ExpirationTS: exp,
		})
		require.NoError(t, err)
		require.NoError(t, x.acceptBlockTrade("bob", p.id, gen.AcceptBlockTradeProposalRequest{}))
		assert.Equal(t, blockExecuted, p.status)
	}
	fee := takerFee(usd("0.45"), qty("5"))
	// alice bought 10 YES at 0.45, bob 10 NO at 0.55; each paid one fee
	assert.Equal(t, usd("95.50").Sub(fee), x.accounts["alice"].balance)
	assert.Equal(t, usd("94.50").Sub(fee), x.accounts["bob"].balance)
	checkBooks(t, x, map[string]money.Dollars{"alice": usd("100"), "bob": usd("100")})
}
