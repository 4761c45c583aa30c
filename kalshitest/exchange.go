package kalshitest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// exchange is the fake's whole in-memory state: markets and their books,
// accounts with balances, positions, orders and fills, and the event
// stream. One mutex guards it all, so every operation is atomic and the
// event stream is in exactly the order things happened. It knows nothing
// about HTTP and is tested on its own.
type exchange struct {
	mu    sync.Mutex
	clock func() time.Time
	rng   *rand.Rand // prices and sizes of the generated markets
	ids   *rand.Rand // order, trade, fill and user IDs

	series      map[string]*seriesState
	seriesOrder []string
	events      map[string]*eventState
	eventOrder  []string
	markets     map[string]*marketState
	marketOrder []string

	accounts map[string]*account
	orders   map[string]*order
	trades   []*tradeRecord // every trade, oldest first
	seq      uint64         // time priority and list order of orders, fills, trades

	domains // RFQs, order groups, subaccounts and the rest (domains.go)

	hub hub
}

// account is one ledger: a user's primary account or one of its numbered
// subaccounts (ledgers.go), each with its own cash, positions, orders,
// fills and settlements.
type account struct {
	userID      string
	sub         int           // 0 for the primary account, 1-63 for a numbered subaccount
	balance     money.Dollars // available cash on shard 0, where the markets trade; resting orders' cost is held out of it
	positions   map[string]*position
	orders      []*order // oldest first
	fills       []*fillRecord
	settlements []*settlementRecord
	clientIDs   map[string]*order     // primary only: client_order_id -> order, for all the user's subaccounts
	subaccounts []*account            // primary only: the numbered subaccounts, number n at n-1
	shardCash   map[int]money.Dollars // available cash on shards other than 0
	start       money.Dollars         // the cash the account was opened with
	netIn       money.Dollars         // cash transferred in from the user's other ledgers or exchange instances, less cash transferred out
	created     time.Time
	updated     time.Time
}

// position is an account's holding in one market: count is signed (+YES,
// −NO); exposure is the cost of the contracts held; realized is the
// profit of contracts closed (net of their cost, before fees).
type position struct {
	count    money.Count
	exposure money.Dollars
	realized money.Dollars
	fees     money.Dollars
	traded   money.Dollars
	updated  time.Time
}

// fillRecord is one side of a trade, as the account that traded sees it.
type fillRecord struct {
	id, tradeID, orderID, ticker string
	side                         bookSide
	price                        money.Dollars // YES price of the trade
	count                        money.Count
	fee                          money.Dollars
	taker                        bool
	sub                          int // the subaccount that traded
	at                           time.Time
	seq                          uint64
}

// tradeRecord is one public trade.
type tradeRecord struct {
	id, ticker string
	price      money.Dollars // YES price
	count      money.Count
	takerSide  bookSide
	at         time.Time
	seq        uint64
}

// settlementRecord is what an account got when a market settled.
type settlementRecord struct {
	ticker, eventTicker string
	result              string
	yesCount, noCount   money.Count
	yesCost, noCost     money.Dollars
	revenue             money.Dollars
	at                  time.Time
	seq                 uint64
}

const houseUser = "house"

// newExchange makes an exchange whose generated markets follow seed. IDs
// follow idSeed: the same seed when the user chose one, so that a run can be
// repeated exactly, and a random one otherwise, so that no ID of one run
// comes back in the next.
func newExchange(clock func() time.Time, seed, idSeed uint64) *exchange {
	return &exchange{
		clock:    clock,
		rng:      rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		ids:      rand.New(rand.NewPCG(idSeed, idSeed^0x6a09e667f3bcc909)),
		series:   map[string]*seriesState{},
		events:   map[string]*eventState{},
		markets:  map[string]*marketState{},
		accounts: map[string]*account{},
		orders:   map[string]*order{},
	}
}

// now is the exchange clock in UTC with microsecond precision, as Kalshi
// reports times.
func (x *exchange) now() time.Time { return x.clock().UTC().Truncate(time.Microsecond) }

func (x *exchange) nextSeq() uint64 {
	x.seq++
	return x.seq
}

