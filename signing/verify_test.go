package signing_test

import (
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
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// signedRequest returns a server-side request for method and target signed
// by s.
func signedRequest(t *testing.T, s *signing.Signer, method, target string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if err := s.EditRequest(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	return req
}

func TestVerify(t *testing.T) {
	t.Parallel()
	const skew = 5 * time.Second
	now := katTime
	edKey, rsaKey := testEd25519Key(t), testRSAKey(t)
	_, otherEd, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	const target = "/trade-api/v2/portfolio/orders?limit=5"

	for _, key := range []crypto.Signer{edKey, rsaKey} {
		s := newSigner(t, key, fixedClock(now))
		pub := key.Public()
		tests := []struct {
			name  string
			pub   crypto.PublicKey
			req   func() *http.Request
			now   time.Time
			want  error  // nil: verifies
			cause string // text the error must contain
		}{
			{name: "valid", pub: pub, req: func() *http.Request { return signedRequest(t, s, "GET", target) }, now: now},
			{name: "query changed: not signed", pub: pub, now: now, req: func() *http.Request {
				r := signedRequest(t, s, "GET", target)
				r.URL.RawQuery = "limit=1000"
				return r
			}},
			{name: "at the skew limit, past", pub: pub, now: now.Add(skew), req: func() *http.Request { return signedRequest(t, s, "GET", target) }},
			{name: "at the skew limit, future", pub: pub, now: now.Add(-skew), req: func() *http.Request { return signedRequest(t, s, "GET", target) }},
			{name: "wrong key", pub: otherEd.Public(), now: now, want: signing.ErrSignatureMismatch, cause: "wrong key",
				req: func() *http.Request { return signedRequest(t, s, "GET", target) }},
			{name: "tampered method", pub: pub, now: now, want: signing.ErrSignatureMismatch, cause: "DELETE/trade-api/v2/portfolio/orders",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Method = http.MethodDelete
					return r
				}},
			{name: "tampered path", pub: pub, now: now, want: signing.ErrSignatureMismatch, cause: "/trade-api/v2/portfolio/fills",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.URL.Path = "/trade-api/v2/portfolio/fills"
					return r
				}},
			{name: "tampered timestamp", pub: pub, now: now, want: signing.ErrSignatureMismatch,
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Header.Set(signing.HeaderTimestamp, strconv.FormatInt(now.UnixMilli()+1, 10))
					return r
				}},
			{name: "stale", pub: pub, now: now.Add(skew + time.Millisecond), want: signing.ErrTimestampExpired, cause: "sign each attempt anew",
				req: func() *http.Request { return signedRequest(t, s, "GET", target) }},
			{name: "future", pub: pub, now: now.Add(-skew - time.Millisecond), want: signing.ErrTimestampExpired, cause: "clock",
				req: func() *http.Request { return signedRequest(t, s, "GET", target) }},
			{name: "seconds instead of milliseconds", pub: pub, now: now, want: signing.ErrTimestampExpired, cause: "looks like seconds",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Header.Set(signing.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
					return r
				}},
			{name: "nanoseconds instead of milliseconds", pub: pub, now: now, want: signing.ErrTimestampExpired, cause: "looks like nanoseconds",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Header.Set(signing.HeaderTimestamp, strconv.FormatInt(now.UnixNano(), 10))
					return r
				}},
			{name: "no headers", pub: pub, now: now, want: signing.ErrMissingHeaders, cause: "KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP, KALSHI-ACCESS-SIGNATURE",
				req: func() *http.Request { return httptest.NewRequest("GET", target, nil) }},
			{name: "no key header", pub: pub, now: now, want: signing.ErrMissingHeaders, cause: "KALSHI-ACCESS-KEY",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Header.Del(signing.HeaderKey)
					return r
				}},
			{name: "no timestamp header", pub: pub, now: now, want: signing.ErrMissingHeaders, cause: "KALSHI-ACCESS-TIMESTAMP",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Header.Del(signing.HeaderTimestamp)
					return r
				}},
			{name: "empty signature header", pub: pub, now: now, want: signing.ErrMissingHeaders, cause: "KALSHI-ACCESS-SIGNATURE",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Header.Set(signing.HeaderSignature, "")
					return r
				}},
			{name: "signature not base64", pub: pub, now: now, want: signing.ErrBadEncoding, cause: "base64",
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					r.Header.Set(signing.HeaderSignature, "not*base64!")
					return r
				}},
			{name: "signature in URL-safe base64", pub: pub, now: now, want: signing.ErrBadEncoding,
				req: func() *http.Request {
					r := signedRequest(t, s, "GET", target)
					sig, _ := base64.StdEncoding.DecodeString(r.Header.Get(signing.HeaderSignature))
					r.Header.Set(signing.HeaderSignature, base64.RawURLEncoding.EncodeToString(append(sig, 0xfb, 0xff)))
					return r
				}},
		}
		for _, bad := range []string{"abc", "-1700000000000", "+1700000000000", " 1700000000000", "1700000000000.5", "1e12", "99999999999999999999"} {
			tests = append(tests, struct {
				name  string
				pub   crypto.PublicKey
				req   func() *http.Request
				now   time.Time
				want  error
				cause string
			}{name: "timestamp " + bad, pub: pub, now: now, want: signing.ErrBadEncoding, cause: "milliseconds", req: func() *http.Request {
				r := signedRequest(t, s, "GET", target)
				r.Header.Set(signing.HeaderTimestamp, bad)
				return r
			}})
		}
		for _, tt := range tests {
			t.Run(s.Algorithm().String()+"/"+tt.name, func(t *testing.T) {
				err := signing.Verify(tt.pub, tt.req(), tt.now, skew)
				if tt.want == nil {
					if err != nil {
						t.Fatalf("Verify: %v", err)
					}
					return
				}
				if !errors.Is(err, tt.want) {
					t.Fatalf("Verify error = %v, want %v", err, tt.want)
				}
				for _, other := range []error{signing.ErrMissingHeaders, signing.ErrBadEncoding, signing.ErrTimestampExpired, signing.ErrSignatureMismatch} {
					if other != tt.want && errors.Is(err, other) {
						t.Fatalf("error %v also matches %v", err, other)
					}
				}
				if !strings.Contains(err.Error(), tt.cause) {
					t.Fatalf("error %q does not contain %q", err, tt.cause)
				}
			})
		}
	}
}

