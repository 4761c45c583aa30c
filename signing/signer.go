package signing

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Header names Kalshi reads. They are written in Go's canonical form, so they
// work with http.Header's methods and as map keys alike; HTTP header names
// are case-insensitive, and Kalshi documents them as KALSHI-ACCESS-KEY,
// KALSHI-ACCESS-TIMESTAMP and KALSHI-ACCESS-SIGNATURE.
const (
	HeaderKey       = "Kalshi-Access-Key"
	HeaderTimestamp = "Kalshi-Access-Timestamp"
	HeaderSignature = "Kalshi-Access-Signature"
)

// WebSocketPath is the path of Kalshi's WebSocket endpoint; the handshake is
// signed as a GET of this path.
const WebSocketPath = "/trade-api/ws/v2"

// Signer adds Kalshi's authentication headers to requests. Make one with
// [New]; it is immutable and safe for concurrent use. Printing or logging a Signer shows its key ID
// and algorithm only, never the key.
type Signer struct {
	keyID string
	// key returns the private key. It is a function so that nothing that
	// prints values by reflection (fmt's %s of a struct that holds a
	// Signer, a debugger's dump, a logger) can reach the key: a function
	// prints as an address.
	key func() crypto.Signer
	pub crypto.PublicKey
	alg Algorithm
	pss rsa.PSSOptions
	now func() time.Time
	// offset corrects now, in nanoseconds (see SetClockOffset). A pointer,
	// so that copies of a Signer share it and stay copyable.
	offset *atomic.Int64
	// last is the last Ed25519 signature made, reused for the same
	// pre-sign text: Ed25519 is deterministic, so requests to one path in
	// one millisecond carry the same signature either way.
	last *atomic.Pointer[signature]
}

// signature is a pre-sign text and the header values that sign it.
type signature struct {
	msg    string
	values string // timestamp followed by the base64 signature
	tsLen  int
}

// Option configures a [Signer].
type Option func(*Signer)

// WithClock makes the Signer read the time from now instead of time.Now, for
// tests and for hosts whose clock is known to be off. A nil now is ignored.
func WithClock(now func() time.Time) Option {
	return func(s *Signer) {
		if now != nil {
			s.now = now
		}
	}
}

// New returns a Signer for the API key keyID (the api_key_id from
// GenerateApiKey or CreateApiKey) and its private key.
//
// key may be an *rsa.PrivateKey of 2048 bits or more, an ed25519.PrivateKey,
// or any crypto.Signer whose public key is one of those (a KMS or HSM key).
// Such an opaque signer is asked once, here, to sign a probe message, and the
// result is checked, so a device that pads RSA with PKCS#1 v1.5 or uses the
// wrong PSS salt length fails now instead of with a 401 later. Surrounding
// whitespace in keyID is removed.
func New(keyID string, key crypto.Signer, opts ...Option) (*Signer, error) {
	id, err := cleanKeyID(keyID)
	if err != nil {
		return nil, fmt.Errorf("signing: new signer: %w", err)
	}
	if err := checkPrivateKey(key); err != nil {
		return nil, fmt.Errorf("signing: new signer: %w", err)
	}
	alg, err := algorithmOf(key.Public())
	if err != nil {
		return nil, fmt.Errorf("signing: new signer: %w", err)
	}
	s := &Signer{
		keyID:  id,
		key:    func() crypto.Signer { return key },
		pub:    key.Public(),
		alg:    alg,
		pss:    rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256},
		now:    time.Now,
		offset: new(atomic.Int64),
		last:   new(atomic.Pointer[signature]),
	}
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
	if err := s.checkOpaque(); err != nil {
		return nil, fmt.Errorf("signing: new signer: %w", err)
	}
	return s, nil
}

