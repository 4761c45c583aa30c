package ws

import (
	"encoding/json"

	"github.com/seed-c9ca4919/kalshi/money"
)

// Message types ("type" of a frame) Kalshi sends.
const (
	TypeSubscribed                  = "subscribed"
	TypeUnsubscribed                = "unsubscribed"
	TypeOK                          = "ok"
	TypeListSubscriptions           = "list_subscriptions"
	TypeError                       = "error"
	TypeOrderbookSnapshot           = "orderbook_snapshot"
	TypeOrderbookDelta              = "orderbook_delta"
	TypeTicker                      = "ticker"
	TypeTrade                       = "trade"
	TypeFill                        = "fill"
	TypeMarketPosition              = "market_position"
	TypeMarketLifecycleV2           = "market_lifecycle_v2"
	TypeEventLifecycle              = "event_lifecycle"
	TypeEventFeeUpdate              = "event_fee_update"
	TypeMultivariateMarketLifecycle = "multivariate_market_lifecycle"
	TypeRFQCreated                  = "rfq_created"
	TypeRFQDeleted                  = "rfq_deleted"
	TypeQuoteCreated                = "quote_created"
	TypeQuoteAccepted               = "quote_accepted"
	TypeQuoteExecuted               = "quote_executed"
	TypeOrderGroupUpdates           = "order_group_updates"
	TypeUserOrder                   = "user_order"
	TypeCFBenchmarksValue           = "cfbenchmarks_value"
	TypeCFBenchmarksIndexList       = "cfbenchmarks_value_indexlist"
	TypeCFBenchmarksValue5Hz        = "cfbenchmarks_value_5hz"
	TypeCFBenchmarks5HzIndexList    = "cfbenchmarks_value_5hz_indexlist"
	TypePythValue                   = "pyth_value"
	TypePythUnderlyingList          = "pyth_value_underlying_list"
)

// newMessage returns an empty message of a known type, or nil.
func newMessage(typ string) Message {
	switch typ {
	case TypeSubscribed:
		return &Subscribed{}
	case TypeUnsubscribed:
		return &Unsubscribed{}
	case TypeOK, TypeListSubscriptions:
		return &OK{}
	case TypeError:
		return &Error{}
	case TypeOrderbookSnapshot:
		return &OrderbookSnapshot{}
	case TypeOrderbookDelta:
		return &OrderbookDelta{}
	case TypeTicker:
		return &Ticker{}
	case TypeTrade:
		return &Trade{}
	case TypeFill:
		return &Fill{}
	case TypeMarketPosition:
		return &MarketPosition{}
	case TypeMarketLifecycleV2:
		return &MarketLifecycle{}
	case TypeEventLifecycle:
		return &EventLifecycle{}
	case TypeEventFeeUpdate:
		return &EventFeeUpdate{}
	case TypeMultivariateMarketLifecycle:
		return &MultivariateMarketLifecycle{}
	case TypeRFQCreated:
		return &RFQCreated{}
	case TypeRFQDeleted:
		return &RFQDeleted{}
	case TypeQuoteCreated:
		return &QuoteCreated{}
	case TypeQuoteAccepted:
		return &QuoteAccepted{}
	case TypeQuoteExecuted:
		return &QuoteExecuted{}
	case TypeOrderGroupUpdates:
		return &OrderGroupUpdate{}
	case TypeUserOrder:
		return &UserOrder{}
	case TypeCFBenchmarksValue:
		return &CFBenchmarksValue{}
	case TypeCFBenchmarksIndexList, TypeCFBenchmarks5HzIndexList:
		return &CFBenchmarksIndexList{}
	case TypeCFBenchmarksValue5Hz:
		return &CFBenchmarksValue5Hz{}
	case TypePythValue:
		return &PythValue{}
	case TypePythUnderlyingList:
		return &PythUnderlyingList{}
	}
	return nil
}

// defaultType is the frame type Encode uses for a message whose Envelope.Type is empty.
func defaultType(m Message) string {
	switch m.(type) {
	case *Subscribed:
		return TypeSubscribed
	case *Unsubscribed:
		return TypeUnsubscribed
	case *OK:
		return TypeOK
	case *Error:
		return TypeError
	case *OrderbookSnapshot:
		return TypeOrderbookSnapshot
	case *OrderbookDelta:
		return TypeOrderbookDelta
	case *Ticker:
		return TypeTicker
	case *Trade:
		return TypeTrade
	case *Fill:
		return TypeFill
	case *MarketPosition:
		return TypeMarketPosition
	case *MarketLifecycle:
		return TypeMarketLifecycleV2
	case *EventLifecycle:
		return TypeEventLifecycle
	case *EventFeeUpdate:
		return TypeEventFeeUpdate
	case *MultivariateMarketLifecycle:
		return TypeMultivariateMarketLifecycle
	case *RFQCreated:
		return TypeRFQCreated
	case *RFQDeleted:
		return TypeRFQDeleted
	case *QuoteCreated:
		return TypeQuoteCreated
	case *QuoteAccepted:
		return TypeQuoteAccepted
	case *QuoteExecuted:
		return TypeQuoteExecuted
	case *OrderGroupUpdate:
		return TypeOrderGroupUpdates
	case *UserOrder:
		return TypeUserOrder
	case *CFBenchmarksValue:
		return TypeCFBenchmarksValue
	case *CFBenchmarksIndexList:
		return TypeCFBenchmarksIndexList
	case *CFBenchmarksValue5Hz:
		return TypeCFBenchmarksValue5Hz
	case *PythValue:
		return TypePythValue
	case *PythUnderlyingList:
		return TypePythUnderlyingList
	}
	return ""
}

