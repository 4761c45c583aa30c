package kalshitest_test

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
)

// TestCommunicationsIDIsStableAndPerUser checks that each user has one
// anonymous ID of its own, and that RFQs and quotes name their creators
// by it.
func TestCommunicationsIDIsStableAndPerUser(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	alice, bob := newRFQTrader(t, srv, "alice", "100"), newRFQTrader(t, srv, "bob", "100")
	a, b := alice.commsID(t), bob.commsID(t)
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{64}$`), a)
	assert.NotEqual(t, a, b)
	assert.Equal(t, a, alice.commsID(t), "the same on every call")
	assert.NotContains(t, a, alice.id, "it does not give the user ID away")

	rfqID := alice.rfq(t, rfqMarket, "5")
	quoteID := bob.quote(t, rfqID, "0.40", "0.55")
	assert.Equal(t, a, bob.getRFQ(t, rfqID).CreatorID)
	qt := alice.getQuote(t, rfqID, quoteID)
	assert.Equal(t, b, qt.CreatorID)
	assert.Equal(t, a, qt.RFQCreatorID)
}

// TestRFQQuoteAcceptConfirmTrades runs the whole flow between two
// accounts and checks that the trade lands as an order-book trade would:
// fills, orders, positions, balances, the public trade and the market.
func TestRFQQuoteAcceptConfirmTrades(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	ctx := ctxFor(t)

	res, err := creator.c.CreateRFQ(ctx, gen.CreateRFQRequest{MarketTicker: rfqMarket, ContractsFp: ptr(qty("10")), RestRemainder: true})
	require.NoError(t, err)
	rfqID := res.ID

	seen := maker.getRFQ(t, rfqID)
	assert.Equal(t, gen.RFQStatus("open"), seen.Status)
	assert.Equal(t, qty("10"), seen.ContractsFp)
	assert.Equal(t, rfqMarket, seen.MarketTicker)
	assert.Equal(t, ptr(true), seen.RestRemainder)
	assert.Empty(t, seen.CreatorUserID, "the creator's user ID is private")
	assert.Nil(t, seen.CreatorSubaccount)
	own := creator.getRFQ(t, rfqID)
	assert.Equal(t, creator.id, own.CreatorUserID)
	assert.Equal(t, ptr(0), own.CreatorSubaccount)

	quoteID := maker.quote(t, rfqID, "0.40", "0.55")
	mine := maker.getQuote(t, rfqID, quoteID)
	assert.Equal(t, gen.QuoteStatus("open"), mine.Status)
	assert.Equal(t, maker.id, mine.CreatorUserID)
	assert.Empty(t, mine.RFQCreatorUserID)
	assert.Equal(t, ptr(false), mine.PostOnly)
	assert.Equal(t, ptr(qty("10")), mine.YesContractsFp)
	assert.Equal(t, ptr(qty("10")), mine.NoContractsFp)
	assert.Equal(t, usd("0.40"), mine.YesBidDollars)
	assert.Equal(t, usd("0.55"), mine.NoBidDollars)

	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, quoteID, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	require.NoError(t, err)
	//lint:ignore SA1019 Kalshi still serves the legacy quote paths; the test checks they answer the same
	accepted, err := creator.c.GetQuote(ctx, quoteID)
	require.NoError(t, err)
	assert.Equal(t, gen.QuoteStatus("accepted"), accepted.Quote.Status)
	assert.Equal(t, ptr(gen.QuoteAcceptedSide("yes")), accepted.Quote.AcceptedSide)
	assert.NotNil(t, accepted.Quote.AcceptedTS)
	assert.Nil(t, accepted.Quote.ExecutedTS)
	assert.Equal(t, creator.id, accepted.Quote.RFQCreatorUserID)
	assert.Empty(t, accepted.Quote.CreatorUserID)

	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, quoteID, gen.EmptyResponse{})
	require.NoError(t, err)

	// The quote executed: the quoter bought 10 YES at its YES bid, the
	// RFQ's creator 10 NO at 1 − 0.40, paying the taker fee.
	done := maker.getQuote(t, rfqID, quoteID)
	assert.Equal(t, gen.QuoteStatus("executed"), done.Status)
	require.NotNil(t, done.ConfirmedTS)
	require.NotNil(t, done.ExecutedTS)
	assert.NotEmpty(t, done.CreatorOrderID)
	assert.Empty(t, done.RFQCreatorOrderID)
	takerView := creator.getQuote(t, rfqID, quoteID)
	assert.NotEmpty(t, takerView.RFQCreatorOrderID)
	assert.Empty(t, takerView.CreatorOrderID)
	closed := creator.getRFQ(t, rfqID)
	assert.Equal(t, gen.RFQStatus("closed"), closed.Status)
	assert.Empty(t, closed.CancellationReason, "it executed, nobody cancelled it")

	mf, tf := maker.fills(t), creator.fills(t)
	require.Len(t, mf, 1)
	require.Len(t, tf, 1)
	assert.Equal(t, done.CreatorOrderID, mf[0].OrderID)
	assert.Equal(t, takerView.RFQCreatorOrderID, tf[0].OrderID)
	assert.Equal(t, mf[0].TradeID, tf[0].TradeID)
	assert.Equal(t, gen.BookSide("bid"), mf[0].BookSide)
	assert.Equal(t, gen.BookSide("ask"), tf[0].BookSide)
	for _, f := range []gen.Fill{mf[0], tf[0]} {
		assert.Equal(t, usd("0.40"), f.YesPriceDollars)
		assert.Equal(t, qty("10"), f.CountFp)
		assert.Equal(t, rfqMarket, f.Ticker)
	}
	assert.False(t, mf[0].IsTaker)
	assert.True(t, mf[0].FeeCost.IsZero(), "the quoter is the maker and pays no fee")
	assert.True(t, tf[0].IsTaker)
	assert.Equal(t, usd("0.168"), tf[0].FeeCost, "7% of 10 × 0.40 × 0.60")

	assert.Equal(t, "96.0000", maker.balance(t))
	assert.Equal(t, "93.8320", creator.balance(t))
	mp, cp := maker.position(t, rfqMarket), creator.position(t, rfqMarket)
	assert.Equal(t, qty("10"), mp.PositionFp)
	assert.Equal(t, usd("4"), mp.MarketExposureDollars)
	assert.Equal(t, qty("-10"), cp.PositionFp)
	assert.Equal(t, usd("6"), cp.MarketExposureDollars)
	assert.Equal(t, usd("0.168"), cp.FeesPaidDollars)

	orders, err := creator.c.GetOrders(ctx, nil)
	require.NoError(t, err)
	require.Len(t, orders.Orders, 1)
	o := orders.Orders[0]
	assert.Equal(t, takerView.RFQCreatorOrderID, o.OrderID)
	assert.Equal(t, gen.OrderStatus("executed"), o.Status)
	assert.Equal(t, qty("10"), o.FillCountFp)
	assert.True(t, o.RemainingCountFp.IsZero())
	assert.Equal(t, usd("6"), o.TakerFillCostDollars)
	assert.Equal(t, usd("0.168"), o.TakerFeesDollars)
	assert.NotEmpty(t, o.ClientOrderID)

	trades, err := maker.c.GetTrades(ctx, &gen.GetTradesParams{Ticker: ptr(rfqMarket)})
	require.NoError(t, err)
	require.Len(t, trades.Trades, 1)
	assert.Equal(t, mf[0].TradeID, trades.Trades[0].TradeID)
	//lint:ignore SA1019 the legacy field is still sent, and the fake must fill it in
	assert.Equal(t, gen.TradeTakerSide("no"), trades.Trades[0].TakerSide)
	m, err := maker.c.GetMarket(ctx, rfqMarket)
	require.NoError(t, err)
	assert.Equal(t, usd("0.40"), m.Market.LastPriceDollars)
	assert.Equal(t, qty("10"), m.Market.VolumeFp)
	assert.Equal(t, qty("10"), m.Market.OpenInterestFp)
}

// TestRFQAcceptingNoBuysYes: accepting the NO side has the quoter buy NO
// at its NO bid and the RFQ's creator buy YES at 1 − no_bid.
func TestRFQAcceptingNoBuysYes(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	ctx := ctxFor(t)
	rfqID := creator.rfq(t, rfqMarket, "4")
	quoteID := maker.quote(t, rfqID, "0.40", "0.55")
	//lint:ignore SA1019 Kalshi still serves the legacy quote paths; the test checks they answer the same
	_, err := creator.c.AcceptQuote(ctx, quoteID, gen.AcceptQuoteRequest{AcceptedSide: "no"})
	require.NoError(t, err)
	//lint:ignore SA1019 Kalshi still serves the legacy quote paths; the test checks they answer the same
	_, err = maker.c.ConfirmQuote(ctx, quoteID, gen.EmptyResponse{})
	require.NoError(t, err)

	cp, mp := creator.position(t, rfqMarket), maker.position(t, rfqMarket)
	assert.Equal(t, qty("4"), cp.PositionFp)
	assert.Equal(t, usd("1.80"), cp.MarketExposureDollars, "4 YES at 0.45")
	assert.Equal(t, qty("-4"), mp.PositionFp)
	assert.Equal(t, usd("2.20"), mp.MarketExposureDollars, "4 NO at 0.55")
	f := creator.fills(t)[0]
	assert.Equal(t, usd("0.45"), f.YesPriceDollars)
	//lint:ignore SA1019 the legacy field is still sent, and the fake must fill it in
	assert.Equal(t, gen.FillSide("yes"), f.Side)
	assert.Equal(t, usd("0.0693"), f.FeeCost, "7% of 4 × 0.45 × 0.55")
	assert.Equal(t, "98.1307", creator.balance(t))
	assert.Equal(t, "97.8000", maker.balance(t))
}

// TestRFQRefusals checks each request the exchange refuses, with
// Kalshi's status and code, and that the refusal changed nothing.
func TestRFQRefusals(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	stranger := newRFQTrader(t, srv, "stranger", "100")
	ctx := ctxFor(t)

	for name, body := range map[string]gen.CreateRFQRequest{
		"no size":                   {MarketTicker: rfqMarket},
		"size and target cost":      {MarketTicker: rfqMarket, ContractsFp: ptr(qty("5")), TargetCostDollars: usd("3")},
		"contracts differ":          {MarketTicker: rfqMarket, Contracts: 10, ContractsFp: ptr(qty("9"))},
		"zero contracts":            {MarketTicker: rfqMarket, ContractsFp: ptr(qty("0"))},
		"excluded fees, no target":  {MarketTicker: rfqMarket, ContractsFp: ptr(qty("5")), TargetCostExcludesFees: true},
		"unknown subaccount":        {MarketTicker: rfqMarket, ContractsFp: ptr(qty("5")), Subaccount: ptr(7)},
		"subtrader of a non-member": {MarketTicker: rfqMarket, ContractsFp: ptr(qty("5")), SubtraderID: "sub-1"},
	} {
		_, err := creator.c.CreateRFQ(ctx, body)
		requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", name)
	}
	_, err := creator.c.CreateRFQ(ctx, gen.CreateRFQRequest{MarketTicker: "KXNOPE-26JUN12-T1", ContractsFp: ptr(qty("5"))})
	requireAPIError(t, err, http.StatusNotFound, "market_not_found")

	rfqID := creator.rfq(t, rfqMarket, "10")
	_, err = creator.c.CreateRFQ(ctx, gen.CreateRFQRequest{MarketTicker: rfqMarket, Contracts: 3})
	requireAPIError(t, err, http.StatusConflict, "rfq_already_exists", "a second open RFQ on the market")

	// quotes that cannot be made
	for name, q := range map[string]gen.CreateQuoteRequest{
		"both sides declined": {RFQID: rfqID},
		"crossed":             {RFQID: rfqID, YesBid: usd("0.60"), NoBid: usd("0.50")},
		"off the grid":        {RFQID: rfqID, YesBid: usd("0.405"), NoBid: usd("0.50")},
		"unknown subaccount":  {RFQID: rfqID, YesBid: usd("0.40"), Subaccount: ptr(2)},
		"malformed RFQ ID":    {RFQID: "not-a-uuid", YesBid: usd("0.40")},
	} {
		_, err := maker.c.CreateQuote(ctx, q)
		requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", name)
	}
	_, err = creator.c.CreateQuote(ctx, gen.CreateQuoteRequest{RFQID: rfqID, YesBid: usd("0.40")})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "a quote on your own RFQ")
	_, err = maker.c.CreateQuote(ctx, gen.CreateQuoteRequest{RFQID: "9b1e2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", YesBid: usd("0.40")})
	requireAPIError(t, err, http.StatusNotFound, "not_found", "an unknown RFQ")
	_, err = maker.c.GetRFQ(ctx, "nope")
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "a malformed RFQ ID")

	first := maker.quote(t, rfqID, "0.40", "0.55")
	// only the two parties see a quote
	_, err = stranger.c.GetRFQQuote(ctx, rfqID, first)
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = stranger.c.DeleteRFQQuote(ctx, rfqID, first)
	requireAPIError(t, err, http.StatusNotFound, "not_found")
	_, err = stranger.c.DeleteRFQ(ctx, rfqID)
	requireAPIError(t, err, http.StatusNotFound, "not_found", "only the creator deletes an RFQ")
	// the wrong party
	_, err = maker.c.AcceptRFQQuote(ctx, rfqID, first, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "the quoter accepting")
	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, first, gen.EmptyResponse{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "confirming before acceptance")

	// a new quote replaces the quoter's last one
	second := maker.quote(t, rfqID, "0", "0.55")
	old := maker.getQuote(t, rfqID, first)
	assert.Equal(t, gen.QuoteStatus("cancelled"), old.Status)
	assert.Equal(t, "replaced", old.CancellationReason)
	assert.NotNil(t, old.CancelledTS)
	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, first, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "accepting a replaced quote")
	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, second, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "accepting a declined side")
	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, second, gen.AcceptQuoteRequest{AcceptedSide: "no"})
	require.NoError(t, err)
	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, second, gen.AcceptQuoteRequest{AcceptedSide: "no"})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "accepting twice")
	_, err = creator.c.ConfirmRFQQuote(ctx, rfqID, second, gen.EmptyResponse{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "the RFQ's creator confirming")
	_, err = stranger.c.ConfirmRFQQuote(ctx, rfqID, second, gen.EmptyResponse{})
	requireAPIError(t, err, http.StatusNotFound, "not_found", "a stranger confirming")
	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, first, gen.EmptyResponse{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "confirming the other quote")

	// the creator withdraws the RFQ; everything on it stops
	_, err = creator.c.DeleteRFQ(ctx, rfqID)
	require.NoError(t, err)
	gone := creator.getRFQ(t, rfqID)
	assert.Equal(t, gen.RFQStatus("closed"), gone.Status)
	assert.Equal(t, "deleted", gone.CancellationReason)
	assert.NotNil(t, gone.CancelledTS)
	q := maker.getQuote(t, rfqID, second)
	assert.Equal(t, gen.QuoteStatus("cancelled"), q.Status)
	assert.Equal(t, "rfq_closed", q.CancellationReason)
	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, second, gen.EmptyResponse{})
	requireAPIError(t, err, http.StatusBadRequest, "rfq_closed", "confirming on a deleted RFQ")
	_, err = maker.c.CreateQuote(ctx, gen.CreateQuoteRequest{RFQID: rfqID, YesBid: usd("0.40")})
	requireAPIError(t, err, http.StatusBadRequest, "rfq_closed", "quoting on a deleted RFQ")
	_, err = creator.c.DeleteRFQ(ctx, rfqID)
	requireAPIError(t, err, http.StatusBadRequest, "rfq_closed", "deleting twice")
	_, err = maker.c.DeleteRFQQuote(ctx, rfqID, second)
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "withdrawing a cancelled quote")
	assert.Empty(t, creator.fills(t))
	assert.Empty(t, maker.fills(t))
	assert.Equal(t, "100.0000", creator.balance(t))
	assert.Equal(t, "100.0000", maker.balance(t))

	// replace_existing closes the creator's open RFQs first
	a := creator.rfq(t, rfqMarket, "3")
	b := creator.rfq(t, rfqMarket2, "3")
	res, err := creator.c.CreateRFQ(ctx, gen.CreateRFQRequest{MarketTicker: rfqMarket, Contracts: 4, ReplaceExisting: true})
	require.NoError(t, err)
	for _, id := range []string{a, b} {
		r := creator.getRFQ(t, id)
		assert.Equal(t, gen.RFQStatus("closed"), r.Status)
		assert.Equal(t, "replaced", r.CancellationReason)
	}
	assert.Equal(t, gen.RFQStatus("open"), creator.getRFQ(t, res.ID).Status)
}

// TestRFQWithdrawingAQuote: the quoter withdraws an open quote, which can
// then not be accepted.
func TestRFQWithdrawingAQuote(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	ctx := ctxFor(t)
	rfqID := creator.rfq(t, rfqMarket, "2")
	q1 := maker.quote(t, rfqID, "0.30", "0.60")
	_, err := creator.c.DeleteRFQQuote(ctx, rfqID, q1)
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "only the quoter withdraws")
	//lint:ignore SA1019 Kalshi still serves the legacy quote paths; the test checks they answer the same
	_, err = maker.c.DeleteQuote(ctx, q1)
	require.NoError(t, err)
	q := creator.getQuote(t, rfqID, q1)
	assert.Equal(t, gen.QuoteStatus("cancelled"), q.Status)
	assert.Equal(t, "deleted", q.CancellationReason)
	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, q1, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")
	assert.Equal(t, gen.RFQStatus("open"), creator.getRFQ(t, rfqID).Status, "the RFQ stays open for other quotes")

	// an accepted quote may still be withdrawn before it is confirmed
	q2 := maker.quote(t, rfqID, "0.30", "0.60")
	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, q2, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	require.NoError(t, err)
	_, err = maker.c.DeleteRFQQuote(ctx, rfqID, q2)
	require.NoError(t, err)
	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, q2, gen.EmptyResponse{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")
	assert.Empty(t, maker.fills(t))
}

// TestRFQInsufficientBalance: the RFQ's creator must be able to pay when
// accepting, the quoter when confirming; a refusal changes nothing, and
// the same call succeeds once the cash is there.
func TestRFQInsufficientBalance(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "3.99")
	poor := newRFQTrader(t, srv, "poor", "1")
	ctx := ctxFor(t)

	rfqID := creator.rfq(t, rfqMarket, "10")
	quoteID := maker.quote(t, rfqID, "0.40", "0.55")
	_, err := creator.c.AcceptRFQQuote(ctx, rfqID, quoteID, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	require.NoError(t, err)
	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, quoteID, gen.EmptyResponse{})
	e := requireAPIError(t, err, http.StatusBadRequest, "insufficient_balance")
	assert.Equal(t, "insufficient balance", e.Message)

	assert.Equal(t, gen.QuoteStatus("accepted"), maker.getQuote(t, rfqID, quoteID).Status)
	assert.Equal(t, gen.RFQStatus("open"), creator.getRFQ(t, rfqID).Status)
	assert.Equal(t, "3.9900", maker.balance(t))
	assert.Equal(t, "100.0000", creator.balance(t))
	assert.Empty(t, maker.fills(t))
	assert.Empty(t, creator.fills(t))

	require.NoError(t, srv.SetBalance(maker.id, usd("4")))
	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, quoteID, gen.EmptyResponse{})
	require.NoError(t, err)
	assert.Equal(t, "0.0000", maker.balance(t), "exactly enough is enough")

	// accepting needs the creator's cash: 10 NO at 0.60 and the fee
	poorRFQ := poor.rfq(t, rfqMarket2, "10")
	q := creator.quote(t, poorRFQ, "0.40", "0")
	_, err = poor.c.AcceptRFQQuote(ctx, poorRFQ, q, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	requireAPIError(t, err, http.StatusBadRequest, "insufficient_balance")
	assert.Equal(t, gen.QuoteStatus("open"), poor.getQuote(t, poorRFQ, q).Status)
}

// TestRFQConfirmationWindow: an acceptance lapses when the quoter does
// not confirm within 30 seconds; the RFQ's creator may then accept
// another quote.
func TestRFQConfirmationWindow(t *testing.T) {
	t.Parallel()
	clock := newRFQClock()
	srv := rfqServer(t, kalshitest.WithClock(clock.Now))
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	other := newRFQTrader(t, srv, "other", "100")
	ctx := ctxFor(t)
	rfqID := creator.rfq(t, rfqMarket, "1")
	slow := maker.quote(t, rfqID, "0.40", "0.55")
	fast := other.quote(t, rfqID, "0.41", "0.55")
	_, err := creator.c.AcceptRFQQuote(ctx, rfqID, slow, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	require.NoError(t, err)
	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, fast, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "one acceptance at a time")

	clock.advance(30 * time.Second)
	q := maker.getQuote(t, rfqID, slow)
	assert.Equal(t, gen.QuoteStatus("cancelled"), q.Status)
	assert.Equal(t, "confirmation_lapsed", q.CancellationReason)
	_, err = maker.c.ConfirmRFQQuote(ctx, rfqID, slow, gen.EmptyResponse{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")

	_, err = creator.c.AcceptRFQQuote(ctx, rfqID, fast, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	require.NoError(t, err)
	clock.advance(29 * time.Second)
	_, err = other.c.ConfirmRFQQuote(ctx, rfqID, fast, gen.EmptyResponse{})
	require.NoError(t, err, "just inside the window")
	assert.Equal(t, gen.QuoteStatus("executed"), other.getQuote(t, rfqID, fast).Status)
}

// TestRFQTargetCost: an RFQ sized by a target cost gets, on each side of a
// quote, as many contracts as the cost buys at the creator's price, fees
// included unless excluded.
func TestRFQTargetCost(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	ctx := ctxFor(t)

	withFees, err := creator.c.CreateRFQ(ctx, gen.CreateRFQRequest{MarketTicker: rfqMarket, TargetCostDollars: usd("6")})
	require.NoError(t, err)
	principal, err := creator.c.CreateRFQ(ctx, gen.CreateRFQRequest{MarketTicker: rfqMarket2, TargetCostCentiCents: 60_000, TargetCostExcludesFees: true})
	require.NoError(t, err)
	r := maker.getRFQ(t, principal.ID)
	assert.Equal(t, ptr(usd("6")), r.TargetCostDollars)
	assert.True(t, r.TargetCostExcludesFees)
	assert.True(t, r.ContractsFp.IsZero())

	// The creator pays 0.60 for the YES side, 0.50 for the NO side.
	q1 := maker.quote(t, withFees.ID, "0.40", "0.50")
	q2 := maker.quote(t, principal.ID, "0.40", "0.50")
	got := maker.getQuote(t, withFees.ID, q1)
	assert.Equal(t, ptr(qty("9")), got.YesContractsFp, "10 would cost 6.00 and a fee")
	assert.Equal(t, ptr(qty("11")), got.NoContractsFp, "12 would cost 6.00 and a fee")
	assert.Equal(t, ptr(usd("6")), got.RFQTargetCostDollars)
	got = maker.getQuote(t, principal.ID, q2)
	assert.Equal(t, ptr(qty("10")), got.YesContractsFp)
	assert.Equal(t, ptr(qty("12")), got.NoContractsFp)
	assert.True(t, got.TargetCostExcludesFees)

	_, err = creator.c.AcceptRFQQuote(ctx, withFees.ID, q1, gen.AcceptQuoteRequest{AcceptedSide: "no"})
	require.NoError(t, err)
	assert.Equal(t, qty("11"), maker.getQuote(t, withFees.ID, q1).ContractsFp, "the accepted side's contracts")
	_, err = maker.c.ConfirmRFQQuote(ctx, withFees.ID, q1, gen.EmptyResponse{})
	require.NoError(t, err)
	assert.Equal(t, qty("11"), creator.position(t, rfqMarket).PositionFp)
	spent := usd("100").Sub(money.MustDollars(creator.balance(t)))
	assert.Equal(t, usd("5.6925"), spent, "11 × 0.50 and a fee of 0.1925, within the target")
}

// TestRFQListsFilterAndPage checks GetRFQs and GetQuotes: who sees what,
// each filter, and cursors that walk the whole list.
func TestRFQListsFilterAndPage(t *testing.T) {
	t.Parallel()
	clock := newRFQClock()
	srv := rfqServer(t, kalshitest.WithClock(clock.Now))
	a, b := newRFQTrader(t, srv, "a", "100"), newRFQTrader(t, srv, "b", "100")
	mm, s := newRFQTrader(t, srv, "mm", "100"), newRFQTrader(t, srv, "s", "100")
	ctx := ctxFor(t)

	a1 := a.rfq(t, rfqMarket, "1")
	a2 := a.rfq(t, rfqMarket2, "1")
	a3 := a.rfq(t, rfqMarket3, "1")
	clock.advance(time.Hour)
	b1 := b.rfq(t, rfqMarket, "1")
	_, err := a.c.DeleteRFQ(ctx, a2)
	require.NoError(t, err)

	ids := func(tr rfqTrader, p *gen.GetRFQsParams) []string {
		t.Helper()
		res, err := tr.c.GetRFQs(ctx, p)
		require.NoError(t, err)
		out := []string{}
		for _, r := range res.Rfqs {
			out = append(out, r.ID)
		}
		return out
	}
	assert.Equal(t, []string{b1, a3, a2, a1}, ids(s, nil), "everyone's, newest first")
	assert.Equal(t, []string{b1, a1}, ids(s, &gen.GetRFQsParams{MarketTicker: ptr(rfqMarket)}))
	assert.Equal(t, []string{b1, a2, a1}, ids(s, &gen.GetRFQsParams{EventTicker: ptr(rfqEvent)}))
	assert.Equal(t, []string{b1, a3, a1}, ids(s, &gen.GetRFQsParams{Status: ptr("open")}))
	assert.Equal(t, []string{a2}, ids(s, &gen.GetRFQsParams{Status: ptr("closed")}))
	assert.Equal(t, []string{a3, a2, a1}, ids(a, &gen.GetRFQsParams{UserFilter: ptr(gen.UserFilter("self"))}))
	assert.Equal(t, []string{a3, a2, a1}, ids(s, &gen.GetRFQsParams{CreatorUserID: ptr(a.id)}))
	assert.Equal(t, []string{a3, a2, a1}, ids(a, &gen.GetRFQsParams{Subaccount: ptr(0)}))
	assert.Empty(t, ids(s, &gen.GetRFQsParams{Subaccount: ptr(0)}), "others' subaccounts are private")
	_, err = s.c.GetRFQs(ctx, &gen.GetRFQsParams{CreatorUserID: ptr("someone")})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")
	_, err = s.c.GetRFQs(ctx, &gen.GetRFQsParams{Status: ptr("pending")})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")

	var walked []string
	cursor := ""
	for pages := 0; ; pages++ {
		require.Less(t, pages, 4, "one RFQ a page")
		res, err := s.c.GetRFQs(ctx, &gen.GetRFQsParams{Limit: ptr(int32(1)), Cursor: ptr(cursor)})
		require.NoError(t, err)
		require.Len(t, res.Rfqs, 1)
		walked = append(walked, res.Rfqs[0].ID)
		if cursor = res.Cursor; cursor == "" {
			break
		}
	}
	assert.Equal(t, []string{b1, a3, a2, a1}, walked)

	// Quotes: mm on a1, a3 and b1, s on a1, then mm again on a1.
	firstA1 := mm.quote(t, a1, "0.40", "0.55")
	qa3 := mm.quote(t, a3, "0.40", "0.55")
	clock.advance(time.Hour)
	qb1 := mm.quote(t, b1, "0.40", "0.55")
	sa1 := s.quote(t, a1, "0.41", "0.55")
	secondA1 := mm.quote(t, a1, "0.42", "0.55")
	later := clock.Now().Add(-30 * time.Minute).Unix()

	qids := func(tr rfqTrader, p *gen.GetQuotesParams) []string {
		t.Helper()
		res, err := tr.c.GetQuotes(ctx, p)
		require.NoError(t, err)
		out := []string{}
		for _, q := range res.Quotes {
			out = append(out, q.ID)
		}
		return out
	}
	assert.Equal(t, []string{secondA1, qb1, qa3, firstA1}, qids(mm, nil), "the quoter's own")
	assert.Equal(t, []string{secondA1, sa1, qa3, firstA1}, qids(a, nil), "the quotes on a's RFQs")
	assert.Equal(t, []string{qb1}, qids(b, &gen.GetQuotesParams{}), "the quote on b's RFQ")
	assert.Equal(t, []string{sa1}, qids(s, nil))
	assert.Equal(t, []string{secondA1, sa1, firstA1}, qids(a, &gen.GetQuotesParams{RFQID: ptr(a1)}))
	assert.Equal(t, []string{secondA1, sa1, qa3}, qids(a, &gen.GetQuotesParams{Status: ptr("open")}))
	assert.Equal(t, []string{firstA1}, qids(a, &gen.GetQuotesParams{Status: ptr("cancelled")}))
	assert.Empty(t, qids(a, &gen.GetQuotesParams{UserFilter: ptr(gen.UserFilter("self"))}))
	assert.Equal(t, []string{secondA1, sa1, qa3, firstA1}, qids(a, &gen.GetQuotesParams{RFQUserFilter: ptr(gen.UserFilter("self"))}))
	assert.Empty(t, qids(mm, &gen.GetQuotesParams{RFQUserFilter: ptr(gen.UserFilter("self"))}))
	assert.Equal(t, []string{secondA1, qa3, firstA1}, qids(a, &gen.GetQuotesParams{QuoteCreatorUserID: ptr(mm.id)}))
	assert.Equal(t, []string{qb1}, qids(mm, &gen.GetQuotesParams{RFQCreatorUserID: ptr(b.id)}))
	assert.Empty(t, qids(a, &gen.GetQuotesParams{RFQCreatorSubtraderID: ptr("sub-1")}))
	// by last update: replacing firstA1 updated it
	assert.Equal(t, []string{secondA1, sa1, firstA1}, qids(a, &gen.GetQuotesParams{MinTS: ptr(later)}))
	assert.Equal(t, []string{qa3}, qids(a, &gen.GetQuotesParams{MaxTS: ptr(later)}))
	_, err = a.c.GetQuotes(ctx, &gen.GetQuotesParams{RFQID: ptr("a1")})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")
	_, err = a.c.GetQuotes(ctx, &gen.GetQuotesParams{Status: ptr("pending")})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")

	res, err := a.c.GetQuotes(ctx, &gen.GetQuotesParams{Limit: ptr(int32(3))})
	require.NoError(t, err)
	require.Len(t, res.Quotes, 3)
	require.NotEmpty(t, res.Cursor)
	rest, err := a.c.GetQuotes(ctx, &gen.GetQuotesParams{Limit: ptr(int32(3)), Cursor: ptr(res.Cursor)})
	require.NoError(t, err)
	require.Len(t, rest.Quotes, 1)
	assert.Equal(t, firstA1, rest.Quotes[0].ID)
	assert.Empty(t, rest.Cursor)
}
