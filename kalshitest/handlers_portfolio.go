package kalshitest

import (
	"net/http"
	"sort"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// GetBalance answers the available cash (resting orders' cost is held
// out of it) and the positions marked at their markets' last prices.
func (h *handlers) GetBalance(w http.ResponseWriter, r *http.Request, _ gen.GetBalanceParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	a := x.account(userOf(r))
	cents, _ := a.balance.Cents()
	pv, _ := x.portfolioValue(a).Cents()
	writeJSON(w, http.StatusOK, gen.GetBalanceResponse{
		Balance:          cents,
		BalanceDollars:   a.balance,
		BalanceBreakdown: &[]gen.IndexedBalance{{Balance: a.balance, ExchangeIndex: 0}},
		PortfolioValue:   pv,
		UpdatedTS:        a.updated.Unix(),
	})
}

func (h *handlers) GetPortfolioRestingOrderTotalValue(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	total := x.account(userOf(r)).reservedTotal()
	cents, _ := total.Cents()
	writeJSON(w, http.StatusOK, gen.GetPortfolioRestingOrderTotalValueResponse{
		TotalRestingOrderValue:     int(cents),
		RestingOrderValueBreakdown: []gen.IndexedBalance{{Balance: total}},
	})
}

// GetPositions lists market positions (by default those with a position
// or resting orders, like Kalshi; count_filter=position or total_traded
// narrows it) and their events' totals.
func (h *handlers) GetPositions(w http.ResponseWriter, r *http.Request, p gen.GetPositionsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	a := x.account(userOf(r))
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
	out := gen.GetPositionsResponse{MarketPositions: []gen.MarketPosition{}, EventPositions: []gen.EventPosition{}, Cursor: &next}
	events := map[string]*gen.EventPosition{}
	var eventOrder []string
	for _, t := range pg {
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
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) GetFills(w http.ResponseWriter, r *http.Request, p gen.GetFillsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	a := x.account(userOf(r))
	var list []*fillRecord
	for i := len(a.fills) - 1; i >= 0; i-- { // newest first
		f := a.fills[i]
		switch {
		case x.fillArchived(f),
			p.Ticker != nil && *p.Ticker != "" && f.ticker != *p.Ticker,
			p.OrderID != nil && *p.OrderID != "" && f.orderID != *p.OrderID,
			p.MinTS != nil && f.at.Unix() < *p.MinTS,
			p.MaxTS != nil && f.at.Unix() > *p.MaxTS,
			p.Subaccount != nil && *p.Subaccount != 0:
			continue
		}
		list = append(list, f)
	}
	pg, next, err := page(list, func(f *fillRecord) string { return newestFirstKey(f.seq) + f.id }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
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

func (h *handlers) GetSettlements(w http.ResponseWriter, r *http.Request, p gen.GetSettlementsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	a := x.account(userOf(r))
	var list []*settlementRecord
	for i := len(a.settlements) - 1; i >= 0; i-- {
		s := a.settlements[i]
		switch {
		case p.Ticker != nil && *p.Ticker != "" && s.ticker != *p.Ticker,
			p.EventTicker != nil && *p.EventTicker != "" && s.eventTicker != *p.EventTicker,
			p.MinTS != nil && s.at.Unix() < *p.MinTS,
			p.MaxTS != nil && s.at.Unix() > *p.MaxTS:
			continue
		}
		list = append(list, s)
	}
	pg, next, err := page(list, func(s *settlementRecord) string { return newestFirstKey(s.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
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
