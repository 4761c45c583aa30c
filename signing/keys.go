package signing

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Algorithm is the signature algorithm of a Kalshi API key.
type Algorithm uint8

const (
	// RSA keys (2048 bits or more) sign with RSA-PSS, SHA-256, MGF1-SHA-256
	// and a 32-byte salt. Kalshi's key_type "rsa".
	RSA Algorithm = iota + 1
	// Ed25519 keys sign with plain Ed25519 (RFC 8032). Kalshi's key_type
	// "ed25519"; much cheaper to sign with than RSA.
	Ed25519
)

// MinRSABits is the smallest RSA modulus this package accepts, in bits.
const MinRSABits = 2048

// String returns "RSA" or "Ed25519".
func (a Algorithm) String() string {
	switch a {
	case RSA:
		return "RSA"
	case Ed25519:
		return "Ed25519"
	default:
		return fmt.Sprintf("Algorithm(%d)", uint8(a))
	}
}

// ParseAlgorithm parses an algorithm name, case-insensitively: "rsa" or
// "ed25519" (Kalshi's key_type values), as well as the String forms.
func ParseAlgorithm(s string) (Algorithm, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "rsa":
		return RSA, nil
	case "ed25519":
		return Ed25519, nil
	default:
		return 0, fmt.Errorf("signing: unknown key algorithm %q: want rsa or ed25519", s)
	}
}

// GenerateKey makes a new key pair for alg: a 2048-bit RSA key or an Ed25519
// key. privatePEM is in the format Kalshi's GenerateApiKey returns (PKCS#1
// "RSA PRIVATE KEY" for RSA, PKCS#8 "PRIVATE KEY" for Ed25519) and reads back
// with [ParsePrivateKey]; publicPEM is PKIX ("PUBLIC KEY"), the value to send
// as public_key to the CreateApiKey endpoint, which returns the key ID to use
// with [New]. Store privatePEM with owner-only permissions.
func GenerateKey(alg Algorithm) (key crypto.Signer, privatePEM, publicPEM []byte, err error) {
	switch alg {
	case RSA:
		k, err := rsa.GenerateKey(rand.Reader, MinRSABits)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("signing: generate RSA key: %w", err)
		}
		key = k
		privatePEM = pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	case Ed25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("signing: generate Ed25519 key: %w", err)
		}
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("signing: encode Ed25519 key: %w", err)
		}
		key = k
		privatePEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	default:
		return nil, nil, nil, fmt.Errorf("signing: generate key: %w: %v (want signing.RSA or signing.Ed25519)", ErrUnsupportedKeyType, alg)
	}
	publicPEM, err = MarshalPublicKey(key.Public())
	if err != nil {
		return nil, nil, nil, err
	}
	return key, privatePEM, publicPEM, nil
}

// MarshalPublicKey encodes an RSA (2048 bits or more) or Ed25519 public key
// as a PKIX PEM block ("-----BEGIN PUBLIC KEY-----"), the form CreateApiKey
// takes. pub may also be anything with a Public method, such as a private
// key, a crypto.Signer or a [*Signer]; only the public half is written.
func MarshalPublicKey(pub crypto.PublicKey) ([]byte, error) {
	if k, ok := pub.(interface{ Public() crypto.PublicKey }); ok {
		pub = k.Public()
	}
	if _, err := algorithmOf(pub); err != nil {
		return nil, fmt.Errorf("signing: marshal public key: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("signing: marshal public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePrivateKey reads a PEM-encoded private key: RSA in PKCS#1 ("RSA
// PRIVATE KEY") or PKCS#8 ("PRIVATE KEY"), or Ed25519 in PKCS#8. It accepts
// surrounding whitespace, literal \n escapes (a key pasted into an
// environment variable), a key whose line breaks became spaces, and other PEM
// blocks (such as the public key) before or after the private one.
//
// The returned key is an *rsa.PrivateKey or an ed25519.PrivateKey. Errors
// wrap [ErrNoPEMBlock], [ErrEncryptedKey], [ErrNotPrivateKey],
// [ErrUnsupportedKeyType], [ErrUnsupportedFormat], [ErrKeyTooSmall] or
// [ErrMalformedKey], say how to fix the problem, and never contain key
// material.
func ParsePrivateKey(data []byte) (crypto.Signer, error) {
	k, err := parsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("signing: parse private key: %w", err)
	}
	return k, nil
}

// LoadPrivateKey reads the private key file at path with [ParsePrivateKey].
func LoadPrivateKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if strings.HasPrefix(path, "~") && errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("signing: load private key: %w (a leading ~ is not expanded outside a shell; use the full path or $HOME)", err)
		}
		return nil, fmt.Errorf("signing: load private key: %w", err)
	}
	k, err := parsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("signing: load private key %s: %w", path, err)
	}
	return k, nil
}

