package ws_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/seed-c9ca4919/kalshi/signing"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// The signed handshake never follows a redirect: the other host would get
// a fresh signature to replay.
func TestHandshakeDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	var reached atomic.Int32
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer target.Close()
	other := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	from := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other+r.URL.Path, http.StatusFound)
	}))
	defer from.Close()

	key, _, _, _ := signing.GenerateKey(signing.Ed25519)
	s, _ := signing.New("k", key)
	_, err := ws.Dial(ctxT(t), ws.WithURL("ws"+strings.TrimPrefix(from.URL, "http")+"/trade-api/ws/v2"), ws.WithSigner(s))
	if !errors.Is(err, signing.ErrRedirect) {
		t.Fatalf("err %v, want ErrRedirect", err)
	}
	if !strings.Contains(err.Error(), "302") || !strings.Contains(err.Error(), "localhost") {
		t.Errorf("the error should name the status and the target: %v", err)
	}
	if n := reached.Load(); n != 0 {
		t.Errorf("%d requests reached the other host", n)
	}
}
