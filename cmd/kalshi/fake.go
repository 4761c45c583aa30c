package main

import (
	"crypto"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
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

// accountFlags collects repeated --account KEY_ID=PUBLIC_KEY_FILE values.
type accountFlags []fakeAccount

type fakeAccount struct {
	keyID, file string
	pub         crypto.PublicKey
}

func (f *accountFlags) String() string { return "" }

func (f *accountFlags) Set(v string) error {
	id, file, ok := strings.Cut(v, "=")
	if !ok || id == "" || file == "" {
		return fmt.Errorf("want KEY_ID=PUBLIC_KEY_FILE, got %q", v)
	}
	pub, err := readPublicKey(file)
	if err != nil {
		return err
	}
	*f = append(*f, fakeAccount{keyID: id, file: file, pub: pub})
	return nil
}

func readPublicKey(file string) (crypto.PublicKey, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the public key: %w", err)
	}
	pub, err := signing.ParsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return pub, nil
}

// fakeFlags are fake-exchange's flags.
type fakeFlags struct {
	addr, pubFile, seed, balance, accountBalance, tier string
	markets                                            int
	noLiquidity                                        bool
	accounts                                           accountFlags
	faults                                             kalshitest.Faults
}

func runFakeExchange(a *app, args []string) error {
	fset := a.flags()
	var ff fakeFlags
	fset.StringVar(&ff.addr, "addr", defaultFakeAddr, "`HOST:PORT` to listen on (port 0 picks a free one)")
	fset.StringVar(&ff.pubFile, "public-key", "", "public key PEM `FILE` to register as an API key of the default account, under --key-id")
	fset.StringVar(&ff.balance, "balance", kalshitest.DefaultBalance.String(), "the default account's starting cash in `DOLLARS`")
	fset.Var(&ff.accounts, "account", "add an account that signs with the key `KEY_ID=PUBLIC_KEY_FILE` (repeatable)")
	fset.StringVar(&ff.accountBalance, "account-balance", kalshitest.DefaultBalance.String(), "starting cash of each --account in `DOLLARS`")
	fset.StringVar(&ff.seed, "seed", "", "repeat markets, liquidity, IDs and faults exactly with seed `N` (default: markets from seed 1, IDs random)")
	fset.IntVar(&ff.markets, "markets", kalshitest.DefaultMarkets, "how many markets to generate")
	fset.BoolVar(&ff.noLiquidity, "no-liquidity", false, "generate markets without the house's resting orders")
	fset.StringVar(&ff.tier, "tier", "", "enforce the rate limits of `TIER` (basic, advanced, premier, paragon, prime); default none")
	fset.DurationVar(&ff.faults.Latency, "latency", 0, "delay every request by `DURATION`")
	fset.Float64Var(&ff.faults.ServerErrorRate, "error-rate", 0, "answer this `FRACTION` (0 to 1) of requests 500 or 503")
	fset.Float64Var(&ff.faults.DropRate, "drop-rate", 0, "close the connection unanswered for this `FRACTION` of requests")
	fset.Float64Var(&ff.faults.LostAnswerRate, "lost-answer-rate", 0, "handle this `FRACTION` of requests, then lose the answer")
	fset.IntVar(&ff.faults.RateLimitBurst, "429-burst", 0, "answer the first `N` requests 429")
	fset.DurationVar(&ff.faults.ClockSkew, "clock-skew", 0, "check signatures against a clock off by `DURATION`")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	opts, err := ff.options()
	if err != nil {
		return err
	}
	// --key-id is the global flag: here, the ID to register the key under.
	keyID := a.keyID
	if (keyID == "") != (ff.pubFile == "") {
		return usageErrorf("--key-id and --public-key go together")
	}
	var pub crypto.PublicKey
	if ff.pubFile != "" {
		if pub, err = readPublicKey(ff.pubFile); err != nil {
			return fmt.Errorf("kalshi: %w", err)
		}
	}
	seen := map[string]bool{keyID: keyID != ""}
	for _, acc := range ff.accounts {
		if seen[acc.keyID] {
			return usageErrorf("--account %s: the key ID is registered twice", acc.keyID)
		}
		seen[acc.keyID] = true
	}
	accountBalance, err := money.ParseDollars(ff.accountBalance)
	if err != nil || accountBalance.Sign() < 0 {
		return usageErrorf("--account-balance %q: want dollars such as 1000 or 250.50", ff.accountBalance)
	}

	srv, err := startFake(opts...)
	if err != nil {
		return err
	}
	defer srv.Close()
	if pub != nil {
		srv.AddAPIKey(keyID, pub)
	}
	for _, acc := range ff.accounts {
		srv.AddAccount(acc.keyID, acc.pub, accountBalance)
	}

	// The first line is the REST base URL and nothing else, the second the
	// WebSocket URL, for scripts.
	fmt.Fprintln(a.stdout, srv.URL())
	fmt.Fprintln(a.stdout, srv.WebSocketURL())
	fmt.Fprintf(a.stderr, "fake exchange (kalshitest%s) is serving; stop it with Ctrl-C\n", ff.describe())
	switch {
	case pub != nil:
		fmt.Fprintf(a.stderr, "API key %s is registered: kalshi --base-url %s --key-id %s --private-key <its private key> balance\n", keyID, srv.URL(), keyID)
	case len(ff.accounts) == 0:
		fmt.Fprintf(a.stderr, "public commands work now: kalshi --base-url %s markets list; pass --key-id and --public-key to register a key\n", srv.URL())
	}
	for _, acc := range ff.accounts {
		fmt.Fprintf(a.stderr, "account with key %s (%s) has %s\n", acc.keyID, acc.file, accountBalance)
	}
	<-a.ctx.Done()
	fmt.Fprintln(a.stderr, "fake exchange stopped")
	return nil
}

