package kalshi_test

import (
	"context"
	"crypto"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// setEnv sets the KALSHI_* variables for one test, clearing the others.
// Tests using it cannot run in parallel (the environment is per process).
func setEnv(t *testing.T, vars map[string]string) {
	for _, name := range []string{kalshi.EnvAPIKeyID, kalshi.EnvPrivateKey, kalshi.EnvPrivateKeyPath, kalshi.EnvEnvironment, kalshi.EnvBaseURL} {
		t.Setenv(name, vars[name])
	}
}

func TestNewFromEnvSignsWithTheKeyFromTheEnvironment(t *testing.T) {
	key, privatePEM, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	ts := newTestServer(t)
	var verr error
	ts.handle("GET", "/portfolio/balance", func(w http.ResponseWriter, r *http.Request) {
		verr = signing.Verify(key.Public(), r, time.Now(), 5*time.Second)
		assert.Equal(t, "env-key", r.Header.Get(signing.HeaderKey))
		writeJSON(w, http.StatusOK, balanceBody)
	})
	// The PEM on one line with literal \n escapes, as in a .env file.
	oneLine := strings.ReplaceAll(strings.TrimSpace(string(privatePEM)), "\n", `\n`)
	setEnv(t, map[string]string{
		kalshi.EnvAPIKeyID:   "env-key",
		kalshi.EnvPrivateKey: oneLine,
		kalshi.EnvBaseURL:    ts.baseURL(),
	})
	c, err := kalshi.NewFromEnv()
	require.NoError(t, err)
	_, err = c.GetBalance(context.Background(), nil)
	require.NoError(t, err)
	require.NoError(t, verr)
	assert.Equal(t, kalshi.Demo, c.Environment(), "demo unless KALSHI_ENV says otherwise")
}

func TestNewFromEnvReadsAKeyFile(t *testing.T) {
	_, privatePEM, _, err := signing.GenerateKey(signing.RSA)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(path, privatePEM, 0o600))
	setEnv(t, map[string]string{kalshi.EnvAPIKeyID: "k", kalshi.EnvPrivateKeyPath: path, kalshi.EnvEnvironment: "prod"})
	c, err := kalshi.NewFromEnv()
	require.NoError(t, err)
	assert.Equal(t, kalshi.Production, c.Environment())
	assert.Equal(t, "https://external-api.kalshi.com/trade-api/v2", c.BaseURL())
	require.NotNil(t, c.Signer())
	assert.Equal(t, signing.RSA, c.Signer().Algorithm())
}

func TestNewFromEnvWithoutKeysIsPublicOnly(t *testing.T) {
	setEnv(t, nil)
	c, err := kalshi.NewFromEnv()
	require.NoError(t, err)
	assert.Nil(t, c.Signer())
	assert.Equal(t, "https://external-api.demo.kalshi.co/trade-api/v2", c.BaseURL())
}

func TestNewFromEnvErrorsNameTheVariable(t *testing.T) {
	_, privatePEM, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	cases := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"bad environment", map[string]string{kalshi.EnvEnvironment: "staging"}, "KALSHI_ENV"},
		{"bad base URL", map[string]string{kalshi.EnvBaseURL: "external-api.kalshi.com"}, "KALSHI_BASE_URL"},
		{"key without ID", map[string]string{kalshi.EnvPrivateKey: string(privatePEM)}, "KALSHI_API_KEY_ID"},
		{"ID without key", map[string]string{kalshi.EnvAPIKeyID: "k"}, "KALSHI_PRIVATE_KEY"},
		{"both key forms", map[string]string{kalshi.EnvAPIKeyID: "k", kalshi.EnvPrivateKey: string(privatePEM), kalshi.EnvPrivateKeyPath: "/x"}, "KALSHI_PRIVATE_KEY_PATH"},
		{"not a key", map[string]string{kalshi.EnvAPIKeyID: "k", kalshi.EnvPrivateKey: "hello"}, "KALSHI_PRIVATE_KEY"},
		{"missing file", map[string]string{kalshi.EnvAPIKeyID: "k", kalshi.EnvPrivateKeyPath: filepath.Join(t.TempDir(), "nope.pem")}, "KALSHI_PRIVATE_KEY_PATH"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			setEnv(t, tc.vars)
			_, err := kalshi.NewFromEnv()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			body := strings.Split(string(privatePEM), "\n")[1]
			assert.NotContains(t, err.Error(), body, "no key material in errors")
		})
	}
}

func TestNewValidatesOptions(t *testing.T) {
	t.Parallel()
	_, err := kalshi.New(kalshi.WithBaseURL("not a url"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "base URL")
	_, err = kalshi.New(kalshi.WithEnvironment("staging"))
	require.Error(t, err)
	_, err = kalshi.New(kalshi.WithSigner(nil))
	require.Error(t, err)

	c, err := kalshi.New(kalshi.WithEnvironment(kalshi.ProductionLegacy))
	require.NoError(t, err)
	assert.Equal(t, "https://api.elections.kalshi.com/trade-api/v2", c.BaseURL())
	assert.True(t, kalshi.ProductionLegacy.IsProduction())
	assert.False(t, kalshi.Demo.IsProduction())
	assert.Equal(t, "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2", kalshi.Demo.WebSocketURL())
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	ts.handle("GET", "/exchange/status", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"exchange_active":true,"trading_active":true}`)
	})
	c, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL() + "/"))
	require.NoError(t, err)
	_, err = c.GetExchangeStatus(context.Background())
	require.NoError(t, err)
	c2, err := kalshi.New(kalshi.WithBaseURL(ts.baseURL()), kalshi.WithUserAgent("my-bot/1.0"))
	require.NoError(t, err)
	_, err = c2.GetExchangeStatus(context.Background())
	require.NoError(t, err)
	got := ts.received()
	require.Len(t, got, 2)
	assert.Equal(t, "kalshi-go/"+kalshi.Version, got[0].Header.Get("User-Agent"))
	assert.Equal(t, "/trade-api/v2/exchange/status", got[0].Path, "a trailing slash on the base URL is fine")
	assert.Equal(t, "my-bot/1.0", got[1].Header.Get("User-Agent"))
}

// TestSignerFromEnv: no variables give no signer and no error; a lookup
// of the caller's own (flags layered over the environment) is read the
// same way; each unusable combination is an error naming the variable.
func TestSignerFromEnv(t *testing.T) {
	t.Parallel()
	lookupOf := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	s, err := kalshi.SignerFromEnv(lookupOf(nil))
	require.NoError(t, err)
	assert.Nil(t, s)

	key, priv, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	s, err = kalshi.SignerFromEnv(lookupOf(map[string]string{kalshi.EnvAPIKeyID: "id-1", kalshi.EnvPrivateKey: string(priv)}))
	require.NoError(t, err)
	assert.Equal(t, "id-1", s.KeyID())
	assert.True(t, key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(s.Public()))

	for name, env := range map[string]map[string]string{
		kalshi.EnvAPIKeyID:       {kalshi.EnvPrivateKey: string(priv)},
		kalshi.EnvPrivateKeyPath: {kalshi.EnvAPIKeyID: "id", kalshi.EnvPrivateKeyPath: "/nonexistent/key.pem"},
		kalshi.EnvPrivateKey:     {kalshi.EnvAPIKeyID: "id", kalshi.EnvPrivateKey: "not a key"},
	} {
		_, err := kalshi.SignerFromEnv(lookupOf(env))
		assert.ErrorContains(t, err, name)
	}
}
