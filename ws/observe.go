package ws

import (
	"errors"
	"net/url"
	"time"

	"github.com/seed-c9ca4919/kalshi/observe"
)

// errSilent is why a connection that stayed silent past the heartbeat
// timeout was closed.
var errSilent = errors.New("ws: no frame or ping within the heartbeat timeout")

// report gives e to the observer, if there is one, with the feed's host.
func (c *Conn) report(e observe.FeedEvent) {
	o := c.cfg.observer
	if o == nil {
		return
	}
	if u, err := url.Parse(c.cfg.url); err == nil {
		e.Host = u.Host
	}
	o.Feed(c.ctx, e)
}

// reportLag reports how long after the exchange stamped m it arrived, for
// the messages that carry a stamp.
func (c *Conn) reportLag(s *Subscription, m Message) {
	var ms UnixMillis
	var ts Timestamp
	var market string
	switch v := m.(type) {
	case *OrderbookDelta:
		ms, ts, market = v.TSMs, v.TS, v.MarketTicker
	case *Ticker:
		ms, ts, market = v.TSMs, v.TS, v.MarketTicker
	case *Trade:
		ms, ts, market = v.TSMs, v.TS, v.MarketTicker
	case *Fill:
		ms, ts, market = v.TSMs, v.TS, v.MarketTicker
	default:
		return
	}
	stamp := ms.Time() // milliseconds where the frame has them
	if stamp.IsZero() {
		stamp = ts.Time
	}
	if stamp.IsZero() {
		return
	}
	c.report(observe.FeedEvent{Kind: observe.FeedLag, Channel: string(s.params.Channel), SID: m.Header().SID,
		MarketTicker: market, Lag: time.Since(stamp)})
}