// ParsePublicKey reads a PKIX PEM public key ("-----BEGIN PUBLIC KEY-----"),
// the form CreateApiKey takes, and returns an *rsa.PublicKey of 2048 bits or
// more or an ed25519.PublicKey. It accepts the same whitespace and \n escapes
// as [ParsePrivateKey], and explains PKCS#1 public keys, certificates,
// private keys and unsupported key types.
func ParsePublicKey(data []byte) (crypto.PublicKey, error) {
	k, err := parsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("signing: parse public key: %w", err)
	}
	return k, nil
}

// algorithmOf is the one statement of which keys Kalshi accepts.
func algorithmOf(pub crypto.PublicKey) (Algorithm, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k == nil || k.N == nil || k.E == 0 {
			return 0, fmt.Errorf("%w: empty RSA public key", ErrMalformedKey)
		}
		if bits := k.N.BitLen(); bits < MinRSABits {
			return 0, fmt.Errorf("%w: it has %d bits and Kalshi requires at least %d; generate a new pair (signing.GenerateKey, or openssl genrsa 2048) and register its public key with CreateApiKey",
				ErrKeyTooSmall, bits, MinRSABits)
		}
		return RSA, nil
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return 0, fmt.Errorf("%w: Ed25519 public key of %d bytes, want %d", ErrMalformedKey, len(k), ed25519.PublicKeySize)
		}
		return Ed25519, nil
	case *ecdsa.PublicKey:
		return 0, unsupportedType("an ECDSA (EC) key")
	case *ecdh.PublicKey:
		return 0, unsupportedType("an ECDH (X25519 or EC key agreement) key, which cannot sign")
	case nil:
		return 0, fmt.Errorf("%w: no key", ErrMalformedKey)
	default:
		return 0, unsupportedType(fmt.Sprintf("a %T", pub))
	}
}

func unsupportedType(what string) error {
	return fmt.Errorf("%w: %s; Kalshi API keys are RSA (2048 bits or more) or Ed25519, so generate one of those (signing.GenerateKey) and register it with CreateApiKey",
		ErrUnsupportedKeyType, what)
}

const (
	hintDecrypt    = "decrypt it first with: openssl pkey -in encrypted.pem -out key.pem (it asks for the passphrase), and keep key.pem readable only by you"
	hintPrivateKey = "requests are signed with the private key: the private_key from GenerateApiKey, or the private half you made with signing.GenerateKey; the public key is only what CreateApiKey registers"
	hintDamaged    = "the key may be truncated or damaged: copy it again, including the -----BEGIN and -----END lines"
)

// normalizePEM undoes the ways a PEM key gets mangled on its way into an
// environment variable or a config file: literal \n escapes, and line
// breaks turned into spaces.
func normalizePEM(data []byte) []byte {
	data = bytes.TrimSpace(data)
	if bytes.Contains(data, []byte(`\n`)) {
		data = bytes.ReplaceAll(data, []byte(`\r\n`), []byte("\n"))
		data = bytes.ReplaceAll(data, []byte(`\n`), []byte("\n"))
	}
	return data
}

// rejoinPEM rebuilds a single PEM block whose line breaks were replaced by
// spaces, as happens when a key is pasted into a one-line field. It returns
// nil when data does not look like that.
func rejoinPEM(data []byte) []byte {
	const begin, dashes = "-----BEGIN ", "-----"
	i := bytes.Index(data, []byte(begin))
	if i < 0 {
		return nil
	}
	rest := data[i+len(begin):]
	j := bytes.Index(rest, []byte(dashes))
	if j < 0 {
		return nil
	}
	typ := rest[:j]
	rest = rest[j+len(dashes):]
	end := []byte("-----END " + string(typ) + dashes)
	k := bytes.Index(rest, end)
	if k < 0 {
		return nil
	}
	body := rest[:k]
	if bytes.IndexByte(body, ':') >= 0 {
		return nil // PEM headers cannot be recovered from one line
	}
	out := make([]byte, 0, len(begin)+len(typ)+len(body)+2*len(dashes)+len(end)+2)
	out = append(out, begin...)
	out = append(out, typ...)
	out = append(out, dashes...)
	out = append(out, '\n')
	for _, c := range body {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			out = append(out, c)
		}
	}
	out = append(out, '\n')
	return append(out, end...)
}

