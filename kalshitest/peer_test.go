package kalshitest_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// TestPeerSDKSmoke drives Kalshi's official TypeScript SDK (an independent
// implementation of signing and the REST calls) against the fake: every
// call of its smoke run must succeed. The first run installs the SDK with
// npm into a cache folder, so the timeout is generous.
func TestPeerSDKSmoke(t *testing.T) {
	script := sharedDir(t, "tools", "peer-ts", "run.sh")
	for _, tool := range []string{"node", "npm", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed; the peer SDK test needs node and npm", tool)
		}
	}
	// The SDK signs with RSA keys only (it refuses Ed25519 PEMs with
	// "Unsupported crypto operation"), so the peer uses a PKCS#1 RSA key
	// as GenerateApiKey returns it.
	for _, alg := range []signing.Algorithm{signing.RSA} {
		t.Run(alg.String(), func(t *testing.T) {
			srv := kalshitest.NewServer()
			defer srv.Close()
			key, privPEM := newKey(t, alg)
			srv.AddAPIKey("peer-key", key.Public())
			pemPath := filepath.Join(t.TempDir(), "key.pem")
			require.NoError(t, os.WriteFile(pemPath, privPEM, 0o600))

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "bash", script, "smoke", srv.URL(), "peer-key", pemPath)
			out, err := cmd.CombinedOutput()
			t.Logf("peer output:\n%s", out)
			require.NoError(t, err, "the peer SDK's smoke run failed")
			require.Contains(t, string(out), " passed, 0 failed")
			require.NotContains(t, strings.ToLower(string(out)), `"ok":false`)
		})
	}
}
