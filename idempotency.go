package kalshi

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// idempotencyTransport gives every order a client_order_id before the
// request reaches the retry layer, so all attempts carry the same one and
// a retry can never place a second order. Orders that already have one
// keep it.
type idempotencyTransport struct {
	next http.RoundTripper
}

func (t idempotencyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op := operationOf(req)
	if op == nil || op.OrdersAt == "" {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	body, err := requestBody(req)
	if err != nil {
		closeRequestBody(req)
		return nil, fmt.Errorf("kalshi: %s: reading the request body: %w", op.ID, err)
	}
	filled, err := fillClientOrderIDs(body, op.OrdersAt)
	if err != nil {
		closeRequestBody(req)
		return nil, fmt.Errorf("kalshi: %s: %w", op.ID, err)
	}
	setBody(req, filled)
	return t.next.RoundTrip(req)
}

// giveClientOrderIDs gives every order in req's body a client_order_id
// where it has none, before the request is sent (so every attempt carries
// the same), and returns the orders' ids in body order.
func giveClientOrderIDs(req *http.Request, op *gen.Operation) ([]string, error) {
	body, err := requestBody(req)
	if err != nil {
		return nil, fmt.Errorf("reading the request body: %w", err)
	}
	filled, err := fillClientOrderIDs(body, op.OrdersAt)
	if err != nil {
		return nil, err
	}
	setBody(req, filled)
	return clientOrderIDs(filled, op.OrdersAt), nil
}

// clientOrderIDs lists the client_order_ids of the orders in body, in
// order ("" for an order without one).
func clientOrderIDs(body []byte, at string) []string {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return nil
	}
	orders := []map[string]json.RawMessage{top}
	if list := ordersList(at); list != "" {
		orders = nil
		_ = json.Unmarshal(top[list], &orders)
	}
	ids := make([]string, len(orders))
	for i, o := range orders {
		_ = json.Unmarshal(o["client_order_id"], &ids[i])
	}
	return ids
}

// attachClientOrderIDs records ids on the call's error.
func attachClientOrderIDs(err error, ids []string) {
	if len(ids) == 0 || err == nil {
		return
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.ClientOrderIDs == nil {
		apiErr.ClientOrderIDs = ids
	}
	var callErr *CallError
	if errors.As(err, &callErr) && callErr.ClientOrderIDs == nil {
		callErr.ClientOrderIDs = ids
	}
}

// ordersList returns the name of the list holding the orders at an
// operation's OrdersAt ("$.orders[*]" -> "orders"), or "" when the body is
// the order itself ("$").
func ordersList(at string) string {
	if at == "$" {
		return ""
	}
	return strings.TrimSuffix(strings.TrimPrefix(at, "$."), "[*]")
}

// fillClientOrderIDs sets a fresh client_order_id on every order of body
// (at the operation's OrdersAt) where it is missing or empty.
func fillClientOrderIDs(body []byte, at string) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("the order body is not a JSON object: %w", err)
	}
	list := ordersList(at)
	if list == "" {
		if !setIDIfMissing(top) {
			return body, nil
		}
		return json.Marshal(top)
	}
	raw, ok := top[list]
	if !ok || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		return body, nil
	}
	var orders []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &orders); err != nil {
		return nil, fmt.Errorf("the %s of the batch are not JSON objects: %w", list, err)
	}
	changed := false
	for _, o := range orders {
		if setIDIfMissing(o) {
			changed = true
		}
	}
	if !changed {
		return body, nil
	}
	b, err := json.Marshal(orders)
	if err != nil {
		return nil, err
	}
	top[list] = b
	return json.Marshal(top)
}

func setIDIfMissing(order map[string]json.RawMessage) bool {
	if hasClientOrderID(order) {
		return false
	}
	id, _ := json.Marshal(NewClientOrderID())
	order["client_order_id"] = id
	return true
}

func hasClientOrderID(order map[string]json.RawMessage) bool {
	var id string
	raw, ok := order["client_order_id"]
	return ok && json.Unmarshal(raw, &id) == nil && id != ""
}

// carriesClientOrderIDs reports whether every order in body (at the
// operation's OrdersAt) has a client_order_id.
func carriesClientOrderIDs(body []byte, at string) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	list := ordersList(at)
	if list == "" {
		return hasClientOrderID(top)
	}
	var orders []map[string]json.RawMessage
	if json.Unmarshal(top[list], &orders) != nil || len(orders) == 0 {
		return false
	}
	for _, o := range orders {
		if !hasClientOrderID(o) {
			return false
		}
	}
	return true
}

// NewClientOrderID returns a random (version 4) UUID, the form Kalshi uses
// for client_order_id.
func NewClientOrderID() string {
	var u [16]byte
	_, _ = rand.Read(u[:]) // crypto/rand.Read never fails
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}