// Side is a market side: "yes" or "no".
type Side string

// Market sides.
const (
	Yes Side = "yes"
	No  Side = "no"
)

// BookSide is an order's or trade's side of the book: "bid" (same as outcome yes) or "ask"
// (outcome no).
type BookSide string

// Book sides.
const (
	Bid BookSide = "bid"
	Ask BookSide = "ask"
)

// RawMessage is a frame of a type this package does not know (or whose body had the wrong
// shape for its type), delivered as received so nothing is lost.
type RawMessage struct {
	Envelope `json:"-"`
	// Msg is the frame's "msg" member, verbatim (nil if absent).
	Msg json.RawMessage
}

// Subscribed confirms a subscribe command; SID is the new subscription's id.
type Subscribed struct {
	Envelope `json:"-"`
	Channel  string `json:"channel"` // the channel subscribed to
	SID      int64  `json:"sid"`     // the subscription's id, carried by its frames
}

// Unsubscribed confirms an unsubscribe command; its Envelope carries the sid and seq.
type Unsubscribed struct {
	Envelope `json:"-"`
}

// SubscriptionInfo is one entry of a list_subscriptions reply.
type SubscriptionInfo struct {
	Channel string `json:"channel"` // the subscription's channel
	SID     int64  `json:"sid"`     // the subscription's id
}

// OK confirms update_subscription and answers list_subscriptions. Which fields are set
// depends on the command: the full market list after add/delete, the current index or
// underlying filter, or (list_subscriptions, whose "msg" is an array) Subscriptions.
type OK struct {
	Envelope `json:"-"`
	// MarketTickers and MarketIDs are the subscription's markets after an
	// add_markets or delete_markets (omitted when it set SkipTickerAck).
	MarketTickers []string `json:"market_tickers,omitempty"`
	MarketIDs     []string `json:"market_ids,omitempty"`
	// IndexIDs are the CF Benchmarks indices and UnderlyingTickers the Pyth
	// underlyings the subscription now follows.
	IndexIDs          []string `json:"index_ids,omitempty"`
	UnderlyingTickers []string `json:"underlying_tickers,omitempty"`
	// Subscriptions lists the connection's subscriptions in a
	// list_subscriptions reply; nil otherwise.
	Subscriptions []SubscriptionInfo `json:"-"`
}

type okBody struct {
	MarketTickers     []string `json:"market_tickers,omitempty"`
	MarketIDs         []string `json:"market_ids,omitempty"`
	IndexIDs          []string `json:"index_ids,omitempty"`
	UnderlyingTickers []string `json:"underlying_tickers,omitempty"`
}

// MarshalJSON encodes the body: the subscription array when Subscriptions is set (a
// list_subscriptions reply), an object otherwise.
func (o *OK) MarshalJSON() ([]byte, error) {
	if o.Subscriptions != nil {
		return json.Marshal(o.Subscriptions)
	}
	return json.Marshal(okBody{o.MarketTickers, o.MarketIDs, o.IndexIDs, o.UnderlyingTickers})
}

// UnmarshalJSON decodes either body form.
func (o *OK) UnmarshalJSON(b []byte) error {
	env := o.Envelope
	*o = OK{Envelope: env}
	if len(b) > 0 && b[0] == '[' {
		var subs []SubscriptionInfo
		w, err := decodeSliceLenient(b, &subs)
		o.Subscriptions, o.Warnings = subs, append(o.Warnings, w...)
		if o.Subscriptions == nil {
			o.Subscriptions = []SubscriptionInfo{}
		}
		return err
	}
	var body okBody
	w, err := decodeInto(b, &body)
	o.MarketTickers, o.MarketIDs, o.IndexIDs, o.UnderlyingTickers = body.MarketTickers, body.MarketIDs, body.IndexIDs, body.UnderlyingTickers
	o.Warnings = append(o.Warnings, w...)
	return err
}

