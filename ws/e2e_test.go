package ws_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// The end-to-end tests run the client against kalshitest, the fake
// exchange, which serves the WebSocket API from the same state as REST.

// e2eMarket has house bids at 0.45 and 0.44 and asks at 0.50 and 0.52;
// e2eMarket2 has one bid.
const (
	e2eMarket  = "KXE2E-26JUN12-T50"
	e2eMarket2 = "KXE2E-26JUN12-T60"
)

type e2eEnv struct {
	srv    *kalshitest.Server
	signer *signing.Signer
	rest   *kalshi.Client
}

func newE2E(t *testing.T, opts ...kalshitest.Option) *e2eEnv {
	t.Helper()
	level := func(p, c string) money.PriceLevel {
		return money.PriceLevel{Price: money.MustDollars(p), Count: money.MustCount(c)}
	}
	srv := kalshitest.NewServer(append([]kalshitest.Option{
		kalshitest.WithMarkets(0),
		kalshitest.WithMarket(kalshitest.MarketSpec{
			Ticker: e2eMarket,
			Bids:   []money.PriceLevel{level("0.45", "10"), level("0.44", "10")},
			Asks:   []money.PriceLevel{level("0.50", "5"), level("0.52", "10")},
		}),
		kalshitest.WithMarket(kalshitest.MarketSpec{Ticker: e2eMarket2, Bids: []money.PriceLevel{level("0.30", "4")}}),
	}, opts...)...)
	t.Cleanup(srv.Close)
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	srv.AddAPIKey("e2e-key", key.Public())
	signer, err := signing.New("e2e-key", key)
	require.NoError(t, err)
	rest, err := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)
	return &e2eEnv{srv: srv, signer: signer, rest: rest}
}

