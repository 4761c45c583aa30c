package kalshitest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/orderbook"
	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// TestWSHandshakeIsSigned checks that the handshake is verified like a
// REST request, with Kalshi's 401 bodies, and that the ws client reports
// the refusal with its status.
func TestWSHandshakeIsSigned(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	stranger, _ := newKey(t, signing.Ed25519)
	strangerSigner, err := signing.New("unknown-key", stranger)
	require.NoError(t, err)
	signed := func(s *signing.Signer) http.Header {
		h, err := s.Headers(http.MethodGet, signing.WebSocketPath)
		require.NoError(t, err)
		return h
	}
	wrongPath := func() http.Header {
		h, err := e.signer.Headers(http.MethodGet, "/trade-api/v2/portfolio/balance")
		require.NoError(t, err)
		return h
	}
	for _, tc := range []struct {
		name   string
		header http.Header
		code   string
	}{
		{"no signature", http.Header{}, "signature_is_missing_from_headers"},
		{"unknown key", signed(strangerSigner), "authentication_error"},
		{"signed over another path", wrongPath(), "authentication_error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, "http://"+e.srv.Addr().String()+signing.WebSocketPath, nil)
			require.NoError(t, err)
			req.Header = tc.header
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
			body, _ := io.ReadAll(resp.Body)
			assert.Contains(t, string(body), `"code":"`+tc.code+`"`)
		})
	}

	_, err = ws.Dial(ctxFor(t), ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(strangerSigner))
	var he *ws.HandshakeError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, http.StatusUnauthorized, he.StatusCode)

	// A clock skewed past the allowed window fails the way a REST call does.
	e.srv.InjectFaults(kalshitest.Faults{ClockSkew: time.Hour})
	_, err = ws.Dial(ctxFor(t), ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(e.signer))
	require.ErrorAs(t, err, &he)
	assert.Equal(t, http.StatusUnauthorized, he.StatusCode)
	e.srv.InjectFaults(kalshitest.Faults{})

	c, err := ws.Dial(ctxFor(t), ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(e.signer))
	require.NoError(t, err)
	require.NoError(t, c.Close())
}

