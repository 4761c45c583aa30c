package kalshi

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// credentialGuard refuses, before anything is sent, operations that need a
// signature when the client has no signer.
type credentialGuard struct {
	next http.RoundTripper
}

func (g credentialGuard) RoundTrip(req *http.Request) (*http.Response, error) {
	if op := operationOf(req); op != nil && op.Secured {
		closeRequestBody(req)
		return nil, fmt.Errorf("%w: %s (%s %s) needs a signed request; configure WithSigner or set KALSHI_API_KEY_ID and KALSHI_PRIVATE_KEY (or KALSHI_PRIVATE_KEY_PATH) for NewFromEnv",
			ErrNoCredentials, op.ID, op.Method, op.Path)
	}
	return g.next.RoundTrip(req)
}

// headerTransport sets the User-Agent.
type headerTransport struct {
	next      http.RoundTripper
	userAgent string
}

func (h headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if h.userAgent != "" && req.Header.Get("User-Agent") == "" {
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", h.userAgent)
	}
	return h.next.RoundTrip(req)
}

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// requestBody returns a copy of the request's body without consuming it.
func requestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		defer rc.Close()
		return io.ReadAll(rc)
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	setBody(req, b)
	return b, nil
}

// setBody makes b the request's replayable body.
func setBody(req *http.Request, b []byte) {
	req.Body = io.NopCloser(bytes.NewReader(b))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	req.ContentLength = int64(len(b))
}
