package ws

import (
	"bytes"
	"encoding/json"

	"github.com/seed-c9ca4919/kalshi/money"
)

// rawFields is a message body split into its members, to read older-era fields.
type rawFields map[string]json.RawMessage

func splitFields(msg []byte) rawFields {
	var f rawFields
	if json.Unmarshal(msg, &f) != nil {
		return nil
	}
	return f
}

// unset reports whether key is absent, null or "".
func (f rawFields) unset(key string) bool {
	v, ok := f[key]
	if !ok {
		return true
	}
	v = bytes.TrimSpace(v)
	return len(v) == 0 || string(v) == "null" || string(v) == `""`
}

// cents reads an integer number of cents from key as Dollars.
func (f rawFields) cents(key string) (money.Dollars, bool) {
	v, ok := f[key]
	if !ok || f.unset(key) {
		return money.Dollars{}, false
	}
	n, err := lenientInt(v)
	if err != nil {
		return money.Dollars{}, false
	}
	return money.DollarsFromCents(n), true
}

// count reads a contract count (an integer in older frames) from key.
func (f rawFields) count(key string) (money.Count, bool) {
	if f.unset(key) {
		return money.Count{}, false
	}
	var c money.Count
	if c.UnmarshalJSON(bytes.TrimSpace(f[key])) != nil {
		return money.Count{}, false
	}
	return c, true
}

// fillDollars sets *dst from legacy cents when the fixed-point field is unset.
func (f rawFields) fillDollars(dst *money.Dollars, modern, legacy string) {
	if f.unset(modern) {
		if d, ok := f.cents(legacy); ok {
			*dst = d
		}
	}
}

// fillCount sets *dst from a legacy integer count when the fixed-point field is unset.
func (f rawFields) fillCount(dst *money.Count, modern, legacy string) {
	if f.unset(modern) {
		if c, ok := f.count(legacy); ok {
			*dst = c
		}
	}
}

// hasAny reports whether msg may contain one of the legacy keys (a cheap pre-check).
func hasAny(msg []byte, keys ...string) bool {
	for _, k := range keys {
		if bytes.Contains(msg, []byte(`"`+k+`"`)) {
			return true
		}
	}
	return false
}

func (t *Ticker) fixLegacy(msg []byte) {
	if !hasAny(msg, "price", "yes_bid", "yes_ask", "volume", "open_interest") {
		return
	}
	f := splitFields(msg)
	f.fillDollars(&t.Price, "price_dollars", "price")
	f.fillDollars(&t.YesBid, "yes_bid_dollars", "yes_bid")
	f.fillDollars(&t.YesAsk, "yes_ask_dollars", "yes_ask")
	f.fillCount(&t.Volume, "volume_fp", "volume")
	f.fillCount(&t.OpenInterest, "open_interest_fp", "open_interest")
}

func (t *Trade) fixLegacy(msg []byte) {
	if !hasAny(msg, "yes_price", "no_price", "count") {
		return
	}
	f := splitFields(msg)
	f.fillDollars(&t.YesPrice, "yes_price_dollars", "yes_price")
	f.fillDollars(&t.NoPrice, "no_price_dollars", "no_price")
	f.fillCount(&t.Count, "count_fp", "count")
}

func (x *Fill) fixLegacy(msg []byte) {
	if !hasAny(msg, "yes_price", "count", "post_position") {
		return
	}
	f := splitFields(msg)
	f.fillDollars(&x.YesPrice, "yes_price_dollars", "yes_price")
	f.fillCount(&x.Count, "count_fp", "count")
	f.fillCount(&x.PostPosition, "post_position_fp", "post_position")
}

func (p *MarketPosition) fixLegacy(msg []byte) {
	if !hasAny(msg, "position", "volume") {
		return
	}
	f := splitFields(msg)
	f.fillCount(&p.Position, "position_fp", "position")
	f.fillCount(&p.Volume, "volume_fp", "volume")
}

func (d *OrderbookDelta) fixLegacy(msg []byte) {
	if !hasAny(msg, "price", "delta") {
		return
	}
	f := splitFields(msg)
	f.fillDollars(&d.Price, "price_dollars", "price")
	f.fillCount(&d.Delta, "delta_fp", "delta")
}

// fixLegacy fills an empty ladder from the older forms: "yes_dollars" ([["0.47", 3]]) or
// "yes" ([[47, 3]], cents).
func (s *OrderbookSnapshot) fixLegacy(msg []byte) {
	if !hasAny(msg, "yes_dollars", "no_dollars", "yes", "no") {
		return
	}
	f := splitFields(msg)
	s.Yes = legacyLadder(f, s.Yes, "yes_dollars_fp", "yes_dollars", "yes")
	s.No = legacyLadder(f, s.No, "no_dollars_fp", "no_dollars", "no")
}

func legacyLadder(f rawFields, cur []Level, modern, dollars, cents string) []Level {
	if !f.unset(modern) {
		return cur
	}
	if !f.unset(dollars) {
		var levels []Level
		if json.Unmarshal(f[dollars], &levels) == nil {
			return levels
		}
	}
	if f.unset(cents) {
		return cur
	}
	var pairs [][2]json.RawMessage
	if json.Unmarshal(f[cents], &pairs) != nil {
		return cur
	}
	levels := make([]Level, 0, len(pairs))
	for _, p := range pairs {
		pf := rawFields{"p": p[0], "s": p[1]}
		price, ok1 := pf.cents("p")
		size, ok2 := pf.count("s")
		if !ok1 || !ok2 {
			return cur
		}
		levels = append(levels, Level{Price: price, Count: size})
	}
	return levels
}