// decodeSliceLenient decodes a JSON array of objects element by element with decodeInto.
func decodeSliceLenient[T any](b []byte, out *[]T) ([]error, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	var warnings []error
	items := make([]T, 0, len(raw))
	for _, r := range raw {
		var v T
		w, err := decodeInto(r, &v)
		if err != nil {
			warnings = append(warnings, err)
			continue
		}
		warnings = append(warnings, w...)
		items = append(items, v)
	}
	*out = items
	return warnings, nil
}

// OrderbookSnapshot is the full book of one market, sent first on orderbook_delta and after
// get_snapshot. Both ladders are bids: YES bids and NO bids, each level [price, size]. A side
// with no bids is omitted by Kalshi and is empty here.
type OrderbookSnapshot struct {
	Envelope `json:"-"`
	// MarketTicker and MarketID name the market.
	MarketTicker string `json:"market_ticker"`
	MarketID     string `json:"market_id"`
	// Yes holds the YES bids, No the NO bids, each level a price in that side's own
	// terms and the contracts resting there, best (highest) price last as Kalshi sends
	// them. A YES ask at p is a NO bid at 1 − p.
	Yes []Level `json:"yes_dollars_fp,omitempty"`
	No  []Level `json:"no_dollars_fp,omitempty"`
}

// Level is one price level of a book: a price and the contracts resting there, sent as
// ["0.4700", "3.00"]. It is money.PriceLevel, the type the REST order book uses too.
type Level = money.PriceLevel

// OrderbookDelta changes one price level of one market's book by Delta contracts (negative
// when size leaves). Price is in the side's own terms: a NO level's price is the NO price
// unless the subscription set UseYesPrice.
type OrderbookDelta struct {
	Envelope `json:"-"`
	// MarketTicker and MarketID name the market.
	MarketTicker string `json:"market_ticker"`
	MarketID     string `json:"market_id"`
	// Price is the level that changed, in Side's own terms.
	Price money.Dollars `json:"price_dollars"`
	// Delta is the change in contracts resting at Price: positive when orders were
	// added, negative when they were filled or canceled.
	Delta money.Count `json:"delta_fp"`
	// Side is the ladder that changed: Yes for YES bids, No for NO bids.
	Side Side `json:"side"`
	// ClientOrderID and Subaccount are set when the change was caused by one of your
	// own orders.
	ClientOrderID string `json:"client_order_id,omitempty"`
	Subaccount    *int   `json:"subaccount,omitempty"`
	// TS (seconds, deprecated by Kalshi) and TSMs (milliseconds) are when the exchange
	// made the change.
	TS   Timestamp  `json:"ts,omitzero"`
	TSMs UnixMillis `json:"ts_ms,omitempty"`
}

// Ticker is a market's price, volume and open-interest summary.
type Ticker struct {
	Envelope `json:"-"`
	// MarketID and MarketTicker name the market.
	MarketID     string `json:"market_id"`
	MarketTicker string `json:"market_ticker"`
	// Price is the last traded YES price; YesBid and YesAsk the best YES bid and ask,
	// with YesBidSize and YesAskSize the contracts resting there.
	Price      money.Dollars `json:"price_dollars"`
	YesBid     money.Dollars `json:"yes_bid_dollars"`
	YesAsk     money.Dollars `json:"yes_ask_dollars"`
	YesBidSize money.Count   `json:"yes_bid_size_fp"`
	YesAskSize money.Count   `json:"yes_ask_size_fp"`
	// Volume is the contracts traded in the market's life; OpenInterest the contracts
	// held. DollarVolume and DollarOpenInterest are the same in whole dollars.
	Volume             money.Count `json:"volume_fp"`
	OpenInterest       money.Count `json:"open_interest_fp"`
	DollarVolume       int64       `json:"dollar_volume"`
	DollarOpenInterest int64       `json:"dollar_open_interest"`
	// LastTradeSize is the size of the last trade.
	LastTradeSize money.Count `json:"last_trade_size_fp"`
	// TS (seconds), TSMs (milliseconds) and Time (an RFC 3339 string) are when the
	// exchange made the update.
	TS   Timestamp  `json:"ts"`
	TSMs UnixMillis `json:"ts_ms"`
	Time Timestamp  `json:"time"`
}

// Trade is a public trade.
type Trade struct {
	Envelope `json:"-"`
	// TradeID identifies the trade; MarketTicker its market.
	TradeID      string `json:"trade_id"`
	MarketTicker string `json:"market_ticker"`
	// YesPrice and NoPrice are the trade's price on each side; they add up to $1.
	YesPrice money.Dollars `json:"yes_price_dollars"`
	NoPrice  money.Dollars `json:"no_price_dollars"`
	// Count is the contracts traded.
	Count money.Count `json:"count_fp"`
	// TakerOutcomeSide is the outcome the taker bought exposure to (Yes when the taker
	// bought YES or sold NO), and TakerBookSide the same in book terms (Bid for Yes, Ask
	// for No): use these. TakerSide is Kalshi's older field for the side the taker's
	// order named.
	TakerSide        Side     `json:"taker_side"`
	TakerOutcomeSide Side     `json:"taker_outcome_side"`
	TakerBookSide    BookSide `json:"taker_book_side"`
	// IsBlockTrade is true for a trade agreed off the book (a block trade or an
	// accepted RFQ quote).
	IsBlockTrade bool `json:"is_block_trade"`
	// TS (seconds, deprecated by Kalshi) and TSMs (milliseconds) are when it traded.
	TS   Timestamp  `json:"ts"`
	TSMs UnixMillis `json:"ts_ms"`
}

