package kalshi_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// TestREADMECommands runs every command of README.md's shell code blocks,
// so the README cannot describe commands that no longer work.
//
// Each `kalshi ...` line runs, in the order written, with the CLI built
// from cmd/kalshi, against an in-process kalshitest holding the market
// the README uses, and must exit 0. Each block runs in a fresh directory,
// so a block has only the files its own commands make (plus those in
// readmeAssumedFiles). Placeholders are filled from earlier commands'
// output (see readmeCaptures). Commands that run until interrupted
// (readmeLongRunning) run until they show they work, then get an
// interrupt, and must exit 0 then.
//
// Each `go ...` line is checked, not run: its packages exist (a `go run`
// or `go install` names a command), `go test -run`/`-bench` patterns match
// tests, and `go get` names this module or one nested in it. `go run .`
// in cmd/kalshi runs as the kalshi line it stands for. A `cd DIR` line
// moves the block's later go lines to DIR, and `(cd DIR && go ...)` runs
// that one line there.
func TestREADMECommands(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	blocks := readmeShellBlocks(string(readme))
	require.NotEmpty(t, blocks, "README.md has no shell code blocks")

	r := newReadmeRunner(t)
	ran := 0
	for _, b := range blocks {
		dir := t.TempDir()
		for name, why := range readmeAssumedFiles {
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), r.otherPublicKey, 0o644), why)
		}
		vars := map[string]string{}
		goDir := "." // where the block's go lines run, relative to the repository root
		for _, line := range b.lines {
			args := readmeWords(line.text)
			where := fmt.Sprintf("README.md:%d: %s", line.n, line.text)
			if len(args) == 2 && args[0] == "cd" {
				goDir = filepath.Join(goDir, args[1])
				require.DirExists(t, goDir, where)
				continue
			}
			lineDir := goDir
			if len(args) > 3 && args[0] == "(cd" && args[2] == "&&" && strings.HasSuffix(args[len(args)-1], ")") {
				// (cd DIR && COMMAND): COMMAND runs in DIR
				lineDir = filepath.Join(goDir, args[1])
				require.DirExists(t, lineDir, where)
				args = append(args[3:len(args)-1:len(args)-1], strings.TrimSuffix(args[len(args)-1], ")"))
				if args[len(args)-1] == "" {
					args = args[:len(args)-1]
				}
			}
			for len(args) > 0 && regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`).MatchString(args[0]) {
				args = args[1:] // the line's own environment: only go lines have it
			}
			if len(args) == 0 {
				continue
			}
			switch {
			case args[0] == "kalshi":
				t.Log(where)
				r.kalshi(t, where, dir, fill(t, where, args[1:], vars), vars)
				ran++
			case len(args) > 2 && args[0] == "go" && args[1] == "run" && filepath.Join(lineDir, args[2]) == filepath.Join("cmd", "kalshi"):
				t.Log(where)
				r.kalshi(t, where, dir, fill(t, where, args[3:], vars), vars)
				ran++
			case args[0] == "go":
				t.Log(where, "(checked, not run)")
				r.checkGo(t, where, lineDir, args[1:])
				ran++
			}
		}
	}
	require.Greater(t, ran, 20, "the README's commands were not found")
	t.Logf("%d README commands checked", ran)
}

// readmeAssumedFiles are files the README's commands use without making
// them, with the reason; the test writes a fresh public key to each.
var readmeAssumedFiles = map[string]string{
	"bob.pub": "the second trader's public key, which fake-exchange --account bob=bob.pub registers",
}

// readmeCaptures fill the README's placeholders from a command's output:
// the command (its leading words) sets the placeholder to what re finds
// in its stdout (group 1). A placeholder used before it is set fails the
// test.
var readmeCaptures = []struct {
	command     string
	placeholder string
	re          *regexp.Regexp
}{
	{"api-keys create", "ID", regexp.MustCompile(`^\s*(\S+)\s*$`)},
	// A resting order: "remaining" is not zero. An IOC's id is not kept.
	{"orders create", "ORDER_ID", regexp.MustCompile(`(?s)order id\s+(\S+).*remaining\s+[1-9]`)},
	{"orders amend", "ORDER_ID", regexp.MustCompile(`order id\s+(\S+)`)},
}

// readmeLongRunning are the commands that run until interrupted: ready
// says when one has shown that it works.
var readmeLongRunning = []struct {
	match func(args []string) bool
	ready func(stdout string) bool
	why   string
}{
	{
		match: func(a []string) bool { return hasArg(a, "fake-exchange") },
		ready: func(out string) bool { return strings.Count(out, "\n") >= 2 },
		why:   "serves until Ctrl-C; ready once it prints its REST and WebSocket URLs",
	},
	{
		match: func(a []string) bool { return hasArg(a, "watch") && !hasArg(a, "orderbook") },
		ready: func(out string) bool { return strings.Contains(out, "\n") },
		why:   "prints frames until Ctrl-C; ready at the first frame (the test makes trades)",
	},
	{
		match: func(a []string) bool { return hasArg(a, "orderbook") && hasArg(a, "--watch") },
		ready: func(out string) bool { return strings.Contains(out, "\n") },
		why:   "redraws the book until Ctrl-C; ready at the first drawing",
	},
}

// readmeTicker is the market the README's commands use.
const readmeTicker = "KXHIGHNY-26JUN12-B80.5"

type readmeRunner struct {
	bin            string // the built kalshi command
	env            []string
	srv            *kalshitest.Server
	client         *kalshi.Client // signs with the key the commands use
	otherPublicKey []byte
}

func newReadmeRunner(t *testing.T) *readmeRunner {
	t.Helper()
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build cmd/kalshi")
	bin := filepath.Join(t.TempDir(), "kalshi")
	build := exec.Command(goTool, "-C", "cmd/kalshi", "build", "-o", bin, ".")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building cmd/kalshi: %s", out)

	// The book leaves room for the README's orders: a bid at 0.56 rests, an
	// IOC at 0.60 fills, and trades can be made at 0.70 for the feed.
	srv := kalshitest.NewServer(kalshitest.WithMarket(kalshitest.MarketSpec{
		Ticker: readmeTicker,
		Bids:   []money.PriceLevel{{Price: money.MustDollars("0.41"), Count: money.MustCount("10")}},
		Asks: []money.PriceLevel{
			{Price: money.MustDollars("0.60"), Count: money.MustCount("4")},
			{Price: money.MustDollars("0.70"), Count: money.MustCount("1000")},
		},
	}))
	t.Cleanup(srv.Close)

	key, privatePEM, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	const keyID = "readme-key"
	srv.AddAPIKey(keyID, key.Public())
	keyFile := filepath.Join(t.TempDir(), "readme-key.pem")
	require.NoError(t, os.WriteFile(keyFile, privatePEM, 0o600))
	signer, err := signing.New(keyID, key)
	require.NoError(t, err)
	client, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))
	require.NoError(t, err)

	_, _, otherPEM, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)

	// The commands see only the test's KALSHI_* variables.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "KALSHI_") {
			env = append(env, kv)
		}
	}
	env = append(env, "KALSHI_BASE_URL="+srv.URL(), "KALSHI_API_KEY_ID="+keyID, "KALSHI_PRIVATE_KEY_PATH="+keyFile)
	return &readmeRunner{bin: bin, env: env, srv: srv, client: client, otherPublicKey: otherPEM}
}

// kalshi runs one kalshi command line in dir and records its captures.
func (r *readmeRunner) kalshi(t *testing.T, where, dir string, args []string, vars map[string]string) {
	t.Helper()
	if hasArg(args, "fake-exchange") {
		// A free port: a fixed one may be taken on the machine running the test.
		args = withFlag(args, "--addr", "127.0.0.1:0")
	}
	for _, lr := range readmeLongRunning {
		if lr.match(args) {
			r.untilInterrupted(t, where, dir, args, lr.ready)
			return
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.bin, args...)
	cmd.Dir, cmd.Env = dir, r.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s\nkalshi %s: %v\nstdout:\n%s\nstderr:\n%s", where, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	for _, c := range readmeCaptures {
		if strings.HasPrefix(strings.Join(args, " "), c.command+" ") || strings.Join(args, " ") == c.command {
			if m := c.re.FindStringSubmatch(stdout.String()); m != nil {
				vars[c.placeholder] = m[1]
			}
		}
	}
}

// untilInterrupted starts a command that runs until interrupted, waits
// until ready(stdout), interrupts it, and requires exit status 0.
func (r *readmeRunner) untilInterrupted(t *testing.T, where, dir string, args []string, ready func(string) bool) {
	t.Helper()
	cmd := exec.Command(r.bin, args...)
	cmd.Dir, cmd.Env = dir, r.env
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start(), where)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	deadline := time.Now().Add(30 * time.Second)
	for !ready(stdout.String()) {
		select {
		case err := <-done:
			t.Fatalf("%s\nkalshi %s ended before it was ready: %v\nstdout:\n%s\nstderr:\n%s", where, strings.Join(args, " "), err, stdout.String(), stderr.String())
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			<-done
			t.Fatalf("%s\nkalshi %s was not ready in 30 s\nstdout:\n%s\nstderr:\n%s", where, strings.Join(args, " "), stdout.String(), stderr.String())
		}
		r.trade(t) // activity for the feed commands
	}
	if hasArg(args, "fake-exchange") {
		// It serves: a command against the URL it printed succeeds.
		url := strings.SplitN(stdout.String(), "\n", 2)[0]
		out, err := exec.Command(r.bin, "--base-url", url, "exchange", "status").CombinedOutput()
		require.NoError(t, err, "%s\nexchange status against %s: %s", where, url, out)
	}
	require.NoError(t, cmd.Process.Signal(os.Interrupt))
	select {
	case err := <-done:
		require.NoError(t, err, "%s\nexit status after the interrupt\nstdout:\n%s\nstderr:\n%s", where, stdout.String(), stderr.String())
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("%s\nkalshi %s did not stop within 30 s of the interrupt", where, strings.Join(args, " "))
	}
}

// trade buys one contract of the README's market from the house, so
// feeds of trades, tickers and books have something to send.
func (r *readmeRunner) trade(t *testing.T) {
	t.Helper()
	_, err := r.client.CreateOrderV2(context.Background(), gen.CreateOrderV2Request{
		Ticker:                  readmeTicker,
		Side:                    gen.BookSideBid,
		Price:                   money.MustDollars("0.70"),
		Count:                   money.MustCount("1"),
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceImmediateOrCancel,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	require.NoError(t, err)
}

// readmeModule finds the module path in go.mod.
var readmeModule = regexp.MustCompile(`(?m)^module\s+(\S+)`)

// checkGo checks a go command line of the README without running it.
func (r *readmeRunner) checkGo(t *testing.T, where, dir string, args []string) {
	t.Helper()
	goMod, err := os.ReadFile(filepath.Join(moduleDir(dir), "go.mod"))
	require.NoError(t, err)
	module := readmeModule.FindSubmatch(goMod)
	require.NotNil(t, module, "go.mod has no module line")
	modulePath := string(module[1])

	verb, rest := args[0], args[1:]
	var pkgs []string
	var runPattern, benchPattern string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "-run" || a == "-bench":
			require.Less(t, i+1, len(rest), where)
			if a == "-run" {
				runPattern = rest[i+1]
			} else {
				benchPattern = rest[i+1]
			}
			i++
		case strings.HasPrefix(a, "-"):
			// a flag without a value of its own (-race, -v) or a program's flag
			if verb == "run" && len(pkgs) > 0 {
				i = len(rest) // the rest are the program's arguments
			}
		case a == "." || strings.HasPrefix(a, "./"):
			pkgs = append(pkgs, "./"+filepath.ToSlash(filepath.Join(dir, a)))
		case strings.HasPrefix(a, modulePath):
			path, _, _ := strings.Cut(a, "@")
			if verb == "get" {
				// this module, or one of its nested modules (a directory with a go.mod)
				if path != modulePath {
					require.FileExists(t, filepath.Join(moduleDir(dir), strings.TrimPrefix(path, modulePath+"/"), "go.mod"), "%s: go get names another module", where)
				}
				continue
			}
			pkgs = append(pkgs, "./"+filepath.ToSlash(filepath.Join(moduleDir(dir), strings.TrimPrefix(path, modulePath))))
		default:
			if verb == "run" && len(pkgs) > 0 {
				i = len(rest)
			}
		}
	}
	if verb == "get" {
		return
	}
	require.NotEmpty(t, pkgs, "%s: no package of this module named", where)
	for _, p := range pkgs {
		name := goList(t, where, p)
		if verb == "run" || verb == "install" {
			require.Equal(t, "main", name, "%s: %s is not a command", where, p)
		}
	}
	if verb == "test" && (runPattern != "" || benchPattern != "") {
		listArgs := []string{"test", "-list", runPattern}
		if benchPattern != "" && runPattern != "" && runPattern != "^$" {
			listArgs = []string{"test", "-list", runPattern + "|" + benchPattern}
		} else if benchPattern != "" {
			listArgs = []string{"test", "-list", benchPattern}
		}
		mod := moduleDir(strings.TrimSuffix(pkgs[0], "/..."))
		for i, p := range pkgs {
			rel, err := filepath.Rel(mod, strings.TrimSuffix(p, "/..."))
			require.NoError(t, err, where)
			pkgs[i] = "./" + filepath.ToSlash(rel) + strings.TrimPrefix(p, strings.TrimSuffix(p, "/..."))
		}
		out, err := exec.Command("go", append([]string{"-C", mod}, append(listArgs, pkgs...)...)...).CombinedOutput()
		require.NoError(t, err, "%s: %s", where, out)
		names := 0
		for _, l := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(l, "Test") || strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "Example") || strings.HasPrefix(l, "Fuzz") {
				names++
			}
		}
		require.NotZero(t, names, "%s: no test or benchmark matches:\n%s", where, out)
	}
}

// moduleDir returns the directory of the module that holds dir (both
// relative to the repository root).
func moduleDir(dir string) string {
	mod := filepath.Clean(dir)
	for mod != "." {
		if _, err := os.Stat(filepath.Join(mod, "go.mod")); err == nil {
			break
		}
		mod = filepath.Dir(mod)
	}
	return mod
}

// goList returns the name of the package at pattern (relative to the
// repository root), listing it in the module that holds it, which may be
// a module of its own.
func goList(t *testing.T, where, pattern string) string {
	t.Helper()
	mod := moduleDir(strings.TrimSuffix(pattern, "/..."))
	rel, err := filepath.Rel(mod, filepath.Clean(pattern))
	require.NoError(t, err)
	out, err := exec.Command("go", "-C", mod, "list", "-f", "{{.Name}}", "./"+filepath.ToSlash(rel)).CombinedOutput()
	require.NoError(t, err, "%s: go list %s: %s", where, pattern, out)
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}

type readmeLine struct {
	n    int // line number in README.md
	text string
}

type readmeBlock struct{ lines []readmeLine }

// readmeShellBlocks returns the fenced code blocks of a Markdown text
// whose info string is empty or names a shell, with continued lines
// (ending in a backslash) joined and comments removed.
func readmeShellBlocks(md string) []readmeBlock {
	var blocks []readmeBlock
	var cur *readmeBlock
	pending, pendingN := "", 0
	sc := bufio.NewScanner(strings.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if fence, ok := strings.CutPrefix(strings.TrimSpace(line), "```"); ok {
			if cur != nil {
				blocks = append(blocks, *cur)
				cur = nil
			} else if info := strings.TrimSpace(fence); info == "" || info == "sh" || info == "shell" || info == "bash" || info == "console" {
				cur = &readmeBlock{}
			} else {
				cur = nil
				// skip a block of another language up to its closing fence
				for sc.Scan() {
					n++
					if strings.HasPrefix(strings.TrimSpace(sc.Text()), "```") {
						break
					}
				}
			}
			continue
		}
		if cur == nil {
			continue
		}
		if pending == "" {
			pendingN = n
		}
		text := stripShellComment(line)
		if strings.HasSuffix(strings.TrimSpace(text), `\`) {
			pending += strings.TrimSuffix(strings.TrimSpace(text), `\`) + " "
			continue
		}
		cur.lines = append(cur.lines, readmeLine{n: pendingN, text: strings.TrimSpace(pending + text)})
		pending = ""
	}
	return blocks
}

// stripShellComment removes a # comment that starts a word, outside quotes.
func stripShellComment(line string) string {
	var quote rune
	for i, c := range line {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			return line[:i]
		}
	}
	return line
}

// readmeWords splits a command line into words as a shell would, for the
// quoting the README uses: single and double quotes, no expansions.
func readmeWords(line string) []string {
	var words []string
	var w strings.Builder
	inWord := false
	var quote rune
	for _, c := range line {
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else {
				w.WriteRune(c)
			}
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// fill replaces placeholder words with the values captured for them.
func fill(t *testing.T, where string, args []string, vars map[string]string) []string {
	t.Helper()
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		for _, c := range readmeCaptures {
			if a == c.placeholder {
				v, ok := vars[a]
				require.True(t, ok, "%s: %s is used before a command prints it", where, a)
				out[i] = v
			}
		}
	}
	return out
}

func hasArg(args []string, want string) bool {
	for _, a := range args {
		if a == want {
			return true
		}
	}
	return false
}

// withFlag sets flag to value, replacing a value already given.
func withFlag(args []string, flag, value string) []string {
	out := make([]string, 0, len(args)+2)
	for i := 0; i < len(args); i++ {
		if args[i] == flag && i+1 < len(args) {
			i++
			continue
		}
		if strings.HasPrefix(args[i], flag+"=") {
			continue
		}
		out = append(out, args[i])
	}
	return append(out, flag, value)
}

// lockedBuffer is a bytes.Buffer a running command writes while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
