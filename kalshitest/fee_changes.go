package kalshitest

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// feeState holds the fee changes of series and events, in the order they
// were recorded.
type feeState struct {
	series []*seriesFeeChange
	events []*eventFeeChange
}

// seriesFeeChange is a series' new fee type and multiplier from a time on.
type seriesFeeChange struct {
	id, seriesTicker, feeType string
	multiplier                float64
	at                        time.Time
	seq                       uint64
}

// eventFeeChange sets an event's fee override from a time on, or clears
// it (nil fee type and multiplier).
type eventFeeChange struct {
	id, eventTicker, seriesTicker string
	feeType                       *string
	multiplier                    *float64
	at                            time.Time
	seq                           uint64
}

// feeTypeNames are the fee structures a series or event override can take.
var feeTypeNames = []string{"quadratic", "quadratic_with_maker_fees", "quadratic_with_combo_maker_fees", "flat"}

// seedFeeChanges records fee changes for the generated series and events
// (exchange lock held). Those already in effect set what the series show
// now (quadratic, multiplier 1); the others are scheduled ahead: a maker
// fee for the crypto series, a lower multiplier for basketball, and an
// override on the first crypto and weather events that is cleared when
// their markets close.
func (x *exchange) seedFeeChanges(now time.Time) {
	day := now.Truncate(24 * time.Hour)
	add := func(series, feeType string, mult float64, at time.Time) {
		if _, ok := x.series[series]; ok {
			x.addSeriesFeeChange(series, feeType, mult, at)
		}
	}
	add("KXHIGHNY", "quadratic", 1, day.AddDate(0, 0, -120))
	add("KXBTCD", "quadratic", 1, day.AddDate(0, 0, -60))
	add("KXBTCD", "quadratic_with_maker_fees", 1, day.AddDate(0, 0, 14))
	add("KXNBAGAME", "quadratic", 0.5, day.AddDate(0, 0, 30))

	firstOf := func(series string) *eventState {
		for _, t := range x.eventOrder {
			if e := x.events[t]; e.seriesTicker == series && len(e.markets) > 0 {
				return e
			}
		}
		return nil
	}
	for _, o := range []struct {
		series, feeType string
		mult            float64
	}{{"KXBTCD", "quadratic_with_maker_fees", 0.5}, {"KXHIGHNY", "quadratic", 0}} {
		e := firstOf(o.series)
		if e == nil {
			continue
		}
		set := e.strikeDate.Add(-6 * time.Hour).Truncate(time.Hour)
		if !set.After(now) {
			set = now.Add(time.Hour).Truncate(time.Hour)
		}
		closeAt := set
		for _, t := range e.markets {
			if c := x.markets[t].close; c.After(closeAt) {
				closeAt = c
			}
		}
		ft, m := o.feeType, o.mult
		x.addEventFeeChange(e, &ft, &m, set)
		x.addEventFeeChange(e, nil, nil, closeAt)
	}
}

func (x *exchange) addSeriesFeeChange(series, feeType string, mult float64, at time.Time) *seriesFeeChange {
	c := &seriesFeeChange{
		id: mvUUID(fmt.Sprintf("series fee change %s %d %d", series, at.UnixNano(), len(x.multivariate.fees.series))), seriesTicker: series,
		feeType: feeType, multiplier: mult, at: at.UTC(), seq: x.nextSeq(),
	}
	x.multivariate.fees.series = append(x.multivariate.fees.series, c)
	return c
}

func (x *exchange) addEventFeeChange(e *eventState, feeType *string, mult *float64, at time.Time) *eventFeeChange {
	c := &eventFeeChange{
		id: mvUUID(fmt.Sprintf("event fee change %s %d %d", e.ticker, at.UnixNano(), len(x.multivariate.fees.events))), eventTicker: e.ticker,
		seriesTicker: e.seriesTicker, feeType: feeType, multiplier: mult, at: at.UTC(), seq: x.nextSeq(),
	}
	x.multivariate.fees.events = append(x.multivariate.fees.events, c)
	return c
}

