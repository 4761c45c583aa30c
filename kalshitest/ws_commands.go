package kalshitest

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/seed-c9ca4919/kalshi/ws"
)

// The channels the feed knows: every channel of Kalshi's WebSocket API.
var wsChannels = []string{
	ws.ChannelOrderbookDelta, ws.ChannelTicker, ws.ChannelTrade, ws.ChannelFill, ws.ChannelMarketPositions,
	ws.ChannelMarketLifecycleV2, ws.ChannelMultivariateMarketLifecycle, ws.ChannelCommunications,
	ws.ChannelOrderGroupUpdates, ws.ChannelUserOrders, ws.ChannelCFBenchmarksValue,
	ws.ChannelCFBenchmarksValue5Hz, ws.ChannelPythValue,
}

// marketFiltered lists the channels that filter by market and take
// add_markets and delete_markets.
var marketFiltered = []string{
	ws.ChannelOrderbookDelta, ws.ChannelTicker, ws.ChannelTrade, ws.ChannelFill,
	ws.ChannelMarketPositions, ws.ChannelUserOrders,
}

// cmdError is a refused command: the code and, rarely, a more specific message.
type cmdError struct {
	code ws.ErrorCode
	msg  string
}

func refuse(code ws.ErrorCode) *cmdError { return &cmdError{code: code} }

