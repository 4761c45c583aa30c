package money_test

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/money"
)

func d(s string) money.Dollars { return money.MustDollars(s) }

func rng(start, end, step string) money.PriceRange {
	return money.PriceRange{Start: d(start), End: d(end), Step: d(step)}
}

// tapered is Kalshi's tapered_deci_cent structure: tenths of a cent near
// the ends, cents between, given out of order.
var tapered = []money.PriceRange{rng("0.90", "1", "0.001"), rng("0", "0.10", "0.001"), rng("0.10", "0.90", "0.01")}

func TestDollarsMinMax(t *testing.T) {
	a, b := d("0.45"), d("0.46")
	assert.Equal(t, a, a.Min(b))
	assert.Equal(t, a, b.Min(a))
	assert.Equal(t, b, a.Max(b))
	assert.Equal(t, b, b.Max(a))
	assert.Equal(t, d("-1"), d("-1").Min(money.Zero))
	assert.Equal(t, a, a.Max(a))
}

func TestCountMax(t *testing.T) {
	assert.Equal(t, money.MustCount("3"), money.MustCount("3").Max(money.MustCount("-2")))
	assert.Equal(t, money.MustCount("3"), money.MustCount("-2").Max(money.MustCount("3")))
}

func TestGridCent(t *testing.T) {
	g, err := money.NewGrid(rng("0.01", "0.99", "0.01"))
	require.NoError(t, err)
	for _, tc := range []struct {
		p, floor, ceil, nearest string
		valid, fok, cok         bool
	}{
		{p: "0.45", floor: "0.45", ceil: "0.45", nearest: "0.45", valid: true, fok: true, cok: true},
		{p: "0.453", floor: "0.45", ceil: "0.46", nearest: "0.45", fok: true, cok: true},
		{p: "0.455", floor: "0.45", ceil: "0.46", nearest: "0.46", fok: true, cok: true}, // a tie goes up
		{p: "0.4551", floor: "0.45", ceil: "0.46", nearest: "0.46", fok: true, cok: true},
		{p: "0.01", floor: "0.01", ceil: "0.01", nearest: "0.01", valid: true, fok: true, cok: true},
		{p: "0.99", floor: "0.99", ceil: "0.99", nearest: "0.99", valid: true, fok: true, cok: true},
		{p: "0.005", floor: "0", ceil: "0.01", nearest: "0.01", cok: true},    // below: no floor
		{p: "0", floor: "0", ceil: "0.01", nearest: "0.01", cok: true},        // below
		{p: "-3", floor: "0", ceil: "0.01", nearest: "0.01", cok: true},       // far below
		{p: "0.995", floor: "0.99", ceil: "0", nearest: "0.99", fok: true},    // above: no ceil
		{p: "1", floor: "0.99", ceil: "0", nearest: "0.99", fok: true},        // above
		{p: "250", floor: "0.99", ceil: "0", nearest: "0.99", fok: true},      // far above
		{p: "0.000001", floor: "0", ceil: "0.01", nearest: "0.01", cok: true}, // one micro-dollar
	} {
		assert.Equal(t, tc.valid, g.Valid(d(tc.p)), "Valid(%s)", tc.p)
		f, ok := g.Floor(d(tc.p))
		assert.Equal(t, tc.fok, ok, "Floor(%s) ok", tc.p)
		assert.Equal(t, d(tc.floor), f, "Floor(%s)", tc.p)
		c, ok := g.Ceil(d(tc.p))
		assert.Equal(t, tc.cok, ok, "Ceil(%s) ok", tc.p)
		assert.Equal(t, d(tc.ceil), c, "Ceil(%s)", tc.p)
		n, ok := g.Nearest(d(tc.p))
		assert.True(t, ok)
		assert.Equal(t, d(tc.nearest), n, "Nearest(%s)", tc.p)
	}
	next, ok := g.Next(d("0.45"))
	assert.True(t, ok)
	assert.Equal(t, d("0.46"), next)
	prev, ok := g.Prev(d("0.45"))
	assert.True(t, ok)
	assert.Equal(t, d("0.44"), prev)
	_, ok = g.Next(d("0.99"))
	assert.False(t, ok, "no tick above the top")
	_, ok = g.Prev(d("0.01"))
	assert.False(t, ok, "no tick below the bottom")
	lo, _ := g.Min()
	hi, _ := g.Max()
	assert.Equal(t, d("0.01"), lo)
	assert.Equal(t, d("0.99"), hi)
}

