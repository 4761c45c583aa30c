package kalshitest

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// GetBalance answers the available cash (resting orders' cost is held
// out of it) and the positions marked at their markets' last prices, of
// one subaccount (the primary account unless the parameter or the key
// says otherwise), summed over its shards or on the one asked for, with
// the cash per shard (not for keys restricted to a subaccount).
func (h *handlers) GetBalance(w http.ResponseWriter, r *http.Request, p gen.GetBalanceParams) {
	sub, err := scopedOrPrimary(r, p.Subaccount)
	if err == nil && p.ExchangeIndex != nil && (*p.ExchangeIndex < 0 || *p.ExchangeIndex > maxShard) {
		err = errParam(fmt.Sprintf("exchange_index must be 0 to %d, got %d", maxShard, *p.ExchangeIndex))
	}
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	a, err := x.ledger(userOf(r), sub)
	if err != nil {
		writeError(w, err)
		return
	}
	shards := a.shards()
	if p.ExchangeIndex != nil {
		shards = []int{*p.ExchangeIndex}
	}
	cash, value := money.Zero, money.Zero
	breakdown := make([]gen.IndexedBalance, 0, len(shards))
	for _, s := range shards {
		cash = cash.Add(a.cashOn(s))
		breakdown = append(breakdown, gen.IndexedBalance{Balance: a.cashOn(s), ExchangeIndex: s})
		if s == 0 { // where every position is
			value = x.portfolioValue(a)
		}
	}
	cents, _ := cash.Cents()
	pv, _ := value.Cents()
	out := gen.GetBalanceResponse{
		Balance:          cents,
		BalanceDollars:   cash,
		BalanceBreakdown: &breakdown,
		PortfolioValue:   pv,
		UpdatedTS:        a.updated.Unix(),
	}
	if keySubaccount(r) != nil {
		out.BalanceBreakdown = nil
	}
	writeJSON(w, http.StatusOK, out)
}

// GetPortfolioRestingOrderTotalValue sums the cash held for the resting
// orders of every subaccount (of its own for a key restricted to one).
func (h *handlers) GetPortfolioRestingOrderTotalValue(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	ledgers, err := x.userLedgers(userOf(r), keySubaccount(r))
	if err != nil {
		writeError(w, err)
		return
	}
	total := money.Zero
	for _, a := range ledgers {
		total = total.Add(a.reservedTotal())
	}
	cents, _ := total.Cents()
	writeJSON(w, http.StatusOK, gen.GetPortfolioRestingOrderTotalValueResponse{
		TotalRestingOrderValue:     int(cents),
		RestingOrderValueBreakdown: []gen.IndexedBalance{{Balance: total}},
	})
}

// GetPositions lists market positions (by default those with a position
// or resting orders, like Kalshi; count_filter=position or total_traded
// narrows it) and their events' totals, of one subaccount: the primary
// account unless the parameter or the key says otherwise.
func (h *handlers) GetPositions(w http.ResponseWriter, r *http.Request, p gen.GetPositionsParams) {
	sub, err := scopedOrPrimary(r, p.Subaccount)
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	a, err := x.ledger(userOf(r), sub)
	if err != nil {
		writeError(w, err)
		return
	}
	filters := splitList(strOr(p.CountFilter))
	tickers := make([]string, 0, len(a.positions))
	for t := range a.positions {
		tickers = append(tickers, t)
	}
	sort.Strings(tickers)
	var list []string
	for _, t := range tickers {
		pos := a.positions[t]
		m := x.markets[t]
		if (p.Ticker != nil && *p.Ticker != "" && t != *p.Ticker) || x.positionArchived(a, t) {
			continue
		}
		if p.EventTicker != nil && *p.EventTicker != "" && (m == nil || m.eventTicker != *p.EventTicker) {
			continue
		}
		if p.ExchangeIndex != nil && *p.ExchangeIndex != 0 { // every market trades on shard 0
			continue
		}
		keep := len(filters) == 0
		for _, f := range filters {
			switch f {
			case "position":
				keep = keep || !pos.count.IsZero()
			case "total_traded":
				keep = keep || !pos.traded.IsZero()
			}
		}
		if keep {
			list = append(list, t)
		}
	}
	pg, next, err := page(list, func(t string) string { return t }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, x.positionsPage(a, pg, next))
}

