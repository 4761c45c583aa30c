package kalshi

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// BatchItemError is the error of one item of a batch request that Kalshi
// refused while accepting the others, such as an order that was no longer
// resting when its cancel arrived (code not_found).
type BatchItemError struct {
	OrderID       string `json:"order_id"`                  // the order the item named
	ClientOrderID string `json:"client_order_id,omitempty"` // empty when Kalshi did not say
	Code          string `json:"code"`                      // Kalshi's error code, such as "not_found"
	Message       string `json:"message,omitempty"`         // Kalshi's message
	Details       string `json:"details,omitempty"`         // Kalshi's details, when it sent any
}

// Error returns "kalshi: order ID: code: message (details)".
func (e *BatchItemError) Error() string {
	var b strings.Builder
	b.WriteString("kalshi: order ")
	b.WriteString(e.OrderID)
	if e.Code != "" {
		b.WriteString(": ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Details != "" {
		b.WriteString(" (")
		b.WriteString(e.Details)
		b.WriteString(")")
	}
	return b.String()
}

// batchItemError is the BatchItemError of an item's error body.
func batchItemError(orderID string, clientOrderID *string, e *gen.ErrorResponse) *BatchItemError {
	out := &BatchItemError{OrderID: orderID}
	if clientOrderID != nil {
		out.ClientOrderID = *clientOrderID
	}
	if e.Code != nil {
		out.Code = *e.Code
	}
	if e.Message != nil {
		out.Message = *e.Message
	}
	if e.Details != nil {
		out.Details = *e.Details
	}
	return out
}

// codeNotFound is Kalshi's error code for an order it does not hold (any
// more).
const codeNotFound = "not_found"

// MarketCancels is what CancelOrdersInMarket did.
type MarketCancels struct {
	// Ticker is the market whose orders were canceled.
	Ticker string `json:"ticker"`
	// Resting is the number of resting orders listed in the market.
	Resting int `json:"resting"`
	// Canceled holds the cancels Kalshi confirmed, with the contracts each
	// removed from the book.
	Canceled []gen.BatchCancelOrdersV2ResponseOrder `json:"canceled"`
	// NotResting holds the orders Kalshi no longer held when their cancel
	// arrived (not_found): filled or canceled since they were listed, or
	// canceled by an earlier attempt of this call whose answer was lost.
	// None of them rests, so they are not failures.
	NotResting []string `json:"not_resting"`
	// Failed holds the cancels Kalshi refused for any other reason, one
	// per order.
	Failed []BatchItemError `json:"failed"`
	// BatchSize is the most cancels sent in one request.
	BatchSize int `json:"batch_size"`
}

// CancelOrdersInMarket cancels every resting order of the account in one
// market: it lists them with GetOrders (every page, every subaccount) and
// cancels them with BatchCancelOrdersV2, routed by the ticker.
//
// Each batch is sized to fit the write bucket in one go, so no request is
// refused for its size and none waits longer than a bucket's refill: with
// client-side rate limiting on (WithTier, WithRateLimit, SyncLimits), the
// client's write bucket divided by the tokens a cancel costs; without it,
// 50, which fits the smallest tier's bucket (Basic: 100 write tokens, 2 per
// cancel).
//
// The result lists which orders were canceled, which were no longer
// resting when their cancel arrived (filled or canceled meanwhile, or by a
// retried batch whose first answer was lost: not an error, since the goal
// is met) and which Kalshi refused. A refused cancel makes the call return
// both the result and an error that wraps each *BatchItemError (errors.As
// finds the first).
// When the listing or a batch fails as a whole, CancelOrdersInMarket stops
// and returns what it did so far with that error; calling it again is safe
// and cancels what is left, since it lists the resting orders afresh.
func (c *Client) CancelOrdersInMarket(ctx context.Context, ticker string) (*MarketCancels, error) {
	if strings.TrimSpace(ticker) == "" {
		// GetOrders without a ticker lists every market's orders.
		return nil, fmt.Errorf("kalshi: CancelOrdersInMarket: %w: the ticker is empty (CancelAllOrders cancels in every market)", ErrInvalidParameter)
	}
	res := &MarketCancels{Ticker: ticker, BatchSize: c.cancelBatchSize()}
	status := string(gen.OrderStatusResting)
	limit := int64(1000)
	var items []gen.BatchCancelOrdersV2RequestOrder
	for o, err := range c.GetOrdersIter(ctx, &gen.GetOrdersParams{Ticker: &ticker, Status: &status, Limit: &limit}) {
		if err != nil {
			return res, fmt.Errorf("kalshi: CancelOrdersInMarket %s: listing the resting orders: %w", ticker, err)
		}
		if o.Status != gen.OrderStatusResting || o.Ticker != ticker {
			continue
		}
		items = append(items, gen.BatchCancelOrdersV2RequestOrder{OrderID: o.OrderID, MarketTicker: ticker, Subaccount: o.SubaccountNumber})
	}
	res.Resting = len(items)
	for start := 0; start < len(items); start += res.BatchSize {
		batch := items[start:min(start+res.BatchSize, len(items))]
		resp, err := c.BatchCancelOrdersV2(ctx, gen.BatchCancelOrdersV2Request{Orders: batch})
		if err != nil {
			return res, fmt.Errorf("kalshi: CancelOrdersInMarket %s: %d of %d orders not canceled: %w", ticker, len(items)-start, len(items), err)
		}
		for _, item := range resp.Orders {
			if item.Error != nil && item.Error.Code != nil && *item.Error.Code == codeNotFound {
				res.NotResting = append(res.NotResting, item.OrderID)
				continue
			}
			if item.Error != nil {
				res.Failed = append(res.Failed, *batchItemError(item.OrderID, item.ClientOrderID, item.Error))
				continue
			}
			res.Canceled = append(res.Canceled, item)
		}
	}
	if len(res.Failed) > 0 {
		errs := make([]error, len(res.Failed))
		for i := range res.Failed {
			errs[i] = &res.Failed[i]
		}
		return res, fmt.Errorf("kalshi: CancelOrdersInMarket %s: %d of %d cancels refused: %w", ticker, len(res.Failed), len(items), errors.Join(errs...))
	}
	return res, nil
}

// defaultCancelBatch fits the smallest tier's write bucket: Basic's 100
// tokens at BatchCancelOrdersV2's 2 tokens a cancel.
var defaultCancelBatch = tierBuckets[Basic][1] / opBatchCancelOrdersV2.Cost

// cancelBatchSize is the most cancels one BatchCancelOrdersV2 request may
// carry so that it fits the write bucket.
func (c *Client) cancelBatchSize() int {
	limits, on := c.RateLimit()
	if !on {
		return defaultCancelBatch
	}
	cost, ok := limits.Costs[opBatchCancelOrdersV2.ID]
	if !ok {
		cost = limits.DefaultCost
	}
	if cost <= 0 {
		cost = gen.DefaultCost
	}
	return max(1, limits.Burst(limits.Write)/cost)
}
