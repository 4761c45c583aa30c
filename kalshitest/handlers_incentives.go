package kalshitest

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// incentiveProgram is a rewards program on one market. Whether it is
// upcoming, active or closed follows the clock; paid out is decided when
// seeded (programs of markets that have closed).
type incentiveProgram struct {
	id, ticker, kind, description string
	start, end                    time.Time
	reward                        int64 // centi-cents for the period
	paid                          bool
	discountBps                   *int32
	target                        *money.Count
	maxPerAccount                 *int64 // centi-cents
	seq                           uint64
}

// status is the program's state at now, in the status filter's words.
func (p *incentiveProgram) status(now time.Time) string {
	switch {
	case p.paid:
		return "paid_out"
	case now.Before(p.start):
		return "upcoming"
	case now.Before(p.end):
		return "active"
	}
	return "closed"
}

func (p *incentiveProgram) api() gen.IncentiveProgram {
	return gen.IncentiveProgram{
		ID: p.id, MarketID: marketID(p.ticker), MarketTicker: p.ticker,
		IncentiveType: gen.IncentiveProgramIncentiveType(p.kind), IncentiveDescription: p.description,
		StartDate: p.start, EndDate: p.end, PeriodReward: p.reward, PaidOut: p.paid,
		DiscountFactorBps: p.discountBps, TargetSizeFp: p.target, MaxRewardPerAccount: p.maxPerAccount,
	}
}

// centiCents converts whole dollars to the programs' unit.
func centiCents(dollars int64) int64 { return dollars * 10_000 }

// seedIncentives puts programs on generated markets: a paid-out
// liquidity program on each market that has closed, an upcoming volume
// program on each market not open yet, and on open markets, in turn, an
// active liquidity program, an active volume program, a volume program
// that has just ended, or none. Each program's description names its
// series and kind, so programs share descriptions.
func (x *exchange) seedIncentives(r *rand.Rand, now time.Time) {
	generated := map[string]bool{}
	for _, t := range seriesTemplates {
		generated[t.ticker] = true
	}
	ld := &x.liveData
	n := 0
	for _, t := range x.marketOrder {
		m := x.markets[t]
		if !generated[m.seriesTicker] {
			continue
		}
		var kind string
		start, end, paid := m.open, m.close, false
		switch m.status {
		case "closed":
			kind, paid = "liquidity", true
		case "initialized":
			kind = "volume"
		case "active":
			n++
			switch n % 4 {
			case 1:
				kind = "liquidity"
			case 2:
				kind = "volume"
			case 3:
				kind, end = "volume", now.Add(-15*time.Minute)
			}
		}
		if kind == "" {
			continue
		}
		series := x.series[m.seriesTicker]
		p := &incentiveProgram{
			id: nameUUID("incentive", kind+" "+m.ticker), ticker: m.ticker, kind: kind,
			description: strings.ToUpper(series.title[:1]) + series.title[1:] + " " + kind + " rewards",
			start:       start, end: end, paid: paid, seq: uint64(len(ld.incentives)) + 1,
		}
		if kind == "liquidity" {
			p.reward = centiCents([]int64{100, 250, 500}[r.IntN(3)])
			p.discountBps = ptr(int32(5000))
			p.target = ptr(money.CountFromInt([]int64{250, 500, 1000}[r.IntN(3)]))
		} else {
			p.reward = centiCents([]int64{50, 150, 300}[r.IntN(3)])
			p.maxPerAccount = ptr(p.reward / 10)
		}
		ld.incentives = append(ld.incentives, p)
	}
}

func (h *handlers) GetIncentivePrograms(w http.ResponseWriter, r *http.Request, p gen.GetIncentiveProgramsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	status, kind := "all", "all"
	if p.Status != nil {
		status = string(*p.Status)
	}
	if p.Type != nil {
		kind = string(*p.Type)
	}
	var list []*incentiveProgram
	for _, ip := range x.liveData.incentives {
		switch {
		case status != "all" && ip.status(now) != status,
			kind != "all" && ip.kind != kind,
			p.IncentiveDescription != nil && ip.description != *p.IncentiveDescription:
			continue
		}
		list = append(list, ip)
	}
	pg, next, err := page(list, func(ip *incentiveProgram) string { return seqKey(ip.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetIncentiveProgramsResponse{IncentivePrograms: make([]gen.IncentiveProgram, 0, len(pg))}
	if next != "" {
		out.NextCursor = ptr(next)
	}
	for _, ip := range pg {
		out.IncentivePrograms = append(out.IncentivePrograms, ip.api())
	}
	writeJSON(w, http.StatusOK, out)
}
