package kalshi

import (
	"net/http"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// operationRouter finds the spec operation a request is for, from its method
// and path. The transport stack uses it to tell authenticated operations,
// order creation, write-limited operations and per-operation costs apart.
type operationRouter struct {
	basePath string // e.g. "/trade-api/v2"
	byMethod map[string][]routeEntry
}

type routeEntry struct {
	segments []string // template segments; "{...}" matches any one segment
	op       gen.OperationInfo
}

func newOperationRouter(basePath string) *operationRouter {
	r := &operationRouter{basePath: strings.TrimSuffix(basePath, "/"), byMethod: map[string][]routeEntry{}}
	for _, op := range gen.Operations() {
		r.byMethod[op.Method] = append(r.byMethod[op.Method], routeEntry{segments: splitPath(op.Path), op: op})
	}
	return r
}

func splitPath(p string) []string {
	return strings.Split(strings.Trim(p, "/"), "/")
}

// match returns the operation for req, preferring literal segments over
// parameters (so /portfolio/events/orders/batched is not taken for
// /portfolio/events/orders/{order_id}).
func (r *operationRouter) match(req *http.Request) (gen.OperationInfo, bool) {
	return r.matchPath(req.Method, req.URL.Path)
}

func (r *operationRouter) matchPath(method, path string) (gen.OperationInfo, bool) {
	rest, ok := strings.CutPrefix(path, r.basePath)
	if !ok {
		return gen.OperationInfo{}, false
	}
	segs := splitPath(rest)
	best, bestScore := gen.OperationInfo{}, -1
	for _, e := range r.byMethod[strings.ToUpper(method)] {
		if len(e.segments) != len(segs) {
			continue
		}
		score := 0
		for i, s := range e.segments {
			switch {
			case strings.HasPrefix(s, "{"):
			case s == segs[i]:
				score++
			default:
				score = -1
			}
			if score < 0 {
				break
			}
		}
		if score > bestScore {
			best, bestScore = e.op, score
		}
	}
	return best, bestScore >= 0
}
