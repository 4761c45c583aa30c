package signing_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// These tests check signatures with implementations other than Go's: the
// openssl command and Node's crypto module. Each is skipped, saying so, where
// the tool is not installed.

func lookTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s is not installed; skipping the independent %s check", name, name)
	}
	return path
}

func run(t *testing.T, dir string, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// signedFiles signs a request with a fresh key of alg and writes the public
// key (pub.pem), pre-sign text (msg), its SHA-256 (digest) and the decoded
// signature (sig) to a temporary directory.
func signedFiles(t *testing.T, alg signing.Algorithm) (dir string, key crypto.Signer) {
	t.Helper()
	key, privPEM, pubPEM, err := signing.GenerateKey(alg)
	if err != nil {
		t.Fatal(err)
	}
	s := newSigner(t, key)
	req := httptest.NewRequest(http.MethodPost, "https://external-api.kalshi.com/trade-api/v2/portfolio/orders?x=1", strings.NewReader("{}"))
	if err := s.EditRequest(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	msg := req.Header.Get(signing.HeaderTimestamp) + "POST/trade-api/v2/portfolio/orders"
	sig, err := base64.StdEncoding.DecodeString(req.Header.Get(signing.HeaderSignature))
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(msg))
	dir = t.TempDir()
	for name, data := range map[string][]byte{
		"pub.pem": pubPEM, "priv.pem": privPEM, "msg": []byte(msg), "digest": digest[:], "sig": sig,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir, key
}

var opensslPSS = []string{"-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:32", "-pkeyopt", "digest:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"}

func TestOpenSSLVerifiesSignatures(t *testing.T) {
	t.Parallel()
	openssl := lookTool(t, "openssl")
	t.Run("RSA-PSS", func(t *testing.T) {
		t.Parallel()
		dir, key := signedFiles(t, signing.RSA)
		args := append([]string{"pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-in", "digest", "-sigfile", "sig"}, opensslPSS...)
		if out, err := run(t, dir, openssl, args...); err != nil {
			t.Fatalf("openssl rejects our RSA-PSS signature: %v\n%s", err, out)
		}
		// Control: openssl must refuse a signature with another salt length,
		// or the check above proves nothing about the salt.
		digest, _ := os.ReadFile(filepath.Join(dir, "digest"))
		bad, err := rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, digest, &rsa.PSSOptions{SaltLength: 20})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "sig"), bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := run(t, dir, openssl, args...); err == nil {
			t.Fatalf("openssl accepted a salt-20 signature as salt 32:\n%s", out)
		}
	})
	t.Run("Ed25519", func(t *testing.T) {
		t.Parallel()
		dir, _ := signedFiles(t, signing.Ed25519)
		if out, err := run(t, dir, openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "msg", "-sigfile", "sig"); err != nil {
			t.Fatalf("openssl rejects our Ed25519 signature: %v\n%s", err, out)
		}
		if err := os.WriteFile(filepath.Join(dir, "msg"), []byte("1GET/trade-api/v2/other"), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := run(t, dir, openssl, "pkeyutl", "-verify", "-pubin", "-inkey", "pub.pem", "-rawin", "-in", "msg", "-sigfile", "sig"); err == nil {
			t.Fatalf("openssl accepted the signature over another text:\n%s", out)
		}
	})
}

// TestVerifyAcceptsOpenSSLSignatures checks Verify against signatures that
// openssl made from the keys GenerateKey wrote, which also shows that openssl
// reads those private key files.
func TestVerifyAcceptsOpenSSLSignatures(t *testing.T) {
	t.Parallel()
	openssl := lookTool(t, "openssl")
	for _, alg := range []signing.Algorithm{signing.RSA, signing.Ed25519} {
		t.Run(alg.String(), func(t *testing.T) {
			t.Parallel()
			dir, key := signedFiles(t, alg)
			ms := time.Now().UnixMilli()
			text := strconv.FormatInt(ms, 10) + "GET/trade-api/v2/portfolio/balance"
			digest := sha256.Sum256([]byte(text))
			if err := os.WriteFile(filepath.Join(dir, "msg"), []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "digest"), digest[:], 0o600); err != nil {
				t.Fatal(err)
			}
			args := []string{"pkeyutl", "-sign", "-inkey", "priv.pem", "-out", "sig.openssl"}
			if alg == signing.RSA {
				args = append(append(args, "-in", "digest"), opensslPSS...)
			} else {
				args = append(args, "-rawin", "-in", "msg")
			}
			if out, err := run(t, dir, openssl, args...); err != nil {
				t.Fatalf("openssl sign: %v\n%s", err, out)
			}
			sig, err := os.ReadFile(filepath.Join(dir, "sig.openssl"))
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(http.MethodGet, "/trade-api/v2/portfolio/balance?depth=1", nil)
			req.Header.Set(signing.HeaderKey, "id")
			req.Header.Set(signing.HeaderTimestamp, strconv.FormatInt(ms, 10))
			req.Header.Set(signing.HeaderSignature, base64.StdEncoding.EncodeToString(sig))
			if err := signing.Verify(key.Public(), req, time.UnixMilli(ms), time.Second); err != nil {
				t.Fatalf("Verify rejects openssl's signature: %v", err)
			}
			// And openssl derives the same public key from our private file.
			out, err := run(t, dir, openssl, "pkey", "-in", "priv.pem", "-pubout")
			if err != nil {
				t.Fatalf("openssl cannot read GenerateKey's private key: %v\n%s", err, out)
			}
			if pub, _ := os.ReadFile(filepath.Join(dir, "pub.pem")); !bytes.Equal([]byte(out), pub) {
				t.Fatalf("openssl derives public key\n%s\nGenerateKey wrote\n%s", out, pub)
			}
		})
	}
}

