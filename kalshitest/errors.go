package kalshitest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an error the fake answers with, in one of the three shapes
// Kalshi's error bodies take.
type apiError struct {
	status  int
	code    string
	message string
	details string
	service string
	shape   errorShape
}

// errorShape selects the JSON layout of an error body.
type errorShape int

const (
	// nested is {"error":{"code","message","details","service"}}, the
	// usual shape.
	nested errorShape = iota
	// flat is {"code","message","details"}, used for undecodable bodies.
	flat
	// bare is {"msg": "..."}, used for parameter validation failures.
	bare
)

func (e *apiError) Error() string {
	if e.details != "" {
		return fmt.Sprintf("%d %s: %s (%s)", e.status, e.code, e.message, e.details)
	}
	return fmt.Sprintf("%d %s: %s", e.status, e.code, e.message)
}

// body renders the error in its shape.
func (e *apiError) body() any {
	type fields struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Details string `json:"details,omitempty"`
		Service string `json:"service,omitempty"`
	}
	f := fields{Code: e.code, Message: e.message, Details: e.details, Service: e.service}
	switch e.shape {
	case flat:
		return f
	case bare:
		return map[string]string{"msg": e.message}
	case nested:
		return map[string]fields{"error": f}
	default:
		panic(fmt.Sprintf("kalshitest: error shape %d has no layout", e.shape))
	}
}

// Kalshi's error answers, as its real responses spell them.
func errInsufficientBalance() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "insufficient_balance", message: "insufficient balance", service: "exchange"}
}

// errInvalidPrice says which rule the price broke in details, as Kalshi's
// other order errors do.
func errInvalidPrice(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "invalid_price", message: "invalid price", details: details, service: "exchange"}
}

func errInvalidOrder(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "invalid_order", message: "invalid order", details: details}
}

func errOrderExists() *apiError {
	return &apiError{status: http.StatusConflict, code: "order_already_exists", message: "order already exists", service: "exchange"}
}

func errNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: "not_found", message: "not found", service: "exchange"}
}

func errMarketNotFound() *apiError {
	return &apiError{status: http.StatusNotFound, code: "market_not_found", message: "market not found", service: "exchange"}
}

func errMarketClosed() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "market_closed", message: "market closed", service: "exchange"}
}

func errBadRequest(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "bad_request", message: "bad request", details: details, shape: flat}
}

func errParam(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, message: msg, shape: bare}
}

func errAuth(details string) *apiError {
	return &apiError{status: http.StatusUnauthorized, code: "authentication_error", message: "authentication_error", details: details}
}

func errMissingSignature() *apiError {
	return &apiError{status: http.StatusUnauthorized, code: "signature_is_missing_from_headers", message: "signature is missing from headers"}
}

func errTimestampExpired() *apiError {
	return &apiError{status: http.StatusUnauthorized, code: "header_timestamp_expired", message: "header timestamp expired"}
}

func errInternal(msg string) *apiError {
	return &apiError{status: http.StatusInternalServerError, code: "internal_server_error", message: msg}
}

func errUnavailable() *apiError {
	return &apiError{status: http.StatusServiceUnavailable, code: "service_unavailable", message: "service unavailable (injected by kalshitest)"}
}

func errNotImplemented(op string) *apiError {
	return &apiError{status: http.StatusNotImplemented, code: "not_implemented", message: "operation " + op + " is not implemented by kalshitest"}
}

// writeError answers with err, which is an *apiError or becomes a 500.
func writeError(w http.ResponseWriter, err error) {
	e, ok := err.(*apiError)
	if !ok {
		e = errInternal(err.Error())
	}
	writeJSON(w, e.status, e.body())
}

// writeJSON answers with v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errInternal("encoding the response: " + err.Error()).body())
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeRateLimited answers 429 with the plain body Kalshi sends.
func writeRateLimited(w http.ResponseWriter) {
	writeJSON(w, http.StatusTooManyRequests, map[string]string{"error": "too many requests"})
}
