package kalshitest

import (
	"context"
	"crypto/sha1"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// wsFeed is the server side of the WebSocket API: it accepts connections,
// answers their commands and turns the exchange's event stream into
// frames.
//
// It keeps its own mirror of what the frames describe (every market's
// aggregated book, last trade, volume and open interest, every user's
// position and traded volume), seeded from the exchange under its lock at
// the moment it subscribes to the event stream and then moved forward only
// by events. A snapshot taken from the mirror is therefore exactly the
// book the deltas after it change, and a ticker is the market as of the
// last event applied: the frames of every subscription agree with each
// other and, once the stream is drained, with REST.
//
// One mutex guards the mirror and the subscriptions of every connection:
// events and commands are applied one at a time, in order, and frames are
// numbered and queued under it, so each subscription's seq is contiguous
// and its frames leave in that order.
type wsFeed struct {
	s      *Server
	cfg    wsConfig
	faults wsFaultState

	mu      sync.Mutex
	closed  bool
	started bool
	cancel  context.CancelFunc
	events  *Subscription
	markets map[string]*feedMarket
	users   map[string]*feedUser
	dirty   []*feedMarket // markets whose ticker may have changed, in the order they were touched
	conns   []*WSConn
	wg      sync.WaitGroup // the event loop and every connection
}

// feedMarket is the mirror of one market.
type feedMarket struct {
	ticker, id string
	yes, no    map[int64]int64 // bids by price: micro-dollars of the side's own outcome -> hundredths of a contract
	seq        uint64          // the exchange's MarketSeq the book holds
	status     string
	lastPrice  money.Dollars
	lastSize   money.Count
	volume     money.Count
	oi         money.Count
	updated    time.Time
	dirty      bool
	sent       tickerState // the ticker fields last reported
}

// feedUser is the mirror of one ledger (a primary account or a subaccount,
// by ledgerKey): position and contracts traded per market.
type feedUser struct {
	position map[string]money.Count
	volume   map[string]money.Count
}

// tickerState is what a ticker message reports; a ticker is sent when it changes.
type tickerState struct {
	price, yesBid, yesAsk         money.Dollars
	yesBidSize, yesAskSize        money.Count
	volume, openInterest, lastQty money.Count
}

func newWSFeed(s *Server, cfg wsConfig, seed uint64) *wsFeed {
	cfg = cfg.withDefaults()
	f := &wsFeed{s: s, cfg: cfg}
	f.faults.f = cfg.faults
	f.faults.rng = rand.New(rand.NewPCG(seed^0x5bd1e995, seed+7))
	return f
}

// ServeHTTP upgrades a signed handshake to a WebSocket connection and
// serves it until it ends.
func (f *wsFeed) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	userID, err := f.s.Authenticate(r)
	if err != nil {
		writeError(w, err)
		return
	}
	f.mu.Lock()
	closed := f.closed
	f.mu.Unlock()
	if closed {
		writeError(w, errUnavailable())
		return
	}
	c, err := acceptWS(f, w, r, userID)
	if err != nil {
		return // Accept has answered the request
	}
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		c.ws.CloseNow()
		return
	}
	if !f.started {
		f.startLocked()
	}
	f.conns = append(f.conns, c)
	f.wg.Add(1)
	f.mu.Unlock()
	defer f.wg.Done()
	c.serve()
}

// startLocked seeds the mirror and starts the event loop.
func (f *wsFeed) startLocked() {
	f.seedLocked()
	ctx, cancel := context.WithCancel(context.Background())
	f.cancel = cancel
	f.wg.Add(1)
	go f.run(ctx)
	f.startIndexFeed(ctx)
}

// seedLocked copies the exchange's state into the mirror and subscribes to
// the event stream in one step under the exchange lock, so the events
// queued from then on are exactly the changes since the copy.
func (f *wsFeed) seedLocked() {
	x := f.s.x
	x.mu.Lock()
	f.events = x.hub.subscribe()
	f.markets = make(map[string]*feedMarket, len(x.markets))
	for _, t := range x.marketOrder {
		f.markets[t] = mirrorMarket(x.markets[t], true)
	}
	f.users = make(map[string]*feedUser, len(x.accounts))
	for _, a := range x.allLedgers() {
		u := f.user(ledgerKey(a.userID, a.sub))
		for t, p := range a.positions {
			u.position[t] = p.count
		}
		for _, fl := range a.fills {
			u.volume[fl.ticker] = u.volume[fl.ticker].Add(fl.count)
		}
	}
	x.mu.Unlock()
	f.started = true
}

