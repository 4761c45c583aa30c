package kalshi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	fastjson "github.com/goccy/go-json"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/observe"
)

// call is the one path of every typed method: it sends the request built
// by the generated New<Op>Request through the client's transport stack,
// with the operation in the request's context, and turns the answer into
// the operation's success value or an error. It never returns (nil, nil):
//
//   - a non-2xx answer is an *APIError;
//   - a 2xx answer with a JSON body decodes into T, whatever its status and
//     content type (both reported as drift when they are not the
//     documented ones), leniently when its values drift from the spec;
//   - a 2xx answer without the body the spec declares, or with a body that
//     is not JSON, is a *CallError matching ErrUnexpectedResponse;
//   - for an operation whose success has no body, T is gen.NoContent and
//     the value is empty;
//   - a request that could not be built or sent, or whose answer could not
//     be read, is a *CallError carrying the operation and the attempts.
func call[T any](ctx context.Context, c *Client, op *gen.Operation, req *http.Request, err error) (*T, error) {
	if c.observer == nil {
		return callOnce[T](ctx, c, op, req, err, nil)
	}
	ev := &observe.Call{Operation: op.ID, Method: op.Method, Path: op.Path, Start: time.Now()}
	ctx = c.observer.CallStart(ctx, ev)
	v, err := callOnce[T](ctx, c, op, req, err, ev)
	ev.Duration, ev.Err = time.Since(ev.Start), err
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		ev.StatusCode, ev.ErrorCode = apiErr.StatusCode, apiErr.Code
	}
	c.observer.CallEnd(ctx, ev)
	return v, err
}

// callOnce is call without the observer's start and end; ev, when not
// nil, gets the answer's status, size and the attempts.
func callOnce[T any](ctx context.Context, c *Client, op *gen.Operation, req *http.Request, err error, ev *observe.Call) (*T, error) {
	if err != nil {
		return nil, &CallError{Operation: op.ID, Method: op.Method, Path: op.Path, Err: fmt.Errorf("building the request: %w", err)}
	}
	if got, _ := c.router.matchPath(req.Method, req.URL.EscapedPath()); got != op {
		reached := "no operation"
		if got != nil {
			reached = got.ID
		}
		return nil, &CallError{Operation: op.ID, Method: req.Method, Path: req.URL.EscapedPath(),
			Err: fmt.Errorf("%w: the path parameters make the request reach %s instead of %s %s; nothing was sent", ErrInvalidParameter, reached, op.Method, op.Path)}
	}
	if op.Secured && c.signer == nil {
		return nil, &CallError{Operation: op.ID, Method: req.Method, Path: req.URL.Path, Err: errNoCredentials}
	}
	var ids []string
	if op.OrdersAt != "" {
		if ids, err = giveClientOrderIDs(req, op); err != nil {
			return nil, &CallError{Operation: op.ID, Method: req.Method, Path: req.URL.Path, Err: err}
		}
		if ev != nil {
			ev.IdempotencyKey = len(ids) > 0 && !slices.Contains(ids, "")
		}
	}
	resolve := resolverOf(op)
	if resolve == nil {
		v, _, err := send[T](ctx, c, op, req, ev)
		return v, err
	}
	start := c.now()
	v, attempts, err := send[T](ctx, c, op, req, ev)
	attachClientOrderIDs(err, ids)
	out, err := resolve(ctx, c, &outcome{op: op, req: req, ids: ids, start: start, attempts: attempts, value: v, err: err})
	if err != nil {
		attachClientOrderIDs(err, ids)
		return nil, err
	}
	return out.(*T), nil
}