// TestWSCommandErrors sends malformed and refused commands and checks
// Kalshi's error code for each.
func TestWSCommandErrors(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	trade := r.subscribe(map[string]any{"channels": []string{"trade"}})
	cfb := r.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value"}})
	pyth := r.subscribe(map[string]any{"channels": []string{"pyth_value"}})
	lifecycle := r.subscribe(map[string]any{"channels": []string{"market_lifecycle_v2"}})
	book := r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{wsMarket}})
	expect[*ws.OrderbookSnapshot](r)

	for _, tc := range []struct {
		name   string
		cmd    string
		params any
		code   ws.ErrorCode
	}{
		{"subscribe without params", "subscribe", nil, ws.CodeParamsRequired},
		{"subscribe without channels", "subscribe", map[string]any{"channels": []string{}}, ws.CodeChannelsRequired},
		{"unsubscribe without sids", "unsubscribe", map[string]any{}, ws.CodeSubscriptionIDsRequired},
		{"unknown command", "subscribe_all", map[string]any{}, ws.CodeUnknownCommand},
		{"unsubscribe unknown sid", "unsubscribe", map[string]any{"sids": []int64{999}}, ws.CodeUnknownSubscriptionID},
		{"update unknown sid", "update_subscription", map[string]any{"sid": 999, "action": "add_markets", "market_tickers": []string{wsMarket}}, ws.CodeUnknownSubscriptionID},
		{"unknown channel", "subscribe", map[string]any{"channels": []string{"orderbook"}}, ws.CodeUnknownChannel},
		{"ticker and tickers", "subscribe", map[string]any{"channels": []string{"trade"}, "market_ticker": wsMarket, "market_tickers": []string{wsMarket2}}, ws.CodeInvalidParameter},
		{"market ids on trade", "subscribe", map[string]any{"channels": []string{"trade"}, "market_ids": []string{"9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1"}}, ws.CodeInvalidParameter},
		{"channels of the wrong type", "subscribe", map[string]any{"channels": "trade"}, ws.CodeInvalidParameter},
		{"bad user filter", "subscribe", map[string]any{"channels": []string{"communications"}, "user_filter": "others"}, ws.CodeInvalidParameter},
		{"two sids", "update_subscription", map[string]any{"sids": []int64{trade, book}, "action": "add_markets", "market_tickers": []string{wsMarket}}, ws.CodeExactlyOneSIDRequired},
		{"sid and sids", "update_subscription", map[string]any{"sid": trade, "sids": []int64{trade}, "action": "add_markets", "market_tickers": []string{wsMarket}}, ws.CodeExactlyOneSIDRequired},
		{"no sid", "update_subscription", map[string]any{"action": "add_markets", "market_tickers": []string{wsMarket}}, ws.CodeExactlyOneSIDRequired},
		{"unknown action", "update_subscription", map[string]any{"sid": book, "action": "replace_markets", "market_tickers": []string{wsMarket}}, ws.CodeUnsupportedAction},
		{"markets on lifecycle", "update_subscription", map[string]any{"sid": lifecycle, "action": "add_markets", "market_tickers": []string{wsMarket}}, ws.CodeUnsupportedAction},
		{"snapshot of trades", "update_subscription", map[string]any{"sid": trade, "action": "get_snapshot", "market_tickers": []string{wsMarket}}, ws.CodeUnsupportedAction},
		{"indices on pyth", "update_subscription", map[string]any{"sid": pyth, "action": "subscribe_indices", "index_ids": []string{"BRTI"}}, ws.CodeUnsupportedAction},
		{"order book without markets", "subscribe", map[string]any{"channels": []string{"orderbook_delta"}}, ws.CodeMarketTickerRequired},
		{"add no markets", "update_subscription", map[string]any{"sid": trade, "action": "add_markets"}, ws.CodeMarketTickerRequired},
		{"snapshot of no markets", "update_subscription", map[string]any{"sid": book, "action": "get_snapshot"}, ws.CodeMarketTickerRequired},
		{"snapshot of a market not subscribed", "update_subscription", map[string]any{"sid": book, "action": "get_snapshot", "market_tickers": []string{wsMarket2}}, ws.CodeInvalidParameter},
		{"update without action", "update_subscription", map[string]any{"sid": book, "market_tickers": []string{wsMarket2}}, ws.CodeActionRequired},
		{"shard factor zero", "subscribe", map[string]any{"channels": []string{"communications"}, "shard_factor": 0}, ws.CodeShardFactorInvalid},
		{"shard key alone", "subscribe", map[string]any{"channels": []string{"communications"}, "shard_key": 1}, ws.CodeShardFactorRequired},
		{"shard key too big", "subscribe", map[string]any{"channels": []string{"communications"}, "shard_factor": 4, "shard_key": 4}, ws.CodeShardKeyInvalid},
		{"shard factor too big", "subscribe", map[string]any{"channels": []string{"communications"}, "shard_factor": 101}, ws.CodeShardFactorTooLarge},
		{"indices missing", "update_subscription", map[string]any{"sid": cfb, "action": "subscribe_indices"}, ws.CodeIndexIDsRequired},
		{"underlyings missing", "update_subscription", map[string]any{"sid": pyth, "action": "unsubscribe_underlyings"}, ws.CodeUnderlyingTickersMissing},
	} {
		id := r.cmd(tc.cmd, tc.params)
		m := expect[*ws.Error](r)
		assert.Equal(t, tc.code, m.Code, tc.name)
		assert.Equal(t, id, m.ID, tc.name)
		assert.NotEmpty(t, m.Message, tc.name)
	}

	// A frame that is not JSON gets code 1 with no id.
	r.sendRaw([]byte("subscribe please"))
	m := expect[*ws.Error](r)
	assert.Equal(t, ws.CodeUnableToProcess, m.Code)
	assert.Zero(t, m.ID)

	// Refusals left the subscriptions as they were.
	r.cmd(ws.CmdListSubscriptions, nil)
	list := expect[*ws.OK](r)
	assert.Equal(t, []ws.SubscriptionInfo{
		{Channel: "trade", SID: trade}, {Channel: "cfbenchmarks_value", SID: cfb}, {Channel: "pyth_value", SID: pyth},
		{Channel: "market_lifecycle_v2", SID: lifecycle}, {Channel: "orderbook_delta", SID: book},
	}, list.Subscriptions)
}