// mirrorMarket copies a market's book (exchange lock held). withStats also
// copies last price, volume and open interest; a market that joins the
// mirror later starts from its creation values instead, which the events
// queued since then bring up to date.
func mirrorMarket(m *marketState, withStats bool) *feedMarket {
	fm := &feedMarket{
		ticker: m.ticker, id: marketID(m.ticker), seq: m.bookSeq, status: m.status, updated: m.updated,
		yes: map[int64]int64{}, no: map[int64]int64{},
	}
	for _, l := range m.book.depth(bid, 0) {
		fm.yes[l.Price.Micros()] = l.Count.Hundredths()
	}
	for _, l := range m.book.depth(ask, 0) {
		fm.no[l.Price.Micros()] = l.Count.Hundredths()
	}
	if withStats {
		fm.lastPrice, fm.volume, fm.oi = m.lastPrice, m.volume, m.openInterest
		if n := len(m.trades); n > 0 {
			fm.lastSize = m.trades[n-1].count
		}
	}
	fm.sent = fm.tickerState()
	return fm
}

func (f *wsFeed) user(id string) *feedUser {
	u := f.users[id]
	if u == nil {
		u = &feedUser{position: map[string]money.Count{}, volume: map[string]money.Count{}}
		f.users[id] = u
	}
	return u
}

// market returns the mirror of a market, adding one the mirror has not
// seen (a market added while the server runs); isNew reports that.
func (f *wsFeed) market(ticker string) (m *feedMarket, isNew bool) {
	if m = f.markets[ticker]; m != nil {
		return m, false
	}
	x := f.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	xm, ok := x.markets[ticker]
	if !ok {
		return nil, false
	}
	m = mirrorMarket(xm, false)
	f.markets[ticker] = m
	return m, true
}

// run applies the exchange's events in order until the feed shuts down.
func (f *wsFeed) run(ctx context.Context) {
	defer f.wg.Done()
	defer f.events.Close()
	for {
		select {
		case <-f.events.ready:
		case <-ctx.Done():
			return
		}
		f.mu.Lock()
		f.catchUp()
		f.mu.Unlock()
	}
}

// catchUp applies every event published so far (feed lock held). Taking
// events and applying them under one lock keeps them in order whoever
// does it: the event loop, or a command, which catches up first so that
// its answer reflects every REST request completed before it was sent.
func (f *wsFeed) catchUp() {
	s := f.events
	s.mu.Lock()
	batch := s.queue
	s.queue = nil
	s.mu.Unlock()
	for i := range batch {
		f.apply(&batch[i])
	}
	f.flushTickers()
}

// shutdown closes every connection and stops the event loop; it returns
// once all of the feed's goroutines have exited.
func (f *wsFeed) shutdown() {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		f.wg.Wait()
		return
	}
	f.closed = true
	conns := slices.Clone(f.conns)
	if f.cancel != nil {
		f.cancel()
	}
	f.mu.Unlock()
	for _, c := range conns {
		c.ws.CloseNow()
	}
	f.wg.Wait()
}

