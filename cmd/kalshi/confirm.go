package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// confirm asks before a command writes to the production exchange (real
// money): "Proceed? [y/N]" on stderr, the answer from stdin. --yes skips
// the question. A standard input that is a pipe or a file cannot answer,
// so the command is refused rather than guessed at; an empty answer or end
// of input is a no. On demo it asks nothing.
func (a *app) confirm(action string) error {
	env, err := a.environment()
	if err != nil {
		return err
	}
	if !env.IsProduction() || a.yes {
		return nil
	}
	if !a.interactive() {
		return fmt.Errorf("kalshi: refusing to %s on prod without --yes: standard input is not a terminal to confirm on", action)
	}
	fmt.Fprintf(a.stderr, "About to %s on PRODUCTION (real money). Proceed? [y/N] ", action)
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(a.stderr)
		return errAborted
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	return errAborted
}

// interactive reports whether stdin can answer a question: a terminal, or
// a reader that is not a file at all (as tests pass).
func (a *app) interactive() bool {
	if a.stdin == nil {
		return false
	}
	f, ok := a.stdin.(*os.File)
	if !ok {
		return true
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
