// Command kalshi is a command-line tool for Kalshi's Trade API v2, built on
// this module's client.
//
//	kalshi demo                        # the whole library, offline, against an embedded fake exchange
//	kalshi keygen --out key.pem        # make a key pair: key.pem (0600) and key.pub, the public key to register
//	kalshi markets list --status open  # read the exchange
//	kalshi orders create --ticker T --side bid --price 0.56 --count 10
//
// Global flags, accepted before or after the command: --env demo|prod
// (default demo, or $KALSHI_ENV), --base-url URL ($KALSHI_BASE_URL),
// -o table|json, --key-id ID and --private-key FILE (else
// $KALSHI_API_KEY_ID with $KALSHI_PRIVATE_KEY or $KALSHI_PRIVATE_KEY_PATH),
// --yes, which skips the confirmation that writing commands ask for on
// prod, and --verbose, which logs each call, attempt, retry, rate-limit
// wait and feed event to stderr. --redis URL ($KALSHI_REDIS_URL) paces
// the tool by the account's budget shared through Redis (package
// redislimit), so that a script run beside bots does not take their
// tokens; --redis-tier (default basic) sizes the budget and
// --redis-account names it (default the API key ID). Run "kalshi help"
// for every command.
//
// Exit status: 0 on success, 1 when a command fails (one line on stderr
// says why), 2 for a usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/seed-c9ca4919/kalshi"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// app is one invocation: its streams, its environment and the global
// flags, which every command's flag set shares.
type app struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	env        string // --env; "" means $KALSHI_ENV, else demo
	baseURL    string // --base-url; "" means $KALSHI_BASE_URL, else the environment's
	output     string // -o: table or json
	keyID      string // --key-id; "" means $KALSHI_API_KEY_ID
	privateKey string // --private-key FILE; "" means $KALSHI_PRIVATE_KEY(_PATH)
	yes        bool   // --yes: no confirmation on prod
	verbose    bool   // --verbose: log calls, retries and feed events to stderr

	redisURL     string // --redis URL; "" means $KALSHI_REDIS_URL, else no shared budget
	redisTier    string // --redis-tier: the account's tier, for the shared budget
	redisAccount string // --redis-account: the budget's name; "" means the key ID

	cmd *command // the command being run
}

// command is one entry of the command table.
type command struct {
	name     string // "markets list"
	synopsis string // its arguments, for usage lines
	summary  string // one line for "kalshi help"
	run      func(a *app, args []string) error
}

// commands is the command table, in the order "kalshi help" lists it.
func commands() []command {
	return []command{
		{"demo", "", "run the library end to end against an embedded fake exchange (offline)", runDemo},
		{"keygen", "[--type rsa|ed25519] [--out FILE]", "make a key pair: private key to FILE (0600), public key to FILE with .pub for .pem, and to stdout", runKeygen},
		{"api-keys create", "--name NAME --public-key FILE", "register a public key you made (CreateApiKey); prints the new key ID", runAPIKeysCreate},
		{"api-keys generate", "--name NAME [--type rsa|ed25519] [--out FILE]", "have Kalshi make a key pair (GenerateApiKey); private key to FILE (0600)", runAPIKeysGenerate},
		{"api-keys list", "", "list your API keys", runAPIKeysList},
		{"api-keys delete", "ID", "delete an API key", runAPIKeysDelete},
		{"exchange status", "", "is the exchange open and trading", runExchangeStatus},
		{"markets list", "[--status S] [--series T] [--event T] [--limit N] [--cursor C] [--all]", "list markets", runMarketsList},
		{"markets get", "TICKER", "show one market", runMarketsGet},
		{"orderbook", "TICKER [--depth N] [--watch [--count N]]", "show a market's order book, or follow it live with --watch", runOrderbook},
		{"watch", "CHANNEL [--market TICKER]... [--count N]", "print a WebSocket channel's frames as JSON lines until interrupted", runWatch},
		{"balance", "", "show your balance and portfolio value", runBalance},
		{"positions", "[--ticker T] [--event T] [--all]", "list your market positions", runPositions},
		{"fills", "[--ticker T] [--order ID] [--limit N] [--all]", "list your fills", runFills},
		{"orders list", "[--ticker T] [--status resting|canceled|executed] [--limit N] [--all]", "list your orders", runOrdersList},
		{"orders get", "ID", "show one order", runOrdersGet},
		{"orders create", "--ticker T --side bid|ask --price P --count N [--tif gtc|ioc|fok]", "place a limit order (bid buys YES, ask sells YES)", runOrdersCreate},
		{"orders cancel", "ID", "cancel a resting order", runOrdersCancel},
		{"orders amend", "ID [--price P] [--count TOTAL]", "change a resting order's price or total size", runOrdersAmend},
		{"orders cancel-all", "[--ticker T]", "cancel every resting order, or those of one market", runOrdersCancelAll},
		{"fake-exchange", "[--addr HOST:PORT] [--key-id ID --public-key FILE] [--account ID=FILE]... [--tier T] [--latency D] [--error-rate P] [--seed N] ...", "serve the fake exchange until interrupted; prints its REST and WebSocket URLs first", runFakeExchange},
	}
}