// apply moves the mirror forward by one event and sends its frames.
func (f *wsFeed) apply(ev *ExchangeEvent) {
	switch ev.Kind {
	case EventOrderbookDelta:
		m, _ := f.market(ev.Ticker)
		if m == nil || ev.MarketSeq <= m.seq {
			return // already in the book the mirror copied
		}
		m.seq = ev.MarketSeq
		side := m.yes
		if ev.Side == "no" {
			side = m.no
		}
		p := ev.Price.Micros()
		if n := side[p] + ev.Delta.Hundredths(); n > 0 {
			side[p] = n
		} else {
			delete(side, p)
		}
		f.touch(m, ev.Time)
		f.sendDelta(m, ev)
	case EventTrade:
		m, _ := f.market(ev.Ticker)
		if m == nil || ev.Trade == nil {
			return
		}
		m.lastPrice, m.lastSize, m.volume = ev.Trade.YesPriceDollars, ev.Trade.CountFp, m.volume.Add(ev.Trade.CountFp)
		f.touch(m, ev.Time)
		f.broadcast(ws.ChannelTrade, ev.Ticker, "", tradeMessage(ev))
	case EventFill:
		if ev.Fill == nil {
			return
		}
		u := f.user(ledgerKey(ev.UserID, ev.Subaccount))
		dir := ev.Fill.CountFp
		if ev.Fill.BookSide == "ask" {
			dir = dir.Neg()
		}
		post := u.position[ev.Ticker].Add(dir)
		f.setPosition(u, ev.Ticker, post, ev.Time)
		u.volume[ev.Ticker] = u.volume[ev.Ticker].Add(ev.Fill.CountFp)
		f.broadcast(ws.ChannelFill, ev.Ticker, ev.UserID, fillMessage(ev, post))
	case EventOrderUpdate:
		if ev.Order != nil {
			f.broadcast(ws.ChannelUserOrders, ev.Ticker, ev.UserID, userOrderMessage(ev))
		}
	case EventPositionUpdate:
		if ev.Position == nil {
			return
		}
		u := f.user(ledgerKey(ev.UserID, ev.Subaccount))
		f.setPosition(u, ev.Ticker, ev.Position.PositionFp, ev.Time)
		f.broadcast(ws.ChannelMarketPositions, ev.Ticker, ev.UserID, positionMessage(ev, u.volume[ev.Ticker]))
	case EventMarketLifecycle:
		f.lifecycle(ev)
	case EventChannelMessage:
		f.channelMessage(ev)
	}
}

// channelFilters decide, per channel, whether a subscription wants a
// channel message beyond who may see it: the communications channel's
// user filter and shards, the index channels' index lists. A channel
// without one sends every message to every subscription.
var channelFilters = map[string]func(s *wsSub, ev *ExchangeEvent) bool{}

// channelMessage sends a channel message to the subscriptions of its
// channel whose user is in its audience and whose filter takes it.
func (f *wsFeed) channelMessage(ev *ExchangeEvent) {
	if ev.Message == nil {
		return
	}
	accept := channelFilters[ev.Channel]
	for _, c := range f.conns {
		if len(ev.Audience) > 0 && !slices.Contains(ev.Audience, c.userID) {
			continue
		}
		for _, s := range c.subs {
			if s.channel == ev.Channel && (accept == nil || accept(s, ev)) {
				f.emit(s, copyMessage(ev.Message))
			}
		}
	}
}

// setPosition records a user's position in a market, moving the market's
// open interest (the long contracts) by the change. A fill moves the
// position first; the position update that follows it agrees, and
// settlement moves it with position updates alone.
func (f *wsFeed) setPosition(u *feedUser, ticker string, now money.Count, at time.Time) {
	old := u.position[ticker]
	u.position[ticker] = now
	if m, _ := f.market(ticker); m != nil && old != now {
		m.oi = m.oi.Add(maxCount(now, money.Count{})).Sub(maxCount(old, money.Count{}))
		f.touch(m, at)
	}
}

// touch marks a market's ticker for a check at the end of the batch.
func (f *wsFeed) touch(m *feedMarket, t time.Time) {
	if !m.dirty {
		m.dirty = true
		f.dirty = append(f.dirty, m)
	}
	if t.After(m.updated) {
		m.updated = t
	}
}

// sendDelta sends an orderbook_delta to the subscriptions of its market.
func (f *wsFeed) sendDelta(m *feedMarket, ev *ExchangeEvent) {
	base := ws.OrderbookDelta{
		MarketTicker: m.ticker, MarketID: m.id, Price: ev.Price, Delta: ev.Delta, Side: ws.Side(ev.Side),
		TS: ws.TextTimestamp(ev.Time), TSMs: ws.MillisOf(ev.Time),
	}
	f.eachSub(ws.ChannelOrderbookDelta, m.ticker, "", func(s *wsSub) {
		d := base
		if s.useYesPrice && d.Side == ws.No {
			d.Price = money.One.Sub(d.Price)
		}
		f.emit(s, &d)
	})
}

// broadcast sends a copy of msg to every subscription of channel that
// wants the market (and belongs to userID, for private channels).
func (f *wsFeed) broadcast(channel, ticker, userID string, msg ws.Message) {
	f.eachSub(channel, ticker, userID, func(s *wsSub) { f.emit(s, copyMessage(msg)) })
}

