package kalshitest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
)

// limiter holds the token buckets of every caller (API key, or remote
// address for public requests) for one tier. Buckets, costs and batch
// charges come from the client's operation table, so the fake charges
// exactly what the client paces itself by.
type limiter struct {
	tier    kalshi.Tier
	limits  kalshi.RateLimit
	mu      sync.Mutex
	buckets map[string]*[2]*rate.Limiter
}

func newLimiter(t kalshi.Tier) (*limiter, error) {
	if t == "" {
		return nil, nil
	}
	l, err := t.RateLimit()
	if err != nil {
		return nil, err
	}
	return &limiter{tier: t, limits: l, buckets: map[string]*[2]*rate.Limiter{}}, nil
}

// allow charges the request to caller's bucket and reports whether it may
// go on. Costs above the bucket are capped at its size, so a large batch
// can still pass on a full bucket.
func (l *limiter) allow(caller string, op *gen.Operation, r *http.Request, now time.Time) bool {
	if l == nil {
		return true
	}
	cost := requestCost(op, r)
	l.mu.Lock()
	b := l.buckets[caller]
	if b == nil {
		b = &[2]*rate.Limiter{
			rate.NewLimiter(rate.Limit(l.limits.Read.RefillPerSecond), l.limits.Read.Capacity),
			rate.NewLimiter(rate.Limit(l.limits.Write.RefillPerSecond), l.limits.Write.Capacity),
		}
		l.buckets[caller] = b
	}
	l.mu.Unlock()
	bucket := b[0]
	if op.Bucket == gen.WriteBucket {
		bucket = b[1]
	}
	return bucket.AllowN(now, min(cost, bucket.Burst()))
}

// requestCost is the tokens a request costs, counting batch items.
func requestCost(op *gen.Operation, r *http.Request) int {
	cost := op.Cost
	if op.BatchField != "" && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err == nil {
			var v map[string]json.RawMessage
			var items []json.RawMessage
			if json.Unmarshal(body, &v) == nil && json.Unmarshal(v[op.BatchField], &items) == nil && len(items) > 0 {
				cost *= len(items)
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
		if op.facts.Cost == gen.DefaultCost {
			continue
		}
		method, path := op.method, BasePath+op.path
		segs := strings.Split(path, "/")
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") {
				segs[i] = ":" + strings.Trim(seg, "{}")
			}
		}
		out = append(out, endpointCost{cost: op.facts.Cost, method: method, path: strings.Join(segs, "/")})
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