// run is the whole program, with its surroundings passed in so tests can
// call it directly. It returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	a := &app{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, output: "table"}

	fs := a.newFlagSet("kalshi")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		a.help(stdout)
		return exitOK
	case err != nil:
		fmt.Fprintf(stderr, "kalshi: %v\n", err)
		fmt.Fprintln(stderr, `run "kalshi help" for usage`)
		return exitUsage
	}
	if err := a.checkGlobals(); err != nil {
		return a.exit(err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		a.help(stderr)
		return exitUsage
	}
	switch rest[0] {
	case "help":
		return a.helpFor(rest[1:])
	case "version":
		fmt.Fprintln(stdout, "kalshi", kalshi.Version)
		return exitOK
	}
	cmd, rest, err := lookup(rest)
	if err != nil {
		return a.exit(err)
	}
	a.cmd = cmd
	return a.exit(cmd.run(a, rest))
}

// lookup finds the command named by the first one or two words of args.
func lookup(args []string) (*command, []string, error) {
	cmds := commands()
	var group []string
	for i := range cmds {
		c := &cmds[i]
		words := strings.Fields(c.name)
		if words[0] != args[0] {
			continue
		}
		if len(words) == 1 {
			return c, args[1:], nil
		}
		group = append(group, words[1])
		if len(args) > 1 && words[1] == args[1] {
			return c, args[2:], nil
		}
	}
	if len(group) == 0 {
		return nil, nil, usageErrorf("unknown command %q", args[0])
	}
	if len(args) == 1 {
		return nil, nil, usageErrorf("%s needs a subcommand: %s", args[0], strings.Join(group, ", "))
	}
	return nil, nil, usageErrorf("unknown command %q %q: %s has %s", args[0], args[1], args[0], strings.Join(group, ", "))
}

// subcommands returns the commands of a group such as "markets".
func subcommands(group string) []command {
	var out []command
	for _, c := range commands() {
		if words := strings.Fields(c.name); len(words) == 2 && words[0] == group {
			out = append(out, c)
		}
	}
	return out
}

// newFlagSet returns a flag set holding the global flags, bound to a's
// fields with their current values as defaults, so flags given before the
// command survive parsing the command's own flags.
func (a *app) newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&a.env, "env", a.env, "Kalshi environment: demo or prod (default demo, or $KALSHI_ENV)")
	fs.StringVar(&a.baseURL, "base-url", a.baseURL, "REST base URL including /trade-api/v2 (default the environment's, or $KALSHI_BASE_URL)")
	fs.StringVar(&a.output, "o", a.output, "output: table or json")
	fs.StringVar(&a.output, "output", a.output, "output: table or json")
	fs.StringVar(&a.keyID, "key-id", a.keyID, "API key ID (default $KALSHI_API_KEY_ID)")
	fs.StringVar(&a.privateKey, "private-key", a.privateKey, "private key PEM file (default $KALSHI_PRIVATE_KEY or $KALSHI_PRIVATE_KEY_PATH)")
	fs.BoolVar(&a.yes, "yes", a.yes, "do not ask for confirmation before writing on prod")
	fs.BoolVar(&a.yes, "y", a.yes, "short for --yes")
	fs.BoolVar(&a.verbose, "verbose", a.verbose, "log every call, attempt, rate-limit wait and feed event to stderr")
	fs.BoolVar(&a.verbose, "v", a.verbose, "short for --verbose")
	fs.StringVar(&a.redisURL, "redis", a.redisURL, "draw from the account's rate-limit budget shared through this Redis URL (default $KALSHI_REDIS_URL)")
	fs.StringVar(&a.redisTier, "redis-tier", a.redisTier, "the account's access tier, sizing the shared budget (default basic)")
	fs.StringVar(&a.redisAccount, "redis-account", a.redisAccount, "the shared budget's account name (default the API key ID)")
	return fs
}

