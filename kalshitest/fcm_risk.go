package kalshitest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// The risk controls of an FCM subtrader's bound keys: an event-contract
// daily cap on net premium, and blocked event categories. The exchange
// lock is held throughout.

// maxDailyCap is the largest daily cap the fake takes: far above any real
// one, and small enough that no sum of utilizations overflows.
var maxDailyCap = money.DollarsFromCents(100_000_000_000_000) // $1tn

// capUsage is a subtrader's utilization of its daily cap.
type capUsage struct {
	date              string // New York calendar date
	executed, resting money.Dollars
	pending           money.Dollars // always zero: the fake places orders at once
}

// total is all of the cap in use.
func (u capUsage) total() money.Dollars { return u.executed.Add(u.resting).Add(u.pending) }

// capUsage works out st's utilization at now. Executed is the net premium
// of the New York day's fills: what buying cost plus fees, less the $1
// paid back for each contract that closed an opposite position, less
// settlement payouts of the day. Resting is the cash held for the
// subtrader's resting orders (their worst-case cost; makers pay no fee).
func (x *exchange) capUsage(st *fcmSubtrader, now time.Time) capUsage {
	u := capUsage{date: newYorkDate(now)}
	a := x.accounts[st.id]
	if a == nil {
		return u
	}
	u.resting = a.reservedTotal()
	// replay fills and settlements in order, tracking positions, so that
	// closing contracts give back their $1
	pos := map[string]money.Count{}
	fi, si := 0, 0
	for fi < len(a.fills) || si < len(a.settlements) {
		if si == len(a.settlements) || (fi < len(a.fills) && a.fills[fi].seq < a.settlements[si].seq) {
			f := a.fills[fi]
			fi++
			p := pos[f.ticker]
			closing := money.Count{}
			if f.side == bid && p.Sign() < 0 {
				closing = f.count.Min(p.Abs())
			} else if f.side == ask && p.Sign() > 0 {
				closing = f.count.Min(p)
			}
			if f.side == bid {
				pos[f.ticker] = p.Add(f.count)
			} else {
				pos[f.ticker] = p.Sub(f.count)
			}
			if newYorkDate(f.at) == u.date {
				premium := f.side.outcomePrice(f.price).Mul(f.count).Add(f.fee).Sub(money.One.Mul(closing))
				u.executed = u.executed.Add(premium)
			}
			continue
		}
		s := a.settlements[si]
		si++
		pos[s.ticker] = money.Count{}
		if newYorkDate(s.at) == u.date {
			u.executed = u.executed.Sub(s.revenue)
		}
	}
	return u
}

// orderPremium is the most net premium a new order can put at risk: its
// cost at the limit price, the largest taker fee it can pay at any price
// it may fill at (none when post-only), less the $1 paid back for each
// contract that closes an opposite position.
func (x *exchange) orderPremium(req orderRequest) money.Dollars {
	closable := money.Count{}
	if a := x.accounts[req.userID]; a != nil {
		if p := a.positions[req.ticker]; p != nil {
			if (req.side == bid && p.count.Sign() < 0) || (req.side == ask && p.count.Sign() > 0) {
				closable = req.count.Min(p.count.Abs())
			}
		}
	}
	size := req.count
	if req.reduceOnly {
		size = closable // the engine trades no more than that
	}
	cost := req.side.outcomePrice(req.price).Mul(size)
	if !req.postOnly {
		// fills are at the limit or better; the fee, 7% of P(1 − P), is
		// largest at the price nearest to 0.50
		half := money.DollarsFromCents(50)
		worst := req.price
		if (req.side == bid && worst.Cmp(half) > 0) || (req.side == ask && worst.Cmp(half) < 0) {
			worst = half
		}
		cost = cost.Add(takerFee(worst, size))
	}
	return cost.Sub(money.One.Mul(closable))
}

// marketCategory is the event category of a market: its series' category,
// else its event's.
func (x *exchange) marketCategory(m *marketState) string {
	if s := x.series[m.seriesTicker]; s != nil && s.category != "" {
		return s.category
	}
	if e := x.events[m.eventTicker]; e != nil {
		return e.category
	}
	return ""
}

// fcmRiskCheck refuses an order through st's bound key that its risk
// controls forbid. Orders the engine would refuse anyway (unknown or
// closed market, bad price or count) are left to it, so they get the
// error they would get from CreateOrderV2.
func (x *exchange) fcmRiskCheck(st *fcmSubtrader, req orderRequest, now time.Time) error {
	m, ok := x.markets[req.ticker]
	if !ok || m.status != "active" || m.checkPrice(req.price) != nil || req.count.Sign() <= 0 || req.count.Cmp(maxOrderCount) > 0 {
		return nil
	}
	if c := x.marketCategory(m); st.blocked[c] {
		return errCategoryBlocked(fmt.Sprintf("%s markets are blocked for subtrader %s", c, st.id))
	}
	if st.dailyCap == nil {
		return errNoDailyCap(fmt.Sprintf("subtrader %s has no event-contract daily cap; its bound keys cannot place orders until one is set", st.id))
	}
	need := x.orderPremium(req)
	if need.Sign() <= 0 {
		return nil // the order can only lower the risk
	}
	used := x.capUsage(st, now).total()
	if used.Add(need).Cmp(*st.dailyCap) > 0 {
		return errDailyCapExceeded(fmt.Sprintf("order needs up to %s of net premium; %s of the %s daily cap is in use", need, used, *st.dailyCap))
	}
	return nil
}

// newYorkDate is the New York calendar date of t, by the US daylight
// saving rule in force since 2007: EDT (UTC−4) from 2:00 on the second
// Sunday of March to 2:00 on the first Sunday of November, EST (UTC−5)
// otherwise. It needs no time zone database.
func newYorkDate(t time.Time) string {
	u := t.UTC()
	y := u.Year()
	start := nthSunday(y, time.March, 2).Add(7 * time.Hour)  // 2:00 EST
	end := nthSunday(y, time.November, 1).Add(6 * time.Hour) // 2:00 EDT
	offset := -5 * time.Hour
	if !u.Before(start) && u.Before(end) {
		offset = -4 * time.Hour
	}
	return u.Add(offset).Format(time.DateOnly)
}

// nthSunday is midnight UTC of the nth Sunday of month m of year y.
func nthSunday(y int, m time.Month, n int) time.Time {
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return first.AddDate(0, 0, (7-int(first.Weekday()))%7+7*(n-1))
}

// Kalshi's refusals of an order by a subtrader's risk controls, in the
// shape of its other order errors.
func errCategoryBlocked(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "category_blocked", message: "category blocked", details: details, service: "exchange"}
}

func errNoDailyCap(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "event_contract_daily_cap_not_set", message: "event contract daily cap not set", details: details, service: "exchange"}
}

func errDailyCapExceeded(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "event_contract_daily_cap_exceeded", message: "event contract daily cap exceeded", details: details, service: "exchange"}
}
