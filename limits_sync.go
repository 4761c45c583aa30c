package kalshi

import (
	"context"
	"fmt"
	"strings"
)

// SyncLimits loads the account's real rate limits (GET /account/limits)
// and endpoint costs (GET /account/endpoint_costs) and paces every later
// request by them, turning client-side limiting on if it was off (with a
// LocalLimiter). A limiter given to WithLimiter takes the figures through
// its SetLimits (see LimitSetter); SyncLimits fails for one without. It
// needs a signer.
func (c *Client) SyncLimits(ctx context.Context) (RateLimit, error) {
	limits, err := c.GetAccountAPILimits(ctx)
	if err != nil {
		return RateLimit{}, fmt.Errorf("kalshi: loading account limits: %w", err)
	}
	costs, err := c.GetAccountEndpointCosts(ctx)
	if err != nil {
		return RateLimit{}, fmt.Errorf("kalshi: loading endpoint costs: %w", err)
	}
	l := RateLimit{
		Read:        Bucket{RefillPerSecond: limits.Read.RefillRate, Capacity: limits.Read.BucketCapacity},
		Write:       Bucket{RefillPerSecond: limits.Write.RefillRate, Capacity: limits.Write.BucketCapacity},
		DefaultCost: costs.DefaultCost,
		Costs:       map[string]int{},
	}
	if err := l.validate(); err != nil {
		return RateLimit{}, fmt.Errorf("kalshi: the account limits Kalshi reported are unusable: %w", err)
	}
	var patterns []costPattern
	for _, ec := range costs.EndpointCosts {
		method := strings.ToUpper(ec.Method)
		// Kalshi reports paths under /trade-api/v2; requests go to the
		// client's base path, which a proxy may have moved.
		path := ec.Path
		if i := strings.Index(path, apiPrefix); i >= 0 {
			path = path[i+len(apiPrefix):]
		}
		path = c.router.basePath + path
		if op, ok := c.router.matchPath(method, patternToTemplate(path)); ok {
			l.Costs[op.ID] = ec.Cost
			continue
		}
		patterns = append(patterns, costPattern{method: method, segments: splitPath(path), cost: ec.Cost})
	}
	if err := c.limits.set(l, patterns); err != nil {
		return RateLimit{}, fmt.Errorf("kalshi: SyncLimits: %w", err)
	}
	return l, nil
}

const apiPrefix = "/trade-api/v2"

// patternToTemplate turns Kalshi's ":name" and "*name" path patterns into
// concrete-looking segments the operation router matches against its
// "{name}" templates.
func patternToTemplate(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}