func TestVerifyRejectsUnusableKeys(t *testing.T) {
	t.Parallel()
	s := newSigner(t, testEd25519Key(t))
	req := signedRequest(t, s, "GET", "/trade-api/v2/portfolio/balance")
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		pub  crypto.PublicKey
		want error
	}{
		{"EC key", &ecKey.PublicKey, signing.ErrUnsupportedKeyType},
		{"short Ed25519 key", ed25519.PublicKey{1, 2, 3}, signing.ErrMalformedKey},
		{"nil key", nil, signing.ErrMalformedKey},
		{"empty RSA key", &rsa.PublicKey{}, signing.ErrMalformedKey},
	} {
		if err := signing.Verify(tt.pub, req, time.Now(), time.Minute); !errors.Is(err, tt.want) {
			t.Errorf("%s: Verify error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// clientMistake signs text the way a faulty client would and returns the
// request a server receives.
func clientMistake(t *testing.T, target string, sign func(ts string) []byte) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	ts := strconv.FormatInt(katTime.UnixMilli(), 10)
	req.Header.Set(signing.HeaderKey, "id")
	req.Header.Set(signing.HeaderTimestamp, ts)
	req.Header.Set(signing.HeaderSignature, base64.StdEncoding.EncodeToString(sign(ts)))
	return req
}

func TestVerifyExplainsClientMistakes(t *testing.T) {
	t.Parallel()
	edKey, rsaKey := testEd25519Key(t), testRSAKey(t)
	const target = "/trade-api/v2/markets?limit=5"
	edSign := func(text string) []byte { return ed25519.Sign(edKey, []byte(text)) }
	pss := func(text string, salt int) []byte {
		d := sha256.Sum256([]byte(text))
		sig, err := rsa.SignPSS(rand.Reader, rsaKey, crypto.SHA256, d[:], &rsa.PSSOptions{SaltLength: salt})
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	tests := []struct {
		name string
		pub  crypto.PublicKey
		sign func(ts string) []byte
		hint string
	}{
		{"query signed", edKey.Public(), func(ts string) []byte { return edSign(ts + "GET/trade-api/v2/markets?limit=5") }, "signed the query string"},
		{"base path left out", edKey.Public(), func(ts string) []byte { return edSign(ts + "GET/markets") }, "left the base path /trade-api/v2 out"},
		{"lower-case method", edKey.Public(), func(ts string) []byte { return edSign(ts + "get/trade-api/v2/markets") }, "method in lower case"},
		{"body signed", edKey.Public(), func(ts string) []byte { return edSign(ts + "GET/trade-api/v2/markets{}") }, "different text"},
		{"PSS salt 20", &rsaKey.PublicKey, func(ts string) []byte { return pss(ts+"GET/trade-api/v2/markets", 20) }, "salt length other than 32"},
		{"PSS salt auto (maximum)", &rsaKey.PublicKey, func(ts string) []byte { return pss(ts+"GET/trade-api/v2/markets", rsa.PSSSaltLengthAuto) }, "salt length other than 32"},
		{"PKCS#1 v1.5", &rsaKey.PublicKey, func(ts string) []byte {
			d := sha256.Sum256([]byte(ts + "GET/trade-api/v2/markets"))
			sig, err := rsa.SignPKCS1v15(rand.Reader, rsaKey, crypto.SHA256, d[:])
			if err != nil {
				t.Fatal(err)
			}
			return sig
		}, "PKCS#1 v1.5"},
		{"RSA query signed", &rsaKey.PublicKey, func(ts string) []byte { return pss(ts+"GET/trade-api/v2/markets?limit=5", 32) }, "signed the query string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := signing.Verify(tt.pub, clientMistake(t, target, tt.sign), katTime, time.Second)
			if !errors.Is(err, signing.ErrSignatureMismatch) || !strings.Contains(err.Error(), tt.hint) {
				t.Fatalf("Verify error = %v, want a mismatch explaining %q", err, tt.hint)
			}
		})
	}
	// The WebSocket handshake's base path is recognised too.
	err := signing.Verify(edKey.Public(), clientMistake(t, signing.WebSocketPath, func(ts string) []byte { return edSign(ts + "GET") }), katTime, time.Second)
	if !strings.Contains(err.Error(), "base path /trade-api/ws/v2") {
		t.Fatalf("WebSocket mistake: %v", err)
	}
}

func TestVerifyReportsMissingHeadersFirst(t *testing.T) {
	t.Parallel()
	req := httptest.NewRequest(http.MethodGet, "/trade-api/v2/portfolio/balance", nil)
	// No key could be looked up for a request without headers.
	if err := signing.Verify(nil, req, time.Now(), time.Minute); !errors.Is(err, signing.ErrMissingHeaders) {
		t.Fatalf("Verify(nil key, no headers) = %v, want ErrMissingHeaders", err)
	}
	if err := signing.Verify(ed25519.PublicKey(make([]byte, 32)), nil, time.Now(), time.Minute); !errors.Is(err, signing.ErrMissingHeaders) {
		t.Fatalf("Verify(nil request) = %v, want ErrMissingHeaders", err)
	}
}
