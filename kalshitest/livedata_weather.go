package kalshitest

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// weatherCity is a city whose temperature index the fake computes: a
// minute series made from its member stations, configured when seeded
// and recalibrated every week since. Values are a function of the minute
// (a seasonal and daily curve, a slow day-to-day drift and a little
// noise), so any window can be answered at any time and always the same.
type weatherCity struct {
	id, name       string
	climateStation string // the station daily highs settle on
	utcOffset      int    // local standard time, hours from UTC
	meanF          float64
	seasonAmp      float64 // half the gap between the warmest and coldest season, °F
	dayAmp         float64 // half the daily swing, °F
	stations       []weatherStation
	launch         time.Time // the index went live; the week before is a labelled backfill
	seed           uint64
}

// weatherStation is a member station: its base weight and launch offset.
type weatherStation struct {
	id      string
	weight  float64
	offsetC float64
}

// weatherCities are the cities the fake knows, configured when their
// weather series is listed (weatherSeries).
var weatherCities = map[string]weatherCity{
	"new_york": {id: "new_york", name: "New York City", climateStation: "KNYC", utcOffset: -5, meanF: 55, seasonAmp: 22, dayAmp: 7,
		stations: []weatherStation{{"KNYC1M", 0.4, 0.2}, {"KLGA1M", 0.3, 0.1}, {"KJFK1M", 0.3, -0.3}}},
	"miami": {id: "miami", name: "Miami", climateStation: "KMIA", utcOffset: -5, meanF: 77, seasonAmp: 7, dayAmp: 5,
		stations: []weatherStation{{"KMIA1M", 0.5, 0.1}, {"KOPF1M", 0.25, -0.2}, {"KTMB1M", 0.25, 0.1}}},
	"chicago": {id: "chicago", name: "Chicago", climateStation: "KMDW", utcOffset: -6, meanF: 50, seasonAmp: 25, dayAmp: 8,
		stations: []weatherStation{{"KMDW1M", 0.5, 0.2}, {"KORD1M", 0.5, -0.2}}},
	"austin": {id: "austin", name: "Austin", climateStation: "KAUS", utcOffset: -6, meanF: 70, seasonAmp: 15, dayAmp: 10,
		stations: []weatherStation{{"KAUS1M", 0.6, 0.0}, {"KEDC1M", 0.4, -0.1}}},
	"los_angeles": {id: "los_angeles", name: "Los Angeles", climateStation: "KLAX", utcOffset: -8, meanF: 64, seasonAmp: 6, dayAmp: 6,
		stations: []weatherStation{{"KLAX1M", 0.5, -0.4}, {"KCQT1M", 0.5, 0.4}}},
	"philadelphia": {id: "philadelphia", name: "Philadelphia", climateStation: "KPHL", utcOffset: -5, meanF: 56, seasonAmp: 21, dayAmp: 8,
		stations: []weatherStation{{"KPHL1M", 0.6, 0.1}, {"KPNE1M", 0.4, -0.1}}},
	"denver": {id: "denver", name: "Denver", climateStation: "KDEN", utcOffset: -7, meanF: 51, seasonAmp: 20, dayAmp: 12,
		stations: []weatherStation{{"KDEN1M", 0.6, -0.2}, {"KAPA1M", 0.4, 0.3}}},
}

// weatherSeries maps Kalshi's daily-high series to their index city.
var weatherSeries = map[string]string{
	"KXHIGHNY": "new_york", "KXHIGHMIA": "miami", "KXHIGHCHI": "chicago", "KXHIGHAUS": "austin",
	"KXHIGHLAX": "los_angeles", "KXHIGHPHIL": "philadelphia", "KXHIGHDEN": "denver",
}

// The index's timing: a minute is final once its readings' receipt
// deadline has passed; until then it is served only in detailed answers,
// as incomplete.
const (
	receiptDeadline  = 2 * time.Minute
	maxWeatherWindow = 7 * 24 * time.Hour
	backfillWindow   = 7 * 24 * time.Hour
	calibrationDelay = 4 * time.Hour // a week's offsets are published this long after it ends
)

