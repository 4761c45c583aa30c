package kalshitest

import (
	"encoding/json"
	"fmt"
	"github.com/seed-c9ca4919/kalshi/kalshitest/internal/api"
	"io"
	"net/http"
)

// handlers implements the operations; unimplemented answers any
// operation new in the spec, and not yet implemented here, with 501.
type handlers struct {
	//lint:ignore U1000 every operation of openapi.yaml is implemented here; the embedding answers operations a changed spec adds with 501
	unimplemented
	s *Server
}

var _ api.ServerInterface = (*handlers)(nil)

// decodeBody reads a JSON request body into v (validation has already
// checked it against the spec).
func decodeBody(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return errBadRequest(fmt.Sprintf("reading the body: %v", err))
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errBadRequest(err.Error())
	}
	return nil
}
