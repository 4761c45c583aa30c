package otelkalshi

import (
	"context"

	"go.opentelemetry.io/otel/metric"

	"github.com/seed-c9ca4919/kalshi/observe"
)

// Feed counts the WebSocket connection's events and records its lag.
func (o *observer) Feed(ctx context.Context, e observe.FeedEvent) {
	host := func() []metric.AddOption { return o.sets.get(setKey{kind: setHost, a: e.Host}).add }
	channel := func() []metric.AddOption { return o.sets.get(setKey{kind: setChannel, a: e.Channel}).add }
	switch e.Kind {
	case observe.FeedConnected:
		o.wsConnects.Add(ctx, 1, host()...)
		if e.Attempt > 0 {
			o.wsReconnects.Add(ctx, 1, host()...)
		}
	case observe.FeedDisconnected:
		o.wsDisconnects.Add(ctx, 1, host()...)
	case observe.FeedReconnectFailed:
		o.wsReconnectFailures.Add(ctx, 1, host()...)
	case observe.FeedGaveUp:
		o.wsGaveUp.Add(ctx, 1, host()...)
	case observe.FeedGap:
		o.wsGaps.Add(ctx, 1, channel()...)
	case observe.FeedResync:
		o.wsResyncs.Add(ctx, 1, channel()...)
	case observe.FeedResubscribed:
		o.wsResubscriptions.Add(ctx, 1, o.sets.get(setKey{kind: setResubscribe, a: e.Channel, b: e.Reason}).add...)
	case observe.FeedDropped:
		o.wsDropped.Add(ctx, int64(e.Dropped), channel()...)
	case observe.FeedUndecodable:
		o.wsUndecodable.Add(ctx, 1, host()...)
	case observe.FeedLag:
		o.wsLag.Record(ctx, e.Lag.Seconds(), o.sets.get(setKey{kind: setChannel, a: e.Channel}).record...)
	}
}
