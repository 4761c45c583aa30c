package kalshitest

import (
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// directTrade is a trade two users agreed away from the book: an executed
// quote or block trade. The maker takes its side at YES price price, the
// taker the other side; each pays its outcome's price, and the taker pays
// the taker fee too, exactly as when the taker's order crosses the
// maker's resting one (see doc.go).
type directTrade struct {
	ticker       string
	price        money.Dollars // YES price
	count        money.Count
	maker, taker tradeParty
}

// tradeParty is one side of a directTrade.
type tradeParty struct {
	userID     string
	side       bookSide
	subaccount int
}

// fee is the taker fee of the trade.
func (t directTrade) fee() money.Dollars { return takerFee(t.price, t.count) }

// checkMarketOpen refuses a trade in a market that is unknown or not
// trading.
func (x *exchange) checkMarketOpen(ticker string) error {
	m, ok := x.markets[ticker]
	if !ok {
		return errMarketNotFound()
	}
	if m.status != "active" {
		return errMarketClosed()
	}
	return nil
}

// checkCash refuses the trade when p cannot pay its side: the contracts
// at their outcome's price, the fee for the taker, less the $1 paid back
// for each contract that closes an opposite position (as placing an
// order counts it).
func (x *exchange) checkCash(t directTrade, p tradeParty, taker bool) error {
	a := x.account(p.userID)
	need := p.side.outcomePrice(t.price).Mul(t.count)
	if taker {
		need = need.Add(t.fee())
	}
	held := money.Count{}
	if pos := a.positions[t.ticker]; pos != nil {
		held = pos.count
	}
	if (p.side == bid && held.Sign() < 0) || (p.side == ask && held.Sign() > 0) {
		need = need.Sub(money.One.Mul(t.count.Min(held.Abs())))
	}
	if need.Cmp(a.balance) > 0 {
		return errInsufficientBalance()
	}
	return nil
}

// checkDirect refuses a trade that cannot execute now: a market not
// trading, or a party short of cash.
func (x *exchange) checkDirect(t directTrade) error {
	if err := x.checkMarketOpen(t.ticker); err != nil {
		return err
	}
	if err := x.checkCash(t, t.maker, false); err != nil {
		return err
	}
	return x.checkCash(t, t.taker, true)
}

// executeDirect carries out a checked trade: an order for each party,
// filled at once, their fills and positions, the public trade, and the
// feed's trade, fill, user_orders and market_positions events. The book
// does not change. It returns the maker's and the taker's orders.
func (x *exchange) executeDirect(t directTrade, now time.Time) (makerOrder, takerOrder *order) {
	m := x.markets[t.ticker]
	mo := x.directOrder(t, t.maker, now)
	to := x.directOrder(t, t.taker, now)
	tradeID := x.newID()
	seq := x.nextSeq()

	makerCost := t.maker.side.outcomePrice(t.price).Mul(t.count)
	takerCost := t.taker.side.outcomePrice(t.price).Mul(t.count)
	fee := t.fee()
	mo.makerCost = makerCost
	to.takerCost, to.takerFees = takerCost, fee
	ma, ta := x.account(t.maker.userID), x.account(t.taker.userID)
	mp := x.applyFill(ma, t.ticker, t.maker.side, t.count, makerCost, money.Zero, false, now)
	tp := x.applyFill(ta, t.ticker, t.taker.side, t.count, takerCost, fee, false, now)

	tr := &tradeRecord{id: tradeID, ticker: t.ticker, price: t.price, count: t.count, takerSide: t.taker.side, at: now, seq: seq}
	x.trades = append(x.trades, tr)
	m.trades = append(m.trades, tr)
	m.lastPrice = t.price
	m.volume = m.volume.Add(t.count)
	m.updated = now

	mf := &fillRecord{id: x.newID(), tradeID: tradeID, orderID: mo.id, ticker: t.ticker, side: t.maker.side, price: t.price, count: t.count, at: now, seq: seq}
	tf := &fillRecord{id: x.newID(), tradeID: tradeID, orderID: to.id, ticker: t.ticker, side: t.taker.side, price: t.price, count: t.count, fee: fee, taker: true, at: now, seq: seq}
	ma.fills = append(ma.fills, mf)
	ta.fills = append(ta.fills, tf)

	x.publishTrade(m, tr)
	x.publishFill(ma.userID, mf)
	x.publishFill(ta.userID, tf)
	x.publishOrder(mo, now)
	x.publishOrder(to, now)
	x.publishPosition(ma, t.ticker, mp, now)
	x.publishPosition(ta, t.ticker, tp, now)
	return mo, to
}

// directOrder records the order a party of a direct trade gets: executed
// in full at once, with a client_order_id of the exchange's making (as
// quote_executed reports it), listed among the party's orders.
func (x *exchange) directOrder(t directTrade, p tradeParty, now time.Time) *order {
	o := &order{
		id: x.newID(), clientID: x.newID(), userID: p.userID, ticker: t.ticker, side: p.side, price: t.price,
		initial: t.count, filled: t.count, status: "executed", tif: "fill_or_kill", stp: "taker_at_cross",
		subaccount: p.subaccount, created: now, updated: now, seq: x.nextSeq(),
	}
	o.placed = o.seq
	a := x.account(p.userID)
	x.orders[o.id] = o
	a.orders = append(a.orders, o)
	a.clientIDs[o.clientID] = o
	return o
}