// Fill is one of your fills.
type Fill struct {
	Envelope `json:"-"`
	// TradeID identifies the trade the fill is part of (the other side has a fill with
	// the same TradeID); OrderID and ClientOrderID the order of yours that filled.
	TradeID       string `json:"trade_id"`
	OrderID       string `json:"order_id"`
	ClientOrderID string `json:"client_order_id,omitempty"`
	// MarketTicker is the market; ExchangeIndex the exchange shard it filled on.
	MarketTicker  string `json:"market_ticker"`
	ExchangeIndex int    `json:"exchange_index"`
	// IsTaker is true when your order took liquidity (and paid the taker fee), false
	// when it was resting.
	IsTaker bool `json:"is_taker"`
	// OutcomeSide is the direction of the fill, the field to use: Yes when it moved
	// your position toward YES (you bought YES or sold NO), No when toward NO (you
	// bought NO or sold YES). BookSide says the same in book terms: Bid for Yes, Ask
	// for No.
	OutcomeSide Side     `json:"outcome_side"`
	BookSide    BookSide `json:"book_side"`
	// Side, PurchasedSide and Action are Kalshi's deprecated direction fields: Side is
	// the side the order named, Action "buy" or "sell", and PurchasedSide the side whose
	// contracts you ended up buying. OutcomeSide and BookSide replace them.
	Side          Side   `json:"side"`
	PurchasedSide Side   `json:"purchased_side"`
	Action        string `json:"action"`
	// YesPrice is the fill's price as a YES price (a NO fill at 0.30 has YesPrice
	// 0.70); both sides of a trade fill at the same YesPrice.
	YesPrice money.Dollars `json:"yes_price_dollars"`
	// Count is the contracts filled.
	Count money.Count `json:"count_fp"`
	// FeeCost is the exchange fee you paid for this fill.
	FeeCost money.Dollars `json:"fee_cost"`
	// PostPosition is your position in the market after the fill: positive for YES
	// contracts, negative for NO.
	PostPosition money.Count `json:"post_position_fp"`
	// Subaccount is the subaccount that filled, when not the primary account.
	Subaccount *int `json:"subaccount,omitempty"`
	// TS (seconds, deprecated by Kalshi) and TSMs (milliseconds) are when it filled.
	TS   Timestamp  `json:"ts"`
	TSMs UnixMillis `json:"ts_ms"`
}

// MarketPosition is your position in one market (channel market_positions).
type MarketPosition struct {
	Envelope `json:"-"`
	// UserID is your user ID; MarketTicker the market.
	UserID       string `json:"user_id"`
	MarketTicker string `json:"market_ticker"`
	// Position is the contracts held: positive for YES, negative for NO.
	Position money.Count `json:"position_fp"`
	// PositionCost is what the contracts held cost; PositionFeeCost the fees paid on
	// them.
	PositionCost    money.Dollars `json:"position_cost_dollars"`
	PositionFeeCost money.Dollars `json:"position_fee_cost_dollars"`
	// RealizedPnl is the profit or loss realized in the market so far, and FeesPaid
	// every fee paid in it.
	RealizedPnl money.Dollars `json:"realized_pnl_dollars"`
	FeesPaid    money.Dollars `json:"fees_paid_dollars"`
	// Volume is the contracts you traded in the market.
	Volume money.Count `json:"volume_fp"`
	// Subaccount is the subaccount holding the position, when not the primary account.
	Subaccount *int `json:"subaccount,omitempty"`
}

// Market lifecycle event types (MarketLifecycle.EventType).
const (
	LifecycleCreated                    = "created"
	LifecycleActivated                  = "activated"
	LifecycleDeactivated                = "deactivated"
	LifecycleCloseDateUpdated           = "close_date_updated"
	LifecycleDetermined                 = "determined"
	LifecycleSettled                    = "settled"
	LifecyclePriceLevelStructureUpdated = "price_level_structure_updated"
	LifecycleMetadataUpdated            = "metadata_updated"
)

