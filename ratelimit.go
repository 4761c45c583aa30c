package kalshi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

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

// Burst is the capacity the client allows itself for b, one of l's
// buckets: b.Capacity less Margin's worth of refill, and at least 1. A
// Limiter sizes its buckets by it.
func (l RateLimit) Burst(b Bucket) int {
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

// limiter is the client's pacing: the Limiter in use (nil when limiting
// is off) and the live costs of paths outside the spec. SyncLimits may
// change both while requests are in flight.
type limiter struct {
	mu       sync.RWMutex
	lim      Limiter
	patterns []costPattern // live costs for paths outside the spec
}

// costPattern is an endpoint cost for a path pattern as Kalshi reports it
// ("/trade-api/v2/portfolio/events/orders/:order_id", "/cfbenchmarks/*x").
type costPattern struct {
	method   string
	segments []string
	cost     int
}

func newLimiter(l Limiter) *limiter { return &limiter{lim: l} }

// set gives the limiter in use new figures, or makes a LocalLimiter of
// them when limiting is off, and takes the costs of paths outside the
// spec.
func (lim *limiter) set(l RateLimit, patterns []costPattern) error {
	lim.mu.Lock()
	defer lim.mu.Unlock()
	if lim.lim == nil {
		local, err := NewLocalLimiter(l)
		if err != nil {
			return err
		}
		lim.lim = local
	} else {
		setter, ok := lim.lim.(LimitSetter)
		if !ok {
			return fmt.Errorf("the client's limiter (%T) cannot take new figures: it has no SetLimits method", lim.lim)
		}
		if err := setter.SetLimits(l); err != nil {
			return err
		}
	}
	lim.patterns = patterns
	return nil
}

// current returns the limiter in use (nil when limiting is off) and the
// live costs of paths outside the spec.
func (lim *limiter) current() (Limiter, []costPattern) {
	lim.mu.RLock()
	defer lim.mu.RUnlock()
	return lim.lim, lim.patterns
}

// RateLimit returns the client-side limits in force and whether limiting
// is on.
func (c *Client) RateLimit() (RateLimit, bool) {
	l, _ := c.limits.current()
	if l == nil {
		return RateLimit{}, false
	}
	return l.Limits(), true
}

// Limiter returns the limiter pacing the client's requests, or nil when
// client-side limiting is off.
func (c *Client) Limiter() Limiter {
	l, _ := c.limits.current()
	return l
}

// charge works out which bucket req draws from and how many tokens; op is
// nil for a request outside the spec. l is nil when limiting is off.
func (lim *limiter) charge(req *http.Request, op *gen.Operation) (l Limiter, bucket observe.Bucket, cost int) {
	l, patterns := lim.current()
	if l == nil {
		return nil, "", 0
	}
	config := l.Limits()
	found := false
	if op != nil {
		cost, found = config.Costs[op.ID]
	} else {
		cost, found = patternCost(patterns, req)
	}
	if !found {
		cost = config.DefaultCost
		if cost == 0 {
			cost = gen.DefaultCost
		}
	}
	if op != nil && op.BatchField != "" {
		if n := batchItems(req, op.BatchField); n > 0 {
			cost *= n
		}
	}
	bucket, size := observe.ReadBucket, config.Read
	if op != nil && op.Bucket == gen.WriteBucket {
		bucket, size = observe.WriteBucket, config.Write
	}
	return l, bucket, min(cost, config.Burst(size))
}

func patternCost(patterns []costPattern, req *http.Request) (int, bool) {
	segs := splitPath(req.URL.Path)
	for _, p := range patterns {
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

// pacer draws a request's tokens from the client's limiter. The retry
// layer charges a request once and draws before every attempt, since
// Kalshi counts each one.
type pacer struct {
	limits   *limiter
	observer observe.Observer // nil when none
}

// draw is what one attempt of a request takes from the limiter: worked
// out once per call (a batch's items are counted from its body), drawn
// before every attempt.
type draw struct {
	l        Limiter // nil when limiting is off
	bucket   observe.Bucket
	cost     int
	op       *gen.Operation // nil for a request outside the spec
	observer observe.Observer
}

// charge works out req's draw; a nil pacer draws nothing.
func (p *pacer) charge(req *http.Request) draw {
	if p == nil {
		return draw{}
	}
	op := operationOf(req)
	l, bucket, cost := p.limits.charge(req, op)
	return draw{l: l, bucket: bucket, cost: cost, op: op, observer: p.observer}
}

// wait takes the draw's tokens, waiting for them as long as req's context
// allows.
func (d draw) wait(req *http.Request) error {
	if d.l == nil || d.cost <= 0 {
		return nil
	}
	var start time.Time
	if d.observer != nil {
		start = time.Now()
	}
	left, err := d.l.Wait(req.Context(), d.bucket, d.cost)
	if d.observer != nil {
		w := observe.RateLimitWait{Bucket: d.bucket, Tokens: d.cost, Waited: time.Since(start), Available: left, Err: err}
		if d.op != nil {
			w.Operation = d.op.ID
		}
		d.observer.RateLimitWait(req.Context(), w)
	}
	if err != nil {
		return fmt.Errorf("kalshi: waiting for rate-limit tokens: %w", err)
	}
	return nil
}
