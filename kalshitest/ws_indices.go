package kalshitest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/seed-c9ca4919/kalshi/ws"
)

// The index feeds: CF Benchmarks reference rates on cfbenchmarks_value
// (every index, once a second, with trailing averages) and
// cfbenchmarks_value_5hz (the five major coins, five times a second), and
// Pyth commodity prices on pyth_value (once a second). Values follow a
// random walk drawn from the exchange's seed, the n-th value of an index
// the same in every run; the WebSocket feed drives the walk while it runs
// (from the first connection until Close), and PublishIndexValue and
// PublishPythValue set a value by hand.

// DefaultIndexInterval is how often cfbenchmarks_value and pyth_value
// values are sent unless WithIndexInterval says otherwise;
// cfbenchmarks_value_5hz values go five times as often.
const DefaultIndexInterval = time.Second

// WithIndexInterval sets how often the index feeds send values: d for
// cfbenchmarks_value and pyth_value, d/5 for cfbenchmarks_value_5hz
// (default DefaultIndexInterval; the 5 Hz step is at least a millisecond).
// Tests use a short one. d <= 0 turns the automatic values off; values
// published by hand are still sent.
func WithIndexInterval(d time.Duration) Option {
	return func(c *config) {
		if d <= 0 {
			d = -1
		}
		c.ws.indexEvery = d
	}
}

// indexDef describes an index or underlying the feeds carry.
type indexDef struct {
	id, asset string
	decimals  int     // precision of the upstream value
	fast      bool    // also on cfbenchmarks_value_5hz
	base      float64 // starting value, USD, before the seed's jitter
}

// cfIndices are the CF Benchmarks indices, with the index IDs Kalshi
// documents; the first five are also on the 5 Hz channel.
var cfIndices = []indexDef{
	{"BRTI", "BTC", 2, true, 105000},
	{"ETHUSD_RTI", "ETH", 2, true, 3500},
	{"SOLUSD_RTI", "SOL", 4, true, 150},
	{"XRPUSD_RTI", "XRP", 5, true, 2.3},
	{"DOGEUSD_RTI", "DOGE", 6, true, 0.18},
	{"LTCUSD_RTI", "LTC", 4, false, 90},
	{"LINKUSD_RTI", "LINK", 4, false, 15},
}

// pythUnderlyings are the Pyth symbols on pyth_value.
var pythUnderlyings = []indexDef{
	{"Metal.XAU/USD", "", 5, false, 3350},
	{"Metal.XAG/USD", "", 5, false, 38},
	{"Metal.XPT/USD", "", 5, false, 1050},
	{"Commodities.Index.PYTHOIL/USD", "", 5, false, 82},
	{"Commodities.Index.NATGAS/USD", "", 5, false, 3.4},
}

// indexAsset is the coin an index follows.
func indexAsset(id string) string {
	for _, d := range cfIndices {
		if d.id == id {
			return d.asset
		}
	}
	return id
}

// indexList is what the indexlist action answers on a CF Benchmarks
// channel: its index IDs, sorted.
func indexList(channel string) []string {
	var out []string
	for _, d := range cfIndices {
		if channel != ws.ChannelCFBenchmarksValue5Hz || d.fast {
			out = append(out, d.id)
		}
	}
	sort.Strings(out)
	return out
}

// underlyingList is what the underlying_list action answers on pyth_value.
func underlyingList() []string {
	out := make([]string, 0, len(pythUnderlyings))
	for _, d := range pythUnderlyings {
		out = append(out, d.id)
	}
	sort.Strings(out)
	return out
}

// The index channels send a value only to subscriptions that asked for
// its index or underlying, or for "all".
func init() {
	byIndex := func(s *wsSub, ev *ExchangeEvent) bool { return wantsID(s.indexIDs, ev.Key) }
	channelFilters[ws.ChannelCFBenchmarksValue] = byIndex
	channelFilters[ws.ChannelCFBenchmarksValue5Hz] = byIndex
	channelFilters[ws.ChannelPythValue] = func(s *wsSub, ev *ExchangeEvent) bool { return wantsID(s.underlyings, ev.Key) }
}