// MarketLifecycle is a market state change on market_lifecycle_v2: creation, (de)activation,
// close date change, determination, settlement, price level structure change, and
// metadata_updated (new strikes or yes subtitle). Only the fields of its EventType are set.
type MarketLifecycle struct {
	Envelope `json:"-"`
	// MarketTicker is the market that changed.
	MarketTicker string `json:"market_ticker"`
	// EventType is what happened, one of the Lifecycle* constants.
	EventType string `json:"event_type"`
	// ExchangeIndex is the exchange shard the market lives on (on created).
	ExchangeIndex *int `json:"exchange_index,omitempty"`
	// OpenTS is when the market opened (created); CloseTS when it is
	// scheduled to close (created, close_date_updated), moved earlier when
	// a market closes early; DeterminationTS when its outcome was
	// determined (determined); SettledTS when it settled (settled).
	OpenTS          Timestamp `json:"open_ts,omitzero"`
	CloseTS         Timestamp `json:"close_ts,omitzero"`
	DeterminationTS Timestamp `json:"determination_ts,omitzero"`
	SettledTS       Timestamp `json:"settled_ts,omitzero"`
	// Result is the outcome ("yes", "no", ...) and SettlementValue what a
	// YES contract pays, both on determined.
	Result          string         `json:"result,omitempty"`
	SettlementValue *money.Dollars `json:"settlement_value,omitempty"`
	// IsDeactivated is set when trading on an open market is paused (true)
	// or resumed (false); it means nothing for a market that is not open.
	IsDeactivated *bool `json:"is_deactivated,omitempty"`
	// AdditionalMetadata describes the market, on created.
	AdditionalMetadata *LifecycleMetadata `json:"additional_metadata,omitempty"`
	// PriceLevelStructure names the market's tick structure and
	// PriceRanges gives its valid price bands (created,
	// price_level_structure_updated): build the market's grid from
	// PriceRanges with money.NewGrid rather than assume a tick.
	PriceLevelStructure string       `json:"price_level_structure,omitempty"`
	PriceRanges         []PriceRange `json:"price_ranges,omitempty"`
	// StrikeType says how the strikes are read ("between" uses FloorStrike
	// and CapStrike, "greater" FloorStrike only, "less" CapStrike only);
	// CustomStrike holds a custom or structured strike verbatim, and
	// YesSubTitle is the market's new YES subtitle. All are sent on
	// metadata_updated.
	StrikeType   string          `json:"strike_type,omitempty"`
	FloorStrike  Number          `json:"floor_strike,omitempty"`
	CapStrike    Number          `json:"cap_strike,omitempty"`
	CustomStrike json.RawMessage `json:"custom_strike,omitempty"`
	YesSubTitle  string          `json:"yes_sub_title,omitempty"`
}

// MultivariateMarketLifecycle is a multivariate (MVE) market state change, on
// multivariate_market_lifecycle. It has the fields of MarketLifecycle that apply.
type MultivariateMarketLifecycle MarketLifecycle

// LifecycleMetadata describes a market at creation.
type LifecycleMetadata struct {
	// Name, Title, YesSubTitle and NoSubTitle are the market's names as
	// Kalshi displays them.
	Name        string `json:"name"`
	Title       string `json:"title"`
	YesSubTitle string `json:"yes_sub_title"`
	NoSubTitle  string `json:"no_sub_title"`
	// RulesPrimary and RulesSecondary are the market's resolution rules.
	RulesPrimary   string `json:"rules_primary"`
	RulesSecondary string `json:"rules_secondary"`
	// CanCloseEarly is true when the market may close before CloseTS.
	CanCloseEarly bool `json:"can_close_early"`
	// EventTicker is the market's event.
	EventTicker string `json:"event_ticker"`
	// ExpectedExpirationTS is when the market is expected to expire.
	ExpectedExpirationTS Timestamp `json:"expected_expiration_ts"`
	// StrikeType, FloorStrike, CapStrike and CustomStrike are the market's
	// strike, read as in MarketLifecycle.
	StrikeType   string          `json:"strike_type,omitempty"`
	FloorStrike  Number          `json:"floor_strike,omitempty"`
	CapStrike    Number          `json:"cap_strike,omitempty"`
	CustomStrike json.RawMessage `json:"custom_strike,omitempty"`
}

// PriceRange is a band of valid prices with its tick size; money.NewGrid
// builds the market's price grid from a message's PriceRanges.
type PriceRange = money.PriceRange

// EventLifecycle announces a new event (on market_lifecycle_v2 and
// multivariate_market_lifecycle).
type EventLifecycle struct {
	Envelope `json:"-"`
	// EventTicker is the new event; ExchangeIndex the exchange shard it
	// lives on.
	EventTicker   string `json:"event_ticker"`
	ExchangeIndex int    `json:"exchange_index"`
	// Title and Subtitle are the event's names as Kalshi displays them.
	Title    string `json:"title"`
	Subtitle string `json:"subtitle"`
	// CollateralReturnType is the event's collateral return scheme,
	// "MECNET" or "DIRECNET", or "" when it has none.
	CollateralReturnType string `json:"collateral_return_type"`
	// SeriesTicker is the event's series.
	SeriesTicker string `json:"series_ticker"`
	// StrikeDate and StrikePeriod are the event's strike date and period,
	// when it has them.
	StrikeDate   Timestamp `json:"strike_date,omitzero"`
	StrikePeriod string    `json:"strike_period,omitempty"`
}