func (c *seriesFeeChange) api() gen.SeriesFeeChange {
	return gen.SeriesFeeChange{ID: c.id, SeriesTicker: c.seriesTicker, FeeType: gen.FeeType(c.feeType), FeeMultiplier: c.multiplier, ScheduledTS: c.at}
}

func (c *eventFeeChange) api() gen.EventFeeChange {
	out := gen.EventFeeChange{ID: c.id, EventTicker: c.eventTicker, SeriesTicker: c.seriesTicker, FeeMultiplierOverride: c.multiplier, ScheduledTS: c.at}
	if c.feeType != nil {
		out.FeeTypeOverride = ptr(gen.FeeType(*c.feeType))
	}
	return out
}

// feeChangeKey orders a fee change by when it takes effect, then by when it was
// recorded: an increasing key for page.
func feeChangeKey(at time.Time, seq uint64) string {
	return seqKey(uint64(at.UnixNano())) + seqKey(seq)
}

// EventFeeOverride is a fee structure that replaces an event's series' for
// the event's markets: FeeType is one of quadratic,
// quadratic_with_maker_fees, quadratic_with_combo_maker_fees and flat.
type EventFeeOverride struct {
	FeeType string // the fee formula, by Kalshi's name
	// Multiplier scales the formula's fee, as Kalshi's fee_multiplier
	// does: 1 leaves it as it is. It must be finite and not negative.
	Multiplier float64
}

// SetEventFeeOverride sets an event's fee override from now on, or clears
// it when o is nil. GetEventFeeChanges then lists the change, and
// market_lifecycle_v2 sends event_fee_update (not for multivariate events,
// which that channel leaves out). The fake's trading fees stay those of
// the money model in the package documentation whatever the override.
func (s *Server) SetEventFeeOverride(eventTicker string, o *EventFeeOverride) error {
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.events[eventTicker]
	if !ok {
		return fmt.Errorf("kalshitest: no event %s", eventTicker)
	}
	var feeType *string
	var mult *float64
	if o != nil {
		if !slices.Contains(feeTypeNames, o.FeeType) {
			return fmt.Errorf("kalshitest: fee type %q is not one of %v", o.FeeType, feeTypeNames)
		}
		if o.Multiplier < 0 || math.IsNaN(o.Multiplier) || math.IsInf(o.Multiplier, 0) {
			return fmt.Errorf("kalshitest: fee multiplier %v is not a finite number >= 0", o.Multiplier)
		}
		feeType, mult = ptr(o.FeeType), ptr(o.Multiplier)
	}
	now := x.now()
	x.addEventFeeChange(e, feeType, mult, now)
	if isMultivariateTicker(e.ticker) {
		return nil
	}
	msg := &ws.EventFeeUpdate{EventTicker: e.ticker, FeeTypeOverride: feeType}
	if mult != nil {
		msg.FeeMultiplierOverride = ptr(ws.Number(fmt.Sprint(*mult)))
	}
	x.publishChannel(ExchangeEvent{Channel: ws.ChannelMarketLifecycleV2, Message: msg, Key: e.ticker}, now)
	return nil
}

// ScheduleSeriesFeeChange records that a series' fee type and multiplier
// change at a time: GetSeriesFeeChanges lists it while it is ahead, and
// with show_historical once it has passed. It does not change the fees
// the fake charges or the fee fields of GetSeries.
func (s *Server) ScheduleSeriesFeeChange(seriesTicker, feeType string, multiplier float64, at time.Time) error {
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.series[seriesTicker]; !ok {
		return fmt.Errorf("kalshitest: no series %s", seriesTicker)
	}
	if !slices.Contains(feeTypeNames, feeType) {
		return fmt.Errorf("kalshitest: fee type %q is not one of %v", feeType, feeTypeNames)
	}
	if multiplier < 0 || math.IsNaN(multiplier) || math.IsInf(multiplier, 0) {
		return fmt.Errorf("kalshitest: fee multiplier %v is not a finite number >= 0", multiplier)
	}
	if at.IsZero() {
		return errors.New("kalshitest: a series fee change needs a time")
	}
	x.addSeriesFeeChange(seriesTicker, feeType, multiplier, at)
	return nil
}
