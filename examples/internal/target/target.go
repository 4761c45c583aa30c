// Package target gives the example programs the exchange they run against:
// Kalshi, from the KALSHI_* environment variables (the demo exchange unless
// KALSHI_ENV=prod), or with Fake an in-process kalshitest exchange, so that
// every example runs with one command and no account.
package target

import (
	"context"
	"crypto"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Target is a signed client and the WebSocket URL beside it.
type Target struct {
	Client       *kalshi.Client
	Signer       *signing.Signer
	WebSocketURL string
	// Fake is the in-process exchange, nil against Kalshi.
	Fake *kalshitest.Server
}

// Open connects to Kalshi from the environment, or to a new fake exchange
// when fake is true (opts configure it).
func Open(fake bool, opts ...kalshitest.Option) (*Target, error) {
	if fake {
		return openFake(opts...)
	}
	c, err := kalshi.NewFromEnv()
	if err != nil {
		return nil, err
	}
	if c.Signer() == nil {
		return nil, fmt.Errorf("set %s and %s (or %s), or pass -fake to run against a fake exchange",
			kalshi.EnvAPIKeyID, kalshi.EnvPrivateKeyPath, kalshi.EnvPrivateKey)
	}
	return &Target{Client: c, Signer: c.Signer(), WebSocketURL: c.WebSocketURL()}, nil
}

func openFake(opts ...kalshitest.Option) (*Target, error) {
	srv, err := kalshitest.Start(opts...)
	if err != nil {
		return nil, err
	}
	signer, err := register(srv, "example-key", func(id string, key crypto.Signer) { srv.AddAPIKey(id, key.Public()) })
	if err != nil {
		srv.Close()
		return nil, err
	}
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &Target{Client: c, Signer: signer, WebSocketURL: srv.WebSocketURL(), Fake: srv}, nil
}

// register makes an Ed25519 key, lets add register its public half under
// id, and returns a signer for it.
func register(srv *kalshitest.Server, id string, add func(string, crypto.Signer)) (*signing.Signer, error) {
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		return nil, err
	}
	add(id, key)
	return signing.New(id, key)
}

// Close releases the client and stops the fake exchange, if any.
func (t *Target) Close() {
	_ = t.Client.Close()
	if t.Fake != nil {
		t.Fake.Close()
	}
}

// Fatal prints err to stderr and exits with status 1.
func Fatal(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}

// StartTraders makes the fake exchange busy: a second account takes one
// contract of the best offer in a random open market every interval, until
// ctx ends. Against Kalshi it does nothing: the exchange has its own
// traders.
func (t *Target) StartTraders(ctx context.Context, every time.Duration) error {
	if t.Fake == nil {
		return nil
	}
	trader, err := t.fakeAccount("example-trader")
	if err != nil {
		return err
	}
	var tickers []string
	for m, err := range trader.GetMarketsIter(ctx, &gen.GetMarketsParams{Status: ptr(gen.GetMarketsParamsStatusOpen)}) {
		if err != nil {
			trader.Close()
			return err
		}
		tickers = append(tickers, m.Ticker)
	}
	if len(tickers) == 0 {
		trader.Close()
		return errors.New("the fake exchange has no open market")
	}
	go func() {
		defer trader.Close()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			ticker := tickers[rand.IntN(len(tickers))]
			m, err := trader.GetMarket(ctx, ticker)
			if err != nil || m.Market.YesAskDollars.Sign() <= 0 || m.Market.YesAskDollars.Cmp(money.One) >= 0 {
				continue
			}
			_, _ = trader.CreateOrderV2(ctx, gen.CreateOrderV2Request{
				Ticker: ticker, Side: gen.BookSideBid, Price: m.Market.YesAskDollars, Count: money.CountFromInt(1),
				TimeInForce: gen.CreateOrderV2RequestTimeInForceImmediateOrCancel, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
			})
		}
	}()
	return nil
}

// fakeAccount registers a second account on the fake exchange, funded with
// $100,000, and returns a client signing as it.
func (t *Target) fakeAccount(name string) (*kalshi.Client, error) {
	signer, err := register(t.Fake, name, func(id string, key crypto.Signer) {
		t.Fake.AddAccount(id, key.Public(), money.DollarsFromCents(10_000_000))
	})
	if err != nil {
		return nil, err
	}
	return kalshi.New(kalshi.WithBaseURL(t.Fake.URL()), kalshi.WithSigner(signer))
}

// TradeAgainst makes the fake exchange trade against whoever quotes in
// one market: a second account takes one contract of the best bid or the
// best offer, at random, every interval, until ctx ends. Against Kalshi it
// does nothing.
func (t *Target) TradeAgainst(ctx context.Context, ticker string, every time.Duration) error {
	if t.Fake == nil {
		return nil
	}
	trader, err := t.fakeAccount("example-counterparty")
	if err != nil {
		return err
	}
	go func() {
		defer trader.Close()
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			book, err := trader.GetMarketOrderbook(ctx, ticker, nil)
			if err != nil {
				continue
			}
			// Kalshi lists bids in ascending price: the best is the last.
			yes, no := book.OrderbookFp.YesDollars, book.OrderbookFp.NoDollars
			order := gen.CreateOrderV2Request{Ticker: ticker, Count: money.CountFromInt(1),
				TimeInForce: gen.CreateOrderV2RequestTimeInForceImmediateOrCancel, SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross}
			switch buy := rand.IntN(2) == 0; {
			case buy && len(no) > 0: // take the best YES offer: 1 − the best NO bid
				order.Side, order.Price = gen.BookSideBid, money.One.Sub(no[len(no)-1].Price)
			case !buy && len(yes) > 0: // hit the best YES bid
				order.Side, order.Price = gen.BookSideAsk, yes[len(yes)-1].Price
			default:
				continue
			}
			_, _ = trader.CreateOrderV2(ctx, order)
		}
	}()
	return nil
}

func ptr[T any](v T) *T { return &v }
