package conformance

import (
	"bytes"
	"crypto"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// The environment variables that turn on the run against Kalshi's demo
// exchange. They are separate from the library's KALSHI_API_KEY_ID and
// friends so that a production key in the environment is never used here.
const (
	envDemoKeyID   = "KALSHI_DEMO_API_KEY_ID"
	envDemoKeyPath = "KALSHI_DEMO_PRIVATE_KEY_PATH"
	envDemoKeyPEM  = "KALSHI_DEMO_PRIVATE_KEY"
)

// target is one exchange the scenarios run against.
type target struct {
	name   string // "kalshitest" or "demo"
	client *kalshi.Client
	signer *signing.Signer
	wsURL  string
	rec    *recorder
}

// fake starts kalshitest with a fresh Ed25519 key for its default account.
func fake(t *testing.T) *target {
	t.Helper()
	srv := kalshitest.NewServer()
	t.Cleanup(srv.Close)
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	srv.AddAPIKey("conformance", key.Public())
	s, err := signing.New("conformance", key)
	if err != nil {
		t.Fatal(err)
	}
	return newTarget(t, "kalshitest", srv.URL(), srv.WebSocketURL(), s)
}

// demo returns Kalshi's demo exchange signed with the key in the
// environment, or skips the test, saying which variables to set.
func demo(t *testing.T) *target {
	t.Helper()
	id := strings.TrimSpace(os.Getenv(envDemoKeyID))
	path, pem := strings.TrimSpace(os.Getenv(envDemoKeyPath)), os.Getenv(envDemoKeyPEM)
	if id == "" || (path == "" && pem == "") {
		t.Skipf("no demo credentials: set %s and %s (a PEM file) or %s (PEM text) to run this suite against Kalshi's demo exchange",
			envDemoKeyID, envDemoKeyPath, envDemoKeyPEM)
	}
	var (
		key crypto.Signer
		err error
	)
	if path != "" {
		key, err = signing.LoadPrivateKey(path)
	} else {
		key, err = signing.ParsePrivateKey([]byte(pem))
	}
	if err != nil {
		t.Fatalf("the demo key: %v", err)
	}
	s, err := signing.New(id, key)
	if err != nil {
		t.Fatalf("the demo key: %v", err)
	}
	return newTarget(t, "demo", kalshi.Demo.BaseURL(), kalshi.Demo.WebSocketURL(), s)
}

func newTarget(t *testing.T, name, baseURL, wsURL string, s *signing.Signer) *target {
	t.Helper()
	rec := &recorder{next: kalshi.DefaultTransport(), bodies: map[string][][]byte{}}
	c, err := kalshi.New(
		kalshi.WithEnvironment(kalshi.Demo),
		kalshi.WithBaseURL(baseURL),
		kalshi.WithSigner(s),
		kalshi.WithHTTPClient(&http.Client{Transport: rec}),
		kalshi.WithDriftReporter(rec.drift),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &target{name: name, client: c, signer: s, wsURL: wsURL, rec: rec}
}

// recorder keeps every successful answer's body by operation, and every
// drift the client reported, so a run can be checked for shape.
type recorder struct {
	next   http.RoundTripper
	mu     sync.Mutex
	bodies map[string][][]byte
	drifts []kalshi.Drift
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err != nil || resp.StatusCode/100 != 2 {
		return resp, err
	}
	op, ok := kalshi.OperationFromContext(req.Context())
	if !ok {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.bodies[op.ID] = append(r.bodies[op.ID], body)
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) drift(d kalshi.Drift) {
	r.mu.Lock()
	r.drifts = append(r.drifts, d)
	r.mu.Unlock()
}

// fields returns, per operation, every JSON path seen in its answers
// (array items as [*]).
func (r *recorder) fields() map[string]map[string]bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]map[string]bool{}
	for op, bodies := range r.bodies {
		set := map[string]bool{}
		for _, b := range bodies {
			var v any
			if json.Unmarshal(b, &v) == nil {
				collectPaths(v, "$", set)
			}
		}
		out[op] = set
	}
	return out
}

func collectPaths(v any, path string, set map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := path + "." + k
			set[p] = true
			collectPaths(x, p, set)
		}
	case []any:
		for _, x := range v {
			collectPaths(x, path+"[*]", set)
		}
	}
}

// checkShapes fails on drift that breaks the contract (a required field
// missing, a value of the wrong type, an undocumented status or content
// type). Fields the spec does not declare are an error from the fake, whose
// answers are made from the spec's types, and only logged from Kalshi.
func (tg *target) checkShapes(t *testing.T) {
	t.Helper()
	tg.rec.mu.Lock()
	drifts := append([]kalshi.Drift(nil), tg.rec.drifts...)
	tg.rec.mu.Unlock()
	var lines []string
	for _, d := range drifts {
		if d.Kind == kalshi.DriftUndeclared && tg.name != "kalshitest" {
			lines = append(lines, d.String())
			continue
		}
		t.Errorf("%s: %s", tg.name, d)
	}
	sort.Strings(lines)
	for _, l := range dedupe(lines) {
		t.Logf("%s sends a field the spec does not declare: %s", tg.name, l)
	}
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
