package main

import (
	"crypto"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/signing"
)

func TestKeygenWritesPrivateKeyOwnerOnly(t *testing.T) {
	t.Parallel()
	for _, typ := range []string{"rsa", "ed25519"} {
		t.Run(typ, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "key.pem")
			r := cli(t, "keygen", "--type", typ, "--out", out)
			require.Equal(t, 0, r.code, r.stderr)

			fi, err := os.Stat(out)
			require.NoError(t, err)
			assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

			priv, err := signing.LoadPrivateKey(out)
			require.NoError(t, err)
			// stdout is the public key PEM, the public half of the file's key.
			pub, err := signing.ParsePublicKey([]byte(r.stdout))
			require.NoError(t, err)
			assert.True(t, pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(priv.Public()))
			assert.NotContains(t, r.stdout, "PRIVATE KEY", "the private key is never printed")
			assert.Contains(t, r.stderr, out)
			assert.Contains(t, r.stderr, "0600")

			// The public key is also written beside the private one, .pub for .pem.
			pubFile := strings.TrimSuffix(out, ".pem") + ".pub"
			data, err := os.ReadFile(pubFile)
			require.NoError(t, err)
			assert.Equal(t, r.stdout, string(data))
			assert.Contains(t, r.stderr, pubFile)
		})
	}
}

func TestKeygenRefusesToOverwrite(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "key.pem")
	require.NoError(t, os.WriteFile(out, []byte("precious\n"), 0o600))

	r := cli(t, "keygen", "--type", "ed25519", "--out", out)
	line := requireOneLineError(t, r)
	assert.Contains(t, line, "already exists: refusing to overwrite")
	assert.Empty(t, r.stdout)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "precious\n", string(data), "the existing file is untouched")

	// An existing public key file is not replaced either, and no private key
	// is left behind without its public half.
	dir := t.TempDir()
	pubFile := filepath.Join(dir, "other.pub")
	require.NoError(t, os.WriteFile(pubFile, []byte("another key\n"), 0o644))
	r = cli(t, "keygen", "--type", "ed25519", "--out", filepath.Join(dir, "other.pem"))
	line = requireOneLineError(t, r)
	assert.Contains(t, line, pubFile+" already exists: refusing to overwrite")
	assert.NoFileExists(t, filepath.Join(dir, "other.pem"))
	data, err = os.ReadFile(pubFile)
	require.NoError(t, err)
	assert.Equal(t, "another key\n", string(data))

	r = cli(t, "keygen", "--out", "-")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "a private key is never printed")
}

func TestKeygenDefaultFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	r := cli(t, "keygen", "--type", "ed25519")
	require.Equal(t, 0, r.code, r.stderr)
	fi, err := os.Stat(filepath.Join(dir, defaultKeyFile))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	assert.FileExists(t, filepath.Join(dir, "kalshi-key.pub"))
	r = cli(t, "keygen", "--type", "ed25519")
	assert.Equal(t, exitError, r.code)
}

func TestKeygenJSON(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "key.pem")
	r := cli(t, "-o", "json", "keygen", "--type", "ed25519", "--out", out)
	require.Equal(t, 0, r.code, r.stderr)
	v := jsonOf(t, r)
	assert.Equal(t, "ed25519", v["key_type"])
	assert.Equal(t, out, v["private_key_file"])
	assert.Equal(t, filepath.Join(filepath.Dir(out), "key.pub"), v["public_key_file"])
	assert.Contains(t, v["public_key"], "BEGIN PUBLIC KEY")
}

func TestAPIKeysCreateListDelete(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	dir := t.TempDir()
	newKey := filepath.Join(dir, "new.pem")
	r := cli(t, "keygen", "--type", "ed25519", "--out", newKey)
	require.Equal(t, 0, r.code, r.stderr)
	pubFile := filepath.Join(dir, "new.pub") // written by keygen

	r = f.ok(t, "api-keys", "create", "--name", "laptop", "--public-key", pubFile)
	id := strings.TrimSpace(r.stdout)
	require.NotEmpty(t, id)
	assert.NotContains(t, id, "\n", "stdout is the key ID alone, for scripts")

	// The new key signs requests on its own.
	r = cli(t, "--base-url", f.url, "--key-id", id, "--private-key", newKey, "balance")
	require.Equal(t, 0, r.code, r.stderr)

	r = f.ok(t, "api-keys", "list")
	assert.Contains(t, r.stdout, id)
	assert.Contains(t, r.stdout, "laptop")

	r = f.ok(t, "api-keys", "delete", id)
	assert.Contains(t, r.stdout, "deleted API key "+id)
	r = f.ok(t, "api-keys", "list")
	assert.NotContains(t, r.stdout, id)

	// A private key is not a public key: refused before anything is sent.
	r = f.run(t, "api-keys", "create", "--name", "oops", "--public-key", newKey)
	line := requireOneLineError(t, r)
	assert.Contains(t, line, "not a public key")
}

func TestAPIKeysGenerate(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	out := filepath.Join(t.TempDir(), "generated.pem")
	r := f.ok(t, "api-keys", "generate", "--name", "bot", "--type", "ed25519", "--out", out)
	id := strings.TrimSpace(r.stdout)
	require.NotEmpty(t, id)
	fi, err := os.Stat(out)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	r = cli(t, "--base-url", f.url, "--key-id", id, "--private-key", out, "balance")
	require.Equal(t, 0, r.code, r.stderr)

	// An existing --out is refused before Kalshi makes a key nobody keeps.
	before := f.ok(t, "-o", "json", "api-keys", "list").stdout
	r = f.run(t, "api-keys", "generate", "--name", "again", "--out", out)
	line := requireOneLineError(t, r)
	assert.Contains(t, line, "already exists")
	after := f.ok(t, "-o", "json", "api-keys", "list").stdout
	assert.JSONEq(t, before, after, "no key was generated")

	// -o json never carries the private key.
	out2 := filepath.Join(t.TempDir(), "second.pem")
	r = f.ok(t, "-o", "json", "api-keys", "generate", "--name", "json", "--type", "ed25519", "--out", out2)
	v := jsonOf(t, r)
	assert.Equal(t, out2, v["private_key_file"])
	assert.NotContains(t, r.stdout, "PRIVATE KEY")
}

// A private key file others can read is used, with a warning that says
// how to fix it; a 0600 one without a word.
func TestWarnsAboutReadableKeyFiles(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("permission bits do not describe Windows ACLs")
	}
	f := newFixture(t)
	r := f.ok(t, "balance")
	assert.NotContains(t, r.stderr, "warning", "a 0600 key file is quiet")

	for mode, who := range map[os.FileMode]string{0o640: "its group", 0o644: "other users"} {
		require.NoError(t, os.Chmod(f.keyFile, mode))
		r = f.ok(t, "balance")
		assert.Contains(t, r.stderr, "can be read by "+who)
		assert.Contains(t, r.stderr, "chmod 600 "+f.keyFile)
		r = invocation{env: map[string]string{"KALSHI_API_KEY_ID": f.keyID, "KALSHI_PRIVATE_KEY_PATH": f.keyFile}}.run(t, "--base-url", f.url, "balance")
		assert.Equal(t, 0, r.code)
		assert.Contains(t, r.stderr, "chmod 600", "the key path from the environment is checked too")
	}
}