// isGlobal reports whether a flag belongs to every command.
func isGlobal(name string) bool {
	switch name {
	case "env", "base-url", "o", "output", "key-id", "private-key", "yes", "y", "redis", "redis-tier", "redis-account":
		return true
	}
	return false
}

// flags returns a flag set for the running command, with the global flags.
func (a *app) flags() *flag.FlagSet {
	return a.newFlagSet("kalshi " + a.cmd.name)
}

// parse parses the command's args, flags and positional arguments in any
// order ("--" ends the flags), and checks that between minPos and maxPos
// positional arguments were given (maxPos < 0: no limit). -h prints the
// command's help.
func (a *app) parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		err := fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			a.commandHelp(a.stdout, fs)
			return nil, errHelpShown
		}
		if err != nil {
			return nil, usageErrorf("%v", err)
		}
		consumed := len(args) - fs.NArg()
		if consumed > 0 && args[consumed-1] == "--" {
			pos = append(pos, fs.Args()...) // everything after "--" is positional
			break
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if err := a.checkGlobals(); err != nil {
		return nil, err
	}
	switch {
	case len(pos) < minPos:
		return nil, usageErrorf("missing argument %s", strings.Fields(a.cmd.synopsis)[len(pos)])
	case maxPos >= 0 && len(pos) > maxPos:
		return nil, usageErrorf("unexpected argument %q", pos[maxPos])
	}
	return pos, nil
}

// checkGlobals validates the global flags that have a fixed set of values.
func (a *app) checkGlobals() error {
	switch a.output {
	case "table", "json":
	default:
		return usageErrorf("-o %q: want table or json", a.output)
	}
	if a.env != "" {
		if _, err := kalshi.ParseEnvironment(strings.ToLower(a.env)); err != nil {
			return usageErrorf("--env: %v", err)
		}
	}
	if a.redisTier != "" {
		if _, err := kalshi.ParseTier(a.redisTier); err != nil {
			return usageErrorf("--redis-tier: %v", err)
		}
	}
	return nil
}

// help prints the list of commands.
func (a *app) help(w io.Writer) {
	fmt.Fprint(w, `kalshi: a command-line tool for Kalshi's Trade API v2

Usage: kalshi [global flags] <command> [flags] [arguments]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Global flags (before or after the command):
  --env demo|prod        environment (default demo, or $KALSHI_ENV); keys work only where they were made
  --base-url URL         REST base URL including /trade-api/v2 (or $KALSHI_BASE_URL)
  -o table|json          output format; json prints the API's JSON
  --key-id ID            API key ID (or $KALSHI_API_KEY_ID)
  --private-key FILE     private key PEM file (or $KALSHI_PRIVATE_KEY, $KALSHI_PRIVATE_KEY_PATH)
  --yes                  do not ask before writing on prod
  --verbose, -v          log every call, attempt, retry, rate-limit wait and feed event to stderr
  --redis URL            share the account's rate-limit budget with bots using redislimit on this
                         Redis (or $KALSHI_REDIS_URL); --redis-tier T sizes it (default basic),
                         --redis-account NAME names it (default the API key ID)

Start with "kalshi demo" (offline). "kalshi help <command>" shows a command's flags;
"kalshi version" prints the version.
`)
}

// helpFor prints help for the command named by args, or the command list.
func (a *app) helpFor(args []string) int {
	if len(args) == 0 {
		a.help(a.stdout)
		return exitOK
	}
	if len(args) == 1 {
		if group := subcommands(args[0]); len(group) > 0 {
			fmt.Fprintf(a.stdout, "Usage: kalshi %s <subcommand>\n\nSubcommands:\n", args[0])
			for _, c := range group {
				fmt.Fprintf(a.stdout, "  %-18s %s\n", c.name, c.summary)
			}
			return exitOK
		}
	}
	cmd, _, err := lookup(args)
	if err != nil {
		return a.exit(err)
	}
	a.cmd = cmd
	// Each command prints its own flags on -h.
	return a.exit(cmd.run(a, []string{"-h"}))
}

// commandHelp prints a command's usage and flags; global flags are listed
// by "kalshi help".
func (a *app) commandHelp(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: kalshi %s %s\n\n%s\n", a.cmd.name, a.cmd.synopsis, a.cmd.summary)
	var own bool
	fs.VisitAll(func(f *flag.Flag) {
		if isGlobal(f.Name) {
			return
		}
		if !own {
			fmt.Fprint(w, "\nFlags:\n")
			own = true
		}
		name, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if name != "" {
			line += " " + name
		}
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "%-24s %s\n", line, usage)
	})
	fmt.Fprint(w, "\nGlobal flags: see \"kalshi help\".\n")
}
