// Command marketmaker is an example market maker: it quotes both sides of
// one market from the live order book, moves its quotes when the book
// moves, keeps its position within a limit, cancels everything when it
// stops (Ctrl-C, SIGTERM or -duration), and then reconciles its fills,
// position and balance with the exchange's.
//
//	go run ./examples/marketmaker -fake -duration 10s       # against an in-process fake exchange
//	go run ./examples/marketmaker -ticker KXHIGHNY-26JUN12-B80.5 -size 1 -limit 5
//
// Against Kalshi it uses the KALSHI_* environment variables (the demo
// exchange unless KALSHI_ENV=prod) and assumes the account does nothing
// else in the market meanwhile. With -fake a second account trades
// against the quotes so that fills happen.
//
// The strategy is deliberately simple: bid one tick above the best bid of
// the others and offer one tick below their best offer when the spread
// leaves room, else join them; quotes are post-only, on the market's price
// grid, and never more than -size contracts. A side whose fill could take
// the position past -limit contracts (long or short) is quoted smaller or
// not at all. It is an example of the library, not a trading strategy.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/examples/internal/target"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// config is what the flags set.
type config struct {
	fake     bool
	duration time.Duration
	ticker   string      // "" picks an open market of the fake exchange
	size     money.Count // contracts per quote
	limit    money.Count // largest position, long or short
	every    time.Duration
}

func main() {
	var cfg config
	var size, limit string
	flag.BoolVar(&cfg.fake, "fake", false, "run against an in-process fake exchange instead of Kalshi")
	flag.DurationVar(&cfg.duration, "duration", 0, "stop after this long (0: until interrupted)")
	flag.StringVar(&cfg.ticker, "ticker", "", "the market `TICKER` to quote (with -fake, default an open market)")
	flag.StringVar(&size, "size", "1", "contracts per quote")
	flag.StringVar(&limit, "limit", "5", "largest position in contracts, long or short")
	flag.Parse()
	var err error
	if cfg.size, err = money.ParseCount(size); err != nil || cfg.size.Sign() <= 0 {
		target.Fatal(fmt.Errorf("-size %q: want a positive number of contracts", size))
	}
	if cfg.limit, err = money.ParseCount(limit); err != nil || cfg.limit.Sign() < 0 {
		target.Fatal(fmt.Errorf("-limit %q: want a number of contracts, 0 or more", limit))
	}
	cfg.every = 50 * time.Millisecond
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t, err := target.Open(cfg.fake)
	if err != nil {
		target.Fatal(err)
	}
	defer t.Close()
	rep, err := run(ctx, t, cfg, os.Stderr)
	if rep != nil {
		rep.print(os.Stdout)
	}
	if err != nil {
		t.Close()
		target.Fatal(err)
	}
}

// run quotes until ctx ends or cfg.duration passes, cancels the market's
// resting orders and reconciles. The report comes back whenever quoting
// started, with an error when the books do not agree.
func run(ctx context.Context, t *target.Target, cfg config, log io.Writer) (*report, error) {
	c := t.Client
	if cfg.ticker == "" {
		if t.Fake == nil {
			return nil, errors.New("give the market to quote with -ticker")
		}
		var err error
		if cfg.ticker, err = pickMarket(ctx, c); err != nil {
			return nil, err
		}
	}
	m, err := c.GetMarket(ctx, cfg.ticker)
	if err != nil {
		return nil, err
	}
	grid, err := kalshi.PriceGrid(m.Market)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "quoting %s: %s a side, position limit %s, price grid %s\n", cfg.ticker, cfg.size, cfg.limit, grid)

	// Start clean: orders left from an earlier run would be outside the
	// limits and the reconciliation.
	if _, err := c.CancelOrdersInMarket(ctx, cfg.ticker); err != nil {
		return nil, fmt.Errorf("cancelling earlier orders: %w", err)
	}
	start, err := snapshot(ctx, c, cfg.ticker)
	if err != nil {
		return nil, err
	}

	// The streams outlive the quoting: fills that arrive while the orders
	// are cancelled still count.
	streams, stopStreams := context.WithCancel(context.Background())
	defer stopStreams()
	conn, err := ws.Dial(streams, ws.WithURL(t.WebSocketURL), ws.WithSigner(t.Signer))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	fillSub, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelFill, MarketTickers: []string{cfg.ticker}})
	if err != nil {
		return nil, err
	}
	bookSub, err := conn.Subscribe(ctx, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{cfg.ticker}})
	if err != nil {
		return nil, err
	}
	books := orderbook.NewManager()
	go func() { _ = books.Run(streams, bookSub) }()
	moved := make(chan struct{}, 1)
	go func() {
		for range books.Changes(streams) {
			select { // one pending wake-up is enough: the book is read afresh
			case moved <- struct{}{}:
			default:
			}
		}
	}()
	fills := make(chan *ws.Fill, 256)
	go func() {
		for msg, err := range fillSub.Messages(streams) {
			if err != nil {
				return
			}
			if f, ok := msg.(*ws.Fill); ok {
				select {
				case fills <- f:
				case <-streams.Done():
					return
				}
			}
		}
	}()

	if cfg.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.duration)
		defer cancel()
	}
	if err := t.TradeAgainst(ctx, cfg.ticker, cfg.every); err != nil {
		return nil, err
	}
	mk := &maker{c: c, ticker: cfg.ticker, grid: grid, size: cfg.size, limit: cfg.limit, books: books, log: log,
		pos: start.position, placed: map[string]bool{}}