// seedWeather configures the city of every weather series listed. The
// index went live on a Monday six weeks before now.
func (x *exchange) seedWeather(now time.Time) {
	ld := &x.liveData
	for _, s := range x.seriesOrder {
		id, ok := weatherSeries[s]
		if !ok || ld.cities[id] != nil {
			continue
		}
		c := weatherCities[id]
		c.stations = append([]weatherStation(nil), c.stations...)
		c.launch = mondayOf(now).AddDate(0, 0, -42)
		c.seed = mix(ld.seed, strHash(id))
		ld.cities[id] = &c
	}
}

// mondayOf is the start (00:00 UTC) of the week of t.
func mondayOf(t time.Time) time.Time {
	t = t.UTC()
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// localDay is the start, as a UTC instant, of the city's standard-time
// day that holds t.
func (c *weatherCity) localDay(t time.Time) time.Time {
	loc := time.FixedZone(fmt.Sprintf("UTC%+d", c.utcOffset), c.utcOffset*3600)
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc).UTC()
}

// minuteStatus is the index's state for a minute.
type minuteStatus int

const (
	minuteNormal minuteStatus = iota
	minuteDegraded
	minuteGap // the member quorum failed: no value
)

// minuteOf draws a minute's status (minute is Unix minutes).
func (c *weatherCity) minuteOf(minute int64) minuteStatus {
	switch u := unit(mix(c.seed, 2, uint64(minute))); {
	case u < 0.004:
		return minuteGap
	case u < 0.04:
		return minuteDegraded
	}
	return minuteNormal
}

// tempF is the index value of a minute, in °F rounded to 0.01.
func (c *weatherCity) tempF(minute int64) float64 {
	localSec := minute*60 + int64(c.utcOffset)*3600
	local := time.Unix(localSec, 0).UTC()
	doy := float64(local.YearDay())
	hour := float64(local.Hour()) + float64(local.Minute())/60
	day := localSec / 86400
	frac := float64(localSec%86400) / 86400
	drift := func(d int64) float64 { return (unit(mix(c.seed, 1, uint64(d))) - 0.5) * 8 }
	v := c.meanF -
		math.Cos(2*math.Pi*(doy-20)/365.25)*c.seasonAmp +
		math.Sin(2*math.Pi*(hour-9)/24)*c.dayAmp +
		drift(day)*(1-frac) + drift(day+1)*frac +
		(unit(mix(c.seed, 3, uint64(minute)))-0.5)*0.3
	return math.Round(v*100) / 100
}

// point renders a minute of the index; incomplete marks a minute still
// inside its receipt deadline (now is when the answer is made).
func (c *weatherCity) point(minute int64, detailed, incomplete bool, now time.Time, versions []weatherCalibration) gen.WeatherIndexPoint {
	t := minute * 60_000
	v := c.tempF(minute)
	if incomplete {
		p := gen.WeatherIndexPoint{T: t, Status: "incomplete"}
		st := []gen.WeatherIndexStationReading{}
		for i, s := range c.stations {
			recv := c.receivedAt(minute, i)
			if recv > now.UnixMilli() {
				continue // not recorded yet
			}
			st = append(st, gen.WeatherIndexStationReading{StationID: s.id, Code: "pending", Source: ptr("hf_asos"),
				TempF: ptr(c.stationTemp(minute, i, v, versions)), ReceivedAtMs: ptr(recv)})
		}
		sortReadings(st)
		p.Stations = &st
		return p
	}
	status := c.minuteOf(minute)
	p := gen.WeatherIndexPoint{T: t, V: ptr(v), Status: "normal"}
	if status == minuteDegraded {
		p.Status = "degraded"
	}
	if t < c.launch.UnixMilli() {
		p.ReceiptBasis = ptr("synoptic_latency")
	}
	odd := -1 // the member that was absent or fed by a fallback
	if status == minuteDegraded {
		odd = int(mix(c.seed, 4, uint64(minute)) % uint64(len(c.stations)))
	}
	missing := odd >= 0 && mix(c.seed, 5, uint64(minute))%2 == 0
	contributors := len(c.stations)
	if missing {
		contributors--
	}
	p.Contributors = ptr(contributors)
	if !detailed {
		return p
	}
	st := make([]gen.WeatherIndexStationReading, 0, len(c.stations))
	for i, s := range c.stations {
		r := gen.WeatherIndexStationReading{StationID: s.id, Code: "ok", Source: ptr("hf_asos"),
			TempF: ptr(c.stationTemp(minute, i, v, versions)), ReceivedAtMs: ptr(c.receivedAt(minute, i))}
		if i == odd {
			if missing {
				r = gen.WeatherIndexStationReading{StationID: s.id, Code: "missing"}
			} else {
				// The hourly METAR carried forward in place of the primary.
				obs := (minute/60)*3_600_000 - 9*60_000
				r.Source, r.ObsTimeMs, r.PrimaryCode = ptr("metar"), ptr(obs), ptr("missing")
			}
		}
		st = append(st, r)
	}
	sortReadings(st)
	p.Stations = &st
	return p
}

