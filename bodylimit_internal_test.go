package kalshi

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestReadUpTo(t *testing.T) {
	const limit = 100
	for _, tc := range []struct {
		name     string
		body     string
		size     int64 // announced length; -1 unknown
		wantLen  int
		wantOver bool
	}{
		{"empty", "", -1, 0, false},
		{"announced empty", "", 0, 0, false},
		{"under, unknown length", strings.Repeat("a", 99), -1, 99, false},
		{"at the limit", strings.Repeat("a", 100), -1, 100, false},
		{"one over", strings.Repeat("a", 101), -1, 100, true},
		{"far over", strings.Repeat("a", 1_000_000), -1, 100, true},
		{"as announced", strings.Repeat("a", 50), 50, 50, false},
		{"shorter than announced", strings.Repeat("a", 40), 50, 40, false},
		{"longer than announced", strings.Repeat("a", 60), 50, 60, false},
		{"longer than announced, over", strings.Repeat("a", 150), 50, 100, true},
		{"announced over the limit", strings.Repeat("a", 150), 150, 100, true},
		{"mock says 0", strings.Repeat("a", 70), 0, 70, false},
	} {
		body, over, err := readUpTo(strings.NewReader(tc.body), tc.size, limit)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(body) != tc.wantLen || over != tc.wantOver {
			t.Errorf("%s: got %d bytes, over %v; want %d, %v", tc.name, len(body), over, tc.wantLen, tc.wantOver)
		}
		if !bytes.Equal(body, []byte(tc.body[:len(body)])) {
			t.Errorf("%s: the bytes differ", tc.name)
		}
	}
	broken := io.MultiReader(strings.NewReader("abc"), errReader{})
	if _, _, err := readUpTo(broken, -1, limit); !errors.Is(err, errBroken) {
		t.Errorf("a read error is returned: %v", err)
	}
}

var errBroken = errors.New("broken")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }
