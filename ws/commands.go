package ws

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
)

// Channel names of Kalshi's WebSocket API.
const (
	ChannelOrderbookDelta              = "orderbook_delta"
	ChannelTicker                      = "ticker"
	ChannelTrade                       = "trade"
	ChannelFill                        = "fill"
	ChannelMarketPositions             = "market_positions"
	ChannelMarketLifecycleV2           = "market_lifecycle_v2"
	ChannelMultivariateMarketLifecycle = "multivariate_market_lifecycle"
	ChannelCommunications              = "communications"
	ChannelOrderGroupUpdates           = "order_group_updates"
	ChannelUserOrders                  = "user_orders"
	ChannelCFBenchmarksValue           = "cfbenchmarks_value"
	ChannelCFBenchmarksValue5Hz        = "cfbenchmarks_value_5hz"
	ChannelPythValue                   = "pyth_value"
)

// Command names and update_subscription actions.
const (
	CmdSubscribe          = "subscribe"
	CmdUnsubscribe        = "unsubscribe"
	CmdUpdateSubscription = "update_subscription"
	CmdListSubscriptions  = "list_subscriptions"

	ActionAddMarkets             = "add_markets"
	ActionDeleteMarkets          = "delete_markets"
	ActionGetSnapshot            = "get_snapshot"
	ActionSubscribeIndices       = "subscribe_indices"
	ActionUnsubscribeIndices     = "unsubscribe_indices"
	ActionIndexList              = "indexlist"
	ActionSubscribeUnderlyings   = "subscribe_underlyings"
	ActionUnsubscribeUnderlyings = "unsubscribe_underlyings"
	ActionUnderlyingList         = "underlying_list"
)

// Command is a client-to-server frame: {"id", "cmd", "params"}. Conn builds these itself;
// the type is exported so servers (such as a fake exchange) can decode what clients send.
type Command struct {
	ID     int64          `json:"id"`               // echoed in the reply's Envelope.ID
	Cmd    string         `json:"cmd"`              // one of the Cmd* constants
	Params *CommandParams `json:"params,omitempty"` // the command's parameters
}

// CommandParams holds the parameters of every command; each command uses a subset.
type CommandParams struct {
	// Channels are the channels to subscribe to (subscribe).
	Channels []string `json:"channels,omitempty"`
	// MarketTicker, MarketTickers, MarketID and MarketIDs name the markets
	// to subscribe to, add or remove, by ticker or by market ID; only one
	// of the four is sent.
	MarketTicker  string   `json:"market_ticker,omitempty"`
	MarketTickers []string `json:"market_tickers,omitempty"`
	MarketID      string   `json:"market_id,omitempty"`
	MarketIDs     []string `json:"market_ids,omitempty"`
	// SendInitialSnapshot asks the ticker channel for a first ticker of
	// each market named.
	SendInitialSnapshot bool `json:"send_initial_snapshot,omitempty"`
	// SkipTickerAck leaves the market lists out of the subscription's OK
	// replies.
	SkipTickerAck bool `json:"skip_ticker_ack,omitempty"`
	// UseYesPrice makes orderbook_delta report NO levels at YES prices.
	UseYesPrice bool `json:"use_yes_price,omitempty"`
	// UserFilter "self" limits the communications channel's RFQ events to
	// the RFQs you created.
	UserFilter string `json:"user_filter,omitempty"`
	// ShardFactor and ShardKey split the communications channel: the
	// subscription receives shard ShardKey of ShardFactor.
	ShardFactor *int `json:"shard_factor,omitempty"`
	ShardKey    *int `json:"shard_key,omitempty"`
	// IndexIDs are CF Benchmarks indices and UnderlyingTickers Pyth
	// underlyings to follow or stop following; ["all"] means every one.
	IndexIDs          []string `json:"index_ids,omitempty"`
	UnderlyingTickers []string `json:"underlying_tickers,omitempty"`
	// SID or SIDs name the subscriptions an update_subscription or
	// unsubscribe is for.
	SID  int64   `json:"sid,omitempty"`
	SIDs []int64 `json:"sids,omitempty"`
	// Action is what update_subscription does, one of the Action*
	// constants.
	Action string `json:"action,omitempty"`
}

