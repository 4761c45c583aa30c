package signing

import "errors"

// Errors about keys, returned (wrapped, with the fix in the message) by
// [ParsePrivateKey], [LoadPrivateKey], [ParsePublicKey], [MarshalPublicKey]
// and [New]. Match them with errors.Is. No error from this package contains
// key material.
var (
	// ErrNoPEMBlock: the input holds no PEM block at all.
	ErrNoPEMBlock = errors.New("no PEM block found")
	// ErrEncryptedKey: the private key is protected by a passphrase.
	ErrEncryptedKey = errors.New("private key is encrypted")
	// ErrNotPrivateKey: a public key or certificate was given where the
	// private key is needed.
	ErrNotPrivateKey = errors.New("not a private key")
	// ErrNotPublicKey: a private key was given where a public key is needed.
	ErrNotPublicKey = errors.New("not a public key")
	// ErrUnsupportedKeyType: a key other than RSA or Ed25519 (EC, DSA, X25519).
	ErrUnsupportedKeyType = errors.New("unsupported key type")
	// ErrUnsupportedFormat: a key in an encoding this package does not read
	// (OpenSSH, PKCS#1 public keys, unknown PEM block types).
	ErrUnsupportedFormat = errors.New("unsupported key format")
	// ErrKeyTooSmall: an RSA key under 2048 bits.
	ErrKeyTooSmall = errors.New("RSA key too small")
	// ErrMalformedKey: the PEM block is there but its contents do not decode.
	ErrMalformedKey = errors.New("malformed key")
	// ErrInvalidKeyID: an empty key ID or one that cannot be sent in a header.
	ErrInvalidKeyID = errors.New("invalid API key ID")
)

// Errors returned by [Verify], wrapped with details. The fake exchange maps
// them to Kalshi's 401 codes: ErrMissingHeaders to
// signature_is_missing_from_headers, ErrTimestampExpired to
// header_timestamp_expired, ErrBadEncoding and ErrSignatureMismatch to
// authentication_error (INCORRECT_API_KEY_SIGNATURE).
var (
	// ErrMissingHeaders: one or more of the three KALSHI-ACCESS-* headers is
	// absent or empty.
	ErrMissingHeaders = errors.New("authentication headers missing")
	// ErrBadEncoding: the timestamp is not a decimal number of milliseconds or
	// the signature is not standard base64.
	ErrBadEncoding = errors.New("authentication header badly encoded")
	// ErrTimestampExpired: the timestamp is further from the verifier's clock
	// than the allowed skew, in the past or in the future.
	ErrTimestampExpired = errors.New("timestamp outside the allowed skew")
	// ErrSignatureMismatch: the signature does not verify over the pre-sign
	// text with the given public key.
	ErrSignatureMismatch = errors.New("signature does not match")
)
