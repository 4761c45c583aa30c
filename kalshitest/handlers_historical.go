package kalshitest

import (
	"net/http"
	"sort"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// The /historical endpoints: the records on the far side of the cutoffs
// (historical.go), with the same filters, order and cursors as their live
// counterparts.

func (h *handlers) GetHistoricalCutoff(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c := x.historicalCutoff()
	writeJSON(w, http.StatusOK, gen.GetHistoricalCutoffResponse{
		MarketSettledTS:              c.MarketSettled,
		TradesCreatedTS:              c.TradesCreated,
		OrdersUpdatedTS:              c.OrdersUpdated,
		MarketPositionsLastUpdatedTS: ptr(c.PositionsUpdated),
	})
}

// GetHistoricalMarkets lists archived markets in listing order. The
// tickers, event_ticker and series_ticker filters cannot be combined, as
// the spec says; the fake has no multivariate markets, so mve_filter
// changes nothing.
func (h *handlers) GetHistoricalMarkets(w http.ResponseWriter, r *http.Request, p gen.GetHistoricalMarketsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	tickers := splitList(strOr(p.Tickers))
	event, series := strOr(p.EventTicker), strOr(p.SeriesTicker)
	filters := 0
	for _, set := range []bool{len(tickers) > 0, event != "", series != ""} {
		if set {
			filters++
		}
	}
	if filters > 1 {
		writeError(w, errBadRequest("tickers, event_ticker and series_ticker cannot be combined"))
		return
	}
	c := x.historicalCutoff()
	var list []*marketState
	for _, m := range x.sortedMarkets() {
		switch {
		case !c.archivedMarket(m),
			len(tickers) > 0 && !contains(tickers, m.ticker),
			event != "" && m.eventTicker != event,
			series != "" && m.seriesTicker != series:
			continue
		}
		list = append(list, m)
	}
	pg, next, err := page(list, func(m *marketState) string { return seqKey(m.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetMarketsResponse{Cursor: next, Markets: make([]gen.Market, 0, len(pg))}
	for _, m := range pg {
		out.Markets = append(out.Markets, m.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// historicalMarket returns the archived market ticker, or not_found for a
// market that is unknown or still live.
func (x *exchange) historicalMarket(ticker string) (*marketState, error) {
	m, ok := x.markets[ticker]
	if !ok || !x.historicalCutoff().archivedMarket(m) {
		return nil, errNotFound()
	}
	return m, nil
}

func (h *handlers) GetHistoricalMarket(w http.ResponseWriter, r *http.Request, ticker gen.TickerPath) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, err := x.historicalMarket(ticker)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.GetMarketResponse{Market: m.api()})
}

// GetMarketCandlesticksHistorical answers an archived market's candlesticks,
// computed from its trades like the live ones.
func (h *handlers) GetMarketCandlesticksHistorical(w http.ResponseWriter, r *http.Request, ticker string, p gen.GetMarketCandlesticksHistoricalParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, err := x.historicalMarket(ticker)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.GetMarketCandlesticksHistoricalResponse{
		Ticker:       ticker,
		Candlesticks: x.historicalCandles(m, p.StartTS, p.EndTS, int(p.PeriodInterval)),
	})
}

// historicalCandles is m.candles in the archive's shape, with each
// period's volume-weighted mean price, the last price before it, and the
// open interest at its end replayed from every account's fills.
func (x *exchange) historicalCandles(m *marketState, start, end int64, minutes int) []gen.MarketCandlestickHistorical {
	live := m.candles(start, end, minutes)
	period := int64(minutes) * 60
	openInterest := x.openInterestAt(m)
	out := make([]gen.MarketCandlestickHistorical, 0, len(live))
	var previous *money.Dollars
	k := 0 // m.trades[:k] happened before the current period
	for _, c := range live {
		from := c.EndPeriodTS - period
		for ; k < len(m.trades) && m.trades[k].at.Unix() <= from; k++ {
			previous = ptr(m.trades[k].price)
		}
		var volume money.Count
		notional := money.Zero
		for _, t := range m.trades[k:] {
			if t.at.Unix() > c.EndPeriodTS {
				break
			}
			volume = volume.Add(t.count)
			notional = notional.Add(t.price.Mul(t.count))
		}
		mean, _ := averages(volume, notional, money.Zero)
		out = append(out, gen.MarketCandlestickHistorical{
			EndPeriodTS:  c.EndPeriodTS,
			OpenInterest: openInterest(c.EndPeriodTS),
			Volume:       c.VolumeFp,
			YesBid:       gen.BidAskDistributionHistorical{Open: c.YesBid.OpenDollars, High: c.YesBid.HighDollars, Low: c.YesBid.LowDollars, Close: c.YesBid.CloseDollars},
			YesAsk:       gen.BidAskDistributionHistorical{Open: c.YesAsk.OpenDollars, High: c.YesAsk.HighDollars, Low: c.YesAsk.LowDollars, Close: c.YesAsk.CloseDollars},
			Price: gen.PriceDistributionHistorical{
				Open: c.Price.OpenDollars, High: c.Price.HighDollars, Low: c.Price.LowDollars, Close: c.Price.CloseDollars,
				Mean: mean, Previous: previous,
			},
		})
	}
	return out
}

// openInterestAt returns m's open interest at the end of a second (Unix
// time): the long contracts held after every fill until then, replayed
// from all accounts' fills, and none once the market settled.
func (x *exchange) openInterestAt(m *marketState) func(ts int64) money.Count {
	var fills []*fillRecord
	users := map[*fillRecord]string{}
	for u, a := range x.accounts {
		for _, f := range a.fills {
			if f.ticker == m.ticker {
				fills = append(fills, f)
				users[f] = u
			}
		}
	}
	sort.SliceStable(fills, func(i, j int) bool { return fills[i].seq < fills[j].seq })
	times := make([]int64, len(fills))
	after := make([]money.Count, len(fills))
	held := map[string]money.Count{}
	var oi money.Count
	for i, f := range fills {
		before := maxCount(held[users[f]], money.Count{})
		if f.side == bid {
			held[users[f]] = held[users[f]].Add(f.count)
		} else {
			held[users[f]] = held[users[f]].Sub(f.count)
		}
		oi = oi.Add(maxCount(held[users[f]], money.Count{}).Sub(before))
		times[i], after[i] = f.at.Unix(), oi
	}
	return func(ts int64) money.Count {
		if m.status == "finalized" && !m.settledAt.IsZero() && m.settledAt.Unix() <= ts {
			return money.Count{}
		}
		n := sort.Search(len(times), func(i int) bool { return times[i] > ts })
		if n == 0 {
			return money.Count{}
		}
		return after[n-1]
	}
}

// GetTradesHistorical lists public trades before the trades cutoff, newest
// first. An unknown ticker is not_found; the fake has no block trades.
func (h *handlers) GetTradesHistorical(w http.ResponseWriter, r *http.Request, p gen.GetTradesHistoricalParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	src := x.trades
	if t := strOr(p.Ticker); t != "" {
		m, ok := x.markets[t]
		if !ok {
			writeError(w, errNotFound())
			return
		}
		src = m.trades
	}
	c := x.historicalCutoff()
	var list []*tradeRecord
	for i := len(src) - 1; i >= 0; i-- { // newest first
		t := src[i]
		switch {
		case !c.archivedTrade(t.at),
			p.MinTS != nil && t.at.Unix() < *p.MinTS,
			p.MaxTS != nil && t.at.Unix() > *p.MaxTS,
			p.IsBlockTrade != nil && *p.IsBlockTrade:
			continue
		}
		list = append(list, t)
	}
	pg, next, err := page(list, func(t *tradeRecord) string { return newestFirstKey(t.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetTradesResponse{Cursor: next, Trades: make([]gen.Trade, 0, len(pg))}
	for _, t := range pg {
		out.Trades = append(out.Trades, t.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// GetFillsHistorical lists the caller's fills before the trades cutoff,
// newest first, filtered and keyed as GetFills is.
func (h *handlers) GetFillsHistorical(w http.ResponseWriter, r *http.Request, p gen.GetFillsHistoricalParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	a := x.account(userOf(r))
	c := x.historicalCutoff()
	var list []*fillRecord
	for i := len(a.fills) - 1; i >= 0; i-- { // newest first
		f := a.fills[i]
		switch {
		case !c.archivedTrade(f.at),
			p.Ticker != nil && *p.Ticker != "" && f.ticker != *p.Ticker,
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

// GetHistoricalOrders lists the caller's orders canceled or fully executed
// before the orders cutoff, newest placed first, as GetOrders lists them.
func (h *handlers) GetHistoricalOrders(w http.ResponseWriter, r *http.Request, p gen.GetHistoricalOrdersParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	a := x.account(userOf(r))
	c := x.historicalCutoff()
	var list []*order
	for i := len(a.orders) - 1; i >= 0; i-- { // newest first
		o := a.orders[i]
		switch {
		case !c.archivedOrder(o),
			p.Ticker != nil && *p.Ticker != "" && o.ticker != *p.Ticker,
			p.MinTS != nil && o.created.Unix() < *p.MinTS,
			p.MaxTS != nil && o.created.Unix() > *p.MaxTS,
			p.Subaccount != nil && *p.Subaccount != o.subaccount:
			continue
		}
		list = append(list, o)
	}
	pg, next, err := page(list, func(o *order) string { return newestFirstKey(o.placed) + o.id }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetOrdersResponse{Cursor: next, Orders: make([]gen.Order, 0, len(pg))}
	for _, o := range pg {
		out.Orders = append(out.Orders, o.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// GetHistoricalPositions lists the caller's archived positions by ticker,
// with their events' totals. The fake's positions are all in the primary
// account, so another subaccount has none.
func (h *handlers) GetHistoricalPositions(w http.ResponseWriter, r *http.Request, p gen.GetHistoricalPositionsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	a := x.account(userOf(r))
	c := x.historicalCutoff()
	tickers := make([]string, 0, len(a.positions))
	for t := range a.positions {
		tickers = append(tickers, t)
	}
	sort.Strings(tickers)
	var list []string
	for _, t := range tickers {
		switch {
		case !x.archivedPosition(c, a, t),
			p.Ticker != nil && *p.Ticker != "" && t != *p.Ticker,
			p.EventTicker != nil && *p.EventTicker != "" && x.markets[t].eventTicker != *p.EventTicker,
			p.Subaccount != nil && *p.Subaccount != 0:
			continue
		}
		list = append(list, t)
	}
	pg, next, err := page(list, func(t string) string { return t }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetPositionsResponse{MarketPositions: make([]gen.MarketPosition, 0, len(pg)), EventPositions: []gen.EventPosition{}, Cursor: &next}
	events := map[string]int{} // event ticker -> index in EventPositions
	for _, t := range pg {
		pos := a.positions[t]
		out.MarketPositions = append(out.MarketPositions, pos.api(t))
		ev := x.markets[t].eventTicker
		i, ok := events[ev]
		if !ok {
			i = len(out.EventPositions)
			events[ev] = i
			out.EventPositions = append(out.EventPositions, gen.EventPosition{EventTicker: ev})
		}
		e := &out.EventPositions[i]
		e.EventExposureDollars = e.EventExposureDollars.Add(pos.exposure)
		e.FeesPaidDollars = e.FeesPaidDollars.Add(pos.fees)
		e.RealizedPNLDollars = e.RealizedPNLDollars.Add(pos.realized)
		e.TotalCostDollars = e.TotalCostDollars.Add(pos.exposure)
		e.TotalCostSharesFp = e.TotalCostSharesFp.Add(pos.count.Abs())
	}
	writeJSON(w, http.StatusOK, out)
}
