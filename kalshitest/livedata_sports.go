package kalshitest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// team is a basketball team the generated games refer to; it and its
// players are structured targets.
type team struct {
	id, abbr, market, nickname string
	conference, division       string
	sourceID                   string
	players                    []*player
}

func (t *team) name() string { return t.market + " " + t.nickname }

// player is a (fictional) player of a team.
type player struct {
	id, first, last, position string
	jersey                    int
	sourceID                  string
	team                      *team
}

func (p *player) name() string { return p.first + " " + p.last }

// nbaTeams are the teams the KXNBAGAME events are named after (see the
// generator's templates in markets.go), with their league groupings.
var nbaTeams = map[string][4]string{
	"BOS": {"Boston", "Celtics", "Eastern", "Atlantic"},
	"NYK": {"New York", "Knicks", "Eastern", "Atlantic"},
	"LAL": {"Los Angeles", "Lakers", "Western", "Pacific"},
	"GSW": {"Golden State", "Warriors", "Western", "Pacific"},
	"MIA": {"Miami", "Heat", "Eastern", "Southeast"},
	"ORL": {"Orlando", "Magic", "Eastern", "Southeast"},
	"DEN": {"Denver", "Nuggets", "Western", "Northwest"},
	"PHX": {"Phoenix", "Suns", "Western", "Pacific"},
	"CHI": {"Chicago", "Bulls", "Eastern", "Central"},
	"DET": {"Detroit", "Pistons", "Eastern", "Central"},
}

// Players are made up from these names, so no real person's statistics
// are invented.
var (
	firstNames = []string{"Marcus", "Devin", "Jalen", "Tyrese", "Andre", "Caleb", "Darius", "Elijah", "Isaiah", "Jordan",
		"Keon", "Malik", "Noah", "Owen", "Quentin", "Rashad", "Silas", "Terrence", "Victor", "Xavier"}
	lastNames = []string{"Abernathy", "Bramwell", "Castellano", "Dunmore", "Ellery", "Fairbanks", "Garrow", "Holloway",
		"Ingram-Pike", "Jessup", "Kettering", "Lindqvist", "Marchetti", "Northcott", "Okafor-Lane", "Pendleton",
		"Quarles", "Redfield", "Stallworth", "Thorne", "Underhill", "Vasquez-Moore", "Whitlock", "Yardley"}
	positions = []string{"PG", "SG", "SF", "PF", "C"}
)

// ensureTeam returns the team of abbr (one of nbaTeams), making it and
// five players (and their structured targets) the first time.
func (x *exchange) ensureTeam(r *rand.Rand, abbr string, now time.Time) *team {
	ld := &x.liveData
	if t := ld.teams[abbr]; t != nil {
		return t
	}
	info := nbaTeams[abbr]
	t := &team{id: nameUUID("team", "NBA "+abbr), abbr: abbr, market: info[0], nickname: info[1], conference: info[2], division: info[3],
		sourceID: fmt.Sprintf("sr:competitor:%d", 3400+len(ld.teams)*7+int(strHash(abbr)%7))}
	ld.teams[abbr] = t
	x.addTarget(&structuredTarget{
		id: t.id, name: t.name(), kind: "basketball_team", sourceID: t.sourceID, updated: now,
		details: map[string]any{
			"league": "NBA", "leagues": []string{"NBA"}, "conference": t.conference, "division": t.division,
			"abbreviation": t.abbr, "market": t.market, "nickname": t.nickname,
		},
	})
	used := map[string]bool{}
	for _, tt := range ld.teams {
		for _, p := range tt.players {
			used[p.name()] = true
		}
	}
	jerseys := r.Perm(45)
	for i, pos := range positions {
		var first, last string
		for {
			first, last = firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
			if !used[first+" "+last] {
				break
			}
		}
		used[first+" "+last] = true
		p := &player{id: nameUUID("player", t.abbr+" "+first+" "+last), first: first, last: last, position: pos,
			jersey: jerseys[i], team: t, sourceID: fmt.Sprintf("sr:player:%d", 600000+int(strHash(first+last+abbr)%400000))}
		t.players = append(t.players, p)
		x.addTarget(&structuredTarget{
			id: p.id, name: p.name(), kind: "basketball_player", sourceID: p.sourceID, updated: now,
			details: map[string]any{
				"league": "NBA", "leagues": []string{"NBA"}, "team": t.name(), "team_id": t.id,
				"position": p.position, "jersey_number": p.jersey, "conference": t.conference, "division": t.division,
			},
		})
	}
	return t
}