// cleanKeyID trims and checks a key ID. Its errors never quote the ID, which
// may be a key pasted into the wrong place.
func cleanKeyID(keyID string) (string, error) {
	id := strings.TrimSpace(keyID)
	if id == "" {
		return "", fmt.Errorf("%w: it is empty (set KALSHI_API_KEY_ID to the api_key_id Kalshi returned with the key)", ErrInvalidKeyID)
	}
	if strings.Contains(id, "-----BEGIN") || strings.Contains(id, "KEY-----") {
		return "", fmt.Errorf("%w: it looks like a PEM key; the key ID and the private key are probably swapped", ErrInvalidKeyID)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c == 0x7f {
			return "", fmt.Errorf("%w: it contains a space or control character at byte %d", ErrInvalidKeyID, i)
		}
	}
	return id, nil
}

// checkPrivateKey catches keys whose Public method would panic and Ed25519
// keys whose two halves do not belong together, which would sign every
// request invalidly.
func checkPrivateKey(key crypto.Signer) error {
	switch k := key.(type) {
	case nil:
		return fmt.Errorf("%w: the private key is nil", ErrMalformedKey)
	case *rsa.PrivateKey:
		if k == nil {
			return fmt.Errorf("%w: the private key is nil", ErrMalformedKey)
		}
	case ed25519.PrivateKey:
		if len(k) != ed25519.PrivateKeySize {
			return fmt.Errorf("%w: Ed25519 private key of %d bytes, want %d", ErrMalformedKey, len(k), ed25519.PrivateKeySize)
		}
		if !ed25519.NewKeyFromSeed(k.Seed()).Equal(k) {
			return fmt.Errorf("%w: the Ed25519 private key's public half does not match its seed", ErrMalformedKey)
		}
	}
	return nil
}

// checkOpaque signs and verifies a probe with a key whose implementation this
// package does not know.
func (s *Signer) checkOpaque() error {
	switch s.key().(type) {
	case *rsa.PrivateKey, ed25519.PrivateKey:
		return nil
	}
	const probe = "0GET/trade-api/v2/signing-self-check"
	sig, err := s.signMessage([]byte(probe))
	if err != nil {
		return fmt.Errorf("self-check signature with the %v key failed: %w", s.alg, err)
	}
	if err := verifySignature(s.pub, s.alg, []byte(probe), sig); err != nil {
		return fmt.Errorf("self-check: the %v key's signature does not verify against its own public key (an RSA key must sign RSA-PSS, SHA-256, salt length 32): %w", s.alg, err)
	}
	return nil
}

// Now returns the time the Signer signs with: its clock (time.Now, or
// WithClock's) plus the offset SetClockOffset or CorrectClock set.
func (s *Signer) Now() time.Time {
	return s.now().Add(s.ClockOffset())
}

// ClockOffset returns the correction added to the Signer's clock.
func (s *Signer) ClockOffset() time.Duration {
	if s.offset == nil {
		return 0
	}
	return time.Duration(s.offset.Load())
}

// SetClockOffset makes the Signer sign with its clock plus d, for a
// machine whose clock is off and cannot be fixed. It is safe to call while
// requests are being signed; every user of this Signer (the REST client,
// the WebSocket connection) signs with the corrected time from then on.
func (s *Signer) SetClockOffset(d time.Duration) { s.offset.Store(int64(d)) }

// CorrectClock sets the offset so that the Signer's clock reads
// serverTime now, and returns the offset. Kalshi's clients call it with
// the time of an answer that refused a timestamp as stale.
func (s *Signer) CorrectClock(serverTime time.Time) time.Duration {
	d := serverTime.Sub(s.now())
	s.SetClockOffset(d)
	return d
}

// KeyID returns the API key ID sent in the KALSHI-ACCESS-KEY header.
func (s *Signer) KeyID() string { return s.keyID }

// Algorithm returns the key's algorithm.
func (s *Signer) Algorithm() Algorithm { return s.alg }

// Public returns the public half of the key, for [MarshalPublicKey] or
// [Verify].
func (s *Signer) Public() crypto.PublicKey { return s.pub }

