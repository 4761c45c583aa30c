package kalshitest

import (
	"fmt"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// Block trades as the fake runs them: one party proposes an off-book
// trade naming the buyer (who buys YES) and the seller (who sells YES,
// that is buys NO at 1 − price), a YES price, a size and which of them is
// the maker (maker_side "yes": the buyer, "no": the seller). The proposer
// must be one of the two, and its side counts as accepted. When the other
// party accepts before expiration_ts, the trade executes at once, as an
// executed quote does: the maker pays no fee, the taker the taker fee.
// Until then the proposal is open; past its expiration it is expired.

// Block trade proposal statuses.
const (
	blockOpen     = "open"
	blockExecuted = "executed"
	blockExpired  = "expired"
)

// blockProposal is one proposed block trade.
type blockProposal struct {
	id, proposer                 string
	buyer, seller                blockParty
	ticker                       string
	price                        money.Dollars // YES price
	count                        money.Count
	makerSide                    string // "yes" (the buyer is the maker) or "no" (the seller)
	status                       string
	expiration, created, updated time.Time
	executed                     *time.Time
	seq                          uint64
}

// blockParty is the buyer or the seller of a block trade.
type blockParty struct {
	userID, subtrader string
	subaccount        int
	accepted          *time.Time
	orderID           string // once executed
}

// party returns the side of the proposal userID is on, or nil.
func (b *blockProposal) party(userID string) *blockParty {
	switch userID {
	case b.buyer.userID:
		return &b.buyer
	case b.seller.userID:
		return &b.seller
	}
	return nil
}

// trade is the trade the proposal makes.
func (b *blockProposal) trade() directTrade {
	buyer := tradeParty{userID: b.buyer.userID, side: bid, subaccount: b.buyer.subaccount}
	seller := tradeParty{userID: b.seller.userID, side: ask, subaccount: b.seller.subaccount}
	t := directTrade{ticker: b.ticker, price: b.price, count: b.count, maker: buyer, taker: seller}
	if b.makerSide == "no" {
		t.maker, t.taker = seller, buyer
	}
	return t
}

// blockTradeParty checks who a party trades as: a subtrader (FCM members
// only, which the fake has none of) or a subaccount of its own (the
// primary account only, for now), not both.
func (x *exchange) blockTradeParty(userID, subtrader string, subaccount *int) (int, error) {
	switch {
	case subtrader != "" && subaccount != nil:
		return 0, errInvalidParameters("give a subtrader or a subaccount, not both")
	case subtrader != "":
		return 0, errInvalidParameters("subtrader IDs are for FCM members only")
	case subaccount == nil:
		return 0, nil
	}
	return *subaccount, x.checkSubaccount(userID, *subaccount)
}

// proposeBlockTrade records a proposal of userID, who must be its buyer or
// its seller.
func (x *exchange) proposeBlockTrade(userID string, b gen.ProposeBlockTradeRequest) (*blockProposal, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	switch {
	case b.BuyerUserID == b.SellerUserID:
		return nil, errInvalidParameters("the buyer and the seller must differ")
	case userID != b.BuyerUserID && userID != b.SellerUserID:
		return nil, errForbidden("you can only propose block trades you are a party to")
	}
	for _, u := range []string{b.BuyerUserID, b.SellerUserID} {
		if _, ok := x.accounts[u]; !ok || u == houseUser {
			return nil, errInvalidParameters("unknown user " + u)
		}
	}
	buyerSub, err := x.blockTradeParty(b.BuyerUserID, b.BuyerSubtraderID, b.BuyerSubaccount)
	if err != nil {
		return nil, err
	}
	sellerSub, err := x.blockTradeParty(b.SellerUserID, b.SellerSubtraderID, b.SellerSubaccount)
	if err != nil {
		return nil, err
	}
	if err := x.checkMarketOpen(b.MarketTicker); err != nil {
		return nil, err
	}
	m := x.markets[b.MarketTicker]
	if b.PriceCentiCents <= 0 || b.PriceCentiCents >= 10_000 {
		return nil, errInvalidPrice("price_centi_cents must be from 1 to 9999")
	}
	price := money.DollarsFromMicros(b.PriceCentiCents * 100)
	if err := m.checkPrice(price); err != nil {
		return nil, err
	}
	if b.Centicount <= 0 || b.Centicount > maxOrderCount.Hundredths() {
		return nil, errInvalidParameters(fmt.Sprintf("centicount must be from 1 to %d", maxOrderCount.Hundredths()))
	}
	count := money.CountFromHundredths(b.Centicount)
	if _, whole := count.Int(); !whole && !m.fractional {
		return nil, errInvalidParameters("fractional count not allowed in this market")
	}
	if b.MakerSide != "yes" && b.MakerSide != "no" {
		return nil, errInvalidParameters("maker_side must be yes or no")
	}
	expiration := b.ExpirationTS.UTC().Truncate(time.Microsecond) // as precise as the exchange's clock
	if !expiration.After(now) {
		return nil, errInvalidParameters("expiration_ts is in the past")
	}
	p := &blockProposal{
		id: x.newID(), proposer: userID, ticker: b.MarketTicker, price: price, count: count,
		makerSide: string(b.MakerSide), status: blockOpen, expiration: expiration,
		created: now, updated: now, seq: x.nextSeq(),
		buyer:  blockParty{userID: b.BuyerUserID, subaccount: buyerSub},
		seller: blockParty{userID: b.SellerUserID, subaccount: sellerSub},
	}
	p.party(userID).accepted = ptr(now)
	x.rfq.blocks[p.id] = p
	x.rfq.blockList = append(x.rfq.blockList, p)
	return p, nil
}

// acceptBlockTrade accepts a proposal for userID's side; when that makes
// both sides accepted the trade executes, or, when a party cannot pay,
// nothing changes.
func (x *exchange) acceptBlockTrade(userID, id string, b gen.AcceptBlockTradeProposalRequest) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	p, ok := x.rfq.blocks[id]
	if !ok || p.party(userID) == nil {
		return errNotFound()
	}
	me := p.party(userID)
	sub, err := x.blockTradeParty(userID, b.SubtraderID, b.Subaccount)
	if err != nil {
		return err
	}
	switch {
	case p.status != blockOpen:
		return errInvalidParameters("the proposal is " + p.status)
	case me.accepted != nil:
		return errInvalidParameters("you have already accepted this proposal")
	}
	other := &p.buyer
	if me == &p.buyer {
		other = &p.seller
	}
	chosen := me.subaccount
	if b.Subaccount != nil {
		chosen = sub
	}
	if other.accepted == nil {
		me.subaccount, me.accepted, p.updated = chosen, ptr(now), now
		return nil
	}
	before := me.subaccount
	me.subaccount = chosen
	t := p.trade()
	if err := x.checkDirect(t); err != nil {
		me.subaccount = before
		return err
	}
	me.accepted = ptr(now)
	mo, to := x.executeDirect(t, now)
	orders := map[string]string{mo.userID: mo.id, to.userID: to.id}
	p.buyer.orderID, p.seller.orderID = orders[p.buyer.userID], orders[p.seller.userID]
	p.status, p.executed, p.updated = blockExecuted, ptr(now), now
	return nil
}

// api renders a proposal as viewer sees it: each party's details only to
// that party.
func (p *blockProposal) api(viewer string) gen.BlockTradeProposal {
	out := gen.BlockTradeProposal{
		ID: p.id, ProposerUserID: p.proposer, MarketTicker: p.ticker,
		PriceCentiCents: p.price.Micros() / 100, Centicount: p.count.Hundredths(),
		MakerSide: gen.BlockTradeProposalMakerSide(p.makerSide), ExpirationTS: p.expiration,
		Status: p.status, CreatedTS: p.created, UpdatedTS: p.updated, ExecutedTS: p.executed,
		BuyerAccepted: p.buyer.accepted != nil, SellerAccepted: p.seller.accepted != nil,
		BuyerAcceptedTS: p.buyer.accepted, SellerAcceptedTS: p.seller.accepted,
	}
	if viewer == p.buyer.userID {
		out.BuyerUserID, out.BuyerSubtraderID, out.BuyerOrderID = p.buyer.userID, p.buyer.subtrader, p.buyer.orderID
	}
	if viewer == p.seller.userID {
		out.SellerUserID, out.SellerSubtraderID, out.SellerOrderID = p.seller.userID, p.seller.subtrader, p.seller.orderID
	}
	return out
}
