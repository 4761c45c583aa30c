package kalshitest

import (
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

func (h *handlers) GetExchangeStatus(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, gen.ExchangeStatus{ExchangeActive: true, TradingActive: true})
}

func (h *handlers) GetExchangeSchedule(w http.ResponseWriter, r *http.Request) {
	day := []gen.DailySchedule{{OpenTime: "00:00", CloseTime: "23:59"}}
	now := h.s.x.clock().UTC()
	writeJSON(w, http.StatusOK, gen.GetExchangeScheduleResponse{Schedule: gen.Schedule{
		MaintenanceWindows: []gen.MaintenanceWindow{},
		StandardHours: []gen.WeeklySchedule{{
			StartTime: now.AddDate(-1, 0, 0).Truncate(24 * time.Hour), EndTime: now.AddDate(1, 0, 0).Truncate(24 * time.Hour),
			Monday: day, Tuesday: day, Wednesday: day, Thursday: day, Friday: day, Saturday: day, Sunday: day,
		}},
	}})
}

func (h *handlers) GetUserDataTimestamp(w http.ResponseWriter, r *http.Request) {
	// the fake's portfolio data is never stale
	writeJSON(w, http.StatusOK, gen.GetUserDataTimestampResponse{AsOfTime: h.s.x.clock().UTC().Truncate(time.Microsecond)})
}

// GetAccountAPILimits answers the caller's usage level (usage_levels.go)
// with its buckets and grants.
func (h *handlers) GetAccountAPILimits(w http.ResponseWriter, r *http.Request) {
	t, grants := h.usage(r)
	l, _ := t.RateLimit() // every level usageOf gives is known
	writeJSON(w, http.StatusOK, gen.GetAccountAPILimitsResponse{
		Grants:    grants,
		UsageTier: string(t),
		Read:      gen.BucketLimit{BucketCapacity: l.Read.Capacity, RefillRate: l.Read.RefillPerSecond},
		Write:     gen.BucketLimit{BucketCapacity: l.Write.Capacity, RefillRate: l.Write.RefillPerSecond},
	})
}

func (h *handlers) GetAccountEndpointCosts(w http.ResponseWriter, r *http.Request) {
	out := gen.GetAccountEndpointCostsResponse{DefaultCost: gen.DefaultCost, EndpointCosts: []gen.EndpointTokenCost{}}
	for _, c := range h.s.endpointCostList() {
		out.EndpointCosts = append(out.EndpointCosts, gen.EndpointTokenCost{Cost: c.cost, Method: c.method, Path: c.path})
	}
	writeJSON(w, http.StatusOK, out)
}
