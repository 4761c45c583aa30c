package main

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// demoBootstrapKeyID is the key the fake account starts with, standing in
// for the first key a user makes on Kalshi's website.
const demoBootstrapKeyID = "demo-bootstrap-key"

// runDemo shows the library doing its job end to end, offline: an
// embedded fake exchange, a fresh key pair registered with CreateApiKey,
// and, signed with that key, markets, an order book, a resting and a
// crossing order, a cancel, fills, positions and a balance that must
// reconcile to the cent.
func runDemo(a *app, args []string) error {
	fset := a.flags()
	typ := fset.String("type", "rsa", "type of the key pair to make: rsa or ed25519")
	seed := fset.String("seed", "1", "`N` seeds the fake exchange's markets and liquidity")
	if _, err := a.parse(fset, args, 0, 0); err != nil {
		return err
	}
	alg, err := signing.ParseAlgorithm(*typ)
	if err != nil {
		return usageErrorf("--type %q: want rsa or ed25519", *typ)
	}
	n, err := strconv.ParseUint(*seed, 10, 64)
	if err != nil {
		return usageErrorf("--seed %q: want a whole number", *seed)
	}
	d := &demo{a: a}
	return d.run(alg, n)
}

// demo holds the state of one demo run.
type demo struct {
	a    *app
	step int
}

// say starts a numbered step of the narrative.
func (d *demo) say(format string, args ...any) {
	d.step++
	fmt.Fprintf(d.a.stdout, "\n%d. %s\n", d.step, fmt.Sprintf(format, args...))
}

// note prints an indented line under the current step.
func (d *demo) note(format string, args ...any) {
	fmt.Fprintf(d.a.stdout, "   %s\n", fmt.Sprintf(format, args...))
}

// signedBy counts the requests that leave the client, and those signed by
// one key: it sits below the client's signer, where requests are final.
type signedBy struct {
	next          http.RoundTripper
	keyID         string
	total, signed atomic.Int64
}

func (s *signedBy) RoundTrip(req *http.Request) (*http.Response, error) {
	s.total.Add(1)
	if req.Header.Get(signing.HeaderKey) == s.keyID && req.Header.Get(signing.HeaderSignature) != "" {
		s.signed.Add(1)
	}
	return s.next.RoundTrip(req)
}

