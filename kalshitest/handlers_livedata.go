package kalshitest

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// errLiveParam is a refused live data parameter, naming the problem.
func errLiveParam(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", message: "bad request", details: details}
}

// cryptoRanges are the chart windows of crypto_price live data, the
// first the default.
var cryptoRanges = []struct {
	name string
	d    time.Duration
}{{"15min", 15 * time.Minute}, {"5min", 5 * time.Minute}, {"1h", time.Hour}}

// liveDetails is a milestone's live data at now (exchange lock held).
func (x *exchange) liveDetails(m *milestone, now time.Time, playerStats bool) map[string]any {
	switch m.kind {
	case kindBasketball:
		return m.game.liveDetails(now, playerStats)
	case kindCrypto:
		return x.cryptoDetails(m, now, 0)
	case kindWeather:
		return m.city.dayDetails(m, now, false)
	}
	return map[string]any{
		"type": m.kind, "status": m.status(now),
		"meeting_start": m.start.Format(time.RFC3339), "decision_expected": m.end.Format(time.RFC3339),
	}
}

// milestoneLive is a milestone's live data as GetLiveData answers it.
func (x *exchange) milestoneLive(m *milestone, now time.Time, playerStats bool) gen.LiveData {
	return gen.LiveData{Type: m.kind, MilestoneID: m.id, Details: x.liveDetails(m, now, playerStats)}
}

// cryptoDetails is the index value a crypto milestone follows: the
// current one, or once the fixing has passed the last one before it;
// with a window, also the 1 Hz values of that window up to then.
func (x *exchange) cryptoDetails(m *milestone, now time.Time, window time.Duration) map[string]any {
	s := x.liveData.indices.byID[m.index]
	d := map[string]any{
		"type": kindCrypto, "status": m.status(now), "index_id": m.index, "asset": indexAsset(m.index),
		"fixing_ts_ms": m.end.UnixMilli(),
	}
	if s == nil {
		return d
	}
	cut := now.UnixMilli()
	value, at := s.value, max(s.lastSlow, s.lastFast)
	if !now.Before(m.end) {
		// Frozen: the value fixed when a later one came, or until then
		// the latest, which is not later than the fixing.
		cut = m.end.UnixMilli()
		last := s.history[len(s.history)-1]
		if m.fixed != nil {
			last = *m.fixed
		}
		value, at = last.value, last.ts
	}
	d["value"], d["value_ts_ms"] = usdOf(value), at
	if window > 0 {
		points := []map[string]any{}
		for _, t := range s.history {
			if t.ts >= cut-window.Milliseconds() && t.ts <= cut {
				points = append(points, map[string]any{"ts_ms": t.ts, "value": usdOf(t.value)})
			}
		}
		d["timeseries"] = points
	}
	return d
}

// eventLiveData is the live data of an event: that of its milestone,
// with a chart for crypto prices and hourly observations for weather.
func (x *exchange) eventLiveData(m *milestone, now time.Time, rng string) (gen.EventLiveData, error) {
	out := gen.EventLiveData{Type: m.kind}
	switch m.kind {
	case kindCrypto:
		window := time.Duration(0)
		names := make([]string, 0, len(cryptoRanges))
		for _, r := range cryptoRanges {
			names = append(names, r.name)
			if r.name == rng || (rng == "" && window == 0) {
				window = r.d
			}
		}
		if rng != "" && !slices.Contains(names, rng) {
			return out, errLiveParam("range must be one of " + strings.Join(names, ", "))
		}
		out.Details = x.cryptoDetails(m, now, window)
		out.IsHistorical = ptr(!now.Before(m.end))
		out.DefaultRange = ptr(cryptoRanges[0].name)
		out.RangeOptions = &names
	case kindWeather:
		out.Details = m.city.dayDetails(m, now, true)
	default:
		out.Details = x.liveDetails(m, now, false)
	}
	return out, nil
}

