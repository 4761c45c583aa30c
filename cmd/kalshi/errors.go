package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/seed-c9ca4919/kalshi"
)

// usageError is a mistake in the command line: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelpShown ends a command whose help was asked for: exit status 0.
var errHelpShown = errors.New("help shown")

// errAborted is a confirmation the user declined.
var errAborted = errors.New("aborted: nothing was sent")

// exit reports err on stderr and returns the exit status for it.
func (a *app) exit(err error) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &ue):
		name := "kalshi"
		if a.cmd != nil {
			name += " " + a.cmd.name
		}
		fmt.Fprintf(a.stderr, "%s: %s\n", name, oneLine(ue.msg))
		if a.cmd != nil {
			fmt.Fprintf(a.stderr, "usage: kalshi %s %s\n", a.cmd.name, a.cmd.synopsis)
			fmt.Fprintf(a.stderr, "run \"kalshi help %s\" for its flags\n", a.cmd.name)
		} else {
			fmt.Fprintln(a.stderr, `run "kalshi help" for usage`)
		}
		return exitUsage
	}
	fmt.Fprintln(a.stderr, oneLine(a.describe(err)))
	return exitError
}

// describe turns an error into the one line the user sees: what failed,
// Kalshi's status and code, and what to do about it.
func (a *app) describe(err error) string {
	var (
		apiErr  *kalshi.APIError
		callErr *kalshi.CallError
		urlErr  *url.Error
	)
	switch {
	case errors.As(err, &apiErr):
		msg := apiErr.Error() // "kalshi: Op: 401 code: message (details); hint"
		if apiErr.StatusCode == 401 || apiErr.StatusCode == 403 {
			msg += fmt.Sprintf(" [%s]", a.target())
		}
		return msg
	case errors.Is(err, kalshi.ErrNoCredentials):
		return fmt.Sprintf("kalshi: %s needs an API key: set %s and %s (or %s), or pass --key-id and --private-key FILE; \"kalshi keygen\" makes a key pair",
			a.cmdName(), kalshi.EnvAPIKeyID, kalshi.EnvPrivateKey, kalshi.EnvPrivateKeyPath)
	case errors.Is(err, context.Canceled):
		return "kalshi: interrupted"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("kalshi: %s: timed out waiting for %s; check --env/--base-url and the network", a.cmdName(), a.resolvedBaseURL())
	case errors.As(err, &callErr) && callErr.StatusCode == 0 && callErr.Attempts > 0:
		return fmt.Sprintf("kalshi: %s: cannot reach %s: %v; check --env/--base-url and the network", a.cmdName(), hostOf(a.resolvedBaseURL()), callErr.Err)
	case errors.As(err, &urlErr):
		return fmt.Sprintf("kalshi: %s: cannot reach %s: %v; check --env/--base-url and the network", a.cmdName(), hostOf(urlErr.URL), urlErr.Err)
	case errors.Is(err, errAborted):
		return "kalshi: " + err.Error()
	case errors.Is(err, os.ErrPermission):
		return "kalshi: " + strings.TrimPrefix(err.Error(), "kalshi: ") + " (permission denied)"
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "kalshi: ") {
		msg = "kalshi: " + msg
	}
	return msg
}

// cmdName names the running command for messages.
func (a *app) cmdName() string {
	if a.cmd == nil {
		return "kalshi"
	}
	return a.cmd.name
}

// hostOf returns the scheme and host of a URL, for messages.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return strings.Join(parts, "; ")
}