// EditRequest signs req in place: it sets the three KALSHI-ACCESS-* headers
// for req's method and URL path at the current time. Its signature matches the
// generated client's RequestEditorFn. The signature is made once, so a layer
// that retries the same *http.Request later sends a stale timestamp: put
// [Signer.Transport] below the retry layer instead.
func (s *Signer) EditRequest(_ context.Context, req *http.Request) error {
	if req == nil || req.URL == nil {
		return errors.New("signing: sign request: request or its URL is nil")
	}
	if req.Header == nil {
		req.Header = make(http.Header, 3)
	}
	return s.SetHeaders(req.Header, req.Method, SigningPath(req.URL))
}

// Headers returns new headers that authenticate a request with the given
// method to target, signed now. target is the request's URL, absolute (such
// as "wss://external-api-ws.kalshi.com/trade-api/ws/v2") or just its escaped
// path ("/trade-api/ws/v2"); a query or fragment is ignored. Pass the URL you
// will really request, base path included. Use it for requests not made with
// net/http, such as the WebSocket handshake:
//
//	h, err := s.Headers(http.MethodGet, wsURL)
//	// then pass h as the dialer's handshake headers
func (s *Signer) Headers(method, target string) (http.Header, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, fmt.Errorf("signing: headers: %w", err)
	}
	path := SigningPath(u)
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("signing: headers: target %q is neither an absolute URL nor a path starting with /", target)
	}
	h := make(http.Header, 3)
	if err := s.SetHeaders(h, method, path); err != nil {
		return nil, err
	}
	return h, nil
}

// SetHeaders signs method and path at the current time and sets the three
// KALSHI-ACCESS-* headers in h, replacing earlier values. path must be the
// escaped request path without a query, as [SigningPath] returns it.
func (s *Signer) SetHeaders(h http.Header, method, path string) error {
	if s == nil || s.key == nil {
		return errors.New("signing: sign: the Signer was not made with signing.New")
	}
	ms := s.Now().UnixMilli()
	var msgBuf [256]byte
	msg := appendPreSign(msgBuf[:0], ms, method, path)
	var values string
	var tsLen int
	if last := s.last; s.alg == Ed25519 && last != nil {
		if m := last.Load(); m != nil && m.msg == string(msg) {
			values, tsLen = m.values, m.tsLen
		}
	}
	if values == "" {
		sig, err := s.signMessage(msg)
		if err != nil {
			return fmt.Errorf("signing: sign %s %s: %w", method, path, err)
		}
		// The timestamp and the base64 signature share one string, and the
		// three header values one slice: two allocations beyond the crypto.
		var outBuf [24 + 704]byte // 704: base64 of a signature by a key of up to 4096 bits
		out := strconv.AppendInt(outBuf[:0], ms, 10)
		tsLen = len(out)
		out = base64.StdEncoding.AppendEncode(out, sig)
		values = string(out)
		if s.alg == Ed25519 && s.last != nil {
			s.last.Store(&signature{msg: string(msg), values: values, tsLen: tsLen})
		}
	}
	vals := make([]string, 3)
	vals[0] = s.keyID
	vals[1] = values[:tsLen]
	vals[2] = values[tsLen:]
	h[HeaderKey] = vals[0:1:1]
	h[HeaderTimestamp] = vals[1:2:2]
	h[HeaderSignature] = vals[2:3:3]
	return nil
}

// signMessage signs the pre-sign text msg with the key's algorithm. Keys of
// this package's own types are called directly, which keeps msg off the heap.
func (s *Signer) signMessage(msg []byte) ([]byte, error) {
	switch k := s.key().(type) {
	case ed25519.PrivateKey:
		return ed25519.Sign(k, msg), nil
	case *rsa.PrivateKey:
		digest := sha256.Sum256(msg)
		return rsa.SignPSS(rand.Reader, k, crypto.SHA256, digest[:], &s.pss)
	}
	return s.signOpaque(bytes.Clone(msg))
}

