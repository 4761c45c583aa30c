package signing_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// Sign a request. Real code loads the key with signing.LoadPrivateKey or
// signing.ParsePrivateKey; a fixed key and clock make the output stable here.
func ExampleNew() {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)) // use LoadPrivateKey("kalshi.pem")
	s, err := signing.New("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", key,
		signing.WithClock(func() time.Time { return time.UnixMilli(1_700_000_000_000) }))
	if err != nil {
		log.Fatal(err)
	}

	req, err := http.NewRequest(http.MethodGet, "https://external-api.kalshi.com/trade-api/v2/portfolio/balance?subaccount=0", nil)
	if err != nil {
		log.Fatal(err)
	}
	if err := s.EditRequest(context.Background(), req); err != nil {
		log.Fatal(err)
	}
	fmt.Println(s)
	fmt.Println("signed text:", signing.PreSignText(1_700_000_000_000, req.Method, signing.SigningPath(req.URL)))
	fmt.Println(signing.HeaderKey+":", req.Header.Get(signing.HeaderKey))
	fmt.Println(signing.HeaderTimestamp+":", req.Header.Get(signing.HeaderTimestamp))
	fmt.Println(signing.HeaderSignature+":", req.Header.Get(signing.HeaderSignature))
	// Output:
	// signing.Signer(key=a952bcbe-ec3b-4b5b-b8f9-11dae589608c, alg=Ed25519)
	// signed text: 1700000000000GET/trade-api/v2/portfolio/balance
	// Kalshi-Access-Key: a952bcbe-ec3b-4b5b-b8f9-11dae589608c
	// Kalshi-Access-Timestamp: 1700000000000
	// Kalshi-Access-Signature: QPjHkYHUHxc/Bb9Ve1UmBD2yf2iKslhTCPgzoQvo+7aWsuPB0CljyRb93yEKIEM8bDOdG3qdWWCe2N9UhwqVDg==
}

// Sign every request an http.Client sends. Put any retry layer above the
// signing transport so each attempt is signed with a fresh timestamp.
func ExampleSigner_Transport() {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)) // use LoadPrivateKey("kalshi.pem")
	s, err := signing.New("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", key)
	if err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Transport: s.Transport(http.DefaultTransport), Timeout: 10 * time.Second}
	_ = client // client.Get("https://external-api.kalshi.com/trade-api/v2/portfolio/balance")
}

// Sign the WebSocket handshake: pass the headers to the dialer.
func ExampleSigner_Headers() {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	s, err := signing.New("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", key,
		signing.WithClock(func() time.Time { return time.UnixMilli(1_700_000_000_000) }))
	if err != nil {
		log.Fatal(err)
	}
	h, err := s.Headers(http.MethodGet, "wss://external-api-ws.kalshi.com"+signing.WebSocketPath)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h.Get(signing.HeaderTimestamp), len(h.Get(signing.HeaderSignature)))
	// Output:
	// 1700000000000 88
}

// Make a key pair, then register the public half with CreateApiKey; the
// response's api_key_id is the key ID for signing.New.
func ExampleGenerateKey() {
	key, privatePEM, publicPEM, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		log.Fatal(err)
	}
	// Save privatePEM with owner-only permissions, e.g.
	// os.WriteFile("kalshi.pem", privatePEM, 0o600), and send
	// {"name": "bot", "public_key": string(publicPEM)} to POST /api_keys.
	fmt.Printf("%T\n", key)
	fmt.Println(strings.SplitN(string(privatePEM), "\n", 2)[0])
	fmt.Println(strings.SplitN(string(publicPEM), "\n", 2)[0])
	// Output:
	// ed25519.PrivateKey
	// -----BEGIN PRIVATE KEY-----
	// -----BEGIN PUBLIC KEY-----
}

// Check requests on the server side, as a fake exchange or a proxy does.
func ExampleVerify() {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	s, err := signing.New("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", key)
	if err != nil {
		log.Fatal(err)
	}
	// The server looks the public key up by the KALSHI-ACCESS-KEY header.
	publicKeys := map[string]ed25519.PublicKey{s.KeyID(): key.Public().(ed25519.PublicKey)}
	check := func(r *http.Request) string {
		pub, known := publicKeys[r.Header.Get(signing.HeaderKey)]
		err := signing.Verify(pub, r, time.Now(), 5*time.Second)
		switch {
		case errors.Is(err, signing.ErrMissingHeaders):
			return "401 signature_is_missing_from_headers"
		case !known:
			return "401 authentication_error NOT_FOUND"
		case errors.Is(err, signing.ErrTimestampExpired):
			return "401 header_timestamp_expired"
		case err != nil:
			return "401 authentication_error INCORRECT_API_KEY_SIGNATURE"
		default:
			return "200"
		}
	}

	good := httptest.NewRequest(http.MethodGet, "/trade-api/v2/portfolio/balance", nil)
	_ = s.EditRequest(context.Background(), good)
	fmt.Println(check(good))

	tampered := httptest.NewRequest(http.MethodDelete, "/trade-api/v2/portfolio/balance", nil)
	tampered.Header = good.Header.Clone()
	fmt.Println(check(tampered))

	fmt.Println(check(httptest.NewRequest(http.MethodGet, "/trade-api/v2/portfolio/balance", nil)))

	unknown := httptest.NewRequest(http.MethodGet, "/trade-api/v2/portfolio/balance", nil)
	unknown.Header = good.Header.Clone()
	unknown.Header.Set(signing.HeaderKey, "some-other-key")
	fmt.Println(check(unknown))
	// Output:
	// 200
	// 401 authentication_error INCORRECT_API_KEY_SIGNATURE
	// 401 signature_is_missing_from_headers
	// 401 authentication_error NOT_FOUND
}