// dial connects the client with quick reconnects.
func (e *e2eEnv) dial(t *testing.T, opts ...ws.Option) *ws.Conn {
	t.Helper()
	c, err := ws.Dial(ctxT(t), append([]ws.Option{
		ws.WithURL(e.srv.WebSocketURL()),
		ws.WithSigner(e.signer),
		ws.WithReconnectBackoff(ws.ExponentialBackoff(10*time.Millisecond, 100*time.Millisecond)),
		ws.WithCommandTimeout(10 * time.Second),
	}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func (e *e2eEnv) order(t *testing.T, market string, side gen.BookSide, price, count string) *gen.CreateOrderV2Response {
	t.Helper()
	res, err := e.rest.CreateOrderV2(ctxT(t), gen.CreateOrderV2Request{
		Ticker: market, Side: side, Price: money.MustDollars(price), Count: money.MustCount(count),
		TimeInForce: "good_till_canceled", SelfTradePreventionType: "taker_at_cross",
	})
	require.NoError(t, err)
	return res
}

func (e *e2eEnv) restBook(t *testing.T, market string) *orderbook.Book {
	t.Helper()
	res, err := e.rest.GetMarketOrderbook(ctxT(t), market, nil)
	require.NoError(t, err)
	b := orderbook.NewBook(market)
	require.NoError(t, b.ApplySnapshot(&ws.OrderbookSnapshot{MarketTicker: market, Yes: res.OrderbookFp.YesDollars, No: res.OrderbookFp.NoDollars}))
	return b
}

// serverConn returns the fake's single open connection.
func (e *e2eEnv) serverConn(t *testing.T) *kalshitest.WSConn {
	t.Helper()
	conns := e.srv.WSConns()
	require.Len(t, conns, 1)
	return conns[0]
}

// TestE2EChannelsAgreeWithREST subscribes to six channels, places a
// resting and a crossing order over REST, and checks that every frame
// says what REST says afterwards.
func TestE2EChannelsAgreeWithREST(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	c := e.dial(t)
	ctx := ctxT(t)
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{e2eMarket}})
	tick := subscribe(t, c, ws.Params{Channel: ws.ChannelTicker, MarketTickers: []string{e2eMarket}})
	trades := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade, MarketTickers: []string{e2eMarket}})
	fills := subscribe(t, c, ws.Params{Channel: ws.ChannelFill})
	orders := subscribe(t, c, ws.Params{Channel: ws.ChannelUserOrders})
	positions := subscribe(t, c, ws.Params{Channel: ws.ChannelMarketPositions})

	local := orderbook.NewBook(e2eMarket)
	require.NoError(t, local.Apply(nextOf[*ws.OrderbookSnapshot](t, book)))
	assert.True(t, local.Equal(e.restBook(t, e2eMarket)), "snapshot %v", local)

	// A resting bid: a user order and a delta.
	resting := e.order(t, e2eMarket, "bid", "0.40", "10")
	o := nextOf[*ws.UserOrder](t, orders)
	assert.Equal(t, resting.OrderID, o.OrderID)
	assert.Equal(t, "resting", o.Status)
	assert.Equal(t, money.MustCount("10"), o.RemainingCount)
	d := nextOf[*ws.OrderbookDelta](t, book)
	assert.Equal(t, ws.Yes, d.Side)
	assert.Equal(t, money.MustDollars("0.40"), d.Price)
	assert.Equal(t, money.MustCount("10"), d.Delta)
	require.NoError(t, local.Apply(d))

	// A bid that takes the 5 offered at 0.50 and rests 3 at 0.51.
	cross := e.order(t, e2eMarket, "bid", "0.51", "8")
	tr := nextOf[*ws.Trade](t, trades)
	assert.Equal(t, money.MustDollars("0.50"), tr.YesPrice)
	assert.Equal(t, money.MustDollars("0.50"), tr.NoPrice)
	assert.Equal(t, money.MustCount("5"), tr.Count)
	assert.Equal(t, ws.Yes, tr.TakerOutcomeSide)
	assert.Equal(t, ws.Bid, tr.TakerBookSide)
	assert.NotZero(t, tr.Seq, "trade frames are numbered")

	f := nextOf[*ws.Fill](t, fills)
	p := nextOf[*ws.MarketPosition](t, positions)
	o = nextOf[*ws.UserOrder](t, orders)
	assert.Equal(t, cross.OrderID, f.OrderID)
	assert.Equal(t, tr.TradeID, f.TradeID)
	assert.Equal(t, cross.OrderID, o.OrderID)
	assert.Equal(t, money.MustCount("5"), o.FillCount)
	assert.Equal(t, money.MustCount("3"), o.RemainingCount)
	for range 2 {
		require.NoError(t, local.Apply(nextOf[*ws.OrderbookDelta](t, book)))
	}

	// The same facts over REST.
	restFills, err := e.rest.GetFills(ctx, nil)
	require.NoError(t, err)
	require.Len(t, restFills.Fills, 1)
	rf := restFills.Fills[0]
	assert.Equal(t, rf.TradeID, f.TradeID)
	assert.Equal(t, rf.CountFp, f.Count)
	assert.Equal(t, rf.YesPriceDollars, f.YesPrice)
	assert.Equal(t, rf.FeeCost, f.FeeCost)
	assert.Equal(t, *cross.AverageFeePaid, money.MustDollars("0.0175"))
	restPos, err := e.rest.GetPositions(ctx, nil)
	require.NoError(t, err)
	require.Len(t, restPos.MarketPositions, 1)
	rp := restPos.MarketPositions[0]
	assert.Equal(t, rp.PositionFp, p.Position)
	assert.Equal(t, rp.PositionFp, f.PostPosition)
	assert.Equal(t, rp.MarketExposureDollars, p.PositionCost)
	assert.Equal(t, rp.FeesPaidDollars, p.FeesPaid)
	restOrder, err := e.rest.GetOrder(ctx, cross.OrderID)
	require.NoError(t, err)
	assert.Equal(t, restOrder.Order.FillCountFp, o.FillCount)
	assert.Equal(t, restOrder.Order.RemainingCountFp, o.RemainingCount)
	assert.Equal(t, restOrder.Order.TakerFillCostDollars, o.TakerFillCost)
	assert.True(t, local.Equal(e.restBook(t, e2eMarket)), "deltas %v, REST %v", local, e.restBook(t, e2eMarket))

	// The ticker reaches the market's state as REST reports it.
	market, err := e.rest.GetMarket(ctx, e2eMarket)
	require.NoError(t, err)
	m := market.Market
	for {
		tk := nextOf[*ws.Ticker](t, tick)
		if tk.Volume == m.VolumeFp && tk.YesBid == m.YesBidDollars && tk.YesAsk == m.YesAskDollars && tk.OpenInterest == m.OpenInterestFp {
			assert.Equal(t, m.LastPriceDollars, tk.Price)
			assert.Equal(t, m.YesBidSizeFp, tk.YesBidSize)
			assert.Equal(t, m.YesAskSizeFp, tk.YesAskSize)
			break
		}
	}

	// Unsubscribing ends the stream and the server's subscription.
	require.NoError(t, tick.Unsubscribe(ctx))
	assert.ErrorIs(t, tick.Err(), ws.ErrUnsubscribed)
	list, err := c.ListSubscriptions(ctx)
	require.NoError(t, err)
	assert.Len(t, list, 5)
}

