package kalshi_test

import (
	"bytes"
	"crypto"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// testServer is an httptest server mounted under /trade-api/v2 that
// records what it receives.
type testServer struct {
	*httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	requests []recorded
}

type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
	At                  time.Time
}

func newTestServer(t *testing.T) *testServer {
	t.Helper()
	ts := &testServer{mux: http.NewServeMux()}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := readAll(r)
		ts.mu.Lock()
		ts.requests = append(ts.requests, recorded{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), body, time.Now()})
		ts.mu.Unlock()
		r.Body = nopCloser(body)
		ts.mux.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// handle registers h for "METHOD /path" below /trade-api/v2.
func (ts *testServer) handle(method, path string, h http.HandlerFunc) {
	ts.mux.HandleFunc(method+" /trade-api/v2"+path, h)
}

func (ts *testServer) baseURL() string { return ts.URL + "/trade-api/v2" }

func (ts *testServer) received() []recorded {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]recorded(nil), ts.requests...)
}

// receivedLike returns the requests received with the method and path of r.
func (ts *testServer) receivedLike(r recorded) []recorded {
	var out []recorded
	for _, x := range ts.received() {
		if x.Method == r.Method && x.Path == r.Path {
			out = append(out, x)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// newSigner makes an Ed25519 signer with a fresh key.
func newSigner(t *testing.T) (*signing.Signer, crypto.PublicKey) {
	t.Helper()
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	s, err := signing.New("test-key-id", key)
	require.NoError(t, err)
	return s, key.Public()
}

// fastRetry is the default policy with waits short enough for tests.
func fastRetry() kalshi.RetryPolicy {
	p := kalshi.DefaultRetryPolicy()
	p.BaseDelay, p.MaxDelay = time.Millisecond, 5*time.Millisecond
	return p
}

// sharedFile returns a path in the shared reference folder beside the
// repository, skipping the test when it is absent.
func sharedFile(t *testing.T, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{"..", "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not beside the repository (../shared); skipping", filepath.Join(parts...))
	}
	return p
}

func readAll(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return b
}

func nopCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

func mustCount(s string) money.Count     { return money.MustCount(s) }
func mustDollars(s string) money.Dollars { return money.MustDollars(s) }

// exampleSigner makes a signer for the runnable examples.
func exampleSigner() (*signing.Signer, error) {
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		return nil, err
	}
	return signing.New("example-key", key)
}
