package kalshitest

import (
	"math/bits"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// orderRequest is a validated new order, as the engine takes it.
type orderRequest struct {
	userID, ticker, clientID string
	side                     bookSide
	price                    money.Dollars
	count                    money.Count
	tif                      string // fill_or_kill, good_till_canceled, immediate_or_cancel
	postOnly, reduceOnly     bool
	cancelOnPause            bool
	stp                      string // taker_at_cross (default) or maker
	expiration               *time.Time
	subaccount               int
	orderGroup               string
}

// placement is what happened to a new order.
type placement struct {
	order        *order
	clientID     string // the order's client_order_id at placement, read after the lock is released
	filled       money.Count
	fillCost     money.Dollars // at YES prices: Σ price × count
	fees         money.Dollars
	remainingNow money.Count // resting after placement
	at           time.Time
}

// Kalshi's fee schedule as the fake models it: makers pay nothing; takers
// pay 7% of count × P × (1 − P) for each fill at YES price P, rounded up
// to $0.0001 (so 1 contract at $0.52 costs $0.0175, as on Kalshi).
const takerFeeRatePerMille = 70

// takerFee is the fee of one taker fill.
func takerFee(price money.Dollars, count money.Count) money.Dollars {
	p := uint64(price.Micros())
	h := uint64(count.Hundredths())
	if p == 0 || p >= 1_000_000 || count.Sign() <= 0 {
		return money.Zero
	}
	// fee in micro-dollars = 7% × (h/100) × (p/1e6) × ((1e6−p)/1e6) × 1e6
	//                      = 7·p·(1e6−p)·h / 1e10; rounded up to 100 micros
	hi, lo := bits.Mul64(takerFeeRatePerMille/10*p*(1_000_000-p), h)
	if hi >= 1e12 {
		return money.DollarsFromMicros(1 << 62) // beyond any balance
	}
	q, r := bits.Div64(hi, lo, 1e12)
	if r != 0 {
		q++
	}
	return money.DollarsFromMicros(int64(q) * 100)
}

// fillPlan is one prospective match of the incoming order.
type fillPlan struct {
	maker *order
	count money.Count
}

// plan walks the opposite side of the book the way matching would, without
// changing anything: the fills an order of req would get, the own resting
// orders self-trade prevention would cancel (stp maker), and whether a
// self-trade stopped it (stp taker_at_cross).
func (b *book) plan(req orderRequest, limit money.Count) (fills []fillPlan, selfCanceled []*order, stopped bool) {
	left := limit
	for _, l := range *b.levels(req.side.opposite()) {
		if left.IsZero() || !marketable(req.side, req.price, l.price) {
			break
		}
		for _, o := range l.orders {
			if left.IsZero() {
				break
			}
			if o.userID == req.userID {
				if req.stp == "maker" {
					selfCanceled = append(selfCanceled, o)
					continue
				}
				return fills, selfCanceled, true
			}
			q := left.Min(o.remaining)
			fills = append(fills, fillPlan{maker: o, count: q})
			left = left.Sub(q)
		}
	}
	return fills, selfCanceled, false
}

// place runs a new order through validation, the balance check and
// matching, atomically.
func (x *exchange) place(req orderRequest) (*placement, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	return x.placeLocked(req, now)
}

// maxOrderCount is the largest count an order may have on the fake: far
// above any real order, and small enough that no cost, fee or balance
// computed from it can overflow.
var maxOrderCount = money.CountFromInt(1_000_000_000)

func (x *exchange) placeLocked(req orderRequest, now time.Time) (*placement, error) {
	m, ok := x.markets[req.ticker]
	if !ok {
		return nil, errMarketNotFound()
	}
	if m.status != "active" {
		return nil, errMarketClosed()
	}
	if err := m.checkPrice(req.price); err != nil {
		return nil, err
	}
	if req.count.Sign() <= 0 {
		return nil, errInvalidOrder("count must be positive")
	}
	if req.count.Cmp(maxOrderCount) > 0 {
		return nil, errInvalidOrder("count must be at most " + maxOrderCount.String())
	}
	if _, whole := req.count.Int(); !whole && !m.fractional {
		return nil, errInvalidOrder("fractional count not allowed in this market")
	}
	if req.reduceOnly && req.tif != "immediate_or_cancel" {
		return nil, errInvalidOrder("reduce_only requires immediate_or_cancel")
	}
	if req.expiration != nil && req.tif != "good_till_canceled" {
		return nil, errInvalidOrder("expiration_time requires good_till_canceled")
	}
	if req.expiration != nil && !req.expiration.After(now) {
		return nil, errInvalidOrder("expiration_time is in the past")
	}
	if err := x.checkOrderGroup(req); err != nil {
		return nil, err
	}
	if req.stp == "" {
		req.stp = "taker_at_cross"
	}
	a, err := x.ledger(req.userID, req.subaccount) // the order trades for its subaccount's ledger
	if err != nil {
		return nil, err
	}
	owner := x.account(req.userID) // client_order_id is unique across the user's subaccounts
	if req.clientID != "" {
		if _, dup := owner.clientIDs[req.clientID]; dup {
			return nil, errOrderExists()
		}
	}

	size := req.count
	if req.reduceOnly {
		pos := money.Count{}
		if p := a.positions[req.ticker]; p != nil {
			pos = p.count
		}
		reducible := money.Count{}
		if (req.side == bid && pos.Sign() < 0) || (req.side == ask && pos.Sign() > 0) {
			reducible = pos.Abs()
		}
		size = size.Min(reducible)
	}
	if req.postOnly && m.book.crosses(req.side, req.price) {
		return nil, errInvalidOrder("post only cross")
	}

	fills, selfCanceled, stopped := m.book.plan(req, size)
	var filled money.Count
	for _, f := range fills {
		filled = filled.Add(f.count)
	}
	if req.tif == "fill_or_kill" && filled.Cmp(size) < 0 {
		// nothing trades; the order is canceled whole
		fills, selfCanceled, filled = nil, nil, money.Count{}
	}
	rest := money.Count{}
	if req.tif == "good_till_canceled" && !stopped {
		rest = size.Sub(filled)
	}

	// exact cash the order needs: fills at the makers' prices, fees, the
	// $1 per contract paid back where fills close an opposite position,
	// and the cost of the rest at the limit price
	need := money.Zero
	pos := money.Count{}
	if p := a.positions[req.ticker]; p != nil {
		pos = p.count
	}
	for _, f := range fills {
		need = need.Add(req.side.outcomePrice(f.maker.price).Mul(f.count)).Add(takerFee(f.maker.price, f.count))
		closing := money.Count{}
		if req.side == bid && pos.Sign() < 0 {
			closing = f.count.Min(pos.Abs())
			pos = pos.Add(closing)
		} else if req.side == ask && pos.Sign() > 0 {
			closing = f.count.Min(pos)
			pos = pos.Sub(closing)
		}
		need = need.Sub(money.One.Mul(closing))
	}
	held := req.side.outcomePrice(req.price).Mul(rest)
	need = need.Add(held)
	if need.Cmp(a.balance) > 0 {
		return nil, errInsufficientBalance()
	}

	o := &order{
		id: x.newID(), clientID: req.clientID, userID: req.userID, ticker: req.ticker,
		side: req.side, price: req.price, initial: req.count, remaining: req.count,
		status: "resting", tif: req.tif, postOnly: req.postOnly, reduceOnly: req.reduceOnly,
		cancelOnPause: req.cancelOnPause, stp: req.stp, subaccount: req.subaccount, orderGroup: req.orderGroup,
		expiration: req.expiration, created: now, updated: now, seq: x.nextSeq(),
	}
	o.placed = o.seq
	x.orders[o.id] = o
	a.orders = append(a.orders, o)
	if o.clientID != "" {
		owner.clientIDs[o.clientID] = o
	}

	for _, s := range selfCanceled {
		x.cancelResting(s, now)
	}
	pl := &placement{order: o, clientID: o.clientID, at: now}
	for _, f := range fills {
		x.execute(m, o, f.maker, f.count, now)
		pl.filled = pl.filled.Add(f.count)
		pl.fillCost = pl.fillCost.Add(f.maker.price.Mul(f.count))
	}
	pl.fees = o.takerFees
	if rest.Sign() > 0 {
		o.reserved = held
		a.balance = a.balance.Sub(held)
		m.book.add(o)
		pl.remainingNow = rest
		x.publishBook(m, o.side, o.price, rest, now)
	} else {
		o.remaining = money.Count{}
		if o.filled.Cmp(o.initial) == 0 {
			o.status = "executed"
		} else {
			o.status = "canceled"
		}
	}
	o.updated = now
	x.publishOrder(o, now)
	x.fireOrderGroups(now)
	return pl, nil
}

// execute trades count contracts between the incoming taker and a resting
// maker at the maker's price.
func (x *exchange) execute(m *marketState, taker, maker *order, count money.Count, now time.Time) {
	price := maker.price
	tradeID := x.newID()
	seq := x.nextSeq()

	// maker: paid from the cash held for it, no fee
	makerCost := maker.side.outcomePrice(price).Mul(count)
	maker.reserved = maker.reserved.Sub(makerCost)
	maker.remaining = maker.remaining.Sub(count)
	maker.filled = maker.filled.Add(count)
	maker.makerCost = maker.makerCost.Add(makerCost)
	maker.updated = now
	if maker.remaining.IsZero() {
		maker.status = "executed"
		m.book.remove(maker)
		ma := x.ledgerOf(maker)
		ma.balance = ma.balance.Add(maker.reserved) // rounding leftovers, none for exact prices
		maker.reserved = money.Zero
	}
	ma := x.ledgerOf(maker)
	mp := x.applyFill(ma, m.ticker, maker.side, count, makerCost, money.Zero, true, now)

	// taker: pays from available cash, plus the fee
	takerCost := taker.side.outcomePrice(price).Mul(count)
	fee := takerFee(price, count)
	taker.remaining = taker.remaining.Sub(count)
	taker.filled = taker.filled.Add(count)
	taker.takerCost = taker.takerCost.Add(takerCost)
	taker.takerFees = taker.takerFees.Add(fee)
	ta := x.ledgerOf(taker)
	tp := x.applyFill(ta, m.ticker, taker.side, count, takerCost, fee, false, now)

	tr := &tradeRecord{id: tradeID, ticker: m.ticker, price: price, count: count, takerSide: taker.side, at: now, seq: seq}
	x.trades = append(x.trades, tr)
	m.trades = append(m.trades, tr)
	m.lastPrice = price
	m.volume = m.volume.Add(count)
	m.updated = now

	mf := &fillRecord{id: x.newID(), tradeID: tradeID, orderID: maker.id, ticker: m.ticker, side: maker.side, price: price, count: count, sub: maker.subaccount, at: now, seq: seq}
	tf := &fillRecord{id: x.newID(), tradeID: tradeID, orderID: taker.id, ticker: m.ticker, side: taker.side, price: price, count: count, fee: fee, taker: true, sub: taker.subaccount, at: now, seq: seq}
	ma.fills = append(ma.fills, mf)
	ta.fills = append(ta.fills, tf)

	x.publishBook(m, maker.side, price, count.Neg(), now)
	x.publishTrade(m, tr)
	x.publishFill(maker.userID, mf)
	x.publishFill(taker.userID, tf)
	x.publishOrder(maker, now)
	x.publishPosition(ma, m.ticker, mp, now)
	x.publishPosition(ta, m.ticker, tp, now)
	x.countGroupFill(maker, count, now)
	x.countGroupFill(taker, count, now)
}

// cancelResting takes a resting order off its book and gives back the cash
// held for it.
func (x *exchange) cancelResting(o *order, now time.Time) money.Count {
	m := x.markets[o.ticker]
	if o.status != "resting" || m == nil || !m.book.remove(o) {
		return money.Count{}
	}
	reduced := o.remaining
	a := x.ledgerOf(o)
	a.balance = a.balance.Add(o.reserved)
	o.reserved = money.Zero
	o.remaining = money.Count{}
	o.status = "canceled"
	o.updated = now
	x.publishBook(m, o.side, o.price, reduced.Neg(), now)
	x.publishOrder(o, now)
	return reduced
}

// lookup finds a user's order.
func (x *exchange) lookup(userID, orderID string) (*order, error) {
	o, ok := x.orders[orderID]
	if !ok || o.userID != userID {
		return nil, errNotFound()
	}
	return o, nil
}

// cancel cancels a user's resting order and returns the contracts removed.
func (x *exchange) cancel(userID, orderID string) (*order, money.Count, time.Time, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	o, err := x.lookup(userID, orderID)
	if err != nil {
		return nil, money.Count{}, now, err
	}
	if o.status != "resting" {
		return nil, money.Count{}, now, errNotFound()
	}
	return o, x.cancelResting(o, now), now, nil
}

// cancelAll cancels every resting order of a user (of one subaccount when
// sub is not nil).
func (x *exchange) cancelAll(userID string, sub *int) int {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	n := 0
	for _, a := range x.account(userID).ledgers() {
		for _, o := range a.orders {
			if o.status == "resting" && (sub == nil || *sub == o.subaccount) {
				x.cancelResting(o, now)
				n++
			}
		}
	}
	return n
}

// decrease takes contracts off a resting order: by reduceBy, or down to
// reduceTo. Decreasing to zero cancels it.
func (x *exchange) decrease(userID, orderID string, reduceBy, reduceTo *money.Count) (*order, time.Time, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	o, err := x.lookup(userID, orderID)
	if err != nil {
		return nil, now, err
	}
	if (reduceBy == nil) == (reduceTo == nil) {
		return nil, now, errInvalidOrder("give exactly one of reduce_by and reduce_to")
	}
	if o.status != "resting" {
		return nil, now, errNotFound()
	}
	var by money.Count
	if reduceBy != nil {
		if reduceBy.Sign() <= 0 {
			return nil, now, errInvalidOrder("reduce_by must be positive")
		}
		by = reduceBy.Min(o.remaining)
	} else {
		if reduceTo.Sign() < 0 || reduceTo.Cmp(o.remaining) >= 0 {
			return nil, now, errInvalidOrder("reduce_to must be below the resting count")
		}
		by = o.remaining.Sub(*reduceTo)
	}
	if by.Cmp(o.remaining) == 0 {
		x.cancelResting(o, now)
		return o.copy(), now, nil
	}
	m := x.markets[o.ticker]
	refund := o.side.outcomePrice(o.price).Mul(by)
	o.remaining = o.remaining.Sub(by)
	o.reserved = o.reserved.Sub(refund)
	a := x.ledgerOf(o)
	a.balance = a.balance.Add(refund)
	o.updated = now
	x.publishBook(m, o.side, o.price, by.Neg(), now)
	x.publishOrder(o, now)
	return o.copy(), now, nil
}

// copy returns the order as it stands, for a caller that reads it after
// the exchange lock is released (another request may be filling it).
func (o *order) copy() *order {
	c := *o
	return &c
}

// amendment is the result of an amend.
type amendment struct {
	order    *order // a copy, as the amend left it
	filled   money.Count
	fillCost money.Dollars
	fees     money.Dollars
	resized  bool
	at       time.Time
}

// amend changes a resting order's price and total size (filled plus what
// should rest). A lower size at the same price keeps its place in the
// queue; a new price or a bigger size re-enters at the back and may trade
// at once.
func (x *exchange) amend(userID, orderID, ticker string, side bookSide, price money.Dollars, total money.Count, newClientID string, expiration *time.Time, clearExpiration bool) (*amendment, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	o, err := x.lookup(userID, orderID)
	if err != nil {
		return nil, err
	}
	if o.status != "resting" {
		return nil, errNotFound()
	}
	if o.ticker != ticker || o.side != side {
		return nil, errInvalidOrder("ticker and side must match the order")
	}
	m := x.markets[o.ticker]
	if err := m.checkPrice(price); err != nil {
		return nil, err
	}
	if o.postOnly && m.book.crosses(o.side, price) {
		// a post-only order stays a maker when amended, as when placed
		return nil, errInvalidOrder("post only cross")
	}
	if total.Cmp(maxOrderCount) > 0 {
		return nil, errInvalidOrder("count must be at most " + maxOrderCount.String())
	}
	newRest := total.Sub(o.filled)
	if newRest.Sign() <= 0 {
		return nil, errInvalidOrder("count must exceed the filled count")
	}
	a, owner := x.ledgerOf(o), x.account(userID)
	if newClientID != "" && newClientID != o.clientID {
		if _, dup := owner.clientIDs[newClientID]; dup {
			return nil, errOrderExists()
		}
	}
	res := &amendment{order: o, at: now, resized: newRest.Cmp(o.remaining) != 0}
	keepsPlace := price == o.price && newRest.Cmp(o.remaining) <= 0

	if keepsPlace {
		by := o.remaining.Sub(newRest)
		if by.Sign() > 0 {
			refund := o.side.outcomePrice(o.price).Mul(by)
			o.remaining, o.reserved = newRest, o.reserved.Sub(refund)
			a.balance = a.balance.Add(refund)
			x.publishBook(m, o.side, o.price, by.Neg(), now)
		}
	} else {
		// the cash the amended order needs: its fills and the new rest,
		// against the cash it holds now
		req := orderRequest{userID: userID, ticker: o.ticker, side: o.side, price: price, count: newRest, stp: o.stp}
		fills, _, stopped := m.book.plan(req, newRest)
		need := money.Zero
		var filled money.Count
		for _, f := range fills {
			need = need.Add(o.side.outcomePrice(f.maker.price).Mul(f.count)).Add(takerFee(f.maker.price, f.count))
			filled = filled.Add(f.count)
		}
		rest := newRest.Sub(filled)
		if stopped {
			rest = money.Count{}
		}
		need = need.Add(o.side.outcomePrice(price).Mul(rest))
		if need.Cmp(a.balance.Add(o.reserved)) > 0 {
			return nil, errInsufficientBalance()
		}
		// take it off the book, then re-enter like a new order
		old := o.remaining
		m.book.remove(o)
		a.balance = a.balance.Add(o.reserved)
		o.reserved = money.Zero
		x.publishBook(m, o.side, o.price, old.Neg(), now)
		o.price, o.remaining, o.seq = price, newRest, x.nextSeq()
		feesBefore := o.takerFees
		_, selfCanceled, _ := m.book.plan(req, newRest)
		for _, s := range selfCanceled {
			x.cancelResting(s, now)
		}
		for _, f := range fills {
			x.execute(m, o, f.maker, f.count, now)
			res.filled = res.filled.Add(f.count)
			res.fillCost = res.fillCost.Add(f.maker.price.Mul(f.count))
		}
		res.fees = o.takerFees.Sub(feesBefore)
		if rest.Sign() > 0 && !stopped {
			o.remaining = rest
			o.reserved = o.side.outcomePrice(price).Mul(rest)
			a.balance = a.balance.Sub(o.reserved)
			m.book.add(o)
			x.publishBook(m, o.side, o.price, rest, now)
		} else {
			o.remaining = money.Count{}
			if o.filled.Cmp(total) >= 0 {
				o.status = "executed"
			} else {
				o.status = "canceled"
			}
		}
		res.resized = true
	}
	if newClientID != "" && newClientID != o.clientID {
		delete(owner.clientIDs, o.clientID)
		o.clientID = newClientID
		owner.clientIDs[newClientID] = o
	}
	if clearExpiration {
		o.expiration = nil
	} else if expiration != nil {
		o.expiration = expiration
	}
	o.initial = total
	o.updated = now
	x.publishOrder(o, now)
	x.fireOrderGroups(now)
	res.order = o.copy()
	return res, nil
}
