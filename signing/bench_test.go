package signing_test

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// The benchmarks come in pairs: signing a request through EditRequest, and
// the bare crypto call over the same pre-sign text. Their ratio is the cost
// of everything else (timestamp, text, base64, headers); compare with
//
//	go test -run '^$' -bench . -count 5 ./signing/

const benchURL = "https://external-api.kalshi.com/trade-api/v2/portfolio/orders?limit=100"

var benchText = []byte(strconv.FormatInt(time.Now().UnixMilli(), 10) + "GET/trade-api/v2/portfolio/orders")

// benchEditRequest signs with a clock that moves a millisecond a call, so
// every call signs anew (an Ed25519 Signer reuses the signature of the
// same text in the same millisecond; see BenchmarkEditRequestEd25519SameMillisecond).
func benchEditRequest(b *testing.B, key crypto.Signer) {
	var tick atomic.Int64
	start := time.Now()
	s := newSigner(b, key, signing.WithClock(func() time.Time { return start.Add(time.Duration(tick.Add(1)) * time.Millisecond) }))
	req, err := http.NewRequest(http.MethodGet, benchURL, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.EditRequest(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEditRequestEd25519(b *testing.B) { benchEditRequest(b, testEd25519Key(b)) }

// BenchmarkEditRequestEd25519SameMillisecond signs the same request again
// and again in one millisecond: Ed25519 being deterministic, the Signer
// reuses the signature it made.
func BenchmarkEditRequestEd25519SameMillisecond(b *testing.B) {
	now := time.Now()
	s := newSigner(b, testEd25519Key(b), signing.WithClock(func() time.Time { return now }))
	req, err := http.NewRequest(http.MethodGet, benchURL, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := s.EditRequest(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBareEd25519(b *testing.B) {
	key := testEd25519Key(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = ed25519.Sign(key, benchText)
	}
}

func BenchmarkEditRequestRSA(b *testing.B) { benchEditRequest(b, testRSAKey(b)) }

func BenchmarkBareRSA(b *testing.B) {
	key := testRSAKey(b)
	opts := &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256}
	b.ReportAllocs()
	for b.Loop() {
		digest := sha256.Sum256(benchText)
		if _, err := rsa.SignPSS(rand.Reader, key, crypto.SHA256, digest[:], opts); err != nil {
			b.Fatal(err)
		}
	}
}
