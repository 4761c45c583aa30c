package kalshi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// ErrOutcomeUnknown matches a call that may or may not have taken effect
// at the exchange: its answer was lost (a dropped connection, a proxy's
// 502 or 504, a timeout) and looking the result up did not settle it. The
// error is a *CallError carrying the client_order_ids of the orders it
// placed, if any: look them up, or send the same request again with the
// same ids, which Kalshi refuses to place twice.
var ErrOutcomeUnknown = errors.New("kalshi: outcome unknown")

// CodeOutcomeUnknown is the Error.Code of a batch item whose outcome the
// client could not learn (see ErrOutcomeUnknown); Details holds its
// client_order_id.
const CodeOutcomeUnknown = "outcome_unknown"

// resolveTimeout bounds the lookups that settle an ambiguous outcome. They
// run even when the caller's context has ended: an order that may exist is
// worth a second to find.
const resolveTimeout = 10 * time.Second

// outcome is a finished call of an operation whose effect matters: what
// was sent and what came back.
type outcome struct {
	op       *gen.Operation
	req      *http.Request // as sent; its body is replayable
	ids      []string      // client_order_ids of the orders in the body
	start    time.Time     // before the first attempt, by the signer's clock
	attempts int
	value    any // the decoded answer (a *T), when err is nil
	err      error
}

// outcomeResolver settles a call's outcome: it returns the success value
// for an effect that happened although the answer said otherwise (or
// nothing), an error matching ErrOutcomeUnknown when it cannot tell, and
// the call's own result otherwise.
type outcomeResolver func(ctx context.Context, c *Client, o *outcome) (any, error)

// resolverOf returns the resolver of the operations whose answers, when
// lost, must not be reported as failures: placing, cancelling, amending
// and decreasing orders, where a caller who resends after a false failure
// trades twice. It is nil for the others.
func resolverOf(op *gen.Operation) outcomeResolver {
	switch op.ID {
	case "CreateOrderV2":
		return resolveCreate
	case "BatchCreateOrdersV2":
		return resolveBatchCreate
	case "CancelOrderV2":
		return resolveCancel
	case "AmendOrderV2":
		return resolveAmend
	case "DecreaseOrderV2":
		return resolveDecrease
	}
	return nil
}

// ambiguous reports whether a failed call may have taken effect: it was
// sent, and no answer from the exchange says it did not (a server error
// may come from a proxy after the exchange acted).
func ambiguous(err error) bool {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode >= 500
	}
	var callErr *CallError
	if !errors.As(err, &callErr) || callErr.Attempts == 0 {
		return false
	}
	return !errors.Is(err, ErrRedirect) // a redirect comes before the exchange
}

// lookupContext is the context of the lookups that settle an outcome.
func lookupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), resolveTimeout)
}

// unknown is the error of an outcome the client could not settle.
func (o *outcome) unknown(detail string, lookupErr error) error {
	if lookupErr != nil {
		detail += fmt.Sprintf(" (looking it up failed: %v)", lookupErr)
	}
	e := &CallError{Operation: o.op.ID, Method: o.req.Method, Path: o.req.URL.Path, Attempts: o.attempts, ClientOrderIDs: o.ids,
		Err: fmt.Errorf("%w: %s; the call ended with: %w", ErrOutcomeUnknown, detail, o.err)}
	var callErr *CallError
	if errors.As(o.err, &callErr) {
		e.StatusCode = callErr.StatusCode
	}
	return e
}

