package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// defaultFakeAddr is where fake-exchange listens unless --addr says
// otherwise: a fixed loopback port, so scripts can name the URL.
const defaultFakeAddr = "127.0.0.1:8080"

// startFake starts a kalshitest server.
func startFake(opts ...kalshitest.Option) (*kalshitest.Server, error) {
	srv, err := kalshitest.Start(opts...)
	if err != nil {
		return nil, fmt.Errorf("kalshi: starting the fake exchange: %w", err)
	}
	return srv, nil
}

func runFakeExchange(a *app, args []string) error {
	fset := a.flags()
	addr := fset.String("addr", defaultFakeAddr, "`HOST:PORT` to listen on (port 0 picks a free one)")
	pubFile := fset.String("public-key", "", "public key PEM `FILE` to register as an API key of the fake account, under --key-id")
	seed := fset.String("seed", "1", "`N` seeds the generated markets, liquidity and IDs")
	markets := fset.Int("markets", kalshitest.DefaultMarkets, "how many markets to generate")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	n, err := strconv.ParseUint(*seed, 10, 64)
	if err != nil {
		return usageErrorf("--seed %q: want a whole number", *seed)
	}
	// --key-id is the global flag: here, the ID to register the key under.
	keyID := &a.keyID
	if (*keyID == "") != (*pubFile == "") {
		return usageErrorf("--key-id and --public-key go together")
	}
	var pub any
	if *pubFile != "" {
		data, err := os.ReadFile(*pubFile)
		if err != nil {
			return fmt.Errorf("kalshi: reading the public key: %w", err)
		}
		if pub, err = signing.ParsePublicKey(data); err != nil {
			return fmt.Errorf("kalshi: %s: %w", *pubFile, err)
		}
	}
	srv, err := startFake(kalshitest.WithAddr(*addr), kalshitest.WithSeed(n), kalshitest.WithMarkets(*markets))
	if err != nil {
		return err
	}
	defer srv.Close()
	if pub != nil {
		srv.AddAPIKey(*keyID, pub)
	}

	// The first line is the base URL and nothing else, for scripts.
	fmt.Fprintln(a.stdout, srv.URL())
	fmt.Fprintf(a.stderr, "fake exchange (kalshitest, seed %d) is serving; stop it with Ctrl-C\n", n)
	if pub != nil {
		fmt.Fprintf(a.stderr, "API key %s is registered: kalshi --base-url %s --key-id %s --private-key <its private key> balance\n", *keyID, srv.URL(), *keyID)
	} else {
		fmt.Fprintf(a.stderr, "public commands work now: kalshi --base-url %s markets list; pass --key-id and --public-key to register a key\n", srv.URL())
	}
	<-a.ctx.Done()
	fmt.Fprintln(a.stderr, "fake exchange stopped")
	return nil
}
