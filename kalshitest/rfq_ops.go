package kalshitest

import (
	"fmt"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// The life of an RFQ and its quotes, as the exchange runs it:
//
//   - An RFQ asks for quotes on a market, for a number of contracts or a
//     target cost. Every user sees it; a user has at most one open RFQ per
//     market (409 otherwise, unless replace_existing) and 100 in all.
//   - Other users quote on it: yes_bid is what the quoter pays for YES,
//     no_bid what it pays for NO, zero declines a side, and the two add up
//     to at most $1. A quoter's new quote on an RFQ replaces its live one.
//     Only the quoter and the RFQ's creator see a quote.
//   - The RFQ's creator accepts one side of a quote: "yes" takes the
//     quoter's YES bid (the quoter buys YES at yes_bid, the creator buys
//     NO at 1 − yes_bid), "no" its NO bid (the quoter buys NO at no_bid,
//     the creator YES at 1 − no_bid). The creator must be able to pay.
//   - The quoter confirms within 30 seconds (the acceptance lapses
//     otherwise), and the trade executes at once: the quoter is the maker
//     and pays no fee, the creator is the taker. Kalshi waits out an
//     execution timer first; the fake does not, so confirmed_ts and
//     executed_ts are the same and the quote is executed when the call
//     returns. The RFQ closes and its other quotes are cancelled.

// rfqRequest is a CreateRFQ body, checked for shape.
type rfqRequest struct {
	userID, ticker                 string
	subaccount                     int
	contracts                      money.Count    // zero when sized by target cost
	targetCost                     *money.Dollars // nil when sized by contracts
	excludesFees, restRemainder    bool
	obscure, replaceExisting       bool
	subtraderGiven, contractsGiven bool
}

// maxTargetCost bounds an RFQ's target cost: far above any real one, and
// small enough that no size derived from it can overflow.
var maxTargetCost = money.One.Mul(maxOrderCount)

// rfqRequestOf reads a CreateRFQ body: contracts and contracts_fp must
// agree, and so must the target cost in dollars and in centi-cents.
func rfqRequestOf(userID string, b gen.CreateRFQRequest) (rfqRequest, error) {
	req := rfqRequest{
		userID: userID, ticker: b.MarketTicker, excludesFees: b.TargetCostExcludesFees,
		restRemainder: b.RestRemainder, obscure: b.ObscureCreatorID, replaceExisting: b.ReplaceExisting,
		subtraderGiven: b.SubtraderID != "",
	}
	if b.Subaccount != nil {
		req.subaccount = *b.Subaccount
	}
	whole := money.CountFromInt(int64(b.Contracts))
	switch {
	case b.ContractsFp != nil && b.Contracts != 0 && *b.ContractsFp != whole:
		return req, errInvalidParameters("contracts and contracts_fp differ")
	case b.ContractsFp != nil:
		req.contracts, req.contractsGiven = *b.ContractsFp, true
	case b.Contracts != 0:
		req.contracts, req.contractsGiven = whole, true
	}
	if b.TargetCostCentiCents < 0 || b.TargetCostCentiCents > maxTargetCost.Micros()/100 {
		return req, errInvalidParameters("target_cost_centi_cents must be from 1 to " + fmt.Sprint(maxTargetCost.Micros()/100))
	}
	centi := money.DollarsFromMicros(b.TargetCostCentiCents * 100)
	switch {
	case b.TargetCostCentiCents != 0 && !b.TargetCostDollars.IsZero() && b.TargetCostDollars != centi:
		return req, errInvalidParameters("target_cost_dollars and target_cost_centi_cents differ")
	case !b.TargetCostDollars.IsZero():
		req.targetCost = ptr(b.TargetCostDollars)
	case b.TargetCostCentiCents != 0:
		req.targetCost = &centi
	}
	return req, nil
}

// checkSubaccount accepts the subaccounts a user may trade from here:
// the primary account (0), the only one the fake keeps.
func (x *exchange) checkSubaccount(userID string, n int) error {
	if n != 0 {
		return errInvalidParameters(fmt.Sprintf("subaccount %d does not exist", n))
	}
	return nil
}

// createRFQ opens an RFQ and announces it on the communications channel.
func (x *exchange) createRFQ(req rfqRequest) (*rfqRecord, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	if err := x.checkMarketOpen(req.ticker); err != nil {
		return nil, err
	}
	m := x.markets[req.ticker]
	if req.subtraderGiven {
		return nil, errInvalidParameters("subtrader_id is for FCM members only")
	}
	if err := x.checkSubaccount(req.userID, req.subaccount); err != nil {
		return nil, err
	}
	switch {
	case req.targetCost == nil && !req.contractsGiven:
		return nil, errInvalidParameters("give contracts or a target cost")
	case req.targetCost != nil && req.contractsGiven:
		return nil, errInvalidParameters("give contracts or a target cost, not both")
	case req.targetCost == nil && req.excludesFees:
		return nil, errInvalidParameters("target_cost_excludes_fees needs a target cost")
	case req.targetCost != nil && req.targetCost.Sign() <= 0:
		return nil, errInvalidParameters("target cost must be positive")
	case req.targetCost != nil && req.targetCost.Cmp(maxTargetCost) > 0:
		return nil, errInvalidParameters("target cost must be at most " + maxTargetCost.String())
	case req.targetCost == nil && req.contracts.Sign() <= 0:
		return nil, errInvalidParameters("contracts must be positive")
	case req.contracts.Cmp(maxOrderCount) > 0:
		return nil, errInvalidParameters("contracts must be at most " + maxOrderCount.String())
	}
	if _, whole := req.contracts.Int(); !whole && !m.fractional {
		return nil, errInvalidParameters("fractional contracts not allowed in this market")
	}
	if req.replaceExisting {
		for _, q := range x.rfq.rfqList {
			if q.userID == req.userID && q.status == rfqOpen {
				x.closeRFQ(q, reasonReplaced, now)
			}
		}
	}
	for _, q := range x.rfq.rfqList {
		if q.userID == req.userID && q.status == rfqOpen && q.ticker == req.ticker {
			return nil, errRFQExists()
		}
	}
	if x.openRFQs(req.userID) >= maxOpenRFQs {
		return nil, errInvalidParameters(fmt.Sprintf("you may have at most %d open RFQs", maxOpenRFQs))
	}
	q := &rfqRecord{
		id: x.newID(), userID: req.userID, ticker: req.ticker, subaccount: req.subaccount,
		contracts: req.contracts, targetCost: req.targetCost, excludesFees: req.excludesFees,
		restRemainder: req.restRemainder, obscure: req.obscure, status: rfqOpen,
		created: now, updated: now, seq: x.nextSeq(),
	}
	x.rfq.rfqs[q.id] = q
	x.rfq.rfqList = append(x.rfq.rfqList, q)
	x.publishRFQCreated(q, now)
	return q, nil
}

// deleteRFQ closes an RFQ of userID (other users' RFQs are not found).
func (x *exchange) deleteRFQ(userID, rfqID string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	q, err := x.findRFQ(rfqID)
	if err != nil {
		return err
	}
	if q.userID != userID {
		return errNotFound()
	}
	if q.status != rfqOpen {
		return errRFQClosed()
	}
	x.closeRFQ(q, reasonDeleted, now)
	return nil
}

// quoteRequest is a CreateQuote body.
type quoteRequest struct {
	userID, rfqID           string
	yesBid, noBid           money.Dollars
	restRemainder, postOnly bool
	subaccount              int
}

func quoteRequestOf(userID string, b gen.CreateQuoteRequest) quoteRequest {
	req := quoteRequest{
		userID: userID, rfqID: b.RFQID, yesBid: b.YesBid, noBid: b.NoBid,
		restRemainder: b.RestRemainder, postOnly: b.PostOnly != nil && *b.PostOnly,
	}
	if b.Subaccount != nil {
		req.subaccount = *b.Subaccount
	}
	return req
}

// createQuote quotes on an open RFQ of another user, replacing the
// quoter's live quote on it, and tells both parties.
func (x *exchange) createQuote(req quoteRequest) (*quoteRecord, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	q, err := x.findRFQ(req.rfqID)
	if err != nil {
		return nil, err
	}
	if q.status != rfqOpen {
		return nil, errRFQClosed()
	}
	if q.userID == req.userID {
		return nil, errInvalidParameters("you cannot quote on your own RFQ")
	}
	if err := x.checkMarketOpen(q.ticker); err != nil {
		return nil, err
	}
	m := x.markets[q.ticker]
	if err := x.checkSubaccount(req.userID, req.subaccount); err != nil {
		return nil, err
	}
	if req.yesBid.IsZero() && req.noBid.IsZero() {
		return nil, errInvalidParameters("yes_bid and no_bid cannot both be zero")
	}
	for _, b := range []struct {
		name string
		bid  money.Dollars
	}{{"yes_bid", req.yesBid}, {"no_bid", req.noBid}} {
		if b.bid.IsZero() {
			continue
		}
		if err := m.checkPrice(b.bid); err != nil {
			details := err.Error()
			if e, ok := err.(*apiError); ok {
				details = e.details
			}
			return nil, errInvalidParameters(b.name + ": " + details)
		}
	}
	if req.yesBid.Add(req.noBid).Cmp(money.One) > 0 {
		return nil, errInvalidParameters("yes_bid + no_bid must not exceed 1.0000")
	}
	qt := &quoteRecord{
		id: x.newID(), userID: req.userID, rfq: q, subaccount: req.subaccount,
		yesBid: req.yesBid, noBid: req.noBid,
		yesCount: sideSize(q, req.yesBid), noCount: sideSize(q, req.noBid),
		restRemainder: req.restRemainder, postOnly: req.postOnly, status: quoteOpen,
		created: now, updated: now, seq: x.nextSeq(),
	}
	if qt.yesCount.IsZero() && qt.noCount.IsZero() {
		return nil, errInvalidParameters("the RFQ's target cost buys no contracts at these prices")
	}
	for _, old := range x.rfq.quoteList {
		if old.rfq == q && old.userID == req.userID && old.live() {
			x.stopQuote(old, reasonReplaced, now)
		}
	}
	x.rfq.quotes[qt.id] = qt
	x.rfq.quoteList = append(x.rfq.quoteList, qt)
	x.publishQuoteCreated(qt, now)
	return qt, nil
}

// sideSize is the contracts one side of a quote trades when accepted: the
// RFQ's contracts, or as many whole contracts as its target cost buys at
// what the RFQ's creator pays on that side (1 − bid), its taker fees
// included unless the RFQ excludes them. A declined side (bid zero)
// trades none.
func sideSize(q *rfqRecord, bid money.Dollars) money.Count {
	if bid.IsZero() {
		return money.Count{}
	}
	if q.targetCost == nil {
		return q.contracts
	}
	price := money.One.Sub(bid)
	const unit = 100                                            // whole contracts, in hundredths
	most := q.targetCost.Micros() * 100 / price.Micros() / unit // units the principal covers
	fits := func(units int64) bool {
		c := money.CountFromHundredths(units * unit)
		// the fee is the same at YES price bid or 1 − bid
		return price.Mul(c).Add(takerFee(bid, c)).Cmp(*q.targetCost) <= 0
	}
	if !q.excludesFees && most > 0 && !fits(most) {
		lo, hi := int64(0), most // fits(lo), !fits(hi)
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			if fits(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		most = lo
	}
	return money.CountFromHundredths(most * unit).Min(maxOrderCount)
}

// quoteTrade is the trade a quote makes when side is accepted: the quoter
// buys side at its bid, the RFQ's creator the other outcome.
func quoteTrade(qt *quoteRecord, side string) directTrade {
	t := directTrade{ticker: qt.rfq.ticker, count: qt.sideCount(side)}
	if side == "yes" {
		t.price = qt.yesBid
		t.maker = tradeParty{userID: qt.userID, side: bid, subaccount: qt.subaccount}
		t.taker = tradeParty{userID: qt.rfq.userID, side: ask, subaccount: qt.rfq.subaccount}
	} else {
		t.price = money.One.Sub(qt.noBid)
		t.maker = tradeParty{userID: qt.userID, side: ask, subaccount: qt.subaccount}
		t.taker = tradeParty{userID: qt.rfq.userID, side: bid, subaccount: qt.rfq.subaccount}
	}
	return t
}

// acceptQuote is the RFQ creator taking one side of a quote; the quoter
// then has the confirmation window to confirm.
func (x *exchange) acceptQuote(userID, rfqID, quoteID, side string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	qt, err := x.findQuote(userID, rfqID, quoteID)
	if err != nil {
		return err
	}
	q := qt.rfq
	switch {
	case userID != q.userID:
		return errInvalidParameters("only the RFQ's creator can accept its quotes")
	case q.status != rfqOpen:
		return errRFQClosed()
	case qt.status != quoteOpen:
		return errInvalidParameters("the quote is " + qt.status + ", not open")
	case side != "yes" && side != "no":
		return errInvalidParameters("accepted_side must be yes or no")
	case qt.sideBid(side).IsZero():
		return errInvalidParameters("the quote declines the " + side + " side")
	}
	for _, other := range x.rfq.quoteList {
		if other.rfq == q && other.status == quoteAccepted {
			return errInvalidParameters("another quote on this RFQ is awaiting confirmation")
		}
	}
	t := quoteTrade(qt, side)
	if t.count.IsZero() {
		return errInvalidParameters("the quote offers no contracts on the " + side + " side")
	}
	if err := x.checkMarketOpen(t.ticker); err != nil {
		return err
	}
	if err := x.checkCash(t, t.taker, true); err != nil {
		return err
	}
	qt.status, qt.acceptedSide, qt.accepted, qt.updated = quoteAccepted, side, ptr(now), now
	x.publishQuoteAccepted(qt, now)
	return nil
}

// confirmQuote is the quoter confirming an accepted quote: the trade
// executes at once, or, when a party cannot pay, nothing changes.
func (x *exchange) confirmQuote(userID, rfqID, quoteID string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	qt, err := x.findQuote(userID, rfqID, quoteID)
	if err != nil {
		return err
	}
	switch {
	case userID != qt.userID:
		return errInvalidParameters("only the quote's creator can confirm it")
	case qt.rfq.status != rfqOpen:
		return errRFQClosed()
	case qt.status != quoteAccepted:
		return errInvalidParameters("the quote is " + qt.status + ", not accepted")
	}
	t := quoteTrade(qt, qt.acceptedSide)
	if err := x.checkDirect(t); err != nil {
		return err
	}
	qt.status, qt.confirmed = quoteConfirmed, ptr(now)
	mo, to := x.executeDirect(t, now)
	qt.status, qt.executed, qt.updated = quoteExecuted, ptr(now), now
	qt.makerOrderID, qt.takerOrderID = mo.id, to.id
	q := qt.rfq
	q.executed = true
	x.publishQuoteExecuted(qt, mo, to, now)
	x.closeRFQ(q, "", now)
	return nil
}

// deleteQuote is the quoter withdrawing a quote before it is confirmed.
func (x *exchange) deleteQuote(userID, rfqID, quoteID string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	qt, err := x.findQuote(userID, rfqID, quoteID)
	if err != nil {
		return err
	}
	if userID != qt.userID {
		return errInvalidParameters("only the quote's creator can withdraw it")
	}
	if !qt.live() {
		return errInvalidParameters("the quote is " + qt.status)
	}
	x.stopQuote(qt, reasonDeleted, now)
	return nil
}
