package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// channels are the WebSocket channels "kalshi watch" takes.
var channels = []string{
	ws.ChannelOrderbookDelta, ws.ChannelTicker, ws.ChannelTrade, ws.ChannelFill,
	ws.ChannelMarketPositions, ws.ChannelMarketLifecycleV2, ws.ChannelMultivariateMarketLifecycle,
	ws.ChannelCommunications, ws.ChannelOrderGroupUpdates, ws.ChannelUserOrders,
	ws.ChannelCFBenchmarksValue, ws.ChannelCFBenchmarksValue5Hz, ws.ChannelPythValue,
}

// marketList is a repeatable, comma-separable --market flag.
type marketList []string

func (m *marketList) String() string { return strings.Join(*m, ",") }

func (m *marketList) Set(v string) error {
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t != "" {
			*m = append(*m, t)
		}
	}
	return nil
}

// webSocketURL is --ws-url, else the client's: the environment's feed, or
// the one beside a --base-url or $KALSHI_BASE_URL that is not Kalshi's (see
// kalshi.Client.WebSocketURL).
func (a *app) webSocketURL(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	env, err := a.environment()
	if err != nil {
		return "", err
	}
	c, err := a.clientWith(env, a.resolvedBaseURL(), nil)
	if err != nil {
		return "", err
	}
	defer c.Close()
	return c.WebSocketURL(), nil
}

// dialWS connects to the WebSocket with the command's credentials; Kalshi
// signs every WebSocket connection, so a key is required.
func (a *app) dialWS(wsURL string) (*ws.Conn, error) {
	s, err := a.signer()
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("%w: the WebSocket feed needs a signed handshake; pass --key-id and --private-key or set %s and %s (or %s)",
			kalshi.ErrNoCredentials, kalshi.EnvAPIKeyID, kalshi.EnvPrivateKey, kalshi.EnvPrivateKeyPath)
	}
	u, err := a.webSocketURL(wsURL)
	if err != nil {
		return nil, err
	}
	opts := []ws.Option{ws.WithURL(u), ws.WithSigner(s)}
	if l := a.logger(); l != nil {
		opts = append(opts, ws.WithLogger(l))
	}
	conn, err := ws.Dial(a.ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("kalshi: connecting to %s: %w", u, err)
	}
	return conn, nil
}

// interrupted reports whether err only says the user stopped the command.
func (a *app) interrupted(err error) bool {
	return a.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, a.ctx.Err()) || errors.Is(err, ws.ErrClosed))
}

// runWatch prints every frame of a channel as a JSON line until
// interrupted (or --count frames). Events of the client itself (a sequence
// gap, a resubscription after a reconnect) go to stderr.
func runWatch(a *app, args []string) error {
	fset := a.flags()
	var markets marketList
	fset.Var(&markets, "market", "market `TICKER` to watch; repeat or separate with commas (required for orderbook_delta)")
	count := fset.Int("count", 0, "stop after `N` frames (default: until interrupted)")
	wsURL := fset.String("ws-url", "", "WebSocket `URL` (default: beside --base-url, else the environment's)")
	pos, err := a.parse(fset, args, 1, 1)
	if err != nil {
		return err
	}
	channel := pos[0]
	if !slices.Contains(channels, channel) {
		return usageErrorf("unknown channel %q: want one of %s", channel, strings.Join(channels, ", "))
	}
	if channel == ws.ChannelOrderbookDelta && len(markets) == 0 {
		return usageErrorf("orderbook_delta needs --market")
	}
	conn, err := a.dialWS(*wsURL)
	if err != nil {
		return err
	}
	defer conn.Close()
	sub, err := conn.Subscribe(a.ctx, ws.Params{Channel: channel, MarketTickers: markets})
	if err != nil {
		return fmt.Errorf("kalshi: subscribing to %s: %w", channel, err)
	}
	n := 0
	for msg, err := range sub.Messages(a.ctx) {
		if err != nil {
			if a.interrupted(err) {
				return nil
			}
			return fmt.Errorf("kalshi: %s: %w", channel, err)
		}
		switch m := msg.(type) {
		case *ws.Gap, *ws.Resubscribed, *ws.Disconnected:
			fmt.Fprintf(a.stderr, "kalshi watch: %s\n", describeEvent(m))
			continue
		}
		frame, err := ws.Encode(msg)
		if err != nil {
			return err
		}
		fmt.Fprintln(a.stdout, string(frame))
		if n++; *count > 0 && n >= *count {
			return nil
		}
	}
	if a.ctx.Err() != nil {
		return nil
	}
	return sub.Err()
}