func wantsID(list []string, id string) bool {
	return slices.Contains(list, "all") || slices.Contains(list, id)
}

// indexState is the current value and recent history of every index and
// underlying, and the walk's random source.
type indexState struct {
	walk  *rand.Rand
	cf    []*indexSeries
	pyth  []*indexSeries
	byID  map[string]*indexSeries
	steps uint64 // 5 Hz steps taken so far
}

// indexSeries is one index or underlying.
type indexSeries struct {
	indexDef
	pyth     bool
	value    int64       // current value in units of 1e-8 USD, a multiple of tick()
	lastSlow int64       // source time of the last value sent at 1 Hz (ms)
	lastFast int64       // source time of the last value sent at 5 Hz (ms)
	history  []indexTick // 1 Hz values of the last hour, oldest first
}

// indexTick is a value at a source time (ms).
type indexTick struct{ ts, value int64 }

// The walk: each step moves a value by a normal draw of this relative
// size (5 Hz indices take five smaller steps a second), and the
// upstream latency between a value's source time and its receipt.
const (
	fastSigma     = 0.00008
	slowSigma     = 0.0002
	indexLatency  = 17 // ms
	indexHistory  = time.Hour
	avgWindowMs   = 60_000
	quarterHourMs = 15 * 60_000
)

func (s *indexSeries) tick() int64 { return int64(math.Pow10(8 - s.decimals)) }

// set rounds v (USD) to the series' precision, at least one step.
func (s *indexSeries) set(v float64) {
	t := s.tick()
	s.value = max(t, int64(math.Round(v*1e8/float64(t)))*t)
}

// seedIndices draws the starting values.
func (x *exchange) seedIndices(r *rand.Rand, now time.Time) {
	st := &x.liveData.indices
	st.walk = rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))
	st.byID = map[string]*indexSeries{}
	add := func(d indexDef, pyth bool) *indexSeries {
		s := &indexSeries{indexDef: d, pyth: pyth}
		v := d.base * (1 + (r.Float64()-0.5)*0.02)
		if d.id == "BRTI" {
			v = d.base + r.Float64()*2000 // among the strikes of the KXBTCD markets
		}
		s.set(v)
		s.history = []indexTick{{now.UnixMilli(), s.value}}
		s.lastSlow = now.UnixMilli()
		st.byID[d.id] = s
		return s
	}
	for _, d := range cfIndices {
		st.cf = append(st.cf, add(d, false))
	}
	for _, d := range pythUnderlyings {
		st.pyth = append(st.pyth, add(d, true))
	}
}

// step moves a series one step of the walk.
func (st *indexState) step(s *indexSeries, sigma float64) {
	t := float64(s.tick())
	delta := int64(math.Round(float64(s.value)*sigma*st.walk.NormFloat64()/t)) * s.tick()
	s.value = max(s.tick(), s.value+delta)
}

// tickIndices advances the walk by one 5 Hz step and, every fifth, one
// 1 Hz step, and publishes the values (exchange lock held).
func (x *exchange) tickIndices() {
	now := x.now()
	st := &x.liveData.indices
	st.steps++
	slow := st.steps%5 == 0
	for _, s := range st.cf {
		if s.fast {
			st.step(s, fastSigma)
			x.publishFast(s, now)
		}
	}
	if !slow {
		return
	}
	for _, s := range st.cf {
		if !s.fast {
			st.step(s, slowSigma)
		}
		x.publishSlow(s, now)
	}
	for _, s := range st.pyth {
		st.step(s, slowSigma)
		x.publishPyth(s, now)
	}
}

