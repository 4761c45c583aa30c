// Command keyrotate is an example key rotation: it generates a new Ed25519
// key, registers its public half with CreateApiKey, saves the private half,
// switches to it, checks that it signs, and only then deletes the old key.
// At every step one working key exists: if anything fails, the old key is
// still registered and the new one, if saved, is usable too.
//
//	go run ./examples/keyrotate -fake                       # against an in-process fake exchange
//	go run ./examples/keyrotate -out new-key.pem            # against Kalshi's demo, old key from KALSHI_*
//
// It never overwrites a file, and on Kalshi's production exchange it needs
// -yes.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/examples/internal/target"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// config is what the flags set.
type config struct {
	fake bool
	out  string // where the new private key goes
	name string // the new key's name
	yes  bool   // rotate on production
}

func main() {
	var cfg config
	flag.BoolVar(&cfg.fake, "fake", false, "run against an in-process fake exchange instead of Kalshi")
	flag.StringVar(&cfg.out, "out", "kalshi-key-new.pem", "file for the new private key (must not exist)")
	flag.StringVar(&cfg.name, "name", "rotated", "name of the new key")
	flag.BoolVar(&cfg.yes, "yes", false, "rotate the key on Kalshi's production exchange")
	flag.Parse()
	if err := run(context.Background(), cfg, os.Stdout); err != nil {
		target.Fatal(err)
	}
}

func run(ctx context.Context, cfg config, stdout io.Writer) error {
	t, err := target.Open(cfg.fake)
	if err != nil {
		return err
	}
	defer t.Close()
	return rotate(ctx, t, cfg, stdout)
}

// rotate replaces t's key with a new one, saved in cfg.out.
func rotate(ctx context.Context, t *target.Target, cfg config, stdout io.Writer) error {
	if t.Client.Environment().IsProduction() && t.Fake == nil && !cfg.yes {
		return errors.New("this rotates the key of your production account: pass -yes to go on")
	}
	oldID := t.Signer.KeyID()

	// 1. A new key, saved before Kalshi knows it: a key registered but
	// lost would be no use.
	key, privPEM, pubPEM, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(cfg.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("saving the new key: %w", err)
	}
	if _, err := f.Write(privPEM); err != nil {
		f.Close()
		return fmt.Errorf("saving the new key: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("saving the new key: %w", err)
	}
	fmt.Fprintf(stdout, "new private key saved to %s\n", cfg.out)

	// 2. Register it, signing with the old key.
	created, err := t.Client.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{Name: cfg.name, PublicKey: string(pubPEM)})
	if err != nil {
		return fmt.Errorf("registering the new key (the old key %s still works): %w", oldID, err)
	}
	fmt.Fprintf(stdout, "registered new key %s\n", created.APIKeyID)

	// 3. Switch to it, and check that it signs before giving up the old one.
	signer, err := signing.New(created.APIKeyID, key)
	if err != nil {
		return err
	}
	next, err := kalshi.New(kalshi.WithEnvironment(t.Client.Environment()), kalshi.WithBaseURL(t.Client.BaseURL()), kalshi.WithSigner(signer))
	if err != nil {
		return err
	}
	defer next.Close()
	keys, err := next.GetAPIKeys(ctx, nil)
	if err != nil {
		return fmt.Errorf("the new key %s does not sign yet; the old key %s is kept: %w", created.APIKeyID, oldID, err)
	}
	fmt.Fprintf(stdout, "the new key signs: %d keys on the account\n", len(keys.APIKeys))

	// 4. Only now delete the old key.
	if _, err := next.DeleteAPIKey(ctx, oldID); err != nil {
		return fmt.Errorf("deleting the old key %s (the new key %s works): %w", oldID, created.APIKeyID, err)
	}
	fmt.Fprintf(stdout, "deleted old key %s\n", oldID)
	abs, _ := filepath.Abs(cfg.out)
	fmt.Fprintf(stdout, "from now on: KALSHI_API_KEY_ID=%s KALSHI_PRIVATE_KEY_PATH=%s\n", created.APIKeyID, abs)
	return nil
}
