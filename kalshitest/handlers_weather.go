package kalshitest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// weatherCity returns a configured city, or Kalshi's 400 for an unknown
// one, naming those it knows.
func (x *exchange) weatherCity(id string) (*weatherCity, error) {
	if c, ok := x.liveData.cities[id]; ok {
		return c, nil
	}
	known := make([]string, 0, len(x.liveData.cities))
	for k := range x.liveData.cities {
		known = append(known, k)
	}
	sort.Strings(known)
	return nil, errLiveParam(fmt.Sprintf("unknown city %q (cities: %s)", id, strings.Join(known, ", ")))
}

func (h *handlers) GetWeatherIndex(w http.ResponseWriter, r *http.Request, city string, p gen.GetWeatherIndexParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := x.weatherCity(city)
	if err != nil {
		writeError(w, err)
		return
	}
	now := x.now()
	to := now.UnixMilli()
	var from int64
	switch {
	case p.LastSec != nil && (p.From != nil || p.To != nil):
		err = errLiveParam("last_sec cannot be combined with from or to")
	case p.LastSec != nil && *p.LastSec <= 0:
		err = errLiveParam("last_sec must be positive")
	case p.LastSec != nil:
		from = to - *p.LastSec*1000
	case p.From != nil && p.To == nil:
		err = errLiveParam("from must be paired with to")
	default:
		if p.To != nil {
			to = *p.To
		}
		from = to - 24*60*60*1000
		if p.From != nil {
			from = *p.From
		}
	}
	switch {
	case err != nil:
	case from > to:
		err = errLiveParam("from is after to")
	case to-from > maxWeatherWindow.Milliseconds():
		err = errLiveParam(fmt.Sprintf("the window may span at most %s", maxWeatherWindow))
	}
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c.series(from, to, p.Detailed != nil && *p.Detailed, now))
}

func (h *handlers) GetWeatherIndexCalibrations(w http.ResponseWriter, r *http.Request, city string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := x.weatherCity(city)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, c.calibrationsAPI(x.now()))
}
