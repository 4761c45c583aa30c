package kalshitest

import "net/http"

// The errors of the RFQ, quote and block trade operations, in the codes
// Kalshi's RFQ guide names: invalid_parameters for a request the exchange
// will not take (a price off the grid, a malformed ID, the wrong party),
// rfq_closed for an RFQ deleted or executed, and 409 for a second open RFQ
// of a user on one market.

func errInvalidParameters(details string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "invalid_parameters", message: "invalid parameters", details: details}
}

func errRFQClosed() *apiError {
	return &apiError{status: http.StatusBadRequest, code: "rfq_closed", message: "rfq closed", details: "the RFQ was deleted or has executed"}
}

func errRFQExists() *apiError {
	return &apiError{status: http.StatusConflict, code: "rfq_already_exists", message: "rfq already exists", details: "you have an open RFQ on this market; delete it or set replace_existing"}
}
