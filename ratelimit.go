package kalshi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Bucket is one of Kalshi's token buckets: it holds up to Capacity tokens
// and refills at RefillPerSecond.
type Bucket struct {
	RefillPerSecond int
	Capacity        int
}

// RateLimit configures client-side pacing with Kalshi's two token buckets,
// read and write. Each request costs DefaultCost tokens unless Costs (by
// operationId) or the endpoint costs loaded by SyncLimits say otherwise;
// every item of a batch is charged.
//
// The client's buckets hold Margin's worth of refill less than Kalshi's:
// Kalshi's clock starts when a request arrives, the client's when it is
// sent, and the difference (network latency) would otherwise let a burst
// that fits the client's bucket overdraw Kalshi's.
type RateLimit struct {
	Read, Write Bucket
	DefaultCost int            // 0 means 10, Kalshi's default
	Costs       map[string]int // tokens per request (per item for batches), by operationId
	// Margin is the latency allowance; 0 means 100 ms, a negative value
	// none (the buckets then mirror Kalshi's exactly).
	Margin time.Duration
}

const defaultMargin = 100 * time.Millisecond

// burst is the capacity the client allows itself for b.
func (l RateLimit) burst(b Bucket) int {
	m := l.Margin
	if m == 0 {
		m = defaultMargin
	}
	reserve := 0
	if m > 0 {
		reserve = int(float64(b.RefillPerSecond) * m.Seconds())
	}
	return max(1, b.Capacity-reserve)
}

// Tier is a Kalshi API access tier.
type Tier string

// Kalshi's access tiers.
const (
	Basic    Tier = "basic"
	Advanced Tier = "advanced"
	Premier  Tier = "premier"
	Paragon  Tier = "paragon"
	Prime    Tier = "prime"
)

// tierBuckets holds each tier's read and write tokens per second; Kalshi's
// buckets hold one second of refill.
var tierBuckets = map[Tier][2]int{
	Basic:    {200, 100},
	Advanced: {300, 300},
	Premier:  {1000, 1000},
	Paragon:  {2000, 2000},
	Prime:    {4000, 4000},
}

// RateLimit returns the tier's preset limits with Kalshi's documented
// endpoint costs. It panics on an unknown tier; see ParseTier.
func (t Tier) RateLimit() RateLimit {
	l, err := t.rateLimit()
	if err != nil {
		panic(err)
	}
	return l
}

func (t Tier) rateLimit() (RateLimit, error) {
	b, ok := tierBuckets[t]
	if !ok {
		return RateLimit{}, fmt.Errorf("kalshi: unknown access tier %q: use basic, advanced, premier, paragon or prime", string(t))
	}
	return RateLimit{
		Read:        Bucket{RefillPerSecond: b[0], Capacity: b[0]},
		Write:       Bucket{RefillPerSecond: b[1], Capacity: b[1]},
		DefaultCost: defaultRequestCost,
		Costs:       documentedCosts(),
	}, nil
}

// ParseTier returns the tier named s (as GET /account/limits reports it).
func ParseTier(s string) (Tier, error) {
	t := Tier(strings.ToLower(s))
	if _, ok := tierBuckets[t]; !ok {
		return "", fmt.Errorf("kalshi: unknown access tier %q: use basic, advanced, premier, paragon or prime", s)
	}
	return t, nil
}

const defaultRequestCost = 10

// documentedCosts are the non-default costs Kalshi documents in its spec;
// SyncLimits replaces them with the account's live figures.
func documentedCosts() map[string]int {
	return map[string]int{
		"GetOrder":                    2,
		"CancelOrderV2":               2,
		"CancelAllOrders":             2,
		"BatchCreateOrdersV2":         10, // per order
		"BatchCancelOrdersV2":         2,  // per order
		"GetRFQQuote":                 2,
		"DeleteRFQQuote":              2,
		"CreateQuote":                 2,
		"GetQuote":                    2,
		"DeleteQuote":                 2,
		"UpgradeAccountApiUsageLevel": 30,
	}
}

// writeOperations are charged to the write bucket; everything else reads.
var writeOperations = map[string]bool{
	"CreateOrderV2":       true,
	"BatchCreateOrdersV2": true,
	"CancelOrderV2":       true,
	"BatchCancelOrdersV2": true,
	"CancelAllOrders":     true,
	"AmendOrderV2":        true,
	"DecreaseOrderV2":     true,
}

// batchOperations are charged per item of their request body's list.
var batchOperations = map[string]bool{
	"BatchCreateOrdersV2": true,
	"BatchCancelOrdersV2": true,
}