// TestWSOrderBookSequence follows one order book subscription through
// orders, market changes, a snapshot request and the unsubscribe: every
// frame is numbered without a gap, and the book built from the frames is
// the REST book.
func TestWSOrderBookSequence(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	sid := r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_ticker": wsMarket})

	var seq int64
	numbered := func(m ws.Message) {
		t.Helper()
		h := m.Header()
		assert.Equal(t, sid, h.SID)
		seq++
		assert.Equal(t, seq, h.Seq, "seq of %s", h.Type)
	}
	book := orderbook.NewBook(wsMarket)
	snap := expect[*ws.OrderbookSnapshot](r)
	numbered(snap)
	require.NoError(t, book.Apply(snap))
	assert.Equal(t, []ws.Level{{Price: usd("0.44"), Count: qty("10")}, {Price: usd("0.45"), Count: qty("10")}}, snap.Yes)
	assert.Equal(t, []ws.Level{{Price: usd("0.48"), Count: qty("10")}, {Price: usd("0.50"), Count: qty("5")}}, snap.No, "asks as NO bids at 1 − price, ascending")
	assert.NotEmpty(t, snap.MarketID)

	// A resting bid, then a bid that takes the 5 offered at 0.50 and rests 3 at 0.51.
	e.order(t, wsMarket, "bid", "0.40", "10")
	e.order(t, wsMarket, "bid", "0.51", "8")
	want := []struct {
		side         ws.Side
		price, delta string
	}{{ws.Yes, "0.40", "10"}, {ws.No, "0.50", "-5"}, {ws.Yes, "0.51", "3"}}
	for _, w := range want {
		d := expect[*ws.OrderbookDelta](r)
		numbered(d)
		assert.Equal(t, wsMarket, d.MarketTicker)
		assert.Equal(t, snap.MarketID, d.MarketID)
		assert.Equal(t, w.side, d.Side)
		assert.Equal(t, usd(w.price), d.Price)
		assert.Equal(t, qty(w.delta), d.Delta)
		assert.False(t, d.TS.IsZero())
		assert.NotZero(t, d.TSMs)
		require.NoError(t, book.Apply(d))
	}
	assert.True(t, book.Equal(e.restBook(t, wsMarket)), "book %v, REST %v", book, e.restBook(t, wsMarket))

	// Adding a market answers with the full list, then its snapshot.
	id := r.cmd(ws.CmdUpdateSubscription, map[string]any{"sids": []int64{sid}, "action": "add_markets", "market_tickers": []string{wsMarket2}})
	ok := expect[*ws.OK](r)
	numbered(ok)
	assert.Equal(t, id, ok.ID)
	assert.Equal(t, []string{wsMarket, wsMarket2}, ok.MarketTickers)
	snap2 := expect[*ws.OrderbookSnapshot](r)
	numbered(snap2)
	assert.Equal(t, wsMarket2, snap2.MarketTicker)
	assert.Equal(t, []ws.Level{{Price: usd("0.30"), Count: qty("4")}}, snap2.Yes)
	assert.Empty(t, snap2.No)

	// get_snapshot answers with the snapshots, carrying the command's id.
	id = r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": sid, "action": "get_snapshot", "market_tickers": []string{wsMarket, wsMarket2}})
	for _, market := range []string{wsMarket, wsMarket2} {
		s := expect[*ws.OrderbookSnapshot](r)
		numbered(s)
		assert.Equal(t, id, s.ID)
		assert.Equal(t, market, s.MarketTicker)
		if market == wsMarket {
			fresh := orderbook.NewBook(wsMarket)
			require.NoError(t, fresh.Apply(s))
			assert.True(t, fresh.Equal(book))
		}
	}

	// Deleting a market stops its deltas.
	r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": sid, "action": "delete_markets", "market_tickers": []string{wsMarket}})
	ok = expect[*ws.OK](r)
	numbered(ok)
	assert.Equal(t, []string{wsMarket2}, ok.MarketTickers)
	e.order(t, wsMarket, "bid", "0.41", "1")
	e.order(t, wsMarket2, "bid", "0.31", "2")
	d := expect[*ws.OrderbookDelta](r)
	numbered(d)
	assert.Equal(t, wsMarket2, d.MarketTicker)

	id = r.cmd(ws.CmdUnsubscribe, map[string]any{"sids": []int64{sid}})
	u := expect[*ws.Unsubscribed](r)
	numbered(u)
	assert.Equal(t, id, u.ID)
	e.order(t, wsMarket2, "bid", "0.32", "2")
	r.cmd(ws.CmdListSubscriptions, nil)
	list := expect[*ws.OK](r) // no delta before the reply: the subscription is gone
	assert.Empty(t, list.Subscriptions)
}

// TestWSCommandsSeeEarlierOrders checks that a command's answer reflects
// every REST request completed before it was sent: the snapshot answering
// get_snapshot right after an order includes it, and the order's delta
// comes before the snapshot, never after.
func TestWSCommandsSeeEarlierOrders(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	sid := r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{wsMarket}})
	book := orderbook.NewBook(wsMarket)
	require.NoError(t, book.Apply(expect[*ws.OrderbookSnapshot](r)))
	for i := range 20 {
		e.order(t, wsMarket, "bid", "0.3"+string(rune('0'+i%10)), "1")
		id := r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": sid, "action": "get_snapshot", "market_tickers": []string{wsMarket}})
		for {
			m := r.next()
			if s, ok := m.(*ws.OrderbookSnapshot); ok {
				require.Equal(t, id, s.ID)
				fresh := orderbook.NewBook(wsMarket)
				require.NoError(t, fresh.Apply(s))
				require.True(t, fresh.Equal(e.restBook(t, wsMarket)), "snapshot %d misses the order", i)
				require.True(t, book.Equal(fresh), "the deltas before the snapshot %v, the snapshot %v", book, fresh)
				break
			}
			require.NoError(t, book.Apply(m))
		}
	}
}