// nodeVerify is run by node: it prints "true" or "false" for the files in
// its working directory.
const nodeVerify = `
const crypto = require('crypto'), fs = require('fs');
const alg = process.argv[1];
const key = crypto.createPublicKey(fs.readFileSync('pub.pem'));
const msg = fs.readFileSync('msg'), sig = fs.readFileSync('sig');
const ok = alg === 'RSA'
  ? crypto.verify('sha256', msg, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)
  : crypto.verify(null, msg, key, sig);
console.log(ok);
`

func TestNodeVerifiesSignatures(t *testing.T) {
	t.Parallel()
	node := lookTool(t, "node")
	for _, alg := range []signing.Algorithm{signing.RSA, signing.Ed25519} {
		t.Run(alg.String(), func(t *testing.T) {
			t.Parallel()
			dir, key := signedFiles(t, alg)
			msg, err := os.ReadFile(filepath.Join(dir, "msg"))
			if err != nil {
				t.Fatal(err)
			}
			out, err := run(t, dir, node, "-e", nodeVerify, alg.String())
			if err != nil {
				t.Fatalf("node: %v\n%s", err, out)
			}
			if strings.TrimSpace(out) != "true" {
				t.Fatalf("node's crypto.verify rejects our %v signature: %s", alg, out)
			}
			if err := os.WriteFile(filepath.Join(dir, "msg"), []byte("1GET/trade-api/v2/other"), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := run(t, dir, node, "-e", nodeVerify, alg.String()); err != nil || strings.TrimSpace(out) != "false" {
				t.Fatalf("node control (wrong text): %v %s, want false", err, out)
			}
			if alg == signing.RSA { // control: node must refuse another salt length
				digest := sha256.Sum256(msg)
				bad, err := rsa.SignPSS(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, digest[:], &rsa.PSSOptions{SaltLength: 20})
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "sig"), bad, 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "msg"), msg, 0o600); err != nil {
					t.Fatal(err)
				}
				if out, err := run(t, dir, node, "-e", nodeVerify, alg.String()); err != nil || strings.TrimSpace(out) != "false" {
					t.Fatalf("node control (salt 20): %v %s, want false", err, out)
				}
			}
		})
	}
}