// send sends one request through the transport stack and turns the answer
// into the operation's success value or an error; attempts is how many
// times it was sent.
func send[T any](ctx context.Context, c *Client, op *gen.Operation, req *http.Request, ev *observe.Call) (v *T, attempts int, err error) {
	st := &callState{op: op, buffer: true}
	defer func() {
		attempts = st.attempts
		if ev != nil {
			ev.Attempts, ev.StatusCode, ev.ResponseBytes = st.attempts, st.status, int64(len(st.body))
		}
	}()
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent) // the request is ours: no layer need copy it for this
	}
	req = req.WithContext(withCall(ctx, st))
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, 0, &CallError{Operation: op.ID, Method: req.Method, Path: req.URL.Path, Attempts: st.attempts, Err: transportCause(err)}
	}
	defer resp.Body.Close()
	body := st.body
	if !st.buffered { // a transport of the caller's that answered around the retry layer
		var over bool
		if body, over, err = readUpTo(resp.Body, resp.ContentLength, c.bodyLimits.Success); err != nil || over {
			if over {
				err = ErrResponseTooLarge
			}
			return nil, 0, &CallError{Operation: op.ID, Method: req.Method, Path: req.URL.Path, Attempts: st.attempts, StatusCode: resp.StatusCode,
				Err: fmt.Errorf("reading the %d answer: %w", resp.StatusCode, err)}
		}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := newAPIError(op.ID, resp, body)
		e.Method, e.Path, e.Attempts = req.Method, req.URL.Path, max(st.attempts, 1)
		e.Hint = hintFor(e)
		return nil, 0, e
	}
	v, err = decodeSuccess[T](c, op, st, req, resp, body)
	if err == nil {
		// The decoded value holds copies, never the body itself.
		releaseBuffer(body)
	}
	return v, 0, err
}

// errNoCredentials is the cause of a signed operation called on a client
// without a signer.
var errNoCredentials = fmt.Errorf("%w: this operation needs a signed request; configure WithSigner, or set %s and %s (or %s) for NewFromEnv",
	ErrNoCredentials, EnvAPIKeyID, EnvPrivateKey, EnvPrivateKeyPath)

// transportCause strips the *url.Error that http.Client wraps around a
// transport failure: the CallError already names the request, and the
// wrapper would make every failure, even ErrNoCredentials, pass as a
// net.Error.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// decodeSuccess turns a 2xx answer into the operation's success value.
func decodeSuccess[T any](c *Client, op *gen.Operation, st *callState, req *http.Request, resp *http.Response, body []byte) (*T, error) {
	fail := func(format string, args ...any) error {
		return &CallError{Operation: op.ID, Method: req.Method, Path: req.URL.Path, Attempts: st.attempts,
			StatusCode: resp.StatusCode, Err: fmt.Errorf(format, args...)}
	}
	if c.drift != nil && resp.StatusCode != op.SuccessStatus {
		c.drift(Drift{Operation: op.ID, Path: "$", Kind: DriftStatus,
			Detail: fmt.Sprintf("answered %d, documented %d", resp.StatusCode, op.SuccessStatus)})
	}
	if !op.SuccessBody {
		return new(T), nil
	}
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, fail("%w: the %d answer has no body, and %s declares one", ErrUnexpectedResponse, resp.StatusCode, op.ID)
	}
	if c.drift != nil {
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "json") {
			c.drift(Drift{Operation: op.ID, Path: "$", Kind: DriftContentType, Detail: "got " + strconv.Quote(ct) + ", declared application/json"})
		}
	}
	v := new(T)
	err := fastjson.Unmarshal(trimmed, v)
	if err == nil {
		if c.drift != nil {
			drifts, _, _ := examine(op.ID, trimmed, false)
			c.report(drifts)
		}
		return v, nil
	}
	var syntax *json.SyntaxError
	var fastSyntax *fastjson.SyntaxError
	if errors.As(err, &syntax) || errors.As(err, &fastSyntax) {
		return nil, fail("%w: the %d answer is not JSON: %s", ErrUnexpectedResponse, resp.StatusCode, textSummary(trimmed))
	}
	// The body is JSON whose values do not fit the declared types: convert
	// what can be converted and decode again.
	drifts, fixed, ok := examine(op.ID, trimmed, true)
	if ok && fixed != nil {
		v = new(T)
		if fastjson.Unmarshal(fixed, v) == nil {
			c.report(drifts)
			return v, nil
		}
	}
	return nil, fail("decoding the %d answer: %w", resp.StatusCode, err)
}

// checkPathParam refuses, before anything is built, a path parameter value
// that would make the request reach another endpoint: "" and "." drop the
// segment (DELETE .../orders/{order_id} with "." is CancelAllOrders), ".."
// climbs a level. Other values are escaped into one segment; call checks
// the built path too.
func checkPathParam(op *gen.Operation, name, value string) error {
	switch value {
	case "", ".", "..":
		return &CallError{Operation: op.ID, Method: op.Method, Path: op.Path,
			Err: fmt.Errorf("%w: path parameter %s is %q, which would send the request to another endpoint than %s %s", ErrInvalidParameter, name, value, op.Method, op.Path)}
	}
	return nil
}