func (d *demo) run(alg signing.Algorithm, seed uint64) error {
	a, ctx := d.a, d.a.ctx
	fmt.Fprintln(a.stdout, "kalshi demo: the library end to end against an embedded fake exchange; nothing leaves this machine.")

	srv, err := startFake(kalshitest.WithSeed(seed))
	if err != nil {
		return err
	}
	defer srv.Close()
	d.say("Started the fake exchange (kalshitest, seed %d) at %s", seed, srv.URL())

	// The account's first key, as if made on Kalshi's website.
	bootKey, _, _, err := signing.GenerateKey(signing.Ed25519)
	if err != nil {
		return err
	}
	srv.AddAPIKey(demoBootstrapKeyID, bootKey.Public())
	boot, err := signing.New(demoBootstrapKeyID, bootKey)
	if err != nil {
		return err
	}
	bootClient, err := a.clientWith(kalshi.Demo, srv.URL(), boot)
	if err != nil {
		return err
	}

	key, _, publicPEM, err := signing.GenerateKey(alg)
	if err != nil {
		return err
	}
	d.say("Generated a new %s key pair (signing.GenerateKey); its public key:", alg)
	for _, line := range strings.Split(strings.TrimSpace(string(publicPEM)), "\n") {
		d.note("%s", line)
	}

	created, err := bootClient.CreateAPIKey(ctx, gen.CreateAPIKeyRequest{
		Name:      "kalshi demo",
		PublicKey: string(publicPEM),
	})
	if err != nil {
		return err
	}
	keyID := created.APIKeyID
	d.say("Registered it with CreateApiKey: API key ID %s", keyID)
	d.note("(that call was signed by the key the fake account starts with, as if made on Kalshi's website)")

	signer, err := signing.New(keyID, key)
	if err != nil {
		return err
	}
	counter := &signedBy{next: http.DefaultTransport, keyID: keyID}
	c, err := kalshi.New(
		kalshi.WithEnvironment(kalshi.Demo),
		kalshi.WithBaseURL(srv.URL()),
		kalshi.WithSigner(signer),
		kalshi.WithHTTPClient(&http.Client{Transport: counter, Timeout: requestTimeout}),
	)
	if err != nil {
		return err
	}
	d.note("from here on every request is signed with key %s (%s)", keyID, signatureScheme(alg))

	st, err := c.GetExchangeStatus(ctx)
	if err != nil {
		return err
	}
	d.say("GetExchangeStatus: exchange active %s, trading active %s", cell(st.ExchangeActive), cell(st.TradingActive))

	// Walk every open market, 25 to a page, with the iterator.
	limit := int64(25)
	open := gen.GetMarketsParamsStatusOpen
	var markets []gen.Market
	pages := 0
	for m, err := range c.GetMarketsIter(ctx, &gen.GetMarketsParams{Status: &open, Limit: &limit}, kalshi.OnPage(func(p kalshi.PageInfo) { pages = p.Page })) {
		if err != nil {
			return err
		}
		markets = append(markets, m)
	}
	d.say("GetMarketsIter: %d open markets in %d pages of up to %d; the first five:", len(markets), pages, limit)
	t := newTable(indented(a).stdout, "TICKER", "YES BID", "YES ASK", "TITLE")
	for _, m := range markets[:min(5, len(markets))] {
		t.row(m.Ticker, m.YesBidDollars, m.YesAskDollars, marketTitle(m))
	}
	t.flush()

	// Trade the first market with a two-sided book.
	var (
		ticker   string
		book     gen.OrderbookCountFp
		bestBid  money.PriceLevel
		bestAsk  money.Dollars
		askCount money.Count
	)
	for _, m := range markets {
		ob, err := c.GetMarketOrderbook(ctx, m.Ticker, &gen.GetMarketOrderbookParams{})
		if err != nil {
			return err
		}
		yes, no := bestFirst(ob.OrderbookFp.YesDollars), bestFirst(ob.OrderbookFp.NoDollars)
		if len(yes) == 0 || len(no) == 0 || yes[0].Price.Cmp(money.MustDollars("0.03")) < 0 {
			continue
		}
		ticker, book, bestBid = m.Ticker, ob.OrderbookFp, yes[0]
		bestAsk, askCount = money.MustDollars("1").Sub(no[0].Price), no[0].Count
		break
	}
	if ticker == "" {
		return fmt.Errorf("kalshi: demo: no open market with a two-sided book on the fake exchange")
	}
	d.say("GetMarketOrderbook %s:", ticker)
	writeBook(indented(a), book)

	before, err := c.GetBalance(ctx, &gen.GetBalanceParams{})
	if err != nil {
		return err
	}
	startBalance := balanceDollars(before)
	d.say("GetBalance: %s available", startBalance)

	// A bid two cents under the best bid rests on the book.
	restPrice, restCount := bestBid.Price.Sub(money.MustDollars("0.02")), money.MustCount("5")
	resting, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: ticker, Side: gen.BookSideBid, Price: restPrice, Count: restCount,
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceGoodTillCanceled,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	if err != nil {
		return err
	}
	d.say("CreateOrderV2: resting bid, %s YES @ %s (below the best bid %s), good till canceled", restCount, restPrice, bestBid.Price)
	d.note("order %s: filled %s, resting %s", resting.OrderID, resting.FillCount, resting.RemainingCount)

	// A bid at the best ask crosses the spread and fills at once.
	take := money.MustCount("3").Min(askCount)
	crossing, err := c.CreateOrderV2(ctx, gen.CreateOrderV2Request{
		Ticker: ticker, Side: gen.BookSideBid, Price: bestAsk, Count: take,
		TimeInForce:             gen.CreateOrderV2RequestTimeInForceImmediateOrCancel,
		SelfTradePreventionType: gen.SelfTradePreventionTypeTakerAtCross,
	})
	if err != nil {
		return err
	}
	d.say("CreateOrderV2: crossing bid, %s YES @ %s (the best ask), immediate-or-cancel", take, bestAsk)
	d.note("order %s: filled %s, remaining %s", crossing.OrderID, crossing.FillCount, crossing.RemainingCount)
	if crossing.FillCount != take {
		return fmt.Errorf("kalshi: demo: the crossing order filled %s of %s", crossing.FillCount, take)
	}

	canceled, err := c.CancelOrderV2(ctx, resting.OrderID, &gen.CancelOrderV2Params{})
	if err != nil {
		return err
	}
	d.say("CancelOrderV2 %s: %s contracts taken off the book", canceled.OrderID, canceled.ReducedBy)

	var fills []gen.Fill
	for f, err := range c.GetFillsIter(ctx, &gen.GetFillsParams{Ticker: &ticker}) {
		if err != nil {
			return err
		}
		fills = append(fills, f)
	}
	d.say("GetFills: %d fill(s)", len(fills))
	writeFills(indented(a), fills)

	var positions []gen.MarketPosition
	for p, err := range c.GetPositionsMarketPositionsIter(ctx, &gen.GetPositionsParams{Ticker: &ticker}) {
		if err != nil {
			return err
		}
		positions = append(positions, p)
	}
	d.say("GetPositions:")
	writePositions(indented(a), positions)

	after, err := c.GetBalance(ctx, &gen.GetBalanceParams{})
	if err != nil {
		return err
	}
	endBalance := balanceDollars(after)
	d.say("GetBalance: %s available", endBalance)

	if err := d.reconcile(startBalance, endBalance, fills, positions, ticker); err != nil {
		return err
	}
	total, signed := counter.total.Load(), counter.signed.Load()
	if total != signed {
		return fmt.Errorf("kalshi: demo: %d of %d requests were not signed with key %s", total-signed, total, keyID)
	}
	fmt.Fprintf(a.stdout, "\nAll %d requests after registration were signed with %s key %s. Demo complete.\n", signed, alg, keyID)
	return nil
}