// TestE2EReconnectRestoresSubscriptions drops the connection on the
// server and checks that every subscription comes back with its markets
// and that frames flow again.
func TestE2EReconnectRestoresSubscriptions(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	c := e.dial(t)
	ctx := ctxT(t)
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{e2eMarket}})
	nextOf[*ws.OrderbookSnapshot](t, book)
	require.NoError(t, book.AddMarkets(ctx, e2eMarket2))
	nextOf[*ws.OrderbookSnapshot](t, book)
	subs := []*ws.Subscription{
		book,
		subscribe(t, c, ws.Params{Channel: ws.ChannelTicker, MarketTickers: []string{e2eMarket}}),
		subscribe(t, c, ws.Params{Channel: ws.ChannelTrade}),
		subscribe(t, c, ws.Params{Channel: ws.ChannelFill}),
		subscribe(t, c, ws.Params{Channel: ws.ChannelUserOrders}),
		subscribe(t, c, ws.Params{Channel: ws.ChannelMarketPositions}),
		subscribe(t, c, ws.Params{Channel: ws.ChannelMarketLifecycleV2}),
	}
	wantMarkets := map[string][]string{
		ws.ChannelOrderbookDelta: {e2eMarket, e2eMarket2},
		ws.ChannelTicker:         {e2eMarket},
	}

	require.Equal(t, 1, e.srv.DropWSConns())
	for _, s := range subs {
		r := nextOf[*ws.Resubscribed](t, s)
		assert.Equal(t, ws.ReasonReconnect, r.Reason, s.Channel())
		assert.Equal(t, s.SID(), r.NewSID, s.Channel())
		assert.Equal(t, wantMarkets[s.Channel()], r.Markets, s.Channel())
	}
	var snapped []string
	for range 2 {
		snapped = append(snapped, nextOf[*ws.OrderbookSnapshot](t, book).MarketTicker)
	}
	slices.Sort(snapped)
	assert.Equal(t, []string{e2eMarket, e2eMarket2}, snapped)
	assert.Equal(t, int64(2), c.Connects())

	// The server holds the same subscriptions, with the same markets.
	list, err := c.ListSubscriptions(ctx)
	require.NoError(t, err)
	assert.Len(t, list, len(subs))
	server := e.serverConn(t).Subscriptions()
	require.Len(t, server, len(subs))
	for i, s := range subs {
		assert.Equal(t, s.Channel(), server[i].Channel)
		assert.Equal(t, s.SID(), server[i].SID)
		assert.Equal(t, wantMarkets[s.Channel()], server[i].Markets)
	}

	// New frames flow on the new subscriptions.
	e.order(t, e2eMarket, "bid", "0.50", "2")
	assert.Equal(t, money.MustCount("2"), nextOf[*ws.Trade](t, subs[2]).Count)
	assert.Equal(t, money.MustCount("2"), nextOf[*ws.Fill](t, subs[3]).Count)
	assert.Equal(t, money.MustCount("-2"), nextOf[*ws.OrderbookDelta](t, book).Delta)
}