// EventFeeUpdate reports an event-level fee override being set or (nil fields) cleared.
type EventFeeUpdate struct {
	Envelope `json:"-"`
	// EventTicker is the event whose markets' fees change.
	EventTicker string `json:"event_ticker"`
	// FeeTypeOverride is the fee formula now used instead of the series'
	// ("quadratic", "quadratic_with_maker_fees", "flat", ...), and
	// FeeMultiplierOverride the factor applied to it; both nil when the
	// override was cleared and the series' fees apply again.
	FeeTypeOverride       *string `json:"fee_type_override"`
	FeeMultiplierOverride *Number `json:"fee_multiplier_override"`
}

// OrderGroupUpdate is an order group lifecycle or limit change (order_group_updates).
type OrderGroupUpdate struct {
	Envelope `json:"-"`
	// EventType is what happened: "created", "triggered" (the limit was
	// reached and the group's orders canceled), "reset", "deleted" or
	// "limit_updated".
	EventType string `json:"event_type"`
	// OrderGroupID is the group.
	OrderGroupID string `json:"order_group_id"`
	// ContractsLimit is the group's limit, on created and limit_updated.
	ContractsLimit *money.Count `json:"contracts_limit_fp,omitempty"`
	// TSMs is when the matching engine processed the change.
	TSMs UnixMillis `json:"ts_ms"`
}

// UserOrder is one of your orders as created or updated (channel user_orders).
type UserOrder struct {
	Envelope `json:"-"`
	// OrderID identifies the order, ClientOrderID is the ID you gave it, UserID is
	// yours, and OrderGroupID the order group it belongs to, if any.
	OrderID       string `json:"order_id"`
	UserID        string `json:"user_id"`
	ClientOrderID string `json:"client_order_id"`
	OrderGroupID  string `json:"order_group_id,omitempty"`
	// Ticker is the market; ExchangeIndex the exchange shard the order is on.
	Ticker        string `json:"ticker"`
	ExchangeIndex int    `json:"exchange_index"`
	// Status is "resting", "canceled" or "executed".
	Status string `json:"status"`
	// OutcomeSide is the direction, the field to use: Yes when the order buys YES (or
	// sells NO), No when it buys NO (or sells YES); BookSide says the same in book
	// terms, Bid or Ask. Side and IsYes are Kalshi's older fields for the side the
	// order named.
	OutcomeSide Side     `json:"outcome_side"`
	BookSide    BookSide `json:"book_side"`
	Side        Side     `json:"side"`
	IsYes       bool     `json:"is_yes"`
	// YesPrice is the limit price as a YES price.
	YesPrice money.Dollars `json:"yes_price_dollars"`
	// InitialCount is the size placed, FillCount what has filled and RemainingCount
	// what still rests (0 once canceled or executed).
	InitialCount   money.Count `json:"initial_count_fp"`
	FillCount      money.Count `json:"fill_count_fp"`
	RemainingCount money.Count `json:"remaining_count_fp"`
	// TakerFillCost and MakerFillCost are what the contracts filled as taker and as
	// maker cost; TakerFees and MakerFees the fees paid on them.
	TakerFillCost money.Dollars `json:"taker_fill_cost_dollars"`
	MakerFillCost money.Dollars `json:"maker_fill_cost_dollars"`
	TakerFees     money.Dollars `json:"taker_fees_dollars"`
	MakerFees     money.Dollars `json:"maker_fees_dollars"`
	// SelfTradePreventionType is how the order avoids trading with your own orders.
	SelfTradePreventionType string `json:"self_trade_prevention_type,omitempty"`
	// CreatedTime and CreatedTSMs are when the order was placed; LastUpdateTime and
	// LastUpdatedTSMs when it last changed, and LastUpdateReason why; ExpirationTime
	// and ExpirationTSMs when it expires, for orders that do.
	CreatedTime      Timestamp  `json:"created_time"`
	CreatedTSMs      UnixMillis `json:"created_ts_ms"`
	LastUpdateTime   Timestamp  `json:"last_update_time,omitzero"`
	LastUpdatedTSMs  UnixMillis `json:"last_updated_ts_ms,omitempty"`
	LastUpdateReason string     `json:"last_update_reason,omitempty"`
	ExpirationTime   Timestamp  `json:"expiration_time,omitzero"`
	ExpirationTSMs   UnixMillis `json:"expiration_ts_ms,omitempty"`
	// SubaccountNumber is the subaccount the order is for, when not the primary account.
	SubaccountNumber *int `json:"subaccount_number,omitempty"`
}