// reconcile checks that the fills explain the balance and the position
// exactly: cash spent = cost of the contracts bought + fees.
func (d *demo) reconcile(start, end money.Dollars, fills []gen.Fill, positions []gen.MarketPosition, ticker string) error {
	var cost, fees money.Dollars
	var bought money.Count
	for _, f := range fills {
		price := f.YesPriceDollars
		if f.BookSide == gen.BookSideAsk {
			price = money.MustDollars("1").Sub(price)
			bought = bought.Sub(f.CountFp)
		} else {
			bought = bought.Add(f.CountFp)
		}
		cost = cost.Add(price.Mul(f.CountFp))
		fees = fees.Add(f.FeeCost)
	}
	want := start.Sub(cost).Sub(fees)
	d.say("Reconciliation:")
	d.note("balance %s - contracts %s - fees %s = %s; the exchange says %s", start, cost, fees, want, end)
	if want != end {
		return fmt.Errorf("kalshi: demo: the balance does not reconcile: expected %s, the exchange says %s", want, end)
	}
	var held money.Count
	for _, p := range positions {
		if p.Ticker == ticker {
			held = p.PositionFp
		}
	}
	d.note("position in %s: %s contracts, as the fills add up to %s", ticker, held, bought)
	if held != bought {
		return fmt.Errorf("kalshi: demo: the position does not reconcile: fills add up to %s, the exchange says %s", bought, held)
	}
	return nil
}

// signatureScheme names how alg signs Kalshi requests.
func signatureScheme(alg signing.Algorithm) string {
	if alg == signing.RSA {
		return "RSA-PSS with SHA-256"
	}
	return "Ed25519"
}

// indented returns a copy of a whose tables are indented under a step.
func indented(a *app) *app {
	b := *a
	b.stdout = &indentWriter{w: a.stdout, prefix: "   ", start: true}
	return &b
}

// indentWriter prefixes every line written through it.
type indentWriter struct {
	w      io.Writer
	prefix string
	start  bool
}

func (iw *indentWriter) Write(p []byte) (int, error) {
	var out []byte
	for _, c := range p {
		if iw.start {
			out = append(out, iw.prefix...)
			iw.start = false
		}
		out = append(out, c)
		if c == '\n' {
			iw.start = true
		}
	}
	if _, err := iw.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
