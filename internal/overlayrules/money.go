// Money rule: which fields of the spec carry money.
//
// The rule, applied to the spec's structure (never its prose):
//
//  1. A component schema of type string whose name starts with
//     "FixedPoint" is money.Dollars when the name ends in "Dollars" and
//     money.Count when it ends in "Count".
//  2. An inline string property named "*_dollars" is money.Dollars; one
//     named "*_fp" is money.Count.
//  3. A component schema that is an array of exactly two strings and whose
//     name contains both "Dollars" and "Count" is a [price, count] order
//     book level: money.PriceLevel.
//  4. A component schema of type object whose name starts with "Price" and
//     ends with "Range" and whose properties are exactly start, end and
//     step, all strings, is a band of a price grid: money.PriceRange.
//
// Every property that refers to a matched schema (directly or through a
// single-item allOf) takes its type; optional ones that Kalshi's hints keep
// as values (not pointers) are marked omitzero, so an unset amount is left
// out rather than sent as "0.0000". The matched fields are listed in
// gen/MONEY_FIELDS.md.

package main

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

const moneyImport = "github.com/seed-c9ca4919/kalshi/money"

// Matches is the outcome of the rule.
type Matches struct {
	Schemas map[string]string   // component schema -> Go type
	Inline  map[string]string   // "Schema.property" (inline) -> Go type
	Uses    map[string][]string // Go type -> every "Schema.property" that carries it
	// OmitZero lists optional money properties that Kalshi's hints keep
	// as values rather than pointers; "omitempty" never omits a struct, so
	// they get "omitzero" or an unset amount would be sent as "0.0000".
	OmitZero []string // JSONPath targets
}

