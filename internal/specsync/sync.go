package main

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Report says what a Sync did.
type Report struct {
	Operations int      // operations in the published spec
	Schemas    int      // component schemas in the published spec
	Kept       int      // prose elements carried over from our spec
	Defaulted  []string // operations and tags whose prose had to be defaulted
}

// header is written at the top of the merged spec.
const header = `This file describes Kalshi's Trade API v2 REST interface. Its interface facts
(paths, operations, parameters, schemas, types, enums, required lists and the
x- code generation hints) are exactly those of the spec Kalshi publishes; its
prose is written for this project. Rebuild it from a newer published spec with
  go run ./internal/specsync -kalshi path/to/kalshi-openapi.yaml
which keeps the prose below for every element that still exists.`

// proseKeys are the keywords whose values are prose rather than interface facts.
var proseKeys = map[string]bool{"description": true, "summary": true, "title": true}

// droppedKeys are keywords whose values are the publisher's own examples;
// they are left out of our spec. Extensions (x-...) are kept verbatim: they
// are part of the published interface (code generation hints, and notes on
// rate-limit costs and deprecations).
var droppedKeys = map[string]bool{"example": true, "examples": true}

// nameMapKeys are keywords whose mapping values are keyed by names chosen by
// the API (paths, property names, status codes, media types...), so a key
// such as "description" inside them is a name, not a keyword.
var nameMapKeys = map[string]bool{
	"paths": true, "properties": true, "schemas": true, "responses": true,
	"content": true, "securitySchemes": true, "headers": true, "links": true,
	"callbacks": true, "requestBodies": true, "variables": true, "encoding": true,
	"mapping": true, "parameters": true, "patternProperties": true,
	"definitions": true, "scopes": true,
}

// Sync merges the interface facts of published with the prose of ours
// (which may be empty) and returns the YAML to write.
func Sync(published, ours []byte) ([]byte, Report, error) {
	var report Report
	pubDoc, err := parse(published)
	if err != nil {
		return nil, report, fmt.Errorf("published spec: %w", err)
	}
	prose := map[string]string{}
	paramProse := map[string]string{}
	if len(bytes.TrimSpace(ours)) > 0 {
		ourDoc, err := parse(ours)
		if err != nil {
			return nil, report, fmt.Errorf("our spec: %w", err)
		}
		collectProse(ourDoc, "", false, prose)
		for k, v := range prose {
			// Parameter descriptions are also reusable by name, so a
			// parameter that moves (or appears on a new operation) keeps
			// the description written for its name.
			if name, ok := parameterName(k); ok {
				paramProse[name] = v
			}
		}
	}
	m := &merger{prose: prose, paramProse: paramProse, report: &report}
	m.walk(pubDoc, "", false)
	m.fillRequired(pubDoc)
	countElements(pubDoc, &report)
	sort.Strings(report.Defaulted)

	pubDoc.HeadComment = header
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{pubDoc}, HeadComment: ""}); err != nil {
		return nil, report, err
	}
	if err := enc.Close(); err != nil {
		return nil, report, err
	}
	return buf.Bytes(), report, nil
}

// parse decodes YAML into its root mapping node.
func parse(b []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("not an OpenAPI document: the top level must be a mapping")
	}
	return doc.Content[0], nil
}

// segment names a sequence item stably: by name (and location) for
// parameters and tags, by URL for servers, by $ref, else by index.
func segment(item *yaml.Node, index int) string {
	if item.Kind == yaml.MappingNode {
		if name := value(item, "name"); name != "" {
			if in := value(item, "in"); in != "" {
				return name + "@" + in
			}
			return name
		}
		if u := value(item, "url"); u != "" {
			return u
		}
		if ref := value(item, "$ref"); ref != "" {
			return ref
		}
	}
	return strconv.Itoa(index)
}

