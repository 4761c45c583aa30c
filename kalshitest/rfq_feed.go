package kalshitest

import (
	"hash/fnv"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// The communications channel: rfq_created and rfq_deleted go to every
// subscriber (with user_filter "self", only to the RFQ's creator);
// quote_created, quote_accepted and quote_executed only to the quote's
// creator and the RFQ's creator, each receiving its own copy (its own
// order in quote_executed, its own subaccount, the RFQ creator's ID hidden
// from the quoter when the creator chose so). A subscription with
// shard_factor F and shard_key K takes only the messages of RFQs whose ID
// hashes to K: FNV-1a (32-bit) of the RFQ ID, modulo F.

func init() { channelFilters[ws.ChannelCommunications] = wantsCommunication }

// wantsCommunication is the channel's per-subscription filter (see
// channelFilters).
func wantsCommunication(s *wsSub, ev *ExchangeEvent) bool {
	user := s.conn.userID
	switch m := ev.Message.(type) {
	case *ws.RFQCreated:
		if !wantsRFQMessage(s, ev, user, m.CreatorID) {
			return false
		}
	case *ws.RFQDeleted:
		if !wantsRFQMessage(s, ev, user, m.CreatorID) {
			return false
		}
	}
	return s.shardFactor <= 0 || communicationsShard(ev.Key, s.shardFactor) == s.shardKey
}

// wantsRFQMessage applies the user filter to an RFQ message, and keeps
// the copy that hides the creator from the creator, who gets its own.
func wantsRFQMessage(s *wsSub, ev *ExchangeEvent, user, creatorID string) bool {
	if s.userFilter == "self" && ev.Owner != user {
		return false
	}
	return !(creatorID == hiddenCreatorID && len(ev.Audience) == 0 && ev.Owner == user)
}

// communicationsShard is the shard of an RFQ's messages.
func communicationsShard(rfqID string, factor int64) int64 {
	h := fnv.New32a()
	h.Write([]byte(rfqID))
	return int64(h.Sum32()) % factor
}

// publishComms publishes a communications message about an RFQ; audience
// empty means every user.
func (x *exchange) publishComms(q *rfqRecord, msg ws.Message, audience []string, now time.Time) {
	x.publishChannel(ExchangeEvent{
		Channel: ws.ChannelCommunications, Ticker: q.ticker, Message: msg, Audience: audience,
		Owner: q.userID, Key: q.id,
	}, now)
}

// eventOf is the event ticker of a market.
func (x *exchange) eventOf(ticker string) string {
	if m := x.markets[ticker]; m != nil {
		return m.eventTicker
	}
	return ""
}

// contractsOf is the RFQ's size as the feed reports it: absent when it
// is sized by target cost.
func (q *rfqRecord) contractsOf() *money.Count {
	if q.contracts.IsZero() {
		return nil
	}
	return ptr(q.contracts)
}

func (x *exchange) publishRFQCreated(q *rfqRecord, now time.Time) {
	if !x.hub.active() {
		return
	}
	msg := func(creatorID string) *ws.RFQCreated {
		return &ws.RFQCreated{
			ID: q.id, CreatorID: creatorID, MarketTicker: q.ticker, EventTicker: x.eventOf(q.ticker),
			Contracts: q.contractsOf(), TargetCost: q.targetCost, CreatedTS: ws.TextTimestamp(q.created),
		}
	}
	x.publishRFQMessage(q, func(viewer string) ws.Message { return msg(q.creatorIDFor(viewer)) }, now)
}

func (x *exchange) publishRFQDeleted(q *rfqRecord, now time.Time) {
	if !x.hub.active() {
		return
	}
	msg := func(creatorID string) *ws.RFQDeleted {
		return &ws.RFQDeleted{
			ID: q.id, CreatorID: creatorID, MarketTicker: q.ticker, EventTicker: x.eventOf(q.ticker),
			Contracts: q.contractsOf(), TargetCost: q.targetCost, DeletedTS: ws.TextTimestamp(now),
		}
	}
	x.publishRFQMessage(q, func(viewer string) ws.Message { return msg(q.creatorIDFor(viewer)) }, now)
}

// publishRFQMessage sends an RFQ message to everyone; when the creator
// hides, everyone else's copy says "0" and the creator gets its own.
func (x *exchange) publishRFQMessage(q *rfqRecord, build func(viewer string) ws.Message, now time.Time) {
	if q.hidesCreatorFrom("") {
		x.publishComms(q, build(q.userID), []string{q.userID}, now)
	}
	x.publishComms(q, build(""), nil, now)
}

// publishQuoteMessage sends each party of a quote its own copy of a
// message, the RFQ's creator first.
func (x *exchange) publishQuoteMessage(qt *quoteRecord, build func(viewer string, sub *int) ws.Message, now time.Time) {
	if !x.hub.active() {
		return
	}
	for _, p := range []struct {
		user string
		sub  int
	}{{qt.rfq.userID, qt.rfq.subaccount}, {qt.userID, qt.subaccount}} {
		var sub *int
		if p.sub != 0 {
			sub = ptr(p.sub)
		}
		x.publishComms(qt.rfq, build(p.user, sub), []string{p.user}, now)
	}
}

// offered is a side's contracts as the feed reports them: absent when the
// side is declined.
func offered(bid money.Dollars, count money.Count) *money.Count {
	if bid.IsZero() {
		return nil
	}
	return ptr(count)
}

func (x *exchange) publishQuoteCreated(qt *quoteRecord, now time.Time) {
	q := qt.rfq
	x.publishQuoteMessage(qt, func(viewer string, sub *int) ws.Message {
		return &ws.QuoteCreated{
			QuoteID: qt.id, RFQID: q.id, QuoteCreatorID: communicationsID(qt.userID), RFQCreatorID: q.creatorIDFor(viewer),
			MarketTicker: q.ticker, EventTicker: x.eventOf(q.ticker), YesBid: qt.yesBid, NoBid: qt.noBid,
			YesContractsOffered: offered(qt.yesBid, qt.yesCount), NoContractsOffered: offered(qt.noBid, qt.noCount),
			RFQTargetCost: q.targetCost, CreatedTS: ws.TextTimestamp(qt.created), Subaccount: sub,
		}
	}, now)
}

func (x *exchange) publishQuoteAccepted(qt *quoteRecord, now time.Time) {
	q := qt.rfq
	x.publishQuoteMessage(qt, func(viewer string, sub *int) ws.Message {
		return &ws.QuoteAccepted{
			QuoteID: qt.id, RFQID: q.id, QuoteCreatorID: communicationsID(qt.userID), RFQCreatorID: q.creatorIDFor(viewer),
			MarketTicker: q.ticker, EventTicker: x.eventOf(q.ticker), YesBid: qt.yesBid, NoBid: qt.noBid,
			AcceptedSide: ws.Side(qt.acceptedSide), ContractsAccepted: ptr(qt.sideCount(qt.acceptedSide)),
			YesContractsOffered: offered(qt.yesBid, qt.yesCount), NoContractsOffered: offered(qt.noBid, qt.noCount),
			RFQTargetCost: q.targetCost, Subaccount: sub,
		}
	}, now)
}

// publishQuoteExecuted tells each party the order it got: the quoter the
// maker's, the RFQ's creator the taker's.
func (x *exchange) publishQuoteExecuted(qt *quoteRecord, maker, taker *order, now time.Time) {
	q := qt.rfq
	x.publishQuoteMessage(qt, func(viewer string, sub *int) ws.Message {
		o := taker
		if viewer == qt.userID {
			o = maker
		}
		return &ws.QuoteExecuted{
			QuoteID: qt.id, RFQID: q.id, QuoteCreatorID: communicationsID(qt.userID), RFQCreatorID: q.creatorIDFor(viewer),
			OrderID: o.id, ClientOrderID: o.clientID, MarketTicker: q.ticker, ExecutedTS: ws.TextTimestamp(now),
			Subaccount: sub,
		}
	}, now)
}