// TestWSYesPricing checks use_yes_price: NO levels and NO deltas in
// yes-leg prices, which a book with WithYesPricing turns back into the
// REST book.
func TestWSYesPricing(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{wsMarket}, "use_yes_price": true})
	snap := expect[*ws.OrderbookSnapshot](r)
	assert.Equal(t, []ws.Level{{Price: usd("0.50"), Count: qty("5")}, {Price: usd("0.52"), Count: qty("10")}}, snap.No, "the asks at their YES prices")
	book := orderbook.NewBook(wsMarket, orderbook.WithYesPricing())
	require.NoError(t, book.Apply(snap))
	e.order(t, wsMarket, "ask", "0.55", "7")
	d := expect[*ws.OrderbookDelta](r)
	assert.Equal(t, ws.No, d.Side)
	assert.Equal(t, usd("0.55"), d.Price)
	require.NoError(t, book.Apply(d))
	assert.True(t, book.Equal(e.restBook(t, wsMarket)))
}

// TestWSPrivateChannels checks that fills, orders and positions reach only
// their own account, and that what they say agrees with REST.
func TestWSPrivateChannels(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	otherKey, _ := newKey(t, signing.Ed25519)
	otherID := e.srv.AddAccount("other-key", otherKey.Public(), usd("1000"))
	otherSigner, err := signing.New("other-key", otherKey)
	require.NoError(t, err)
	other, err := kalshi.New(kalshi.WithBaseURL(e.srv.URL()), kalshi.WithSigner(otherSigner), kalshi.WithRetry(kalshi.NoRetry()))
	require.NoError(t, err)

	mine := dialRaw(t, e.srv, e.signer)
	theirs := dialRaw(t, e.srv, otherSigner)
	for _, r := range []*rawConn{mine, theirs} {
		for _, ch := range []string{"fill", "user_orders", "market_positions"} {
			r.subscribe(map[string]any{"channels": []string{ch}})
		}
	}
	// The other account trades first; then the default account does.
	theirOrder := placeOrder(t, other, wsMarket, "bid", "0.50", "2")
	myOrder := e.order(t, wsMarket, "bid", "0.50", "3")

	// The default account's first frames are its own; no frame carries the other account.
	fill := expect[*ws.Fill](mine)
	assert.Equal(t, myOrder.OrderID, fill.OrderID)
	assert.Equal(t, *myOrder.ClientOrderID, fill.ClientOrderID)
	assert.True(t, fill.IsTaker)
	assert.Equal(t, qty("3"), fill.Count)
	assert.Equal(t, usd("0.50"), fill.YesPrice)
	assert.Equal(t, qty("3"), fill.PostPosition)
	assert.Equal(t, ws.Bid, fill.BookSide)
	assert.Equal(t, ws.Yes, fill.OutcomeSide)
	pos := expect[*ws.MarketPosition](mine) // the fill moves the position; the order's update comes last
	assert.Equal(t, kalshitest.DefaultUserID, pos.UserID)
	assert.Equal(t, qty("3"), pos.Volume)
	order := expect[*ws.UserOrder](mine)
	assert.Equal(t, myOrder.OrderID, order.OrderID)
	assert.Equal(t, kalshitest.DefaultUserID, order.UserID)

	theirFill := expect[*ws.Fill](theirs)
	assert.Equal(t, theirOrder.OrderID, theirFill.OrderID)
	theirPos := expect[*ws.MarketPosition](theirs)
	assert.Equal(t, otherID, theirPos.UserID)
	assert.Equal(t, qty("2"), theirPos.Position)
	assert.Equal(t, otherID, expect[*ws.UserOrder](theirs).UserID)

	// What the frames say is what REST says.
	ctx := ctxFor(t)
	fills, err := e.rest.GetFills(ctx, nil)
	require.NoError(t, err)
	require.Len(t, fills.Fills, 1)
	f := fills.Fills[0]
	assert.Equal(t, f.TradeID, fill.TradeID)
	assert.Equal(t, f.CountFp, fill.Count)
	assert.Equal(t, f.YesPriceDollars, fill.YesPrice)
	assert.Equal(t, f.FeeCost, fill.FeeCost)
	assert.Equal(t, usd("0.0525"), fill.FeeCost) // 7% × 3 × 0.50 × 0.50
	o, err := e.rest.GetOrder(ctx, myOrder.OrderID)
	require.NoError(t, err)
	assert.Equal(t, string(o.Order.Status), order.Status)
	assert.Equal(t, "executed", order.Status)
	assert.Equal(t, o.Order.FillCountFp, order.FillCount)
	assert.Equal(t, o.Order.RemainingCountFp, order.RemainingCount)
	assert.Equal(t, o.Order.TakerFillCostDollars, order.TakerFillCost)
	assert.Equal(t, o.Order.TakerFeesDollars, order.TakerFees)
	assert.Equal(t, o.Order.YesPriceDollars, order.YesPrice)
	positions, err := e.rest.GetPositions(ctx, nil)
	require.NoError(t, err)
	require.Len(t, positions.MarketPositions, 1)
	p := positions.MarketPositions[0]
	assert.Equal(t, p.PositionFp, pos.Position)
	assert.Equal(t, p.MarketExposureDollars, pos.PositionCost)
	assert.Equal(t, p.FeesPaidDollars, pos.FeesPaid)
	assert.Equal(t, p.RealizedPNLDollars, pos.RealizedPnl)
}

