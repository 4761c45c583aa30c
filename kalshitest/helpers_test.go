package kalshitest_test

import (
	"crypto"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// newKey makes a fresh key pair of alg.
func newKey(t testing.TB, alg signing.Algorithm) (crypto.Signer, []byte) {
	t.Helper()
	key, privPEM, _, err := signing.GenerateKey(alg)
	require.NoError(t, err)
	return key, privPEM
}

// newClient starts a fake exchange with opts, registers a fresh Ed25519
// key for the default account and returns a client signed with it.
func newClient(t testing.TB, opts ...kalshitest.Option) (*kalshitest.Server, *kalshi.Client) {
	t.Helper()
	srv := kalshitest.NewServer(opts...)
	t.Cleanup(srv.Close)
	key, _ := newKey(t, signing.Ed25519)
	srv.AddAPIKey("test-key", key.Public())
	s, err := signing.New("test-key", key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	return srv, c
}

// clientFor returns a client of another account with balance.
func clientFor(t testing.TB, srv *kalshitest.Server, keyID, balance string) *kalshi.Client {
	t.Helper()
	key, _ := newKey(t, signing.Ed25519)
	srv.AddAccount(keyID, key.Public(), mustDollars(balance))
	s, err := signing.New(keyID, key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	return c
}

// sharedDir returns the shared reference folder beside the repository, or
// skips the test.
func sharedDir(t *testing.T, parts ...string) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	p := filepath.Join(append([]string{filepath.Dir(file), "..", "..", "shared"}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is not beside the repository (../shared); skipping", filepath.Join(parts...))
	}
	return p
}

func ptr[T any](v T) *T { return &v }

func mustDollars(s string) money.Dollars { return money.MustDollars(s) }

func usd(s string) money.Dollars { return money.MustDollars(s) }
func qty(s string) money.Count   { return money.MustCount(s) }

// requireAPIError asserts that err is an *kalshi.APIError with status and,
// unless code is empty, Kalshi's error code.
func requireAPIError(t *testing.T, err error, status int, code string, msgAndArgs ...any) *kalshi.APIError {
	t.Helper()
	var e *kalshi.APIError
	require.ErrorAs(t, err, &e, msgAndArgs...)
	if len(msgAndArgs) == 0 {
		msgAndArgs = []any{"%s", e.Body}
	}
	require.Equal(t, status, e.StatusCode, msgAndArgs...)
	if code != "" {
		require.Equal(t, code, e.Code, msgAndArgs...)
	}
	return e
}
