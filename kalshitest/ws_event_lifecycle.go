package kalshitest

import (
	"strings"
	"time"

	"github.com/seed-c9ca4919/kalshi/ws"
)

// Event-level lifecycle on the WebSocket: event_lifecycle when an event is
// created and event_fee_update (fee_changes.go) on market_lifecycle_v2,
// and the multivariate channel, which carries what market_lifecycle_v2
// leaves out: everything about multivariate (KXMVE) events and markets.

// multivariatePrefix starts the ticker of every multivariate series, event
// and market, as on Kalshi, where market_lifecycle_v2 leaves out
// everything with this prefix.
const multivariatePrefix = "KXMVE"

// isMultivariateTicker reports whether a series, event or market ticker
// belongs to a multivariate event.
func isMultivariateTicker(ticker string) bool { return strings.HasPrefix(ticker, multivariatePrefix) }

// publishEventCreated announces a new event with event_lifecycle: on
// multivariate_market_lifecycle for a multivariate event, on
// market_lifecycle_v2 for any other. Exchange lock held.
func (x *exchange) publishEventCreated(e *eventState, now time.Time) {
	channel := ws.ChannelMarketLifecycleV2
	if isMultivariateTicker(e.ticker) {
		channel = ws.ChannelMultivariateMarketLifecycle
	}
	msg := &ws.EventLifecycle{
		EventTicker: e.ticker, Title: e.title, Subtitle: e.subTitle, SeriesTicker: e.seriesTicker,
		CollateralReturnType: collateralReturnType(e),
	}
	if !e.strikeDate.IsZero() {
		msg.StrikeDate = ws.UnixTimestamp(e.strikeDate.Unix())
	}
	x.publishChannel(ExchangeEvent{Channel: channel, Message: msg, Key: e.ticker}, now)
}

// collateralReturnType is MECNET for an event whose markets are mutually
// exclusive, and empty (no netting) otherwise.
func collateralReturnType(e *eventState) string {
	if e.mutuallyExclusive {
		return "MECNET"
	}
	return ""
}

// publishEventsSince announces the events listed after the first n, in
// order (exchange lock held): those a call that adds markets has created.
func (x *exchange) publishEventsSince(n int, now time.Time) {
	for _, t := range x.eventOrder[n:] {
		x.publishEventCreated(x.events[t], now)
	}
}

// sendLifecycle sends a market's lifecycle message on its channel:
// multivariate_market_lifecycle for a multivariate market, which Kalshi
// no longer sends on market_lifecycle_v2, and market_lifecycle_v2 for any
// other. Feed lock held.
func (f *wsFeed) sendLifecycle(ticker string, msg *ws.MarketLifecycle) {
	if isMultivariateTicker(ticker) {
		f.broadcast(ws.ChannelMultivariateMarketLifecycle, ticker, "", (*ws.MultivariateMarketLifecycle)(msg))
		return
	}
	f.broadcast(ws.ChannelMarketLifecycleV2, ticker, "", msg)
}
