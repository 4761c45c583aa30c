package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// defaultKeyFile is where keygen and api-keys generate put the private key
// when --out is not given. A private key is never printed to stdout.
const defaultKeyFile = "kalshi-key.pem"

// createKeyFile creates path for a private key, owner-only (0600). It never
// replaces an existing file: losing a key that is registered with Kalshi
// locks its owner out, so an existing file is an error.
func createKeyFile(path string) (*os.File, error) {
	if path == "" || path == "-" {
		return nil, usageErrorf("--out must name a file: a private key is never printed")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("kalshi: %s already exists: refusing to overwrite a key file; choose another --out or move the old key away first", path)
	}
	if err != nil {
		return nil, fmt.Errorf("kalshi: creating the key file: %w", err)
	}
	// The mode given to OpenFile is filtered by the umask; make it exact.
	if err := f.Chmod(0o600); err != nil {
		discardKeyFile(f)
		return nil, fmt.Errorf("kalshi: setting the key file's mode: %w", err)
	}
	return f, nil
}

// writeKeyFile writes the key and closes the file, removing it on failure.
func writeKeyFile(f *os.File, pem []byte) error {
	if _, err := f.Write(pem); err != nil {
		discardKeyFile(f)
		return fmt.Errorf("kalshi: writing %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("kalshi: writing %s: %w", f.Name(), err)
	}
	return nil
}

// discardKeyFile closes and removes a key file that was not completed.
func discardKeyFile(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// parseScopes reads --scopes: a comma-separated list of Kalshi scopes.
func parseScopes(s string) *[]gen.APIKeyScope {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	var out []gen.APIKeyScope
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, gen.APIKeyScope(part))
		}
	}
	return &out
}

// publicKeyFile is where keygen writes the public half of a key whose
// private half goes to privateFile: the same name with .pub in place of
// .pem (kalshi-key.pem, kalshi-key.pub), or with .pub added.
func publicKeyFile(privateFile string) string {
	return strings.TrimSuffix(privateFile, ".pem") + ".pub"
}

// createPublicKeyFile creates path for a public key (0644). Like a private
// key file it is never replaced: an existing one may belong to another key.
func createPublicKeyFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("kalshi: %s already exists: refusing to overwrite a key file; choose another --out or move the old key away first", path)
	}
	if err != nil {
		return nil, fmt.Errorf("kalshi: creating the public key file: %w", err)
	}
	return f, nil
}

func runKeygen(a *app, args []string) error {
	fset := a.flags()
	typ := fset.String("type", "rsa", "key type: rsa or ed25519")
	out := fset.String("out", defaultKeyFile, "`FILE` for the private key, created with mode 0600 and never overwritten; the public key goes beside it, named with .pub for .pem")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	alg, err := signing.ParseAlgorithm(*typ)
	if err != nil {
		return usageErrorf("--type %q: want rsa or ed25519", *typ)
	}
	f, err := createKeyFile(*out)
	if err != nil {
		return err
	}
	pubPath := publicKeyFile(*out)
	pf, err := createPublicKeyFile(pubPath)
	if err != nil {
		discardKeyFile(f)
		return err
	}
	_, privatePEM, publicPEM, err := signing.GenerateKey(alg)
	if err != nil {
		discardKeyFile(f)
		discardKeyFile(pf)
		return err
	}
	if err := writeKeyFile(f, privatePEM); err != nil {
		discardKeyFile(pf)
		return err
	}
	if err := writeKeyFile(pf, publicPEM); err != nil {
		os.Remove(*out)
		return err
	}
	if a.jsonOut() {
		if err := a.printJSON(map[string]string{
			"key_type":         strings.ToLower(alg.String()),
			"private_key_file": *out,
			"public_key_file":  pubPath,
			"public_key":       string(publicPEM),
		}); err != nil {
			return err
		}
	} else if _, err := a.stdout.Write(publicPEM); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "wrote the %s private key to %s (mode 0600): keep it secret, it signs your requests\n", alg, *out)
	fmt.Fprintf(a.stderr, "wrote its public key to %s (also printed above); register it on Kalshi's API keys page, or run:\n", pubPath)
	fmt.Fprintf(a.stderr, "  kalshi api-keys create --name NAME --public-key %s\n", pubPath)
	return nil
}