// value returns the scalar value of key in mapping n, or "".
func value(n *yaml.Node, key string) string {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

func escape(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// parameterName reports the parameter name when key is the description of a
// parameter object (".../parameters/<name>@<in>/description" or a
// component parameter).
func parameterName(key string) (string, bool) {
	parts := strings.Split(key, "/")
	if len(parts) < 3 || parts[len(parts)-1] != "description" || parts[len(parts)-3] != "parameters" {
		return "", false
	}
	seg := strings.ReplaceAll(strings.ReplaceAll(parts[len(parts)-2], "~1", "/"), "~0", "~")
	name, in, ok := strings.Cut(seg, "@")
	if !ok {
		return "", false
	}
	return name + "@" + in, true
}

// collectProse records every prose value of n by its stable pointer.
func collectProse(n *yaml.Node, path string, isNameMap bool, out map[string]string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i].Value, n.Content[i+1]
			p := path + "/" + escape(k)
			switch {
			case isNameMap:
				collectProse(v, p, false, out)
			case strings.HasPrefix(k, "x-"):
			case proseKeys[k] && v.Kind == yaml.ScalarNode:
				out[p] = v.Value
			default:
				collectProse(v, p, nameMapKeys[k] && v.Kind == yaml.MappingNode, out)
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			collectProse(item, path+"/"+escape(segment(item, i)), false, out)
		}
	}
}

type merger struct {
	prose      map[string]string
	paramProse map[string]string
	report     *Report
}

// walk rewrites n in place: prose replaced by ours (or defaulted or
// dropped), publisher content dropped, comments cleared, facts untouched.
func (m *merger) walk(n *yaml.Node, path string, isNameMap bool) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	switch n.Kind {
	case yaml.MappingNode:
		kept := n.Content[:0:0]
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, v := n.Content[i], n.Content[i+1]
			kn.HeadComment, kn.LineComment, kn.FootComment = "", "", ""
			k := kn.Value
			p := path + "/" + escape(k)
			switch {
			case isNameMap:
				m.walk(v, p, false)
			case droppedKeys[k]:
				continue
			case strings.HasPrefix(k, "x-"):
				clearComments(v)
			case proseKeys[k] && v.Kind == yaml.ScalarNode:
				text, ok := m.lookup(p)
				if !ok {
					text, ok = defaultProse(p, n)
				}
				if !ok {
					continue
				}
				v.Value, v.Style, v.Tag = text, styleFor(text), "!!str"
			default:
				m.walk(v, p, nameMapKeys[k] && v.Kind == yaml.MappingNode)
			}
			kept = append(kept, kn, v)
		}
		n.Content = kept
		if !isNameMap {
			m.addMissingProse(n, path)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			m.walk(item, path+"/"+escape(segment(item, i)), false)
		}
	default:
		// Scalars are facts.
	}
}

// addMissingProse inserts prose we wrote for a position where the
// published spec has none.
func (m *merger) addMissingProse(n *yaml.Node, path string) {
	for _, k := range []string{"description", "summary", "title"} {
		if has(n, k) {
			continue
		}
		text, ok := m.prose[path+"/"+k]
		if !ok {
			continue
		}
		m.report.Kept++
		kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}
		vn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Style: styleFor(text)}
		n.Content = append([]*yaml.Node{kn, vn}, n.Content...)
	}
}

func (m *merger) lookup(p string) (string, bool) {
	if text, ok := m.prose[p]; ok {
		m.report.Kept++
		return text, true
	}
	if name, ok := parameterName(p); ok {
		if text, ok := m.paramProse[name]; ok {
			m.report.Kept++
			return text, true
		}
	}
	return "", false
}

// defaultProse gives the text used where we have written none yet. Only
// prose that OpenAPI requires or that users read first gets a default; the
// rest is left out until written.
func defaultProse(p string, parent *yaml.Node) (string, bool) {
	parts := strings.Split(p, "/")
	last := parts[len(parts)-1]
	switch {
	case p == "/info/title":
		return "Kalshi Trade API v2", true
	case p == "/info/description":
		return "REST interface of Kalshi's regulated prediction-market exchange.", true
	case len(parts) == 5 && parts[1] == "paths" && last == "summary":
		return summaryFromOperationID(value(parent, "operationId")), true
	case len(parts) >= 3 && parts[len(parts)-3] == "responses" && last == "description":
		return responseDescription(parts[len(parts)-2]), true
	}
	return "", false
}

