package kalshitest

import (
	"sort"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// The historical tier's starting data: for each generated series, one
// event well before the default cutoff whose markets traded and settled
// through the engine itself, so their trades, fills, orders, settlements,
// volume and open interest agree as they do for markets traded over the
// API. The house account made the markets and a second account, archive,
// took its quotes.

// archiveUser is the account on the other side of the house in the seeded
// history.
const archiveUser = "archive"

// archiveBalance is the archive account's starting cash: $100,000.
var archiveBalance = money.DollarsFromCents(10_000_000)

const (
	// historyAge is how long before the clock the newest seeded event's
	// day is: ten days beyond DefaultHistoricalLag.
	historyAge = DefaultHistoricalLag + 10*24*time.Hour
	// historyMarkets and historyTrades are the markets per seeded event
	// and the trades per seeded market.
	historyMarkets = 3
	historyTrades  = 8
)

// historyStep is one thing that happened in the seeded history: a trade
// (the house quotes price, the archive account takes count on side) or,
// when result is set, the market's settlement.
type historyStep struct {
	at     time.Time
	m      *marketState
	side   bookSide
	price  money.Dollars
	count  money.Count
	result string
}

// seedHistorical gives the historical tier its starting data (exchange
// lock held): a past event in each generated series, one day apart, with
// settled markets. Nothing is seeded without generated markets.
func (x *exchange) seedHistorical(now time.Time) {
	newest := now.Add(-historyAge).Truncate(24 * time.Hour)
	var steps []historyStep
	events := 0
	for _, tpl := range seriesTemplates {
		if _, ok := x.series[tpl.ticker]; !ok {
			continue
		}
		steps = append(steps, x.planPastEvent(tpl, newest.AddDate(0, 0, -events))...)
		events++
	}
	if len(steps) == 0 {
		return
	}
	x.ensureAccount(archiveUser, archiveBalance)
	// everything happens in time order, so that trades, fills and orders
	// are listed in the order of their times
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	for _, st := range steps {
		if st.result != "" {
			x.settleInThePast(st.m.ticker, st.result, st.at)
			continue
		}
		x.tradeInThePast(st)
	}
}

// planPastEvent adds a past event of tpl on day with its markets (still
// active) and returns their trades and settlements, drawn from the
// exchange's price source.
func (x *exchange) planPastEvent(tpl seriesTemplate, day time.Time) []historyStep {
	suffix, evTitle := tpl.event(day, 0)
	ev := &eventState{ticker: tpl.ticker + "-" + strings.ToUpper(suffix), seriesTicker: tpl.ticker, title: evTitle,
		subTitle: day.Format("Jan 2, 2006"), category: tpl.category, mutuallyExclusive: tpl.ticker == "KXFEDDECISION", strikeDate: day}
	if _, ok := x.events[ev.ticker]; ok {
		return nil
	}
	x.addEvent(ev)
	var steps []historyStep
	for j := range historyMarkets {
		ms, title, yesSub, floor := tpl.strike(j)
		m := &marketState{
			ticker: ev.ticker + "-" + ms, eventTicker: ev.ticker, seriesTicker: tpl.ticker,
			title: title, yesSub: yesSub, noSub: yesSub,
			rulesPrimary: "If " + strings.TrimSuffix(title, "?") + " for " + evTitle + ", then the market resolves to Yes.",
			strikeType:   "greater", status: "active", tick: money.DollarsFromCents(1), fractional: true,
			created: day.AddDate(0, 0, -2), open: day.AddDate(0, 0, -1), close: day.Add(22 * time.Hour), expected: day.Add(23 * time.Hour),
			seq: x.nextSeq(),
		}
		m.updated = m.created
		if floor != 0 {
			f := floor
			m.floorStrike = &f
		}
		if tpl.ticker == "KXFEDDECISION" {
			m.strikeType = "structured"
		}
		if _, ok := x.markets[m.ticker]; ok {
			continue
		}
		x.addMarket(m)

		// a random walk of trade prices, evenly spread over the trading
		// hours, then settlement an hour after the close
		fair := 20 + x.rng.IntN(60)
		m.lastPrice = money.DollarsFromCents(int64(fair))
		m.previousPrice = m.lastPrice
		gap := m.close.Sub(m.open) / (historyTrades + 1)
		for k := range historyTrades {
			fair = min(max(fair+x.rng.IntN(7)-3, 2), 98)
			side := bid
			if x.rng.IntN(2) == 1 {
				side = ask
			}
			at := m.open.Add(gap*time.Duration(k+1) + time.Duration(x.rng.IntN(30))*time.Minute)
			steps = append(steps, historyStep{at: at, m: m, side: side,
				price: money.DollarsFromCents(int64(fair)), count: money.CountFromInt(int64(1 + x.rng.IntN(20)))})
		}
		result := "no"
		if x.rng.IntN(100) < fair {
			result = "yes"
		}
		steps = append(steps, historyStep{at: m.expected, m: m, result: result})
	}
	return steps
}

// tradeInThePast makes one seeded trade at st.at: the house quotes, the
// archive account takes the quote at once.
func (x *exchange) tradeInThePast(st historyStep) {
	quote := orderRequest{userID: houseUser, ticker: st.m.ticker, side: st.side.opposite(), price: st.price, count: st.count,
		tif: "good_till_canceled", stp: "taker_at_cross"}
	take := orderRequest{userID: archiveUser, ticker: st.m.ticker, side: st.side, price: st.price, count: st.count,
		tif: "immediate_or_cancel", stp: "taker_at_cross"}
	for _, req := range []orderRequest{quote, take} {
		if _, err := x.placeLocked(req, st.at); err != nil {
			panic("kalshitest: seeding the historical tier: " + err.Error())
		}
	}
}

// settleInThePast settles a seeded market as of at (exchange lock held).
func (x *exchange) settleInThePast(ticker, result string, at time.Time) {
	if err := x.settleLocked(ticker, result, at); err != nil {
		panic("kalshitest: seeding the historical tier: " + err.Error())
	}
}
