package kalshitest_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// The markets the RFQ tests trade, two of one event and one of another;
// none has resting orders, so every trade in them is an RFQ's or a block
// trade's.
const (
	rfqEvent   = "KXRFQ-26JUN12"
	rfqMarket  = "KXRFQ-26JUN12-T50"
	rfqMarket2 = "KXRFQ-26JUN12-T60"
	rfqMarket3 = "KXRFQOTHER-26JUN12-T1"
)

// rfqServer starts a fake exchange with only the RFQ tests' markets.
func rfqServer(t *testing.T, opts ...kalshitest.Option) *kalshitest.Server {
	t.Helper()
	all := append([]kalshitest.Option{
		kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: rfqMarket}),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: rfqMarket2}),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: rfqMarket3}),
	}, opts...)
	srv := kalshitest.NewServer(all...)
	t.Cleanup(srv.Close)
	return srv
}

// rfqTrader is an account of its own with a REST client, which fails the
// test on any drift of a response from the spec, and a signer for the
// WebSocket.
type rfqTrader struct {
	id     string
	c      *kalshi.Client
	signer *signing.Signer
}

func newRFQTrader(t *testing.T, srv *kalshitest.Server, keyID, balance string) rfqTrader {
	t.Helper()
	key, _ := newKey(t, signing.Ed25519)
	id := srv.AddAccount(keyID, key.Public(), usd(balance))
	s, err := signing.New(keyID, key)
	require.NoError(t, err)
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(s), kalshi.WithRetry(kalshi.NoRetry()),
		kalshi.WithDriftReporter(func(d kalshi.Drift) { t.Errorf("%s drifts from the spec: %+v", keyID, d) }))
	require.NoError(t, err)
	return rfqTrader{id: id, c: c, signer: s}
}

// commsID is the trader's communications ID.
func (tr rfqTrader) commsID(t *testing.T) string {
	t.Helper()
	res, err := tr.c.GetCommunicationsID(ctxFor(t))
	require.NoError(t, err)
	return res.CommunicationsID
}

// rfq creates an RFQ for count contracts on market.
func (tr rfqTrader) rfq(t *testing.T, market, count string) string {
	t.Helper()
	res, err := tr.c.CreateRFQ(ctxFor(t), gen.CreateRFQRequest{MarketTicker: market, ContractsFp: ptr(qty(count))})
	require.NoError(t, err)
	return res.ID
}

// quote quotes on an RFQ.
func (tr rfqTrader) quote(t *testing.T, rfqID, yes, no string) string {
	t.Helper()
	res, err := tr.c.CreateQuote(ctxFor(t), gen.CreateQuoteRequest{RFQID: rfqID, YesBid: usd(yes), NoBid: usd(no)})
	require.NoError(t, err)
	return res.ID
}

// getQuote fetches a quote as the trader sees it.
func (tr rfqTrader) getQuote(t *testing.T, rfqID, quoteID string) gen.Quote {
	t.Helper()
	res, err := tr.c.GetRFQQuote(ctxFor(t), rfqID, quoteID)
	require.NoError(t, err)
	return res.Quote
}

// getRFQ fetches an RFQ as the trader sees it.
func (tr rfqTrader) getRFQ(t *testing.T, rfqID string) gen.RFQ {
	t.Helper()
	res, err := tr.c.GetRFQ(ctxFor(t), rfqID)
	require.NoError(t, err)
	return res.RFQ
}

// fills lists the trader's fills, newest first.
func (tr rfqTrader) fills(t *testing.T) []gen.Fill {
	t.Helper()
	res, err := tr.c.GetFills(ctxFor(t), nil)
	require.NoError(t, err)
	return res.Fills
}

// balance is the trader's available cash.
func (tr rfqTrader) balance(t *testing.T) string {
	t.Helper()
	res, err := tr.c.GetBalance(ctxFor(t), nil)
	require.NoError(t, err)
	return res.BalanceDollars.String()
}

// position is the trader's position in a market.
func (tr rfqTrader) position(t *testing.T, market string) gen.MarketPosition {
	t.Helper()
	res, err := tr.c.GetPositions(ctxFor(t), &gen.GetPositionsParams{Ticker: ptr(market)})
	require.NoError(t, err)
	require.Len(t, res.MarketPositions, 1)
	return res.MarketPositions[0]
}

// rfqClock is an exchange clock the test moves by hand.
type rfqClock struct {
	mu  sync.Mutex
	now time.Time
}

func newRFQClock() *rfqClock { return &rfqClock{now: time.Now().UTC()} }

func (c *rfqClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *rfqClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
