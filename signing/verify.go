package signing

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verify checks that req carries a valid Kalshi signature made with the
// private half of pub (an *rsa.PublicKey of 2048 bits or more, or an
// ed25519.PublicKey) within maxSkew of now, in either direction. It is the
// server side of [Signer], for fakes, proxies and tests. The caller looks up
// pub by the KALSHI-ACCESS-KEY header, which Verify requires but does not
// interpret. Missing headers are reported before anything else, so a
// request without them yields [ErrMissingHeaders] even when no key was
// found for it.
//
// The signed path is [SigningPath] of req.URL, so on a server req must be
// the incoming request before any prefix is stripped from its URL. RSA
// signatures must be RSA-PSS with SHA-256 and a salt of exactly 32 bytes.
//
// Errors wrap [ErrMissingHeaders], [ErrBadEncoding], [ErrTimestampExpired] or
// [ErrSignatureMismatch] (or a key error for an unusable pub). A mismatch
// names the likely client mistake when one explains it: the query signed,
// the base path left out, another PSS salt length, PKCS#1 v1.5 padding.
func Verify(pub crypto.PublicKey, req *http.Request, now time.Time, maxSkew time.Duration) error {
	if req == nil || req.URL == nil {
		return fmt.Errorf("signing: verify: %w: no request", ErrMissingHeaders)
	}
	keyID := req.Header.Get(HeaderKey)
	tsText := req.Header.Get(HeaderTimestamp)
	sigText := req.Header.Get(HeaderSignature)
	var missing []string
	for _, h := range []struct{ name, value string }{
		{"KALSHI-ACCESS-KEY", keyID},
		{"KALSHI-ACCESS-TIMESTAMP", tsText},
		{"KALSHI-ACCESS-SIGNATURE", sigText},
	} {
		if h.value == "" {
			missing = append(missing, h.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("signing: verify: %w: %s", ErrMissingHeaders, strings.Join(missing, ", "))
	}
	alg, err := algorithmOf(pub)
	if err != nil {
		return fmt.Errorf("signing: verify: %w", err)
	}
	ms, err := parseMillis(tsText)
	if err != nil {
		return fmt.Errorf("signing: verify: %w: KALSHI-ACCESS-TIMESTAMP must be Unix milliseconds in decimal digits", ErrBadEncoding)
	}
	sig, err := base64.StdEncoding.DecodeString(sigText)
	if err != nil {
		return fmt.Errorf("signing: verify: %w: KALSHI-ACCESS-SIGNATURE is not standard base64: %w", ErrBadEncoding, err)
	}
	if d := now.Sub(time.UnixMilli(ms)); d > maxSkew || d < -maxSkew {
		when := d.Round(time.Millisecond).String() + " old"
		if d < 0 {
			when = (-d).Round(time.Millisecond).String() + " in the future"
		}
		return fmt.Errorf("signing: verify: %w: timestamp %d is %s by the verifier's clock, allowed %v%s",
			ErrTimestampExpired, ms, when, maxSkew, unitHint(ms, now))
	}
	path := SigningPath(req.URL)
	var buf [256]byte
	msg := appendPreSign(buf[:0], ms, req.Method, path)
	if err := verifySignature(pub, alg, msg, sig); err != nil {
		return fmt.Errorf("signing: verify: %w over %q%s", ErrSignatureMismatch, msg, explainMismatch(pub, alg, ms, req, path, sig))
	}
	return nil
}

// parseMillis accepts only decimal digits: no sign, no spaces, no fraction.
func parseMillis(s string) (int64, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, strconv.ErrSyntax
		}
	}
	return strconv.ParseInt(s, 10, 64)
}

// unitHint spots a timestamp sent in the wrong unit.
func unitHint(ms int64, now time.Time) string {
	n := now.UnixMilli()
	near := func(v int64) bool { return v > n/2 && v < n*2 }
	switch {
	case n <= 0:
		return ""
	case ms < n/100 && near(ms*1000):
		return " (it looks like seconds; Kalshi wants milliseconds)"
	case ms > n*100 && near(ms/1000):
		return " (it looks like microseconds; Kalshi wants milliseconds)"
	case ms > n*100 && near(ms/1000000):
		return " (it looks like nanoseconds; Kalshi wants milliseconds)"
	case ms < n:
		return " (sign each attempt anew, and check the client's clock)"
	default:
		return " (check the client's clock)"
	}
}

// verifySignature checks sig over the pre-sign text msg.
func verifySignature(pub crypto.PublicKey, alg Algorithm, msg, sig []byte) error {
	switch alg {
	case RSA:
		digest := sha256.Sum256(msg)
		// An explicit salt length makes Go's verifier demand exactly 32
		// bytes; PSSSaltLengthAuto would accept any salt.
		return rsa.VerifyPSS(pub.(*rsa.PublicKey), crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: 32, Hash: crypto.SHA256})
	case Ed25519:
		if !ed25519.Verify(pub.(ed25519.PublicKey), msg, sig) {
			return errEd25519
		}
		return nil
	default:
		return fmt.Errorf("%w: %v", ErrUnsupportedKeyType, alg)
	}
}

type verifyError string

func (e verifyError) Error() string { return string(e) }

const errEd25519 = verifyError("ed25519: invalid signature")

// explainMismatch tries the texts and paddings that clients commonly get
// wrong and says which one the signature matches, if any. It runs only after
// a failed verification.
func explainMismatch(pub crypto.PublicKey, alg Algorithm, ms int64, req *http.Request, path string, sig []byte) string {
	text := func(p string) []byte { return appendPreSign(nil, ms, req.Method, p) }
	type guess struct {
		msg  []byte
		hint string
	}
	var guesses []guess
	if req.URL.RawQuery != "" {
		guesses = append(guesses, guess{text(path + "?" + req.URL.RawQuery), "the client signed the query string; sign the path only"})
	}
	for _, base := range []string{"/trade-api/v2", WebSocketPath} {
		if rest, ok := strings.CutPrefix(path, base); ok && (rest == "" || rest[0] == '/') {
			guesses = append(guesses, guess{text(rest), "the client left the base path " + base + " out of the signed path"})
		}
	}
	if req.URL.Path != path && req.URL.Path != "" {
		guesses = append(guesses, guess{text(req.URL.Path), "the client signed the unescaped path; sign the escaped path as sent"})
	}
	if lower := strings.ToLower(req.Method); lower != strings.ToUpper(lower) {
		m := strconv.AppendInt(nil, ms, 10)
		guesses = append(guesses, guess{append(append(m, lower...), path...), "the client signed the method in lower case"})
	}
	for _, g := range guesses {
		if verifySignature(pub, alg, g.msg, sig) == nil {
			return " (" + g.hint + ")"
		}
	}
	if alg == RSA {
		k := pub.(*rsa.PublicKey)
		digest := sha256.Sum256(text(path))
		if rsa.VerifyPSS(k, crypto.SHA256, digest[:], sig, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthAuto}) == nil {
			return " (the client used RSA-PSS with a salt length other than 32; in Go set rsa.PSSOptions{SaltLength: 32})"
		}
		if rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) == nil {
			return " (the client used PKCS#1 v1.5 padding; Kalshi wants RSA-PSS with salt length 32)"
		}
	}
	return " (wrong key for this key ID, or the client signed a different text)"
}