// TestWSTicker checks the ticker channel: initial snapshots by ticker and
// by market id, and an update after a trade that agrees with REST.
func TestWSTicker(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	bySID := r.subscribe(map[string]any{"channels": []string{"ticker"}, "market_tickers": []string{wsMarket}, "send_initial_snapshot": true})
	first := expect[*ws.Ticker](r)
	assert.Equal(t, bySID, first.SID)
	assert.Zero(t, first.Seq, "ticker frames carry no seq")
	assert.Equal(t, usd("0.45"), first.YesBid)
	assert.Equal(t, qty("10"), first.YesBidSize)
	assert.Equal(t, usd("0.50"), first.YesAsk)
	assert.Equal(t, qty("5"), first.YesAskSize)

	byID := r.subscribe(map[string]any{"channels": []string{"ticker"}, "market_ids": []string{first.MarketID}, "send_initial_snapshot": true})
	again := expect[*ws.Ticker](r)
	assert.Equal(t, byID, again.SID)
	assert.Equal(t, first.YesBid, again.YesBid)

	// A crossing bid: both subscriptions report the market as REST does.
	e.order(t, wsMarket, "bid", "0.52", "8")
	market, err := e.rest.GetMarket(ctxFor(t), wsMarket)
	require.NoError(t, err)
	m := market.Market
	settled := map[int64]bool{}
	for len(settled) < 2 {
		tk := expect[*ws.Ticker](r)
		if tk.Volume != m.VolumeFp || tk.YesBid != m.YesBidDollars || tk.YesAsk != m.YesAskDollars || tk.YesAskSize != m.YesAskSizeFp {
			continue // an intermediate state of the order
		}
		settled[tk.SID] = true
		assert.Equal(t, m.LastPriceDollars, tk.Price)
		assert.Equal(t, m.YesBidSizeFp, tk.YesBidSize)
		assert.Equal(t, m.OpenInterestFp, tk.OpenInterest)
		assert.Equal(t, qty("3"), tk.LastTradeSize)
		assert.Equal(t, int64(4), tk.DollarVolume)
	}
	assert.Equal(t, qty("8"), m.VolumeFp)
	assert.Equal(t, qty("8"), m.OpenInterestFp)
}

// TestWSLifecycle checks a market added while the server runs (named by
// an order book subscription before it existed) and its settlement.
func TestWSLifecycle(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	const fresh = "KXLATE-26JUN12-T1"
	r := dialRaw(t, e.srv, e.signer)
	life := r.subscribe(map[string]any{"channels": []string{"market_lifecycle_v2"}})
	book := r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{fresh}})
	pos := r.subscribe(map[string]any{"channels": []string{"market_positions"}, "market_tickers": []string{fresh}})
	r.nothingBefore() // no snapshot before the market exists

	require.NoError(t, e.srv.AddMarket(kalshitest.MarketSpec{Ticker: fresh, Title: "Late market", Asks: []money.PriceLevel{{Price: usd("0.60"), Count: qty("5")}}}))
	event := expect[*ws.EventLifecycle](r) // its event is new too, and announced first
	assert.Equal(t, life, event.SID)
	assert.Equal(t, int64(1), event.Seq)
	assert.Equal(t, "KXLATE-26JUN12", event.EventTicker)
	created := expect[*ws.MarketLifecycle](r)
	assert.Equal(t, life, created.SID)
	assert.Equal(t, int64(2), created.Seq)
	assert.Equal(t, ws.LifecycleCreated, created.EventType)
	assert.Equal(t, fresh, created.MarketTicker)
	require.NotNil(t, created.AdditionalMetadata)
	assert.Equal(t, "Late market", created.AdditionalMetadata.Title)
	assert.Equal(t, "KXLATE-26JUN12", created.AdditionalMetadata.EventTicker)
	assert.Equal(t, "linear_cent", created.PriceLevelStructure)
	snap := expect[*ws.OrderbookSnapshot](r)
	assert.Equal(t, book, snap.SID)
	assert.Equal(t, []ws.Level{{Price: usd("0.40"), Count: qty("5")}}, snap.No)

	e.order(t, fresh, "bid", "0.60", "2")
	var delta *ws.OrderbookDelta
	var position *ws.MarketPosition
	for delta == nil || position == nil {
		switch m := r.next().(type) {
		case *ws.OrderbookDelta:
			delta = m
		case *ws.MarketPosition:
			position = m
		}
	}
	assert.Equal(t, qty("-2"), delta.Delta)
	assert.Equal(t, pos, position.SID)
	assert.Equal(t, qty("2"), position.Position)

	require.NoError(t, e.srv.SettleMarket(fresh, "yes"))
	var events []string
	var settlePos *ws.MarketPosition
	var removed money.Count
	for len(events) < 2 || settlePos == nil || removed != qty("-3") {
		switch m := r.next().(type) {
		case *ws.MarketLifecycle:
			events = append(events, m.EventType)
			if m.EventType == ws.LifecycleDetermined {
				assert.Equal(t, "yes", m.Result)
				require.NotNil(t, m.SettlementValue)
				assert.Equal(t, money.One, *m.SettlementValue)
			}
		case *ws.OrderbookDelta:
			removed = removed.Add(m.Delta) // the resting asks are canceled
		case *ws.MarketPosition:
			settlePos = m
		}
	}
	assert.Equal(t, []string{ws.LifecycleDetermined, ws.LifecycleSettled}, events)
	assert.True(t, settlePos.Position.IsZero())
	assert.Equal(t, usd("0.80"), settlePos.RealizedPnl, "paid $2 for contracts that cost $1.20")
}