quoting:
	for {
		select {
		case <-ctx.Done():
			break quoting
		case <-moved:
		case f := <-fills:
			mk.onFill(f)
		}
		mk.requote(ctx)
	}

	// Shut down with a context of its own: ctx has ended.
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := c.CancelOrdersInMarket(sctx, cfg.ticker)
	if err != nil {
		return nil, fmt.Errorf("cancelling on shutdown: %w", err)
	}
	fmt.Fprintf(log, "stopped: canceled %d resting orders\n", len(res.Canceled))
	return mk.reconcile(sctx, start, fills)
}

// pickMarket returns an open market of the fake exchange with bids and
// offers.
func pickMarket(ctx context.Context, c *kalshi.Client) (string, error) {
	status := gen.GetMarketsParamsStatusOpen
	for m, err := range c.GetMarketsIter(ctx, &gen.GetMarketsParams{Status: &status}) {
		if err != nil {
			return "", err
		}
		if m.YesBidDollars.Sign() > 0 && m.YesAskDollars.Cmp(money.One) < 0 && m.YesBidDollars.Cmp(m.YesAskDollars) < 0 {
			return m.Ticker, nil
		}
	}
	return "", errors.New("no open market with bids and offers")
}

// side indexes the maker's two quotes.
type side int

const (
	bid side = iota // buys YES
	ask             // sells YES
)

func (s side) String() string { return [...]string{"bid", "ask"}[s] }

func (s side) bookSide() gen.BookSide {
	if s == bid {
		return gen.BookSideBid
	}
	return gen.BookSideAsk
}

// quote is one of the maker's resting orders.
type quote struct {
	id        string
	price     money.Dollars // YES price
	filled    money.Count
	remaining money.Count
}

// maker holds the quoting state. Only run's loop touches it.
type maker struct {
	c           *kalshi.Client
	ticker      string
	grid        money.Grid
	size, limit money.Count
	books       *orderbook.Manager
	log         io.Writer

	pos     money.Count // the position, from the fill stream
	maxAbs  money.Count // the largest |pos| seen
	fills   int         // fills seen on the stream
	quotes  [2]*quote
	placed  map[string]bool // every order ID placed
	actions struct{ creates, amends, cancels, refused int }
}

// onFill applies one of the account's fills from the stream.
func (mk *maker) onFill(f *ws.Fill) {
	if f.MarketTicker != mk.ticker {
		return
	}
	mk.fills++
	mk.pos = f.PostPosition
	mk.maxAbs = mk.maxAbs.Max(mk.pos.Abs())
	for s, q := range mk.quotes {
		if q != nil && q.id == f.OrderID {
			q.filled = q.filled.Add(f.Count)
			q.remaining = q.remaining.Sub(f.Count)
			if q.remaining.Sign() <= 0 {
				mk.quotes[s] = nil
			}
		}
	}
	fmt.Fprintf(mk.log, "fill: %s %s @ %s, position %s\n", f.BookSide, f.Count, f.YesPrice, mk.pos)
}

// requote works out the quotes the book calls for and moves the resting
// orders there.
func (mk *maker) requote(ctx context.Context) {
	if ctx.Err() != nil {
		return
	}
	var ready, okBid, okAsk bool
	var others [2]money.Dollars // the best bid and offer of everyone else
	mk.books.View(mk.ticker, func(b *orderbook.Book) {
		if ready = b.Ready(); !ready {
			return
		}
		others[bid], okBid = othersBest(b.Depth(orderbook.Yes, 0), mk.quotes[bid], false)
		// A YES offer at p rests as a NO bid at 1 − p.
		var noBid money.Dollars
		noBid, okAsk = othersBest(b.Depth(orderbook.No, 0), mk.quotes[ask], true)
		others[ask] = money.One.Sub(noBid)
	})
	if !ready || !okBid || !okAsk || others[bid].Cmp(others[ask]) >= 0 {
		// No two-sided market to quote from (or a book being resynced): quote nothing.
		mk.set(ctx, bid, money.Zero, money.Count{})
		mk.set(ctx, ask, money.Zero, money.Count{})
		return
	}
	px := others
	if up, ok := mk.grid.Next(others[bid]); ok {
		if down, ok := mk.grid.Prev(others[ask]); ok && up.Cmp(down) < 0 {
			px = [2]money.Dollars{up, down} // room to improve both sides
		}
	}
	// Buying raises the position and selling lowers it: quote no more than
	// the limit allows.
	size := [2]money.Count{mk.size.Min(mk.limit.Sub(mk.pos)), mk.size.Min(mk.limit.Add(mk.pos))}
	var prices [2]money.Dollars
	for _, s := range []side{bid, ask} {
		p, ok := mk.grid.Floor(px[s])
		if s == ask {
			p, ok = mk.grid.Ceil(px[s])
		}
		if !ok {
			size[s] = money.Count{}
		}
		prices[s] = p
	}
	// When the market moves, the new bid may reach the ask still resting
	// (or the new ask the bid): a post-only order would then cross the
	// maker's own quote and be refused. Move the side in the way first.
	order := []side{bid, ask}
	if q := mk.quotes[ask]; q != nil && size[bid].Sign() > 0 && prices[bid].Cmp(q.price) >= 0 {
		order = []side{ask, bid}
	}
	for _, s := range order {
		mk.set(ctx, s, prices[s], size[s])
	}
}

