package signing_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/seed-c9ca4919/kalshi/signing"
)

var keyErrors = []error{
	signing.ErrNoPEMBlock, signing.ErrEncryptedKey, signing.ErrNotPrivateKey, signing.ErrUnsupportedKeyType,
	signing.ErrUnsupportedFormat, signing.ErrKeyTooSmall, signing.ErrMalformedKey,
}

var quoted = regexp.MustCompile(`"[^"]*"`)

func isBase64Run(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// FuzzParsePrivateKey checks that any input either yields a key that signs
// verifiable requests or fails with one of the documented errors, whose
// message repeats none of the input's base64. The seed corpus holds the
// files of testdata/keys and mangled variants; like those files it spells the
// private key label "TESTING KEY", which the target maps back.
func FuzzParsePrivateKey(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = bytes.ReplaceAll(data, []byte("TESTING KEY"), []byte("PRIVATE KEY"))
		key, err := signing.ParsePrivateKey(data)
		if err != nil {
			if key != nil {
				t.Fatalf("key %T returned with error %v", key, err)
			}
			known := false
			for _, e := range keyErrors {
				known = known || errors.Is(err, e)
			}
			if !known {
				t.Fatalf("undocumented error: %v", err)
			}
			// PEM block types are quoted in messages; everything else is
			// fixed text, so no base64 run of the input may appear in it.
			msg := quoted.ReplaceAllString(err.Error(), "")
			for _, field := range strings.FieldsFunc(string(data), func(r rune) bool { return r == '\n' || r == '\r' || r == ' ' || r == '\t' || r == '\\' }) {
				for i := 0; i+16 <= len(field); i++ {
					if w := field[i : i+16]; isBase64Run(w) && strings.Contains(msg, w) {
						t.Fatalf("error %q repeats input %q", err, w)
					}
				}
			}
			return
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			if k.N.BitLen() < signing.MinRSABits {
				t.Fatalf("accepted a %d-bit RSA key", k.N.BitLen())
			}
		case ed25519.PrivateKey:
		default:
			t.Fatalf("accepted a %T", key)
		}
		s, err := signing.New("id", key)
		if err != nil {
			t.Fatalf("New rejects a parsed key: %v", err)
		}
		req, err := http.NewRequest(http.MethodGet, "https://example.com/trade-api/v2/x", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.EditRequest(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if err := signing.Verify(key.Public(), req, time.Now(), time.Minute); err != nil {
			t.Fatalf("parsed key's signature does not verify: %v", err)
		}
	})
}

// FuzzPreSignText checks the pre-sign text of any request: it is the
// timestamp, the upper-case method and a path without query or fragment; a
// server that reads the request off the wire derives the same path; and the
// signature made by the client verifies there.
func FuzzPreSignText(f *testing.F) {
	f.Add("GET", "/trade-api/v2/markets?limit=5", int64(1_700_000_000_000))
	f.Add("", "", int64(0))
	f.Fuzz(func(t *testing.T, method, target string, ms int64) {
		if ms < 0 {
			return // clocks before 1970 are not signed
		}
		req, err := http.NewRequest(method, "https://example.com"+target, nil)
		if err != nil || req.URL.Host != "example.com" {
			return
		}
		path := signing.SigningPath(req.URL)
		text := signing.PreSignText(ms, req.Method, path)
		wantMethod := strings.ToUpper(method)
		if wantMethod == "" {
			wantMethod = "GET"
		}
		if want := strconv.FormatInt(ms, 10) + wantMethod + path; text != want {
			t.Fatalf("PreSignText = %q, want %q", text, want)
		}
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, "?# \t\r\n") {
			t.Fatalf("signed path %q is not an escaped path without query", path)
		}

		s := newSigner(t, katKey(t), signing.WithClock(func() time.Time { return time.UnixMilli(ms) }))
		if err := s.EditRequest(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		var wire bytes.Buffer
		if err := req.Write(&wire); err != nil {
			return // net/http refuses to send it
		}
		got, err := http.ReadRequest(bufio.NewReader(&wire))
		if err != nil {
			return // not a request a server would accept
		}
		if sp := signing.SigningPath(got.URL); sp != path {
			t.Fatalf("client signs path %q, server sees %q (request line from %q)", path, sp, target)
		}
		if err := signing.Verify(katKey(t).Public(), got, time.UnixMilli(ms), 0); err != nil {
			t.Fatalf("server rejects the request: %v", err)
		}
	})
}
