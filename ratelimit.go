package kalshi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// Bucket is one of Kalshi's token buckets: it holds up to Capacity tokens
// and refills at RefillPerSecond.
type Bucket struct {
	RefillPerSecond int // tokens added each second
	Capacity        int // most tokens held: the largest burst
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
	// Read and Write are the two buckets; each operation draws from the
	// one its gen.Operation.Bucket names.
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
// endpoint costs (the operation table's), or an error for an unknown tier.
func (t Tier) RateLimit() (RateLimit, error) {
	b, ok := tierBuckets[t]
	if !ok {
		return RateLimit{}, fmt.Errorf("kalshi: "+unknownTier, string(t))
	}
	return RateLimit{
		Read:        Bucket{RefillPerSecond: b[0], Capacity: b[0]},
		Write:       Bucket{RefillPerSecond: b[1], Capacity: b[1]},
		DefaultCost: gen.DefaultCost,
		Costs:       documentedCosts(),
	}, nil
}

const unknownTier = "unknown access tier %q: use basic, advanced, premier, paragon or prime"

// ParseTier returns the tier named s (as GET /account/limits reports it).
func ParseTier(s string) (Tier, error) {
	t := Tier(strings.ToLower(s))
	if _, ok := tierBuckets[t]; !ok {
		return "", fmt.Errorf("kalshi: "+unknownTier, s)
	}
	return t, nil
}

// documentedCosts are the costs of the operation table that differ from
// the default (per item for batches); SyncLimits replaces them with the
// account's live figures.
func documentedCosts() map[string]int {
	costs := map[string]int{}
	for _, op := range specOperations {
		if op.Cost != gen.DefaultCost {
			costs[op.ID] = op.Cost
		}
	}
	return costs
}

func (l RateLimit) validate() error {
	for name, b := range map[string]Bucket{"read": l.Read, "write": l.Write} {
		if b.RefillPerSecond <= 0 || b.Capacity <= 0 {
			return fmt.Errorf("the %s bucket needs a positive refill rate and capacity, got %+v", name, b)
		}
	}
	if l.DefaultCost < 0 {
		return fmt.Errorf("negative default cost %d", l.DefaultCost)
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
		l.DefaultCost = gen.DefaultCost
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

// charge works out which bucket req draws from and how many tokens; op is
// nil for a request outside the spec.
func (lim *limiter) charge(req *http.Request, op *gen.Operation) (*rate.Limiter, int) {
	lim.mu.RLock()
	defer lim.mu.RUnlock()
	if !lim.enabled {
		return nil, 0
	}
	cost, found := 0, false
	if op != nil {
		cost, found = lim.config.Costs[op.ID]
	} else {
		cost, found = lim.patternCost(req)
	}
	if !found {
		cost = lim.config.DefaultCost
	}
	if op != nil && op.BatchField != "" {
		if n := batchItems(req, op.BatchField); n > 0 {
			cost *= n
		}
	}
	bucket := lim.read
	if op != nil && op.Bucket == gen.WriteBucket {
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

// batchItems counts the items of a batch request: the length of the list
// named field in its JSON body.
func batchItems(req *http.Request, field string) int {
	body, err := requestBody(req)
	if err != nil || len(body) == 0 {
		return 0
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return 0
	}
	var list []json.RawMessage
	if json.Unmarshal(top[field], &list) != nil {
		return 0
	}
	return len(list)
}

// limitTransport waits for tokens before a request goes on to the retry
// layer. Reads and writes draw from separate buckets, so reads never wait
// on writes.
type limitTransport struct {
	next     http.RoundTripper
	limits   *limiter
	observer observe.Observer // nil when none
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op := operationOf(req)
	bucket, cost := t.limits.charge(req, op)
	if bucket != nil && cost > 0 {
		var start time.Time
		if t.observer != nil {
			start = time.Now()
		}
		err := bucket.WaitN(req.Context(), cost)
		if t.observer != nil {
			t.observeWait(req, op, bucket, cost, time.Since(start), err)
		}
		if err != nil {
			closeRequestBody(req)
			return nil, fmt.Errorf("kalshi: waiting for rate-limit tokens: %w", err)
		}
	}
	return t.next.RoundTrip(req)
}

// observeWait reports one draw of cost tokens from bucket.
func (t *limitTransport) observeWait(req *http.Request, op *gen.Operation, bucket *rate.Limiter, cost int, waited time.Duration, err error) {
	w := observe.RateLimitWait{Bucket: observe.ReadBucket, Tokens: cost, Waited: waited, Available: bucket.Tokens(), Err: err}
	if op != nil {
		w.Operation = op.ID
		if op.Bucket == gen.WriteBucket {
			w.Bucket = observe.WriteBucket
		}
	}
	t.observer.RateLimitWait(req.Context(), w)
}
