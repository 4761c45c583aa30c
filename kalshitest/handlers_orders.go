package kalshitest

import (
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// GetOrders lists the orders of every subaccount, or of the one asked for
// (a key restricted to a subaccount sees only its own), newest first.
func (h *handlers) GetOrders(w http.ResponseWriter, r *http.Request, p gen.GetOrdersParams) {
	sub, err := scopedSubaccount(r, p.Subaccount)
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	ledgers, err := x.userLedgers(userOf(r), sub)
	if err != nil {
		writeError(w, err)
		return
	}
	events := splitList(strOr(p.EventTicker))
	// Keyed by when the order was placed, the order of the list: an amend
	// renews an order's time priority but does not move it in listings.
	key := func(o *order) string { return newestFirstKey(o.placed) + o.id }
	list := newestFirst(ledgers, func(a *account) []*order { return a.orders }, func(o *order) bool {
		switch {
		case x.orderArchived(o),
			p.Ticker != nil && *p.Ticker != "" && o.ticker != *p.Ticker,
			len(events) > 0 && !contains(events, x.markets[o.ticker].eventTicker),
			p.Status != nil && *p.Status != "" && o.status != *p.Status,
			p.MinTS != nil && o.created.Unix() < *p.MinTS,
			p.MaxTS != nil && o.created.Unix() > *p.MaxTS,
			p.ExchangeIndex != nil && *p.ExchangeIndex != 0: // every market trades on shard 0
			return false
		}
		return true
	}, key)
	pg, next, err := page(list, key, strOr(p.Cursor), intOr(p.Limit, 100), 100)
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

func (h *handlers) GetOrder(w http.ResponseWriter, r *http.Request, orderID gen.OrderIDPath) {
	if err := h.orderInScope(r, orderID); err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	o, err := x.lookup(userOf(r), orderID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.GetOrderResponse{Order: o.api()})
}

func (h *handlers) GetOrderQueuePosition(w http.ResponseWriter, r *http.Request, orderID gen.OrderIDPath) {
	if err := h.orderInScope(r, orderID); err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	o, err := x.lookup(userOf(r), orderID)
	if err != nil || o.status != "resting" {
		writeError(w, errNotFound())
		return
	}
	writeJSON(w, http.StatusOK, gen.GetOrderQueuePositionResponse{QueuePositionFp: x.markets[o.ticker].book.queueAhead(o)})
}

// GetOrderQueuePositions answers for the resting orders of one subaccount,
// the primary account unless the parameter or the key says otherwise.
func (h *handlers) GetOrderQueuePositions(w http.ResponseWriter, r *http.Request, p gen.GetOrderQueuePositionsParams) {
	sub, err := scopedOrPrimary(r, p.Subaccount)
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	a, err := x.ledger(userOf(r), sub)
	if err != nil {
		writeError(w, err)
		return
	}
	tickers := splitList(strOr(p.MarketTickers))
	out := gen.GetOrderQueuePositionsResponse{QueuePositions: []gen.OrderQueuePosition{}}
	for _, o := range a.orders {
		m := x.markets[o.ticker]
		if o.status != "resting" || (len(tickers) > 0 && !contains(tickers, o.ticker)) ||
			(p.EventTicker != nil && *p.EventTicker != "" && m.eventTicker != *p.EventTicker) {
			continue
		}
		out.QueuePositions = append(out.QueuePositions, gen.OrderQueuePosition{MarketTicker: o.ticker, OrderID: o.id, QueuePositionFp: m.book.queueAhead(o)})
	}
	writeJSON(w, http.StatusOK, out)
}

// orderRequestFor turns a V2 order body into the engine's request for the
// subaccount it trades for (see bodySubaccount).
func orderRequestFor(r *http.Request, b gen.CreateOrderV2Request) (orderRequest, error) {
	sub, err := bodySubaccount(r, b.Subaccount)
	req := orderRequestOf(userOf(r), b)
	req.subaccount = sub
	return req, err
}

// orderRequestOf turns a V2 order body into the engine's request.
func orderRequestOf(userID string, b gen.CreateOrderV2Request) orderRequest {
	req := orderRequest{
		userID: userID, ticker: b.Ticker, clientID: b.ClientOrderID, side: bookSide(b.Side),
		price: b.Price, count: b.Count, tif: string(b.TimeInForce), stp: string(b.SelfTradePreventionType),
		postOnly: b.PostOnly != nil && *b.PostOnly, reduceOnly: b.ReduceOnly != nil && *b.ReduceOnly,
		cancelOnPause: b.CancelOrderOnPause != nil && *b.CancelOrderOnPause, orderGroup: b.OrderGroupID,
	}
	if b.Subaccount != nil {
		req.subaccount = *b.Subaccount
	}
	if b.ExpirationTime != nil {
		t := time.Unix(*b.ExpirationTime, 0).UTC()
		req.expiration = &t
	}
	return req
}

// averages are the average fill price and fee per contract of a fill,
// nil when nothing filled.
func averages(filled money.Count, cost, fees money.Dollars) (price, fee *money.Dollars) {
	if filled.IsZero() {
		return nil, nil
	}
	per := func(d money.Dollars) *money.Dollars {
		// d / filled, rounded to the nearest micro-dollar
		num := d.Micros() * 100
		den := filled.Hundredths()
		q := (num + den/2) / den
		return ptr(money.DollarsFromMicros(q))
	}
	return per(cost), per(fees)
}

func createResponse(pl *placement) gen.CreateOrderV2Response {
	o := pl.order
	avgPrice, avgFee := averages(pl.filled, pl.fillCost, pl.fees)
	out := gen.CreateOrderV2Response{
		OrderID: o.id, FillCount: pl.filled, RemainingCount: pl.remainingNow, TSMs: msTime(pl.at),
		AverageFillPrice: avgPrice, AverageFeePaid: avgFee,
	}
	if pl.clientID != "" {
		out.ClientOrderID = ptr(pl.clientID)
	}
	return out
}

func (h *handlers) CreateOrderV2(w http.ResponseWriter, r *http.Request) {
	var b gen.CreateOrderV2Request
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	req, err := orderRequestFor(r, b)
	if err != nil {
		writeError(w, err)
		return
	}
	pl, err := h.s.x.place(req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, createResponse(pl))
}

// batchCreateItem is one result of BatchCreateOrdersV2 (the spec's item
// type is anonymous in gen).
type batchCreateItem struct {
	AverageFeePaid   *money.Dollars     `json:"average_fee_paid"`
	AverageFillPrice *money.Dollars     `json:"average_fill_price"`
	ClientOrderID    *string            `json:"client_order_id,omitempty"`
	Error            *gen.ErrorResponse `json:"error,omitempty"`
	FillCount        *money.Count       `json:"fill_count"`
	OrderID          *string            `json:"order_id,omitempty"`
	RemainingCount   *money.Count       `json:"remaining_count"`
	TSMs             *int64             `json:"ts_ms"`
}

func (h *handlers) BatchCreateOrdersV2(w http.ResponseWriter, r *http.Request) {
	var b gen.BatchCreateOrdersV2Request
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	items := make([]batchCreateItem, 0, len(b.Orders))
	for _, ob := range b.Orders {
		var item batchCreateItem
		if ob.ClientOrderID != "" {
			item.ClientOrderID = ptr(ob.ClientOrderID)
		}
		req, err := orderRequestFor(r, ob)
		var pl *placement
		if err == nil {
			pl, err = h.s.x.place(req)
		}
		if err != nil {
			item.Error = errorItem(err)
		} else {
			res := createResponse(pl)
			item.OrderID, item.FillCount, item.RemainingCount, item.TSMs = &res.OrderID, &res.FillCount, &res.RemainingCount, &res.TSMs
			item.AverageFillPrice, item.AverageFeePaid = res.AverageFillPrice, res.AverageFeePaid
		}
		items = append(items, item)
	}
	writeJSON(w, http.StatusCreated, map[string]any{"orders": items})
}

// errorItem is the error of one item of a batch, in the flat shape.
func errorItem(err error) *gen.ErrorResponse {
	e, ok := err.(*apiError)
	if !ok {
		e = errInternal(err.Error())
	}
	out := &gen.ErrorResponse{Code: ptr(e.code), Message: ptr(e.message)}
	if e.details != "" {
		out.Details = ptr(e.details)
	}
	return out
}

func (h *handlers) CancelOrderV2(w http.ResponseWriter, r *http.Request, orderID gen.OrderIDPath, _ gen.CancelOrderV2Params) {
	if err := h.orderInScope(r, orderID); err != nil {
		writeError(w, err)
		return
	}
	o, reduced, at, err := h.s.x.cancel(userOf(r), orderID)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.CancelOrderV2Response{OrderID: o.id, ReducedBy: reduced, TSMs: msTime(at)}
	if o.clientID != "" {
		out.ClientOrderID = ptr(o.clientID)
	}
	writeJSON(w, http.StatusOK, out)
}

// batchCancelItem is one result of BatchCancelOrdersV2.
type batchCancelItem struct {
	ClientOrderID *string            `json:"client_order_id,omitempty"`
	Error         *gen.ErrorResponse `json:"error,omitempty"`
	OrderID       string             `json:"order_id"`
	ReducedBy     money.Count        `json:"reduced_by"`
	TSMs          *int64             `json:"ts_ms"`
}

func (h *handlers) BatchCancelOrdersV2(w http.ResponseWriter, r *http.Request) {
	var b gen.BatchCancelOrdersV2Request
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	items := make([]batchCancelItem, 0, len(b.Orders))
	for _, c := range b.Orders {
		item := batchCancelItem{OrderID: c.OrderID}
		var o *order
		var reduced money.Count
		var at time.Time
		err := h.orderInScope(r, c.OrderID)
		if err == nil {
			o, reduced, at, err = h.s.x.cancel(userOf(r), c.OrderID)
		}
		if err != nil {
			item.Error = errorItem(err)
		} else {
			item.ReducedBy, item.TSMs = reduced, ptr(msTime(at))
			if o.clientID != "" {
				item.ClientOrderID = ptr(o.clientID)
			}
		}
		items = append(items, item)
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": items})
}

// CancelAllOrders cancels the resting orders of every subaccount, or of the
// one asked for (a key restricted to a subaccount cancels only its own).
func (h *handlers) CancelAllOrders(w http.ResponseWriter, r *http.Request, p gen.CancelAllOrdersParams) {
	sub, err := scopedSubaccount(r, p.Subaccount)
	if err == nil && sub != nil {
		err = h.s.x.checkLedger(userOf(r), *sub)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	h.s.x.cancelAll(userOf(r), sub)
	w.WriteHeader(http.StatusNoContent)
}

func (h *handlers) AmendOrderV2(w http.ResponseWriter, r *http.Request, orderID gen.OrderIDPath, _ gen.AmendOrderV2Params) {
	var b gen.AmendOrderV2Request
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	if err := h.orderInScope(r, orderID); err != nil {
		writeError(w, err)
		return
	}
	var exp *time.Time
	clear := false
	if b.ExpirationTime != nil {
		if *b.ExpirationTime == 0 {
			clear = true
		} else {
			t := time.Unix(*b.ExpirationTime, 0).UTC()
			exp = &t
		}
	}
	res, err := h.s.x.amend(userOf(r), orderID, b.Ticker, bookSide(b.Side), b.Price, b.Count, b.UpdatedClientOrderID, exp, clear)
	if err != nil {
		writeError(w, err)
		return
	}
	o := res.order
	out := gen.AmendOrderV2Response{OrderID: o.id, TSMs: msTime(res.at)}
	if o.clientID != "" {
		out.ClientOrderID = ptr(o.clientID)
	}
	if res.resized || !res.filled.IsZero() {
		out.RemainingCount, out.FillCount = ptr(o.remaining), ptr(res.filled)
	}
	out.AverageFillPrice, out.AverageFeePaid = averages(res.filled, res.fillCost, res.fees)
	writeJSON(w, http.StatusOK, out)
}

func (h *handlers) DecreaseOrderV2(w http.ResponseWriter, r *http.Request, orderID gen.OrderIDPath, _ gen.DecreaseOrderV2Params) {
	var b gen.DecreaseOrderV2Request
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	if err := h.orderInScope(r, orderID); err != nil {
		writeError(w, err)
		return
	}
	o, at, err := h.s.x.decrease(userOf(r), orderID, b.ReduceBy, b.ReduceTo)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.DecreaseOrderV2Response{OrderID: o.id, RemainingCount: o.remaining, TSMs: msTime(at)}
	if o.clientID != "" {
		out.ClientOrderID = ptr(o.clientID)
	}
	writeJSON(w, http.StatusOK, out)
}