// body decodes the request body sent into v.
func (o *outcome) body(v any) error {
	b, err := requestBody(o.req)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// orderID returns the {order_id} of the request's path.
func (o *outcome) orderID() string {
	tmpl := splitPath(o.op.Path)
	segs := splitPath(o.req.URL.EscapedPath())
	segs = segs[len(segs)-len(tmpl):]
	for i, t := range tmpl {
		if t == "{order_id}" {
			return unescapeSegment(segs[i])
		}
	}
	return ""
}

// findOrders looks up, by client_order_id, the orders placed in each
// market since a little before start. It returns what it found even when
// a lookup fails.
func (c *Client) findOrders(ctx context.Context, byTicker map[string][]string, start time.Time) (map[string]gen.Order, error) {
	found := map[string]gen.Order{}
	minTS := start.Add(-5 * time.Minute).Unix()
	for ticker, ids := range byTicker {
		want := make(map[string]bool, len(ids))
		for _, id := range ids {
			want[id] = true
		}
		params := &gen.GetOrdersParams{Ticker: &ticker, MinTS: &minTS}
		for o, err := range c.GetOrdersIter(ctx, params) {
			if err != nil {
				return found, err
			}
			if want[o.ClientOrderID] {
				found[o.ClientOrderID] = o
			}
		}
	}
	return found, nil
}

// now is the time by the signer's clock (corrected, if it was), which is
// the exchange's as near as the client knows.
func (c *Client) now() time.Time {
	if c.signer != nil {
		return c.signer.Now()
	}
	return time.Now()
}

func resolveCreate(ctx context.Context, c *Client, o *outcome) (any, error) {
	id := ""
	if len(o.ids) == 1 {
		id = o.ids[0]
	}
	if o.err == nil {
		r := o.value.(*gen.CreateOrderV2Response)
		if r.ClientOrderID == nil && id != "" {
			r.ClientOrderID = &id
		}
		return r, nil
	}
	// order_already_exists after a retry: an earlier attempt placed it.
	retried := errors.Is(o.err, ErrOrderAlreadyExists) && o.attempts > 1
	if id == "" || !retried && !ambiguous(o.err) {
		return nil, o.err
	}
	var req gen.CreateOrderV2Request
	if err := o.body(&req); err != nil {
		return nil, o.unknown("the request body could not be read back", err)
	}
	ctx, cancel := lookupContext(ctx)
	defer cancel()
	found, err := c.findOrders(ctx, map[string][]string{req.Ticker: {id}}, o.start)
	if ord, ok := found[id]; ok {
		return createdFrom(ord), nil
	}
	return nil, o.unknown(fmt.Sprintf("no order with client_order_id %s was found in %s; sending the same order again with the same client_order_id is safe", id, req.Ticker), err)
}

// createdFrom describes an order found by its client_order_id as the
// answer to its creation would have: its IDs and fill state as they are
// now (the average prices are not given).
func createdFrom(o gen.Order) *gen.CreateOrderV2Response {
	id := o.ClientOrderID
	r := &gen.CreateOrderV2Response{OrderID: o.OrderID, ClientOrderID: &id, FillCount: o.FillCountFp, RemainingCount: o.RemainingCountFp}
	if o.CreatedTime != nil {
		r.TSMs = o.CreatedTime.UnixMilli()
	}
	return r
}

func resolveBatchCreate(ctx context.Context, c *Client, o *outcome) (any, error) {
	var req gen.BatchCreateOrdersV2Request
	if err := o.body(&req); err != nil || len(req.Orders) != len(o.ids) {
		if o.err != nil {
			return nil, o.err
		}
		return o.value, nil
	}
	var resp *gen.BatchCreateOrdersV2Response
	switch {
	case o.err == nil:
		resp = o.value.(*gen.BatchCreateOrdersV2Response)
	case ambiguous(o.err):
		// No per-item answer: every order is to be looked up.
		resp = &gen.BatchCreateOrdersV2Response{Orders: make([]gen.BatchCreateOrdersV2ResponseOrder, len(req.Orders))}
		for i := range resp.Orders {
			resp.Orders[i].Error = outcomeUnknownItem(o.ids[i])
		}
	default:
		return nil, o.err
	}
	if len(resp.Orders) != len(o.ids) {
		return resp, nil // not one answer per order: nothing to match them by
	}
	byTicker := map[string][]string{}
	var pending []int
	for i := range resp.Orders {
		item := &resp.Orders[i]
		if id := o.ids[i]; item.ClientOrderID == nil && id != "" {
			item.ClientOrderID = &id
		}
		if item.Error == nil || item.Error.Code == nil || o.ids[i] == "" {
			continue
		}
		// order_already_exists after a retry, or no answer at all: look it up.
		if code := *item.Error.Code; code == CodeOutcomeUnknown || code == "order_already_exists" && o.attempts > 1 {
			byTicker[req.Orders[i].Ticker] = append(byTicker[req.Orders[i].Ticker], o.ids[i])
			pending = append(pending, i)
		}
	}
	if len(pending) == 0 {
		return resp, nil
	}
	ctx, cancel := lookupContext(ctx)
	defer cancel()
	found, err := c.findOrders(ctx, byTicker, o.start)
	for _, i := range pending {
		ord, ok := found[o.ids[i]]
		if !ok {
			resp.Orders[i].Error = outcomeUnknownItem(o.ids[i])
			if err != nil {
				msg := *resp.Orders[i].Error.Message + fmt.Sprintf(" (looking it up failed: %v)", err)
				resp.Orders[i].Error.Message = &msg
			}
			continue
		}
		r := createdFrom(ord)
		resp.Orders[i] = gen.BatchCreateOrdersV2ResponseOrder{ClientOrderID: r.ClientOrderID, OrderID: &r.OrderID,
			FillCount: &r.FillCount, RemainingCount: &r.RemainingCount, TSMs: &r.TSMs}
	}
	return resp, nil
}

// outcomeUnknownItem is the error of a batch item whose outcome the client
// could not learn.
func outcomeUnknownItem(id string) *gen.ErrorResponse {
	code := CodeOutcomeUnknown
	msg := "the answer was lost and the order was not found by its client_order_id; sending it again with the same client_order_id is safe"
	return &gen.ErrorResponse{Code: &code, Message: &msg, Details: &id}
}

func resolveCancel(ctx context.Context, c *Client, o *outcome) (any, error) {
	if o.err == nil {
		return o.value, nil
	}
	// not_found after a retry: an earlier attempt may have cancelled it.
	retried := errors.Is(o.err, ErrNotFound) && o.attempts > 1
	if !retried && !ambiguous(o.err) {
		return nil, o.err
	}
	id := o.orderID()
	ctx, cancel := lookupContext(ctx)
	defer cancel()
	got, err := c.GetOrder(ctx, id)
	if err != nil {
		return nil, o.unknown("the order could not be looked up", err)
	}
	ord := got.Order
	switch ord.Status {
	case gen.OrderStatusCanceled:
		clientID := ord.ClientOrderID
		reduced, _ := ord.InitialCountFp.SubChecked(ord.FillCountFp)
		return &gen.CancelOrderV2Response{OrderID: ord.OrderID, ClientOrderID: &clientID, ReducedBy: reduced, TSMs: timeMs(ord.LastUpdateTime)}, nil
	case gen.OrderStatusExecuted:
		return nil, &CallError{Operation: o.op.ID, Method: o.req.Method, Path: o.req.URL.Path, Attempts: o.attempts,
			Err: fmt.Errorf("the order filled before it could be cancelled: %w", o.err)}
	}
	return nil, o.unknown("the order is still "+string(ord.Status)+"; cancelling it again is safe", nil)
}

func resolveAmend(ctx context.Context, c *Client, o *outcome) (any, error) {
	if o.err == nil || !ambiguous(o.err) {
		return o.value, o.err
	}
	var req gen.AmendOrderV2Request
	if err := o.body(&req); err != nil {
		return nil, o.unknown("the request body could not be read back", err)
	}
	ctx, cancel := lookupContext(ctx)
	defer cancel()
	got, err := c.GetOrder(ctx, o.orderID())
	if err != nil {
		return nil, o.unknown("the order could not be looked up", err)
	}
	ord := got.Order
	total, err := ord.FillCountFp.AddChecked(ord.RemainingCountFp)
	if err != nil {
		return nil, o.unknown("the order's counts do not add up", err)
	}
	if ord.YesPriceDollars.Cmp(req.Price) != 0 || total.Cmp(req.Count) != 0 {
		return nil, o.unknown(fmt.Sprintf("the order stands at %s for %s contracts, not the amended %s for %s", ord.YesPriceDollars, total, req.Price, req.Count), nil)
	}
	clientID := ord.ClientOrderID
	fill, rest := ord.FillCountFp, ord.RemainingCountFp
	return &gen.AmendOrderV2Response{OrderID: ord.OrderID, ClientOrderID: &clientID, FillCount: &fill, RemainingCount: &rest, TSMs: timeMs(ord.LastUpdateTime)}, nil
}

func resolveDecrease(ctx context.Context, c *Client, o *outcome) (any, error) {
	if o.err == nil || !ambiguous(o.err) {
		return o.value, o.err
	}
	var req gen.DecreaseOrderV2Request
	if err := o.body(&req); err != nil {
		return nil, o.unknown("the request body could not be read back", err)
	}
	if req.ReduceTo == nil {
		return nil, o.unknown("a decrease by a number of contracts cannot be confirmed afterwards (reduce_to can)", nil)
	}
	ctx, cancel := lookupContext(ctx)
	defer cancel()
	got, err := c.GetOrder(ctx, o.orderID())
	if err != nil {
		return nil, o.unknown("the order could not be looked up", err)
	}
	ord := got.Order
	if ord.RemainingCountFp.Cmp(*req.ReduceTo) != 0 {
		return nil, o.unknown(fmt.Sprintf("%s contracts of the order rest, not the %s asked for", ord.RemainingCountFp, *req.ReduceTo), nil)
	}
	clientID := ord.ClientOrderID
	return &gen.DecreaseOrderV2Response{OrderID: ord.OrderID, ClientOrderID: &clientID, RemainingCount: ord.RemainingCountFp, TSMs: timeMs(ord.LastUpdateTime)}, nil
}

func timeMs(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return t.UnixMilli()
}

// unescapeSegment undoes the escaping of one path segment.
func unescapeSegment(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}
