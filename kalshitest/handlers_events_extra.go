package kalshitest

import (
	"fmt"
	"net/http"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// maxEventCandles caps the candlesticks of one event answer, summed over
// its markets; a longer range is cut short and adjusted_end_ts says where.
const maxEventCandles = 5000

// maxForecastPoints caps the periods of one forecast history answer.
const maxForecastPoints = 5000

// GetEventMetadata returns an event's images, market colors, settlement
// sources and competition.
func (h *handlers) GetEventMetadata(w http.ResponseWriter, r *http.Request, eventTicker string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.events[eventTicker]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, x.eventMetadata(e))
}

// eventInSeries returns an event named in a path under its series, or not found.
func (x *exchange) eventInSeries(seriesTicker, eventTicker string) (*eventState, error) {
	e, ok := x.events[eventTicker]
	if !ok || e.seriesTicker != seriesTicker {
		return nil, errNotFound()
	}
	return e, nil
}

// candlePeriodEnds returns the first period end at or after start, and how many
// period ends fall in [start, end].
func candlePeriodEnds(start, end, period int64) (first, n int64) {
	if period <= 0 || end < start {
		return 0, 0
	}
	first = (start + period - 1) / period * period
	if first > end {
		return first, 0
	}
	return first, (end-first)/period + 1
}

// GetMarketCandlesticksByEvent returns the candlesticks of every market of
// an event, built from its trades as GetMarketCandlesticks builds them.
func (h *handlers) GetMarketCandlesticksByEvent(w http.ResponseWriter, r *http.Request, seriesTicker, ticker string, p gen.GetMarketCandlesticksByEventParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	e, err := x.eventInSeries(seriesTicker, ticker)
	if err != nil {
		writeError(w, err)
		return
	}
	end := p.EndTS
	period := int64(p.PeriodInterval) * 60
	if first, n := candlePeriodEnds(p.StartTS, p.EndTS, period); len(e.markets) > 0 && n*int64(len(e.markets)) > maxEventCandles {
		per := max(int64(maxEventCandles/len(e.markets)), 1)
		end = first + (per-1)*period
	}
	out := gen.GetEventCandlesticksResponse{
		AdjustedEndTS:      end,
		MarketTickers:      make([]string, 0, len(e.markets)),
		MarketCandlesticks: make([][]gen.MarketCandlestick, 0, len(e.markets)),
	}
	for _, t := range e.markets {
		out.MarketTickers = append(out.MarketTickers, t)
		out.MarketCandlesticks = append(out.MarketCandlesticks, x.markets[t].candles(p.StartTS, end, int(p.PeriodInterval)))
	}
	writeJSON(w, http.StatusOK, out)
}

// GetEventForecastPercentilesHistory returns an event's numerical
// forecast at the requested percentiles, one point per period ending in
// [start_ts, end_ts] and no later than now.
func (h *handlers) GetEventForecastPercentilesHistory(w http.ResponseWriter, r *http.Request, seriesTicker, ticker string, p gen.GetEventForecastPercentilesHistoryParams) {
	if len(p.Percentiles) == 0 || len(p.Percentiles) > 10 {
		writeError(w, refuseParams(fmt.Sprintf("percentiles takes 1 to 10 values, got %d", len(p.Percentiles))))
		return
	}
	for _, pc := range p.Percentiles {
		if pc < 0 || pc > 9999 {
			writeError(w, refuseParams(fmt.Sprintf("percentile %d is outside 0 to 9999", pc)))
			return
		}
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	e, err := x.eventInSeries(seriesTicker, ticker)
	if err != nil {
		writeError(w, err)
		return
	}
	model, ok := x.forecast(e)
	if !ok {
		writeError(w, errNoForecast(e.ticker))
		return
	}
	period := int64(p.PeriodInterval) * 60
	if period == 0 {
		period = 5
	}
	first, n := candlePeriodEnds(p.StartTS, min(p.EndTS, x.now().Unix()), period)
	n = min(n, maxForecastPoints)
	out := gen.GetEventForecastPercentilesHistoryResponse{ForecastHistory: make([]gen.ForecastPercentilesPoint, 0, n)}
	for i := range n {
		ts := first + i*period
		pt := gen.ForecastPercentilesPoint{EventTicker: e.ticker, EndPeriodTS: ts, PeriodInterval: int32(p.PeriodInterval), PercentilePoints: make([]gen.PercentilePoint, 0, len(p.Percentiles))}
		for _, pc := range p.Percentiles {
			pt.PercentilePoints = append(pt.PercentilePoints, model.at(pc, ts))
		}
		out.ForecastHistory = append(out.ForecastHistory, pt)
	}
	writeJSON(w, http.StatusOK, out)
}
