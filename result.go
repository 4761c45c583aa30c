package kalshi

import (
	"fmt"
	"io"
	"net/http"
	"reflect"
)

// response is what every generated <Op>HTTPResponse offers: its operation,
// the raw response and body, and the decoded 2xx body.
type response[T any] interface {
	OperationID() string
	StatusCode() int
	GetBody() []byte
	HTTP() *http.Response
	Success() T
}

// Result turns the two results of a generated <Op>WithResponse call made
// through Raw into the decoded success body or an error, so one line does
// it:
//
//	order, err := kalshi.Result(c.Raw().CreateOrderV2WithBodyWithResponse(ctx, "application/json", body))
//
// A non-2xx answer becomes an *APIError; a 2xx answer the generated client
// did not decode (another 2xx than documented, a missing or non-JSON body)
// is a *CallError matching ErrUnexpectedResponse, never (nil, nil).
// Transport errors are returned as they are. The Client's own methods do
// all of this, and decode drifting bodies too: use them unless you need
// the raw client.
func Result[T any](r response[T], err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	code := r.StatusCode()
	resp := r.HTTP()
	if code < 200 || code > 299 {
		if resp == nil {
			return zero, &CallError{Operation: r.OperationID(), StatusCode: code, Err: fmt.Errorf("%w: status %d without a response", ErrUnexpectedResponse, code)}
		}
		return zero, newAPIError(r.OperationID(), resp, r.GetBody())
	}
	v := r.Success()
	if rv := reflect.ValueOf(&v).Elem(); rv.Kind() == reflect.Pointer && rv.IsNil() {
		e := &CallError{Operation: r.OperationID(), StatusCode: code,
			Err: fmt.Errorf("%w: the generated client did not decode the %d answer (%s)", ErrUnexpectedResponse, code, textSummary(r.GetBody()))}
		if resp != nil && resp.Request != nil {
			e.Method, e.Path, e.Attempts = resp.Request.Method, resp.Request.URL.Path, Attempt(resp.Request.Context())
		}
		return zero, e
	}
	return v, nil
}

// CheckResponse returns nil for a 2xx response, and otherwise reads and
// closes the body and returns the *APIError for it: for requests made with
// HTTPClient.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("kalshi: reading the %d response: %w", resp.StatusCode, err)
	}
	op := ""
	if resp.Request != nil {
		if o := operationOf(resp.Request); o != nil {
			op = o.ID
		}
	}
	return newAPIError(op, resp, body)
}