// GetFills lists the fills of every subaccount, or of the one asked for (a
// key restricted to a subaccount sees only its own), newest first.
func (h *handlers) GetFills(w http.ResponseWriter, r *http.Request, p gen.GetFillsParams) {
	sub, err := scopedSubaccount(r, p.Subaccount)
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	ledgers, err := x.userLedgers(userOf(r), sub)
	if err != nil {
		writeError(w, err)
		return
	}
	key := func(f *fillRecord) string { return newestFirstKey(f.seq) + f.id }
	list := newestFirst(ledgers, func(a *account) []*fillRecord { return a.fills }, func(f *fillRecord) bool {
		switch {
		case x.fillArchived(f),
			p.Ticker != nil && *p.Ticker != "" && f.ticker != *p.Ticker,
			p.OrderID != nil && *p.OrderID != "" && f.orderID != *p.OrderID,
			p.MinTS != nil && f.at.Unix() < *p.MinTS,
			p.MaxTS != nil && f.at.Unix() > *p.MaxTS,
			p.ExchangeIndex != nil && *p.ExchangeIndex != 0: // every market trades on shard 0
			return false
		}
		return true
	}, key)
	pg, next, err := page(list, key, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetFillsResponse{Cursor: next, Fills: make([]gen.Fill, 0, len(pg))}
	for _, f := range pg {
		out.Fills = append(out.Fills, f.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// GetSettlements lists the settlements of every subaccount, or of the one
// asked for (a key restricted to a subaccount sees only its own), newest
// first.
func (h *handlers) GetSettlements(w http.ResponseWriter, r *http.Request, p gen.GetSettlementsParams) {
	sub, err := scopedSubaccount(r, p.Subaccount)
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	ledgers, err := x.userLedgers(userOf(r), sub)
	if err != nil {
		writeError(w, err)
		return
	}
	key := func(s *settlementRecord) string { return newestFirstKey(s.seq) }
	list := newestFirst(ledgers, func(a *account) []*settlementRecord { return a.settlements }, func(s *settlementRecord) bool {
		switch {
		case p.Ticker != nil && *p.Ticker != "" && s.ticker != *p.Ticker,
			p.EventTicker != nil && *p.EventTicker != "" && s.eventTicker != *p.EventTicker,
			p.MinTS != nil && s.at.Unix() < *p.MinTS,
			p.MaxTS != nil && s.at.Unix() > *p.MaxTS:
			return false
		}
		return true
	}, key)
	pg, next, err := page(list, key, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetSettlementsResponse{Cursor: &next, Settlements: make([]gen.Settlement, 0, len(pg))}
	for _, s := range pg {
		out.Settlements = append(out.Settlements, s.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// positionsPage renders one page of an account's positions, by market and
// totalled by event in the order the events first appear.
func (x *exchange) positionsPage(a *account, tickers []string, next string) gen.GetPositionsResponse {
	out := gen.GetPositionsResponse{MarketPositions: []gen.MarketPosition{}, EventPositions: []gen.EventPosition{}, Cursor: &next}
	events := map[string]*gen.EventPosition{}
	var eventOrder []string
	for _, t := range tickers {
		pos := a.positions[t]
		out.MarketPositions = append(out.MarketPositions, pos.api(t))
		ev := t
		if m := x.markets[t]; m != nil {
			ev = m.eventTicker
		}
		e := events[ev]
		if e == nil {
			e = &gen.EventPosition{EventTicker: ev}
			events[ev] = e
			eventOrder = append(eventOrder, ev)
		}
		e.EventExposureDollars = e.EventExposureDollars.Add(pos.exposure)
		e.FeesPaidDollars = e.FeesPaidDollars.Add(pos.fees)
		e.RealizedPNLDollars = e.RealizedPNLDollars.Add(pos.realized)
		e.TotalCostDollars = e.TotalCostDollars.Add(pos.exposure)
		e.TotalCostSharesFp = e.TotalCostSharesFp.Add(pos.count.Abs())
	}
	for _, ev := range eventOrder {
		out.EventPositions = append(out.EventPositions, *events[ev])
	}
	return out
}
