package kalshi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Drift is one way a response differed from what openapi.yaml declares:
// the signal that Kalshi changed something and it is time to regenerate.
type Drift struct {
	Operation string    // operationId, e.g. "GetMarkets"
	Path      string    // JSON path; array items as [*]: "$.markets[*].fractional_trading_enabled"
	Kind      DriftKind // what differed
	Detail    string    // e.g. "got number, declared string"
}

// String gives one line: "GetMarkets $.markets[*].x: undeclared field".
func (d Drift) String() string {
	s := d.Operation + " " + d.Path + ": " + string(d.Kind)
	if d.Detail != "" {
		s += " (" + d.Detail + ")"
	}
	return s
}

// DriftKind classifies a Drift.
type DriftKind string

const (
	// DriftUndeclared is a field present in the body that the spec does not
	// declare.
	DriftUndeclared DriftKind = "undeclared field"
	// DriftMissingRequired is a field the spec declares required that the
	// body lacks.
	DriftMissingRequired DriftKind = "missing required field"
	// DriftTypeMismatch is a value of another JSON type than declared; the
	// client converted it (or dropped it) to decode the rest.
	DriftTypeMismatch DriftKind = "type mismatch"
	// DriftStatus is a success status other than the documented one; the
	// body, if any, was decoded as the documented success.
	DriftStatus DriftKind = "undocumented status"
	// DriftContentType is a success body sent with another content type
	// than JSON; it was decoded as JSON.
	DriftContentType DriftKind = "undeclared content type"
)

type schemaKind uint8

const (
	kindAny schemaKind = iota
	kindObject
	kindArray
	kindString
	kindNumber
	kindInteger
	kindBoolean
)

func (k schemaKind) String() string {
	return [...]string{"any", "object", "array", "string", "number", "integer", "boolean"}[k]
}

// schemaNode is a flattened schema (see schemas.gen.go).
type schemaNode struct {
	kind     schemaKind
	format   string
	props    []schemaProp // sorted by name
	required []string
	items    int  // element node of an array, -1 if none
	values   int  // node of additionalProperties values, -1 if none
	open     bool // keys beyond props are allowed
}

type schemaProp struct {
	name string
	node int
}

func (n *schemaNode) prop(name string) (int, bool) {
	i := sort.Search(len(n.props), func(i int) bool { return n.props[i].name >= name })
	if i < len(n.props) && n.props[i].name == name {
		return n.props[i].node, true
	}
	return -1, false
}

// report hands drifts to the reporter, if there is one.
func (c *Client) report(drifts []Drift) {
	if c.drift == nil {
		return
	}
	for _, d := range drifts {
		c.drift(d)
	}
}

// examine walks body against the operation's declared schema and returns
// each drift once per kind and path. With fix, values of another type than
// declared are converted (or removed) and fixed is the re-encoded body, nil
// when nothing needed converting. ok is false when the body is not JSON or
// the operation has no declared body.
func examine(op string, body []byte, fix bool) (drifts []Drift, fixed []byte, ok bool) {
	root, ok := responseSchema(op)
	if !ok {
		return nil, nil, false
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return nil, nil, false
	}
	seen := map[string]bool{}
	collect := func(d Drift) {
		if key := string(d.Kind) + " " + d.Path; !seen[key] {
			seen[key] = true
			drifts = append(drifts, d)
		}
	}
	if !fix {
		walk(op, v, root, "$", collect, nil)
		return drifts, nil, true
	}
	changed := false
	v = walk(op, v, root, "$", collect, &changed)
	if v == dropValue {
		return drifts, nil, false
	}
	if changed {
		if fixed, err := json.Marshal(v); err == nil {
			return drifts, fixed, true
		}
		return drifts, nil, false
	}
	return drifts, nil, true
}

