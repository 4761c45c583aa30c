package kalshitest

import (
	"fmt"
	"net/http"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// The fcm endpoints: an FCM member's subtraders, their orders, fills and
// positions, and their risk controls. Every one needs an FCM member's key
// (AddFCMAccount); a key bound to a subtrader may call only GetFCMOrders,
// GetFCMPositions and GetFCMEventContractDailyCap, for its own subtrader.

// fcmCaller is an FCM member calling an fcm endpoint, and the subtrader
// its key is bound to ("" for an unbound key).
type fcmCaller struct {
	member *fcmMember
	bound  string
}

// fcmCallerOf returns the member calling (exchange lock held): 403 for a
// user who is not an FCM member, and for a key bound to a subtrader
// unless boundOK.
func (h *handlers) fcmCallerOf(r *http.Request, boundOK bool) (fcmCaller, error) {
	x := h.s.x
	m, ok := x.fcm.members[userOf(r)]
	if !ok {
		return fcmCaller{}, errFCMForbidden("this endpoint is for FCM members only")
	}
	c := fcmCaller{member: m}
	if k, ok := callerKey(r); ok {
		c.bound = x.fcm.boundKeys[k.id]
	}
	if c.bound != "" && !boundOK {
		return c, errFCMForbidden(fmt.Sprintf("the API key is bound to subtrader %s and serves only its FIX sessions", c.bound))
	}
	return c, nil
}

// subtraderFor resolves a request's subtrader_id: with a bound key it
// defaults to the key's subtrader and, given, must be that one; otherwise
// it is required and must be one of the member's subtraders.
func (x *exchange) subtraderFor(c fcmCaller, id string) (*fcmSubtrader, error) {
	if c.bound != "" {
		if id != "" && id != c.bound {
			return nil, errFCMForbidden(fmt.Sprintf("the API key is bound to subtrader %s, not %s", c.bound, id))
		}
		id = c.bound
	}
	if id == "" {
		return nil, errBadRequest("subtrader_id is required")
	}
	return x.subtraderOf(c.member, id)
}

// maxClientOrderIDs is how many client order IDs GetFCMOrders takes.
const maxClientOrderIDs = 100

// GetFCMOrders lists orders of the member's subtraders, newest first: of
// one subtrader, of given client order IDs (placed in the last 24 hours)
// across all of them, or both.
func (h *handlers) GetFCMOrders(w http.ResponseWriter, r *http.Request, p gen.GetFCMOrdersParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	c, err := h.fcmCallerOf(r, true)
	if err != nil {
		writeError(w, err)
		return
	}
	clientIDs := splitList(strOr(p.ClientOrderIds))
	if len(clientIDs) > maxClientOrderIDs {
		writeError(w, errBadRequest(fmt.Sprintf("client_order_ids takes at most %d IDs, got %d", maxClientOrderIDs, len(clientIDs))))
		return
	}
	var subs []*fcmSubtrader
	switch id := strOr(p.SubtraderID); {
	case id != "" || c.bound != "":
		st, err := x.subtraderFor(c, id)
		if err != nil {
			writeError(w, err)
			return
		}
		subs = []*fcmSubtrader{st}
	case len(clientIDs) == 0:
		writeError(w, errBadRequest("give subtrader_id, client_order_ids or both"))
		return
	default:
		subs = c.member.subtraders
	}
	minTS := p.MinTS
	if len(clientIDs) > 0 {
		// client order IDs are searched in the last 24 hours only
		if floor := now.Add(-24 * time.Hour).Unix(); minTS == nil || *minTS < floor {
			minTS = &floor
		}
	}
	var list []*order
	for _, st := range subs {
		a := x.accounts[st.id]
		if a == nil {
			continue
		}
		for _, o := range a.orders {
			switch {
			case len(clientIDs) > 0 && !contains(clientIDs, o.clientID),
				p.Ticker != nil && *p.Ticker != "" && o.ticker != *p.Ticker,
				p.EventTicker != nil && *p.EventTicker != "" && x.markets[o.ticker].eventTicker != *p.EventTicker,
				p.Status != nil && *p.Status != "" && o.status != string(*p.Status),
				minTS != nil && o.created.Unix() < *minTS,
				p.MaxTS != nil && o.created.Unix() > *p.MaxTS:
				continue
			}
			list = append(list, o)
		}
	}
	// newest first by when each order was placed, as GetOrders lists them
	sort.Slice(list, func(i, j int) bool { return list[i].placed > list[j].placed })
	pg, next, err := page(list, func(o *order) string { return newestFirstKey(o.placed) + o.id }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetOrdersResponse{Cursor: next, Orders: make([]gen.Order, 0, len(pg))}
	for _, o := range pg {
		out.Orders = append(out.Orders, o.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// fcmFillRow is one match involving the member's subtraders: the fills of
// the side(s) the member owns.
type fcmFillRow struct {
	seq          uint64
	maker, taker *fillRecord
	makerSub     string
	takerSub     string
}

// owned is the fill of a side the member owns, the taker's when it owns
// both.
func (f *fcmFillRow) owned() *fillRecord {
	if f.taker != nil {
		return f.taker
	}
	return f.maker
}

func (f *fcmFillRow) api() gen.FCMFill {
	rec := f.owned()
	takerSide := rec.side
	if !rec.taker {
		takerSide = rec.side.opposite()
	}
	out := gen.FCMFill{
		CountFp:          rec.count,
		CreatedTime:      ptr(rec.at),
		ExchangeIndex:    0,
		FillID:           rec.id,
		TakerOutcomeSide: gen.OutcomeSide(takerSide.outcome()),
		Ticker:           rec.ticker,
		YesPriceDollars:  rec.price,
	}
	if f.maker != nil {
		out.MakerOrderID, out.MakerSubtraderID, out.MakerFeeCost = ptr(f.maker.orderID), ptr(f.makerSub), ptr(f.maker.fee)
	}
	if f.taker != nil {
		out.TakerOrderID, out.TakerSubtraderID, out.TakerFeeCost = ptr(f.taker.orderID), ptr(f.takerSub), ptr(f.taker.fee)
	}
	return out
}

// GetFCMFills lists the matches involving any of the member's subtraders,
// newest first, one entry per match with the sides the member owns.
func (h *handlers) GetFCMFills(w http.ResponseWriter, r *http.Request, p gen.GetFCMFillsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := h.fcmCallerOf(r, false)
	if err != nil {
		writeError(w, err)
		return
	}
	rows := map[string]*fcmFillRow{} // by trade ID
	for _, st := range c.member.subtraders {
		a := x.accounts[st.id]
		if a == nil {
			continue
		}
		for _, f := range a.fills {
			if (p.MinTS != nil && f.at.Unix() < *p.MinTS) || (p.MaxTS != nil && f.at.Unix() > *p.MaxTS) {
				continue
			}
			row := rows[f.tradeID]
			if row == nil {
				row = &fcmFillRow{seq: f.seq}
				rows[f.tradeID] = row
			}
			if f.taker {
				row.taker, row.takerSub = f, st.id
			} else {
				row.maker, row.makerSub = f, st.id
			}
		}
	}
	list := make([]*fcmFillRow, 0, len(rows))
	for _, row := range rows {
		list = append(list, row)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].seq > list[j].seq })
	pg, next, err := page(list, func(f *fcmFillRow) string { return newestFirstKey(f.seq) + f.owned().tradeID }, strOr(p.Cursor), 100, 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetFCMFillsResponse{Cursor: next, Fills: make([]gen.FCMFill, 0, len(pg))}
	for _, f := range pg {
		out.Fills = append(out.Fills, f.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// GetFCMPositions lists a subtrader's market positions and their events'
// totals, as GetPositions does for the caller's own, in markets of the
// settlement status asked for (unsettled by default).
func (h *handlers) GetFCMPositions(w http.ResponseWriter, r *http.Request, p gen.GetFCMPositionsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	c, err := h.fcmCallerOf(r, true)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := x.subtraderFor(c, strOr(p.SubtraderID))
	if err != nil {
		writeError(w, err)
		return
	}
	settlement := "unsettled"
	if p.SettlementStatus != nil && *p.SettlementStatus != "" {
		settlement = string(*p.SettlementStatus)
	}
	filters := splitList(strOr(p.CountFilter))
	a := x.account(st.id)
	tickers := make([]string, 0, len(a.positions))
	for t := range a.positions {
		tickers = append(tickers, t)
	}
	sort.Strings(tickers)
	var list []string
	for _, t := range tickers {
		pos, m := a.positions[t], x.markets[t]
		settled := m != nil && m.status == "finalized"
		switch {
		case p.Ticker != nil && *p.Ticker != "" && t != *p.Ticker,
			p.EventTicker != nil && *p.EventTicker != "" && (m == nil || m.eventTicker != *p.EventTicker),
			settlement == "unsettled" && settled,
			settlement == "settled" && !settled:
			continue
		}
		keep := len(filters) == 0
		for _, f := range filters {
			switch f {
			case "position":
				keep = keep || !pos.count.IsZero()
			case "total_traded":
				keep = keep || !pos.traded.IsZero()
			}
		}
		if keep {
			list = append(list, t)
		}
	}
	pg, next, err := page(list, func(t string) string { return t }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, x.positionsPage(a, pg, next))
}

// ListFCMSubtraders lists the member's subtraders, oldest first. The fake
// has one exchange shard, 0, where every subtrader is registered when
// created, and no trading blocks.
func (h *handlers) ListFCMSubtraders(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := h.fcmCallerOf(r, false)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.ListFCMSubtradersResponse{Subtraders: make([]gen.FCMSubtrader, 0, len(c.member.subtraders))}
	for _, st := range c.member.subtraders {
		out.Subtraders = append(out.Subtraders, gen.FCMSubtrader{SubtraderID: st.id, ExchangeIndices: []int32{0}})
	}
	writeJSON(w, http.StatusOK, out)
}

// CreateFCMSubtrader makes the subtrader {member}_{suffix}.
func (h *handlers) CreateFCMSubtrader(w http.ResponseWriter, r *http.Request) {
	var b gen.CreateFCMSubtraderRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := h.fcmCallerOf(r, false)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := x.createSubtrader(c.member, b.SubtraderSuffix, x.now())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, gen.CreateFCMSubtraderResponse{SubtraderID: st.id})
}

// GetFCMEventContractDailyCap answers a subtrader's daily cap and its
// utilization today, or 404 when no cap is set.
func (h *handlers) GetFCMEventContractDailyCap(w http.ResponseWriter, r *http.Request, p gen.GetFCMEventContractDailyCapParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	c, err := h.fcmCallerOf(r, true)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := x.subtraderFor(c, strOr(p.SubtraderID))
	if err != nil {
		writeError(w, err)
		return
	}
	if st.dailyCap == nil {
		writeError(w, errFCMNotFound(fmt.Sprintf("subtrader %s has no event-contract daily cap", st.id)))
		return
	}
	u := x.capUsage(st, now)
	writeJSON(w, http.StatusOK, gen.GetFCMEventContractDailyCapResponse{
		SubtraderID:             st.id,
		Limit:                   *st.dailyCap,
		ExecutedUtilization:     u.executed,
		RestingOrderUtilization: u.resting,
		PendingOrderUtilization: u.pending,
		CapDate:                 u.date,
	})
}

// UpdateFCMEventContractDailyCap sets a subtrader's daily cap; resting
// orders stay whatever the new cap.
func (h *handlers) UpdateFCMEventContractDailyCap(w http.ResponseWriter, r *http.Request) {
	var b gen.UpdateFCMEventContractDailyCapRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := h.fcmCallerOf(r, false)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := x.subtraderFor(c, b.SubtraderID)
	if err != nil {
		writeError(w, err)
		return
	}
	switch {
	case b.Limit.Sign() < 0:
		writeError(w, errBadRequest(fmt.Sprintf("limit %s must not be negative", b.Limit)))
		return
	case b.Limit.Cmp(maxDailyCap) > 0:
		writeError(w, errBadRequest(fmt.Sprintf("limit %s must be at most %s", b.Limit, maxDailyCap)))
		return
	}
	limit := b.Limit
	st.dailyCap = &limit
	writeJSON(w, http.StatusOK, gen.EmptyResponse{})
}

// DeleteFCMEventContractDailyCap removes a subtrader's daily cap (404 when
// none is set): its bound keys can then place no orders.
func (h *handlers) DeleteFCMEventContractDailyCap(w http.ResponseWriter, r *http.Request, p gen.DeleteFCMEventContractDailyCapParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := h.fcmCallerOf(r, false)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := x.subtraderFor(c, p.SubtraderID)
	if err != nil {
		writeError(w, err)
		return
	}
	if st.dailyCap == nil {
		writeError(w, errFCMNotFound(fmt.Sprintf("subtrader %s has no event-contract daily cap", st.id)))
		return
	}
	st.dailyCap = nil
	writeJSON(w, http.StatusOK, gen.EmptyResponse{})
}

// GetFCMSubtraderBlockedCategories answers a subtrader's blocked event
// categories in ascending order.
func (h *handlers) GetFCMSubtraderBlockedCategories(w http.ResponseWriter, r *http.Request, p gen.GetFCMSubtraderBlockedCategoriesParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := h.fcmCallerOf(r, false)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := x.subtraderFor(c, p.SubtraderID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.GetFCMSubtraderBlockedCategoriesResponse{Categories: st.categories()})
}

// maxCategoryLength is the longest category name Kalshi takes.
const maxCategoryLength = 100

// UpdateFCMSubtraderBlockedCategories blocks or unblocks one category of a
// subtrader and answers the resulting set. Resting orders stay.
func (h *handlers) UpdateFCMSubtraderBlockedCategories(w http.ResponseWriter, r *http.Request) {
	var b gen.UpdateFCMSubtraderBlockedCategoriesRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	c, err := h.fcmCallerOf(r, false)
	if err != nil {
		writeError(w, err)
		return
	}
	st, err := x.subtraderFor(c, b.SubtraderID)
	if err != nil {
		writeError(w, err)
		return
	}
	if n := utf8.RuneCountInString(b.Category); n == 0 || n > maxCategoryLength {
		writeError(w, errBadRequest(fmt.Sprintf("category must be 1-%d characters, got %d", maxCategoryLength, n)))
		return
	}
	if b.Blocked {
		st.blocked[b.Category] = true
	} else {
		delete(st.blocked, b.Category)
	}
	writeJSON(w, http.StatusOK, gen.UpdateFCMSubtraderBlockedCategoriesResponse{Categories: st.categories()})
}