func TestGridTapered(t *testing.T) {
	g, err := money.NewGrid(tapered...)
	require.NoError(t, err)
	assert.Equal(t, "[0.0000-0.1000 step 0.0010, 0.1000-0.9000 step 0.0100, 0.9000-1.0000 step 0.0010]", g.String())
	assert.True(t, g.Valid(d("0.053")), "a tenth of a cent near 0")
	assert.True(t, g.Valid(d("0.10")), "a shared end")
	assert.True(t, g.Valid(d("0.11")))
	assert.False(t, g.Valid(d("0.115")), "tenths of a cent are not ticks in the middle")
	assert.True(t, g.Valid(d("0.905")))
	assert.True(t, g.Valid(d("1")))
	assert.True(t, g.Valid(d("0")))
	f, _ := g.Floor(d("0.1009"))
	assert.Equal(t, d("0.10"), f)
	c, _ := g.Ceil(d("0.0995"))
	assert.Equal(t, d("0.10"), c)
	n, _ := g.Next(d("0.099"))
	assert.Equal(t, d("0.10"), n)
	n, _ = g.Next(d("0.10"))
	assert.Equal(t, d("0.11"), n, "above the shared end the middle band's step applies")
	n, _ = g.Prev(d("0.10"))
	assert.Equal(t, d("0.099"), n, "below it the low band's")
	n, _ = g.Nearest(d("0.8951"))
	assert.Equal(t, d("0.90"), n)
	assert.Len(t, g.Ranges(), 3)
}

// TestGridWithGap: prices between two bands that do not meet are not valid;
// Floor and Ceil step across the gap.
func TestGridWithGap(t *testing.T) {
	g, err := money.NewGrid(rng("0.01", "0.20", "0.01"), rng("0.50", "0.60", "0.05"))
	require.NoError(t, err)
	assert.False(t, g.Valid(d("0.30")))
	f, ok := g.Floor(d("0.30"))
	assert.True(t, ok)
	assert.Equal(t, d("0.20"), f)
	c, ok := g.Ceil(d("0.30"))
	assert.True(t, ok)
	assert.Equal(t, d("0.50"), c)
	n, _ := g.Nearest(d("0.35"))
	assert.Equal(t, d("0.50"), n, "the midpoint of the gap goes up")
	n, _ = g.Nearest(d("0.3499"))
	assert.Equal(t, d("0.20"), n)
	n, _ = g.Next(d("0.20"))
	assert.Equal(t, d("0.50"), n)
}

func TestGridErrors(t *testing.T) {
	for name, ranges := range map[string][]money.PriceRange{
		"no ranges":     nil,
		"zero step":     {rng("0", "1", "0")},
		"negative step": {rng("0", "1", "-0.01")},
		"end < start":   {rng("0.5", "0.4", "0.01")},
		"ragged end":    {rng("0", "0.995", "0.01")},
		"overlap":       {rng("0", "0.5", "0.01"), rng("0.4", "1", "0.01")},
	} {
		_, err := money.NewGrid(ranges...)
		assert.True(t, errors.Is(err, money.ErrInvalidGrid), "%s: %v", name, err)
	}
	_, err := money.NewGrid(rng("0", "0.995", "0.01"))
	assert.EqualError(t, err, "money: invalid price grid: range 0.0000-0.9950 step 0.0100: the end is not a whole number of steps from the start")
}