// walk checks v against node n, reporting drift. When fix is non-nil,
// mismatched values are converted (or removed) and *fix set; walk returns
// the (possibly converted) value, or dropValue to remove it.
func walk(op string, v any, n int, path string, report func(Drift), fix *bool) any {
	if n < 0 || v == nil {
		return v
	}
	s := &specSchemas[n]
	mismatch := func(detail string) {
		report(Drift{Operation: op, Path: path, Kind: DriftTypeMismatch, Detail: detail})
	}
	switch s.kind {
	case kindObject:
		obj, ok := v.(map[string]any)
		if !ok {
			mismatch("got " + jsonType(v) + ", declared object")
			return drop(fix)
		}
		// Before any value is dropped: a converted field is not missing.
		for _, req := range s.required {
			if _, ok := obj[req]; !ok {
				report(Drift{Operation: op, Path: path + "." + req, Kind: DriftMissingRequired})
			}
		}
		for key, val := range obj {
			child, declared := s.prop(key)
			if !declared {
				if s.values >= 0 {
					child = s.values
				} else if !s.open {
					report(Drift{Operation: op, Path: path + "." + key, Kind: DriftUndeclared})
					continue
				}
			}
			if out := walk(op, val, child, path+"."+key, report, fix); out == dropValue {
				delete(obj, key)
			} else {
				obj[key] = out
			}
		}
		return obj
	case kindArray:
		arr, ok := v.([]any)
		if !ok {
			mismatch("got " + jsonType(v) + ", declared array")
			return drop(fix)
		}
		kept := arr[:0]
		for _, item := range arr {
			if out := walk(op, item, s.items, path+"[*]", report, fix); out != dropValue {
				kept = append(kept, out)
			}
		}
		return kept
	case kindString:
		switch x := v.(type) {
		case string:
			if s.format == "date-time" && x == "" {
				mismatch("empty string for a date-time")
				return drop(fix)
			}
			return x
		case json.Number:
			mismatch("got number, declared string")
			if fix != nil {
				*fix = true
				if s.format == "date-time" {
					return unixToRFC3339(x)
				}
				return x.String()
			}
			return v
		case bool:
			mismatch("got boolean, declared string")
			return convert(fix, strconv.FormatBool(x), v)
		}
		mismatch("got " + jsonType(v) + ", declared string")
		return drop(fix)
	case kindNumber, kindInteger:
		switch x := v.(type) {
		case json.Number:
			if s.kind == kindInteger {
				if _, err := x.Int64(); err != nil {
					mismatch("got a decimal number, declared integer")
					if f, err := x.Float64(); err == nil {
						return convert(fix, json.Number(strconv.FormatInt(int64(f), 10)), v)
					}
					return drop(fix)
				}
			}
			return x
		case string:
			mismatch("got string, declared " + s.kind.String())
			num := json.Number(strings.TrimSpace(x))
			if _, err := num.Float64(); err == nil && x != "" {
				if s.kind == kindInteger {
					if _, err := num.Int64(); err != nil {
						f, _ := num.Float64()
						num = json.Number(strconv.FormatInt(int64(f), 10))
					}
				}
				return convert(fix, num, v)
			}
			return drop(fix)
		}
		mismatch("got " + jsonType(v) + ", declared " + s.kind.String())
		return drop(fix)
	case kindBoolean:
		switch x := v.(type) {
		case bool:
			return x
		case string:
			mismatch("got string, declared boolean")
			if b, err := strconv.ParseBool(x); err == nil {
				return convert(fix, b, v)
			}
			return drop(fix)
		}
		mismatch("got " + jsonType(v) + ", declared boolean")
		return drop(fix)
	}
	return v
}

// dropValue marks a value to remove from its parent.
var dropValue = &struct{ drop bool }{true}

func drop(fix *bool) any {
	if fix == nil {
		return nil
	}
	*fix = true
	return dropValue
}

func convert(fix *bool, to, from any) any {
	if fix == nil {
		return from
	}
	*fix = true
	return to
}

// unixToRFC3339 reads a number as Unix seconds (or milliseconds when it is
// too large to be seconds) and formats it as RFC 3339.
func unixToRFC3339(n json.Number) string {
	f, err := n.Float64()
	if err != nil {
		return ""
	}
	if f > 1e11 {
		return time.UnixMilli(int64(f)).UTC().Format(time.RFC3339Nano)
	}
	return time.Unix(int64(f), 0).UTC().Format(time.RFC3339)
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}