// eachSub calls fn for the subscriptions of channel that want ticker,
// connection by connection in the order they connected.
func (f *wsFeed) eachSub(channel, ticker, userID string, fn func(*wsSub)) {
	for _, c := range f.conns {
		if userID != "" && c.userID != userID {
			continue
		}
		for _, s := range c.subs {
			if s.channel == channel && s.wants(ticker) {
				fn(s)
			}
		}
	}
}

// flushTickers sends a ticker for every market whose ticker fields changed.
func (f *wsFeed) flushTickers() {
	dirty := f.dirty
	f.dirty = nil
	for _, m := range dirty {
		m.dirty = false
		st := m.tickerState()
		if st == m.sent {
			continue
		}
		m.sent = st
		f.broadcast(ws.ChannelTicker, m.ticker, "", m.tickerMessage())
	}
}

func (m *feedMarket) tickerState() tickerState {
	st := tickerState{price: m.lastPrice, yesAsk: money.One, volume: m.volume, openInterest: m.oi, lastQty: m.lastSize}
	if p, n, ok := best(m.yes); ok {
		st.yesBid, st.yesBidSize = money.DollarsFromMicros(p), money.CountFromHundredths(n)
	}
	if p, n, ok := best(m.no); ok {
		st.yesAsk, st.yesAskSize = money.One.Sub(money.DollarsFromMicros(p)), money.CountFromHundredths(n)
	}
	return st
}

// best returns the highest bid of a side.
func best(side map[int64]int64) (price, size int64, ok bool) {
	for p, n := range side {
		if !ok || p > price {
			price, size, ok = p, n, true
		}
	}
	return price, size, ok
}

func (m *feedMarket) tickerMessage() *ws.Ticker {
	st := m.tickerState()
	return &ws.Ticker{
		MarketID: m.id, MarketTicker: m.ticker, Price: st.price, YesBid: st.yesBid, YesAsk: st.yesAsk,
		Volume: st.volume, OpenInterest: st.openInterest,
		// Recorded frames report these as half the contract count, in whole dollars.
		DollarVolume: st.volume.Hundredths() / 200, DollarOpenInterest: st.openInterest.Hundredths() / 200,
		YesBidSize: st.yesBidSize, YesAskSize: st.yesAskSize, LastTradeSize: st.lastQty,
		TS: ws.UnixTimestamp(m.updated.Unix()), TSMs: ws.MillisOf(m.updated), Time: ws.TextTimestamp(m.updated),
	}
}

// snapshot returns the market's book as an orderbook_snapshot, both
// ladders ascending; with yesPrice the NO ladder is in yes-leg prices.
func (m *feedMarket) snapshot(yesPrice bool) *ws.OrderbookSnapshot {
	s := &ws.OrderbookSnapshot{MarketTicker: m.ticker, MarketID: m.id, Yes: levels(m.yes, false), No: levels(m.no, yesPrice)}
	return s
}

func levels(side map[int64]int64, flip bool) []ws.Level {
	if len(side) == 0 {
		return nil
	}
	out := make([]ws.Level, 0, len(side))
	for p, n := range side {
		if flip {
			p = 1_000_000 - p
		}
		out = append(out, ws.Level{Price: money.DollarsFromMicros(p), Count: money.CountFromHundredths(n)})
	}
	slices.SortFunc(out, func(a, b ws.Level) int { return a.Price.Cmp(b.Price) })
	return out
}

// lifecycle sends market_lifecycle_v2 frames for a market's status change,
// and the first snapshot to order book subscriptions that named a market
// before it existed.
func (f *wsFeed) lifecycle(ev *ExchangeEvent) {
	m, isNew := f.market(ev.Ticker)
	if m == nil {
		return
	}
	old := m.status
	m.status = string(ev.Status)
	info := f.lifecycleInfo(ev.Ticker)
	var msgs []*ws.MarketLifecycle
	switch {
	case isNew:
		msgs = append(msgs, info.created())
	case m.status == old:
	case m.status == "active":
		msgs = append(msgs, &ws.MarketLifecycle{MarketTicker: m.ticker, EventType: ws.LifecycleActivated})
	case m.status == "closed":
		msgs = append(msgs, &ws.MarketLifecycle{MarketTicker: m.ticker, EventType: ws.LifecycleCloseDateUpdated, CloseTS: ws.UnixTimestamp(info.close.Unix())})
	case m.status == "determined":
		msgs = append(msgs, info.determined())
	case m.status == "finalized" || m.status == "settled":
		if old != "determined" {
			msgs = append(msgs, info.determined())
		}
		msgs = append(msgs, &ws.MarketLifecycle{MarketTicker: m.ticker, EventType: ws.LifecycleSettled, SettledTS: ws.UnixTimestamp(info.settled.Unix())})
	}
	for _, msg := range msgs {
		f.sendLifecycle(m.ticker, msg)
	}
	if isNew {
		f.eachSub(ws.ChannelOrderbookDelta, m.ticker, "", func(s *wsSub) { f.emit(s, m.snapshot(s.useYesPrice)) })
		f.touch(m, ev.Time)
	}
}

