package kalshitest

import (
	"crypto/sha1"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// seriesProfile is what the fake knows about a series beyond its listing:
// where its markets settle from, its competition, and how its numerical
// forecasts are rounded and written.
type seriesProfile struct {
	sources            []gen.SettlementSource
	competition, scope string
	decimals           int                   // places a numerical forecast is rounded to
	format             func(v string) string // writes a rounded forecast for display
}

var seriesProfiles = map[string]seriesProfile{
	"KXHIGHNY": {
		sources:  []gen.SettlementSource{{Name: "National Weather Service", URL: "https://www.weather.gov/wrh/climate?wfo=okx"}},
		decimals: 1, format: func(v string) string { return v + "°" },
	},
	"KXBTCD": {
		sources:  []gen.SettlementSource{{Name: "CF Benchmarks", URL: "https://www.cfbenchmarks.com/data/indices/BRTI"}},
		decimals: 2, format: func(v string) string { return "$" + groupThousands(v) },
	},
	"KXNBAGAME": {
		sources:     []gen.SettlementSource{{Name: "NBA", URL: "https://www.nba.com/"}},
		competition: "Pro Basketball (M)", scope: "Game",
		decimals: 1, format: func(v string) string { return v + " points" },
	},
	"KXFEDDECISION": {
		sources: []gen.SettlementSource{{Name: "Federal Reserve", URL: "https://www.federalreserve.gov/monetarypolicy/openmarket.htm"}},
	},
}

// groupThousands groups the integer digits of a decimal string with commas.
func groupThousands(v string) string {
	whole, frac, hasFrac := strings.Cut(v, ".")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	for i, d := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	out := b.String()
	if neg {
		out = "-" + out
	}
	if hasFrac {
		out += "." + frac
	}
	return out
}

// metadataImageURL is where an image of a series or market would be.
func metadataImageURL(kind, ticker string) string {
	return "https://kalshi-public-docs.s3.amazonaws.com/" + kind + "-images-webp/" + ticker + ".webp"
}

// marketColorCodes are the display colors given to an event's markets, in turn.
var marketColorCodes = []string{"#0E7C86", "#D9534F", "#2F6FDE", "#8E44AD", "#E0A526", "#3BA55C"}

// eventSources returns the settlement sources of an event: its series',
// or for a combo event those of its legs' series, without repeats.
func (x *exchange) eventSources(e *eventState) []gen.SettlementSource {
	out := []gen.SettlementSource{}
	add := func(series string) {
		for _, s := range seriesProfiles[series].sources {
			dup := false
			for _, have := range out {
				dup = dup || have == s
			}
			if !dup {
				out = append(out, s)
			}
		}
	}
	if cb, ok := x.multivariate.comboEvents[e.ticker]; ok {
		for _, l := range cb.legs {
			if le, ok := x.events[l.eventTicker]; ok {
				add(le.seriesTicker)
			}
		}
		return out
	}
	add(e.seriesTicker)
	return out
}

// eventMetadata describes an event for GetEventMetadata: the series'
// image, an image and color per market (the first market featured), the
// settlement sources and, for games, the competition.
func (x *exchange) eventMetadata(e *eventState) gen.GetEventMetadataResponse {
	out := gen.GetEventMetadataResponse{
		ImageURL:          metadataImageURL("series", e.seriesTicker),
		MarketDetails:     make([]gen.MarketMetadata, 0, len(e.markets)),
		SettlementSources: x.eventSources(e),
	}
	for i, t := range e.markets {
		out.MarketDetails = append(out.MarketDetails, gen.MarketMetadata{MarketTicker: t, ImageURL: metadataImageURL("market", t), ColorCode: marketColorCodes[i%len(marketColorCodes)]})
	}
	if len(e.markets) > 0 {
		out.FeaturedImageURL = ptr(metadataImageURL("market", e.markets[0]))
	}
	if p, ok := seriesProfiles[e.seriesTicker]; ok && p.competition != "" {
		out.Competition, out.CompetitionScope = p.competition, p.scope
	}
	return out
}

// forecastModel is an event's numerical forecast: a normal distribution
// whose center drifts through the day around the middle of the event's
// strikes, the same for the same event and time in every run.
type forecastModel struct {
	center, spread, phase float64
	profile               seriesProfile
}

// forecast returns the model of an event whose markets have numerical
// strikes; ok is false for any other event (categorical ones, combos).
func (x *exchange) forecast(e *eventState) (forecastModel, bool) {
	if isMultivariateTicker(e.ticker) {
		return forecastModel{}, false
	}
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, t := range e.markets {
		m := x.markets[t]
		for _, s := range []*float64{m.floorStrike, m.capStrike} {
			if s != nil {
				lo, hi, n = math.Min(lo, *s), math.Max(hi, *s), n+1
			}
		}
	}
	if n == 0 {
		return forecastModel{}, false
	}
	h := sha1.Sum([]byte("kalshitest forecast " + e.ticker))
	f := forecastModel{center: (lo + hi) / 2, spread: (hi - lo) / 4, phase: float64(binary.BigEndian.Uint32(h[:4])) / math.MaxUint32 * 2 * math.Pi, profile: seriesProfiles[e.seriesTicker]}
	if f.spread == 0 {
		f.spread = math.Max(math.Abs(f.center)*0.02, 1)
	}
	if f.profile.format == nil {
		f.profile.decimals, f.profile.format = 2, func(v string) string { return v }
	}
	return f, true
}

// at returns the forecast at a percentile (0-9999) at Unix time ts.
func (f forecastModel) at(percentile int32, ts int64) gen.PercentilePoint {
	day := float64(ts%86400) / 86400
	mid := f.center + f.spread/4*math.Sin(2*math.Pi*day+f.phase)
	q := (float64(percentile) + 0.5) / 10000
	raw := mid + f.spread*math.Sqrt2*math.Erfinv(2*q-1)
	text := strconv.FormatFloat(raw, 'f', f.profile.decimals, 64)
	rounded, _ := strconv.ParseFloat(text, 64)
	return gen.PercentilePoint{Percentile: percentile, RawNumericalForecast: raw, NumericalForecast: rounded, FormattedForecast: f.profile.format(text)}
}

// errNoForecast refuses a forecast history for an event without one.
func errNoForecast(eventTicker string) *apiError {
	return refuseParams(fmt.Sprintf("event %s has no numerical forecast", eventTicker))
}