// fillRequired adds the prose OpenAPI requires (response descriptions,
// info.title) where the published spec omitted it, and records operations
// and tags that still carry a default.
func (m *merger) fillRequired(root *yaml.Node) {
	paths := child(root, "paths")
	if paths == nil {
		return
	}
	for i := 0; i+1 < len(paths.Content); i += 2 {
		item := paths.Content[i+1]
		for j := 0; j+1 < len(item.Content); j += 2 {
			method, op := item.Content[j].Value, item.Content[j+1]
			if op.Kind != yaml.MappingNode || !httpMethods[method] {
				continue
			}
			p := "/paths/" + escape(paths.Content[i].Value) + "/" + method + "/summary"
			if _, ok := m.prose[p]; !ok {
				id := value(op, "operationId")
				m.report.Defaulted = append(m.report.Defaulted, "operation "+id+" summary")
				if !has(op, "summary") {
					setFirst(op, "summary", summaryFromOperationID(id))
				}
			}
		}
	}
	if tags := child(root, "tags"); tags != nil {
		for i, t := range tags.Content {
			p := "/tags/" + escape(segment(t, i)) + "/description"
			if _, ok := m.prose[p]; !ok {
				m.report.Defaulted = append(m.report.Defaulted, "tag "+value(t, "name")+" description")
			}
		}
	}
}

var httpMethods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "patch": true, "head": true, "options": true, "trace": true}

func countElements(root *yaml.Node, r *Report) {
	if paths := child(root, "paths"); paths != nil {
		for i := 1; i < len(paths.Content); i += 2 {
			item := paths.Content[i]
			for j := 0; j+1 < len(item.Content); j += 2 {
				if httpMethods[item.Content[j].Value] {
					r.Operations++
				}
			}
		}
	}
	if comps := child(root, "components"); comps != nil {
		if s := child(comps, "schemas"); s != nil {
			r.Schemas = len(s.Content) / 2
		}
	}
}

func child(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func has(n *yaml.Node, key string) bool { return child(n, key) != nil }

func setFirst(n *yaml.Node, key, text string) {
	kn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}
	vn := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Style: styleFor(text)}
	n.Content = append([]*yaml.Node{kn, vn}, n.Content...)
}

func clearComments(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		clearComments(c)
	}
}

// styleFor picks a readable YAML style: literal blocks for multi-line text.
func styleFor(text string) yaml.Style {
	if strings.Contains(text, "\n") {
		return yaml.LiteralStyle
	}
	return 0
}

// summaryFromOperationID turns "GetMarketCandlesticks" into
// "Get market candlesticks", keeping initialisms such as RFQ and FCM.
func summaryFromOperationID(id string) string {
	var words []string
	runes := []rune(id)
	start := 0
	for i := 1; i <= len(runes); i++ {
		if i == len(runes) || (unicode.IsUpper(runes[i]) && (unicode.IsLower(runes[i-1]) ||
			(i+1 < len(runes) && unicode.IsLower(runes[i+1])))) || (unicode.IsDigit(runes[i]) != unicode.IsDigit(runes[i-1]) && unicode.IsLetter(runes[i]) && unicode.IsLower(runes[i])) {
			words = append(words, string(runes[start:i]))
			start = i
		}
	}
	for i, w := range words {
		if i > 0 && !isInitialism(w) {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

func isInitialism(w string) bool {
	if len(w) < 2 {
		return false
	}
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

func responseDescription(code string) string {
	if n, err := strconv.Atoi(code); err == nil {
		if text := http.StatusText(n); text != "" {
			return text
		}
	}
	if code == "default" {
		return "Error"
	}
	// Component responses are keyed by name, e.g. "NotFoundError".
	return summaryFromOperationID(code)
}