// marketInfo is what lifecycle messages say about a market.
type marketInfo struct {
	ticker, eventTicker, title, yesSub, noSub, rules1, rules2, strikeType, result string
	open, close, expected, settled                                                time.Time
	floor, capStrike                                                              *float64
	tick                                                                          money.Dollars
}

func (f *wsFeed) lifecycleInfo(ticker string) marketInfo {
	x := f.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	m := x.markets[ticker]
	return marketInfo{
		ticker: m.ticker, eventTicker: m.eventTicker, title: m.title, yesSub: m.yesSub, noSub: m.noSub,
		rules1: m.rulesPrimary, rules2: m.rulesSecondary, strikeType: m.strikeType, result: m.result,
		open: m.open, close: m.close, expected: m.expected, settled: m.settledAt,
		floor: m.floorStrike, capStrike: m.capStrike, tick: m.tick,
	}
}

func (i marketInfo) created() *ws.MarketLifecycle {
	zero := 0
	step := i.tick
	if step.IsZero() {
		step = money.DollarsFromCents(1)
	}
	structure := "linear_cent"
	if step.Cmp(money.DollarsFromCents(1)) < 0 {
		structure = "deci_cent"
	}
	meta := &ws.LifecycleMetadata{
		Name: i.title, Title: i.title, YesSubTitle: i.yesSub, NoSubTitle: i.noSub, RulesPrimary: i.rules1,
		RulesSecondary: i.rules2, CanCloseEarly: true, EventTicker: i.eventTicker,
		ExpectedExpirationTS: ws.UnixTimestamp(i.expected.Unix()), StrikeType: i.strikeType,
		FloorStrike: number(i.floor), CapStrike: number(i.capStrike),
	}
	return &ws.MarketLifecycle{
		MarketTicker: i.ticker, EventType: ws.LifecycleCreated, ExchangeIndex: &zero,
		OpenTS: ws.UnixTimestamp(i.open.Unix()), CloseTS: ws.UnixTimestamp(i.close.Unix()),
		AdditionalMetadata: meta, PriceLevelStructure: structure,
		PriceRanges: []ws.PriceRange{{Start: money.Zero, End: money.One, Step: step}},
	}
}

func (i marketInfo) determined() *ws.MarketLifecycle {
	v := money.Zero
	if i.result == "yes" {
		v = money.One
	}
	at := i.settled
	return &ws.MarketLifecycle{MarketTicker: i.ticker, EventType: ws.LifecycleDetermined,
		DeterminationTS: ws.UnixTimestamp(at.Unix()), Result: i.result, SettlementValue: &v}
}

func number(f *float64) ws.Number {
	if f == nil {
		return ""
	}
	return ws.Number(fmt.Sprint(*f))
}

// marketID is a market's UUID as the feed reports it: a name-based UUID of
// the ticker, stable across runs.
func marketID(ticker string) string { return uuidOfName("kalshitest market " + ticker) }

