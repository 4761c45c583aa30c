package kalshi

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
)

// orderCreation lists the operations that place orders. Kalshi
// de-duplicates them by client_order_id, which is what makes them safe to
// retry.
var orderCreation = map[string]bool{
	"CreateOrderV2":       true,
	"BatchCreateOrdersV2": true,
}

// idempotencyTransport gives every order a client_order_id before the
// request reaches the retry layer, so all attempts carry the same one and
// a retry can never place a second order. Orders that already have one
// keep it.
type idempotencyTransport struct {
	next   http.RoundTripper
	router *operationRouter
}

func (t idempotencyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op, ok := t.router.match(req)
	if !ok || !orderCreation[op.ID] {
		return t.next.RoundTrip(req)
	}
	req = req.Clone(req.Context())
	body, err := requestBody(req)
	if err != nil {
		closeRequestBody(req)
		return nil, fmt.Errorf("kalshi: %s: reading the request body: %w", op.ID, err)
	}
	filled, err := fillClientOrderIDs(body)
	if err != nil {
		closeRequestBody(req)
		return nil, fmt.Errorf("kalshi: %s: %w", op.ID, err)
	}
	setBody(req, filled)
	return t.next.RoundTrip(req)
}

// fillClientOrderIDs sets a fresh client_order_id on the order in body, or
// on each order of a batch ({"orders": [...]}), where it is missing or
// empty.
func fillClientOrderIDs(body []byte) ([]byte, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("the order body is not a JSON object: %w", err)
	}
	if raw, ok := top["orders"]; ok && bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
		var orders []map[string]json.RawMessage
		if err := json.Unmarshal(raw, &orders); err != nil {
			return nil, fmt.Errorf("the orders of the batch are not JSON objects: %w", err)
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
		top["orders"] = b
		return json.Marshal(top)
	}
	if !setIDIfMissing(top) {
		return body, nil
	}
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

// carriesClientOrderIDs reports whether every order in body has a
// client_order_id.
func carriesClientOrderIDs(body []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	if raw, ok := top["orders"]; ok {
		var orders []map[string]json.RawMessage
		if json.Unmarshal(raw, &orders) != nil || len(orders) == 0 {
			return false
		}
		for _, o := range orders {
			if !hasClientOrderID(o) {
				return false
			}
		}
		return true
	}
	return hasClientOrderID(top)
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