// sortReadings orders station readings by station ID, as Kalshi lists them.
func sortReadings(st []gen.WeatherIndexStationReading) {
	slices.SortFunc(st, func(a, b gen.WeatherIndexStationReading) int { return strings.Compare(a.StationID, b.StationID) })
}

// stationTemp is a member's raw reading: the index value, the station's
// offset in force and a little noise, unrounded.
func (c *weatherCity) stationTemp(minute int64, i int, v float64, versions []weatherCalibration) float64 {
	off := c.stations[i].offsetC
	if cal := calibrationAt(versions, minute*60_000); cal != nil {
		off = cal.offsets[i]
	}
	f := v + off*1.8 + (unit(mix(c.seed, 6, uint64(minute), uint64(i)))-0.5)*0.4
	// Stations report tenths of a degree Celsius.
	tenthsC := math.Round((f - 32) * 50 / 9)
	return math.Round((tenthsC*0.18+32)*1e6) / 1e6
}

// receivedAt is when a member's reading of a minute arrived: 5 to 40
// seconds after the minute ended.
func (c *weatherCity) receivedAt(minute int64, i int) int64 {
	return (minute+1)*60_000 + 5_000 + int64(mix(c.seed, 7, uint64(minute), uint64(i))%35_000)
}

// weatherCalibration is one record of a city's configuration timeline.
type weatherCalibration struct {
	version              string
	published, effective time.Time
	reason               string
	windowStart          time.Time // zero for the launch record
	offsets              []float64 // per member station, °C
	notes                []string  // weekly records only
}

// calibrations is the city's timeline as of now: the launch
// configuration, then one record per complete week since, published four
// hours after the week ends.
func (c *weatherCity) calibrations(now time.Time) []weatherCalibration {
	base := c.id + "-temperature-v1.0"
	offsets := make([]float64, len(c.stations))
	for i, s := range c.stations {
		offsets[i] = s.offsetC
	}
	out := []weatherCalibration{{version: base, published: c.launch.Add(-24 * time.Hour), effective: c.launch,
		reason: "launch configuration", offsets: offsets}}
	for k := 1; ; k++ {
		end := c.launch.AddDate(0, 0, 7*k)
		at := end.Add(calibrationDelay)
		if at.After(now) {
			break
		}
		prev := out[len(out)-1].offsets
		next := make([]float64, len(prev))
		notes := make([]string, len(prev))
		for i := range prev {
			n := 8000 + int(mix(c.seed, 8, uint64(k), uint64(i))%3000)
			if unit(mix(c.seed, 9, uint64(k), uint64(i))) < 0.1 {
				n = 200 + n%600
				next[i] = prev[i]
				notes[i] = fmt.Sprintf("insufficient residuals (n=%d < 1000); prior offset retained", n)
				continue
			}
			adj := math.Round((unit(mix(c.seed, 10, uint64(k), uint64(i)))-0.5)*0.06*1000) / 1000
			next[i] = math.Round((prev[i]+adj)*1000) / 1000
			notes[i] = fmt.Sprintf("updated n=%d residuals, target %.3f C, applied %+.3f C", n, next[i], adj)
		}
		out = append(out, weatherCalibration{
			version: base + "-cal-" + end.Format("20060102"), published: at, effective: at,
			reason: "weekly offset calibration", windowStart: end.AddDate(0, 0, -7), offsets: next, notes: notes,
		})
	}
	return out
}

// calibrationAt is the record in force at t (Unix ms): the last one
// effective at or before it, or the launch record for the backfill.
func calibrationAt(cals []weatherCalibration, t int64) *weatherCalibration {
	if len(cals) == 0 {
		return nil
	}
	at := &cals[0]
	for i := range cals {
		if cals[i].effective.UnixMilli() <= t {
			at = &cals[i]
		}
	}
	return at
}