// received is the receipt time of a series' next value: now, or just
// after the last one, so that source times never repeat or go back.
func received(now time.Time, last int64) int64 { return max(now.UnixMilli(), last+indexLatency+1) }

// publishSlow sends a cfbenchmarks_value with its trailing averages.
func (x *exchange) publishSlow(s *indexSeries, now time.Time) {
	recv := received(now, s.lastSlow)
	src := recv - indexLatency
	s.lastSlow = src
	msg := &ws.CFBenchmarksValue{IndexID: s.id, ReceivedAt: ws.UnixMillis(recv), Data: s.rawFrame(src)}
	// Trailing 60 s: the ticks before this one in [src-60s, src).
	sum, n := int64(0), 0
	for _, t := range s.history {
		if t.ts >= src-avgWindowMs && t.ts < src {
			sum, n = sum+t.value, n+1
		}
	}
	avg := s.value
	if n > 0 {
		avg = roundDiv(sum, int64(n))
	}
	msg.Avg60s = ws.CFBenchmarksAverage{Value: e8(avg), WindowSize: n, WindowStartTSMs: ws.UnixMillis(src - avgWindowMs), WindowEndTSExclusive: ws.UnixMillis(src)}
	// The final minute before a quarter-hour close: the ticks in
	// (close-60s, close], this one included.
	closeTS := (src + quarterHourMs - 1) / quarterHourMs * quarterHourMs
	if src > closeTS-avgWindowMs {
		sum, n = s.value, 1
		for _, t := range s.history {
			if t.ts > closeTS-avgWindowMs && t.ts < src {
				sum, n = sum+t.value, n+1
			}
		}
		msg.Last60sWindowedAverage15Min = &ws.CFBenchmarksAverage{Value: e8(roundDiv(sum, int64(n))), WindowSize: n,
			WindowStartTSMs: ws.UnixMillis(closeTS - avgWindowMs), WindowEndTSExclusive: ws.UnixMillis(src + 1)}
	}
	x.fixMilestones(s, src)
	s.history = append(s.history, indexTick{src, s.value})
	cut := sort.Search(len(s.history), func(i int) bool { return s.history[i].ts >= src-indexHistory.Milliseconds() })
	s.history = s.history[cut:]
	x.publishChannel(ExchangeEvent{Channel: ws.ChannelCFBenchmarksValue, Message: msg, Key: s.id}, now)
}

// fixMilestones freezes the value of the crypto milestones of an index
// whose fixing a new value (at src) comes after: the last value before
// it, kept when the history forgets it.
func (x *exchange) fixMilestones(s *indexSeries, src int64) {
	for _, m := range x.liveData.byStart {
		if m.index != s.id || m.fixed != nil || m.end.UnixMilli() >= src || len(s.history) == 0 {
			continue
		}
		last := s.history[len(s.history)-1]
		m.fixed = &last
	}
}

// publishFast sends a cfbenchmarks_value_5hz.
func (x *exchange) publishFast(s *indexSeries, now time.Time) {
	recv := received(now, s.lastFast)
	src := recv - indexLatency
	s.lastFast = src
	x.publishChannel(ExchangeEvent{Channel: ws.ChannelCFBenchmarksValue5Hz, Key: s.id, Message: &ws.CFBenchmarksValue5Hz{
		IndexID: s.id, ValueUSD: e8(s.value), SourceTSMs: ws.UnixMillis(src), ReceivedAt: ws.UnixMillis(recv), Data: s.rawFrame(src),
	}}, now)
}

// publishPyth sends a pyth_value.
func (x *exchange) publishPyth(s *indexSeries, now time.Time) {
	recv := received(now, s.lastSlow)
	src := recv - indexLatency
	s.lastSlow = src
	s.history = append(s.history, indexTick{src, s.value})
	cut := sort.Search(len(s.history), func(i int) bool { return s.history[i].ts >= src-indexHistory.Milliseconds() })
	s.history = s.history[cut:]
	x.publishChannel(ExchangeEvent{Channel: ws.ChannelPythValue, Key: s.id, Message: &ws.PythValue{
		UnderlyingTicker: s.id, ValueUSD: e8(s.value), SourceTSMs: ws.UnixMillis(src), ReceivedAt: ws.UnixMillis(recv),
	}}, now)
}

