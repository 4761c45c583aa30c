package kalshi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/internal/kalshierr"
	"github.com/seed-c9ca4919/kalshi/signing"
)

// Sentinel errors, matched with errors.Is against an *APIError (or any
// error wrapping one).
var (
	ErrUnauthorized = errors.New("kalshi: unauthorized (401)")
	ErrForbidden    = errors.New("kalshi: forbidden (403)")
	ErrNotFound     = errors.New("kalshi: not found (404)")
	ErrConflict     = errors.New("kalshi: conflict (409)")
	ErrGone         = errors.New("kalshi: endpoint retired (410)")
	ErrRateLimited  = errors.New("kalshi: rate limited (429)")
	ErrServer       = errors.New("kalshi: server error (5xx)")
	// ErrOrderAlreadyExists matches Kalshi's order_already_exists: an
	// order with this client_order_id was already placed. It also matches
	// ErrConflict.
	ErrOrderAlreadyExists = errors.New("kalshi: order already exists")
	// ErrNoCredentials is returned, before anything is sent, for an
	// operation that needs a signed request when the client has no signer.
	ErrNoCredentials = errors.New("kalshi: no credentials")
	// ErrRedirect matches a call that got a redirect: the client never
	// follows one, since that would send a fresh signature (and the body)
	// wherever it points. The error names the status and the target.
	ErrRedirect = signing.ErrRedirect
	// ErrInvalidParameter matches a call refused before anything was sent
	// because a parameter would change which endpoint it reaches (an
	// order ID of "." or "batched", say).
	ErrInvalidParameter = errors.New("kalshi: invalid parameter")
	// ErrUnexpectedResponse matches a 2xx answer the client cannot use: it
	// lacks the body the spec declares, or its body is not JSON.
	ErrUnexpectedResponse = errors.New("kalshi: unexpected response")
)

// CallError is a call that ended without a usable answer from Kalshi: the
// client refused to send it (ErrNoCredentials), the request could not be
// sent or no answer came back (a connection failure, a timeout, the
// context ending), or a 2xx answer could not be read or decoded
// (ErrUnexpectedResponse). It unwraps to the cause, so
// errors.Is(err, context.Canceled) works. A non-2xx answer is an *APIError
// instead.
type CallError struct {
	Operation  string // operationId, e.g. "GetBalance"
	Method     string // request method
	Path       string // request path
	Attempts   int    // how many times the request was sent; 0 when never
	StatusCode int    // status of a 2xx answer that could not be used; 0 when no answer came
	Err        error  // the cause
	// ClientOrderIDs are the client_order_ids of the orders the request
	// carried (for the operations that place orders), in request order:
	// with ErrOutcomeUnknown, look the orders up by them, or send the
	// request again with them, which Kalshi refuses to place twice.
	ClientOrderIDs []string
}

// Error returns one line: the operation, the cause, the request and the
// attempts.
func (e *CallError) Error() string {
	var b strings.Builder
	b.WriteString("kalshi: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "kalshi: "))
	}
	if e.Method != "" || e.Path != "" {
		fmt.Fprintf(&b, " (%s %s", e.Method, e.Path)
		if e.Attempts > 1 {
			fmt.Fprintf(&b, ", %d attempts", e.Attempts)
		}
		b.WriteString(")")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *CallError) Unwrap() error { return e.Err }

// APIError is a non-2xx answer from Kalshi, from any of the shapes its
// error bodies take.
type APIError struct {
	StatusCode int    // HTTP status
	Code       string // Kalshi's error code, e.g. "insufficient_balance"
	Message    string // human-readable message
	Details    string // extra detail, e.g. "INCORRECT_API_KEY_SIGNATURE"
	Service    string // the Kalshi service that answered, when given
	Operation  string // operationId, e.g. "CreateOrderV2"
	Method     string // request method
	Path       string // request path
	Body       []byte // the raw response body
	Attempts   int    // how many times the request was sent (1 unless retried)
	Hint       string // what to do about it, when the cause is known
	// ClientOrderIDs are the client_order_ids of the orders the request
	// carried (for the operations that place orders), in request order.
	ClientOrderIDs []string
}

// Error returns one line: operation, status, code, message and hint.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("kalshi: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	}
	if e.Message != "" && e.Message != e.Code {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Details != "" {
		fmt.Fprintf(&b, " (%s)", e.Details)
	}
	if e.Hint != "" {
		b.WriteString("; ")
		b.WriteString(e.Hint)
	}
	return b.String()
}

// Is matches the sentinel errors by status code and Kalshi code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrGone:
		return e.StatusCode == http.StatusGone
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	case ErrOrderAlreadyExists:
		return e.Code == "order_already_exists"
	}
	return false
}

// Retryable reports whether sending the same request again may succeed:
// rate limiting and server errors. (The client's retry layer decides by
// the request too: only requests that cannot double an effect are retried
// after a server error.)
func (e *APIError) Retryable() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.StatusCode >= 500
}

// newAPIError maps a non-2xx response (whose body has been read) into an
// *APIError. It is the one mapper for every operation.
func newAPIError(operation string, resp *http.Response, body []byte) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Operation: operation, Body: body, Attempts: 1}
	if req := resp.Request; req != nil {
		e.Method, e.Path = req.Method, req.URL.Path
		if n := Attempt(req.Context()); n > 0 {
			e.Attempts = n
		}
	}
	parseErrorBody(e, body)
	e.Hint = hintFor(e)
	return e
}

func parseErrorBody(e *APIError, body []byte) {
	f := kalshierr.Parse(e.StatusCode, body)
	e.Code, e.Message, e.Details, e.Service = f.Code, f.Message, f.Details, f.Service
}

// textSummary gives a short readable line for a body that is not JSON.
func textSummary(body []byte) string { return kalshierr.Summary(body) }

// retiredEndpoints are the endpoints Kalshi retired (answering 410), from
// the operation table.
var retiredEndpoints = gen.RetiredEndpoints()

// replacementFor names the replacement of a retired endpoint, e.g.
// "CreateOrderV2 (POST /portfolio/events/orders)".
func replacementFor(method, path string) string {
	if i := strings.Index(path, apiPrefix); i >= 0 {
		path = path[i+len(apiPrefix):]
	}
	segs := splitPath(path)
	for _, r := range retiredEndpoints {
		if r.Method != method {
			continue
		}
		pat := splitPath(r.Path)
		if len(pat) != len(segs) {
			continue
		}
		ok := true
		for i := range pat {
			if pat[i] != "*" && pat[i] != segs[i] {
				ok = false
				break
			}
		}
		if ok {
			if op := operationByID[r.Replacement]; op != nil {
				return fmt.Sprintf("%s (%s %s)", op.ID, op.Method, op.Path)
			}
			return r.Replacement
		}
	}
	return ""
}

func hintFor(e *APIError) string {
	if h := kalshierr.AuthHint(e.StatusCode, e.Code, e.Details); h != "" {
		return h
	}
	switch {
	case e.StatusCode == http.StatusGone:
		if r := replacementFor(e.Method, e.Path); r != "" {
			return "this endpoint was retired; use " + r
		}
		return "this endpoint was retired; see Kalshi's changelog for its replacement"
	case e.Code == "order_already_exists" && e.Attempts > 1:
		return "an earlier attempt of this same request already placed the order; look it up by its client_order_id"
	case e.StatusCode == http.StatusTooManyRequests:
		return "rate limited: the client retries with backoff; WithRateLimit paces requests before they are sent"
	}
	return ""
}