func (c *weatherCity) calibrationsAPI(now time.Time) gen.GetWeatherIndexCalibrationsResponse {
	out := gen.GetWeatherIndexCalibrationsResponse{City: c.id, Units: "celsius", Calibrations: []gen.WeatherIndexCalibration{}}
	for _, cal := range c.calibrations(now) {
		rec := gen.WeatherIndexCalibration{
			ConfigVersion: cal.version, PublishedAtMs: ptr(cal.published.UnixMilli()), EffectiveAtMs: cal.effective.UnixMilli(),
			ChangeReason: ptr(cal.reason), Stations: make([]gen.WeatherIndexCalibrationStation, 0, len(c.stations)),
		}
		if !cal.windowStart.IsZero() {
			rec.CalibrationWindowStartMs = ptr(cal.windowStart.UnixMilli())
			rec.CalibrationWindowEndMs = ptr(cal.windowStart.AddDate(0, 0, 7).UnixMilli())
		}
		ref := 0.0
		for i, s := range c.stations {
			st := gen.WeatherIndexCalibrationStation{StationID: s.id, Weight: s.weight, OffsetC: cal.offsets[i]}
			if cal.notes != nil {
				st.UpdateNote = ptr(cal.notes[i])
			}
			ref += s.weight * cal.offsets[i]
			rec.Stations = append(rec.Stations, st)
		}
		rec.CityReferenceC = math.Round(ref*10000) / 10000
		out.Calibrations = append(out.Calibrations, rec)
	}
	return out
}

// series answers GetWeatherIndex for the window [from, to] (Unix ms,
// inclusive) at now: final minutes, and with detailed the incomplete ones
// still inside their receipt deadline.
func (c *weatherCity) series(from, to int64, detailed bool, now time.Time) gen.GetWeatherIndexResponse {
	out := gen.GetWeatherIndexResponse{City: c.id, Units: "fahrenheit", Timeseries: []gen.WeatherIndexPoint{}, ConfigVersion: ptr("")}
	cals := c.calibrations(now)
	first := max((from+59_999)/60_000, c.launch.Add(-backfillWindow).Unix()/60)
	last := to / 60_000
	nowMs := now.UnixMilli()
	for m := first; m <= last; m++ {
		end := (m + 1) * 60_000
		if end > nowMs {
			break // the minute has not ended
		}
		incomplete := end+receiptDeadline.Milliseconds() > nowMs
		if incomplete && !detailed {
			break
		}
		if !incomplete && c.minuteOf(m) == minuteGap {
			continue
		}
		out.Timeseries = append(out.Timeseries, c.point(m, detailed, incomplete, now, cals))
		if !incomplete {
			out.ConfigVersion = ptr(calibrationAt(cals, m*60_000).version)
		}
	}
	return out
}

// dayDetails is the live data of a day's high at now: the highest and
// latest final values of the day so far.
func (c *weatherCity) dayDetails(ms *milestone, now time.Time, hourly bool) map[string]any {
	d := map[string]any{
		"type": kindWeather, "status": ms.status(now), "city": c.id, "city_name": c.name, "station": c.climateStation,
		"date": ms.start.Add(time.Duration(c.utcOffset) * time.Hour).Format("2006-01-02"), "units": "fahrenheit",
	}
	limit := now.Add(-receiptDeadline)
	if limit.After(ms.end) {
		limit = ms.end
	}
	var high, latest float64
	var highAt, latestAt int64
	found := false
	var obs []map[string]any
	for m := ms.start.Unix() / 60; (m+1)*60_000 <= limit.UnixMilli(); m++ {
		if c.minuteOf(m) == minuteGap {
			continue
		}
		v := c.tempF(m)
		if !found || v > high {
			high, highAt = v, m*60_000
		}
		latest, latestAt, found = v, m*60_000, true
		if hourly && m%60 == 0 {
			obs = append(obs, map[string]any{"t": m * 60_000, "v": v})
		}
	}
	if found {
		d["high_temp_f"], d["high_temp_ts_ms"] = high, highAt
		d["current_temp_f"], d["observation_ts_ms"] = latest, latestAt
	}
	if hourly {
		if obs == nil {
			obs = []map[string]any{}
		}
		d["observations"] = obs
	}
	return d
}
