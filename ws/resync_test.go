package ws_test

import (
	"sync/atomic"
	"testing"

	"github.com/seed-c9ca4919/kalshi/ws"
)

// TestGapDuringResyncAsksAgain sends a gap in the middle of the snapshots
// answering a resync: the snapshot before the gap can no longer be trusted,
// so the client must ask for snapshots again, although a resync was in
// flight when the gap arrived.
func TestGapDuringResyncAsksAgain(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	var conn atomic.Pointer[serverConn]
	var asked atomic.Int32
	srv.refuse = func(cmd ws.Command) (ws.ErrorCode, bool) {
		if cmd.Cmd != ws.CmdUpdateSubscription || cmd.Params == nil || cmd.Params.Action != ws.ActionGetSnapshot || asked.Add(1) > 1 {
			return 0, false
		}
		// The first reply: A's snapshot, a gap, then (from the regular handler) both snapshots.
		sc, sid := conn.Load(), cmd.Params.SIDs[0]
		sc.emit(sid, snapshotOf("A", cmd.ID))
		sc.skip(sid, 1)
		sc.emit(sid, delta("A", ws.Yes, "0.40", "1"))
		return 0, false
	}
	c := srv.dial(t)
	conn.Store(srv.waitConn(t))
	sc := conn.Load()
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{"A", "B"}})
	nextOf[*ws.OrderbookSnapshot](t, book)
	nextOf[*ws.OrderbookSnapshot](t, book)

	sc.skip(book.SID(), 1)
	sc.emit(book.SID(), delta("B", ws.No, "0.55", "1"))
	sc.nextCommand(t, ws.CmdUpdateSubscription)
	if g := nextOf[*ws.Gap](t, book); !g.Resync {
		t.Fatalf("first gap %+v", g)
	}
	if g := nextOf[*ws.Gap](t, book); !g.Resync {
		t.Fatalf("gap during the resync %+v", g)
	}
	again := sc.nextCommand(t, ws.CmdUpdateSubscription)
	if again.Params.Action != ws.ActionGetSnapshot || len(again.Params.MarketTickers) != 2 {
		t.Fatalf("second command %+v", again.Params)
	}
}
