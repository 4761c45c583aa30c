package kalshitest

import (
	"net/http"
	"slices"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// The search helpers are built from the series listed at the moment they
// are asked for, so a series added with AddMarket shows up in them.

// sportsSeries names the sport and competition of Kalshi's sports series
// the generator makes; other sports series take their sport from their
// first tag and their competition from their title.
var sportsSeries = map[string][2]string{
	"KXNBAGAME": {"Basketball", "Pro Basketball (M)"},
}

// GetTagsForSeriesCategories maps each series category to the tags its
// series carry, in the order first seen.
func (h *handlers) GetTagsForSeriesCategories(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	out := map[string][]string{}
	for _, t := range x.seriesOrder {
		s := x.series[t]
		tags := out[s.category]
		if tags == nil {
			tags = []string{}
		}
		for _, tag := range s.tags {
			if !slices.Contains(tags, tag) {
				tags = append(tags, tag)
			}
		}
		out[s.category] = tags
	}
	writeJSON(w, http.StatusOK, gen.GetTagsForSeriesCategoriesResponse{TagsByCategories: out})
}

// GetFiltersForSports lists, per sport of the Sports series, the scopes
// (the series' other tags, such as "Games") and the competitions with
// theirs; sports are ordered as their series are listed.
func (h *handlers) GetFiltersForSports(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	out := gen.GetFiltersBySportsResponse{FiltersBySports: map[string]gen.SportFilterDetails{}, SportOrdering: []string{}}
	for _, t := range x.seriesOrder {
		s := x.series[t]
		if s.category != "Sports" {
			continue
		}
		sport, competition := s.title, s.title
		if len(s.tags) > 0 {
			sport = s.tags[0]
		}
		if sc, ok := sportsSeries[s.ticker]; ok {
			sport, competition = sc[0], sc[1]
		}
		var scopes []string
		for _, tag := range s.tags {
			if tag != sport {
				scopes = append(scopes, tag)
			}
		}
		f, ok := out.FiltersBySports[sport]
		if !ok {
			f = gen.SportFilterDetails{Scopes: []string{}, Competitions: map[string]gen.ScopeList{}}
			out.SportOrdering = append(out.SportOrdering, sport)
		}
		c := f.Competitions[competition]
		if c.Scopes == nil {
			c.Scopes = []string{}
		}
		for _, sc := range scopes {
			if !slices.Contains(c.Scopes, sc) {
				c.Scopes = append(c.Scopes, sc)
			}
			if !slices.Contains(f.Scopes, sc) {
				f.Scopes = append(f.Scopes, sc)
			}
		}
		f.Competitions[competition] = c
		out.FiltersBySports[sport] = f
	}
	writeJSON(w, http.StatusOK, out)
}