// uuidOfName is a name-based (version 5 style) UUID of name: the same on
// every run.
func uuidOfName(name string) string {
	h := sha1.Sum([]byte(name))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// --- messages built from events ---

func tradeMessage(ev *ExchangeEvent) *ws.Trade {
	t := ev.Trade
	return &ws.Trade{
		TradeID: t.TradeID, MarketTicker: t.Ticker, YesPrice: t.YesPriceDollars, NoPrice: t.NoPriceDollars,
		Count: t.CountFp, TakerSide: ws.Side(t.TakerSide), TakerOutcomeSide: ws.Side(t.TakerOutcomeSide),
		TakerBookSide: ws.BookSide(t.TakerBookSide), TS: ws.UnixTimestamp(ev.Time.Unix()), TSMs: ws.MillisOf(ev.Time),
	}
}

func fillMessage(ev *ExchangeEvent, post money.Count) *ws.Fill {
	fl := ev.Fill
	return &ws.Fill{
		TradeID: fl.TradeID, OrderID: fl.OrderID, ClientOrderID: ev.ClientOrderID, MarketTicker: fl.MarketTicker,
		IsTaker: fl.IsTaker, Side: ws.Side(fl.Side), YesPrice: fl.YesPriceDollars, Count: fl.CountFp,
		FeeCost: fl.FeeCost, Action: string(fl.Action), PostPosition: post, PurchasedSide: ws.Side(fl.OutcomeSide),
		OutcomeSide: ws.Side(fl.OutcomeSide), BookSide: ws.BookSide(fl.BookSide),
		TS: ws.UnixTimestamp(ev.Time.Unix()), TSMs: ws.MillisOf(ev.Time), Subaccount: subaccountField(ev),
	}
}

// subaccountField is the optional subaccount of a fill or position frame:
// set for a numbered subaccount, absent for the primary account.
func subaccountField(ev *ExchangeEvent) *int {
	if ev.Subaccount == 0 {
		return nil
	}
	sub := ev.Subaccount
	return &sub
}

func userOrderMessage(ev *ExchangeEvent) *ws.UserOrder {
	o := ev.Order
	m := &ws.UserOrder{
		OrderID: o.OrderID, UserID: o.UserID, Ticker: o.Ticker, Status: string(o.Status), Side: ws.Side(o.Side),
		IsYes: o.Side == "yes", OutcomeSide: ws.Side(o.OutcomeSide), BookSide: ws.BookSide(o.BookSide),
		YesPrice: o.YesPriceDollars, FillCount: o.FillCountFp, RemainingCount: o.RemainingCountFp,
		InitialCount: o.InitialCountFp, TakerFillCost: o.TakerFillCostDollars, MakerFillCost: o.MakerFillCostDollars,
		TakerFees: o.TakerFeesDollars, MakerFees: o.MakerFeesDollars, ClientOrderID: o.ClientOrderID,
		SubaccountNumber: o.SubaccountNumber,
	}
	if o.OrderGroupID != nil {
		m.OrderGroupID = *o.OrderGroupID
	}
	if o.SelfTradePreventionType != nil {
		m.SelfTradePreventionType = string(*o.SelfTradePreventionType)
	}
	if o.CreatedTime != nil {
		m.CreatedTime, m.CreatedTSMs = ws.TextTimestamp(*o.CreatedTime), ws.MillisOf(*o.CreatedTime)
	}
	if o.LastUpdateTime != nil {
		m.LastUpdateTime, m.LastUpdatedTSMs = ws.TextTimestamp(*o.LastUpdateTime), ws.MillisOf(*o.LastUpdateTime)
	}
	if o.ExpirationTime != nil {
		m.ExpirationTime, m.ExpirationTSMs = ws.TextTimestamp(*o.ExpirationTime), ws.MillisOf(*o.ExpirationTime)
	}
	return m
}

func positionMessage(ev *ExchangeEvent, volume money.Count) *ws.MarketPosition {
	p := ev.Position
	// The fake charges trading fees only, so the position's fee cost is the fees paid.
	return &ws.MarketPosition{
		UserID: ev.UserID, MarketTicker: ev.Ticker, Position: p.PositionFp, PositionCost: p.MarketExposureDollars,
		RealizedPnl: p.RealizedPNLDollars, FeesPaid: p.FeesPaidDollars, PositionFeeCost: p.FeesPaidDollars, Volume: volume,
		Subaccount: subaccountField(ev),
	}
}

// copyMessage returns a shallow copy of a message (a pointer to a struct
// with an envelope), so one event can be sent on several subscriptions
// with their own sid and seq.
func copyMessage(m ws.Message) ws.Message {
	v := reflect.ValueOf(m)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		panic(fmt.Sprintf("kalshitest: copyMessage: unexpected %T", m))
	}
	c := reflect.New(v.Elem().Type())
	c.Elem().Set(v.Elem())
	return c.Interface().(ws.Message)
}