// TestWSOtherChannels checks the channels without an order book:
// subscribing succeeds and their commands are answered as Kalshi does
// (index values are off here; ws_indices_test.go receives them).
func TestWSOtherChannels(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, kalshitest.WithIndexInterval(0))
	r := dialRaw(t, e.srv, e.signer)
	for _, ch := range []string{"multivariate_market_lifecycle", "order_group_updates", "cfbenchmarks_value_5hz"} {
		r.subscribe(map[string]any{"channels": []string{ch}})
	}
	r.subscribe(map[string]any{"channels": []string{"communications"}, "shard_factor": 4, "shard_key": 3, "user_filter": "self"})

	cfb := r.subscribe(map[string]any{"channels": []string{"cfbenchmarks_value"}, "index_ids": []string{"BRTI"}})
	id := r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": cfb, "action": "subscribe_indices", "index_ids": []string{"ETHUSD_RTI"}})
	ok := expect[*ws.OK](r)
	assert.Equal(t, id, ok.ID)
	assert.Equal(t, []string{"BRTI", "ETHUSD_RTI"}, ok.IndexIDs)
	r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": cfb, "action": "indexlist"})
	list := expect[*ws.CFBenchmarksIndexList](r)
	assert.Equal(t, ws.TypeCFBenchmarksIndexList, list.Type)
	assert.Equal(t, cfb, list.SID)

	pyth := r.subscribe(map[string]any{"channels": []string{"pyth_value"}})
	r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": pyth, "action": "subscribe_underlyings", "underlying_tickers": []string{"Metal.XAU/USD"}})
	ok = expect[*ws.OK](r)
	assert.Equal(t, []string{"Metal.XAU/USD"}, ok.UnderlyingTickers)
	r.cmd(ws.CmdUpdateSubscription, map[string]any{"sid": pyth, "action": "underlying_list"})
	expect[*ws.PythUnderlyingList](r)

	// A trade reaches none of them.
	e.order(t, wsMarket, "bid", "0.50", "1")
	r.nothingBefore()
}

