package kalshi

import (
	"fmt"
	"io"
	"net/http"
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

// Result turns the two results of any generated <Op>WithResponse call into
// the decoded success body or an error, so one line does it:
//
//	markets, err := kalshi.Result(c.GetMarketsWithResponse(ctx, params))
//
// A non-2xx answer becomes an *APIError (match it with errors.Is against
// ErrNotFound, ErrRateLimited, ...). Transport errors are returned as they
// are.
func Result[T any](r response[T], err error) (T, error) {
	var zero T
	if err != nil {
		return zero, err
	}
	code := r.StatusCode()
	if code >= 200 && code < 300 {
		return r.Success(), nil
	}
	resp := r.HTTP()
	if resp == nil {
		return zero, fmt.Errorf("kalshi: %s: status %d without a response", r.OperationID(), code)
	}
	return zero, newAPIError(r.OperationID(), resp, r.GetBody())
}

// CheckResponse returns nil for a 2xx response, and otherwise reads and
// closes the body and returns the *APIError for it: for requests made with
// HTTPClient outside the generated client.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("kalshi: reading the %d response: %w", resp.StatusCode, err)
	}
	return newAPIError("", resp, body)
}