// errorText is an error code's message as Kalshi words it.
func errorText(code ws.ErrorCode) string {
	if code == ws.CodeMarketTickerRequired {
		return "Market Ticker required"
	}
	s := code.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// command handles one frame a client sent.
func (f *wsFeed) command(c *WSConn, data []byte) {
	var env struct {
		ID     json.RawMessage `json:"id"`
		Cmd    string          `json:"cmd"`
		Params json.RawMessage `json:"params"`
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.closed {
		return
	}
	f.catchUp()
	if err := json.Unmarshal(data, &env); err != nil {
		c.send(&ws.Error{Code: ws.CodeUnableToProcess, Message: errorText(ws.CodeUnableToProcess)})
		return
	}
	var id int64
	if len(env.ID) > 0 && string(env.ID) != "null" {
		if err := json.Unmarshal(env.ID, &id); err != nil || id < 0 {
			c.send(&ws.Error{Code: ws.CodeInvalidParameter, Message: "Invalid parameter: id"})
			return
		}
	}
	var p *ws.CommandParams
	if len(env.Params) > 0 && string(env.Params) != "null" {
		p = new(ws.CommandParams)
		if err := json.Unmarshal(env.Params, p); err != nil {
			f.refuse(c, id, &cmdError{ws.CodeInvalidParameter, "Invalid parameter: " + err.Error()})
			return
		}
	}
	var err *cmdError
	switch env.Cmd {
	case ws.CmdSubscribe:
		err = f.subscribe(c, id, p)
	case ws.CmdUnsubscribe:
		err = f.unsubscribe(c, id, p)
	case ws.CmdUpdateSubscription:
		err = f.update(c, id, p)
	case ws.CmdListSubscriptions:
		list := make([]ws.SubscriptionInfo, 0, len(c.subs))
		for _, s := range c.subs {
			list = append(list, ws.SubscriptionInfo{Channel: s.channel, SID: s.sid})
		}
		c.send(&ws.OK{Envelope: ws.Envelope{ID: id}, Subscriptions: list})
	default:
		err = refuse(ws.CodeUnknownCommand)
	}
	if err != nil {
		f.refuse(c, id, err)
	}
}

func (f *wsFeed) refuse(c *WSConn, id int64, e *cmdError) {
	msg := e.msg
	if msg == "" {
		msg = errorText(e.code)
	}
	c.send(&ws.Error{Envelope: ws.Envelope{ID: id}, Code: e.code, Message: msg})
}

// marketsOf merges the single and plural forms of a market parameter,
// which Kalshi treats as mutually exclusive, dropping repeats.
func marketsOf(one string, many []string) ([]string, *cmdError) {
	if one != "" && len(many) > 0 {
		return nil, &cmdError{ws.CodeInvalidParameter, "Invalid parameter: give one of the single and plural market forms"}
	}
	if one != "" {
		many = []string{one}
	}
	var out []string
	for _, m := range many {
		if m == "" {
			return nil, &cmdError{ws.CodeInvalidParameter, "Invalid parameter: empty market"}
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	return out, nil
}

// subscribe validates every channel first, then subscribes to each: one
// "subscribed" reply and one sid per channel, then the initial frames
// (order book snapshots; tickers when asked for).
func (f *wsFeed) subscribe(c *WSConn, id int64, p *ws.CommandParams) *cmdError {
	if p == nil {
		return refuse(ws.CodeParamsRequired)
	}
	if len(p.Channels) == 0 {
		return refuse(ws.CodeChannelsRequired)
	}
	markets, err := marketsOf(p.MarketTicker, p.MarketTickers)
	if err != nil {
		return err
	}
	ids, err := marketsOf(p.MarketID, p.MarketIDs)
	if err != nil {
		return err
	}
	if len(markets) > 0 && len(ids) > 0 {
		return &cmdError{ws.CodeInvalidParameter, "Invalid parameter: give market tickers or market ids, not both"}
	}
	for _, ch := range p.Channels {
		if !slices.Contains(wsChannels, ch) {
			return refuse(ws.CodeUnknownChannel)
		}
		switch ch {
		case ws.ChannelOrderbookDelta:
			if len(ids) > 0 {
				return &cmdError{ws.CodeInvalidParameter, "Invalid parameter: market_ids are not supported on orderbook_delta"}
			}
			if len(markets) == 0 {
				return refuse(ws.CodeMarketTickerRequired)
			}
		case ws.ChannelTicker:
		case ws.ChannelCommunications:
			if err := checkShards(p); err != nil {
				return err
			}
			if p.UserFilter != "" && p.UserFilter != "self" {
				return &cmdError{ws.CodeInvalidParameter, "Invalid parameter: user_filter"}
			}
		default:
			if len(ids) > 0 {
				return &cmdError{ws.CodeInvalidParameter, "Invalid parameter: market_ids are supported on ticker only"}
			}
		}
	}
	for _, ch := range p.Channels {
		c.nextSID++
		s := &wsSub{
			conn: c, sid: c.nextSID, channel: ch, useYesPrice: p.UseYesPrice, skipAck: p.SkipTickerAck,
			indexIDs: slices.Clone(p.IndexIDs), underlyings: slices.Clone(p.UnderlyingTickers),
		}
		if ch == ws.ChannelCommunications {
			s.userFilter = p.UserFilter
			if p.ShardFactor != nil {
				s.shardFactor = int64(*p.ShardFactor)
				if p.ShardKey != nil {
					s.shardKey = int64(*p.ShardKey)
				}
			}
		}
		if slices.Contains(marketFiltered, ch) {
			s.markets, s.marketIDs = slices.Clone(markets), slices.Clone(ids)
		}
		c.subs = append(c.subs, s)
		c.send(&ws.Subscribed{Envelope: ws.Envelope{ID: id}, Channel: ch, SID: s.sid})
		switch {
		case ch == ws.ChannelOrderbookDelta:
			f.sendSnapshots(s, s.markets, 0)
		case ch == ws.ChannelTicker && p.SendInitialSnapshot:
			f.sendTickers(s, s.markets, s.marketIDs)
		}
	}
	return nil
}

// checkShards validates the communications channel's fan-out sharding.
func checkShards(p *ws.CommandParams) *cmdError {
	switch {
	case p.ShardKey != nil && p.ShardFactor == nil:
		return refuse(ws.CodeShardFactorRequired)
	case p.ShardFactor == nil:
		return nil
	case *p.ShardFactor <= 0:
		return refuse(ws.CodeShardFactorInvalid)
	case *p.ShardFactor > 100:
		return refuse(ws.CodeShardFactorTooLarge)
	case p.ShardKey != nil && (*p.ShardKey < 0 || *p.ShardKey >= *p.ShardFactor):
		return refuse(ws.CodeShardKeyInvalid)
	}
	return nil
}

// sendSnapshots sends the book of each market that exists; id, when set,
// marks them as the reply to a get_snapshot command.
func (f *wsFeed) sendSnapshots(s *wsSub, markets []string, id int64) int {
	n := 0
	for _, t := range markets {
		m, _ := f.market(t)
		if m == nil {
			continue // sent when the market is created
		}
		snap := m.snapshot(s.useYesPrice)
		snap.ID = id
		f.emit(s, snap)
		n++
	}
	return n
}

// sendTickers sends the current ticker of each market named by ticker or id.
func (f *wsFeed) sendTickers(s *wsSub, markets, ids []string) {
	for _, t := range f.s.marketTickers() {
		if !slices.Contains(markets, t) && !slices.Contains(ids, marketID(t)) {
			continue
		}
		if m, _ := f.market(t); m != nil {
			f.emit(s, m.tickerMessage())
		}
	}
}

// marketTickers returns every market's ticker in listing order.
func (s *Server) marketTickers() []string {
	s.x.mu.Lock()
	defer s.x.mu.Unlock()
	return slices.Clone(s.x.marketOrder)
}

func (f *wsFeed) unsubscribe(c *WSConn, id int64, p *ws.CommandParams) *cmdError {
	if p == nil {
		return refuse(ws.CodeParamsRequired)
	}
	if len(p.SIDs) == 0 {
		return refuse(ws.CodeSubscriptionIDsRequired)
	}
	for _, sid := range p.SIDs {
		s := c.sub(sid)
		if s == nil {
			f.refuse(c, id, refuse(ws.CodeUnknownSubscriptionID))
			continue
		}
		s.ended = true
		c.subs = slices.DeleteFunc(c.subs, func(x *wsSub) bool { return x == s })
		c.send(&ws.Unsubscribed{Envelope: ws.Envelope{ID: id, SID: sid, Seq: s.next()}})
	}
	return nil
}

// update handles update_subscription: markets, snapshots, indices and
// underlyings.
func (f *wsFeed) update(c *WSConn, id int64, p *ws.CommandParams) *cmdError {
	if p == nil {
		return refuse(ws.CodeParamsRequired)
	}
	if p.Action == "" {
		return refuse(ws.CodeActionRequired)
	}
	sid := p.SID
	if len(p.SIDs) > 0 {
		if sid != 0 || len(p.SIDs) > 1 {
			return refuse(ws.CodeExactlyOneSIDRequired)
		}
		sid = p.SIDs[0]
	}
	if sid == 0 {
		return refuse(ws.CodeExactlyOneSIDRequired)
	}
	s := c.sub(sid)
	if s == nil {
		return refuse(ws.CodeUnknownSubscriptionID)
	}
	switch p.Action {
	case ws.ActionAddMarkets, ws.ActionDeleteMarkets:
		return f.updateMarkets(s, id, p)
	case ws.ActionGetSnapshot:
		if s.channel != ws.ChannelOrderbookDelta {
			return refuse(ws.CodeUnsupportedAction)
		}
		markets, err := marketsOf(p.MarketTicker, p.MarketTickers)
		if err != nil {
			return err
		}
		if len(markets) == 0 {
			return refuse(ws.CodeMarketTickerRequired)
		}
		for _, m := range markets {
			if !slices.Contains(s.markets, m) {
				return &cmdError{ws.CodeInvalidParameter, "Invalid parameter: market " + m + " is not in the subscription"}
			}
		}
		if f.sendSnapshots(s, markets, id) == 0 {
			// None of the markets exists yet: acknowledge instead.
			f.replyOK(s, id, map[string]any{"market_tickers": s.markets})
		}
		return nil
	case ws.ActionSubscribeIndices, ws.ActionUnsubscribeIndices, ws.ActionIndexList:
		if s.channel != ws.ChannelCFBenchmarksValue && s.channel != ws.ChannelCFBenchmarksValue5Hz {
			return refuse(ws.CodeUnsupportedAction)
		}
		if p.Action == ws.ActionIndexList {
			typ := ws.TypeCFBenchmarksIndexList
			if s.channel == ws.ChannelCFBenchmarksValue5Hz {
				typ = ws.TypeCFBenchmarks5HzIndexList
			}
			f.replyRaw(s, id, typ, map[string]any{"index_ids": indexList(s.channel)})
			return nil
		}
		if len(p.IndexIDs) == 0 {
			return refuse(ws.CodeIndexIDsRequired)
		}
		s.indexIDs = editList(s.indexIDs, p.IndexIDs, p.Action == ws.ActionSubscribeIndices)
		f.replyOK(s, id, map[string]any{"index_ids": s.indexIDs})
		return nil
	case ws.ActionSubscribeUnderlyings, ws.ActionUnsubscribeUnderlyings, ws.ActionUnderlyingList:
		if s.channel != ws.ChannelPythValue {
			return refuse(ws.CodeUnsupportedAction)
		}
		if p.Action == ws.ActionUnderlyingList {
			f.replyRaw(s, id, ws.TypePythUnderlyingList, map[string]any{"underlying_tickers": underlyingList()})
			return nil
		}
		if len(p.UnderlyingTickers) == 0 {
			return refuse(ws.CodeUnderlyingTickersMissing)
		}
		s.underlyings = editList(s.underlyings, p.UnderlyingTickers, p.Action == ws.ActionSubscribeUnderlyings)
		f.replyOK(s, id, map[string]any{"underlying_tickers": s.underlyings})
		return nil
	}
	return refuse(ws.CodeUnsupportedAction)
}

// updateMarkets adds or deletes markets and answers with the full list;
// an order book subscription then gets the snapshots of the markets added.
func (f *wsFeed) updateMarkets(s *wsSub, id int64, p *ws.CommandParams) *cmdError {
	if !slices.Contains(marketFiltered, s.channel) {
		return refuse(ws.CodeUnsupportedAction)
	}
	markets, err := marketsOf(p.MarketTicker, p.MarketTickers)
	if err != nil {
		return err
	}
	ids, err := marketsOf(p.MarketID, p.MarketIDs)
	if err != nil {
		return err
	}
	if len(ids) > 0 && s.channel != ws.ChannelTicker {
		return &cmdError{ws.CodeInvalidParameter, "Invalid parameter: market_ids are supported on ticker only"}
	}
	if len(markets) == 0 && len(ids) == 0 {
		return refuse(ws.CodeMarketTickerRequired)
	}
	add := p.Action == ws.ActionAddMarkets
	var added []string
	for _, m := range markets {
		if add && !slices.Contains(s.markets, m) {
			added = append(added, m)
		}
	}
	s.markets = editList(s.markets, markets, add)
	s.marketIDs = editList(s.marketIDs, ids, add)
	body := map[string]any{}
	if !s.skipAck {
		body["market_tickers"] = nonNil(s.markets)
		if len(s.marketIDs) > 0 {
			body["market_ids"] = s.marketIDs
		}
	}
	f.replyOK(s, id, body)
	switch {
	case s.channel == ws.ChannelOrderbookDelta:
		f.sendSnapshots(s, added, 0)
	case s.channel == ws.ChannelTicker && p.SendInitialSnapshot && add:
		f.sendTickers(s, added, ids)
	}
	return nil
}

func nonNil(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// editList adds (keeping order, without repeats) or removes values.
func editList(list, values []string, add bool) []string {
	for _, v := range values {
		i := slices.Index(list, v)
		switch {
		case add && i < 0:
			list = append(list, v)
		case !add && i >= 0:
			list = slices.Delete(list, i, i+1)
		}
	}
	return list
}

// replyOK sends an "ok" reply numbered in the subscription's sequence.
func (f *wsFeed) replyOK(s *wsSub, id int64, body map[string]any) {
	f.replyRaw(s, id, ws.TypeOK, body)
}

// replyRaw sends a reply of type typ with body as its msg, numbered in the
// subscription's sequence.
func (f *wsFeed) replyRaw(s *wsSub, id int64, typ string, body map[string]any) {
	b, err := json.Marshal(body)
	if err != nil {
		panic("kalshitest: encoding a reply: " + err.Error())
	}
	s.conn.send(&ws.RawMessage{Envelope: ws.Envelope{Type: typ, ID: id, SID: s.sid, Seq: s.next()}, Msg: b})
}
