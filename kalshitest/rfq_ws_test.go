package kalshitest_test

import (
	"hash/fnv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// TestCommunicationsChannel follows an RFQ from creation to execution on
// the communications channel of four users: the RFQ's creator, the
// quoter, a stranger and a user who filters to its own RFQs. RFQ messages
// reach everyone but the filtered user, quote messages only the two
// parties, and quote_executed names each party's own order, the one its
// fill frame reports.
func TestCommunicationsChannel(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	stranger, selfish := newRFQTrader(t, srv, "stranger", "100"), newRFQTrader(t, srv, "selfish", "100")
	cID, mID, sID := creator.commsID(t), maker.commsID(t), selfish.commsID(t)
	comms := map[string]any{"channels": []string{"communications"}}

	rc := dialRaw(t, srv, creator.signer)
	rcComms := rc.subscribe(comms)
	rcFill := rc.subscribe(map[string]any{"channels": []string{"fill"}})
	rm := dialRaw(t, srv, maker.signer)
	rmComms := rm.subscribe(comms)
	rmFill := rm.subscribe(map[string]any{"channels": []string{"fill"}})
	rmPos := rm.subscribe(map[string]any{"channels": []string{"market_positions"}})
	rs := dialRaw(t, srv, stranger.signer)
	rsComms := rs.subscribe(comms)
	rf := dialRaw(t, srv, selfish.signer)
	rfComms := rf.subscribe(map[string]any{"channels": []string{"communications"}, "user_filter": "self"})

	rfqID := creator.rfq(t, rfqMarket, "10")
	for r, sid := range map[*rawConn]int64{rc: rcComms, rm: rmComms, rs: rsComms} {
		m := expect[*ws.RFQCreated](r)
		assert.Equal(t, sid, m.SID)
		assert.Equal(t, rfqID, m.ID)
		assert.Equal(t, cID, m.CreatorID)
		assert.Equal(t, rfqMarket, m.MarketTicker)
		assert.Equal(t, rfqEvent, m.EventTicker)
		assert.Equal(t, ptr(qty("10")), m.Contracts)
		assert.Nil(t, m.TargetCost)
		assert.False(t, m.CreatedTS.IsZero())
	}
	rf.nothingBefore()

	quoteID := maker.quote(t, rfqID, "0.40", "0.55")
	for r, sid := range map[*rawConn]int64{rc: rcComms, rm: rmComms} {
		m := expect[*ws.QuoteCreated](r)
		assert.Equal(t, sid, m.SID)
		assert.Equal(t, quoteID, m.QuoteID)
		assert.Equal(t, rfqID, m.RFQID)
		assert.Equal(t, mID, m.QuoteCreatorID)
		assert.Equal(t, cID, m.RFQCreatorID)
		assert.Equal(t, usd("0.40"), m.YesBid)
		assert.Equal(t, usd("0.55"), m.NoBid)
		assert.Equal(t, ptr(qty("10")), m.YesContractsOffered)
		assert.Equal(t, ptr(qty("10")), m.NoContractsOffered)
		assert.Nil(t, m.Subaccount, "neither used a subaccount")
	}
	rs.nothingBefore()
	rf.nothingBefore()

	_, err := creator.c.AcceptRFQQuote(ctxFor(t), rfqID, quoteID, gen.AcceptQuoteRequest{AcceptedSide: "yes"})
	require.NoError(t, err)
	for _, r := range []*rawConn{rc, rm} {
		m := expect[*ws.QuoteAccepted](r)
		assert.Equal(t, quoteID, m.QuoteID)
		assert.Equal(t, ws.Yes, m.AcceptedSide)
		assert.Equal(t, ptr(qty("10")), m.ContractsAccepted)
		assert.Equal(t, rfqEvent, m.EventTicker)
	}
	rs.nothingBefore()

	_, err = maker.c.ConfirmRFQQuote(ctxFor(t), rfqID, quoteID, gen.EmptyResponse{})
	require.NoError(t, err)
	cFill := expect[*ws.Fill](rc)
	assert.Equal(t, rcFill, cFill.SID)
	assert.True(t, cFill.IsTaker)
	cExec := expect[*ws.QuoteExecuted](rc)
	assert.Equal(t, cFill.OrderID, cExec.OrderID, "the creator's own order")
	assert.Equal(t, cFill.ClientOrderID, cExec.ClientOrderID)
	assert.NotEmpty(t, cExec.ClientOrderID)
	assert.Equal(t, creator.getQuote(t, rfqID, quoteID).RFQCreatorOrderID, cExec.OrderID)

	mFill := expect[*ws.Fill](rm)
	assert.Equal(t, rmFill, mFill.SID)
	assert.False(t, mFill.IsTaker)
	pos := expect[*ws.MarketPosition](rm)
	assert.Equal(t, rmPos, pos.SID)
	assert.Equal(t, qty("10"), pos.Position)
	mExec := expect[*ws.QuoteExecuted](rm)
	assert.Equal(t, mFill.OrderID, mExec.OrderID, "the quoter's own order")
	assert.Equal(t, maker.getQuote(t, rfqID, quoteID).CreatorOrderID, mExec.OrderID)
	for _, m := range []*ws.QuoteExecuted{cExec, mExec} {
		assert.Equal(t, quoteID, m.QuoteID)
		assert.Equal(t, rfqID, m.RFQID)
		assert.Equal(t, mID, m.QuoteCreatorID)
		assert.Equal(t, cID, m.RFQCreatorID)
		assert.Equal(t, rfqMarket, m.MarketTicker)
		assert.False(t, m.ExecutedTS.IsZero())
	}
	for _, r := range []*rawConn{rc, rm, rs} {
		m := expect[*ws.RFQDeleted](r)
		assert.Equal(t, rfqID, m.ID, "the executed RFQ closes")
		assert.Equal(t, cID, m.CreatorID)
		assert.False(t, m.DeletedTS.IsZero())
	}
	for _, r := range []*rawConn{rc, rm, rs, rf} {
		r.nothingBefore()
	}

	// The filtered user receives its own RFQs, like everyone else.
	own := selfish.rfq(t, rfqMarket2, "1")
	for _, r := range []*rawConn{rf, rc, rm, rs} {
		m := expect[*ws.RFQCreated](r)
		assert.Equal(t, own, m.ID)
		assert.Equal(t, sID, m.CreatorID)
	}
	_, err = selfish.c.DeleteRFQ(ctxFor(t), own)
	require.NoError(t, err)
	for r, sid := range map[*rawConn]int64{rf: rfComms, rc: rcComms, rm: rmComms, rs: rsComms} {
		m := expect[*ws.RFQDeleted](r)
		assert.Equal(t, sid, m.SID)
		assert.Equal(t, own, m.ID)
	}
}

// TestCommunicationsHiddenCreator: an RFQ whose creator hides shows "0"
// as its creator to everyone else, on the channel and over REST, while
// the creator receives exactly one copy naming itself.
func TestCommunicationsHiddenCreator(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	cID := creator.commsID(t)
	comms := map[string]any{"channels": []string{"communications"}}
	rc, rm := dialRaw(t, srv, creator.signer), dialRaw(t, srv, maker.signer)
	rc.subscribe(comms)
	rm.subscribe(comms)

	res, err := creator.c.CreateRFQ(ctxFor(t), gen.CreateRFQRequest{MarketTicker: rfqMarket3, ContractsFp: ptr(qty("2")), ObscureCreatorID: true})
	require.NoError(t, err)
	assert.Equal(t, cID, expect[*ws.RFQCreated](rc).CreatorID)
	rc.nothingBefore()
	assert.Equal(t, "0", expect[*ws.RFQCreated](rm).CreatorID)
	assert.Equal(t, "0", maker.getRFQ(t, res.ID).CreatorID)
	assert.Equal(t, cID, creator.getRFQ(t, res.ID).CreatorID)
	list, err := maker.c.GetRFQs(ctxFor(t), &gen.GetRFQsParams{CreatorUserID: ptr(creator.id)})
	require.NoError(t, err)
	assert.Empty(t, list.Rfqs, "a hidden creator cannot be found by user ID")

	quoteID := maker.quote(t, res.ID, "0.40", "0")
	assert.Equal(t, cID, expect[*ws.QuoteCreated](rc).RFQCreatorID)
	assert.Equal(t, "0", expect[*ws.QuoteCreated](rm).RFQCreatorID)
	assert.Equal(t, "0", maker.getQuote(t, res.ID, quoteID).RFQCreatorID)

	_, err = creator.c.DeleteRFQ(ctxFor(t), res.ID)
	require.NoError(t, err)
	assert.Equal(t, cID, expect[*ws.RFQDeleted](rc).CreatorID)
	assert.Equal(t, "0", expect[*ws.RFQDeleted](rm).CreatorID)
	rc.nothingBefore()
	rm.nothingBefore()
}

// commsShard is the shard Kalshi's fan-out puts an RFQ's messages in, as
// the fake computes it: FNV-1a of the RFQ ID modulo the shard factor.
func commsShard(rfqID string, factor uint32) int {
	h := fnv.New32a()
	h.Write([]byte(rfqID))
	return int(h.Sum32() % factor)
}

// TestCommunicationsShards: two subscriptions splitting the channel in
// two shards each receive exactly the messages of the RFQs that hash to
// their shard.
func TestCommunicationsShards(t *testing.T) {
	t.Parallel()
	srv := rfqServer(t)
	creator, maker := newRFQTrader(t, srv, "creator", "100"), newRFQTrader(t, srv, "maker", "100")
	r := dialRaw(t, srv, maker.signer)
	sids := []int64{
		r.subscribe(map[string]any{"channels": []string{"communications"}, "shard_factor": 2, "shard_key": 0}),
		r.subscribe(map[string]any{"channels": []string{"communications"}, "shard_factor": 2, "shard_key": 1}),
	}
	seen := map[int64]int{}
	for i := 0; i < 40 && (seen[sids[0]] == 0 || seen[sids[1]] == 0); i++ {
		id := creator.rfq(t, rfqMarket, "1")
		want := sids[commsShard(id, 2)]
		created := expect[*ws.RFQCreated](r)
		assert.Equal(t, id, created.ID)
		assert.Equal(t, want, created.SID)
		maker.quote(t, id, "0.40", "0.55")
		assert.Equal(t, want, expect[*ws.QuoteCreated](r).SID, "a quote goes with its RFQ")
		_, err := creator.c.DeleteRFQ(ctxFor(t), id)
		require.NoError(t, err)
		assert.Equal(t, want, expect[*ws.RFQDeleted](r).SID)
		r.nothingBefore()
		seen[want]++
	}
	assert.NotZero(t, seen[sids[0]], "shard 0 received RFQs")
	assert.NotZero(t, seen[sids[1]], "shard 1 received RFQs")
}