// TestE2EGapOnTrades checks that a skipped seq on a channel the client
// cannot replay is reported in order, before the next trade.
func TestE2EGapOnTrades(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	c := e.dial(t)
	trades := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade})
	e.order(t, e2eMarket, "bid", "0.50", "1")
	first := nextOf[*ws.Trade](t, trades)
	require.NoError(t, e.serverConn(t).SkipSeq(trades.SID()))
	e.order(t, e2eMarket, "bid", "0.50", "1")
	gap, ok := next(t, trades).(*ws.Gap)
	require.True(t, ok, "a gap first")
	assert.Equal(t, first.Seq+1, gap.Expected)
	assert.Equal(t, first.Seq+2, gap.Got)
	assert.False(t, gap.Resync, "trades cannot be replayed")
	assert.Equal(t, first.Seq+2, nextOf[*ws.Trade](t, trades).Seq)
}

// TestE2EUnknownMessageType checks that a frame of a type the client does
// not know reaches its subscription as it is, without breaking the
// sequence.
func TestE2EUnknownMessageType(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	c := e.dial(t)
	trades := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade})
	require.NoError(t, e.serverConn(t).SendUnknown(trades.SID()))
	raw, ok := next(t, trades).(*ws.RawMessage)
	require.True(t, ok)
	assert.Equal(t, kalshitest.UnknownMessageType, raw.Type)
	assert.JSONEq(t, `{"note":"a message type this client does not know"}`, string(raw.Msg))
	e.order(t, e2eMarket, "bid", "0.50", "1")
	_, isTrade := next(t, trades).(*ws.Trade) // no gap in between
	assert.True(t, isTrade)
}

// TestE2EStalledServerIsReplaced stalls the server's writes: the client
// hears no ping within its heartbeat timeout, reconnects and subscribes
// again.
func TestE2EStalledServerIsReplaced(t *testing.T) {
	t.Parallel()
	e := newE2E(t, kalshitest.WithWSPingInterval(50*time.Millisecond))
	c := e.dial(t, ws.WithHeartbeatTimeout(time.Second))
	trades := subscribe(t, c, ws.Params{Channel: ws.ChannelTrade})
	stalled := e.serverConn(t)
	stalled.Stall(0)
	r := nextOf[*ws.Resubscribed](t, trades)
	assert.Equal(t, ws.ReasonReconnect, r.Reason)
	select {
	case <-stalled.Done():
	case <-time.After(15 * time.Second):
		t.Fatal("the stalled connection was not closed by the client")
	}
	e.order(t, e2eMarket, "bid", "0.50", "1")
	assert.Equal(t, money.MustCount("1"), nextOf[*ws.Trade](t, trades).Count)
}

