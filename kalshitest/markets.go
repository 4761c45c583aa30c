package kalshitest

import (
	"fmt"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// seriesState, eventState and marketState are the fake's listings.
type seriesState struct {
	ticker, title, category, frequency string
	tags                               []string
}

type eventState struct {
	ticker, seriesTicker, title, subTitle, category string
	mutuallyExclusive                               bool
	strikeDate                                      time.Time
	markets                                         []string
}

type marketState struct {
	ticker, eventTicker, seriesTicker string
	title, subtitle, yesSub, noSub    string
	rulesPrimary, rulesSecondary      string
	strikeType                        string
	floorStrike, capStrike            *float64
	status                            string // initialized, active, closed, determined, finalized
	result                            string
	created, open, close, expected    time.Time
	settledAt, updated                time.Time
	tick                              money.Dollars // price step inside (0, 1)
	fractional                        bool
	book                              book
	lastPrice, previousPrice          money.Dollars
	volume, openInterest              money.Count
	trades                            []*tradeRecord
	bookSeq                           uint64
	seq                               uint64 // listing order
}

// checkPrice refuses a YES price off the market's tick grid or outside
// (0, 1), as Kalshi does with invalid_price.
func (m *marketState) checkPrice(p money.Dollars) error {
	t := m.tick.Micros()
	if t <= 0 {
		t = 10_000
	}
	tick := money.DollarsFromMicros(t)
	lo, hi := tick, money.One.Sub(tick)
	switch {
	case p.Micros() < t || p.Micros() > 1_000_000-t:
		return errInvalidPrice(fmt.Sprintf("price %s is outside %s to %s", p, lo, hi))
	case p.Micros()%t != 0:
		return errInvalidPrice(fmt.Sprintf("price %s is not a multiple of the tick size %s", p, tick))
	}
	return nil
}

// MarketSpec describes a market to add with WithMarket or AddMarket.
// Empty fields get realistic defaults.
type MarketSpec struct {
	// Ticker is the market ticker, e.g. "KXHIGHNY-26JUN12-B80.5" (required).
	Ticker string
	// EventTicker defaults to Ticker up to its last "-".
	EventTicker string
	// SeriesTicker defaults to EventTicker up to its first "-".
	SeriesTicker string
	// Title defaults to one made from the ticker.
	Title string
	// Status is "active" (default), "initialized" or "closed".
	Status string
	// Tick is the price step (default $0.01; "linear_cent").
	Tick money.Dollars
	// Bids and Asks are resting orders of the house account, as YES
	// prices with their sizes, placed when the market is added.
	Bids, Asks []money.PriceLevel
	// Open and Close default to an hour before now and a week after.
	Open, Close time.Time
}

// The generator's templates: series that look like Kalshi's, each with a
// way to name its events and strikes.
type seriesTemplate struct {
	ticker, title, category, frequency string
	tags                               []string
	event                              func(day time.Time, i int) (suffix, title string)
	strike                             func(i int) (suffix, title, yesSub string, floor float64)
}

var seriesTemplates = []seriesTemplate{
	{
		ticker: "KXHIGHNY", title: "Highest temperature in NYC", category: "Climate and Weather", frequency: "daily",
		tags: []string{"Weather", "Daily temperature"},
		event: func(d time.Time, _ int) (string, string) {
			return d.Format("06Jan02"), "Highest temperature in NYC on " + d.Format("Jan 2, 2006")
		},
		strike: func(i int) (string, string, string, float64) {
			t := 70.5 + float64(i)*2
			return fmt.Sprintf("B%.1f", t), fmt.Sprintf("Will the high temp in NYC be >%.0f°?", t), fmt.Sprintf("%.0f° or above", t+0.5), t
		},
	},
	{
		ticker: "KXBTCD", title: "Bitcoin price today at 5pm EDT", category: "Crypto", frequency: "hourly",
		tags: []string{"BTC"},
		event: func(d time.Time, _ int) (string, string) {
			return d.Format("06Jan02") + "17", "Bitcoin price on " + d.Format("Jan 2, 2006") + " at 5pm EDT"
		},
		strike: func(i int) (string, string, string, float64) {
			t := 104999.99 + float64(i)*500
			return fmt.Sprintf("T%.2f", t), fmt.Sprintf("Bitcoin price above $%.2f?", t), fmt.Sprintf("$%.2f or above", t+0.01), t
		},
	},
	{
		ticker: "KXNBAGAME", title: "Professional basketball game", category: "Sports", frequency: "custom",
		tags: []string{"Basketball", "Games"},
		event: func(d time.Time, i int) (string, string) {
			teams := []string{"BOSNYK", "LALGSW", "MIAORL", "DENPHX", "CHIDET"}
			return d.Format("06Jan02") + teams[i%len(teams)], "Game " + teams[i%len(teams)][:3] + " at " + teams[i%len(teams)][3:]
		},
		strike: func(i int) (string, string, string, float64) {
			return fmt.Sprintf("T%d", 200+5*i), fmt.Sprintf("Total points over %d.5?", 200+5*i), fmt.Sprintf("Over %d.5 points", 200+5*i), float64(200+5*i) + 0.5
		},
	},
	{
		ticker: "KXFEDDECISION", title: "Fed meeting decision", category: "Economics", frequency: "custom",
		tags: []string{"Fed", "Interest rates"},
		event: func(d time.Time, round int) (string, string) {
			// One meeting a month: each round of markets gets the next
			// month, so generated tickers never collide.
			m := time.Date(d.Year(), d.Month()+time.Month(round), 1, 0, 0, 0, 0, time.UTC)
			return m.Format("06Jan"), "Fed decision in " + m.Format("Jan 2006")
		},
		strike: func(i int) (string, string, string, float64) {
			moves := []string{"C26", "C25", "H0", "H25", "H26"}
			titles := []string{"Cut >25bps", "Cut 25bps", "Hold", "Hike 25bps", "Hike >25bps"}
			return moves[i%len(moves)], "Will the Fed " + strings.ToLower(titles[i%len(titles)]) + "?", titles[i%len(titles)], 0
		},
	},
}

// generate adds n markets spread over events of the template series, with
// house liquidity on active markets. Deterministic for the exchange's seed
// and the start time.
func (x *exchange) generate(n int, liquidity bool, start time.Time) {
	const perEvent = 5
	for i := 0; i < n; {
		tpl := seriesTemplates[(i/perEvent)%len(seriesTemplates)]
		round := i / (perEvent * len(seriesTemplates))
		x.addSeries(&seriesState{ticker: tpl.ticker, title: tpl.title, category: tpl.category, frequency: tpl.frequency, tags: tpl.tags})
		day := start.AddDate(0, 0, 1+round)
		suffix, evTitle := tpl.event(day, round)
		ev := &eventState{ticker: tpl.ticker + "-" + strings.ToUpper(suffix), seriesTicker: tpl.ticker, title: evTitle,
			subTitle: day.Format("Jan 2, 2006"), category: tpl.category, mutuallyExclusive: tpl.ticker == "KXFEDDECISION", strikeDate: day}
		x.addEvent(ev)
		for j := 0; j < perEvent && i < n; j, i = j+1, i+1 {
			ms, title, yesSub, floor := tpl.strike(j)
			m := &marketState{
				ticker: ev.ticker + "-" + ms, eventTicker: ev.ticker, seriesTicker: tpl.ticker,
				title: title, yesSub: yesSub, noSub: yesSub,
				rulesPrimary: "If " + strings.TrimSuffix(title, "?") + " for " + evTitle + ", then the market resolves to Yes.",
				strikeType:   "greater", status: "active", tick: money.DollarsFromCents(1), fractional: true,
				created: start.Add(-2 * time.Hour), open: start.Add(-time.Hour), close: day.Add(22 * time.Hour), expected: day.Add(23 * time.Hour),
				updated: start, seq: x.nextSeq(),
			}
			if floor != 0 {
				f := floor
				m.floorStrike = &f
			}
			if tpl.ticker == "KXFEDDECISION" {
				m.strikeType = "structured"
			}
			// a few markets are not open yet or already closed
			switch i % 17 {
			case 15:
				m.status = "initialized"
				m.open = day
			case 16:
				m.status = "closed"
				m.close = start.Add(-time.Minute)
			}
			x.addMarket(m)
			if liquidity && m.status == "active" {
				x.seedLiquidity(m)
			}
		}
	}
}

// seedLiquidity rests house bids below and asks above a fair price, three
// levels each, so taking orders fill without a second user.
func (x *exchange) seedLiquidity(m *marketState) {
	fair := 20 + x.rng.IntN(60) // cents
	for k := 1; k <= 3; k++ {
		size := money.CountFromInt(int64(5 + x.rng.IntN(20)))
		x.restHouse(m, bid, money.DollarsFromCents(int64(fair-k)), size)
		size = money.CountFromInt(int64(5 + x.rng.IntN(20)))
		x.restHouse(m, ask, money.DollarsFromCents(int64(fair+k)), size)
	}
	m.lastPrice = money.DollarsFromCents(int64(fair))
	m.previousPrice = m.lastPrice
}

// restHouse puts a house order on the book without matching (callers only
// seed non-crossing books).
func (x *exchange) restHouse(m *marketState, side bookSide, price money.Dollars, count money.Count) {
	now := x.now()
	h := x.ensureAccount(houseUser, houseBalance)
	held := side.outcomePrice(price).Mul(count)
	o := &order{id: x.newID(), userID: houseUser, ticker: m.ticker, side: side, price: price, initial: count, remaining: count,
		status: "resting", tif: "good_till_canceled", stp: "taker_at_cross", created: now, updated: now, seq: x.nextSeq(), reserved: held}
	h.balance = h.balance.Sub(held)
	x.orders[o.id] = o
	h.orders = append(h.orders, o)
	m.book.add(o)
	m.bookSeq++
}

// addSpec adds a market from a MarketSpec, with its series and event.
func (x *exchange) addSpec(s MarketSpec) error {
	if s.Ticker == "" {
		return fmt.Errorf("kalshitest: MarketSpec needs a Ticker")
	}
	if _, ok := x.markets[s.Ticker]; ok {
		return fmt.Errorf("kalshitest: market %s already exists", s.Ticker)
	}
	now := x.now()
	if s.EventTicker == "" {
		s.EventTicker = s.Ticker
		if i := strings.LastIndex(s.Ticker, "-"); i > 0 {
			s.EventTicker = s.Ticker[:i]
		}
	}
	if s.SeriesTicker == "" {
		s.SeriesTicker, _, _ = strings.Cut(s.EventTicker, "-")
	}
	if s.Title == "" {
		s.Title = "Will " + s.Ticker + " resolve Yes?"
	}
	if s.Status == "" {
		s.Status = "active"
	}
	if s.Tick.IsZero() {
		s.Tick = money.DollarsFromCents(1)
	}
	if s.Open.IsZero() {
		s.Open = now.Add(-time.Hour)
	}
	if s.Close.IsZero() {
		s.Close = now.Add(7 * 24 * time.Hour)
	}
	x.addSeries(&seriesState{ticker: s.SeriesTicker, title: s.SeriesTicker, category: "Other", frequency: "custom"})
	x.addEvent(&eventState{ticker: s.EventTicker, seriesTicker: s.SeriesTicker, title: s.Title, category: "Other", strikeDate: s.Close})
	m := &marketState{
		ticker: s.Ticker, eventTicker: s.EventTicker, seriesTicker: s.SeriesTicker, title: s.Title,
		yesSub: s.Title, noSub: s.Title, rulesPrimary: "If " + s.Ticker + " resolves Yes, then the market resolves to Yes.",
		strikeType: "custom", status: s.Status, tick: s.Tick, fractional: true,
		created: now, open: s.Open, close: s.Close, expected: s.Close.Add(time.Hour), updated: now, seq: x.nextSeq(),
	}
	for _, l := range s.Bids {
		if err := m.checkPrice(l.Price); err != nil {
			return fmt.Errorf("kalshitest: market %s: bid price %s is off the tick grid", s.Ticker, l.Price)
		}
	}
	for _, l := range s.Asks {
		if err := m.checkPrice(l.Price); err != nil {
			return fmt.Errorf("kalshitest: market %s: ask price %s is off the tick grid", s.Ticker, l.Price)
		}
	}
	x.addMarket(m)
	for _, l := range s.Bids {
		x.restHouse(m, bid, l.Price, l.Count)
	}
	for _, l := range s.Asks {
		if m.book.crosses(ask, l.Price) {
			return fmt.Errorf("kalshitest: market %s: ask %s crosses the bids", s.Ticker, l.Price)
		}
		x.restHouse(m, ask, l.Price, l.Count)
	}
	return nil
}
