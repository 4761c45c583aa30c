package signing_test

import (
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seed-c9ca4919/kalshi/signing"
)

func TestParsePrivateKeyAccepts(t *testing.T) {
	t.Parallel()
	rsa1 := testKeyPEM(t, "rsa2048-pkcs1.pem")
	rsa8 := testKeyPEM(t, "rsa2048-pkcs8.pem")
	ed := testKeyPEM(t, "ed25519-pkcs8.pem")
	rsaPub := testKeyPEM(t, "rsa2048-public.pem")
	edPub := testKeyPEM(t, "ed25519-public.pem")
	escaped := func(b []byte) []byte { return bytes.ReplaceAll(bytes.TrimSpace(b), []byte("\n"), []byte(`\n`)) }
	relabel := func(b []byte, from, to string) []byte { return bytes.ReplaceAll(b, []byte(from), []byte(to)) }

	tests := []struct {
		name string
		in   []byte
		pub  []byte
	}{
		{"RSA PKCS#1", rsa1, rsaPub},
		{"RSA PKCS#8", rsa8, rsaPub},
		{"Ed25519 PKCS#8", ed, edPub},
		{"surrounding whitespace", append(append([]byte(" \n\t"), ed...), "\n\n  "...), edPub},
		{"CRLF line endings", bytes.ReplaceAll(rsa1, []byte("\n"), []byte("\r\n")), rsaPub},
		{"literal \\n escapes", escaped(rsa1), rsaPub},
		{"literal \\n escapes, Ed25519", escaped(ed), edPub},
		{"literal \\r\\n escapes", bytes.ReplaceAll(bytes.TrimSpace(rsa8), []byte("\n"), []byte(`\r\n`)), rsaPub},
		{"escapes inside quotes", append(append([]byte(`"`), escaped(ed)...), '"'), edPub},
		{"line breaks turned into spaces", bytes.ReplaceAll(bytes.TrimSpace(rsa1), []byte("\n"), []byte(" ")), rsaPub},
		{"public key first in the file", append(append([]byte{}, edPub...), ed...), edPub},
		{"PKCS#8 labelled RSA PRIVATE KEY", relabel(rsa8, "PRIVATE KEY", "RSA PRIVATE KEY"), rsaPub},
		{"PKCS#1 labelled PRIVATE KEY", relabel(rsa1, "RSA PRIVATE KEY", "PRIVATE KEY"), rsaPub},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key, err := signing.ParsePrivateKey(tt.in)
			if err != nil {
				t.Fatalf("ParsePrivateKey: %v", err)
			}
			want, err := signing.ParsePublicKey(tt.pub)
			if err != nil {
				t.Fatal(err)
			}
			if !key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(want) {
				t.Fatal("parsed private key does not belong to the expected public key")
			}
		})
	}
}

func TestParsePrivateKeyTypes(t *testing.T) {
	t.Parallel()
	if k, err := signing.ParsePrivateKey(testKeyPEM(t, "rsa2048-pkcs8.pem")); err != nil {
		t.Fatal(err)
	} else if _, ok := k.(*rsa.PrivateKey); !ok {
		t.Fatalf("RSA key parsed as %T, want *rsa.PrivateKey", k)
	}
	if k, err := signing.ParsePrivateKey(testKeyPEM(t, "ed25519-pkcs8.pem")); err != nil {
		t.Fatal(err)
	} else if _, ok := k.(ed25519.PrivateKey); !ok {
		t.Fatalf("Ed25519 key parsed as %T, want ed25519.PrivateKey", k)
	}
}

// assertNoKeyMaterial fails if msg contains any 16-character run of a base64
// line of the input PEM.
func assertNoKeyMaterial(t *testing.T, msg string, in []byte) {
	t.Helper()
	for line := range strings.Lines(string(in)) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "-----") || strings.Contains(line, ":") {
			continue
		}
		for i := 0; i+16 <= len(line); i += 8 {
			if strings.Contains(msg, line[i:i+16]) {
				t.Fatalf("error message contains key material %q", line[i:i+16])
			}
		}
	}
}