// TestWSFaultsOnOneConnection injects each fault of WSConn and checks the
// frames it produces.
func TestWSFaultsOnOneConnection(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, kalshitest.WithWSBufferSize(3))
	r := dialRaw(t, e.srv, e.signer)
	book := r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{wsMarket}})
	assert.Equal(t, int64(1), expect[*ws.OrderbookSnapshot](r).Seq)
	trades := r.subscribe(map[string]any{"channels": []string{"trade"}})
	conn := onlyConn(t, e.srv)
	assert.Equal(t, kalshitest.DefaultUserID, conn.UserID())

	// A skipped seq.
	require.NoError(t, conn.SkipSeq(book))
	e.order(t, wsMarket, "bid", "0.40", "1")
	assert.Equal(t, int64(3), expect[*ws.OrderbookDelta](r).Seq)

	// An unknown message type, numbered in the sequence.
	require.NoError(t, conn.SendUnknown(book))
	raw := expect[*ws.RawMessage](r)
	assert.Equal(t, kalshitest.UnknownMessageType, raw.Type)
	assert.Equal(t, book, raw.SID)
	assert.Equal(t, int64(4), raw.Seq)

	// A terminal channel error ends the subscription.
	require.NoError(t, conn.FailSubscription(trades))
	fail := expect[*ws.Error](r)
	assert.Equal(t, ws.CodeChannelError, fail.Code)
	assert.Equal(t, trades, fail.SID)
	assert.Equal(t, int64(1), fail.Seq)
	assert.ErrorIs(t, conn.SkipSeq(trades), kalshitest.ErrNoSubscription)

	// A stall: frames pile up until the subscription's buffer (3) overflows.
	conn.Stall(0)
	for i := range 4 {
		e.order(t, wsMarket, "bid", "0.3"+string(rune('1'+i)), "1")
	}
	waitFor(t, func() bool { return len(conn.Subscriptions()) == 0 }, "the order book subscription to overflow")
	assert.True(t, r.quiet(50*time.Millisecond), "nothing is written during a stall")
	conn.Release()
	for i := range 3 {
		assert.Equal(t, int64(5+i), expect[*ws.OrderbookDelta](r).Seq)
	}
	overflow := expect[*ws.Error](r)
	assert.Equal(t, ws.CodeSubscriptionBufferFull, overflow.Code)
	assert.Equal(t, book, overflow.SID)
	assert.Equal(t, int64(8), overflow.Seq)

	// A drop ends the connection without a close frame.
	conn.Drop()
	r.waitEnded()
	select {
	case <-conn.Done():
	case <-time.After(waitLong):
		t.Fatal("the server did not release the connection")
	}
	assert.Empty(t, e.srv.WSConns())
}

// TestWSFaultOptions checks the random faults, each at probability 1.
func TestWSFaultOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		faults kalshitest.WSFaults
		check  func(t *testing.T, r *rawConn)
	}{
		{"skip", kalshitest.WSFaults{SkipSeqRate: 1}, func(t *testing.T, r *rawConn) {
			assert.Equal(t, int64(2), expect[*ws.OrderbookSnapshot](r).Seq)
			assert.Equal(t, int64(4), expect[*ws.OrderbookDelta](r).Seq)
		}},
		{"unknown", kalshitest.WSFaults{UnknownTypeRate: 1}, func(t *testing.T, r *rawConn) {
			assert.Equal(t, int64(1), expect[*ws.RawMessage](r).Seq)
			assert.Equal(t, int64(2), expect[*ws.OrderbookSnapshot](r).Seq)
			assert.Equal(t, int64(3), expect[*ws.RawMessage](r).Seq)
			assert.Equal(t, int64(4), expect[*ws.OrderbookDelta](r).Seq)
		}},
		{"drop", kalshitest.WSFaults{DropRate: 1}, func(t *testing.T, r *rawConn) {
			r.waitEnded()
		}},
		{"stall", kalshitest.WSFaults{StallRate: 1, StallFor: time.Hour}, func(t *testing.T, r *rawConn) {
			assert.Equal(t, int64(1), expect[*ws.OrderbookSnapshot](r).Seq)
			assert.True(t, r.quiet(100*time.Millisecond), "stalled after the snapshot")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newWSEnv(t, kalshitest.WithWSFaults(tc.faults))
			assert.Equal(t, tc.faults, e.srv.WSFaults())
			r := dialRaw(t, e.srv, e.signer)
			r.cmd(ws.CmdSubscribe, map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{wsMarket}})
			expect[*ws.Subscribed](r)
			e.order(t, wsMarket, "bid", "0.40", "1")
			tc.check(t, r)
		})
	}
}

// TestWSInjectWSFaultsAtRuntime turns a fault on and off mid-stream.
func TestWSInjectWSFaultsAtRuntime(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{wsMarket}})
	expect[*ws.OrderbookSnapshot](r)
	e.srv.InjectWSFaults(kalshitest.WSFaults{SkipSeqRate: 1})
	e.order(t, wsMarket, "bid", "0.40", "1")
	assert.Equal(t, int64(3), expect[*ws.OrderbookDelta](r).Seq)
	e.srv.InjectWSFaults(kalshitest.WSFaults{})
	e.order(t, wsMarket, "bid", "0.40", "1")
	assert.Equal(t, int64(4), expect[*ws.OrderbookDelta](r).Seq)
}

// TestWSPings checks the heartbeat: pings at the configured interval, none
// during a stall, again after it.
func TestWSPings(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t, kalshitest.WithWSPingInterval(20*time.Millisecond))
	r := dialRaw(t, e.srv, e.signer)
	waitFor(t, func() bool { return r.pings.Load() >= 3 }, "three pings")
	conn := onlyConn(t, e.srv)
	conn.Stall(0)
	time.Sleep(30 * time.Millisecond) // a ping already on its way may still land
	before := r.pings.Load()
	time.Sleep(200 * time.Millisecond)
	assert.Equal(t, before, r.pings.Load(), "pings during a stall")
	conn.Release()
	waitFor(t, func() bool { return r.pings.Load() > before }, "pings after the stall")
}