func (h *handlers) GetMilestone(w http.ResponseWriter, r *http.Request, id string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, ok := x.liveData.milestones[id]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetMilestoneResponse{Milestone: m.api()})
}

func (h *handlers) GetMilestones(w http.ResponseWriter, r *http.Request, p gen.GetMilestonesParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	var list []*milestone
	for _, m := range x.liveData.byStart {
		switch {
		case p.MinimumStartDate != nil && m.start.Before(*p.MinimumStartDate),
			strOr(p.Category) != "" && !strings.EqualFold(m.category, *p.Category),
			strOr(p.Competition) != "" && !strings.EqualFold(m.competition, *p.Competition),
			strOr(p.SourceID) != "" && m.sourceID != *p.SourceID,
			strOr(p.Type) != "" && m.kind != *p.Type,
			strOr(p.RelatedEventTicker) != "" && m.eventTicker != *p.RelatedEventTicker,
			p.MinUpdatedTS != nil && m.updated.Unix() < *p.MinUpdatedTS:
			continue
		}
		list = append(list, m)
	}
	pg, next, err := page(list, (*milestone).key, strOr(p.Cursor), p.Limit, 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetMilestonesResponse{Milestones: make([]gen.Milestone, 0, len(pg)), Cursor: ptr(next)}
	for _, m := range pg {
		out.Milestones = append(out.Milestones, m.api())
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) GetLiveDataByMilestone(w http.ResponseWriter, r *http.Request, id string, p gen.GetLiveDataByMilestoneParams) {
	h.liveDataOf(w, "", id, p.IncludePlayerStats)
}

// GetLiveData is the legacy form, whose type must be the milestone's.
func (h *handlers) GetLiveData(w http.ResponseWriter, r *http.Request, kind, id string, p gen.GetLiveDataParams) {
	h.liveDataOf(w, kind, id, p.IncludePlayerStats)
}

func (h *handlers) liveDataOf(w http.ResponseWriter, kind, id string, playerStats *bool) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, ok := x.liveData.milestones[id]
	if !ok || (kind != "" && kind != m.kind) {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetLiveDataResponse{LiveData: x.milestoneLive(m, x.now(), playerStats != nil && *playerStats)})
}

// GetLiveDatas answers for the milestones found, in the order asked,
// each once; unknown IDs are left out.
func (h *handlers) GetLiveDatas(w http.ResponseWriter, r *http.Request, p gen.GetLiveDatasParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	out := gen.GetLiveDatasResponse{LiveDatas: []gen.LiveData{}}
	var seen []string
	for _, ids := range p.MilestoneIds {
		for _, id := range splitList(ids) {
			m, ok := x.liveData.milestones[id]
			if !ok || slices.Contains(seen, id) {
				continue
			}
			seen = append(seen, id)
			out.LiveDatas = append(out.LiveDatas, x.milestoneLive(m, now, p.IncludePlayerStats != nil && *p.IncludePlayerStats))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// GetGameStats answers the play-by-play of a game so far, and null for
// milestones that are not games.
func (h *handlers) GetGameStats(w http.ResponseWriter, r *http.Request, id string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m, ok := x.liveData.milestones[id]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	if m.game == nil {
		writeJSON(w, http.StatusOK, map[string]any{"pbp": nil})
		return
	}
	periods := []gen.PlayByPlayPeriod{}
	for _, events := range m.game.playByPlay(x.now()) {
		periods = append(periods, gen.PlayByPlayPeriod{Events: &events})
	}
	writeJSON(w, http.StatusOK, gen.GetGameStatsResponse{Pbp: &gen.PlayByPlay{Periods: &periods}})
}

func (h *handlers) GetEventLiveData(w http.ResponseWriter, r *http.Request, eventTicker string, p gen.GetEventLiveDataParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	ms := x.liveData.byEvent[eventTicker]
	if len(ms) == 0 {
		writeError(w, errNotFound())
		return
	}
	out, err := x.eventLiveData(ms[0], x.now(), strOr(p.Range))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.GetEventLiveDataResponse{LiveData: out})
}
