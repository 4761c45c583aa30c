package kalshitest

import (
	"github.com/seed-c9ca4919/kalshi/gen"
)

// RFQs and quotes rendered as the spec's bodies, as one user (viewer)
// sees them: user IDs, subaccounts and order IDs only to their owner, and
// a creator who chose to hide shown as "0" to others until the RFQ
// executes. The exchange lock must be held.

func (q *rfqRecord) api(viewer string) gen.RFQ {
	out := gen.RFQ{
		ID: q.id, CreatorID: q.creatorIDFor(viewer), MarketTicker: q.ticker, ContractsFp: q.contracts,
		TargetCostDollars: q.targetCost, TargetCostExcludesFees: q.excludesFees,
		RestRemainder: ptr(q.restRemainder), Status: gen.RFQStatus(q.status),
		CreatedTS: q.created, UpdatedTS: ptr(q.updated), CancellationReason: q.cancelReason, CancelledTS: q.cancelled,
	}
	if viewer == q.userID {
		out.CreatorUserID, out.CreatorSubaccount = q.userID, ptr(q.subaccount)
	}
	return out
}

func (qt *quoteRecord) api(viewer string) gen.Quote {
	q := qt.rfq
	out := gen.Quote{
		ID: qt.id, RFQID: q.id, CreatorID: communicationsID(qt.userID), RFQCreatorID: q.creatorIDFor(viewer),
		MarketTicker: q.ticker, ContractsFp: q.contracts, YesBidDollars: qt.yesBid, NoBidDollars: qt.noBid,
		CreatedTS: qt.created, UpdatedTS: qt.updated, Status: gen.QuoteStatus(qt.status),
		AcceptedTS: qt.accepted, ConfirmedTS: qt.confirmed, ExecutedTS: qt.executed,
		CancellationReason: qt.cancelReason, RestRemainder: ptr(qt.restRemainder),
		RFQTargetCostDollars: q.targetCost, TargetCostExcludesFees: q.excludesFees,
	}
	if qt.status == quoteCancelled {
		out.CancelledTS = qt.stopped
	}
	if !qt.yesBid.IsZero() {
		out.YesContractsFp = ptr(qt.yesCount)
	}
	if !qt.noBid.IsZero() {
		out.NoContractsFp = ptr(qt.noCount)
	}
	if qt.acceptedSide != "" {
		out.AcceptedSide = ptr(gen.QuoteAcceptedSide(qt.acceptedSide))
		out.ContractsFp = qt.sideCount(qt.acceptedSide)
	}
	if viewer == qt.userID {
		out.CreatorUserID, out.CreatorSubaccount, out.CreatorOrderID = qt.userID, ptr(qt.subaccount), qt.makerOrderID
		out.PostOnly = ptr(qt.postOnly)
	}
	if viewer == q.userID {
		out.RFQCreatorUserID, out.RFQCreatorSubaccount, out.RFQCreatorOrderID = q.userID, ptr(q.subaccount), qt.takerOrderID
	}
	return out
}