// TestE2EBufferOverflowResubscribes lets a subscription's frames pile up
// on the server past its buffer: the server ends it with error 25, and
// the client subscribes again and gets a fresh snapshot.
func TestE2EBufferOverflowResubscribes(t *testing.T) {
	t.Parallel()
	e := newE2E(t, kalshitest.WithWSBufferSize(4))
	c := e.dial(t)
	book := subscribe(t, c, ws.Params{Channel: ws.ChannelOrderbookDelta, MarketTickers: []string{e2eMarket}})
	nextOf[*ws.OrderbookSnapshot](t, book)
	conn := e.serverConn(t)
	// The snapshot counts against the buffer until the server's write of it
	// returns, which can be after the client has read it: wait for that, so
	// the buffer holds exactly the deltas below.
	deadline := time.Now().Add(15 * time.Second)
	for subs := conn.Subscriptions(); len(subs) != 1 || subs[0].Queued != 0; subs = conn.Subscriptions() {
		require.True(t, time.Now().Before(deadline), "the snapshot's write did not return: %+v", subs)
		time.Sleep(2 * time.Millisecond)
	}
	conn.Stall(0)
	for _, p := range []string{"0.30", "0.31", "0.32", "0.33", "0.34", "0.35"} {
		e.order(t, e2eMarket, "bid", p, "1")
	}
	deadline = time.Now().Add(15 * time.Second)
	for len(conn.Subscriptions()) > 0 {
		require.True(t, time.Now().Before(deadline), "the subscription did not overflow")
		time.Sleep(2 * time.Millisecond)
	}
	conn.Release()
	var deltas int
	for {
		m := next(t, book)
		if e, ok := m.(*ws.Error); ok {
			assert.Equal(t, ws.CodeSubscriptionBufferFull, e.Code)
			break
		}
		_, ok := m.(*ws.OrderbookDelta)
		require.True(t, ok, "%T before the error", m)
		deltas++
	}
	assert.Equal(t, 4, deltas, "the buffered deltas arrive before the error")
	r := nextOf[*ws.Resubscribed](t, book)
	assert.Equal(t, "error 25", r.Reason)
	fresh := orderbook.NewBook(e2eMarket)
	require.NoError(t, fresh.Apply(nextOf[*ws.OrderbookSnapshot](t, book)))
	assert.True(t, fresh.Equal(e.restBook(t, e2eMarket)))
}

// TestE2EChannelErrorResubscribes fails a subscription with Kalshi's
// terminal error 10: the client subscribes again by itself.
func TestE2EChannelErrorResubscribes(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	c := e.dial(t)
	fills := subscribe(t, c, ws.Params{Channel: ws.ChannelFill, MarketTickers: []string{e2eMarket}})
	require.NoError(t, e.serverConn(t).FailSubscription(fills.SID()))
	ke := nextOf[*ws.Error](t, fills)
	assert.Equal(t, ws.CodeChannelError, ke.Code)
	r := nextOf[*ws.Resubscribed](t, fills)
	assert.Equal(t, "error 10", r.Reason)
	assert.Equal(t, []string{e2eMarket}, r.Markets)
	e.order(t, e2eMarket, "bid", "0.50", "1")
	assert.Equal(t, money.MustCount("1"), nextOf[*ws.Fill](t, fills).Count)
}

// A refused handshake says why, as a refused REST call does: Kalshi's code
// and details, and the same hint.
func TestE2ERefusedHandshakeSaysWhy(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	unknown, err := signing.New("a-key-from-the-other-environment", key)
	require.NoError(t, err)
	_, err = ws.Dial(ctxT(t), ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(unknown))
	var he *ws.HandshakeError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, 401, he.StatusCode)
	assert.Equal(t, "authentication_error", he.Code)
	assert.Equal(t, "NOT_FOUND", he.Details)
	assert.Contains(t, he.Hint, "environment")
	assert.Contains(t, err.Error(), "NOT_FOUND")
	assert.Contains(t, err.Error(), "keys work only in the environment")
}

// A machine whose clock is a minute ahead: the handshake is refused as
// stale once, the signer's clock is corrected from the refusal, and the
// connection is made.
func TestE2EHandshakeCorrectsTheClock(t *testing.T) {
	t.Parallel()
	e := newE2E(t)
	key, _, _, err := signing.GenerateKey(signing.Ed25519)
	require.NoError(t, err)
	e.srv.AddAPIKey("skewed", key.Public())
	s, err := signing.New("skewed", key, signing.WithClock(func() time.Time { return time.Now().Add(time.Minute) }))
	require.NoError(t, err)
	c, err := ws.Dial(ctxT(t), ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(s))
	require.NoError(t, err)
	defer c.Close()
	assert.InDelta(t, -time.Minute, s.ClockOffset(), float64(2*time.Second))
}
