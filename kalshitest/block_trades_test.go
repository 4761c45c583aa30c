package kalshitest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

// TestBlockTradeProposeAccept has a buyer propose a block trade, the
// seller accept it, and checks the trade as both see it, each party's
// privacy in the listing, and the refusals on the way.
func TestBlockTradeProposeAccept(t *testing.T) {
	t.Parallel()
	clock := newRFQClock()
	srv := rfqServer(t, kalshitest.WithClock(clock.Now))
	buyer, seller := newRFQTrader(t, srv, "buyer", "100"), newRFQTrader(t, srv, "seller", "100")
	stranger := newRFQTrader(t, srv, "stranger", "100")
	ctx := ctxFor(t)
	proposal := func() gen.ProposeBlockTradeRequest {
		return gen.ProposeBlockTradeRequest{
			BuyerUserID: buyer.id, SellerUserID: seller.id, MarketTicker: rfqMarket,
			PriceCentiCents: 4500, Centicount: 1000, MakerSide: "no", ExpirationTS: clock.Now().Add(time.Hour),
		}
	}

	// proposals the exchange refuses
	for name, tc := range map[string]struct {
		by     rfqTrader
		edit   func(*gen.ProposeBlockTradeRequest)
		status int
		code   string
	}{
		"not a party":         {stranger, func(*gen.ProposeBlockTradeRequest) {}, http.StatusForbidden, "forbidden"},
		"trading with itself": {buyer, func(p *gen.ProposeBlockTradeRequest) { p.SellerUserID = buyer.id }, http.StatusBadRequest, "invalid_parameters"},
		"unknown seller": {buyer, func(p *gen.ProposeBlockTradeRequest) { p.SellerUserID = "0b6f1d8e-2a4c-4e7b-9d3f-5c1a2b3c4d5e" },
			http.StatusBadRequest, "invalid_parameters"},
		"off the grid":   {buyer, func(p *gen.ProposeBlockTradeRequest) { p.PriceCentiCents = 4550 }, http.StatusBadRequest, "invalid_price"},
		"price of $1":    {buyer, func(p *gen.ProposeBlockTradeRequest) { p.PriceCentiCents = 10_000 }, http.StatusBadRequest, "invalid_price"},
		"expired":        {buyer, func(p *gen.ProposeBlockTradeRequest) { p.ExpirationTS = clock.Now().Add(-time.Second) }, http.StatusBadRequest, "invalid_parameters"},
		"unknown market": {buyer, func(p *gen.ProposeBlockTradeRequest) { p.MarketTicker = "KXNOPE-26JUN12-T1" }, http.StatusNotFound, "market_not_found"},
		"subaccount":     {buyer, func(p *gen.ProposeBlockTradeRequest) { p.BuyerSubaccount = ptr(3) }, http.StatusBadRequest, "invalid_parameters"},
		"subtrader and subaccount": {buyer, func(p *gen.ProposeBlockTradeRequest) { p.SellerSubtraderID, p.SellerSubaccount = "st-1", ptr(0) },
			http.StatusBadRequest, "invalid_parameters"},
	} {
		p := proposal()
		tc.edit(&p)
		_, err := tc.by.c.ProposeBlockTrade(ctx, p)
		requireAPIError(t, err, tc.status, tc.code, name)
	}

	res, err := buyer.c.ProposeBlockTrade(ctx, proposal())
	require.NoError(t, err)
	id := res.BlockTradeProposalID
	list := func(tr rfqTrader, p *gen.GetBlockTradeProposalsParams) []gen.BlockTradeProposal {
		t.Helper()
		res, err := tr.c.GetBlockTradeProposals(ctx, p)
		require.NoError(t, err)
		return res.BlockTradeProposals
	}
	mine := list(buyer, nil)
	require.Len(t, mine, 1)
	bp := mine[0]
	assert.Equal(t, id, bp.ID)
	assert.Equal(t, buyer.id, bp.ProposerUserID)
	assert.Equal(t, buyer.id, bp.BuyerUserID)
	assert.Empty(t, bp.SellerUserID, "the counterparty's details are blank")
	assert.Equal(t, "open", bp.Status)
	assert.True(t, bp.BuyerAccepted, "the proposer's side counts as accepted")
	assert.NotNil(t, bp.BuyerAcceptedTS)
	assert.False(t, bp.SellerAccepted)
	assert.Equal(t, int64(4500), bp.PriceCentiCents)
	assert.Equal(t, int64(1000), bp.Centicount)
	assert.Equal(t, gen.BlockTradeProposalMakerSide("no"), bp.MakerSide)
	theirs := list(seller, nil)
	require.Len(t, theirs, 1)
	assert.Equal(t, seller.id, theirs[0].SellerUserID)
	assert.Empty(t, theirs[0].BuyerUserID)
	assert.Empty(t, list(stranger, nil), "only the parties see a proposal")

	_, err = buyer.c.AcceptBlockTradeProposal(ctx, id, gen.AcceptBlockTradeProposalRequest{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "the proposer accepting again")
	_, err = stranger.c.AcceptBlockTradeProposal(ctx, id, gen.AcceptBlockTradeProposalRequest{})
	requireAPIError(t, err, http.StatusNotFound, "not_found")

	// the seller cannot pay 10 NO at 0.55: nothing changes
	require.NoError(t, srv.SetBalance(seller.id, usd("5.49")))
	_, err = seller.c.AcceptBlockTradeProposal(ctx, id, gen.AcceptBlockTradeProposalRequest{Subaccount: ptr(0)})
	requireAPIError(t, err, http.StatusBadRequest, "insufficient_balance")
	assert.False(t, list(seller, nil)[0].SellerAccepted)
	assert.Equal(t, "open", list(seller, nil)[0].Status)
	assert.Empty(t, seller.fills(t))

	require.NoError(t, srv.SetBalance(seller.id, usd("100")))
	_, err = seller.c.AcceptBlockTradeProposal(ctx, id, gen.AcceptBlockTradeProposalRequest{Subaccount: ptr(0)})
	require.NoError(t, err)
	done := list(buyer, &gen.GetBlockTradeProposalsParams{Status: ptr("executed")})
	require.Len(t, done, 1)
	assert.True(t, done[0].SellerAccepted)
	assert.NotNil(t, done[0].ExecutedTS)
	assert.NotEmpty(t, done[0].BuyerOrderID)
	assert.Empty(t, done[0].SellerOrderID)
	assert.Empty(t, list(buyer, &gen.GetBlockTradeProposalsParams{Status: ptr("open")}))
	assert.Empty(t, list(buyer, &gen.GetBlockTradeProposalsParams{MarketTicker: ptr(rfqMarket2)}))
	_, err = seller.c.AcceptBlockTradeProposal(ctx, id, gen.AcceptBlockTradeProposalRequest{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters", "accepting an executed proposal")

	// The seller is the maker (maker_side no): it bought 10 NO at 0.55 free
	// of fees; the buyer 10 YES at 0.45 and the taker fee.
	bf, sf := buyer.fills(t), seller.fills(t)
	require.Len(t, bf, 1)
	require.Len(t, sf, 1)
	assert.Equal(t, done[0].BuyerOrderID, bf[0].OrderID)
	assert.True(t, bf[0].IsTaker)
	assert.Equal(t, usd("0.1733"), bf[0].FeeCost, "7% of 10 × 0.45 × 0.55, rounded up")
	assert.False(t, sf[0].IsTaker)
	assert.True(t, sf[0].FeeCost.IsZero())
	assert.Equal(t, gen.BookSide("ask"), sf[0].BookSide)
	assert.Equal(t, usd("0.45"), sf[0].YesPriceDollars)
	assert.Equal(t, "95.3267", buyer.balance(t))
	assert.Equal(t, "94.5000", seller.balance(t))
	assert.Equal(t, qty("10"), buyer.position(t, rfqMarket).PositionFp)
	assert.Equal(t, qty("-10"), seller.position(t, rfqMarket).PositionFp)
}

// TestBlockTradeExpires: a proposal lapses at its expiration time and can
// no longer be accepted.
func TestBlockTradeExpires(t *testing.T) {
	t.Parallel()
	clock := newRFQClock()
	srv := rfqServer(t, kalshitest.WithClock(clock.Now))
	buyer, seller := newRFQTrader(t, srv, "buyer", "100"), newRFQTrader(t, srv, "seller", "100")
	ctx := ctxFor(t)
	res, err := seller.c.ProposeBlockTrade(ctx, gen.ProposeBlockTradeRequest{
		BuyerUserID: buyer.id, SellerUserID: seller.id, MarketTicker: rfqMarket2,
		PriceCentiCents: 3000, Centicount: 250, MakerSide: "yes", ExpirationTS: clock.Now().Add(time.Minute),
	})
	require.NoError(t, err)
	clock.advance(time.Minute)
	got, err := buyer.c.GetBlockTradeProposals(ctx, &gen.GetBlockTradeProposalsParams{Status: ptr("expired")})
	require.NoError(t, err)
	require.Len(t, got.BlockTradeProposals, 1)
	assert.Equal(t, res.BlockTradeProposalID, got.BlockTradeProposals[0].ID)
	_, err = buyer.c.AcceptBlockTradeProposal(ctx, res.BlockTradeProposalID, gen.AcceptBlockTradeProposalRequest{})
	requireAPIError(t, err, http.StatusBadRequest, "invalid_parameters")
	assert.Empty(t, buyer.fills(t))
}

// TestBlockTradeListPages walks the proposals with a cursor.
func TestBlockTradeListPages(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	buyer, seller := newRFQTrader(t, srv, "buyer", "100"), newRFQTrader(t, srv, "seller", "100")
	ctx := ctxFor(t)
	var ids []string
	for range 3 {
		res, err := buyer.c.ProposeBlockTrade(ctx, gen.ProposeBlockTradeRequest{
			BuyerUserID: buyer.id, SellerUserID: seller.id, MarketTicker: rfqMarket,
			PriceCentiCents: 5000, Centicount: 100, MakerSide: "yes", ExpirationTS: time.Now().Add(time.Hour),
		})
		require.NoError(t, err)
		ids = append([]string{res.BlockTradeProposalID}, ids...) // newest first
	}
	first, err := seller.c.GetBlockTradeProposals(ctx, &gen.GetBlockTradeProposalsParams{Limit: ptr(int32(2))})
	require.NoError(t, err)
	require.Len(t, first.BlockTradeProposals, 2)
	require.NotEmpty(t, first.Cursor)
	second, err := seller.c.GetBlockTradeProposals(ctx, &gen.GetBlockTradeProposalsParams{Limit: ptr(int32(2)), Cursor: ptr(first.Cursor)})
	require.NoError(t, err)
	require.Len(t, second.BlockTradeProposals, 1)
	assert.Empty(t, second.Cursor)
	assert.Equal(t, ids, []string{first.BlockTradeProposals[0].ID, first.BlockTradeProposals[1].ID, second.BlockTradeProposals[0].ID})
}
