package kalshi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
)

func TestWebSocketURL(t *testing.T) {
	cases := []struct {
		opts []kalshi.Option
		want string
	}{
		{nil, "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"},
		{[]kalshi.Option{kalshi.WithEnvironment(kalshi.Production)}, "wss://external-api-ws.kalshi.com/trade-api/ws/v2"},
		{[]kalshi.Option{kalshi.WithEnvironment(kalshi.DemoLegacy)}, "wss://demo-api.kalshi.co/trade-api/ws/v2"},
		// Production's REST URL on a client left at Demo: still production's feed.
		{[]kalshi.Option{kalshi.WithBaseURL("https://external-api.kalshi.com/trade-api/v2")}, "wss://external-api-ws.kalshi.com/trade-api/ws/v2"},
		{[]kalshi.Option{kalshi.WithBaseURL("https://external-api.kalshi.com/trade-api/v2/")}, "wss://external-api-ws.kalshi.com/trade-api/ws/v2"},
		{[]kalshi.Option{kalshi.WithBaseURL("http://127.0.0.1:8080/trade-api/v2")}, "ws://127.0.0.1:8080/trade-api/ws/v2"},
		{[]kalshi.Option{kalshi.WithBaseURL("https://proxy.example/kalshi/trade-api/v2/?x=1")}, "wss://proxy.example/kalshi/trade-api/ws/v2"},
		{[]kalshi.Option{kalshi.WithBaseURL("https://proxy.example")}, "wss://proxy.example/trade-api/ws/v2"},
		{[]kalshi.Option{kalshi.WithBaseURL("http://proxy.example/kalshi/")}, "ws://proxy.example/kalshi/trade-api/ws/v2"},
	}
	for _, tc := range cases {
		c, err := kalshi.New(tc.opts...)
		require.NoError(t, err)
		assert.Equal(t, tc.want, c.WebSocketURL(), "base %s", c.BaseURL())
	}
}

// TestWebSocketURLOfKalshitest: a client of the fake finds the fake's feed.
func TestWebSocketURLOfKalshitest(t *testing.T) {
	srv := kalshitest.NewServer()
	defer srv.Close()
	c, err := kalshi.New(kalshi.WithBaseURL(srv.URL()))
	require.NoError(t, err)
	assert.Equal(t, srv.WebSocketURL(), c.WebSocketURL())
}
