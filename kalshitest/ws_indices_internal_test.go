package kalshitest

import (
	"bytes"
	"context"
	"runtime"
	"testing"
	"time"
)

// walkGoroutines counts the goroutines driving an index walk. The tests
// that call it do not run in parallel, so the only ones are theirs.
func walkGoroutines() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	return bytes.Count(buf, []byte("(*wsFeed).startIndexFeed.func"))
}

// walkValues runs n steps of the index walk of a server made with opts and
// returns every value after each step.
func walkValues(t *testing.T, n int, opts ...Option) [][]int64 {
	t.Helper()
	s, err := newServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	var out [][]int64
	for range n {
		x.tickIndices()
		var row []int64
		for _, is := range append(append([]*indexSeries{}, x.liveData.indices.cf...), x.liveData.indices.pyth...) {
			if is.value <= 0 || is.value%is.tick() != 0 {
				t.Fatalf("%s: %d is not a positive multiple of its precision", is.id, is.value)
			}
			row = append(row, is.value)
		}
		out = append(out, row)
	}
	return out
}

// TestIndexWalkFollowsTheSeed: the n-th value of every index is the same
// for the same seed, and another seed walks elsewhere; 1 Hz-only indices
// and underlyings move only every fifth step.
func TestIndexWalkFollowsTheSeed(t *testing.T) {
	a := walkValues(t, 20, WithSeed(5))
	b := walkValues(t, 20, WithSeed(5))
	c := walkValues(t, 20, WithSeed(6))
	for i := range a {
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				t.Fatalf("step %d, series %d: %d != %d", i, j, a[i][j], b[i][j])
			}
		}
	}
	if a[19][0] == c[19][0] {
		t.Fatalf("seeds 5 and 6 gave the same BRTI %d", a[19][0])
	}
	ltc := 5 // LTCUSD_RTI, on the 1 Hz channel only
	if a[0][ltc] != a[3][ltc] {
		t.Fatal("a 1 Hz index moved between 1 Hz steps")
	}
	if a[0][0] == a[1][0] && a[1][0] == a[2][0] {
		t.Fatal("BRTI does not move at 5 Hz")
	}
}

// TestIndexFeedStopsWithTheFeed starts the feed the way a first
// connection does and shuts it down: the walk's goroutine ends with it
// and nothing ticks afterwards.
func TestIndexFeedStopsWithTheFeed(t *testing.T) {
	// Servers of tests that ran before may still be stopping: count this
	// server's walk against what was there before it started.
	base := walkGoroutines()
	s, err := newServer(WithIndexInterval(5 * time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	f := s.ws
	f.mu.Lock()
	f.startLocked()
	f.mu.Unlock()
	steps := func() uint64 {
		s.x.mu.Lock()
		defer s.x.mu.Unlock()
		return s.x.liveData.indices.steps
	}
	if n := walkGoroutines(); n != base+1 {
		t.Fatalf("%d walk goroutines, want %d", n, base+1)
	}
	deadline := time.Now().Add(10 * time.Second)
	for steps() < 3 {
		if time.Now().After(deadline) {
			t.Fatal("the walk does not run")
		}
		time.Sleep(time.Millisecond)
	}
	done := make(chan struct{})
	go func() {
		f.shutdown()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("shutdown waits forever")
	}
	if n := walkGoroutines(); n > base {
		t.Fatalf("%d walk goroutines left after shutdown, %d before", n, base)
	}
	n := steps()
	time.Sleep(30 * time.Millisecond)
	if steps() != n {
		t.Fatal("the walk goes on after shutdown")
	}
}

// TestIndexFeedOff: WithIndexInterval(0) starts no walk.
func TestIndexFeedOff(t *testing.T) {
	s, err := newServer(WithIndexInterval(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.ws.mu.Lock()
	s.ws.startIndexFeed(ctx)
	s.ws.mu.Unlock()
	if n := walkGoroutines(); n != 0 {
		t.Fatalf("%d walk goroutines with the feed off", n)
	}
}
