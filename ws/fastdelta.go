package ws

import (
	"time"
)

// decodeDeltaFast decodes the common shape of an orderbook_delta frame without reflection:
// members in any order, no escapes, no nulls, no unknown members. Anything else returns
// ok=false and the frame goes through the general decoder, which gives the same result for
// every frame both accept (checked by tests and fuzzing). Market data is mostly deltas, so
// this path sets how many frames a connection can take per second.
func decodeDeltaFast(b []byte) (m *OrderbookDelta, ok bool) {
	p := scanner{b: b}
	if !p.consume('{') {
		return nil, false
	}
	d := &OrderbookDelta{}
	var sawType, sawMsg bool
	for first := true; ; first = false {
		if p.consume('}') {
			break
		}
		if !first && !p.consume(',') {
			return nil, false
		}
		key, ok := p.str()
		if !ok || !p.consume(':') {
			return nil, false
		}
		switch string(key) {
		case "type":
			v, ok := p.str()
			if !ok || string(v) != TypeOrderbookDelta {
				return nil, false
			}
			sawType = true
		case "sid":
			if d.SID, ok = p.int(); !ok {
				return nil, false
			}
		case "seq":
			if d.Seq, ok = p.int(); !ok {
				return nil, false
			}
		case "id":
			if d.ID, ok = p.int(); !ok {
				return nil, false
			}
		case "msg":
			if !p.deltaBody(d) {
				return nil, false
			}
			sawMsg = true
		default:
			return nil, false
		}
	}
	p.space()
	if p.i != len(p.b) || !sawType || !sawMsg {
		return nil, false
	}
	d.Type = TypeOrderbookDelta
	return d, true
}

func (p *scanner) deltaBody(d *OrderbookDelta) bool {
	if !p.consume('{') {
		return false
	}
	for first := true; ; first = false {
		if p.consume('}') {
			return true
		}
		if !first && !p.consume(',') {
			return false
		}
		key, ok := p.str()
		if !ok || !p.consume(':') {
			return false
		}
		switch string(key) {
		case "market_ticker":
			v, ok := p.str()
			if !ok {
				return false
			}
			d.MarketTicker = interned.intern(v)
		case "market_id":
			v, ok := p.str()
			if !ok {
				return false
			}
			d.MarketID = interned.intern(v)
		case "client_order_id":
			v, ok := p.str()
			if !ok {
				return false
			}
			d.ClientOrderID = string(v)
		case "side":
			v, ok := p.str()
			if !ok {
				return false
			}
			switch string(v) {
			case "yes":
				d.Side = Yes
			case "no":
				d.Side = No
			default:
				d.Side = Side(v)
			}
		case "price_dollars":
			q, ok := p.quoted()
			if !ok || d.Price.UnmarshalJSON(q) != nil {
				return false
			}
		case "delta_fp":
			q, ok := p.quoted()
			if !ok || d.Delta.UnmarshalJSON(q) != nil {
				return false
			}
		case "ts":
			v, ok := p.str()
			if !ok {
				return false
			}
			t, ok := parseRFC3339UTC(v)
			if !ok {
				return false
			}
			d.TS = Timestamp{Time: t, RFC3339: true}
		case "ts_ms":
			n, ok := p.int()
			if !ok {
				return false
			}
			d.TSMs = UnixMillis(n)
		case "subaccount":
			n, ok := p.int()
			if !ok || int64(int(n)) != n {
				return false
			}
			v := int(n)
			d.Subaccount = &v
		default:
			return false
		}
	}
}

// scanner reads the small subset of JSON the fast path accepts.
type scanner struct {
	b []byte
	i int
}

func (p *scanner) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *scanner) consume(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

// quoted returns a string token including its quotes; strings with escapes or control
// characters are refused.
func (p *scanner) quoted() ([]byte, bool) {
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '"' {
		return nil, false
	}
	start := p.i
	for j := p.i + 1; j < len(p.b); j++ {
		switch c := p.b[j]; {
		case c == '"':
			p.i = j + 1
			return p.b[start:p.i], true
		case c == '\\' || c < 0x20 || c >= 0x80:
			return nil, false
		}
	}
	return nil, false
}

// str returns a string token's contents.
func (p *scanner) str() ([]byte, bool) {
	q, ok := p.quoted()
	if !ok {
		return nil, false
	}
	return q[1 : len(q)-1], true
}

// int reads a JSON integer (no fraction or exponent) that fits in int64.
func (p *scanner) int() (int64, bool) {
	p.space()
	neg := false
	if p.i < len(p.b) && p.b[p.i] == '-' {
		neg = true
		p.i++
	}
	start := p.i
	var n uint64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		if n > (1<<63-1)/10 {
			return 0, false
		}
		n = n*10 + uint64(p.b[p.i]-'0')
		p.i++
	}
	digits := p.i - start
	if digits == 0 || n > 1<<63-1 || (digits > 1 && p.b[start] == '0') {
		return 0, false
	}
	if p.i < len(p.b) {
		switch p.b[p.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	if neg {
		return -int64(n), true
	}
	return int64(n), true
}

// parseRFC3339UTC parses "YYYY-MM-DDTHH:MM:SS[.fraction]Z", the form Kalshi sends; other
// forms are left to the general decoder.
func parseRFC3339UTC(s []byte) (time.Time, bool) {
	if len(s) < 20 || s[len(s)-1] != 'Z' || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for _, c := range s[a:b] {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	year, ok1 := num(0, 4)
	month, ok2 := num(5, 7)
	day, ok3 := num(8, 10)
	hour, ok4 := num(11, 13)
	minute, ok5 := num(14, 16)
	sec, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || month < 1 || month > 12 || day < 1 ||
		day > daysIn(time.Month(month), year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	nsec := 0
	rest := s[19 : len(s)-1]
	if len(rest) > 0 {
		if rest[0] != '.' || len(rest) < 2 || len(rest) > 10 {
			return time.Time{}, false
		}
		frac, ok := num(20, 19+len(rest))
		if !ok {
			return time.Time{}, false
		}
		for range 10 - len(rest) {
			frac *= 10
		}
		nsec = frac
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC).UTC(), true
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
