package kalshitest

import (
	"net/http"
	"sort"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// statusMatches maps the list filters' status words (unopened, open,
// paused, closed, settled) onto market lifecycle states.
func statusMatches(filter, status string) bool {
	switch filter {
	case "":
		return true
	case "unopened":
		return status == "initialized"
	case "open":
		return status == "active"
	case "paused":
		return status == "inactive"
	case "closed":
		return status == "closed" || status == "determined"
	case "settled":
		return status == "finalized" || status == "settled"
	}
	return false
}

func (h *handlers) GetMarkets(w http.ResponseWriter, r *http.Request, p gen.GetMarketsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	tickers := splitList(strOr(p.Tickers))
	status := ""
	if p.Status != nil {
		status = string(*p.Status)
	}
	var list []*marketState
	for _, m := range x.sortedMarkets() {
		switch {
		case x.marketArchived(m),
			p.EventTicker != nil && *p.EventTicker != "" && m.eventTicker != *p.EventTicker,
			p.SeriesTicker != nil && *p.SeriesTicker != "" && m.seriesTicker != *p.SeriesTicker,
			len(tickers) > 0 && !contains(tickers, m.ticker),
			!statusMatches(status, m.status),
			p.MinCloseTS != nil && m.close.Unix() < *p.MinCloseTS,
			p.MaxCloseTS != nil && m.close.Unix() > *p.MaxCloseTS,
			p.MinCreatedTS != nil && m.created.Unix() < *p.MinCreatedTS,
			p.MaxCreatedTS != nil && m.created.Unix() > *p.MaxCreatedTS,
			p.MinUpdatedTS != nil && m.updated.Unix() < *p.MinUpdatedTS,
			p.MaxUpdatedTS != nil && m.updated.Unix() > *p.MaxUpdatedTS,
			p.MinSettledTS != nil && (m.settledAt.IsZero() || m.settledAt.Unix() < *p.MinSettledTS),
			p.MaxSettledTS != nil && (m.settledAt.IsZero() || m.settledAt.Unix() > *p.MaxSettledTS):
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

func (h *handlers) GetMarket(w http.ResponseWriter, r *http.Request, ticker gen.TickerPath) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, ok := x.markets[ticker]
	if !ok || x.marketArchived(m) {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetMarketResponse{Market: m.api()})
}

func (m *marketState) orderbook(depth int) gen.OrderbookCountFp {
	return gen.OrderbookCountFp{YesDollars: m.book.depth(bid, depth), NoDollars: m.book.depth(ask, depth)}
}

func (h *handlers) GetMarketOrderbook(w http.ResponseWriter, r *http.Request, ticker gen.TickerPath, p gen.GetMarketOrderbookParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	m, ok := x.markets[ticker]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetMarketOrderbookResponse{OrderbookFp: m.orderbook(intOr(p.Depth, 0))})
}

func (h *handlers) GetMarketOrderbooks(w http.ResponseWriter, r *http.Request, p gen.GetMarketOrderbooksParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	out := gen.GetMarketOrderbooksResponse{Orderbooks: []gen.MarketOrderbookFp{}}
	for _, t := range p.Tickers {
		for _, t := range splitList(t) {
			m, ok := x.markets[t]
			if !ok {
				writeError(w, errNotFound())
				return
			}
			out.Orderbooks = append(out.Orderbooks, gen.MarketOrderbookFp{Ticker: t, OrderbookFp: m.orderbook(0)})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) GetTrades(w http.ResponseWriter, r *http.Request, p gen.GetTradesParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	src := x.trades
	if t := strOr(p.Ticker); t != "" {
		m, ok := x.markets[t]
		if !ok {
			writeJSON(w, http.StatusOK, gen.GetTradesResponse{Trades: []gen.Trade{}})
			return
		}
		src = m.trades
	}
	var list []*tradeRecord
	for i := len(src) - 1; i >= 0; i-- { // newest first
		t := src[i]
		if (p.MinTS != nil && t.at.Unix() < *p.MinTS) || (p.MaxTS != nil && t.at.Unix() > *p.MaxTS) {
			continue
		}
		if p.IsBlockTrade != nil && *p.IsBlockTrade {
			continue // the fake has no block trades
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

// maxCandles caps one candlestick answer, as Kalshi caps its ranges.
const maxCandles = 10000

// candles builds a market's candlesticks from its trades: one per period
// that ends in [start, end], with the book's current best bid and ask.
func (m *marketState) candles(start, end int64, minutes int) []gen.MarketCandlestick {
	period := int64(minutes) * 60
	if period <= 0 || end < start {
		return []gen.MarketCandlestick{}
	}
	yesBid, _, _ := m.book.best(bid)
	yesAsk, _, ok := m.book.best(ask)
	if !ok {
		yesAsk = money.One
	}
	first := (start + period - 1) / period * period
	out := []gen.MarketCandlestick{}
	for endTS := first; endTS <= end && len(out) < maxCandles; endTS += period {
		c := gen.MarketCandlestick{
			EndPeriodTS:    endTS,
			OpenInterestFp: m.openInterest,
			YesBid:         gen.BidAskDistribution{OpenDollars: yesBid, HighDollars: yesBid, LowDollars: yesBid, CloseDollars: yesBid},
			YesAsk:         gen.BidAskDistribution{OpenDollars: yesAsk, HighDollars: yesAsk, LowDollars: yesAsk, CloseDollars: yesAsk},
		}
		var open, high, low, closing *money.Dollars
		for _, t := range m.trades {
			ts := t.at.Unix()
			if ts <= endTS-period || ts > endTS {
				continue
			}
			p := t.price
			if open == nil {
				open, high, low = ptr(p), ptr(p), ptr(p)
			}
			if p.Cmp(*high) > 0 {
				high = ptr(p)
			}
			if p.Cmp(*low) < 0 {
				low = ptr(p)
			}
			closing = ptr(p)
			c.VolumeFp = c.VolumeFp.Add(t.count)
		}
		c.Price = gen.PriceDistribution{OpenDollars: open, HighDollars: high, LowDollars: low, CloseDollars: closing}
		out = append(out, c)
	}
	return out
}

func (h *handlers) GetMarketCandlesticks(w http.ResponseWriter, r *http.Request, seriesTicker, ticker string, p gen.GetMarketCandlesticksParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, ok := x.markets[ticker]
	if !ok || m.seriesTicker != seriesTicker || x.marketArchived(m) {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetMarketCandlesticksResponse{Ticker: ticker, Candlesticks: m.candles(p.StartTS, p.EndTS, int(p.PeriodInterval))})
}

func (h *handlers) BatchGetMarketCandlesticks(w http.ResponseWriter, r *http.Request, p gen.BatchGetMarketCandlesticksParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	out := gen.BatchGetMarketCandlesticksResponse{Markets: []gen.MarketCandlesticksResponse{}}
	for _, t := range splitList(p.MarketTickers) {
		m, ok := x.markets[t]
		if !ok || x.marketArchived(m) {
			continue
		}
		out.Markets = append(out.Markets, gen.MarketCandlesticksResponse{MarketTicker: t, Candlesticks: m.candles(p.StartTS, p.EndTS, int(p.PeriodInterval))})
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) GetSeriesList(w http.ResponseWriter, r *http.Request, p gen.GetSeriesListParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	out := gen.GetSeriesListResponse{Series: []gen.Series{}}
	tags := splitList(strOr(p.Tags))
	for _, t := range x.seriesOrder {
		s := x.series[t]
		if p.Category != nil && *p.Category != "" && !strings.EqualFold(s.category, *p.Category) {
			continue
		}
		if len(tags) > 0 && !anyIn(tags, s.tags) {
			continue
		}
		out.Series = append(out.Series, s.api())
	}
	writeJSON(w, http.StatusOK, out)
}

func anyIn(want, have []string) bool {
	for _, w := range want {
		for _, h := range have {
			if strings.EqualFold(w, h) {
				return true
			}
		}
	}
	return false
}

func (h *handlers) GetSeries(w http.ResponseWriter, r *http.Request, seriesTicker string, _ gen.GetSeriesParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.series[seriesTicker]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetSeriesResponse{Series: s.api()})
}

// eventStatus is an event's state for the status filter: open while any
// of its markets is open.
func (x *exchange) eventStatus(e *eventState) string {
	best := ""
	rank := map[string]int{"": 0, "finalized": 1, "closed": 2, "initialized": 3, "active": 4}
	for _, t := range e.markets {
		if s := x.markets[t].status; rank[s] > rank[best] {
			best = s
		}
	}
	return best
}

func (x *exchange) eventMarkets(e *eventState) []gen.Market {
	out := make([]gen.Market, 0, len(e.markets))
	for _, t := range e.markets {
		if m := x.markets[t]; !x.marketArchived(m) {
			out = append(out, m.api())
		}
	}
	return out
}

func (h *handlers) GetEvents(w http.ResponseWriter, r *http.Request, p gen.GetEventsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	tickers := splitList(strOr(p.Tickers))
	var list []*eventState
	for _, t := range x.eventOrder {
		e := x.events[t]
		if p.SeriesTicker != nil && *p.SeriesTicker != "" && e.seriesTicker != *p.SeriesTicker {
			continue
		}
		if len(tickers) > 0 && !contains(tickers, e.ticker) {
			continue
		}
		if p.Status != nil && !statusMatches(string(*p.Status), x.eventStatus(e)) {
			continue
		}
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ticker < list[j].ticker })
	pg, next, err := page(list, func(e *eventState) string { return e.ticker }, strOr(p.Cursor), intOr(p.Limit, 200), 200)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetEventsResponse{Cursor: next, Events: make([]gen.EventData, 0, len(pg))}
	nested := p.WithNestedMarkets != nil && *p.WithNestedMarkets
	for _, e := range pg {
		var ms []gen.Market
		if nested {
			ms = x.eventMarkets(e)
		}
		out.Events = append(out.Events, e.api(ms))
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) GetEvent(w http.ResponseWriter, r *http.Request, eventTicker string, p gen.GetEventParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.events[eventTicker]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	ms := x.eventMarkets(e)
	if p.WithNestedMarkets != nil && *p.WithNestedMarkets {
		writeJSON(w, http.StatusOK, gen.GetEventResponse{Event: e.api(ms), Markets: []gen.Market{}})
		return
	}
	writeJSON(w, http.StatusOK, gen.GetEventResponse{Event: e.api(nil), Markets: ms})
}