// newID returns a version 4 UUID drawn from the ID source (see newExchange).
func (x *exchange) newID() string {
	var u [16]byte
	for i := 0; i < 16; i += 8 {
		v := x.ids.Uint64()
		for j := range 8 {
			u[i+j] = byte(v >> (8 * j))
		}
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// ensureAccount returns the account of userID, creating it with balance.
func (x *exchange) ensureAccount(userID string, balance money.Dollars) *account {
	if a, ok := x.accounts[userID]; ok {
		return a
	}
	now := x.now()
	a := &account{userID: userID, balance: balance, start: balance, positions: map[string]*position{}, clientIDs: map[string]*order{}, created: now, updated: now}
	x.accounts[userID] = a
	return a
}

func (x *exchange) account(userID string) *account {
	return x.ensureAccount(userID, money.Zero)
}

// addMarket adds a market (and its event and series when new).
func (x *exchange) addMarket(m *marketState) {
	if _, ok := x.markets[m.ticker]; ok {
		return
	}
	x.markets[m.ticker] = m
	x.marketOrder = append(x.marketOrder, m.ticker)
	if ev, ok := x.events[m.eventTicker]; ok {
		ev.markets = append(ev.markets, m.ticker)
	}
}

func (x *exchange) addEvent(e *eventState) {
	if _, ok := x.events[e.ticker]; ok {
		return
	}
	x.events[e.ticker] = e
	x.eventOrder = append(x.eventOrder, e.ticker)
}

func (x *exchange) addSeries(s *seriesState) {
	if _, ok := x.series[s.ticker]; ok {
		return
	}
	x.series[s.ticker] = s
	x.seriesOrder = append(x.seriesOrder, s.ticker)
}

// expire cancels good-till-canceled orders whose expiration time has
// passed. Every operation calls it first, so expiry is exact as seen from
// outside.
func (x *exchange) expire(now time.Time) {
	for _, t := range x.marketOrder {
		m := x.markets[t]
		for _, o := range m.book.expired(now) {
			x.cancelResting(o, now)
		}
	}
}

// --- positions, balances and invariants ---

// applyFill moves money and position for one fill of an account: cost is
// what the account pays for the contracts (price of its outcome × count),
// fee the trading fee. Contracts opposite to an open position close it:
// each YES+NO pair pays back $1 at once, and the difference to the
// pair's cost is realized.
func (x *exchange) applyFill(a *account, ticker string, side bookSide, count money.Count, cost, fee money.Dollars, fromReserve bool, now time.Time) *position {
	p := a.positions[ticker]
	if p == nil {
		p = &position{}
		a.positions[ticker] = p
	}
	if !fromReserve {
		a.balance = a.balance.Sub(cost)
	}
	a.balance = a.balance.Sub(fee)
	p.fees = p.fees.Add(fee)
	p.traded = p.traded.Add(cost)

	dir := count
	if side == ask {
		dir = count.Neg()
	}
	m := x.markets[ticker]
	oldLong := maxCount(p.count, money.Count{})
	if p.count.Sign() == 0 || p.count.Sign() == dir.Sign() {
		p.count = p.count.Add(dir)
		p.exposure = p.exposure.Add(cost)
	} else {
		held := p.count.Abs()
		k := count.Min(held)
		// cost basis of the k contracts closed, pro rata
		basis := money.DollarsFromMicros(p.exposure.Micros() * k.Hundredths() / held.Hundredths())
		costK := money.DollarsFromMicros(cost.Micros() * k.Hundredths() / count.Hundredths())
		payback := money.One.Mul(k)
		a.balance = a.balance.Add(payback)
		p.realized = p.realized.Add(payback.Sub(basis).Sub(costK))
		p.exposure = p.exposure.Sub(basis).Add(cost.Sub(costK))
		if side == ask {
			p.count = p.count.Sub(count)
		} else {
			p.count = p.count.Add(count)
		}
	}
	if m != nil {
		newLong := maxCount(p.count, money.Count{})
		m.openInterest = m.openInterest.Add(newLong.Sub(oldLong))
	}
	p.updated = now
	a.updated = now
	return p
}

func maxCount(a, b money.Count) money.Count {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}

// reservedTotal is the cash held for an account's resting orders.
func (a *account) reservedTotal() money.Dollars {
	total := money.Zero
	for _, o := range a.orders {
		total = total.Add(o.reserved)
	}
	return total
}

// portfolioValue marks open positions at the market's last price (or the
// position's cost when the market never traded).
func (x *exchange) portfolioValue(a *account) money.Dollars {
	total := money.Zero
	for ticker, p := range a.positions {
		if p.count.IsZero() {
			continue
		}
		m := x.markets[ticker]
		if m == nil || m.lastPrice.IsZero() {
			total = total.Add(p.exposure)
			continue
		}
		mark := m.lastPrice
		if p.count.Sign() < 0 {
			mark = money.One.Sub(mark)
		}
		total = total.Add(mark.Mul(p.count.Abs()))
	}
	return total
}

// settle resolves a market now: resting orders are canceled, every
// contract on the winning outcome pays $1, positions close.
func (x *exchange) settle(ticker, result string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.settleLocked(ticker, result, x.now())
}

// settleLocked is settle as of now, with the exchange lock held.
func (x *exchange) settleLocked(ticker, result string, now time.Time) error {
	m, ok := x.markets[ticker]
	if !ok {
		return errMarketNotFound()
	}
	if result != "yes" && result != "no" {
		return fmt.Errorf("kalshitest: settle %s: result must be \"yes\" or \"no\", got %q", ticker, result)
	}
	if m.status == "finalized" {
		return fmt.Errorf("kalshitest: settle %s: already settled", ticker)
	}
	for _, o := range m.book.all() {
		x.cancelResting(o, now)
	}
	m.status, m.result, m.settledAt, m.updated = "finalized", result, now, now
	x.publishLifecycle(m, now)
	for _, a := range x.allLedgers() {
		p := a.positions[ticker]
		if p == nil || (p.count.IsZero() && p.exposure.IsZero()) {
			continue
		}
		rec := &settlementRecord{ticker: ticker, eventTicker: m.eventTicker, result: result, at: now, seq: x.nextSeq()}
		payout := money.Zero
		if p.count.Sign() > 0 {
			rec.yesCount, rec.yesCost = p.count, p.exposure
			if result == "yes" {
				payout = money.One.Mul(p.count)
			}
		} else if p.count.Sign() < 0 {
			rec.noCount, rec.noCost = p.count.Abs(), p.exposure
			if result == "no" {
				payout = money.One.Mul(p.count.Abs())
			}
		}
		rec.revenue = payout
		a.balance = a.balance.Add(payout)
		p.realized = p.realized.Add(payout.Sub(p.exposure))
		p.exposure = money.Zero
		p.count = money.Count{}
		p.updated = now
		a.settlements = append(a.settlements, rec)
		x.publishPosition(a, ticker, p, now)
	}
	m.openInterest = money.Count{}
	return nil
}

// sortedMarkets returns the markets in listing order.
func (x *exchange) sortedMarkets() []*marketState {
	out := make([]*marketState, 0, len(x.marketOrder))
	for _, t := range x.marketOrder {
		out = append(out, x.markets[t])
	}
	return out
}

// splitList splits a comma-separated query value.
func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }
