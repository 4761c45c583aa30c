package ws

import (
	"fmt"
	"sync"
	"testing"
	"unsafe"
)

func TestInternReusesEqualStrings(t *testing.T) {
	t.Parallel()
	var tab internTable
	a := tab.intern([]byte("KXBTCD-26MAR1213-T69499.99"))
	b := tab.intern([]byte("KXBTCD-26MAR1213-T69499.99"))
	if a != b || unsafe.StringData(a) != unsafe.StringData(b) {
		t.Fatalf("equal tickers were not shared: %q %q", a, b)
	}
	// A string never aliases the frame it came from: the frame's buffer is reused.
	frame := []byte("KXETH-1")
	s := tab.intern(frame)
	copy(frame, "XXXXXXX")
	if s != "KXETH-1" {
		t.Fatalf("interned string changed with its frame: %q", s)
	}
	long := make([]byte, internMaxLen+1)
	for i := range long {
		long[i] = 'L'
	}
	if got := tab.intern(long); got != string(long) {
		t.Fatalf("long string came back as %q", got)
	}
}

// TestInternIsSafeUnderConcurrency is for the race detector: connections decode on
// their own goroutines and share the table.
func TestInternIsSafeUnderConcurrency(t *testing.T) {
	t.Parallel()
	var tab internTable
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				want := fmt.Sprintf("T-%d", (i*7+g)%3000) // more tickers than slots
				if got := tab.intern([]byte(want)); got != want {
					t.Errorf("intern(%q) = %q", want, got)
					return
				}
			}
		}()
	}
	wg.Wait()
}