func describeEvent(m ws.Message) string {
	switch e := m.(type) {
	case *ws.Gap:
		if e.Dropped > 0 {
			return fmt.Sprintf("%d messages dropped by a slow reader; resyncing", e.Dropped)
		}
		return fmt.Sprintf("sequence gap (expected %d, got %d); resyncing", e.Expected, e.Got)
	case *ws.Resubscribed:
		return "subscription restored (" + e.Reason + ")"
	case *ws.Disconnected:
		return fmt.Sprintf("connection lost (%v); reconnecting", e.Err)
	}
	return fmt.Sprintf("%T", m)
}

// watchOrderbook keeps a local book of one market from the WebSocket feed
// and redraws it on every change: in place on a terminal, one after
// another otherwise. It stops when interrupted, or after count redraws.
func watchOrderbook(a *app, ticker string, depth, count int, wsURL string) error {
	conn, err := a.dialWS(wsURL)
	if err != nil {
		return err
	}
	defer conn.Close()
	sub, err := conn.Subscribe(a.ctx, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{ticker}})
	if err != nil {
		return fmt.Errorf("kalshi: subscribing to %s: %w", ticker, err)
	}
	books := orderbook.NewManager()
	terminal := isTerminal(a.stdout)
	var lastDraw time.Time
	drawn := 0
	for msg, err := range sub.Messages(a.ctx) {
		if err != nil {
			if a.interrupted(err) {
				return nil
			}
			return fmt.Errorf("kalshi: %s: %w", ticker, err)
		}
		if books.Handle(msg) {
			sub.Resync()
		}
		switch msg.(type) {
		case *ws.Gap, *ws.Resubscribed, *ws.Disconnected:
			fmt.Fprintf(a.stderr, "kalshi orderbook: %s\n", describeEvent(msg))
			continue
		case *ws.OrderbookSnapshot, *ws.OrderbookDelta:
		default:
			continue
		}
		book, ok := books.Book(ticker)
		if !ok || !book.Ready() {
			continue
		}
		// On a terminal, at most 20 redraws a second: the book is always
		// current, only the screen skips frames.
		if terminal && time.Since(lastDraw) < 50*time.Millisecond && (count == 0 || drawn+1 < count) {
			continue
		}
		lastDraw = time.Now()
		if terminal {
			fmt.Fprint(a.stdout, "\x1b[H\x1b[2J")
		}
		fmt.Fprintf(a.stdout, "%s  (seq %d, %s)\n", ticker, book.Seq(), lastDraw.UTC().Format("15:04:05.000"))
		writeBook(a, bookLevels(book, depth))
		if !terminal {
			fmt.Fprintln(a.stdout)
		}
		if drawn++; count > 0 && drawn >= count {
			return nil
		}
	}
	if a.ctx.Err() != nil {
		return nil
	}
	return sub.Err()
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// bookLevels turns a local book into the REST shape writeBook prints.
func bookLevels(b *orderbook.Book, depth int) gen.OrderbookCountFp {
	return gen.OrderbookCountFp{
		YesDollars: b.Depth(orderbook.Yes, depth),
		NoDollars:  b.Depth(orderbook.No, depth),
	}
}
