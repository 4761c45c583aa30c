package signing_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// The expected signatures were made by OpenSSL (openssl pkeyutl -sign
// -rawin) with the RFC 8032 TEST 1 key over the pre-sign text, not by this
// package.
func TestEd25519KnownAnswers(t *testing.T) {
	t.Parallel()
	s := newSigner(t, katKey(t), fixedClock(katTime))
	tests := []struct {
		method, url, text, sig string
	}{
		{
			http.MethodGet, "https://external-api.kalshi.com/trade-api/v2/portfolio/balance",
			"1700000000000GET/trade-api/v2/portfolio/balance",
			"NZNbn42nWTCkd3HNR5AZoq/t/QrVPbmH3kEjYPYNKXYaxQNVfzDcKmioxh2AAht4ymXHC+6UxJgODwo32QYwBg==",
		},
		{
			http.MethodPost, "https://external-api.demo.kalshi.co/trade-api/v2/portfolio/orders",
			"1700000000000POST/trade-api/v2/portfolio/orders",
			"tjeDsO3UDht/oa9t0/voNPkZjI8wZJkNgntQ98LRZwARUfg1qVvzMdorpeIEeeCiXcIc9UMVrsveYOseH1pvAA==",
		},
		{
			http.MethodGet, "wss://external-api-ws.kalshi.com/trade-api/ws/v2",
			"1700000000000GET/trade-api/ws/v2",
			"nNrA8hwP1EIR5aqhjgJNDJv/4xECwsfuMUBSPj0TiRk5pnF27zC+xl+M1iAV1qaW07kcxY8rKdNzDCMQknE6Dw==",
		},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tt.method, tt.url, strings.NewReader(`{"body":"is never signed"}`))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.EditRequest(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			want := http.Header{
				"Kalshi-Access-Key":       {"a952bcbe-ec3b-4b5b-b8f9-11dae589608c"},
				"Kalshi-Access-Timestamp": {"1700000000000"},
				"Kalshi-Access-Signature": {tt.sig},
			}
			for k, v := range want {
				if got := req.Header.Values(k); len(got) != 1 || got[0] != v[0] {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if got := signing.PreSignText(katTime.UnixMilli(), tt.method, signing.SigningPath(req.URL)); got != tt.text {
				t.Errorf("PreSignText = %q, want %q", got, tt.text)
			}
			h, err := s.Headers(tt.method, tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if got := h.Get(signing.HeaderSignature); got != tt.sig {
				t.Errorf("Headers signature = %q, want %q", got, tt.sig)
			}
		})
	}
}

// signedText checks that the request's signature is an Ed25519 signature of
// exactly want (the pre-sign text) and fails otherwise.
func assertSignedText(t *testing.T, pub ed25519.PublicKey, h http.Header, want string) {
	t.Helper()
	sig, err := base64.StdEncoding.DecodeString(h.Get(signing.HeaderSignature))
	if err != nil {
		t.Fatal(err)
	}
	if !ed25519.Verify(pub, []byte(want), sig) {
		t.Fatalf("signature is not over %q", want)
	}
}

func TestSignedPath(t *testing.T) {
	t.Parallel()
	key := katKey(t)
	pub := key.Public().(ed25519.PublicKey)
	s := newSigner(t, key, fixedClock(katTime))
	const ts = "1700000000000"
	tests := []struct {
		name   string
		method string
		url    string
		want   string // pre-sign text after the timestamp
	}{
		{"query removed", "GET", "https://external-api.kalshi.com/trade-api/v2/markets?limit=5&status=open", "GET/trade-api/v2/markets"},
		{"empty query", "GET", "https://external-api.kalshi.com/trade-api/v2/markets?", "GET/trade-api/v2/markets"},
		{"fragment removed", "GET", "https://external-api.kalshi.com/trade-api/v2/markets#x", "GET/trade-api/v2/markets"},
		{"escaped slash kept", "GET", "https://external-api.kalshi.com/trade-api/v2/markets/A%2FB", "GET/trade-api/v2/markets/A%2FB"},
		{"escaped space kept", "DELETE", "https://external-api.kalshi.com/trade-api/v2/portfolio/orders/a%20b", "DELETE/trade-api/v2/portfolio/orders/a%20b"},
		{"legacy production host", "GET", "https://api.elections.kalshi.com/trade-api/v2/exchange/status", "GET/trade-api/v2/exchange/status"},
		{"legacy demo host", "GET", "https://demo-api.kalshi.co/trade-api/v2/exchange/status", "GET/trade-api/v2/exchange/status"},
		{"test server with port", "POST", "http://127.0.0.1:8080/trade-api/v2/portfolio/orders", "POST/trade-api/v2/portfolio/orders"},
		{"other base path", "GET", "http://127.0.0.1:8080/prefix/trade-api/v2/markets", "GET/prefix/trade-api/v2/markets"},
		{"trailing slash kept", "GET", "https://external-api.kalshi.com/trade-api/v2/markets/", "GET/trade-api/v2/markets/"},
		{"WebSocket", "GET", "wss://external-api-ws.kalshi.com/trade-api/ws/v2", "GET/trade-api/ws/v2"},
		{"WebSocket demo", "GET", "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2", "GET/trade-api/ws/v2"},
		{"no path", "GET", "https://external-api.kalshi.com", "GET/"},
		{"lower-case method", "post", "https://external-api.kalshi.com/trade-api/v2/portfolio/orders", "POST/trade-api/v2/portfolio/orders"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(tt.method, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.EditRequest(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			assertSignedText(t, pub, req.Header, ts+tt.want)
			h, err := s.Headers(tt.method, tt.url)
			if err != nil {
				t.Fatal(err)
			}
			assertSignedText(t, pub, h, ts+tt.want)
		})
	}
}

// The generated client joins its server URL and the operation path the way
// oapi-codegen does: a trailing slash is added to the server URL and
// "./path" is resolved against it. Both base URL spellings must sign the
// same path.
func TestSignedPathBaseURLs(t *testing.T) {
	t.Parallel()
	key := katKey(t)
	s := newSigner(t, key, fixedClock(katTime))
	for _, base := range []string{
		"https://external-api.kalshi.com/trade-api/v2",
		"https://external-api.kalshi.com/trade-api/v2/",
		"https://external-api.demo.kalshi.co/trade-api/v2",
		"https://api.elections.kalshi.com/trade-api/v2/",
		"http://127.0.0.1:41234/trade-api/v2",
	} {
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			server := base
			if !strings.HasSuffix(server, "/") {
				server += "/"
			}
			su, err := url.Parse(server)
			if err != nil {
				t.Fatal(err)
			}
			u, err := su.Parse("./markets/" + url.PathEscape("KX/25") + "/orderbook?depth=10")
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequest(http.MethodGet, u.String(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.EditRequest(context.Background(), req); err != nil {
				t.Fatal(err)
			}
			assertSignedText(t, key.Public().(ed25519.PublicKey), req.Header, "1700000000000GET/trade-api/v2/markets/KX%2F25/orderbook")
		})
	}
}

func TestHeadersTarget(t *testing.T) {
	t.Parallel()
	key := katKey(t)
	s := newSigner(t, key, fixedClock(katTime))
	for _, target := range []string{"/trade-api/ws/v2", "/trade-api/ws/v2?x=1", signing.WebSocketPath, "wss://h.example/trade-api/ws/v2"} {
		h, err := s.Headers("GET", target)
		if err != nil {
			t.Fatalf("Headers(%q): %v", target, err)
		}
		assertSignedText(t, key.Public().(ed25519.PublicKey), h, "1700000000000GET/trade-api/ws/v2")
		if h.Get(signing.HeaderKey) != s.KeyID() || h.Get(signing.HeaderTimestamp) != "1700000000000" {
			t.Fatalf("Headers(%q) = %v", target, h)
		}
	}
	for _, bad := range []string{"trade-api/ws/v2", "%zz", "markets"} {
		if _, err := s.Headers("GET", bad); err == nil {
			t.Errorf("Headers(%q) succeeded, want an error", bad)
		}
	}
}

func TestHeaderNamesAreCanonical(t *testing.T) {
	t.Parallel()
	for _, name := range []string{signing.HeaderKey, signing.HeaderTimestamp, signing.HeaderSignature} {
		if http.CanonicalHeaderKey(name) != name {
			t.Errorf("%q is not in canonical form", name)
		}
	}
	if !strings.EqualFold(signing.HeaderKey, "KALSHI-ACCESS-KEY") ||
		!strings.EqualFold(signing.HeaderTimestamp, "KALSHI-ACCESS-TIMESTAMP") ||
		!strings.EqualFold(signing.HeaderSignature, "KALSHI-ACCESS-SIGNATURE") {
		t.Error("header names differ from Kalshi's")
	}
}

// RequestEditorFn has the shape of the generated client's type.
type RequestEditorFn func(ctx context.Context, req *http.Request) error

func TestEditRequestIsARequestEditorFn(t *testing.T) {
	t.Parallel()
	var fn RequestEditorFn = newSigner(t, katKey(t)).EditRequest
	req := httptest.NewRequest(http.MethodGet, "/trade-api/v2/portfolio/balance", nil)
	req.Header = nil
	if err := fn(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if req.Header.Get(signing.HeaderSignature) == "" {
		t.Fatal("no signature header")
	}
	if err := fn(context.Background(), nil); err == nil {
		t.Fatal("nil request accepted")
	}
}

func TestRSAUsesPSSSalt32(t *testing.T) {
	t.Parallel()
	key := testRSAKey(t)
	s := newSigner(t, key)
	req := httptest.NewRequest(http.MethodGet, "https://external-api.kalshi.com/trade-api/v2/portfolio/balance?x=1", nil)
	if err := s.EditRequest(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	sig, err := base64.StdEncoding.DecodeString(req.Header.Get(signing.HeaderSignature))
	if err != nil {
		t.Fatal(err)
	}
	ts := req.Header.Get(signing.HeaderTimestamp)
	digest := sha256.Sum256([]byte(ts + "GET/trade-api/v2/portfolio/balance"))
	for _, salt := range []int{32, rsa.PSSSaltLengthEqualsHash, rsa.PSSSaltLengthAuto} {
		if err := rsa.VerifyPSS(&key.PublicKey, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: salt}); err != nil {
			t.Errorf("salt option %d: %v", salt, err)
		}
	}
	for _, salt := range []int{20, 31, 33, 64, 222} {
		if err := rsa.VerifyPSS(&key.PublicKey, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: salt}); err == nil {
			t.Errorf("signature verifies with salt length %d, want only 32", salt)
		}
	}
	if err := signing.Verify(&key.PublicKey, req, time.Now(), time.Minute); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

// opaqueKey hides a key behind crypto.Signer, as a KMS or HSM would.
type opaqueKey struct {
	key  crypto.Signer
	sign func(k crypto.Signer, digest []byte, opts crypto.SignerOpts) ([]byte, error)
}

func (o opaqueKey) Public() crypto.PublicKey { return o.key.Public() }
func (o opaqueKey) Sign(_ io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if o.sign != nil {
		return o.sign(o.key, digest, opts)
	}
	return o.key.Sign(rand.Reader, digest, opts)
}

func TestNewOpaqueSigner(t *testing.T) {
	t.Parallel()
	rsaKey, edKey := testRSAKey(t), testEd25519Key(t)
	for _, key := range []crypto.Signer{opaqueKey{key: rsaKey}, opaqueKey{key: edKey}} {
		s, err := signing.New("kms-key", key)
		if err != nil {
			t.Fatalf("New(opaque %T): %v", key.Public(), err)
		}
		req := httptest.NewRequest(http.MethodPost, "/trade-api/v2/portfolio/orders", nil)
		if err := s.EditRequest(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if err := signing.Verify(key.Public(), req, time.Now(), time.Minute); err != nil {
			t.Fatalf("opaque %v signature: %v", s.Algorithm(), err)
		}
	}

	bad := []struct {
		name string
		key  crypto.Signer
	}{
		{"PKCS#1 v1.5 padding", opaqueKey{key: rsaKey, sign: func(k crypto.Signer, d []byte, _ crypto.SignerOpts) ([]byte, error) {
			return rsa.SignPKCS1v15(rand.Reader, k.(*rsa.PrivateKey), crypto.SHA256, d)
		}}},
		{"salt length 20", opaqueKey{key: rsaKey, sign: func(k crypto.Signer, d []byte, _ crypto.SignerOpts) ([]byte, error) {
			return rsa.SignPSS(rand.Reader, k.(*rsa.PrivateKey), crypto.SHA256, d, &rsa.PSSOptions{SaltLength: 20})
		}}},
		{"device error", opaqueKey{key: edKey, sign: func(crypto.Signer, []byte, crypto.SignerOpts) ([]byte, error) {
			return nil, errors.New("device unplugged")
		}}},
	}
	for _, tt := range bad {
		if _, err := signing.New("kms-key", tt.key); err == nil || !strings.Contains(err.Error(), "self-check") {
			t.Errorf("%s: New error = %v, want a self-check failure", tt.name, err)
		}
	}
}

func TestNewRejects(t *testing.T) {
	t.Parallel()
	ed := testEd25519Key(t)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	smallRSA, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	pemText := string(testKeyPEM(t, "ed25519-pkcs8.pem"))
	tests := []struct {
		name  string
		keyID string
		key   crypto.Signer
		want  error
	}{
		{"empty key ID", "", ed, signing.ErrInvalidKeyID},
		{"blank key ID", " \n", ed, signing.ErrInvalidKeyID},
		{"space inside key ID", "abc def", ed, signing.ErrInvalidKeyID},
		{"newline inside key ID", "abc\r\ndef", ed, signing.ErrInvalidKeyID},
		{"PEM as key ID", pemText, ed, signing.ErrInvalidKeyID},
		{"nil key", "id", nil, signing.ErrMalformedKey},
		{"nil RSA key", "id", (*rsa.PrivateKey)(nil), signing.ErrMalformedKey},
		{"short Ed25519 key", "id", ed[:40], signing.ErrMalformedKey},
		{"Ed25519 halves from different keys", "id", append(append(ed25519.PrivateKey{}, ed.Seed()...), katKey(t)[32:]...), signing.ErrMalformedKey},
		{"EC key", "id", ecKey, signing.ErrUnsupportedKeyType},
		{"1024-bit RSA", "id", smallRSA, signing.ErrKeyTooSmall},
	}
	for _, tt := range tests {
		s, err := signing.New(tt.keyID, tt.key)
		if !errors.Is(err, tt.want) || s != nil {
			t.Errorf("%s: New = %v, %v; want %v", tt.name, s, err, tt.want)
			continue
		}
		if tt.keyID != "" {
			assertNoKeyMaterial(t, err.Error(), []byte(tt.keyID))
		}
	}
	s, err := signing.New("  id-with-spaces-around\n", ed)
	if err != nil || s.KeyID() != "id-with-spaces-around" {
		t.Fatalf("surrounding whitespace not trimmed: %v, %v", s, err)
	}
}

func TestSignerNeverPrintsKey(t *testing.T) {
	t.Parallel()
	rsaKey, edKey := testRSAKey(t), testEd25519Key(t)
	secrets := map[string][]string{
		"RSA": {
			rsaKey.D.String(), fmt.Sprintf("%x", rsaKey.D), rsaKey.Primes[0].String(),
			strings.Trim(fmt.Sprint(rsaKey.D.Bits()[:2]), "[]"),
		},
		"Ed25519": {
			fmt.Sprintf("%x", edKey.Seed()), fmt.Sprintf("%X", edKey.Seed()),
			strings.Trim(fmt.Sprint([]byte(edKey[:8])), "[]"), base64.StdEncoding.EncodeToString(edKey.Seed()),
		},
	}
	for _, key := range []crypto.Signer{rsaKey, edKey} {
		s := newSigner(t, key)
		var out []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q", "%T"} {
			out = append(out, fmt.Sprintf(verb, s), fmt.Sprintf(verb, *s), fmt.Sprintf(verb, []any{s, *s}), fmt.Sprintf(verb, struct{ S signing.Signer }{*s}))
		}
		var logs bytes.Buffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("signer", "s", s, "v", *s)
		slog.New(slog.NewTextHandler(&logs, nil)).Info("signer", "s", s)
		out = append(out, logs.String(), s.String(), s.GoString())
		all := strings.Join(out, "\n")
		for _, secret := range secrets[s.Algorithm().String()] {
			if strings.Contains(all, secret) {
				t.Fatalf("%v: output contains key material %q:\n%s", s.Algorithm(), secret, all)
			}
		}
		for _, want := range []string{s.KeyID(), s.Algorithm().String()} {
			if !strings.Contains(fmt.Sprint(s)+fmt.Sprintf("%#v", s)+logs.String(), want) {
				t.Errorf("output does not show %q", want)
			}
		}
	}
}

// retryTransport retries once on a transport error, reusing the request, as
// a simple retry layer does.
type retryTransport struct{ next http.RoundTripper }

func (r retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.next.RoundTrip(req)
	if err == nil {
		return resp, nil
	}
	return r.next.RoundTrip(req)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportSignsEachAttempt(t *testing.T) {
	t.Parallel()
	key := testEd25519Key(t)
	var clock atomic.Int64
	clock.Store(katTime.UnixMilli())
	s := newSigner(t, key, signing.WithClock(func() time.Time { return time.UnixMilli(clock.Add(1500)) }))

	var attempts []http.Header
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		attempts = append(attempts, r.Header.Clone())
		if err := signing.Verify(key.Public(), r, time.UnixMilli(clock.Load()), time.Second); err != nil {
			t.Errorf("attempt %d: %v", len(attempts), err)
		}
		if len(attempts) == 1 {
			return nil, errors.New("connection reset")
		}
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})
	client := &http.Client{Transport: retryTransport{s.Transport(base)}}
	req, err := http.NewRequest(http.MethodGet, "https://external-api.kalshi.com/trade-api/v2/portfolio/balance", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(attempts) != 2 {
		t.Fatalf("%d attempts, want 2", len(attempts))
	}
	if attempts[0].Get(signing.HeaderTimestamp) == attempts[1].Get(signing.HeaderTimestamp) ||
		attempts[0].Get(signing.HeaderSignature) == attempts[1].Get(signing.HeaderSignature) {
		t.Fatal("retry reused the first attempt's timestamp or signature")
	}
	if len(req.Header) != 0 {
		t.Fatalf("Transport modified the caller's request: %v", req.Header)
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestTransportClosesBodyOnSigningError(t *testing.T) {
	t.Parallel()
	var fail atomic.Bool
	key := opaqueKey{key: testEd25519Key(t), sign: func(k crypto.Signer, d []byte, o crypto.SignerOpts) ([]byte, error) {
		if fail.Load() {
			return nil, errors.New("device unplugged")
		}
		return k.Sign(rand.Reader, d, o)
	}}
	s, err := signing.New("id", key)
	if err != nil {
		t.Fatal(err)
	}
	fail.Store(true)
	called := false
	rt := s.Transport(roundTripFunc(func(*http.Request) (*http.Response, error) { called = true; return nil, nil }))
	body := &closeRecorder{Reader: strings.NewReader("{}")}
	req, err := http.NewRequest(http.MethodPost, "https://external-api.kalshi.com/trade-api/v2/portfolio/orders", body)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.RoundTrip(req); err == nil || !strings.Contains(err.Error(), "device unplugged") {
		t.Fatalf("RoundTrip error = %v, want the signing error", err)
	}
	if called || !body.closed {
		t.Fatalf("base called = %v, body closed = %v; want false, true", called, body.closed)
	}
}

// TestTransportAgainstServer sends real HTTP requests through the signing
// transport to a server mounted under /trade-api/v2 that verifies them with
// its own view of the request.
func TestTransportAgainstServer(t *testing.T) {
	t.Parallel()
	for _, key := range []crypto.Signer{testRSAKey(t), testEd25519Key(t)} {
		s := newSigner(t, key)
		mux := http.NewServeMux()
		mux.Handle("/trade-api/v2/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get(signing.HeaderKey) != s.KeyID() {
				http.Error(w, "unknown key", http.StatusUnauthorized)
				return
			}
			if err := signing.Verify(key.Public(), r, time.Now(), 5*time.Second); err != nil {
				http.Error(w, err.Error(), http.StatusUnauthorized)
				return
			}
			_, _ = io.WriteString(w, r.URL.EscapedPath())
		}))
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		client := &http.Client{Transport: s.Transport(srv.Client().Transport)}
		for _, base := range []string{srv.URL + "/trade-api/v2", srv.URL + "/trade-api/v2/"} {
			for _, tt := range []struct{ method, rel, body string }{
				{http.MethodGet, "portfolio/balance", ""},
				{http.MethodGet, "markets?limit=5&cursor=a%2Bb", ""},
				{http.MethodGet, "markets/" + url.PathEscape("KX/1 2") + "/orderbook", ""},
				{http.MethodPost, "portfolio/orders", `{"ticker":"KX","count":1}`},
				{http.MethodDelete, "portfolio/orders/abc", ""},
			} {
				su, _ := url.Parse(strings.TrimSuffix(base, "/") + "/")
				u, err := su.Parse("./" + tt.rel)
				if err != nil {
					t.Fatal(err)
				}
				req, err := http.NewRequest(tt.method, u.String(), strings.NewReader(tt.body))
				if err != nil {
					t.Fatal(err)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				got, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%v %s %s via %s: %d %s", s.Algorithm(), tt.method, tt.rel, base, resp.StatusCode, got)
				}
			}
		}
	}
}

func TestSignerConcurrentUse(t *testing.T) {
	t.Parallel()
	key := testEd25519Key(t)
	s := newSigner(t, key)
	var wg sync.WaitGroup
	errs := make(chan error, 8*20)
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				req := httptest.NewRequest(http.MethodGet, "/trade-api/v2/markets/"+strconv.Itoa(g)+"-"+strconv.Itoa(i), nil)
				if err := s.EditRequest(context.Background(), req); err != nil {
					errs <- err
					continue
				}
				errs <- signing.Verify(key.Public(), req, time.Now(), time.Minute)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// An opaque URL is written on the request line as it is, so its path is
// what gets signed; the server derives the same path from the request line.
func TestSigningPathOpaqueURL(t *testing.T) {
	t.Parallel()
	key := katKey(t)
	s := newSigner(t, key, fixedClock(katTime))
	for _, tt := range []struct{ opaque, want string }{
		{"//external-api.kalshi.com/trade-api/v2/markets/A%2FB", "/trade-api/v2/markets/A%2FB"},
		{"/trade-api/v2/markets/A%2FB", "/trade-api/v2/markets/A%2FB"},
		{"//external-api.kalshi.com", "/"},
	} {
		u := &url.URL{Scheme: "https", Host: "external-api.kalshi.com", Opaque: tt.opaque, RawQuery: "x=1"}
		if got := signing.SigningPath(u); got != tt.want {
			t.Errorf("SigningPath(opaque %q) = %q, want %q", tt.opaque, got, tt.want)
		}
		req := &http.Request{Method: http.MethodGet, URL: u, Host: u.Host, Header: http.Header{}}
		if err := s.EditRequest(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		var wire bytes.Buffer
		if err := req.Write(&wire); err != nil {
			t.Fatal(err)
		}
		got, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			t.Fatal(err)
		}
		if err := signing.Verify(key.Public(), got, katTime, time.Second); err != nil {
			t.Errorf("opaque %q: server rejects: %v", tt.opaque, err)
		}
	}
}

func TestZeroSignerRefusesToSign(t *testing.T) {
	t.Parallel()
	var s signing.Signer
	if err := s.SetHeaders(http.Header{}, "GET", "/"); err == nil || !strings.Contains(err.Error(), "signing.New") {
		t.Fatalf("zero Signer: %v, want an error pointing to signing.New", err)
	}
}

func TestClockOffset(t *testing.T) {
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	fixed := time.UnixMilli(1_750_000_000_000)
	s, err := signing.New("k", key, signing.WithClock(func() time.Time { return fixed }))
	if err != nil {
		t.Fatal(err)
	}
	if s.ClockOffset() != 0 || !s.Now().Equal(fixed) {
		t.Fatalf("a new Signer has no offset: %v %v", s.ClockOffset(), s.Now())
	}
	server := fixed.Add(-61 * time.Second)
	if d := s.CorrectClock(server); d != -61*time.Second {
		t.Errorf("CorrectClock returned %v, want -61s", d)
	}
	h, err := s.Headers("GET", "/trade-api/v2/portfolio/balance")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := h.Get(signing.HeaderTimestamp), strconv.FormatInt(server.UnixMilli(), 10); got != want {
		t.Errorf("signed at %s, want the corrected %s", got, want)
	}
	copied := *s
	s.SetClockOffset(time.Second)
	if copied.ClockOffset() != time.Second {
		t.Errorf("a copy of the Signer shares its offset: %v", copied.ClockOffset())
	}
}

// An Ed25519 Signer reuses the signature of the same pre-sign text (same
// millisecond, method and path), which is exactly what signing it again
// would give; any other text is signed anew.
func TestEd25519SignatureReuse(t *testing.T) {
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1_750_000_000_000)
	clock := func() time.Time { return now }
	s, err := signing.New("k", key, signing.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := signing.New("k", key, signing.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	sign := func(s *signing.Signer, method, path string) http.Header {
		h, err := s.Headers(method, path)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	a := sign(s, "GET", "/trade-api/v2/portfolio/balance")
	b := sign(s, "GET", "/trade-api/v2/portfolio/balance")
	if a.Get(signing.HeaderSignature) != b.Get(signing.HeaderSignature) {
		t.Error("the same text in the same millisecond signs the same")
	}
	if got, want := b.Get(signing.HeaderSignature), sign(fresh, "GET", "/trade-api/v2/portfolio/balance").Get(signing.HeaderSignature); got != want {
		t.Errorf("a reused signature equals a fresh one: %s, %s", got, want)
	}
	if sign(s, "DELETE", "/trade-api/v2/portfolio/balance").Get(signing.HeaderSignature) == a.Get(signing.HeaderSignature) {
		t.Error("another method is signed anew")
	}
	if sign(s, "GET", "/trade-api/v2/portfolio/orders").Get(signing.HeaderSignature) == a.Get(signing.HeaderSignature) {
		t.Error("another path is signed anew")
	}
	now = now.Add(time.Millisecond)
	if sign(s, "GET", "/trade-api/v2/portfolio/balance").Get(signing.HeaderSignature) == a.Get(signing.HeaderSignature) {
		t.Error("another millisecond is signed anew")
	}
}
