package kalshi

import (
	"crypto"
	"fmt"
	"os"
	"strings"

	"github.com/seed-c9ca4919/kalshi/signing"
)

// Environment variables read by NewFromEnv.
const (
	EnvAPIKeyID       = "KALSHI_API_KEY_ID"       // the API key's ID
	EnvPrivateKey     = "KALSHI_PRIVATE_KEY"      // the private key PEM text (\n escapes accepted)
	EnvPrivateKeyPath = "KALSHI_PRIVATE_KEY_PATH" // or a file holding it
	EnvEnvironment    = "KALSHI_ENV"              // "demo" (default) or "prod"
	EnvBaseURL        = "KALSHI_BASE_URL"         // overrides the environment's REST URL
)

// NewFromEnv is New configured from the environment variables
// KALSHI_API_KEY_ID, KALSHI_PRIVATE_KEY or KALSHI_PRIVATE_KEY_PATH,
// KALSHI_ENV and KALSHI_BASE_URL. Options given here override them. With
// no key variables set, the client is public-only; a bad value gives an
// error naming the variable.
func NewFromEnv(opts ...Option) (*Client, error) {
	envOpts, err := optionsFromEnv(os.LookupEnv)
	if err != nil {
		return nil, err
	}
	return New(append(envOpts, opts...)...)
}

// optionsFromEnv turns the environment into options; lookup is os.LookupEnv
// in production and a map in tests.
func optionsFromEnv(lookup func(string) (string, bool)) ([]Option, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	var opts []Option
	if v := get(EnvEnvironment); v != "" {
		env, err := ParseEnvironment(strings.ToLower(v))
		if err != nil {
			return nil, fmt.Errorf("kalshi: %s: %w", EnvEnvironment, err)
		}
		opts = append(opts, WithEnvironment(env))
	}
	if v := get(EnvBaseURL); v != "" {
		if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
			return nil, fmt.Errorf("kalshi: %s=%q: must be an http(s) URL such as %s", EnvBaseURL, v, Demo.BaseURL())
		}
		opts = append(opts, WithBaseURL(v))
	}

	signer, err := SignerFromEnv(lookup)
	switch {
	case err != nil:
		return nil, err
	case signer == nil:
		return opts, nil
	}
	return append(opts, WithSigner(signer)), nil
}

// SignerFromEnv builds the request signer from KALSHI_API_KEY_ID with
// KALSHI_PRIVATE_KEY (PEM text, \n escapes accepted) or
// KALSHI_PRIVATE_KEY_PATH (a file), read through lookup (os.LookupEnv, or
// your own layering of flags over the environment). It returns nil, nil
// when none of the three is set, and an error naming the variable when
// they are set but unusable: an ID without a key, a key without an ID,
// both key variables, or a key that does not parse.
func SignerFromEnv(lookup func(string) (string, bool)) (*signing.Signer, error) {
	get := func(name string) string {
		v, _ := lookup(name)
		return strings.TrimSpace(v)
	}
	keyID, keyText, keyPath := get(EnvAPIKeyID), get(EnvPrivateKey), get(EnvPrivateKeyPath)
	switch {
	case keyID == "" && keyText == "" && keyPath == "":
		return nil, nil
	case keyID == "":
		return nil, fmt.Errorf("kalshi: a private key is set but %s is empty: set it to the key's ID (shown when the key was created)", EnvAPIKeyID)
	case keyText != "" && keyPath != "":
		return nil, fmt.Errorf("kalshi: both %s and %s are set: use one", EnvPrivateKey, EnvPrivateKeyPath)
	case keyText == "" && keyPath == "":
		return nil, fmt.Errorf("kalshi: %s is set but there is no private key: set %s (PEM text) or %s (a file)", EnvAPIKeyID, EnvPrivateKey, EnvPrivateKeyPath)
	}
	var (
		key crypto.Signer
		err error
	)
	if keyText != "" {
		if key, err = signing.ParsePrivateKey([]byte(keyText)); err != nil {
			return nil, fmt.Errorf("kalshi: %s: %w", EnvPrivateKey, err)
		}
	} else if key, err = signing.LoadPrivateKey(keyPath); err != nil {
		return nil, fmt.Errorf("kalshi: %s: %w", EnvPrivateKeyPath, err)
	}
	signer, err := signing.New(keyID, key)
	if err != nil {
		return nil, fmt.Errorf("kalshi: %s: %w", EnvAPIKeyID, err)
	}
	return signer, nil
}
