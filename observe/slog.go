package observe

import (
	"context"
	"log/slog"
)

// Attribute keys of the records Logger writes; they are stable.
const (
	KeyOperation   = "operation"
	KeyMethod      = "method"
	KeyPath        = "path"
	KeyHost        = "host"
	KeyAttempt     = "attempt"
	KeyAttempts    = "attempts"
	KeyStatus      = "status"
	KeyErrorCode   = "error_code"
	KeyDuration    = "duration"
	KeyBytes       = "bytes"
	KeyError       = "err"
	KeyRetryReason = "retry_reason"
	KeyWait        = "wait"
	KeyBucket      = "bucket"
	KeyTokens      = "tokens"
	KeyWaited      = "waited"
	KeyAvailable   = "available"
	KeyEvent       = "event"
	KeyChannel     = "channel"
	KeySID         = "sid"
	KeyMarket      = "market_ticker"
	KeyExpected    = "expected"
	KeyGot         = "got"
	KeyDropped     = "dropped"
	KeyLag         = "lag"
	KeyReason      = "reason"
)

// Logger returns an observer that writes events to l: each attempt, each
// rate-limit draw that waited and each successful call at Debug; retries,
// reconnects, resubscriptions, resyncs and calls the exchange refused
// (4xx) at Info; sequence gaps, dropped messages, lost connections and
// calls that failed otherwise at Warn; a feed that gives up at Error.
// Attribute names are the Key constants.
func Logger(l *slog.Logger) Observer {
	if l == nil {
		return nil
	}
	return slogObserver{l}
}

type slogObserver struct{ l *slog.Logger }

func (o slogObserver) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	o.l.LogAttrs(ctx, level, msg, attrs...)
}

func (o slogObserver) CallStart(ctx context.Context, _ *Call) context.Context { return ctx }

func (o slogObserver) CallEnd(ctx context.Context, c *Call) {
	level := slog.LevelDebug
	switch {
	case c.Err == nil:
	case c.StatusCode >= 400 && c.StatusCode < 500:
		level = slog.LevelInfo
	default:
		level = slog.LevelWarn
	}
	if !o.l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String(KeyOperation, c.Operation), slog.Int(KeyAttempts, c.Attempts),
		slog.Int(KeyStatus, c.StatusCode), slog.Duration(KeyDuration, c.Duration), slog.Int64(KeyBytes, c.ResponseBytes),
	}
	if c.ErrorCode != "" {
		attrs = append(attrs, slog.String(KeyErrorCode, c.ErrorCode))
	}
	if c.Err != nil {
		attrs = append(attrs, slog.String(KeyError, c.Err.Error()))
	}
	o.log(ctx, level, "kalshi call", attrs...)
}

func (o slogObserver) AttemptStart(ctx context.Context, a *Attempt) context.Context {
	if a.RetryReason != "" && o.l.Enabled(ctx, slog.LevelInfo) {
		o.log(ctx, slog.LevelInfo, "kalshi retry",
			slog.String(KeyOperation, a.Operation), slog.String(KeyMethod, a.Method), slog.String(KeyPath, a.Path),
			slog.Int(KeyAttempt, a.Number), slog.String(KeyRetryReason, a.RetryReason), slog.Duration(KeyWait, a.Wait))
	}
	return ctx
}

func (o slogObserver) AttemptEnd(ctx context.Context, a *Attempt) {
	if !o.l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String(KeyOperation, a.Operation), slog.String(KeyMethod, a.Method), slog.String(KeyHost, a.Host), slog.String(KeyPath, a.Path),
		slog.Int(KeyAttempt, a.Number), slog.Int(KeyStatus, a.StatusCode), slog.Duration(KeyDuration, a.Duration),
	}
	if a.Err != nil {
		attrs = append(attrs, slog.String(KeyError, a.Err.Error()))
	}
	o.log(ctx, slog.LevelDebug, "kalshi attempt", attrs...)
}

func (o slogObserver) RateLimitWait(ctx context.Context, w RateLimitWait) {
	level := slog.LevelDebug
	if w.Err != nil {
		level = slog.LevelWarn
	} else if w.Waited == 0 {
		return
	}
	if !o.l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String(KeyOperation, w.Operation), slog.String(KeyBucket, string(w.Bucket)), slog.Int(KeyTokens, w.Tokens),
		slog.Duration(KeyWaited, w.Waited), slog.Float64(KeyAvailable, w.Available),
	}
	if w.Err != nil {
		attrs = append(attrs, slog.String(KeyError, w.Err.Error()))
	}
	o.log(ctx, level, "kalshi rate-limit wait", attrs...)
}

// feedLevels are the levels of the feed's events.
var feedLevels = map[FeedKind]slog.Level{
	FeedConnected:       slog.LevelInfo,
	FeedDisconnected:    slog.LevelWarn,
	FeedReconnectFailed: slog.LevelWarn,
	FeedGaveUp:          slog.LevelError,
	FeedResubscribed:    slog.LevelInfo,
	FeedGap:             slog.LevelWarn,
	FeedResync:          slog.LevelInfo,
	FeedDropped:         slog.LevelWarn,
	FeedLag:             slog.LevelDebug,
	FeedUndecodable:     slog.LevelWarn,
}

func (o slogObserver) Feed(ctx context.Context, e FeedEvent) {
	level, ok := feedLevels[e.Kind]
	if !ok {
		level = slog.LevelInfo
	}
	if !o.l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{slog.String(KeyEvent, string(e.Kind))}
	if e.Host != "" {
		attrs = append(attrs, slog.String(KeyHost, e.Host))
	}
	if e.Channel != "" {
		attrs = append(attrs, slog.String(KeyChannel, e.Channel))
	}
	if e.SID != 0 {
		attrs = append(attrs, slog.Int64(KeySID, e.SID))
	}
	if e.MarketTicker != "" {
		attrs = append(attrs, slog.String(KeyMarket, e.MarketTicker))
	}
	switch e.Kind {
	case FeedConnected, FeedReconnectFailed:
		attrs = append(attrs, slog.Int(KeyAttempt, e.Attempt))
	case FeedGap:
		attrs = append(attrs, slog.Int64(KeyExpected, e.Expected), slog.Int64(KeyGot, e.Got))
	case FeedDropped:
		attrs = append(attrs, slog.Int(KeyDropped, e.Dropped))
	case FeedLag:
		attrs = append(attrs, slog.Duration(KeyLag, e.Lag))
	case FeedResubscribed:
		attrs = append(attrs, slog.String(KeyReason, e.Reason))
	}
	if e.Err != nil {
		attrs = append(attrs, slog.String(KeyError, e.Err.Error()))
	}
	o.log(ctx, level, "kalshi feed "+string(e.Kind), attrs...)
}