// MVELeg is one selected leg of a multivariate RFQ.
type MVELeg struct {
	// EventTicker and MarketTicker name the leg's market; Side is the
	// outcome selected in it.
	EventTicker  string `json:"event_ticker"`
	MarketTicker string `json:"market_ticker"`
	Side         Side   `json:"side"`
	// YesSettlementValue is what a YES contract of the leg settles at,
	// when known.
	YesSettlementValue *money.Dollars `json:"yes_settlement_value_dollars,omitempty"`
}

// RFQCreated announces a request for quote (communications).
type RFQCreated struct {
	Envelope `json:"-"`
	// ID identifies the RFQ. CreatorID is its creator's public,
	// anonymized communications ID ("0" for other users' RFQs when the
	// creator hides it).
	ID        string `json:"id"`
	CreatorID string `json:"creator_id"`
	// MarketTicker and EventTicker name the market quoted.
	MarketTicker string `json:"market_ticker"`
	EventTicker  string `json:"event_ticker,omitempty"`
	// Contracts is the size requested, or TargetCost the amount to spend.
	Contracts  *money.Count   `json:"contracts_fp,omitempty"`
	TargetCost *money.Dollars `json:"target_cost_dollars,omitempty"`
	// CreatedTS is when the RFQ was made.
	CreatedTS Timestamp `json:"created_ts"`
	// MVECollectionTicker and MVESelectedLegs describe the combination of
	// a multivariate RFQ; empty otherwise.
	MVECollectionTicker string   `json:"mve_collection_ticker,omitempty"`
	MVESelectedLegs     []MVELeg `json:"mve_selected_legs,omitempty"`
}

// RFQDeleted announces that a request for quote was withdrawn (communications).
type RFQDeleted struct {
	Envelope `json:"-"`
	// ID, CreatorID, MarketTicker, EventTicker, Contracts and TargetCost
	// are those of the RFQ, as in RFQCreated.
	ID           string         `json:"id"`
	CreatorID    string         `json:"creator_id"`
	MarketTicker string         `json:"market_ticker"`
	EventTicker  string         `json:"event_ticker,omitempty"`
	Contracts    *money.Count   `json:"contracts_fp,omitempty"`
	TargetCost   *money.Dollars `json:"target_cost_dollars,omitempty"`
	// DeletedTS is when the RFQ was withdrawn.
	DeletedTS Timestamp `json:"deleted_ts"`
}

// QuoteCreated announces a quote on an RFQ (communications).
type QuoteCreated struct {
	Envelope `json:"-"`
	// QuoteID identifies the quote and RFQID the RFQ it answers;
	// QuoteCreatorID and RFQCreatorID are the anonymized communications
	// IDs of the quoter and of the RFQ's creator.
	QuoteID        string `json:"quote_id"`
	RFQID          string `json:"rfq_id"`
	QuoteCreatorID string `json:"quote_creator_id"`
	RFQCreatorID   string `json:"rfq_creator_id"`
	// MarketTicker and EventTicker name the market.
	MarketTicker string `json:"market_ticker"`
	EventTicker  string `json:"event_ticker,omitempty"`
	// YesBid and NoBid are the quoter's prices for YES and for NO, and
	// YesContractsOffered and NoContractsOffered the sizes offered at them.
	YesBid              money.Dollars `json:"yes_bid_dollars"`
	NoBid               money.Dollars `json:"no_bid_dollars"`
	YesContractsOffered *money.Count  `json:"yes_contracts_offered_fp,omitempty"`
	NoContractsOffered  *money.Count  `json:"no_contracts_offered_fp,omitempty"`
	// RFQTargetCost is the RFQ's target cost, when it asked for an amount.
	RFQTargetCost *money.Dollars `json:"rfq_target_cost_dollars,omitempty"`
	// CreatedTS is when the quote was made.
	CreatedTS Timestamp `json:"created_ts"`
	// Subaccount is your subaccount concerned, when not the primary account.
	Subaccount *int `json:"subaccount,omitempty"`
}

// QuoteAccepted announces that a quote was accepted (communications).
type QuoteAccepted struct {
	Envelope `json:"-"`
	// QuoteID, RFQID, QuoteCreatorID, RFQCreatorID, MarketTicker,
	// EventTicker, YesBid, NoBid, YesContractsOffered, NoContractsOffered,
	// RFQTargetCost and Subaccount are as in QuoteCreated.
	QuoteID        string        `json:"quote_id"`
	RFQID          string        `json:"rfq_id"`
	QuoteCreatorID string        `json:"quote_creator_id"`
	RFQCreatorID   string        `json:"rfq_creator_id"`
	MarketTicker   string        `json:"market_ticker"`
	EventTicker    string        `json:"event_ticker,omitempty"`
	YesBid         money.Dollars `json:"yes_bid_dollars"`
	NoBid          money.Dollars `json:"no_bid_dollars"`
	// AcceptedSide is the side of the quote that was taken (Yes or No) and
	// ContractsAccepted how many contracts.
	AcceptedSide        Side           `json:"accepted_side,omitempty"`
	ContractsAccepted   *money.Count   `json:"contracts_accepted_fp,omitempty"`
	YesContractsOffered *money.Count   `json:"yes_contracts_offered_fp,omitempty"`
	NoContractsOffered  *money.Count   `json:"no_contracts_offered_fp,omitempty"`
	RFQTargetCost       *money.Dollars `json:"rfq_target_cost_dollars,omitempty"`
	Subaccount          *int           `json:"subaccount,omitempty"`
}

