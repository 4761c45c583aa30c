package kalshitest

import (
	"net/http"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// GetMultivariateEventCollections lists the collections, filtered by
// status, associated event and series.
func (h *handlers) GetMultivariateEventCollections(w http.ResponseWriter, r *http.Request, p gen.GetMultivariateEventCollectionsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	var list []*collectionState
	for _, t := range x.multivariate.collectionOrder {
		c := x.multivariate.collections[t]
		if p.Status != nil && *p.Status != "" && c.status(now) != string(*p.Status) {
			continue
		}
		if ev := strOr(p.AssociatedEventTicker); ev != "" {
			if _, ok := c.associated(ev); !ok {
				continue
			}
		}
		if s := strOr(p.SeriesTicker); s != "" && c.seriesTicker != s {
			continue
		}
		list = append(list, c)
	}
	pg, next, err := page(list, func(c *collectionState) string { return seqKey(c.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetMultivariateEventCollectionsResponse{Cursor: next, MultivariateContracts: make([]gen.MultivariateEventCollection, 0, len(pg))}
	for _, c := range pg {
		out.MultivariateContracts = append(out.MultivariateContracts, c.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// GetMultivariateEventCollection returns one collection.
func (h *handlers) GetMultivariateEventCollection(w http.ResponseWriter, r *http.Request, collectionTicker string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, ok := x.multivariate.collections[collectionTicker]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetMultivariateEventCollectionResponse{MultivariateContract: c.api()})
}

// CreateMarketInMultivariateEventCollection returns the combo market of
// the selected legs, creating it and its event on first use.
func (h *handlers) CreateMarketInMultivariateEventCollection(w http.ResponseWriter, r *http.Request, collectionTicker string) {
	var body gen.CreateMarketInMultivariateEventCollectionRequest
	if err := decodeBody(r, &body); err != nil {
		writeError(w, err)
		return
	}
	legs := make([]comboLeg, 0, len(body.SelectedMarkets))
	for _, l := range body.SelectedMarkets {
		legs = append(legs, comboLeg{eventTicker: l.EventTicker, marketTicker: l.MarketTicker, side: string(l.Side)})
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	cb, _, err := x.createCombo(collectionTicker, legs, x.now())
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.CreateMarketInMultivariateEventCollectionResponse{EventTicker: cb.eventTicker, MarketTicker: cb.marketTicker}
	if body.WithMarketPayload != nil && *body.WithMarketPayload {
		out.Market = ptr(x.comboMarketAPI(cb))
	}
	writeJSON(w, http.StatusOK, out)
}

// GetMultivariateEvents lists the combo events created in collections,
// oldest first, by series or by collection (not both).
func (h *handlers) GetMultivariateEvents(w http.ResponseWriter, r *http.Request, p gen.GetMultivariateEventsParams) {
	series, collection := strOr(p.SeriesTicker), strOr(p.CollectionTicker)
	if series != "" && collection != "" {
		writeError(w, refuseParams("series_ticker and collection_ticker cannot be used together"))
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	var list []*comboState
	for _, cb := range x.multivariate.comboOrder {
		e := x.events[cb.eventTicker]
		if (series != "" && e.seriesTicker != series) || (collection != "" && cb.collection != collection) {
			continue
		}
		list = append(list, cb)
	}
	pg, next, err := page(list, func(cb *comboState) string { return seqKey(cb.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	nested := p.WithNestedMarkets != nil && *p.WithNestedMarkets
	out := gen.GetMultivariateEventsResponse{Cursor: next, Events: make([]gen.EventData, 0, len(pg))}
	for _, cb := range pg {
		var ms []gen.Market
		if nested {
			ms = []gen.Market{x.comboMarketAPI(cb)}
		}
		out.Events = append(out.Events, x.events[cb.eventTicker].api(ms))
	}
	writeJSON(w, http.StatusOK, out)
}
