package kalshitest

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// liveDataState holds the fake's live data, milestones, structured
// targets, search filters, incentive programs and index values.
//
// Everything is made once, when the exchange is seeded, from the markets
// then listed and the exchange's seed. What changes with time (a game's
// score, a city's temperature, whether an incentive program is active) is
// not stored but computed from the exchange clock when asked for, so that
// answers agree with each other at every moment and a test that moves the
// clock (WithClock) watches a game being played. Index values are the one
// exception: they move by a random walk the WebSocket feed drives
// (ws_indices.go).
type liveDataState struct {
	seed uint64 // source of the values computed on demand (weather minutes, calibration offsets)

	milestones map[string]*milestone
	byStart    []*milestone            // listing order: start date, then ID
	byEvent    map[string][]*milestone // event ticker -> its milestones

	teams      map[string]*team // by abbreviation
	targets    []*structuredTarget
	targetByID map[string]*structuredTarget

	cities     map[string]*weatherCity // by city ID
	incentives []*incentiveProgram     // listing order
	indices    indexState
}

// seedLiveData gives the domain its starting data (exchange lock held):
// teams, players and a game for each generated basketball event, a
// milestone for every generated event, the weather cities of the weather
// series, incentive programs on generated markets and the index values.
func (x *exchange) seedLiveData(now time.Time) {
	r := rand.New(rand.NewPCG(x.rng.Uint64(), x.rng.Uint64()))
	ld := &x.liveData
	*ld = liveDataState{
		seed:       r.Uint64(),
		milestones: map[string]*milestone{},
		byEvent:    map[string][]*milestone{},
		teams:      map[string]*team{},
		targetByID: map[string]*structuredTarget{},
		cities:     map[string]*weatherCity{},
	}
	for _, t := range x.eventOrder {
		e := x.events[t]
		if !generatedEvent(e) {
			continue
		}
		switch e.seriesTicker {
		case "KXNBAGAME":
			x.seedGame(r, e, now)
		case "KXBTCD":
			x.addMilestone(cryptoMilestone(e, "BRTI", now))
		case "KXFEDDECISION":
			x.addMilestone(fedMilestone(e, now))
		}
	}
	x.seedWeather(now)
	for _, t := range x.eventOrder {
		if e := x.events[t]; e.seriesTicker == "KXHIGHNY" && generatedEvent(e) {
			if c := ld.cities[weatherSeries[e.seriesTicker]]; c != nil {
				x.addMilestone(weatherMilestone(e, c, now))
			}
		}
	}
	x.seedIncentives(r, now)
	x.seedIndices(r, now)
}

// generatedEvent reports whether an event is the generator's: in one of
// its series and with its category (events of WithMarket and AddMarket
// are "Other").
func generatedEvent(e *eventState) bool {
	for _, tpl := range seriesTemplates {
		if tpl.ticker == e.seriesTicker {
			return tpl.category == e.category
		}
	}
	return false
}

// milestone is a real-world happening events are tied to: a game, a
// price fixing, a day's weather, a Fed meeting. Its live data is computed
// from the clock by liveDetails.
type milestone struct {
	id, category, kind, title, notification string
	competition                             string // sports only, e.g. "Pro Basketball (M)"
	sourceID                                string // sports only: the data provider's ID
	start, end                              time.Time
	eventTicker                             string
	details                                 map[string]any // metadata, as GetMilestone shows it
	updated                                 time.Time

	game  *game        // basketball_game
	index string       // crypto_price: the index ID it follows
	fixed *indexTick   // crypto_price: the last value at or before the fixing, once a later one came
	city  *weatherCity // weather_daily_high
}

// The milestone (and live data) types the fake makes.
const (
	kindBasketball = "basketball_game"
	kindCrypto     = "crypto_price"
	kindWeather    = "weather_daily_high"
	kindFed        = "fomc_meeting"
)

// addMilestone lists a milestone under its ID, start date and event.
func (x *exchange) addMilestone(m *milestone) {
	ld := &x.liveData
	ld.milestones[m.id] = m
	i, _ := slices.BinarySearchFunc(ld.byStart, m, func(a, b *milestone) int { return strings.Compare(a.key(), b.key()) })
	ld.byStart = slices.Insert(ld.byStart, i, m)
	ld.byEvent[m.eventTicker] = append(ld.byEvent[m.eventTicker], m)
}

