// Package specread reads the operations of an OpenAPI file: what the code
// generators and the spec-driven tests need to know of each one.
package specread

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Operation is one operation of the spec.
type Operation struct {
	ID      string   // operationId, e.g. "GetMarkets"
	Method  string   // upper case, e.g. "GET"
	Path    string   // template below the server URL, e.g. "/markets/{ticker}"
	Params  []string // path parameter names in template order
	HasBody bool     // the operation takes a request body
	Secured bool     // the operation requires the API-key signature
	// CursorParam is the query parameter that takes a pagination cursor
	// ("cursor", "page_token" or a name ending in "_cursor"), "" if none.
	CursorParam string
	Statuses    []string // documented response status codes, sorted
	Summary     string   // one line of what it does
	Description string   // the longer account, "" if none
	// SuccessStatus is the documented success status: the lowest 2xx
	// code with a JSON body, else the lowest 2xx code; 0 when none is
	// documented.
	SuccessStatus int
	// SuccessBody reports whether that success answer has a JSON body.
	SuccessBody bool
}

// response is what Load reads of a response: whether it has a JSON body.
type response struct {
	Ref     string         `yaml:"$ref"`
	Content map[string]any `yaml:"content"`
}

func (r response) jsonBody() bool {
	for mediaType := range r.Content {
		if mediaType == "application/json" || strings.HasSuffix(mediaType, "+json") {
			return true
		}
	}
	return false
}

var paramRE = regexp.MustCompile(`\{([^}]+)\}`)

// Load reads the operations of the spec at path, sorted by path and method.
func Load(path string) ([]Operation, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Security []map[string][]string `yaml:"security"`
		Paths    map[string]map[string]struct {
			OperationID string                 `yaml:"operationId"`
			Summary     string                 `yaml:"summary"`
			Description string                 `yaml:"description"`
			RequestBody map[string]any         `yaml:"requestBody"`
			Security    *[]map[string][]string `yaml:"security"`
			Responses   map[string]response    `yaml:"responses"`
			Parameters  []struct {
				Ref  string `yaml:"$ref"`
				Name string `yaml:"name"`
				In   string `yaml:"in"`
			} `yaml:"parameters"`
		} `yaml:"paths"`
		Components struct {
			Responses  map[string]response `yaml:"responses"`
			Parameters map[string]struct {
				Name string `yaml:"name"`
				In   string `yaml:"in"`
			} `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var ops []Operation
	for p, item := range doc.Paths {
		for method, op := range item {
			if op.OperationID == "" {
				continue
			}
			o := Operation{ID: op.OperationID, Method: strings.ToUpper(method), Path: p, HasBody: op.RequestBody != nil,
				Summary: strings.TrimSpace(op.Summary), Description: strings.TrimSpace(op.Description)}
			for _, m := range paramRE.FindAllStringSubmatch(p, -1) {
				o.Params = append(o.Params, m[1])
			}
			sec := doc.Security
			if op.Security != nil {
				sec = *op.Security
			}
			for _, req := range sec {
				if _, ok := req["kalshiAccessKey"]; ok {
					o.Secured = true
				}
			}
			for _, prm := range op.Parameters {
				name, in := prm.Name, prm.In
				if prm.Ref != "" {
					c := doc.Components.Parameters[prm.Ref[strings.LastIndex(prm.Ref, "/")+1:]]
					name, in = c.Name, c.In
				}
				if in == "query" && IsCursorName(name) {
					o.CursorParam = name
				}
			}
			for code := range op.Responses {
				o.Statuses = append(o.Statuses, code)
			}
			sort.Strings(o.Statuses)
			for _, code := range o.Statuses {
				n, err := strconv.Atoi(code)
				if err != nil || n < 200 || n > 299 || o.SuccessBody {
					continue
				}
				r := op.Responses[code]
				if r.Ref != "" {
					r = doc.Components.Responses[r.Ref[strings.LastIndex(r.Ref, "/")+1:]]
				}
				if o.SuccessStatus == 0 || r.jsonBody() {
					o.SuccessStatus, o.SuccessBody = n, r.jsonBody()
				}
			}
			ops = append(ops, o)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return ops, nil
}

// IsCursorName reports whether a query parameter or response field of that
// name carries a pagination cursor: "cursor", "next_cursor",
// "page_token", "next_page_token" and the like.
func IsCursorName(name string) bool {
	return strings.HasSuffix(name, "cursor") || strings.HasSuffix(name, "page_token")
}