// TestWSDropAndClose checks that DropWSConns and Close end every
// connection, and that Close leaves none of the server's goroutines.
func TestWSDropAndClose(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	a, b := dialRaw(t, e.srv, e.signer), dialRaw(t, e.srv, e.signer)
	a.subscribe(map[string]any{"channels": []string{"trade"}})
	b.subscribe(map[string]any{"channels": []string{"trade"}})
	conns := e.srv.WSConns()
	require.Len(t, conns, 2)
	assert.Equal(t, 2, e.srv.DropWSConns())
	a.waitEnded()
	b.waitEnded()
	for _, c := range conns {
		<-c.Done()
	}

	c := dialRaw(t, e.srv, e.signer)
	c.subscribe(map[string]any{"channels": []string{"ticker"}})
	last := onlyConn(t, e.srv)
	e.srv.Close()
	c.waitEnded()
	select {
	case <-last.Done():
	default:
		t.Fatal("Close returned before the connection was released")
	}
	_, err := ws.Dial(ctxFor(t), ws.WithURL(e.srv.WebSocketURL()), ws.WithSigner(e.signer))
	assert.Error(t, err, "dialing a closed server")
}

// TestWSFramesDecodeCleanly checks every kind of frame the fake sends
// against the ws package's decoder: known types, no warnings, and every
// field the AsyncAPI file requires present.
func TestWSFramesDecodeCleanly(t *testing.T) {
	t.Parallel()
	e := newWSEnv(t)
	r := dialRaw(t, e.srv, e.signer)
	r.subscribe(map[string]any{"channels": []string{"orderbook_delta"}, "market_tickers": []string{wsMarket, "KXLATE-1"}})
	expect[*ws.OrderbookSnapshot](r)
	for _, ch := range []string{"ticker", "trade", "fill", "user_orders", "market_positions", "market_lifecycle_v2"} {
		r.subscribe(map[string]any{"channels": []string{ch}})
	}
	e.order(t, wsMarket, "bid", "0.50", "2")
	require.NoError(t, e.srv.AddMarket(kalshitest.MarketSpec{Ticker: "KXLATE-1"}))
	required := map[string][]string{
		"orderbook_delta":     {"market_ticker", "market_id", "price_dollars", "delta_fp", "side"},
		"orderbook_snapshot":  {"market_ticker", "market_id"},
		"ticker":              {"market_id", "market_ticker", "price_dollars", "yes_bid_dollars", "yes_ask_dollars", "volume_fp", "open_interest_fp", "dollar_volume", "dollar_open_interest", "yes_bid_size_fp", "yes_ask_size_fp", "last_trade_size_fp", "ts", "ts_ms", "time"},
		"trade":               {"trade_id", "market_ticker", "yes_price_dollars", "no_price_dollars", "count_fp", "taker_side", "taker_outcome_side", "taker_book_side", "is_block_trade", "ts", "ts_ms"},
		"fill":                {"trade_id", "order_id", "market_ticker", "exchange_index", "is_taker", "side", "yes_price_dollars", "count_fp", "fee_cost", "action", "outcome_side", "book_side", "ts", "ts_ms", "post_position_fp", "purchased_side"},
		"market_position":     {"user_id", "market_ticker", "position_fp", "position_cost_dollars", "realized_pnl_dollars", "fees_paid_dollars", "position_fee_cost_dollars", "volume_fp"},
		"user_order":          {"order_id", "user_id", "ticker", "exchange_index", "status", "side", "is_yes", "outcome_side", "book_side", "yes_price_dollars", "fill_count_fp", "remaining_count_fp", "initial_count_fp", "taker_fill_cost_dollars", "maker_fill_cost_dollars", "taker_fees_dollars", "maker_fees_dollars", "client_order_id", "created_time", "created_ts_ms"},
		"market_lifecycle_v2": {"market_ticker", "event_type"},
	}
	seen := map[string]bool{}
	deadline := time.After(waitLong)
	for len(seen) < len(required) {
		var b []byte
		select {
		case b = <-r.frames:
		case <-deadline:
			t.Fatalf("saw only %v", seen)
		}
		m, err := ws.Decode(b)
		require.NoError(t, err)
		h := m.Header()
		assert.Empty(t, h.Warnings, "%s", b)
		_, isRaw := m.(*ws.RawMessage)
		assert.False(t, isRaw, "unknown frame %s", b)
		var frame struct {
			Msg map[string]json.RawMessage `json:"msg"`
		}
		require.NoError(t, json.Unmarshal(b, &frame))
		for _, f := range required[h.Type] {
			assert.Contains(t, frame.Msg, f, "%s lacks %s", h.Type, f)
		}
		seen[h.Type] = true
	}
}

// waitFor polls cond until it holds, failing after a generous timeout.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