func TestGridZero(t *testing.T) {
	var g money.Grid
	assert.True(t, g.IsZero())
	assert.False(t, g.Valid(money.Zero))
	_, ok := g.Nearest(d("0.5"))
	assert.False(t, ok)
	_, ok = g.Floor(d("0.5"))
	assert.False(t, ok)
	_, ok = g.Ceil(d("0.5"))
	assert.False(t, ok)
	_, ok = g.Min()
	assert.False(t, ok)
}

func TestGridExtremes(t *testing.T) {
	g, err := money.NewGrid(money.PriceRange{Start: money.DollarsFromMicros(math.MinInt64 + 1), End: money.DollarsFromMicros(math.MaxInt64), Step: money.DollarsFromMicros(2)})
	require.NoError(t, err)
	_, ok := g.Next(money.DollarsFromMicros(math.MaxInt64))
	assert.False(t, ok)
	_, ok = g.Prev(money.DollarsFromMicros(math.MinInt64))
	assert.False(t, ok)
	n, ok := g.Nearest(money.DollarsFromMicros(math.MaxInt64 - 1))
	assert.True(t, ok)
	assert.Equal(t, money.DollarsFromMicros(math.MaxInt64), n, "a tie at the top goes up")
	n, ok = g.Nearest(money.DollarsFromMicros(math.MinInt64))
	assert.True(t, ok)
	assert.Equal(t, money.DollarsFromMicros(math.MinInt64+1), n)
	assert.True(t, g.Valid(money.DollarsFromMicros(1)))
}

// TestGridAgainstEnumeration compares every answer with a scan of the
// grid's ticks, on random grids and prices.
func TestGridAgainstEnumeration(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 1))
	for range 300 {
		var ranges []money.PriceRange
		at := int64(r.IntN(50))
		for range 1 + r.IntN(4) {
			step := int64(1 + r.IntN(7))
			end := at + step*int64(r.IntN(6))
			ranges = append(ranges, money.PriceRange{Start: money.DollarsFromMicros(at), End: money.DollarsFromMicros(end), Step: money.DollarsFromMicros(step)})
			at = end + int64(r.IntN(3)) // adjacent or a gap
		}
		g, err := money.NewGrid(ranges...)
		require.NoError(t, err)
		var ticks []int64
		for _, pr := range ranges {
			for p := pr.Start.Micros(); p <= pr.End.Micros(); p += pr.Step.Micros() {
				if len(ticks) == 0 || ticks[len(ticks)-1] != p {
					ticks = append(ticks, p)
				}
			}
		}
		for p := int64(-3); p < at+5; p++ {
			price := money.DollarsFromMicros(p)
			var floor, ceil int64
			fok, cok, valid := false, false, false
			for _, tk := range ticks {
				if tk <= p {
					floor, fok = tk, true
				}
				if tk >= p && !cok {
					ceil, cok = tk, true
				}
				valid = valid || tk == p
			}
			assert.Equal(t, valid, g.Valid(price), "%v Valid(%d)", g, p)
			f, ok := g.Floor(price)
			assert.Equal(t, fok, ok, "%v Floor(%d)", g, p)
			if ok {
				assert.Equal(t, floor, f.Micros(), "%v Floor(%d)", g, p)
			}
			c, ok := g.Ceil(price)
			assert.Equal(t, cok, ok, "%v Ceil(%d)", g, p)
			if ok {
				assert.Equal(t, ceil, c.Micros(), "%v Ceil(%d)", g, p)
			}
			want := ceil
			if !cok || (fok && p-floor < ceil-p) {
				want = floor
			}
			n, _ := g.Nearest(price)
			assert.Equal(t, want, n.Micros(), "%v Nearest(%d)", g, p)
		}
	}
}

func TestPriceRangeJSON(t *testing.T) {
	var r money.PriceRange
	require.NoError(t, json.Unmarshal([]byte(`{"start":"0.0000","end":"1.0000","step":"0.0100"}`), &r))
	assert.Equal(t, rng("0", "1", "0.01"), r)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.JSONEq(t, `{"start":"0.0000","end":"1.0000","step":"0.0100"}`, string(b))
}