// pemBlocks decodes every PEM block in data after normalising it.
func pemBlocks(data []byte) []*pem.Block {
	data = normalizePEM(data)
	var blocks []*pem.Block
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		blocks = append(blocks, b)
	}
	if len(blocks) == 0 {
		if joined := rejoinPEM(data); joined != nil {
			if b, _ := pem.Decode(joined); b != nil {
				blocks = append(blocks, b)
			}
		}
	}
	return blocks
}

// noPEMError explains why no PEM block was found, without quoting the input.
func noPEMError(data []byte, want string) error {
	t := bytes.TrimSpace(data)
	switch {
	case len(t) == 0:
		return fmt.Errorf("%w: the input is empty (is the environment variable or file set?)", ErrNoPEMBlock)
	case bytes.HasPrefix(t, []byte("ssh-")) || bytes.HasPrefix(t, []byte("PuTTY")):
		return fmt.Errorf("%w: this looks like an SSH key, which Kalshi does not use; want %s", ErrUnsupportedFormat, want)
	case bytes.Contains(t, []byte("-----BEGIN")):
		return fmt.Errorf("%w: a -----BEGIN line is there but the block is incomplete or damaged; want %s, with its -----END line", ErrNoPEMBlock, want)
	default:
		return fmt.Errorf("%w: want %s; if you pasted only the base64 body, include the -----BEGIN and -----END lines", ErrNoPEMBlock, want)
	}
}

// blockName describes a PEM block type for an error message. PEM types are
// labels, never key material, but only plain short labels are quoted.
func blockName(typ string) string {
	if len(typ) > 40 {
		return "a PEM block of unknown type"
	}
	for i := 0; i < len(typ); i++ {
		if c := typ[i]; c != ' ' && c != '#' && (c < '0' || c > '9') && (c < 'A' || c > 'Z') && (c < 'a' || c > 'z') {
			return "a PEM block of unknown type"
		}
	}
	return fmt.Sprintf("a %q PEM block", typ)
}

func isEncrypted(b *pem.Block) bool {
	return b.Type == "ENCRYPTED PRIVATE KEY" || strings.Contains(b.Headers["Proc-Type"], "ENCRYPTED")
}

func parsePrivateKey(data []byte) (crypto.Signer, error) {
	const want = "a private key (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)"
	blocks := pemBlocks(data)
	if len(blocks) == 0 {
		return nil, noPEMError(data, want)
	}
	var other error
	for _, b := range blocks {
		if strings.HasSuffix(b.Type, "PRIVATE KEY") {
			return privateKeyFromBlock(b)
		}
		if other != nil {
			continue
		}
		switch b.Type {
		case "EC PARAMETERS":
			other = unsupportedType("an ECDSA (EC) key")
		case "PUBLIC KEY", "RSA PUBLIC KEY":
			other = fmt.Errorf("%w: this is a public key; %s", ErrNotPrivateKey, hintPrivateKey)
		case "CERTIFICATE":
			other = fmt.Errorf("%w: this is a certificate; %s", ErrNotPrivateKey, hintPrivateKey)
		default:
			other = fmt.Errorf("%w: %s; want %s", ErrUnsupportedFormat, blockName(b.Type), want)
		}
	}
	return nil, other
}

