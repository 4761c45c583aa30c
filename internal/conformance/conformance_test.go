package conformance

import (
	"sort"
	"testing"
)

// TestConformanceKalshitest runs every scenario against the fake: what CI
// checks on every change.
func TestConformanceKalshitest(t *testing.T) {
	tg := fake(t)
	runAll(t, tg)
	tg.checkShapes(t)
}

// TestConformanceDemo runs every scenario against Kalshi's demo exchange
// and, in the same run, against the fake, then compares the fields each
// operation's answers carried on both. It skips unless demo credentials
// are set (see the package documentation).
func TestConformanceDemo(t *testing.T) {
	real := demo(t)
	fk := fake(t)
	t.Run("demo", func(t *testing.T) { runAll(t, real) })
	t.Run("kalshitest", func(t *testing.T) { runAll(t, fk) })
	real.checkShapes(t)
	fk.checkShapes(t)
	compareFields(t, real, fk)
}

func runAll(t *testing.T, tg *target) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { sc.run(t, tg) })
	}
}

// compareFields logs, per operation both targets answered, the fields the
// real exchange sent that the fake never did, and the other way round:
// the list to work through when making the fake more faithful. Optional
// fields depend on data (a settled market has settlement fields), so these
// are reported, not failed.
func compareFields(t *testing.T, real, fk *target) {
	rf, ff := real.rec.fields(), fk.rec.fields()
	ops := make([]string, 0, len(rf))
	for op := range rf {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		fake, ok := ff[op]
		if !ok {
			continue
		}
		for _, p := range sortedMissing(rf[op], fake) {
			t.Logf("%s: demo sent %s, kalshitest did not", op, p)
		}
		for _, p := range sortedMissing(fake, rf[op]) {
			t.Logf("%s: kalshitest sent %s, demo did not", op, p)
		}
	}
}

func sortedMissing(have, other map[string]bool) []string {
	var out []string
	for p := range have {
		if !other[p] {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}
