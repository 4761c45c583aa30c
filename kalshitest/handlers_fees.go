package kalshitest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// GetSeriesFeeChanges lists the fee changes of every series, or of one,
// soonest first: only those still ahead unless show_historical is set.
func (h *handlers) GetSeriesFeeChanges(w http.ResponseWriter, r *http.Request, p gen.GetSeriesFeeChangesParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	series := strOr(p.SeriesTicker)
	historical := p.ShowHistorical != nil && *p.ShowHistorical
	var list []*seriesFeeChange
	for _, c := range x.multivariate.fees.series {
		if (series != "" && c.seriesTicker != series) || (!historical && !c.at.After(now)) {
			continue
		}
		list = append(list, c)
	}
	slices.SortStableFunc(list, func(a, b *seriesFeeChange) int { return a.at.Compare(b.at) })
	out := gen.GetSeriesFeeChangesResponse{SeriesFeeChangeArr: make([]gen.SeriesFeeChange, 0, len(list))}
	for _, c := range list {
		out.SeriesFeeChangeArr = append(out.SeriesFeeChangeArr, c.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// GetEventFeeChanges lists the fee override changes of every event, or of
// one, by the time they take effect, past and scheduled alike.
func (h *handlers) GetEventFeeChanges(w http.ResponseWriter, r *http.Request, p gen.GetEventFeeChangesParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	event := strOr(p.EventTicker)
	var list []*eventFeeChange
	for _, c := range x.multivariate.fees.events {
		if event == "" || c.eventTicker == event {
			list = append(list, c)
		}
	}
	key := func(c *eventFeeChange) string { return feeChangeKey(c.at, c.seq) }
	slices.SortFunc(list, func(a, b *eventFeeChange) int { return strings.Compare(key(a), key(b)) })
	pg, next, err := page(list, key, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetEventFeeChangesResponse{Cursor: next, EventFeeChanges: make([]gen.EventFeeChange, 0, len(pg))}
	for _, c := range pg {
		out.EventFeeChanges = append(out.EventFeeChanges, c.api())
	}
	writeJSON(w, http.StatusOK, out)
}
