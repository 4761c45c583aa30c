package ws

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"strconv"
	"strings"
)

// decodeInto unmarshals the JSON object data into the struct pointed to by v, tolerating the
// drift real Kalshi frames show. It first tries encoding/json as is; when that fails it decodes
// field by field, coercing numbers sent as strings (and strings sent as numbers), integral
// floats into integers, and leaving a field zero when its value cannot be used at all. Each
// such field is reported in the returned warnings; unknown fields are ignored. It returns an
// error only when data is not a JSON object (or null).
func decodeInto(data []byte, v any) (warnings []error, err error) {
	err = json.Unmarshal(data, v)
	if err == nil {
		return nil, nil
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return nil, err
	}
	rv := reflect.ValueOf(v).Elem()
	rv.SetZero()
	return decodeFields(fields, rv, ""), nil
}

// decodeFields stores each JSON member into the matching field of the struct value rv.
func decodeFields(fields map[string]json.RawMessage, rv reflect.Value, prefix string) []error {
	var warnings []error
	for key, raw := range fields {
		fv, ok := fieldByJSONName(rv, key)
		if !ok {
			continue
		}
		if w := decodeField(raw, fv, prefix+key); w != nil {
			warnings = append(warnings, w...)
		}
	}
	return warnings
}

func decodeField(raw json.RawMessage, fv reflect.Value, path string) []error {
	ptr := fv.Addr().Interface()
	err := json.Unmarshal(raw, ptr)
	if err == nil {
		return nil
	}
	fv.SetZero()
	// A nested object whose own fields drifted: repair it member by member.
	if t := structTarget(fv.Type()); t != nil && !implementsUnmarshaler(fv.Type()) {
		var fields map[string]json.RawMessage
		if json.Unmarshal(raw, &fields) == nil {
			target := fv
			if fv.Kind() == reflect.Pointer {
				fv.Set(reflect.New(t))
				target = fv.Elem()
			}
			return decodeFields(fields, target, path+".")
		}
	}
	if coerced, ok := coerce(raw, fv.Type()); ok {
		if json.Unmarshal(coerced, ptr) == nil {
			return nil
		}
		fv.SetZero()
	}
	return []error{fmt.Errorf("ws: field %q: %w", path, err)}
}

func structTarget(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct {
		return t
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

func implementsUnmarshaler(t reflect.Type) bool {
	if t.Kind() != reflect.Pointer {
		t = reflect.PointerTo(t)
	}
	return t.Implements(unmarshalerType)
}

// coerce rewrites a JSON scalar into the form the Go type t expects, if a lossless rewrite
// exists: a number or bool into a string, a numeric string into a number, an integral float
// into an integer, "true"/"false" into a bool.
func coerce(raw json.RawMessage, t reflect.Type) (json.RawMessage, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, false
	}
	isString := raw[0] == '"'
	text := string(raw)
	if isString {
		s, err := strconv.Unquote(text)
		if err != nil {
			return nil, false
		}
		text = strings.TrimSpace(s)
	}
	switch t.Kind() {
	case reflect.String:
		if !isString && (raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9') || text == "true" || text == "false") {
			return strconv.AppendQuote(nil, text), true
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if !isDecimal(text) {
			return nil, false
		}
		r, _ := new(big.Rat).SetString(text)
		if !r.IsInt() {
			return nil, false
		}
		return []byte(r.Num().String()), true
	case reflect.Float32, reflect.Float64:
		if _, err := strconv.ParseFloat(text, 64); isString && err == nil {
			return []byte(text), true
		}
	case reflect.Bool:
		if b, err := strconv.ParseBool(text); isString && err == nil {
			return []byte(strconv.FormatBool(b)), true
		}
	}
	return nil, false
}

// fieldByJSONName finds the struct field of rv that encoding/json would fill from key:
// exact tag match first, then a case-insensitive one; embedded structs without a tag are
// searched as encoding/json flattens them, fields tagged "-" never match.
func fieldByJSONName(rv reflect.Value, key string) (reflect.Value, bool) {
	if f, ok := findField(rv, key, false); ok {
		return f, true
	}
	return findField(rv, key, true)
}

func findField(rv reflect.Value, key string, fold bool) (reflect.Value, bool) {
	t := rv.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" {
			ft := sf.Type
			if ft.Kind() == reflect.Struct {
				if f, ok := findField(rv.Field(i), key, fold); ok {
					return f, true
				}
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if name == key || (fold && strings.EqualFold(name, key)) {
			return rv.Field(i), true
		}
	}
	return reflect.Value{}, false
}
