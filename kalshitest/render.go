package kalshitest

import (
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// houseBalance is the cash of the house account that provides the seeded
// liquidity: $1bn, enough never to run out.
var houseBalance = money.DollarsFromCents(100_000_000_000)

// The engine's records rendered as the body types of the spec (the same
// gen types the client decodes into). The exchange lock must be held.

func (m *marketState) api() gen.Market {
	yesBid, yesBidSize, _ := m.book.best(bid)
	yesAsk, yesAskSize, hasAsk := m.book.best(ask)
	noBid, noAsk := money.Zero, money.One
	if hasAsk {
		noBid = money.One.Sub(yesAsk)
	} else {
		yesAsk = money.One // Kalshi shows an empty ask side as 1.0000
	}
	if !yesBid.IsZero() {
		noAsk = money.One.Sub(yesBid)
	}
	step := m.tick
	if step.IsZero() {
		step = money.DollarsFromCents(1)
	}
	structure := "linear_cent"
	if step.Cmp(money.DollarsFromCents(1)) < 0 {
		structure = "deci_cent"
	}
	out := gen.Market{
		CanCloseEarly:          true,
		CloseTime:              m.close,
		CreatedTime:            m.created,
		EarlyCloseCondition:    "This market will close and expire after the outcome is known.",
		EventTicker:            m.eventTicker,
		ExpectedExpirationTime: ptr(m.expected),
		ExpirationTime:         m.close,
		FloorStrike:            m.floorStrike,
		CapStrike:              m.capStrike,
		LastPriceDollars:       m.lastPrice,
		LatestExpirationTime:   m.close,
		MarketType:             "binary",
		NoAskDollars:           noAsk,
		NoBidDollars:           noBid,
		NoSubTitle:             m.noSub,
		NotionalValueDollars:   money.One,
		OccurrenceDatetime:     ptr(m.expected),
		OpenInterestFp:         m.openInterest,
		OpenTime:               m.open,
		PreviousPriceDollars:   m.previousPrice,
		PreviousYesAskDollars:  money.Zero,
		PreviousYesBidDollars:  money.Zero,
		PriceLevelStructure:    structure,
		PriceRanges:            []gen.PriceRange{{Start: money.Zero, End: money.One, Step: step}},
		Result:                 gen.MarketResult(m.result),
		RulesPrimary:           m.rulesPrimary,
		RulesSecondary:         m.rulesSecondary,
		SettlementBoundsType:   "binary",
		SettlementTimerSeconds: 60,
		Status:                 gen.MarketStatus(m.status),
		StrikeType:             gen.MarketStrikeType(m.strikeType),
		Subtitle:               m.subtitle,
		Ticker:                 m.ticker,
		Title:                  m.title,
		UpdatedTime:            m.updated,
		Volume24HFp:            m.volume,
		VolumeFp:               m.volume,
		YesAskDollars:          yesAsk,
		YesAskSizeFp:           yesAskSize,
		YesBidDollars:          yesBid,
		YesBidSizeFp:           yesBidSize,
		YesSubTitle:            m.yesSub,
	}
	if m.status == "finalized" {
		out.SettlementTS = ptr(m.settledAt)
		v := money.Zero
		if m.result == "yes" {
			v = money.One
		}
		out.SettlementValueDollars = &v
	}
	return out
}

func (e *eventState) api(markets []gen.Market) gen.EventData {
	return gen.EventData{
		Category:             e.category,
		CollateralReturnType: "",
		EventTicker:          e.ticker,
		Markets:              markets,
		MutuallyExclusive:    e.mutuallyExclusive,
		SeriesTicker:         e.seriesTicker,
		SettlementSources:    &[]gen.SettlementSource{},
		StrikeDate:           ptr(e.strikeDate),
		SubTitle:             e.subTitle,
		Title:                e.title,
	}
}

func (s *seriesState) api() gen.Series {
	tags := append([]string{}, s.tags...)
	return gen.Series{
		AdditionalProhibitions: &[]string{},
		Categories:             []string{s.category},
		Category:               s.category,
		ContractTermsURL:       "https://kalshi.com/regulatory/rulebook",
		ContractURL:            "https://kalshi.com/regulatory/rulebook",
		FeeMultiplier:          1,
		FeeType:                "quadratic",
		Frequency:              s.frequency,
		SettlementSources:      &[]gen.SettlementSource{},
		Tags:                   &tags,
		Ticker:                 s.ticker,
		Title:                  s.title,
	}
}

func (o *order) api() gen.Order {
	noPrice := money.One.Sub(o.price)
	//lint:ignore SA1019 Kalshi still sends its legacy direction fields, so the fake renders them too
	side, action := gen.OrderSide("yes"), gen.OrderAction("buy")
	if o.side == ask {
		side = "no"
	}
	sub := o.subaccount
	stp := gen.SelfTradePreventionType(o.stp)
	out := gen.Order{
		Action:                  action,
		BookSide:                gen.BookSide(o.side),
		CancelOrderOnPause:      ptr(o.cancelOnPause),
		ClientOrderID:           o.clientID,
		CreatedTime:             ptr(o.created),
		ExpirationTime:          o.expiration,
		FillCountFp:             o.filled,
		InitialCountFp:          o.initial,
		LastUpdateTime:          ptr(o.updated),
		MakerFeesDollars:        o.makerFees,
		MakerFillCostDollars:    o.makerCost,
		NoPriceDollars:          noPrice,
		OrderID:                 o.id,
		OutcomeSide:             gen.OrderOutcomeSide(o.side.outcome()),
		RemainingCountFp:        o.remaining,
		SelfTradePreventionType: &stp,
		Side:                    side,
		Status:                  gen.OrderStatus(o.status),
		SubaccountNumber:        &sub,
		TakerFeesDollars:        o.takerFees,
		TakerFillCostDollars:    o.takerCost,
		Ticker:                  o.ticker,
		Type:                    "limit",
		UserID:                  o.userID,
		YesPriceDollars:         o.price,
	}
	if o.orderGroup != "" {
		out.OrderGroupID = ptr(o.orderGroup)
	}
	return out
}

func (f *fillRecord) api() gen.Fill {
	//lint:ignore SA1019 Kalshi still sends its legacy direction fields, so the fake renders them too
	side := gen.FillSide("yes")
	if f.side == ask {
		side = "no"
	}
	ts := f.at.Unix()
	sub := f.sub
	return gen.Fill{
		Action:           "buy",
		BookSide:         gen.BookSide(f.side),
		CountFp:          f.count,
		CreatedTime:      ptr(f.at),
		FeeCost:          f.fee,
		FillID:           f.id,
		IsTaker:          f.taker,
		MarketTicker:     f.ticker,
		NoPriceDollars:   money.One.Sub(f.price),
		OrderID:          f.orderID,
		OutcomeSide:      gen.OutcomeSide(f.side.outcome()),
		Side:             side,
		SubaccountNumber: &sub,
		Ticker:           f.ticker,
		TradeID:          f.tradeID,
		TS:               &ts,
		YesPriceDollars:  f.price,
	}
}

func (t *tradeRecord) api() gen.Trade {
	//lint:ignore SA1019 Kalshi still sends its legacy direction fields, so the fake renders them too
	side := gen.TradeTakerSide("yes")
	if t.takerSide == ask {
		side = "no"
	}
	return gen.Trade{
		CountFp:          t.count,
		CreatedTime:      t.at,
		NoPriceDollars:   money.One.Sub(t.price),
		TakerBookSide:    gen.BookSide(t.takerSide),
		TakerOutcomeSide: gen.TradeTakerOutcomeSide(t.takerSide.outcome()),
		TakerSide:        side,
		Ticker:           t.ticker,
		TradeID:          t.id,
		YesPriceDollars:  t.price,
	}
}

func (p *position) api(ticker string) gen.MarketPosition {
	return gen.MarketPosition{
		FeesPaidDollars:       p.fees,
		LastUpdatedTS:         p.updated,
		MarketExposureDollars: p.exposure,
		PositionFp:            p.count,
		RealizedPNLDollars:    p.realized,
		Ticker:                ticker,
		TotalTradedDollars:    p.traded,
	}
}

func (s *settlementRecord) api() gen.Settlement {
	cents, _ := s.revenue.Cents()
	var value *int
	v := 0
	if s.result == "yes" {
		v = 100
	}
	value = &v
	return gen.Settlement{
		EventTicker:         s.eventTicker,
		FeeCost:             money.Zero,
		MarketResult:        gen.SettlementMarketResult(s.result),
		NoCountFp:           s.noCount,
		NoTotalCostDollars:  s.noCost,
		Revenue:             int(cents),
		SettledTime:         s.at,
		Ticker:              s.ticker,
		Value:               value,
		YesCountFp:          s.yesCount,
		YesTotalCostDollars: s.yesCost,
	}
}

func ptr[T any](v T) *T { return &v }

// msTime is t in Unix milliseconds, as ts_ms fields carry it.
func msTime(t time.Time) int64 { return t.UnixMilli() }
