package kalshi

import (
	"errors"
	"log/slog"

	"github.com/seed-c9ca4919/kalshi/observe"
)

// WithObserver reports the client's calls, attempts and rate-limit waits
// to o (see package observe; the otelkalshi module makes OpenTelemetry
// spans and metrics of them). Given more than once, or beside WithLogger,
// every observer gets every event.
func WithObserver(o observe.Observer) Option {
	return func(c *config) error {
		if o == nil {
			return errors.New("kalshi: WithObserver(nil): pass an observe.Observer, or leave the option out")
		}
		c.observer = observe.Join(c.observer, o)
		return nil
	}
}

// WithLogger logs the client's calls, attempts and rate-limit waits to l
// at the levels observe.Logger describes: attempts and waits at Debug,
// retries at Info, failures at Warn.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("kalshi: WithLogger(nil): pass a *slog.Logger, or leave the option out")
		}
		c.observer = observe.Join(c.observer, observe.Logger(l))
		return nil
	}
}
