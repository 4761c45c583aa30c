package kalshi

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// specOperations is gen's operation table, and operationByID its index;
// every layer of the client reads an operation's facts from here.
var (
	specOperations = gen.Operations()
	operationByID  = func() map[string]*gen.Operation {
		m := make(map[string]*gen.Operation, len(specOperations))
		for i := range specOperations {
			m[specOperations[i].ID] = &specOperations[i]
		}
		return m
	}()
)

// callState travels in a request's context through the transport stack:
// which operation the request is for, and how many attempts have been
// sent. The typed methods put it there; for requests from outside (Raw,
// HTTPClient), operationTransport finds the operation from the URL, once.
type callState struct {
	op       *gen.Operation // nil when the request matches no operation
	attempts int
	buffer   bool   // read the whole answer within the attempt (the typed methods)
	buffered bool   // body holds the final answer's whole body
	body     []byte // the answer's body, when buffered
	status   int    // the last attempt's HTTP status; 0 when none came

	clockCorrected bool // the signer's clock was corrected during this call
}

type callKey struct{}

func withCall(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, callKey{}, st)
}

// callOf returns the request's call state, or nil.
func callOf(ctx context.Context) *callState {
	st, _ := ctx.Value(callKey{}).(*callState)
	return st
}

// operationOf returns the operation a request is for, or nil.
func operationOf(req *http.Request) *gen.Operation {
	if st := callOf(req.Context()); st != nil {
		return st.op
	}
	return nil
}

// OperationFromContext returns the operation a request is for, from the
// context of a request passing through the client's transport stack (in a
// RetryPolicy's ShouldRetry, say).
func OperationFromContext(ctx context.Context) (gen.Operation, bool) {
	if st := callOf(ctx); st != nil && st.op != nil {
		return *st.op, true
	}
	return gen.Operation{}, false
}

// operationTransport is the outermost layer: a request that does not
// carry its operation yet (one sent through Raw or HTTPClient) gets it
// here, matched from its method and path, so the layers below read it
// from the context instead of matching the URL again.
type operationTransport struct {
	next      http.RoundTripper
	router    *operationRouter
	closeIdle func()
}

// Format prints what the transport is for every verb, so printing the
// client's http.Client never walks the live stack below.
func (t operationTransport) Format(f fmt.State, _ rune) {
	_, _ = fmt.Fprint(f, "kalshi transport stack")
}

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the
// connections below the stack.
func (t operationTransport) CloseIdleConnections() { t.closeIdle() }

func (t operationTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if callOf(req.Context()) == nil {
		op, _ := t.router.match(req)
		req = req.WithContext(withCall(req.Context(), &callState{op: op}))
	}
	return t.next.RoundTrip(req)
}

// operationRouter finds the spec operation of a request from its method
// and path, for requests that do not carry it.
type operationRouter struct {
	basePath string // e.g. "/trade-api/v2"
	byMethod map[string][]routeEntry
}

type routeEntry struct {
	segments []string // template segments; "{...}" matches any one segment
	op       *gen.Operation
}

func newOperationRouter(basePath string) *operationRouter {
	r := &operationRouter{basePath: strings.TrimSuffix(basePath, "/"), byMethod: map[string][]routeEntry{}}
	for i := range specOperations {
		op := &specOperations[i]
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
func (r *operationRouter) match(req *http.Request) (*gen.Operation, bool) {
	return r.matchPath(req.Method, req.URL.EscapedPath())
}

// matchPath matches an escaped path, so an escaped "/" inside a parameter
// stays in its segment.
func (r *operationRouter) matchPath(method, path string) (*gen.Operation, bool) {
	rest, ok := strings.CutPrefix(path, r.basePath)
	if !ok {
		return nil, false
	}
	segs := splitPath(rest)
	var best *gen.Operation
	bestScore := -1
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