// rawFrame is the upstream CF Benchmarks frame of the current value.
func (s *indexSeries) rawFrame(src int64) string {
	return fmt.Sprintf(`{"type":"value","id":%q,"time":%d,"value":"%s"}`, s.id, src, s.text())
}

// text is the current value at the series' own precision.
func (s *indexSeries) text() string {
	t := s.tick()
	v := s.value / t
	p := int64(math.Pow10(s.decimals))
	return fmt.Sprintf("%d.%0*d", v/p, s.decimals, v%p)
}

// e8 formats a value in units of 1e-8 with exactly eight decimals.
func e8(v int64) ws.Decimal { return ws.Decimal(fmt.Sprintf("%d.%08d", v/1e8, v%1e8)) }

// usdOf is a value in units of 1e-8 as a float.
func usdOf(v int64) float64 { return float64(v) / 1e8 }

func roundDiv(a, b int64) int64 { return (a + b/2) / b }

// maxIndexValue bounds a value published by hand, so that it fits the
// walk's units of 1e-8 USD.
const maxIndexValue = 1e10

func validIndexValue(v float64) bool { return v > 0 && v < maxIndexValue }

// ErrUnknownIndex is returned by PublishIndexValue and PublishPythValue for
// an index or underlying the feeds do not carry.
var ErrUnknownIndex = errors.New("kalshitest: unknown index")

// PublishIndexValue sets a CF Benchmarks index (such as "BRTI") to value
// USD and sends it as an upstream tick: on cfbenchmarks_value, with its
// trailing averages, and on cfbenchmarks_value_5hz when the index is
// there too. The walk goes on from it. Live data that follows the index
// (the KXBTCD events' crypto_price) shows it at once.
func (s *Server) PublishIndexValue(indexID string, value float64) error {
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	is := x.liveData.indices.byID[indexID]
	if is == nil || is.pyth {
		return fmt.Errorf("%w %q", ErrUnknownIndex, indexID)
	}
	if !validIndexValue(value) {
		return fmt.Errorf("kalshitest: index value %v is not a price between 0 and %g", value, maxIndexValue)
	}
	is.set(value)
	now := x.now()
	if is.fast {
		x.publishFast(is, now)
	}
	x.publishSlow(is, now)
	return nil
}

// PublishPythValue sets a Pyth underlying (such as "Metal.XAU/USD") to
// value USD and sends it on pyth_value. The walk goes on from it.
func (s *Server) PublishPythValue(underlying string, value float64) error {
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	is := x.liveData.indices.byID[underlying]
	if is == nil || !is.pyth {
		return fmt.Errorf("%w %q", ErrUnknownIndex, underlying)
	}
	if !validIndexValue(value) {
		return fmt.Errorf("kalshitest: underlying value %v is not a price between 0 and %g", value, maxIndexValue)
	}
	is.set(value)
	x.publishPyth(is, x.now())
	return nil
}

// startIndexFeed starts the goroutine that drives the walk, until ctx
// ends; it belongs to the feed's wait group, so shutdown waits for it.
// Feed lock held.
func (f *wsFeed) startIndexFeed(ctx context.Context) {
	every := f.cfg.indexEvery
	if every < 0 {
		return
	}
	if every == 0 {
		every = DefaultIndexInterval
	}
	fast := max(every/5, time.Millisecond)
	x := f.s.x
	f.wg.Add(1)
	go func() {
		defer f.wg.Done()
		t := time.NewTicker(fast)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			x.mu.Lock()
			x.tickIndices()
			x.mu.Unlock()
		}
	}()
}
