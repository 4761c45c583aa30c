package main

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// node is a flattened schema: what the drift check (drift.go) needs to know of
// a JSON value's declared shape.
type node struct {
	Kind     string // object, array, string, number, integer, boolean, any
	Format   string
	Props    []prop // sorted by name
	Required []string
	Items    int  // element node of an array, -1 if none
	Open     bool // additionalProperties allowed: keys are not checked
	Values   int  // node of additionalProperties values, -1 if none
}

type prop struct {
	Name string
	Node int
}

// schemaTable flattens the spec's schemas into nodes; component schemas
// are shared, inline ones get their own node.
type schemaTable struct {
	components map[string]map[string]any
	nodes      []node
	byName     map[string]int
	responses  map[string]int // operationId -> node of its 2xx JSON body
}

func loadSchemaTable(specPath string, ops []specOp) (*schemaTable, error) {
	b, err := os.ReadFile(specPath)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Paths      map[string]map[string]map[string]any `yaml:"paths"`
		Components struct {
			Schemas   map[string]map[string]any `yaml:"schemas"`
			Responses map[string]map[string]any `yaml:"responses"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	t := &schemaTable{components: doc.Components.Schemas, byName: map[string]int{}, responses: map[string]int{}}
	names := make([]string, 0, len(t.components))
	for n := range t.components {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.component(n)
	}
	for _, op := range ops {
		operation := doc.Paths[op.Path][strings.ToLower(op.Method)]
		responses, _ := operation["responses"].(map[string]any)
		codes := make([]string, 0, len(responses))
		for c := range responses {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, code := range codes {
			if !strings.HasPrefix(code, "2") {
				continue
			}
			r, _ := responses[code].(map[string]any)
			if ref, ok := r["$ref"].(string); ok {
				r = doc.Components.Responses[refName(ref)]
			}
			content, _ := r["content"].(map[string]any)
			media, _ := content["application/json"].(map[string]any)
			if s, ok := media["schema"].(map[string]any); ok {
				t.responses[op.ID] = t.schema(s)
			}
			break
		}
	}
	return t, nil
}

func refName(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

func (t *schemaTable) component(name string) int {
	if i, ok := t.byName[name]; ok {
		return i
	}
	i := len(t.nodes)
	t.nodes = append(t.nodes, node{Kind: "any", Items: -1, Values: -1})
	t.byName[name] = i
	t.nodes[i] = t.build(t.components[name])
	return i
}

// schema returns the node for a schema object, sharing component nodes.
func (t *schemaTable) schema(s map[string]any) int {
	if ref, ok := s["$ref"].(string); ok {
		return t.component(refName(ref))
	}
	if all, ok := s["allOf"].([]any); ok && len(all) == 1 && len(s) <= 4 {
		if one, ok := all[0].(map[string]any); ok {
			if ref, ok := one["$ref"].(string); ok && s["properties"] == nil {
				return t.component(refName(ref))
			}
		}
	}
	i := len(t.nodes)
	t.nodes = append(t.nodes, node{Kind: "any", Items: -1, Values: -1})
	t.nodes[i] = t.build(s)
	return i
}

func (t *schemaTable) build(s map[string]any) node {
	n := node{Kind: "any", Items: -1, Values: -1}
	if s == nil {
		return n
	}
	if typ, ok := s["type"].(string); ok {
		n.Kind = typ
	}
	n.Format, _ = s["format"].(string)
	props := map[string]int{}
	var required []string
	merge := func(part map[string]any) {
		if ps, ok := part["properties"].(map[string]any); ok {
			// Sorted, so node numbers are the same on every run.
			names := make([]string, 0, len(ps))
			for name := range ps {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				if pm, ok := ps[name].(map[string]any); ok {
					props[name] = t.schema(pm)
				}
			}
		}
		if rs, ok := part["required"].([]any); ok {
			for _, r := range rs {
				required = append(required, fmt.Sprint(r))
			}
		}
	}
	merge(s)
	if all, ok := s["allOf"].([]any); ok {
		for _, a := range all {
			am, ok := a.(map[string]any)
			if !ok {
				continue
			}
			if ref, ok := am["$ref"].(string); ok {
				am = t.components[refName(ref)]
			}
			merge(am)
			if n.Kind == "any" {
				if typ, ok := am["type"].(string); ok {
					n.Kind = typ
				} else if am["properties"] != nil {
					n.Kind = "object"
				}
			}
		}
	}
	if n.Kind == "any" && len(props) > 0 {
		n.Kind = "object"
	}
	if items, ok := s["items"].(map[string]any); ok {
		n.Items = t.schema(items)
	}
	switch ap := s["additionalProperties"].(type) {
	case bool:
		n.Open = ap
	case map[string]any:
		n.Open = true
		n.Values = t.schema(ap)
	}
	if n.Kind == "object" && len(props) == 0 && s["additionalProperties"] == nil {
		n.Open = true // a free-form object
	}
	names := make([]string, 0, len(props))
	for name := range props {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		n.Props = append(n.Props, prop{Name: name, Node: props[name]})
	}
	sort.Strings(required)
	n.Required = dedupe(required)
	return n
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
