package observe_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/observe"
)

func records(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r map[string]any
		require.NoError(t, json.Unmarshal(line, &r))
		out = append(out, r)
	}
	return out
}

// TestLoggerFeedLevels: the feed's events are logged at their documented
// levels with the documented attributes; a draw that did not wait is not
// logged; a logger above Debug skips the Debug events.
func TestLoggerFeedLevels(t *testing.T) {
	var buf bytes.Buffer
	o := observe.Logger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ctx := context.Background()
	o.Feed(ctx, observe.FeedEvent{Kind: observe.FeedGap, Channel: "orderbook_delta", SID: 7, Expected: 5, Got: 9})
	o.Feed(ctx, observe.FeedEvent{Kind: observe.FeedLag, MarketTicker: "M", Lag: 30 * time.Millisecond})
	o.Feed(ctx, observe.FeedEvent{Kind: observe.FeedGaveUp, Err: errors.New("401")})
	o.Feed(ctx, observe.FeedEvent{Kind: observe.FeedConnected, Attempt: 3, Host: "h:1"})
	o.RateLimitWait(ctx, observe.RateLimitWait{Operation: "GetMarkets", Bucket: observe.ReadBucket, Tokens: 10})
	o.RateLimitWait(ctx, observe.RateLimitWait{Operation: "GetMarkets", Bucket: observe.ReadBucket, Tokens: 10, Waited: time.Millisecond})

	rs := records(t, &buf)
	require.Len(t, rs, 5, "the draw that did not wait is not logged")
	assert.Equal(t, "WARN", rs[0]["level"])
	assert.Equal(t, "kalshi feed gap", rs[0]["msg"])
	assert.EqualValues(t, 5, rs[0][observe.KeyExpected])
	assert.EqualValues(t, 9, rs[0][observe.KeyGot])
	assert.EqualValues(t, 7, rs[0][observe.KeySID])
	assert.Equal(t, "DEBUG", rs[1]["level"])
	assert.Equal(t, "M", rs[1][observe.KeyMarket])
	assert.Equal(t, "ERROR", rs[2]["level"])
	assert.Equal(t, "401", rs[2][observe.KeyError])
	assert.Equal(t, "INFO", rs[3]["level"])
	assert.EqualValues(t, 3, rs[3][observe.KeyAttempt])
	assert.Equal(t, "kalshi rate-limit wait", rs[4]["msg"])
	assert.Equal(t, "read", rs[4][observe.KeyBucket])

	buf.Reset()
	quiet := observe.Logger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})))
	quiet.Feed(ctx, observe.FeedEvent{Kind: observe.FeedLag, Lag: time.Millisecond})
	quiet.AttemptEnd(ctx, &observe.Attempt{Operation: "GetMarkets", Number: 1})
	assert.Empty(t, records(t, &buf))
}

// counter counts the events it gets, and tags the context.
type counter struct {
	observe.Nop
	name  string
	calls int
}

type tagKey struct{}

func (c *counter) CallStart(ctx context.Context, _ *observe.Call) context.Context {
	tags, _ := ctx.Value(tagKey{}).([]string)
	return context.WithValue(ctx, tagKey{}, append(tags, c.name))
}

func (c *counter) CallEnd(ctx context.Context, _ *observe.Call) {
	c.calls++
}

// TestJoin: every joined observer gets every event, the contexts their
// starts return threaded through in order; nils are left out.
func TestJoin(t *testing.T) {
	assert.Nil(t, observe.Join(nil, nil))
	a, b := &counter{name: "a"}, &counter{name: "b"}
	assert.Same(t, a, observe.Join(nil, a))
	j := observe.Join(a, nil, observe.Join(b))
	ctx := j.CallStart(context.Background(), &observe.Call{})
	assert.Equal(t, []string{"a", "b"}, ctx.Value(tagKey{}))
	j.CallEnd(ctx, &observe.Call{})
	assert.Equal(t, 1, a.calls)
	assert.Equal(t, 1, b.calls)
}