// Match applies the rule to a spec.
func Match(spec []byte) (*Matches, error) {
	var doc struct {
		Components struct {
			Schemas map[string]*schema `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, err
	}
	m := &Matches{Schemas: map[string]string{}, Inline: map[string]string{}, Uses: map[string][]string{}}
	for name, s := range doc.Components.Schemas {
		switch {
		case s.Type == "string" && strings.HasPrefix(name, "FixedPoint") && strings.HasSuffix(name, "Dollars"):
			m.Schemas[name] = "money.Dollars"
		case s.Type == "string" && strings.HasPrefix(name, "FixedPoint") && strings.HasSuffix(name, "Count"):
			m.Schemas[name] = "money.Count"
		case s.Type == "array" && s.MinItems == 2 && s.MaxItems == 2 && s.Items != nil && s.Items.Type == "string" &&
			strings.Contains(name, "Dollars") && strings.Contains(name, "Count"):
			m.Schemas[name] = "money.PriceLevel"
		case s.Type == "object" && strings.HasPrefix(name, "Price") && strings.HasSuffix(name, "Range") && isBand(s):
			m.Schemas[name] = "money.PriceRange"
		}
	}
	for name, s := range doc.Components.Schemas {
		m.walk(name, s)
	}
	for k := range m.Uses {
		sort.Strings(m.Uses[k])
	}
	return m, nil
}

// isBand reports whether s has exactly the string properties start, end
// and step.
func isBand(s *schema) bool {
	if len(s.Properties) != 3 {
		return false
	}
	for _, p := range []string{"start", "end", "step"} {
		if ps := s.Properties[p]; ps == nil || ps.Type != "string" {
			return false
		}
	}
	return true
}

type schema struct {
	Type       string             `yaml:"type"`
	Ref        string             `yaml:"$ref"`
	AllOf      []*schema          `yaml:"allOf"`
	Items      *schema            `yaml:"items"`
	Properties map[string]*schema `yaml:"properties"`
	MinItems   int                `yaml:"minItems"`
	MaxItems   int                `yaml:"maxItems"`
	Required   []string           `yaml:"required"`
	SkipPtr    bool               `yaml:"x-go-type-skip-optional-pointer"`
}

// walk records every property (also inside arrays and nested objects)
// that carries a money type.
func (m *Matches) walk(path string, s *schema) {
	if s == nil {
		return
	}
	for _, a := range s.AllOf {
		m.walk(path, a)
	}
	if s.Items != nil {
		m.walk(path+"[]", s.Items)
	}
	for prop, ps := range s.Properties {
		p := path + "." + prop
		switch {
		case m.refType(ps) != "":
			m.Uses[m.refType(ps)] = append(m.Uses[m.refType(ps)], p)
			if ps.SkipPtr && !slices.Contains(s.Required, prop) && !strings.Contains(path, "[]") && !strings.Contains(path, ".") {
				m.OmitZero = append(m.OmitZero, "$.components.schemas['"+path+"'].properties['"+prop+"']")
			}
		case ps.Items != nil && m.refType(ps.Items) != "":
			m.Uses[m.refType(ps.Items)] = append(m.Uses[m.refType(ps.Items)], p+"[]")
		case ps.Type == "string" && ps.Ref == "" && strings.HasSuffix(prop, "_dollars") && !strings.Contains(path, "[]"):
			m.Inline[p] = "money.Dollars"
			m.Uses["money.Dollars"] = append(m.Uses["money.Dollars"], p)
		case ps.Type == "string" && ps.Ref == "" && strings.HasSuffix(prop, "_fp") && !strings.Contains(path, "[]"):
			m.Inline[p] = "money.Count"
			m.Uses["money.Count"] = append(m.Uses["money.Count"], p)
		default:
			m.walk(p, ps)
		}
	}
}

// refType is the money type a property takes through its $ref (or a
// single-item allOf), or "".
func (m *Matches) refType(s *schema) string {
	ref := s.Ref
	if ref == "" && len(s.AllOf) == 1 {
		ref = s.AllOf[0].Ref
	}
	if ref == "" {
		return ""
	}
	return m.Schemas[ref[strings.LastIndex(ref, "/")+1:]]
}

// Actions renders the overlay actions, sorted so the output is stable.
func (m *Matches) Actions() []byte {
	var b bytes.Buffer
	names := sortedKeys(m.Schemas)
	for _, n := range names {
		writeAction(&b, "$.components.schemas['"+n+"']", m.Schemas[n])
	}
	sort.Strings(m.OmitZero)
	for _, target := range m.OmitZero {
		fmt.Fprintf(&b, "  - target: %s\n    update:\n      x-omitzero: true\n", target)
	}
	for _, p := range sortedKeys(m.Inline) {
		schemaName, prop, _ := strings.Cut(p, ".")
		target := "$.components.schemas['" + schemaName + "']"
		for _, seg := range strings.Split(prop, ".") {
			target += ".properties['" + seg + "']"
		}
		writeAction(&b, target, m.Inline[p])
	}
	return b.Bytes()
}

func writeAction(b *bytes.Buffer, target, goType string) {
	fmt.Fprintf(b, "  - target: %s\n    update:\n      x-go-type: %s\n      x-go-type-import:\n        path: %s\n", target, goType, moneyImport)
}

// Document lists the rule's matches in Markdown.
func (m *Matches) Document() []byte {
	var b bytes.Buffer
	b.WriteString("# Fields with exact money types\n\n")
	b.WriteString("Generated by `internal/overlayrules` from `openapi.yaml`; do not edit. The rule (see\n")
	b.WriteString("`internal/overlayrules/money.go`): string schemas named `FixedPoint*Dollars` are `money.Dollars`,\n")
	b.WriteString("`FixedPoint*Count` are `money.Count`; inline string properties named `*_dollars` and `*_fp`\n")
	b.WriteString("likewise; two-string array schemas named with both `Dollars` and `Count` are\n")
	b.WriteString("`money.PriceLevel` (`[price, count]`); object schemas named `Price*Range` with exactly the string\n")
	b.WriteString("properties `start`, `end` and `step` are `money.PriceRange` (a band of a price grid). Every property\n")
	b.WriteString("referring to them takes their type.\n\n")
	b.WriteString("| schema | Go type |\n|---|---|\n")
	for _, n := range sortedKeys(m.Schemas) {
		fmt.Fprintf(&b, "| `%s` | `%s` |\n", n, m.Schemas[n])
	}
	for _, t := range sortedKeys(m.Uses) {
		fmt.Fprintf(&b, "\n## `%s` (%d fields)\n\n", t, len(m.Uses[t]))
		for _, p := range m.Uses[t] {
			fmt.Fprintf(&b, "- `%s`\n", p)
		}
	}
	return b.Bytes()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