// othersBest returns the best bid in levels (best first) that is not only
// the maker's own quote q; on the NO ladder (no), q's YES price p rests at
// 1 − p.
func othersBest(levels []orderbook.Level, q *quote, no bool) (money.Dollars, bool) {
	for _, l := range levels {
		size := l.Count
		if q != nil && (l.Price == q.price && !no || l.Price == money.One.Sub(q.price) && no) {
			size = size.Sub(q.remaining)
		}
		if size.Sign() > 0 {
			return l.Price, true
		}
	}
	return money.Zero, false
}

// set makes side s rest size contracts at price (nothing when size is not
// positive). Moving away from the other side is an amend, which can never
// cross; moving toward it is a cancel and a new post-only order, so the
// maker never takes liquidity.
func (mk *maker) set(ctx context.Context, s side, price money.Dollars, size money.Count) {
	q := mk.quotes[s]
	switch {
	case size.Sign() <= 0:
		if q != nil {
			mk.cancel(ctx, s)
		}
		return
	case q == nil:
		mk.create(ctx, s, price, size)
		return
	case q.price == price && q.remaining == size:
		return
	}
	away := price.Cmp(q.price) < 0
	if s == ask {
		away = price.Cmp(q.price) > 0
	}
	if q.price == price || away {
		mk.amend(ctx, s, price, size)
		return
	}
	if mk.cancel(ctx, s) {
		mk.create(ctx, s, price, size)
	}
}

func (mk *maker) create(ctx context.Context, s side, price money.Dollars, size money.Count) {
	postOnly := true
	resp, err := mk.c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: mk.ticker, Side: s.bookSide(), Price: price, Count: size, PostOnly: &postOnly,
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceGoodTillCanceled,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	if err != nil {
		if ctx.Err() != nil {
			// Cut short by the shutdown, not refused; if the order was
			// placed after all, the shutdown's cancel of the market takes it.
			return
		}
		mk.actions.refused++
		fmt.Fprintf(mk.log, "quote %s %s @ %s refused: %v\n", s, size, price, err)
		return
	}
	mk.actions.creates++
	mk.placed[resp.OrderID] = true
	if resp.RemainingCount.Sign() > 0 {
		mk.quotes[s] = &quote{id: resp.OrderID, price: price, filled: resp.FillCount, remaining: resp.RemainingCount}
	}
}

func (mk *maker) amend(ctx context.Context, s side, price money.Dollars, size money.Count) {
	q := mk.quotes[s]
	resp, err := mk.c.AmendOrderV2(ctx, q.id, nil, gen.AmendOrderV2Request{
		Ticker: mk.ticker, Side: s.bookSide(), Price: price, Count: q.filled.Add(size),
	})
	if err != nil {
		if ctx.Err() == nil {
			fmt.Fprintf(mk.log, "amend %s %s refused: %v\n", s, q.id, err)
		}
		mk.cancel(ctx, s) // whatever it is now, it is not the quote we want
		return
	}
	mk.actions.amends++
	if resp.OrderID != "" && resp.OrderID != q.id {
		q.id = resp.OrderID
		mk.placed[q.id] = true
	}
	q.price, q.remaining = price, size
	if resp.FillCount != nil {
		q.filled = *resp.FillCount
	}
	if resp.RemainingCount != nil {
		q.remaining = *resp.RemainingCount
	}
	if q.remaining.Sign() <= 0 {
		mk.quotes[s] = nil
	}
}

// cancel takes side s's quote off the book and reports whether it is gone.
func (mk *maker) cancel(ctx context.Context, s side) bool {
	q := mk.quotes[s]
	_, err := mk.c.CancelOrderV2(ctx, q.id, &gen.CancelOrderV2Params{MarketTicker: &mk.ticker})
	if err != nil && !errors.Is(err, kalshi.ErrNotFound) {
		if ctx.Err() == nil {
			fmt.Fprintf(mk.log, "cancel %s %s failed: %v\n", s, q.id, err)
		}
		return false
	}
	mk.actions.cancels++
	mk.quotes[s] = nil
	return true
}