// QuoteExecuted announces that a quote was executed and gives your resulting order, to
// correlate with fills (communications).
type QuoteExecuted struct {
	Envelope `json:"-"`
	// QuoteID, RFQID, QuoteCreatorID and RFQCreatorID are as in
	// QuoteCreated.
	QuoteID        string `json:"quote_id"`
	RFQID          string `json:"rfq_id"`
	QuoteCreatorID string `json:"quote_creator_id"`
	RFQCreatorID   string `json:"rfq_creator_id"`
	// OrderID and ClientOrderID are your order made by the execution; its
	// fills carry the same OrderID. MarketTicker is the market.
	OrderID       string `json:"order_id"`
	ClientOrderID string `json:"client_order_id"`
	MarketTicker  string `json:"market_ticker"`
	// ExecutedTS is when the quote was executed.
	ExecutedTS Timestamp `json:"executed_ts"`
	// Subaccount is your subaccount concerned, when not the primary account.
	Subaccount *int `json:"subaccount,omitempty"`
}

// CFBenchmarksAverage is a windowed average of a CF Benchmarks index.
type CFBenchmarksAverage struct {
	Value                Decimal    `json:"value"`                   // the average over the window
	WindowSize           int        `json:"window_size"`             // the number of ticks averaged
	WindowStartTSMs      UnixMillis `json:"window_start_ts_ms"`      // the window's start, inclusive
	WindowEndTSExclusive UnixMillis `json:"window_end_ts_exclusive"` // the window's end, exclusive
}

// CFBenchmarksValue is a CF Benchmarks index tick with its trailing averages
// (cfbenchmarks_value). Last60sWindowedAverage15Min is set only in the final minute before
// a quarter-hour close.
type CFBenchmarksValue struct {
	Envelope `json:"-"`
	// IndexID is the index.
	IndexID string `json:"index_id"`
	// ReceivedAt is when Kalshi received the tick from CF Benchmarks.
	ReceivedAt UnixMillis `json:"received_at"`
	// Data is CF Benchmarks' own JSON frame, as a string.
	Data string `json:"data"`
	// Avg60s is the average over the last 60 seconds.
	Avg60s CFBenchmarksAverage `json:"avg_60s_data"`
	// Last60sWindowedAverage15Min is the 60-second average of the
	// quarter-hour's last minute.
	Last60sWindowedAverage15Min *CFBenchmarksAverage `json:"last_60s_windowed_average_15min,omitempty"`
}

// CFBenchmarksValue5Hz is a raw CF Benchmarks tick at up to 5 Hz (cfbenchmarks_value_5hz).
type CFBenchmarksValue5Hz struct {
	Envelope   `json:"-"`
	IndexID    string     `json:"index_id"`     // the index
	ValueUSD   Decimal    `json:"value_usd"`    // the index value in USD
	SourceTSMs UnixMillis `json:"source_ts_ms"` // when CF Benchmarks published the tick
	ReceivedAt UnixMillis `json:"received_at"`  // when Kalshi received it
	Data       string     `json:"data"`         // CF Benchmarks' own JSON frame, as a string
}

// CFBenchmarksIndexList answers the indexlist action, on either CF Benchmarks channel
// (Envelope.Type tells which).
type CFBenchmarksIndexList struct {
	Envelope `json:"-"`
	IndexIDs []string `json:"index_ids"` // the indices the channel can follow
}

// PythValue is a Pyth price of an underlying (pyth_value).
type PythValue struct {
	Envelope         `json:"-"`
	UnderlyingTicker string     `json:"underlying_ticker"` // the underlying priced
	ValueUSD         Decimal    `json:"value_usd"`         // its price in USD
	SourceTSMs       UnixMillis `json:"source_ts_ms"`      // when Pyth stamped the price
	ReceivedAt       UnixMillis `json:"received_at"`       // when Kalshi received it
}

// PythUnderlyingList answers the underlying_list action (pyth_value).
type PythUnderlyingList struct {
	Envelope          `json:"-"`
	UnderlyingTickers []string `json:"underlying_tickers"` // the underlyings the channel can follow
}
