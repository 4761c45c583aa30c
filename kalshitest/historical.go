package kalshitest

import (
	"time"
)

// The historical tier. Kalshi keeps its live endpoints small by moving
// old records behind a set of cutoff times: markets settled before the
// market cutoff (with their candlesticks), fills before the trades cutoff,
// orders canceled or fully executed before the orders cutoff and settled
// positions last updated before the positions cutoff are served only by
// the /historical endpoints. The fake keeps no second copy: a record is
// live or historical by comparing its time with the cutoff, so moving a
// cutoff moves records between the tiers at once, both ways.

// DefaultHistoricalLag is how far the cutoffs trail the exchange clock
// unless SetHistoricalCutoff pins them: 90 days, the live window Kalshi
// aims for. The default cutoffs advance a day at a time, at midnight UTC.
const DefaultHistoricalLag = 90 * 24 * time.Hour

// historicalState holds the cutoffs set by SetHistoricalCutoff and
// SetHistoricalCutoffs; a zero field follows the clock at
// DefaultHistoricalLag.
type historicalState struct {
	pinned HistoricalCutoff
}

// HistoricalCutoff is the boundary between live and historical data, as
// GetHistoricalCutoff reports it: records older than a cutoff are served
// only by the /historical endpoints.
//
// A server with generated markets (WithMarkets) starts with some history:
// in each generated series, an event 100 days back whose three markets
// traded and settled, so the historical endpoints answer with markets,
// trades and candlesticks out of the box. The other side of those trades
// is the house and an account of the fake's own, so the default account's
// own archive (fills, orders, positions) starts empty.
type HistoricalCutoff struct {
	// MarketSettled: markets settled before it, and their candlesticks,
	// are only under /historical/markets (GetMarkets, GetMarket, the
	// candlestick endpoints and the markets of GetEvents and GetEvent
	// leave them out).
	MarketSettled time.Time
	// TradesCreated: fills executed before it are only in
	// GetFillsHistorical; GetTradesHistorical serves the public trades
	// before it.
	TradesCreated time.Time
	// OrdersUpdated: orders canceled or fully executed before it are only
	// in GetHistoricalOrders. Resting orders always stay in GetOrders.
	OrdersUpdated time.Time
	// PositionsUpdated: settled positions last updated before it are only
	// in GetHistoricalPositions, an event's positions all together.
	// Unsettled positions always stay in GetPositions.
	PositionsUpdated time.Time
}

// HistoricalCutoff returns the cutoffs in force now.
func (s *Server) HistoricalCutoff() HistoricalCutoff {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	return s.x.historicalCutoff()
}

// SetHistoricalCutoff moves all four cutoffs to t and keeps them there
// (they no longer follow the clock). Records older than t leave the live
// endpoints for the historical ones; a t later than before archives more,
// an earlier one brings records back.
func (s *Server) SetHistoricalCutoff(t time.Time) {
	s.SetHistoricalCutoffs(HistoricalCutoff{MarketSettled: t, TradesCreated: t, OrdersUpdated: t, PositionsUpdated: t})
}

// SetHistoricalCutoffs sets each cutoff that is not zero in c and keeps
// it there; a zero field leaves that cutoff as it was.
func (s *Server) SetHistoricalCutoffs(c HistoricalCutoff) {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	p := &s.x.historical.pinned
	for _, f := range []struct{ from, to *time.Time }{
		{&c.MarketSettled, &p.MarketSettled},
		{&c.TradesCreated, &p.TradesCreated},
		{&c.OrdersUpdated, &p.OrdersUpdated},
		{&c.PositionsUpdated, &p.PositionsUpdated},
	} {
		if !f.from.IsZero() {
			*f.to = f.from.UTC().Truncate(time.Microsecond)
		}
	}
}

// historicalCutoff is the cutoffs in force (exchange lock held): pinned
// ones, the others DefaultHistoricalLag behind the clock, at midnight UTC.
func (x *exchange) historicalCutoff() HistoricalCutoff {
	def := x.now().Add(-DefaultHistoricalLag).Truncate(24 * time.Hour)
	c := x.historical.pinned
	for _, f := range []*time.Time{&c.MarketSettled, &c.TradesCreated, &c.OrdersUpdated, &c.PositionsUpdated} {
		if f.IsZero() {
			*f = def
		}
	}
	return c
}

// archivedMarket reports whether m settled before the market cutoff.
func (c HistoricalCutoff) archivedMarket(m *marketState) bool {
	return m.status == "finalized" && !m.settledAt.IsZero() && m.settledAt.Before(c.MarketSettled)
}

// archivedTrade reports whether a trade or fill at t is before the trades
// cutoff.
func (c HistoricalCutoff) archivedTrade(t time.Time) bool { return t.Before(c.TradesCreated) }

// archivedOrder reports whether o was canceled or fully executed before
// the orders cutoff; resting orders never are.
func (c HistoricalCutoff) archivedOrder(o *order) bool {
	return (o.status == "canceled" || o.status == "executed") && o.updated.Before(c.OrdersUpdated)
}

// archivedPosition reports whether a's position in ticker is archived: all
// of a's positions in the market's event are in settled markets and were
// last updated before the positions cutoff, so an event's positions move
// together and are never split between GetPositions and
// GetHistoricalPositions.
func (x *exchange) archivedPosition(c HistoricalCutoff, a *account, ticker string) bool {
	m := x.markets[ticker]
	if m == nil || a.positions[ticker] == nil {
		return false
	}
	tickers := []string{ticker}
	if ev := x.events[m.eventTicker]; ev != nil {
		tickers = ev.markets
	}
	for _, t := range tickers {
		p := a.positions[t]
		if p == nil {
			continue
		}
		if x.markets[t].status != "finalized" || !p.count.IsZero() || !p.updated.Before(c.PositionsUpdated) {
			return false
		}
	}
	return true
}

// The live endpoints' view of the cutoffs (exchange lock held): each
// reports whether a record has moved to the historical tier.

func (x *exchange) marketArchived(m *marketState) bool {
	return x.historicalCutoff().archivedMarket(m)
}

func (x *exchange) fillArchived(f *fillRecord) bool {
	return x.historicalCutoff().archivedTrade(f.at)
}

func (x *exchange) orderArchived(o *order) bool { return x.historicalCutoff().archivedOrder(o) }

func (x *exchange) positionArchived(a *account, ticker string) bool {
	return x.archivedPosition(x.historicalCutoff(), a, ticker)
}