func privateKeyFromBlock(b *pem.Block) (crypto.Signer, error) {
	if isEncrypted(b) {
		return nil, fmt.Errorf("%w with a passphrase; %s", ErrEncryptedKey, hintDecrypt)
	}
	switch b.Type {
	case "PRIVATE KEY", "RSA PRIVATE KEY":
		// Labels are sometimes swapped by hand, so both encodings are tried.
	case "EC PRIVATE KEY":
		return nil, unsupportedType("an ECDSA (EC) key")
	case "DSA PRIVATE KEY":
		return nil, unsupportedType("a DSA key")
	case "OPENSSH PRIVATE KEY":
		return nil, fmt.Errorf("%w: an OpenSSH private key; use the PEM key from GenerateApiKey or signing.GenerateKey (an OpenSSH RSA key converts with ssh-keygen -p -m PEM -f FILE)", ErrUnsupportedFormat)
	default:
		return nil, fmt.Errorf("%w: %s", ErrUnsupportedFormat, blockName(b.Type))
	}
	if k, err := x509.ParsePKCS8PrivateKey(b.Bytes); err == nil {
		return signerFrom(k)
	}
	if k, err := x509.ParsePKCS1PrivateKey(b.Bytes); err == nil {
		return signerFrom(k)
	}
	if _, err := x509.ParseECPrivateKey(b.Bytes); err == nil {
		return nil, unsupportedType("an ECDSA (EC) key")
	}
	if _, err := x509.ParsePKIXPublicKey(b.Bytes); err == nil {
		return nil, fmt.Errorf("%w: the block is labelled private but holds a public key; %s", ErrNotPrivateKey, hintPrivateKey)
	}
	var head struct {
		Version    int
		Algorithm  pkix.AlgorithmIdentifier
		PrivateKey []byte
	}
	if _, err := asn1.Unmarshal(b.Bytes, &head); err == nil {
		if name, ok := algorithmName(head.Algorithm.Algorithm); ok {
			return nil, unsupportedType(name)
		}
	}
	return nil, fmt.Errorf("%w: the PEM block is neither PKCS#8 nor PKCS#1; %s", ErrMalformedKey, hintDamaged)
}

// signerFrom checks a parsed private key against Kalshi's key policy.
func signerFrom(k any) (crypto.Signer, error) {
	s, ok := k.(crypto.Signer)
	if !ok {
		if p, ok := k.(interface{ Public() crypto.PublicKey }); ok {
			_, err := algorithmOf(p.Public())
			return nil, err
		}
		return nil, unsupportedType(fmt.Sprintf("a %T", k))
	}
	if _, err := algorithmOf(s.Public()); err != nil {
		return nil, err
	}
	return s, nil
}

func parsePublicKey(data []byte) (crypto.PublicKey, error) {
	const want = "a PKIX public key (-----BEGIN PUBLIC KEY-----)"
	blocks := pemBlocks(data)
	if len(blocks) == 0 {
		return nil, noPEMError(data, want)
	}
	var other error
	for _, b := range blocks {
		if b.Type == "PUBLIC KEY" {
			return publicKeyFromDER(b.Bytes)
		}
		if other != nil {
			continue
		}
		switch {
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			other = fmt.Errorf("%w: this is a private key, which must never be sent anywhere; send its public half (openssl pkey -in key.pem -pubout, or signing.MarshalPublicKey)", ErrNotPublicKey)
		case b.Type == "RSA PUBLIC KEY":
			other = fmt.Errorf("%w: a PKCS#1 RSA public key; convert it to PKIX with: openssl rsa -RSAPublicKey_in -in key.pub -pubout", ErrUnsupportedFormat)
		case b.Type == "CERTIFICATE":
			other = fmt.Errorf("%w: a certificate; extract its public key with: openssl x509 -in cert.pem -pubkey -noout", ErrUnsupportedFormat)
		case b.Type == "EC PARAMETERS":
			other = unsupportedType("an ECDSA (EC) key")
		default:
			other = fmt.Errorf("%w: %s; want %s", ErrUnsupportedFormat, blockName(b.Type), want)
		}
	}
	return nil, other
}

func publicKeyFromDER(der []byte) (crypto.PublicKey, error) {
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		var head struct {
			Algorithm pkix.AlgorithmIdentifier
			PublicKey asn1.BitString
		}
		if _, err := asn1.Unmarshal(der, &head); err == nil {
			if name, ok := algorithmName(head.Algorithm.Algorithm); ok {
				return nil, unsupportedType(name)
			}
		}
		return nil, fmt.Errorf("%w: the PUBLIC KEY block does not decode; %s", ErrMalformedKey, hintDamaged)
	}
	if _, err := algorithmOf(k); err != nil {
		return nil, err
	}
	return k, nil
}

// algorithmName names the key algorithms Go's x509 package does not read,
// so that refusing them can say what they are.
func algorithmName(oid asn1.ObjectIdentifier) (string, bool) {
	switch oid.String() {
	case "1.3.101.110":
		return "an X25519 key, which cannot sign", true
	case "1.3.101.111":
		return "an X448 key, which cannot sign", true
	case "1.3.101.113":
		return "an Ed448 key", true
	case "1.2.840.10045.2.1":
		return "an ECDSA (EC) key", true
	case "1.2.840.10040.4.1":
		return "a DSA key", true
	case "1.2.840.113549.1.1.10":
		return "an RSA-PSS-restricted key (make a plain RSA key, e.g. openssl genrsa 2048; it is still used with PSS)", true
	default:
		return "", false
	}
}
