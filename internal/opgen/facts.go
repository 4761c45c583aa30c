package main

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// facts is gen/operations.yaml: Kalshi's facts about operations that the
// spec does not state in a form a generator can read.
type facts struct {
	DefaultCost int                 `yaml:"default_cost"`
	Operations  map[string]opFacts  `yaml:"operations"`
	Retired     []retiredEndpoint   `yaml:"retired"`
	warnings    []string            // facts that no longer fit the spec
	byID        map[string]*opFacts // Operations after validation
}

type opFacts struct {
	Bucket     string `yaml:"bucket"`
	Cost       int    `yaml:"cost"`
	Batch      string `yaml:"batch"`
	OrdersAt   string `yaml:"orders_at"`
	Repeatable *bool  `yaml:"repeatable"`
}

type retiredEndpoint struct {
	Method      string `yaml:"method"`
	Path        string `yaml:"path"`
	Replacement string `yaml:"replacement"`
}

var ordersAtRE = regexp.MustCompile(`^\$(\.([a-z_][a-z0-9_]*)\[\*\])?$`)

func loadFacts(path string) (*facts, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f facts
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.DefaultCost <= 0 {
		return nil, fmt.Errorf("%s: default_cost must be a positive number of tokens", path)
	}
	for id, o := range f.Operations {
		switch {
		case o.Bucket != "" && o.Bucket != "read" && o.Bucket != "write":
			return nil, fmt.Errorf("%s: %s: bucket %q: use read or write", path, id, o.Bucket)
		case o.Cost < 0:
			return nil, fmt.Errorf("%s: %s: negative cost %d", path, id, o.Cost)
		case o.OrdersAt != "" && !ordersAtRE.MatchString(o.OrdersAt):
			return nil, fmt.Errorf("%s: %s: orders_at %q: use $ or $.list[*]", path, id, o.OrdersAt)
		}
	}
	for _, r := range f.Retired {
		if r.Method == "" || !strings.HasPrefix(r.Path, "/") || r.Replacement == "" {
			return nil, fmt.Errorf("%s: retired endpoint %+v needs a method, a path and a replacement", path, r)
		}
	}
	return &f, nil
}

// check matches the facts against the spec and the generated types: a fact
// about an operation the spec no longer has, or about a request body field
// it no longer has, is dropped with a warning, so that regeneration from a
// newer spec never fails on it (the tests then say what is missing).
func (f *facts) check(ops []operation, client *goClient) {
	f.byID = map[string]*opFacts{}
	known := map[string]operation{}
	for _, op := range ops {
		known[op.ID] = op
	}
	ids := make([]string, 0, len(f.Operations))
	for id := range f.Operations {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		o := f.Operations[id]
		op, ok := known[id]
		if !ok {
			f.warn("operation %s is not in the spec; its facts are ignored", id)
			continue
		}
		body := client.fieldsOf(op.BodyType)
		if o.Batch != "" && listField(body, o.Batch) == nil {
			f.warn("%s: the request body has no list %q to charge per item; it is charged once", id, o.Batch)
			o.Batch = ""
		}
		if o.OrdersAt != "" && !hasClientOrderID(client, body, o.OrdersAt) {
			f.warn("%s: no client_order_id at %s in the request body; the client cannot make it safe to repeat", id, o.OrdersAt)
			o.OrdersAt = ""
		}
		f.byID[id] = &o
	}
	for i := 0; i < len(f.Retired); i++ {
		if _, ok := known[f.Retired[i].Replacement]; !ok {
			f.warn("retired %s %s: its replacement %s is not in the spec", f.Retired[i].Method, f.Retired[i].Path, f.Retired[i].Replacement)
		}
	}
}

func (f *facts) warn(format string, args ...any) {
	f.warnings = append(f.warnings, fmt.Sprintf(format, args...))
}

// listField returns the field of a body whose JSON name is name and whose
// type is a slice.
func listField(fields []goField, name string) *goField {
	for i, fl := range fields {
		if fl.JSONTag == name && (strings.HasPrefix(fl.Type, "[]") || strings.HasPrefix(fl.Type, "*[]")) {
			return &fields[i]
		}
	}
	return nil
}

// hasClientOrderID reports whether the order at a location of orders_at
// has a client_order_id field.
func hasClientOrderID(client *goClient, body []goField, at string) bool {
	orders := body
	if m := ordersAtRE.FindStringSubmatch(at); m[2] != "" {
		list := listField(body, m[2])
		if list == nil {
			return false
		}
		orders = client.fieldsOf(strings.TrimLeft(list.Type, "*[]"))
	}
	for _, fl := range orders {
		if fl.JSONTag == "client_order_id" {
			return true
		}
	}
	return false
}

// of returns the facts of an operation, the defaults filled in.
func (f *facts) of(op operation) resolvedFacts {
	r := resolvedFacts{Bucket: "ReadBucket", Cost: f.DefaultCost}
	switch op.Method {
	case "GET", "HEAD", "PUT", "DELETE", "OPTIONS":
		r.Repeatable = true
	}
	o := f.byID[op.ID]
	if o == nil {
		return r
	}
	if o.Bucket == "write" {
		r.Bucket = "WriteBucket"
	}
	if o.Cost > 0 {
		r.Cost = o.Cost
	}
	r.Batch, r.OrdersAt = o.Batch, o.OrdersAt
	if o.Repeatable != nil {
		r.Repeatable = *o.Repeatable
	}
	return r
}

func (r resolvedFacts) bucketName() string {
	if r.Bucket == "WriteBucket" {
		return "write"
	}
	return "read"
}

type resolvedFacts struct {
	Bucket     string // Go constant
	Cost       int
	Batch      string
	OrdersAt   string
	Repeatable bool
}