// key orders milestones by start date, then ID, for paging.
func (m *milestone) key() string { return fmt.Sprintf("%020d/%s", m.start.UnixNano(), m.id) }

// status is where the milestone stands at now, in the words live data
// uses: none (not started), live, or finished.
func (m *milestone) status(now time.Time) string {
	switch {
	case now.Before(m.start):
		return "none"
	case now.Before(m.end):
		return "live"
	}
	return "finished"
}

func (m *milestone) api() gen.Milestone {
	out := gen.Milestone{
		Category:            m.category,
		Details:             copyDetails(m.details),
		EndDate:             ptr(m.end),
		ID:                  m.id,
		LastUpdatedTS:       m.updated,
		NotificationMessage: m.notification,
		PrimaryEventTickers: []string{m.eventTicker},
		RelatedEventTickers: []string{m.eventTicker},
		StartDate:           m.start,
		Title:               m.title,
		Type:                m.kind,
	}
	if m.sourceID != "" {
		out.SourceID = ptr(m.sourceID)
		out.SourceIds = &map[string]string{"sportradar": m.sourceID}
	}
	return out
}

// cryptoMilestone is the fixing of a crypto index an event settles on:
// the hour up to 21:00 UTC (5pm EDT) on the event's date, before its
// markets close (see generate).
func cryptoMilestone(e *eventState, index string, now time.Time) *milestone {
	asset := indexAsset(index)
	fixing := dateOf(e.strikeDate).Add(21 * time.Hour)
	return &milestone{
		id: nameUUID("milestone", e.ticker), category: e.category, kind: kindCrypto,
		title: e.title, notification: asset + " price for " + e.subTitle + " is in",
		start: fixing.Add(-time.Hour), end: fixing, eventTicker: e.ticker,
		details: map[string]any{"index_id": index, "asset": asset, "source": "CF Benchmarks"},
		updated: now, index: index,
	}
}

// fedMilestone is the two-day FOMC meeting a Fed decision event settles
// on, ending with the statement at 19:00 UTC on the event's date, before
// its markets close.
func fedMilestone(e *eventState, now time.Time) *milestone {
	decision := dateOf(e.strikeDate).Add(19 * time.Hour)
	return &milestone{
		id: nameUUID("milestone", e.ticker), category: e.category, kind: kindFed,
		title: "FOMC meeting: " + strings.TrimPrefix(e.title, "Fed decision in "), notification: "The Fed's rate decision is out",
		start: decision.Add(-29 * time.Hour), end: decision, eventTicker: e.ticker,
		details: map[string]any{"institution": "Federal Reserve", "meeting_days": 2},
		updated: now,
	}
}

// weatherMilestone is the day whose high temperature an event settles on,
// in the city's local standard time, as the climate reports count days.
func weatherMilestone(e *eventState, c *weatherCity, now time.Time) *milestone {
	day := c.localDay(e.strikeDate)
	return &milestone{
		id: nameUUID("milestone", e.ticker), category: e.category, kind: kindWeather,
		title: e.title, notification: "The high temperature in " + c.name + " is final",
		start: day, end: day.Add(24 * time.Hour), eventTicker: e.ticker,
		details: map[string]any{"city": c.id, "city_name": c.name, "station": c.climateStation, "units": "fahrenheit"},
		updated: now, city: c,
	}
}

// dateOf is the start (00:00 UTC) of t's day.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// copyDetails returns a shallow copy of a details map, so an answer never
// shares a map with the state.
func copyDetails(d map[string]any) map[string]any {
	out := make(map[string]any, len(d))
	for k, v := range d {
		out[k] = v
	}
	return out
}

// nameUUID is a name-based UUID (version 5 layout) of kind and name:
// the same thing gets the same ID in every run, as Kalshi's milestones,
// targets and programs keep theirs.
func nameUUID(kind, name string) string {
	h := sha1.Sum([]byte("kalshitest " + kind + " " + name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// mix hashes a seed and some numbers into a well-spread 64-bit value
// (splitmix64 rounds): the source of values computed on demand, the same
// whenever they are asked for.
func mix(seed uint64, parts ...uint64) uint64 {
	z := seed
	for _, p := range parts {
		z += p + 0x9e3779b97f4a7c15
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		z ^= z >> 31
	}
	return z
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }

// strHash folds a string into a number for mix.
func strHash(s string) uint64 {
	h := sha1.Sum([]byte(s))
	return binary.LittleEndian.Uint64(h[:8])
}