// options turns the flags into the server's options, refusing bad values.
func (ff *fakeFlags) options() ([]kalshitest.Option, error) {
	opts := []kalshitest.Option{kalshitest.WithAddr(ff.addr), kalshitest.WithMarkets(ff.markets)}
	if ff.seed != "" {
		n, err := strconv.ParseUint(ff.seed, 10, 64)
		if err != nil {
			return nil, usageErrorf("--seed %q: want a whole number", ff.seed)
		}
		opts = append(opts, kalshitest.WithSeed(n))
	}
	if ff.noLiquidity {
		opts = append(opts, kalshitest.WithLiquidity(false))
	}
	bal, err := money.ParseDollars(ff.balance)
	if err != nil || bal.Sign() < 0 {
		return nil, usageErrorf("--balance %q: want dollars such as 1000 or 250.50", ff.balance)
	}
	opts = append(opts, kalshitest.WithBalance(bal))
	if ff.tier != "" {
		t := kalshi.Tier(strings.ToLower(ff.tier))
		if _, err := t.RateLimit(); err != nil {
			return nil, usageErrorf("--tier %q: want basic, advanced, premier, paragon or prime", ff.tier)
		}
		opts = append(opts, kalshitest.WithTier(t))
	}
	f := ff.faults
	for _, r := range []struct {
		name string
		p    float64
	}{{"--error-rate", f.ServerErrorRate}, {"--drop-rate", f.DropRate}, {"--lost-answer-rate", f.LostAnswerRate}} {
		if r.p < 0 || r.p > 1 {
			return nil, usageErrorf("%s %v: want a fraction from 0 to 1", r.name, r.p)
		}
	}
	if f.Latency < 0 || f.RateLimitBurst < 0 {
		return nil, usageErrorf("--latency and --429-burst cannot be negative")
	}
	if f != (kalshitest.Faults{}) {
		opts = append(opts, kalshitest.WithFaults(f))
	}
	return opts, nil
}

// describe names the settings that differ from the defaults, for the
// banner.
func (ff *fakeFlags) describe() string {
	var parts []string
	if ff.seed != "" {
		parts = append(parts, "seed "+ff.seed)
	}
	if ff.tier != "" {
		parts = append(parts, "tier "+strings.ToLower(ff.tier))
	}
	f := ff.faults
	if f.Latency > 0 {
		parts = append(parts, "latency "+f.Latency.String())
	}
	for _, r := range []struct {
		name string
		p    float64
	}{{"errors", f.ServerErrorRate}, {"drops", f.DropRate}, {"lost answers", f.LostAnswerRate}} {
		if r.p > 0 {
			parts = append(parts, fmt.Sprintf("%s %g%%", r.name, r.p*100))
		}
	}
	if f.RateLimitBurst > 0 {
		parts = append(parts, fmt.Sprintf("429 burst %d", f.RateLimitBurst))
	}
	if f.ClockSkew != 0 {
		parts = append(parts, "clock skew "+f.ClockSkew.Round(time.Millisecond).String())
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}