func (l RateLimit) validate() error {
	for name, b := range map[string]Bucket{"read": l.Read, "write": l.Write} {
		if b.RefillPerSecond <= 0 || b.Capacity <= 0 {
			return fmt.Errorf("kalshi: rate limit: the %s bucket needs a positive refill rate and capacity, got %+v", name, b)
		}
	}
	if l.DefaultCost < 0 {
		return fmt.Errorf("kalshi: rate limit: negative default cost %d", l.DefaultCost)
	}
	return nil
}

// limiter holds the client's buckets; SyncLimits may replace them while
// requests are in flight.
type limiter struct {
	mu       sync.RWMutex
	enabled  bool
	read     *rate.Limiter
	write    *rate.Limiter
	config   RateLimit
	patterns []costPattern // live costs for paths outside the spec
}

// costPattern is an endpoint cost for a path pattern as Kalshi reports it
// ("/trade-api/v2/portfolio/events/orders/:order_id", "/cfbenchmarks/*x").
type costPattern struct {
	method   string
	segments []string
	cost     int
}

func newLimiter(l *RateLimit) *limiter {
	lim := &limiter{}
	if l != nil {
		lim.set(*l, nil)
	}
	return lim
}

func (lim *limiter) set(l RateLimit, patterns []costPattern) {
	if l.DefaultCost == 0 {
		l.DefaultCost = defaultRequestCost
	}
	lim.mu.Lock()
	defer lim.mu.Unlock()
	lim.enabled = true
	lim.config = l
	lim.patterns = patterns
	lim.read = rate.NewLimiter(rate.Limit(l.Read.RefillPerSecond), l.burst(l.Read))
	lim.write = rate.NewLimiter(rate.Limit(l.Write.RefillPerSecond), l.burst(l.Write))
}

// RateLimit returns the client-side limits in force and whether limiting
// is on.
func (c *Client) RateLimit() (RateLimit, bool) {
	c.limits.mu.RLock()
	defer c.limits.mu.RUnlock()
	return c.limits.config, c.limits.enabled
}

// charge works out which bucket req draws from and how many tokens.
func (lim *limiter) charge(req *http.Request, op string, known bool) (*rate.Limiter, int) {
	lim.mu.RLock()
	defer lim.mu.RUnlock()
	if !lim.enabled {
		return nil, 0
	}
	cost, found := 0, false
	if known {
		cost, found = lim.config.Costs[op]
	} else {
		cost, found = lim.patternCost(req)
	}
	if !found {
		cost = lim.config.DefaultCost
	}
	if known && batchOperations[op] {
		if n := batchItems(req); n > 0 {
			cost *= n
		}
	}
	bucket := lim.read
	if known && writeOperations[op] {
		bucket = lim.write
	}
	if cost > bucket.Burst() {
		cost = bucket.Burst()
	}
	return bucket, cost
}

func (lim *limiter) patternCost(req *http.Request) (int, bool) {
	segs := splitPath(req.URL.Path)
	for _, p := range lim.patterns {
		if p.method == req.Method && matchPattern(p.segments, segs) {
			return p.cost, true
		}
	}
	return 0, false
}

// matchPattern matches path segments against Kalshi's pattern syntax:
// ":name" is one segment, "*name" the rest of the path.
func matchPattern(pattern, segs []string) bool {
	for i, p := range pattern {
		if strings.HasPrefix(p, "*") {
			return true
		}
		if i >= len(segs) || (!strings.HasPrefix(p, ":") && p != segs[i]) {
			return false
		}
	}
	return len(pattern) == len(segs)
}

// batchItems counts the items of a batch request: the length of the first
// list in its JSON body.
func batchItems(req *http.Request) int {
	body, err := requestBody(req)
	if err != nil || len(body) == 0 {
		return 0
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return 0
	}
	for _, raw := range top {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			return len(list)
		}
	}
	return 0
}

// limitTransport waits for tokens before a request goes on to the retry
// layer. Reads and writes draw from separate buckets, so reads never wait
// on writes.
type limitTransport struct {
	next   http.RoundTripper
	limits *limiter
	router *operationRouter
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op, known := t.router.match(req)
	bucket, cost := t.limits.charge(req, op.ID, known)
	if bucket != nil && cost > 0 {
		if err := bucket.WaitN(req.Context(), cost); err != nil {
			closeRequestBody(req)
			return nil, fmt.Errorf("kalshi: waiting for rate-limit tokens: %w", err)
		}
	}
	return t.next.RoundTrip(req)
}