// Params describes one subscription: its channel and filters. Conn.Subscribe sends it, and
// sends it again (with the markets, indices and underlyings current at that moment) whenever
// the subscription has to be restored.
type Params struct {
	// Channel is the channel to subscribe to (one of the Channel constants).
	Channel string
	// MarketTickers filters by market; required on orderbook_delta, optional elsewhere.
	MarketTickers []string
	// MarketIDs filters by market UUID (ticker channel only).
	MarketIDs []string
	// SendInitialSnapshot asks the ticker channel for an initial ticker of each market.
	SendInitialSnapshot bool
	// SkipTickerAck makes "ok" replies leave out the market lists.
	SkipTickerAck bool
	// UseYesPrice reports no-side order book levels in yes-leg prices (orderbook_delta only).
	UseYesPrice bool
	// UserFilter is "self" to receive only your own RFQs on communications.
	UserFilter string
	// ShardFactor and ShardKey shard the communications fan-out.
	ShardFactor, ShardKey *int
	// IndexIDs seeds CF Benchmarks index IDs (cfbenchmarks_value, cfbenchmarks_value_5hz).
	IndexIDs []string
	// UnderlyingTickers seeds Pyth underlyings (pyth_value).
	UnderlyingTickers []string
	// SlowConsumer overrides the connection's slow-consumer policy for this subscription.
	SlowConsumer *SlowConsumerPolicy
}

func (p Params) clone() Params {
	p.MarketTickers = slices.Clone(p.MarketTickers)
	p.MarketIDs = slices.Clone(p.MarketIDs)
	p.IndexIDs = slices.Clone(p.IndexIDs)
	p.UnderlyingTickers = slices.Clone(p.UnderlyingTickers)
	return p
}

func (p Params) command() *CommandParams {
	return &CommandParams{
		Channels:            []string{p.Channel},
		MarketTickers:       p.MarketTickers,
		MarketIDs:           p.MarketIDs,
		SendInitialSnapshot: p.SendInitialSnapshot,
		SkipTickerAck:       p.SkipTickerAck,
		UseYesPrice:         p.UseYesPrice,
		UserFilter:          p.UserFilter,
		ShardFactor:         p.ShardFactor,
		ShardKey:            p.ShardKey,
		IndexIDs:            p.IndexIDs,
		UnderlyingTickers:   p.UnderlyingTickers,
	}
}

// pending is a command waiting for its reply.
type pending struct {
	reply chan Message // buffered (1): the reader never waits on it
	// onReply, if set, runs on the reader goroutine with the reply before any later frame is
	// routed, so a new sid is bound before the frames that use it arrive.
	onReply func(Message)
}

// send writes a command on generation g and registers its reply slot.
func (c *Conn) send(g *generation, cmd string, params *CommandParams, onReply func(Message)) (int64, *pending, error) {
	id := c.nextID.Add(1)
	p := &pending{reply: make(chan Message, 1), onReply: onReply}
	if !g.addPending(id, p) {
		return 0, nil, ErrConnectionLost
	}
	frame, err := json.Marshal(Command{ID: id, Cmd: cmd, Params: params})
	if err != nil {
		g.removePending(id)
		return 0, nil, fmt.Errorf("ws: encode %s: %w", cmd, err)
	}
	if err := g.write(frame); err != nil {
		g.removePending(id)
		return 0, nil, err
	}
	return id, p, nil
}

// await waits for the reply of a sent command. A reply of type error is returned as *Error.
func (c *Conn) await(ctx context.Context, g *generation, id int64, p *pending) (Message, error) {
	select {
	case m := <-p.reply:
		if e, ok := m.(*Error); ok {
			return nil, e
		}
		return m, nil
	case <-g.done:
		// The reader may have delivered the reply just before it stopped.
		select {
		case m := <-p.reply:
			if e, ok := m.(*Error); ok {
				return nil, e
			}
			return m, nil
		default:
		}
		return nil, ErrConnectionLost
	case <-ctx.Done():
		g.abandonPending(id)
		return nil, ctx.Err()
	case <-c.closing:
		return nil, ErrClosed
	}
}

// roundTrip sends a command once a connection is ready and waits for its reply.
func (c *Conn) roundTrip(ctx context.Context, cmd string, params *CommandParams) (Message, error) {
	g, err := c.ready(ctx)
	if err != nil {
		return nil, err
	}
	id, p, err := c.send(g, cmd, params, nil)
	if err != nil {
		return nil, err
	}
	return c.await(ctx, g, id, p)
}

// ListSubscriptions asks the server which subscriptions the connection has.
func (c *Conn) ListSubscriptions(ctx context.Context) ([]SubscriptionInfo, error) {
	m, err := c.roundTrip(ctx, CmdListSubscriptions, nil)
	if err != nil {
		return nil, err
	}
	ok, isOK := m.(*OK)
	if !isOK {
		return nil, fmt.Errorf("%w: %s to %s", ErrUnexpectedReply, m.Header().Type, CmdListSubscriptions)
	}
	return ok.Subscriptions, nil
}

// Send sends an arbitrary command and returns its reply; a reply of type "error" comes back
// as *Error. It is the escape hatch for commands this package does not wrap; subscriptions
// created this way are not tracked, restored or routed.
func (c *Conn) Send(ctx context.Context, cmd string, params *CommandParams) (Message, error) {
	return c.roundTrip(ctx, cmd, params)
}
