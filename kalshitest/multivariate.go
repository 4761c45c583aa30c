package kalshitest

import (
	"crypto/sha1"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// multivariateState holds the multivariate event collections, the combo
// events and markets created in them, and the fee changes of series and
// events (fee_changes.go).
type multivariateState struct {
	collections     map[string]*collectionState
	collectionOrder []string
	combos          map[string]*comboState // by collection and legs (comboKey)
	comboEvents     map[string]*comboState // by event ticker
	comboMarkets    map[string]*comboState // by market ticker
	comboOrder      []*comboState          // creation order
	fees            feeState
}

// collectionState is a multivariate event collection: which events'
// markets may be combined, and how many of them.
type collectionState struct {
	ticker, seriesTicker            string
	title, description, functional  string
	open, close                     time.Time
	events                          []associatedEvent
	ordered, singlePerEvent, allYes bool
	sizeMin, sizeMax                int
	seq                             uint64
}

// associatedEvent is one event whose markets can be legs of a collection's
// combos, with its own limits (nil: none).
type associatedEvent struct {
	ticker           string
	yesOnly          bool
	sizeMin, sizeMax *int32
}

// comboLeg is one selected market of a combo and the side taken in it.
type comboLeg struct {
	eventTicker, marketTicker, side string
}

// comboState is a combo market created in a collection, with its event.
type comboState struct {
	collection                string
	eventTicker, marketTicker string
	legs                      []comboLeg
	seq                       uint64
}

// seedMultivariate makes up to two collections over the events listed at
// start (exchange lock held): a cross-category one that takes one market
// from each of two to six events, and a yes-only basketball one over the
// game events. The collections' series are added to the listings; the
// fee changes are seeded too.
func (x *exchange) seedMultivariate(now time.Time) {
	mv := &x.multivariate
	mv.collections = map[string]*collectionState{}
	mv.combos = map[string]*comboState{}
	mv.comboEvents = map[string]*comboState{}
	mv.comboMarkets = map[string]*comboState{}

	var all, games []*eventState
	for _, t := range x.eventOrder {
		e := x.events[t]
		if len(e.markets) == 0 {
			continue
		}
		all = append(all, e)
		if e.seriesTicker == "KXNBAGAME" {
			games = append(games, e)
		}
	}
	one := int32(1)
	if len(all) >= 2 {
		c := &collectionState{
			ticker: "KXMVECROSSCATEGORY-R", seriesTicker: "KXMVECROSSCATEGORY",
			title:          "Cross-category parlays",
			description:    "Combine one market from each of two to six events across categories.",
			functional:     "The combo resolves Yes if every selected market resolves to the side chosen for it, and No otherwise.",
			singlePerEvent: true, sizeMin: 2, sizeMax: min(6, len(all)),
		}
		for _, e := range all {
			c.events = append(c.events, associatedEvent{ticker: e.ticker, sizeMax: &one})
		}
		x.addCollection(c, "Exotics", now)
	}
	if len(games) > 0 {
		c := &collectionState{
			ticker: "KXMVESPORTSMULTIGAME-R", seriesTicker: "KXMVESPORTSMULTIGAME",
			title:       "Basketball multi-game parlays",
			description: "Combine two to five Yes outcomes from professional basketball games.",
			functional:  "The combo resolves Yes if every selected market resolves Yes, and No otherwise.",
			allYes:      true, sizeMin: 2, sizeMax: 5,
		}
		for _, e := range games {
			c.events = append(c.events, associatedEvent{ticker: e.ticker, yesOnly: true})
		}
		x.addCollection(c, "Sports", now)
	}
	x.seedFeeChanges(now)
}

// addCollection lists a collection and its series. It opens a day before
// now and closes with the last of its events' markets (a week from now at
// the earliest).
func (x *exchange) addCollection(c *collectionState, category string, now time.Time) {
	c.open = now.Add(-24 * time.Hour).Truncate(time.Hour)
	c.close = now.Add(7 * 24 * time.Hour)
	for _, ae := range c.events {
		for _, t := range x.events[ae.ticker].markets {
			if cl := x.markets[t].close; cl.After(c.close) {
				c.close = cl
			}
		}
	}
	c.seq = x.nextSeq()
	x.addSeries(&seriesState{ticker: c.seriesTicker, title: c.title, category: category, frequency: "custom", tags: []string{"Parlays"}})
	x.multivariate.collections[c.ticker] = c
	x.multivariate.collectionOrder = append(x.multivariate.collectionOrder, c.ticker)
}

// status is the collection's state for the status filter.
func (c *collectionState) status(now time.Time) string {
	switch {
	case now.Before(c.open):
		return "unopened"
	case now.Before(c.close):
		return "open"
	}
	return "closed"
}

func (c *collectionState) associated(eventTicker string) (associatedEvent, bool) {
	for _, ae := range c.events {
		if ae.ticker == eventTicker {
			return ae, true
		}
	}
	return associatedEvent{}, false
}

func (c *collectionState) api() gen.MultivariateEventCollection {
	out := gen.MultivariateEventCollection{
		AssociatedEventTickers: make([]string, 0, len(c.events)),
		AssociatedEvents:       make([]gen.AssociatedEvent, 0, len(c.events)),
		CloseDate:              c.close,
		CollectionTicker:       c.ticker,
		Description:            c.description,
		FunctionalDescription:  c.functional,
		IsAllYes:               c.allYes,
		IsOrdered:              c.ordered,
		IsSingleMarketPerEvent: c.singlePerEvent,
		OpenDate:               c.open,
		SeriesTicker:           c.seriesTicker,
		SizeMax:                int32(c.sizeMax),
		SizeMin:                int32(c.sizeMin),
		Title:                  c.title,
	}
	for _, ae := range c.events {
		out.AssociatedEventTickers = append(out.AssociatedEventTickers, ae.ticker)
		out.AssociatedEvents = append(out.AssociatedEvents, gen.AssociatedEvent{
			ActiveQuoters: []string{}, IsYesOnly: ae.yesOnly, SizeMax: ae.sizeMax, SizeMin: ae.sizeMin, Ticker: ae.ticker,
		})
	}
	return out
}

// refuseParams is Kalshi's invalid_parameters answer (400) to a request
// whose values break a rule of the operation, naming the rule in details.
func refuseParams(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: "invalid parameters", details: details, service: "exchange"}
}