func runAPIKeysCreate(a *app, args []string) error {
	fset := a.flags()
	name := fset.String("name", "", "a `NAME` for the key (required)")
	pubFile := fset.String("public-key", "", "PEM `FILE` of the public key to register (required); make one with kalshi keygen")
	scopes := fset.String("scopes", "", "comma-separated `SCOPES`, such as read,write (default Kalshi's)")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	if *name == "" || *pubFile == "" {
		return usageErrorf("--name and --public-key are required")
	}
	data, err := os.ReadFile(*pubFile)
	if err != nil {
		return fmt.Errorf("kalshi: reading the public key: %w", err)
	}
	pub, err := signing.ParsePublicKey(data)
	if err != nil {
		return fmt.Errorf("kalshi: %s: %w", *pubFile, err)
	}
	pubPEM, err := signing.MarshalPublicKey(pub)
	if err != nil {
		return err
	}
	if err := a.confirm(fmt.Sprintf("register API key %q", *name)); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	resp, err := c.CreateAPIKey(a.ctx, gen.CreateAPIKeyRequest{
		Name:      *name,
		PublicKey: string(pubPEM),
		Scopes:    parseScopes(*scopes),
	})
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	fmt.Fprintln(a.stdout, resp.APIKeyID)
	if resp.Warning != nil && *resp.Warning != "" {
		fmt.Fprintf(a.stderr, "warning from Kalshi: %s\n", *resp.Warning)
	}
	fmt.Fprintf(a.stderr, "registered %q in %s; sign with it: --key-id %s --private-key <its private key file> (or set %s)\n",
		*name, a.target(), resp.APIKeyID, "KALSHI_API_KEY_ID")
	return nil
}

func runAPIKeysGenerate(a *app, args []string) error {
	fset := a.flags()
	name := fset.String("name", "", "a `NAME` for the key (required)")
	typ := fset.String("type", "rsa", "key type: rsa or ed25519")
	out := fset.String("out", defaultKeyFile, "`FILE` for the private key Kalshi returns, created with mode 0600 and never overwritten")
	scopes := fset.String("scopes", "", "comma-separated `SCOPES`, such as read,write (default Kalshi's)")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	if *name == "" {
		return usageErrorf("--name is required")
	}
	alg, err := signing.ParseAlgorithm(*typ)
	if err != nil {
		return usageErrorf("--type %q: want rsa or ed25519", *typ)
	}
	keyType := gen.APIKeyType(strings.ToLower(alg.String()))
	if err := a.confirm(fmt.Sprintf("generate API key %q", *name)); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	// Claim the file before asking Kalshi: the private key exists only in
	// this one answer, so there must be somewhere to put it.
	f, err := createKeyFile(*out)
	if err != nil {
		return err
	}
	resp, err := c.GenerateAPIKey(a.ctx, gen.GenerateAPIKeyRequest{
		Name:    *name,
		KeyType: &keyType,
		Scopes:  parseScopes(*scopes),
	})
	if err != nil {
		discardKeyFile(f)
		return err
	}
	pemText := resp.PrivateKey
	if !strings.HasSuffix(pemText, "\n") {
		pemText += "\n"
	}
	if err := writeKeyFile(f, []byte(pemText)); err != nil {
		return fmt.Errorf("%w (the key %s was created; delete it with kalshi api-keys delete %s)", err, resp.APIKeyID, resp.APIKeyID)
	}
	if a.jsonOut() {
		// The API's answer holds the private key; it went to the file.
		v := map[string]string{"api_key_id": resp.APIKeyID, "key_type": string(keyType), "private_key_file": *out}
		if resp.Warning != nil {
			v["warning"] = *resp.Warning
		}
		if err := a.printJSON(v); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(a.stdout, resp.APIKeyID)
	}
	if resp.Warning != nil && *resp.Warning != "" {
		fmt.Fprintf(a.stderr, "warning from Kalshi: %s\n", *resp.Warning)
	}
	fmt.Fprintf(a.stderr, "wrote the private key to %s (mode 0600); sign with it: --key-id %s --private-key %s\n", *out, resp.APIKeyID, *out)
	return nil
}

func runAPIKeysList(a *app, args []string) error {
	fset := a.flags()
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	resp, err := c.GetAPIKeys(a.ctx, &gen.GetAPIKeysParams{})
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(resp)
	}
	t := newTable(a.stdout, "API KEY ID", "NAME", "SCOPES", "SUBACCOUNT")
	for _, k := range resp.APIKeys {
		scopes := make([]string, len(k.Scopes))
		for i, s := range k.Scopes {
			scopes[i] = string(s)
		}
		t.row(k.APIKeyID, k.Name, strings.Join(scopes, ","), k.Subaccount)
	}
	return t.flush()
}

func runAPIKeysDelete(a *app, args []string) error {
	fset := a.flags()
	pos, err := a.parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	id := pos[0]
	if err := a.confirm("delete API key " + id); err != nil {
		return err
	}
	c, err := a.client()
	if err != nil {
		return err
	}
	if _, err := c.DeleteAPIKey(a.ctx, id); err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(map[string]any{"api_key_id": id, "deleted": true})
	}
	fmt.Fprintf(a.stdout, "deleted API key %s\n", id)
	return nil
}
