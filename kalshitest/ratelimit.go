package kalshitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Tier is a Kalshi API access tier, which sets the rate limits.
type Tier string

// Kalshi's access tiers. Each bucket holds one second of refill.
const (
	TierBasic    Tier = "basic"    // 200 read / 100 write tokens per second
	TierAdvanced Tier = "advanced" // 300 / 300
	TierPremier  Tier = "premier"  // 1000 / 1000
	TierParagon  Tier = "paragon"  // 2000 / 2000
	TierPrime    Tier = "prime"    // 4000 / 4000
)

// tierRates holds each tier's read and write tokens per second.
var tierRates = map[Tier][2]int{
	TierBasic:    {200, 100},
	TierAdvanced: {300, 300},
	TierPremier:  {1000, 1000},
	TierParagon:  {2000, 2000},
	TierPrime:    {4000, 4000},
}

// defaultCost is what a request costs unless endpointCosts says otherwise.
const defaultCost = 10

// endpointCosts are Kalshi's non-default costs by operationId, per item
// for the batch operations.
var endpointCosts = map[string]int{
	"GetOrder":                    2,
	"CancelOrderV2":               2,
	"CancelAllOrders":             2,
	"BatchCancelOrdersV2":         2,
	"GetRFQQuote":                 2,
	"DeleteRFQQuote":              2,
	"CreateQuote":                 2,
	"GetQuote":                    2,
	"DeleteQuote":                 2,
	"UpgradeAccountApiUsageLevel": 30,
}

// writeOps draw from the write bucket; everything else reads.
var writeOps = map[string]bool{
	"CreateOrderV2": true, "BatchCreateOrdersV2": true, "CancelOrderV2": true, "BatchCancelOrdersV2": true,
	"CancelAllOrders": true, "AmendOrderV2": true, "DecreaseOrderV2": true,
}

var batchOps = map[string]bool{"BatchCreateOrdersV2": true, "BatchCancelOrdersV2": true}

// limiter holds the token buckets of every caller (API key, or remote
// address for public requests) for one tier.
type limiter struct {
	tier    Tier
	mu      sync.Mutex
	buckets map[string]*[2]*rate.Limiter
}

func newLimiter(t Tier) (*limiter, error) {
	if t == "" {
		return nil, nil
	}
	if _, ok := tierRates[t]; !ok {
		return nil, fmt.Errorf("kalshitest: unknown tier %q: use basic, advanced, premier, paragon or prime", string(t))
	}
	return &limiter{tier: t, buckets: map[string]*[2]*rate.Limiter{}}, nil
}

// allow charges the request to caller's bucket and reports whether it may
// go on. Costs above the bucket are capped at its size, so a large batch
// can still pass on a full bucket.
func (l *limiter) allow(caller, opID string, r *http.Request, now time.Time) bool {
	if l == nil {
		return true
	}
	cost := requestCost(opID, r)
	l.mu.Lock()
	b := l.buckets[caller]
	if b == nil {
		rates := tierRates[l.tier]
		b = &[2]*rate.Limiter{
			rate.NewLimiter(rate.Limit(rates[0]), rates[0]),
			rate.NewLimiter(rate.Limit(rates[1]), rates[1]),
		}
		l.buckets[caller] = b
	}
	l.mu.Unlock()
	bucket := b[0]
	if writeOps[opID] {
		bucket = b[1]
	}
	return bucket.AllowN(now, min(cost, bucket.Burst()))
}

// requestCost is the tokens a request costs, counting batch items.
func requestCost(opID string, r *http.Request) int {
	cost, ok := endpointCosts[opID]
	if !ok {
		cost = defaultCost
	}
	if batchOps[opID] && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err == nil {
			var v struct {
				Orders []json.RawMessage `json:"orders"`
			}
			if json.Unmarshal(body, &v) == nil && len(v.Orders) > 0 {
				cost *= len(v.Orders)
			}
		}
	}
	return cost
}

// endpointCostList is the body of GetAccountEndpointCosts: the non-default
// costs with paths in Kalshi's pattern syntax (":param").
func (s *Server) endpointCostList() []endpointCost {
	var out []endpointCost
	for _, op := range s.routes.ops {
		cost, ok := endpointCosts[op.id]
		if !ok {
			continue
		}
		method, path := op.method, BasePath+op.path
		segs := strings.Split(path, "/")
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") {
				segs[i] = ":" + strings.Trim(seg, "{}")
			}
		}
		out = append(out, endpointCost{cost: cost, method: method, path: strings.Join(segs, "/")})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].path != out[j].path {
			return out[i].path < out[j].path
		}
		return out[i].method < out[j].method
	})
	return out
}

type endpointCost struct {
	cost         int
	method, path string
}