// checkLegs applies the collection's rules to selected legs: how many,
// from which events, which sides, and that each market is open and
// belongs to the event named with it.
func (x *exchange) checkLegs(c *collectionState, legs []comboLeg, now time.Time) error {
	if st := c.status(now); st != "open" {
		return refuseParams(fmt.Sprintf("collection %s is %s", c.ticker, st))
	}
	if n := len(legs); n < c.sizeMin || n > c.sizeMax {
		return refuseParams(fmt.Sprintf("collection %s takes %d to %d selected markets, got %d", c.ticker, c.sizeMin, c.sizeMax, n))
	}
	perEvent := map[string]int32{}
	seen := map[string]bool{}
	for _, l := range legs {
		ae, ok := c.associated(l.eventTicker)
		if !ok {
			return refuseParams(fmt.Sprintf("event %s is not in collection %s", l.eventTicker, c.ticker))
		}
		m, ok := x.markets[l.marketTicker]
		if !ok {
			return refuseParams(fmt.Sprintf("market %s does not exist", l.marketTicker))
		}
		switch {
		case m.eventTicker != l.eventTicker:
			return refuseParams(fmt.Sprintf("market %s is not in event %s", l.marketTicker, l.eventTicker))
		case m.status != "active":
			return refuseParams(fmt.Sprintf("market %s is not open", l.marketTicker))
		case seen[l.marketTicker]:
			return refuseParams(fmt.Sprintf("market %s is selected twice", l.marketTicker))
		case l.side != "yes" && l.side != "no":
			return refuseParams(fmt.Sprintf("side %q of market %s is not yes or no", l.side, l.marketTicker))
		case l.side == "no" && (ae.yesOnly || c.allYes):
			return refuseParams(fmt.Sprintf("only the yes side of event %s can be selected", l.eventTicker))
		}
		seen[l.marketTicker] = true
		perEvent[l.eventTicker]++
		if c.singlePerEvent && perEvent[l.eventTicker] > 1 {
			return refuseParams(fmt.Sprintf("collection %s takes one market per event; event %s is selected more than once", c.ticker, l.eventTicker))
		}
		if ae.sizeMax != nil && perEvent[l.eventTicker] > *ae.sizeMax {
			return refuseParams(fmt.Sprintf("event %s takes at most %d selected markets", l.eventTicker, *ae.sizeMax))
		}
	}
	for _, ae := range c.events {
		if n := perEvent[ae.ticker]; ae.sizeMin != nil && n > 0 && n < *ae.sizeMin {
			return refuseParams(fmt.Sprintf("event %s takes at least %d selected markets", ae.ticker, *ae.sizeMin))
		}
	}
	return nil
}

// legText is a leg as it is compared and keyed.
func (l comboLeg) legText() string { return l.eventTicker + "/" + l.marketTicker + "/" + l.side }

