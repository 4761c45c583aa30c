package main

// Name rule: a Go name for every inline object schema.
//
// oapi-codegen writes an inline object schema as an anonymous struct, so a
// user cannot write a literal of it (the items of a batch cancel, say). The
// rule names each one after where it sits, in the component schema's Go
// name:
//
//   - an inline object property P of schema S is S + P ("PlayByPlay" +
//     "periods" item -> "PlayByPlayPeriod");
//   - the inline object items of an array property P are S + P in the
//     singular ("BatchCancelOrdersV2Request" + "orders" ->
//     "BatchCancelOrdersV2RequestOrder");
//   - nested inline objects take their parent's new name as S;
//   - a name already taken gets "Item" appended (then a number).
//
// Names follow oapi-codegen's name normalizer with the initialisms of
// gen/config.yaml, so they read like the generated names around them.

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// InlineNames maps overlay targets to the Go type names they get.
type InlineNames map[string]string

// nameSchema is what the name rule reads of a schema.
type nameSchema struct {
	Type       string                 `yaml:"type"`
	Ref        string                 `yaml:"$ref"`
	GoType     string                 `yaml:"x-go-type"`
	GoTypeName string                 `yaml:"x-go-type-name"`
	AllOf      []*nameSchema          `yaml:"allOf"`
	Items      *nameSchema            `yaml:"items"`
	Properties map[string]*nameSchema `yaml:"properties"`
}

// inlineObject reports whether s is an object schema written in place
// (not a reference, not already given a Go type).
func (s *nameSchema) inlineObject() bool {
	return s != nil && s.Ref == "" && s.GoType == "" && s.GoTypeName == "" && len(s.Properties) > 0
}

// NameInline applies the rule to a spec.
func NameInline(spec []byte, initialisms []string) (InlineNames, error) {
	var doc struct {
		Components struct {
			Schemas map[string]*nameSchema `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, err
	}
	n := namer{goName: newGoNamer(initialisms), taken: map[string]bool{}, out: InlineNames{}}
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
		n.taken[n.goName(name)] = true
	}
	sort.Strings(names)
	for _, name := range names {
		n.walk(n.goName(name), "$.components.schemas['"+name+"']", doc.Components.Schemas[name])
	}
	return n.out, nil
}

type namer struct {
	goName func(string) string
	taken  map[string]bool
	out    InlineNames
}

func (n *namer) walk(parent, target string, s *nameSchema) {
	if s == nil {
		return
	}
	for i, part := range s.AllOf {
		if part.Ref == "" {
			n.walk(parent, fmt.Sprintf("%s.allOf[%d]", target, i), part)
		}
	}
	props := make([]string, 0, len(s.Properties))
	for p := range s.Properties {
		props = append(props, p)
	}
	sort.Strings(props)
	for _, p := range props {
		ps := s.Properties[p]
		pt := target + ".properties['" + p + "']"
		switch {
		case ps.inlineObject():
			name := n.claim(parent + n.goName(p))
			n.out[pt] = name
			n.walk(name, pt, ps)
		case ps.Items.inlineObject():
			name := n.claim(parent + n.goName(singular(p)))
			n.out[pt+".items"] = name
			n.walk(name, pt+".items", ps.Items)
		}
	}
}

// claim returns name, or a variant of it that no other type has.
func (n *namer) claim(name string) string {
	candidate := name
	if n.taken[candidate] {
		candidate = name + "Item"
	}
	for i := 2; n.taken[candidate]; i++ {
		candidate = name + "Item" + strconv.Itoa(i)
	}
	n.taken[candidate] = true
	return candidate
}

// singular turns a plural property name into the name of one item:
// orders -> order, entries -> entry; others gain "_item".
func singular(p string) string {
	switch {
	case strings.HasSuffix(p, "ies") && len(p) > 3:
		return p[:len(p)-3] + "y"
	case strings.HasSuffix(p, "sses"), strings.HasSuffix(p, "xes"):
		return p[:len(p)-2]
	case strings.HasSuffix(p, "s") && !strings.HasSuffix(p, "ss"):
		return p[:len(p)-1]
	}
	return p + "_item"
}

// Actions renders the overlay actions, sorted by target.
func (names InlineNames) Actions() []byte {
	targets := make([]string, 0, len(names))
	for t := range names {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	var b bytes.Buffer
	for _, t := range targets {
		fmt.Fprintf(&b, "  - target: %s\n    update:\n      x-go-type-name: %s\n", t, names[t])
	}
	return b.Bytes()
}

// The name normalizer of oapi-codegen's ToCamelCaseWithInitialisms: words
// are split at separators and at upper-case letters, each is capitalised,
// and a word that is an initialism is written as one.
var (
	wordParts           = regexp.MustCompile(`[\p{Lu}\d]+([\p{Ll}\d]+|$)`)
	standardInitialisms = []string{
		"ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS", "ID", "IP", "JSON",
		"QPS", "RAM", "RPC", "SLA", "SMTP", "SQL", "SSH", "TCP", "TLS", "TTL", "UDP", "UI", "GID", "UID", "UUID",
		"URI", "URL", "UTF8", "VM", "XML", "XMPP", "XSRF", "XSS", "SIP", "RTP", "AMQP", "DB", "TS",
	}
)

func newGoNamer(additional []string) func(string) string {
	byLower := map[string]string{}
	for _, s := range append(append([]string{}, standardInitialisms...), additional...) {
		byLower[strings.ToLower(s)] = s
	}
	return func(s string) string {
		var camel strings.Builder
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			camel.WriteString(string(r))
		}
		parts := wordParts.FindAllString(camel.String(), -1)
		for i, p := range parts {
			if v, ok := byLower[strings.ToLower(p)]; ok {
				parts[i] = v
			}
		}
		return strings.Join(parts, "")
	}
}

// loadInitialisms reads the additional initialisms of oapi-codegen's
// configuration.
func loadInitialisms(configPath string) ([]string, error) {
	b, err := os.ReadFile(configPath)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		OutputOptions struct {
			AdditionalInitialisms []string `yaml:"additional-initialisms"`
		} `yaml:"output-options"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", configPath, err)
	}
	return cfg.OutputOptions.AdditionalInitialisms, nil
}
