package signing_test

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// testKeyPEM reads a key from testdata/keys and restores the real PEM label
// (see testdata/keys/README.md).
func testKeyPEM(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "keys", name))
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.ReplaceAll(data, []byte("TESTING KEY"), []byte("PRIVATE KEY"))
}

func testRSAKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	k, err := signing.ParsePrivateKey(testKeyPEM(tb, "rsa2048-pkcs1.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	return k.(*rsa.PrivateKey)
}

func testEd25519Key(tb testing.TB) ed25519.PrivateKey {
	tb.Helper()
	k, err := signing.ParsePrivateKey(testKeyPEM(tb, "ed25519-pkcs8.pem"))
	if err != nil {
		tb.Fatal(err)
	}
	return k.(ed25519.PrivateKey)
}

// katSeed is the secret key of RFC 8032, section 7.1, TEST 1.
const katSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"

func katKey(tb testing.TB) ed25519.PrivateKey {
	tb.Helper()
	seed, err := hex.DecodeString(katSeed)
	if err != nil {
		tb.Fatal(err)
	}
	return ed25519.NewKeyFromSeed(seed)
}

// katTime is the timestamp 1700000000000 ms used by the known answers.
var katTime = time.UnixMilli(1_700_000_000_000)

func fixedClock(t time.Time) signing.Option {
	return signing.WithClock(func() time.Time { return t })
}

func newSigner(tb testing.TB, key crypto.Signer, opts ...signing.Option) *signing.Signer {
	tb.Helper()
	s, err := signing.New("a952bcbe-ec3b-4b5b-b8f9-11dae589608c", key, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}