// comboKey identifies a combo by its collection and legs (already in their
// canonical order).
func comboKey(c *collectionState, legs []comboLeg) string {
	parts := make([]string, len(legs))
	for i, l := range legs {
		parts[i] = l.legText()
	}
	return c.ticker + "|" + strings.Join(parts, "|")
}

// createCombo returns the combo market of a collection for legs, creating
// it (with its event, in the collection's series) when new: an active
// market with an empty book, announced on multivariate_market_lifecycle
// (event_lifecycle, then the market's "created"). Unless the collection
// is ordered, legs are a set: the same legs in any order give the same
// market. created reports a new market. Exchange lock held.
func (x *exchange) createCombo(collection string, legs []comboLeg, now time.Time) (cb *comboState, created bool, err error) {
	mv := &x.multivariate
	c, ok := mv.collections[collection]
	if !ok {
		return nil, false, errNotFound()
	}
	if err := x.checkLegs(c, legs, now); err != nil {
		return nil, false, err
	}
	if !c.ordered {
		legs = slices.Clone(legs)
		slices.SortFunc(legs, func(a, b comboLeg) int { return strings.Compare(a.legText(), b.legText()) })
	}
	key := comboKey(c, legs)
	if cb, ok := mv.combos[key]; ok {
		return cb, false, nil
	}

	h := sha1.Sum([]byte("kalshitest combo " + key))
	eventTicker := fmt.Sprintf("%s-S%d%X", c.seriesTicker, now.Year(), h[0:6])
	marketTicker := fmt.Sprintf("%s-%X", eventTicker, h[6:12])
	var titles, rules []string
	var closeAt, expected, strike time.Time
	for _, l := range legs {
		m := x.markets[l.marketTicker]
		sub := m.yesSub
		if l.side == "no" {
			sub = m.noSub
		}
		titles = append(titles, l.side+" "+sub)
		rules = append(rules, fmt.Sprintf("%s resolves %s", m.ticker, strings.ToUpper(l.side[:1])+l.side[1:]))
		if closeAt.IsZero() || m.close.Before(closeAt) {
			closeAt = m.close
		}
		if m.expected.After(expected) {
			expected = m.expected
		}
		if e := x.events[m.eventTicker]; e.strikeDate.After(strike) {
			strike = e.strikeDate
		}
	}
	title := strings.Join(titles, ",")
	category := "Exotics"
	if s, ok := x.series[c.seriesTicker]; ok {
		category = s.category
	}
	x.addEvent(&eventState{ticker: eventTicker, seriesTicker: c.seriesTicker, title: title, subTitle: c.title, category: category, strikeDate: strike})
	m := &marketState{
		ticker: marketTicker, eventTicker: eventTicker, seriesTicker: c.seriesTicker,
		title: title, yesSub: title, noSub: title,
		rulesPrimary:   "If " + strings.Join(rules, ", and ") + ", then the market resolves to Yes.",
		rulesSecondary: "If any selected market resolves to the other side, the market resolves to No.",
		strikeType:     "custom", status: "active", tick: money.DollarsFromCents(1), fractional: true,
		created: now, open: now, close: closeAt, expected: expected, updated: now, seq: x.nextSeq(),
	}
	x.addMarket(m)
	cb = &comboState{collection: c.ticker, eventTicker: eventTicker, marketTicker: marketTicker, legs: legs, seq: m.seq}
	mv.combos[key] = cb
	mv.comboEvents[eventTicker] = cb
	mv.comboMarkets[marketTicker] = cb
	mv.comboOrder = append(mv.comboOrder, cb)
	x.publishEventCreated(x.events[eventTicker], now)
	x.publishLifecycle(m, now)
	return cb, true, nil
}

// comboMarketAPI renders a combo market with its collection and legs;
// each leg's settlement value is set once its market has a result.
func (x *exchange) comboMarketAPI(cb *comboState) gen.Market {
	out := x.markets[cb.marketTicker].api()
	out.MVECollectionTicker = cb.collection
	out.MVESelectedLegs = make([]gen.MVESelectedLeg, 0, len(cb.legs))
	for _, l := range cb.legs {
		leg := gen.MVESelectedLeg{EventTicker: l.eventTicker, MarketTicker: l.marketTicker, Side: l.side}
		if m := x.markets[l.marketTicker]; m != nil && m.result != "" {
			v := money.Zero
			if m.result == "yes" {
				v = money.One
			}
			leg.YesSettlementValueDollars = &v
		}
		out.MVESelectedLegs = append(out.MVESelectedLegs, leg)
	}
	return out
}

// mvUUID is a name-based UUID (version 5 layout over SHA-1), stable
// across runs, for records whose IDs must not depend on the ID source.
func mvUUID(name string) string {
	h := sha1.Sum([]byte("kalshitest " + name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}