// game is a basketball game: its teams, tip-off and the script of every
// scoring play, drawn when seeded. What has happened at a moment is the
// part of the script before it.
type game struct {
	home, away *team
	start      time.Time
	plays      []play // in game order
}

// play is one scoring play.
type play struct {
	period  int // 1 to 4
	elapsed int // game seconds into the period, 0 to 719
	home    bool
	points  int
	player  *player
}

// The game's timeline in real time: four quarters of 12 game minutes,
// each taking 30 real minutes, with a 15-minute half-time after the
// second. The game is over 2h15m after tip-off.
const (
	quarterGameSecs = 12 * 60
	quarterReal     = 30 * time.Minute
	halfTimeReal    = 15 * time.Minute
	gameReal        = 4*quarterReal + halfTimeReal
)

// seedGame makes the teams, the game script and the milestone of a
// KXNBAGAME event, whose ticker ends in the away and home abbreviations
// ("...-26JUN13BOSNYK": BOS at NYK).
func (x *exchange) seedGame(r *rand.Rand, e *eventState, now time.Time) {
	if len(e.ticker) < 6 {
		return
	}
	code := e.ticker[len(e.ticker)-6:]
	if _, ok := nbaTeams[code[:3]]; !ok {
		return
	}
	if _, ok := nbaTeams[code[3:]]; !ok {
		return
	}
	away, home := x.ensureTeam(r, code[:3], now), x.ensureTeam(r, code[3:], now)
	// Tip-off at 7:30 PM Eastern on the ticker's date, or at 12:30 PM
	// when the evening game would end after the markets close (see
	// generate).
	g := &game{home: home, away: away, start: dateOf(e.strikeDate).Add(24*time.Hour + 30*time.Minute)}
	if closes := e.strikeDate.Add(22 * time.Hour); g.start.Add(gameReal).After(closes) {
		g.start = g.start.Add(-7 * time.Hour)
	}
	weights := []int{30, 25, 20, 15, 10}
	for period := 1; period <= 4; period++ {
		for _, isHome := range []bool{true, false} {
			t := away
			if isHome {
				t = home
			}
			for left := 22 + r.IntN(13); left > 0; {
				pts := 2
				switch v := r.IntN(100); {
				case v < 30:
					pts = 3
				case v < 45:
					pts = 1
				}
				pts = min(pts, left)
				left -= pts
				g.plays = append(g.plays, play{period: period, elapsed: r.IntN(quarterGameSecs), home: isHome, points: pts, player: t.players[pick(r, weights)]})
			}
		}
	}
	slices.SortStableFunc(g.plays, func(a, b play) int {
		if a.period != b.period {
			return a.period - b.period
		}
		return a.elapsed - b.elapsed
	})
	if h, a := g.score(len(g.plays)); h == a { // no overtime: a last free throw decides
		g.plays = append(g.plays, play{period: 4, elapsed: quarterGameSecs - 1, home: true, points: 1, player: home.players[0]})
	}
	x.addMilestone(&milestone{
		id: nameUUID("milestone", e.ticker), category: e.category, kind: kindBasketball, competition: "Pro Basketball (M)",
		title:        away.name() + " at " + home.name(),
		notification: away.nickname + " at " + home.nickname + " is about to tip off",
		sourceID:     fmt.Sprintf("sr:sport_event:%d", 40000000+strHash(e.ticker)%10000000),
		start:        g.start, end: g.start.Add(gameReal), eventTicker: e.ticker, updated: now, game: g,
		details: map[string]any{
			"competition": "Pro Basketball (M)", "league": "NBA", "sport": "Basketball",
			"home_team_id": home.id, "away_team_id": away.id, "home_team": home.name(), "away_team": away.name(),
			"scheduled": g.start.Format(time.RFC3339),
		},
	})
}

// pick draws an index with the given weights.
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	v := r.IntN(total)
	for i, w := range weights {
		if v < w {
			return i
		}
		v -= w
	}
	return len(weights) - 1
}

// eastern is the time games are announced in (standard time).
var eastern = time.FixedZone("EST", -5*3600)

// gameClock is where a game stands at a moment.
type gameClock struct {
	status   string // none, live, finished
	period   int    // 0 before tip-off; 4 once finished
	elapsed  int    // game seconds into the period
	halfTime bool
}

// clockAt places now on the game's timeline.
func (g *game) clockAt(now time.Time) gameClock {
	d := now.Sub(g.start)
	switch {
	case d < 0:
		return gameClock{status: "none"}
	case d >= gameReal:
		return gameClock{status: "finished", period: 4, elapsed: quarterGameSecs}
	case d >= 2*quarterReal && d < 2*quarterReal+halfTimeReal:
		return gameClock{status: "live", period: 2, elapsed: quarterGameSecs, halfTime: true}
	}
	if d >= 2*quarterReal {
		d -= halfTimeReal
	}
	q := int(d / quarterReal)
	in := d - time.Duration(q)*quarterReal
	return gameClock{status: "live", period: q + 1, elapsed: int(in * quarterGameSecs / quarterReal / time.Second)}
}