func TestParsePrivateKeyRejects(t *testing.T) {
	t.Parallel()
	rsa1 := testKeyPEM(t, "rsa2048-pkcs1.pem")
	body := func(b []byte) []byte { // the base64 lines without BEGIN and END
		lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
		return bytes.Join(lines[1:len(lines)-1], []byte("\n"))
	}
	damaged := bytes.Replace(rsa1, []byte("\n"), []byte("\nAAAA"), 3)
	tests := []struct {
		name    string
		in      []byte
		want    error
		explain string // part of the fix the message must give
	}{
		{"empty", nil, signing.ErrNoPEMBlock, "empty"},
		{"only whitespace", []byte(" \n\t "), signing.ErrNoPEMBlock, "empty"},
		{"not PEM", []byte("hello, world"), signing.ErrNoPEMBlock, "BEGIN"},
		{"base64 body without armour", body(rsa1), signing.ErrNoPEMBlock, "include the -----BEGIN"},
		{"END line missing", rsa1[:len(rsa1)-30], signing.ErrNoPEMBlock, "-----END"},
		{"encrypted PKCS#8", testKeyPEM(t, "ed25519-encrypted-pkcs8.pem"), signing.ErrEncryptedKey, "openssl pkey"},
		{"encrypted PKCS#1", testKeyPEM(t, "rsa2048-encrypted-pkcs1.pem"), signing.ErrEncryptedKey, "openssl pkey"},
		{"PKIX public key", testKeyPEM(t, "rsa2048-public.pem"), signing.ErrNotPrivateKey, "CreateApiKey"},
		{"PKCS#1 public key", testKeyPEM(t, "rsa2048-public-pkcs1.pem"), signing.ErrNotPrivateKey, "private key"},
		{"certificate", testKeyPEM(t, "ed25519-cert.pem"), signing.ErrNotPrivateKey, "private key"},
		{"EC PKCS#8", testKeyPEM(t, "ec-p256-pkcs8.pem"), signing.ErrUnsupportedKeyType, "RSA (2048 bits or more) or Ed25519"},
		{"EC SEC 1 with parameters", testKeyPEM(t, "ec-p256-sec1.pem"), signing.ErrUnsupportedKeyType, "ECDSA"},
		{"X25519", testKeyPEM(t, "x25519-pkcs8.pem"), signing.ErrUnsupportedKeyType, "cannot sign"},
		{"Ed448", testKeyPEM(t, "ed448-pkcs8.pem"), signing.ErrUnsupportedKeyType, "Ed448"},
		{"RSA 1024", testKeyPEM(t, "rsa1024-pkcs1.pem"), signing.ErrKeyTooSmall, "1024 bits"},
		{"OpenSSH", []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n"), signing.ErrUnsupportedFormat, "OpenSSH"},
		{"SSH public key line", []byte("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host"), signing.ErrUnsupportedFormat, "SSH"},
		{"damaged body", damaged, signing.ErrMalformedKey, "copy it again"},
		{"unknown block", []byte("-----BEGIN SOMETHING ELSE-----\nAAAA\n-----END SOMETHING ELSE-----\n"), signing.ErrUnsupportedFormat, `"SOMETHING ELSE"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			k, err := signing.ParsePrivateKey(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParsePrivateKey error = %v, want %v", err, tt.want)
			}
			if k != nil {
				t.Fatalf("got a key (%T) with an error", k)
			}
			if !strings.Contains(err.Error(), tt.explain) {
				t.Errorf("error %q does not explain %q", err, tt.explain)
			}
			assertNoKeyMaterial(t, err.Error(), tt.in)
		})
	}
}

func TestLoadPrivateKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "key.pem")
	if err := os.WriteFile(good, testKeyPEM(t, "ed25519-pkcs8.pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	k, err := signing.LoadPrivateKey(good)
	if err != nil {
		t.Fatal(err)
	}
	if !testEd25519Key(t).Equal(k) {
		t.Fatal("loaded key differs from the file's key")
	}

	pub := filepath.Join(dir, "key.pub")
	if err := os.WriteFile(pub, testKeyPEM(t, "ed25519-public.pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = signing.LoadPrivateKey(pub)
	if !errors.Is(err, signing.ErrNotPrivateKey) || !strings.Contains(err.Error(), pub) {
		t.Fatalf("public key file: error = %v, want ErrNotPrivateKey naming the file", err)
	}

	_, err = signing.LoadPrivateKey(filepath.Join(dir, "missing.pem"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: error = %v, want os.ErrNotExist", err)
	}
	_, err = signing.LoadPrivateKey("~/no-such-kalshi-key.pem")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "not expanded") {
		t.Fatalf("tilde path: error = %v, want a hint about ~", err)
	}
}

func TestParsePublicKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      []byte
		want    error // nil: accepted
		alg     signing.Algorithm
		explain string
	}{
		{name: "RSA PKIX", in: testKeyPEM(t, "rsa2048-public.pem"), alg: signing.RSA},
		{name: "Ed25519 PKIX", in: testKeyPEM(t, "ed25519-public.pem"), alg: signing.Ed25519},
		{name: "Ed25519 PKIX with \\n escapes", in: bytes.ReplaceAll(bytes.TrimSpace(testKeyPEM(t, "ed25519-public.pem")), []byte("\n"), []byte(`\n`)), alg: signing.Ed25519},
		{name: "private key", in: testKeyPEM(t, "ed25519-pkcs8.pem"), want: signing.ErrNotPublicKey, explain: "-pubout"},
		{name: "PKCS#1 public key", in: testKeyPEM(t, "rsa2048-public-pkcs1.pem"), want: signing.ErrUnsupportedFormat, explain: "-RSAPublicKey_in"},
		{name: "certificate", in: testKeyPEM(t, "ed25519-cert.pem"), want: signing.ErrUnsupportedFormat, explain: "-pubkey"},
		{name: "EC", in: testKeyPEM(t, "ec-p256-public.pem"), want: signing.ErrUnsupportedKeyType, explain: "ECDSA"},
		{name: "RSA 1024", in: testKeyPEM(t, "rsa1024-public.pem"), want: signing.ErrKeyTooSmall, explain: "2048"},
		{name: "empty", in: []byte(""), want: signing.ErrNoPEMBlock, explain: "empty"},
		{name: "damaged", in: []byte("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n"), want: signing.ErrMalformedKey, explain: "copy it again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pub, err := signing.ParsePublicKey(tt.in)
			if tt.want != nil {
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.explain) {
					t.Fatalf("error = %v, want %v explaining %q", err, tt.want, tt.explain)
				}
				assertNoKeyMaterial(t, err.Error(), tt.in)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out, err := signing.MarshalPublicKey(pub)
			if err != nil {
				t.Fatal(err)
			}
			again, err := signing.ParsePublicKey(out)
			if err != nil || !again.(interface{ Equal(crypto.PublicKey) bool }).Equal(pub) {
				t.Fatalf("MarshalPublicKey does not round-trip: %v", err)
			}
			var alg signing.Algorithm
			switch pub.(type) {
			case *rsa.PublicKey:
				alg = signing.RSA
			case ed25519.PublicKey:
				alg = signing.Ed25519
			}
			if alg != tt.alg {
				t.Fatalf("parsed a %T, want %v", pub, tt.alg)
			}
		})
	}
}

func TestGenerateKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		alg        signing.Algorithm
		privHeader string
	}{
		{signing.RSA, "-----BEGIN RSA PRIVATE KEY-----\n"},
		{signing.Ed25519, "-----BEGIN PRIVATE KEY-----\n"},
	}
	for _, tt := range tests {
		t.Run(tt.alg.String(), func(t *testing.T) {
			t.Parallel()
			key, privPEM, pubPEM, err := signing.GenerateKey(tt.alg)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(privPEM, []byte(tt.privHeader)) {
				t.Errorf("private PEM starts %q, want %q", privPEM[:min(len(privPEM), 40)], tt.privHeader)
			}
			if !bytes.HasPrefix(pubPEM, []byte("-----BEGIN PUBLIC KEY-----\n")) {
				t.Errorf("public PEM is not PKIX: starts %q", pubPEM[:min(len(pubPEM), 40)])
			}
			parsed, err := signing.ParsePrivateKey(privPEM)
			if err != nil {
				t.Fatal(err)
			}
			if !parsed.(interface{ Equal(crypto.PrivateKey) bool }).Equal(key) {
				t.Fatal("private PEM does not hold the returned key")
			}
			pub, err := signing.ParsePublicKey(pubPEM)
			if err != nil {
				t.Fatal(err)
			}
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(key.Public()) {
				t.Fatal("public PEM does not hold the returned key's public half")
			}
			s, err := signing.New("key-id", key)
			if err != nil {
				t.Fatal(err)
			}
			if s.Algorithm() != tt.alg {
				t.Fatalf("Signer algorithm %v, want %v", s.Algorithm(), tt.alg)
			}
			if k, ok := key.(*rsa.PrivateKey); ok && k.N.BitLen() != 2048 {
				t.Fatalf("RSA key has %d bits, want 2048", k.N.BitLen())
			}
		})
	}
	if _, _, _, err := signing.GenerateKey(0); !errors.Is(err, signing.ErrUnsupportedKeyType) {
		t.Fatalf("GenerateKey(0) error = %v, want ErrUnsupportedKeyType", err)
	}
}

func TestMarshalPublicKey(t *testing.T) {
	t.Parallel()
	ed := testEd25519Key(t)
	fromPrivate, err := signing.MarshalPublicKey(ed)
	if err != nil {
		t.Fatal(err)
	}
	if want := testKeyPEM(t, "ed25519-public.pem"); !bytes.Equal(fromPrivate, want) {
		t.Fatalf("MarshalPublicKey(private key) =\n%s\nwant OpenSSL's\n%s", fromPrivate, want)
	}
	fromSigner, err := signing.MarshalPublicKey(newSigner(t, testRSAKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	if want := testKeyPEM(t, "rsa2048-public.pem"); !bytes.Equal(fromSigner, want) {
		t.Fatalf("MarshalPublicKey(*Signer) =\n%s\nwant OpenSSL's\n%s", fromSigner, want)
	}
	blk, _ := pem.Decode(testKeyPEM(t, "rsa1024-public.pem"))
	small, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signing.MarshalPublicKey(small); !errors.Is(err, signing.ErrKeyTooSmall) {
		t.Fatalf("1024-bit key: error = %v, want ErrKeyTooSmall", err)
	}
	if _, err := signing.MarshalPublicKey(ed25519.PublicKey(make([]byte, 5))); !errors.Is(err, signing.ErrMalformedKey) {
		t.Fatalf("short Ed25519 key: error = %v, want ErrMalformedKey", err)
	}
	if _, err := signing.MarshalPublicKey(nil); !errors.Is(err, signing.ErrMalformedKey) {
		t.Fatalf("nil key: error = %v, want ErrMalformedKey", err)
	}
}

func TestAlgorithm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want signing.Algorithm
	}{{"rsa", signing.RSA}, {"RSA", signing.RSA}, {" ed25519 ", signing.Ed25519}, {"Ed25519", signing.Ed25519}} {
		got, err := signing.ParseAlgorithm(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseAlgorithm(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
		if again, err := signing.ParseAlgorithm(got.String()); err != nil || again != got {
			t.Errorf("ParseAlgorithm(%v.String()) = %v, %v", got, again, err)
		}
	}
	if _, err := signing.ParseAlgorithm("ecdsa"); err == nil {
		t.Error("ParseAlgorithm(ecdsa) succeeded")
	}
	if got := signing.Algorithm(9).String(); got != "Algorithm(9)" {
		t.Errorf("unknown algorithm prints %q", got)
	}
}
