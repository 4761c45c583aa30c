package money_test

import (
	"strconv"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
)

// benchPrices are typical of what an order-book consumer decodes.
var benchPrices = []string{"0.5600", "0.0100", "0.9900", "0.017500", "98.0186", "0.4700", "1.0000", "0.000700"}

var benchQuoted = func() [][]byte {
	out := make([][]byte, len(benchPrices))
	for i, s := range benchPrices {
		out[i] = []byte(`"` + s + `"`)
	}
	return out
}()

// Sinks keep the compiler from discarding benchmarked work.
var (
	sinkDollars money.Dollars
	sinkCount   money.Count
	sinkString  string
	sinkFloat   float64
)

func TestDecodingDoesNotAllocate(t *testing.T) {
	var d money.Dollars
	var c money.Count
	checks := map[string]func(){
		"ParseDollars":          func() { d, _ = money.ParseDollars("0.017500") },
		"ParseCount":            func() { c, _ = money.ParseCount("2233487.48") },
		"Dollars.UnmarshalJSON": func() { _ = d.UnmarshalJSON(benchQuoted[0]) },
		"Count.UnmarshalJSON":   func() { _ = c.UnmarshalJSON([]byte(`"10.00"`)) },
		"UnmarshalJSON number":  func() { _ = d.UnmarshalJSON([]byte(`0.56`)) },
		"UnmarshalJSON null":    func() { _ = d.UnmarshalJSON([]byte(`null`)) },
		"UnmarshalText":         func() { _ = d.UnmarshalText([]byte("0.5600")) },
		"Mul":                   func() { d = money.MustDollars("0.56").Mul(money.MustCount("10")) },
	}
	for name, f := range checks {
		if n := testing.AllocsPerRun(100, f); n != 0 {
			t.Errorf("%s allocates %v times per call, want 0", name, n)
		}
	}
	buf := make([]byte, 0, 32)
	if n := testing.AllocsPerRun(100, func() { buf, _ = d.AppendText(buf[:0]) }); n != 0 {
		t.Errorf("AppendText into a buffer with room allocates %v times, want 0", n)
	}
	sinkDollars, sinkCount = d, c
}

func BenchmarkParseDollars(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkDollars, _ = money.ParseDollars(benchPrices[i%len(benchPrices)])
	}
}

func BenchmarkUnmarshalJSONDollars(b *testing.B) {
	b.ReportAllocs()
	var d money.Dollars
	for i := 0; b.Loop(); i++ {
		if err := d.UnmarshalJSON(benchQuoted[i%len(benchQuoted)]); err != nil {
			b.Fatal(err)
		}
	}
	sinkDollars = d
}

func BenchmarkParseCount(b *testing.B) {
	b.ReportAllocs()
	counts := []string{"10.00", "3.00", "897.24", "2233487.48", "-1.00", "0.11"}
	for i := 0; b.Loop(); i++ {
		sinkCount, _ = money.ParseCount(counts[i%len(counts)])
	}
}

func BenchmarkCountString(b *testing.B) {
	b.ReportAllocs()
	c := money.MustCount("2233487.48")
	for b.Loop() {
		sinkString = c.String()
	}
}

func BenchmarkDollarsString(b *testing.B) {
	b.ReportAllocs()
	d := money.MustDollars("0.017510")
	for b.Loop() {
		sinkString = d.String()
	}
}

func BenchmarkDollarsAppendText(b *testing.B) {
	b.ReportAllocs()
	d := money.MustDollars("0.5600")
	buf := make([]byte, 0, 32)
	for b.Loop() {
		buf, _ = d.AppendText(buf[:0])
	}
}

func BenchmarkDollarsMul(b *testing.B) {
	b.ReportAllocs()
	p, c := money.MustDollars("0.5600"), money.MustCount("7.77")
	for b.Loop() {
		sinkDollars = p.Mul(c)
	}
}

// BenchmarkBaselineParseFloat is the float parse other clients use, as a
// yardstick for BenchmarkParseDollars on the same inputs.
func BenchmarkBaselineParseFloat(b *testing.B) {
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		sinkFloat, _ = strconv.ParseFloat(benchPrices[i%len(benchPrices)], 64)
	}
}
