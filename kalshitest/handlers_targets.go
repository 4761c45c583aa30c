package kalshitest

import (
	"net/http"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// structuredTarget is a real-world entity markets refer to: the teams of
// the generated games and their players.
type structuredTarget struct {
	id, name, kind, sourceID string
	details                  map[string]any
	updated                  time.Time
	seq                      uint64 // listing order
}

// addTarget lists a structured target (seeding only).
func (x *exchange) addTarget(t *structuredTarget) {
	ld := &x.liveData
	t.seq = uint64(len(ld.targets)) + 1
	ld.targets = append(ld.targets, t)
	ld.targetByID[t.id] = t
}

func (t *structuredTarget) api() gen.StructuredTarget {
	d := copyDetails(t.details)
	out := gen.StructuredTarget{
		Details: &d, ID: ptr(t.id), LastUpdatedTS: ptr(t.updated), Name: ptr(t.name), Type: ptr(t.kind),
	}
	if t.sourceID != "" {
		out.SourceID = ptr(t.sourceID)
		out.SourceIds = &map[string]string{"sportradar": t.sourceID}
	}
	return out
}

// inCompetition reports whether the target's league, conference,
// division or tour, or one of its leagues, is competition.
func (t *structuredTarget) inCompetition(competition string) bool {
	for _, k := range []string{"league", "conference", "division", "tour"} {
		if s, ok := t.details[k].(string); ok && strings.EqualFold(s, competition) {
			return true
		}
	}
	if l, ok := t.details["leagues"].([]string); ok {
		return anyIn([]string{competition}, l)
	}
	return false
}

func (h *handlers) GetStructuredTargets(w http.ResponseWriter, r *http.Request, p gen.GetStructuredTargetsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	var ids []string
	if p.Ids != nil {
		for _, id := range *p.Ids {
			ids = append(ids, splitList(id)...)
		}
	}
	var list []*structuredTarget
	for _, t := range x.liveData.targets {
		switch {
		case p.Ids != nil && !contains(ids, t.id),
			strOr(p.Type) != "" && t.kind != *p.Type,
			strOr(p.Competition) != "" && !t.inCompetition(*p.Competition):
			continue
		}
		list = append(list, t)
	}
	pg, next, err := page(list, func(t *structuredTarget) string { return seqKey(t.seq) }, strOr(p.Cursor), intOr(p.PageSize, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := make([]gen.StructuredTarget, 0, len(pg))
	for _, t := range pg {
		out = append(out, t.api())
	}
	writeJSON(w, http.StatusOK, gen.GetStructuredTargetsResponse{StructuredTargets: &out, Cursor: ptr(next)})
}

func (h *handlers) GetStructuredTarget(w http.ResponseWriter, r *http.Request, id string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	t, ok := x.liveData.targetByID[id]
	if !ok {
		writeError(w, errNotFound())
		return
	}
	v := t.api()
	writeJSON(w, http.StatusOK, gen.GetStructuredTargetResponse{StructuredTarget: &v})
}