// played is how many plays of the script have happened at c.
func (g *game) played(c gameClock) int {
	if c.status == "finished" {
		return len(g.plays)
	}
	return sort.Search(len(g.plays), func(i int) bool {
		p := g.plays[i]
		return p.period > c.period || (p.period == c.period && p.elapsed > c.elapsed)
	})
}

// score is the home and away points after the first n plays.
func (g *game) score(n int) (home, away int) {
	for _, p := range g.plays[:n] {
		if p.home {
			home += p.points
		} else {
			away += p.points
		}
	}
	return home, away
}

// clockText is the time left in the period, as "07:32".
func clockText(elapsed int) string {
	left := quarterGameSecs - elapsed
	return fmt.Sprintf("%02d:%02d", left/60, left%60)
}

// liveDetails is the game's live data at now, with each player's points
// when playerStats is set.
func (g *game) liveDetails(now time.Time, playerStats bool) map[string]any {
	c := g.clockAt(now)
	n := g.played(c)
	hp, ap := g.score(n)
	d := map[string]any{
		"type": kindBasketball, "status": c.status, "scheduled": g.start.Format(time.RFC3339),
		"home_id": g.home.id, "away_id": g.away.id, "home_name": g.home.name(), "away_name": g.away.name(),
		"home_short_name": g.home.nickname, "away_short_name": g.away.nickname,
		"home_abbreviation": g.home.abbr, "away_abbreviation": g.away.abbr,
		"home_points": hp, "away_points": ap, "period": c.period, "clock": "12:00", "half_time": c.halfTime,
	}
	var text string
	switch c.status {
	case "none":
		text = g.start.In(eastern).Format("Jan 2 3:04 PM MST")
	case "finished":
		text = "Final"
		d["clock"] = "00:00"
		d["winner"] = g.home.id
		if ap > hp {
			d["winner"] = g.away.id
		}
	default:
		d["clock"] = clockText(c.elapsed)
		text = fmt.Sprintf("Q%d %s", c.period, clockText(c.elapsed))
		if c.halfTime {
			text = "Halftime"
		}
	}
	d["widgetLiveText"] = fmt.Sprintf("%s %d - %d %s · %s", g.away.abbr, ap, hp, g.home.abbr, text)
	d["tileLiveText"] = text
	if playerStats {
		d["player_stats"] = g.playerStats(n)
	}
	return d
}

// playerStats lists every player's points after the first n plays,
// away team first, each in roster order.
func (g *game) playerStats(n int) []map[string]any {
	points := map[*player]int{}
	for _, p := range g.plays[:n] {
		points[p.player] += p.points
	}
	var out []map[string]any
	for _, t := range []*team{g.away, g.home} {
		for _, p := range t.players {
			out = append(out, map[string]any{
				"player_id": p.id, "name": p.name(), "team_id": t.id, "team": t.abbr, "position": p.position, "points": points[p],
			})
		}
	}
	return out
}

// playByPlay lists the plays that have happened at now, by period: every
// period that has begun, each with its plays so far.
func (g *game) playByPlay(now time.Time) [][]map[string]any {
	c := g.clockAt(now)
	n := g.played(c)
	periods := make([][]map[string]any, c.period)
	for i := range periods {
		periods[i] = []map[string]any{}
	}
	hp, ap := 0, 0
	for i, p := range g.plays[:n] {
		if p.home {
			hp += p.points
		} else {
			ap += p.points
		}
		t := g.away
		if p.home {
			t = g.home
		}
		kind := map[int]string{1: "freethrowmade", 2: "twopointmade", 3: "threepointmade"}[p.points]
		verb := map[int]string{1: "makes free throw", 2: "makes two point shot", 3: "makes three point jump shot"}[p.points]
		periods[p.period-1] = append(periods[p.period-1], map[string]any{
			"id":          nameUUID("play", fmt.Sprintf("%s %s %d", g.home.id, g.start, i)),
			"sequence":    i + 1,
			"type":        kind,
			"period":      p.period,
			"clock":       clockText(p.elapsed),
			"team_id":     t.id,
			"team":        t.abbr,
			"player_id":   p.player.id,
			"player_name": p.player.name(),
			"points":      p.points,
			"home_points": hp,
			"away_points": ap,
			"description": p.player.name() + " " + verb,
		})
	}
	return periods
}