// signOpaque signs with a crypto.Signer of unknown implementation.
func (s *Signer) signOpaque(msg []byte) ([]byte, error) {
	if s.alg == RSA {
		digest := sha256.Sum256(msg)
		return s.key().Sign(rand.Reader, digest[:], &s.pss)
	}
	return s.key().Sign(rand.Reader, msg, crypto.Hash(0))
}

// Transport returns an http.RoundTripper that signs each request as it is
// sent and passes it to base (http.DefaultTransport when nil). Each call to
// RoundTrip signs anew, so a retry layer above it sends a fresh timestamp and
// signature with every attempt. The caller's request is not modified: a
// clone carries the headers. A request an http.Client makes to follow a
// redirect is refused, not signed (ErrRedirect); set CheckRedirect to
// RefuseRedirect to get that error before the request is even built.
func (s *Signer) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{signer: s, base: base}
}

type transport struct {
	signer *Signer
	base   http.RoundTripper
}

// RoundTrip implements http.RoundTripper. It refuses to sign a request
// that follows a redirect (see ErrRedirect).
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Response != nil {
		return nil, closeBody(req, redirectError(req))
	}
	r := req.Clone(req.Context())
	if err := t.signer.EditRequest(r.Context(), r); err != nil {
		return nil, closeBody(req, err)
	}
	return t.base.RoundTrip(r)
}

// String describes the transport by its signer, never the key.
func (t *transport) String() string { return "signing.Transport(" + t.signer.String() + ")" }

// Format prints String for every verb: printing the transport never walks
// its fields (the signer, the live base transport).
func (t *transport) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, t.String()) }

// CloseIdleConnections closes idle connections of the base transport when it
// supports that, so http.Client.CloseIdleConnections reaches it.
func (t *transport) CloseIdleConnections() {
	if c, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// closeBody closes the request body, as a RoundTripper must even on error.
func closeBody(req *http.Request, err error) error {
	if req.Body != nil {
		_ = req.Body.Close()
	}
	return err
}

// String describes the Signer by key ID and algorithm.
func (s Signer) String() string {
	return fmt.Sprintf("signing.Signer(key=%s, alg=%v)", s.keyID, s.alg)
}

// GoString is like String, for %#v.
func (s Signer) GoString() string {
	return fmt.Sprintf("signing.Signer{KeyID: %q, Algorithm: signing.%v}", s.keyID, s.alg)
}

// Format prints String for every verb (GoString for %#v), so no verb can
// reach the key. The methods have value receivers so that a copied Signer
// is covered too.
func (s Signer) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = fmt.Fprint(f, s.GoString())
		return
	}
	_, _ = fmt.Fprint(f, s.String())
}

// LogValue implements slog.LogValuer: a Signer logs as its key ID and
// algorithm.
func (s Signer) LogValue() slog.Value {
	return slog.GroupValue(slog.String("key_id", s.keyID), slog.String("alg", s.alg.String()))
}

// ErrRedirect matches a refusal to follow a redirect with a signed
// request. Kalshi's API does not redirect; a redirect comes from something
// in between, and following it would hand a fresh signature (and, on 307,
// the body) to wherever it points. Kalshi does not sign the body, so such
// a signature can be replayed with another one.
var ErrRedirect = errors.New("signing: a signed request does not follow redirects")

// RefuseRedirect is an http.Client CheckRedirect function that refuses
// every redirect with an error wrapping ErrRedirect that names the status
// and the target.
func RefuseRedirect(req *http.Request, _ []*http.Request) error {
	return redirectError(req)
}

func redirectError(req *http.Request) error {
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	return fmt.Errorf("%w: the answer was %d %s, pointing to %s", ErrRedirect, status, http.StatusText(status), req.URL.Redacted())
}
