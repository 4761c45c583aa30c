package kalshi_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
)

// countingServer answers every request after a short pause (so calls
// overlap) and counts the connections opened to it.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var opened atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(5 * time.Millisecond)
		writeJSON(w, 200, `{"exchange_active":true,"trading_active":true}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	return srv, &opened
}

// callConcurrently makes n calls, conc at a time.
func callConcurrently(t *testing.T, c *kalshi.Client, n, conc int) {
	t.Helper()
	var next atomic.Int32
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int32(n) {
				if _, err := c.GetExchangeStatus(context.Background()); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// After warm-up, a bot making up to 64 calls at once reuses its
// connections: not one new connection (net/http's default keeps 2 idle
// per host, and opened thousands).
func TestWarmConnectionsAreReused(t *testing.T) {
	t.Parallel()
	for _, conc := range []int{8, 32, 64} {
		srv, opened := countingServer(t)
		srv.Start()
		defer srv.Close()
		c, err := kalshi.New(kalshi.WithBaseURL(srv.URL + "/trade-api/v2"))
		require.NoError(t, err)
		callConcurrently(t, c, 4*conc, conc) // warm-up
		warm := opened.Load()
		callConcurrently(t, c, 20*conc, conc)
		assert.Equal(t, warm, opened.Load(), "concurrency %d: new connections after warm-up", conc)
		t.Logf("concurrency %d: %d connections, none opened after warm-up", conc, warm)
	}
}

// HTTP/2 stays on where the server offers it.
func TestHTTP2WhereOffered(t *testing.T) {
	t.Parallel()
	srv, _ := countingServer(t)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	tr := kalshi.DefaultTransport()
	tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL+"/trade-api/v2"), kalshi.WithHTTPClient(&http.Client{Transport: tr}))
	require.NoError(t, err)
	resp, err := c.HTTPClient().Get(c.BaseURL() + "/exchange/status")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 2, resp.ProtoMajor)
	_, err = c.GetExchangeStatus(context.Background())
	assert.NoError(t, err)
}
