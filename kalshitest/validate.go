package kalshitest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/kalshitest/internal/api"
)

// operation is one operation of the spec as the fake routes it.
type operation struct {
	id       string
	secured  bool
	facts    gen.Operation // the operation table's entry: rate-limit bucket and cost
	method   string
	path     string   // template below BasePath, e.g. "/markets/{ticker}"
	segments []string // the template's segments
	route    *routers.Route
	serve    http.HandlerFunc // the generated wrapper: binds parameters, calls the handler
}

// routeTable finds the operation of a request. It matches path templates
// segment by segment, a literal segment winning over a parameter at the
// first place they differ. (http.ServeMux cannot hold Kalshi's paths: it
// refuses /live_data/milestone/{milestone_id}/game_stats beside
// /live_data/{type}/milestone/{milestone_id} as ambiguous, so the
// generated std-http router would panic.)
type routeTable struct {
	base string
	ops  []*operation
}

func newRouteTable(spec *openapi3.T, base string, wrapper *api.ServerInterfaceWrapper) (*routeTable, error) {
	handlers := wrapperMethods(wrapper)
	// The embedded spec carries Go names as operationIds (GetAPIKeys);
	// gen's table has Kalshi's own (GetApiKeys), which errors and costs use.
	table := map[string]gen.Operation{}
	for _, o := range gen.Operations() {
		table[o.Method+" "+o.Path] = o
	}
	t := &routeTable{base: base}
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			sec := spec.Security
			if op.Security != nil {
				sec = *op.Security
			}
			secured := false
			for _, req := range sec {
				if _, ok := req["kalshiAccessKey"]; ok {
					secured = true
				}
			}
			serve, ok := handlers[strings.ToLower(op.OperationID)]
			if !ok {
				return nil, fmt.Errorf("kalshitest: the generated server has no method for %s", op.OperationID)
			}
			facts, ok := table[method+" "+path]
			if !ok {
				// An operation the client's table lacks (a kalshitest built
				// from a newer spec): a read at the default cost.
				facts = gen.Operation{ID: op.OperationID, Method: method, Path: path, Bucket: gen.ReadBucket, Cost: gen.DefaultCost}
			}
			t.ops = append(t.ops, &operation{
				id: facts.ID, secured: secured, facts: facts, method: method, path: path,
				segments: strings.Split(strings.Trim(path, "/"), "/"),
				route:    &routers.Route{Spec: spec, Path: path, PathItem: item, Method: method, Operation: op},
				serve:    serve,
			})
		}
	}
	return t, nil
}

// wrapperMethods maps the lower-cased names of the generated wrapper's
// methods (the operationIds, with Go initialisms) to the methods.
func wrapperMethods(w *api.ServerInterfaceWrapper) map[string]http.HandlerFunc {
	out := map[string]http.HandlerFunc{}
	v := reflect.ValueOf(w)
	for i := 0; i < v.NumMethod(); i++ {
		if f, ok := v.Method(i).Interface().(func(http.ResponseWriter, *http.Request)); ok {
			out[strings.ToLower(v.Type().Method(i).Name)] = f
		}
	}
	return out
}

// match returns the operation of r and its path parameters, unescaped;
// methodOK is false when the path exists but not for r's method.
func (t *routeTable) match(r *http.Request) (op *operation, params map[string]string, found, methodOK bool) {
	rest, ok := strings.CutPrefix(r.URL.EscapedPath(), t.base)
	if !ok {
		return nil, nil, false, false
	}
	segs := strings.Split(strings.Trim(rest, "/"), "/")
	var best *operation
	for _, o := range t.ops {
		if len(o.segments) != len(segs) || !segmentsMatch(o.segments, segs) {
			continue
		}
		found = true
		if o.method != r.Method {
			continue
		}
		if best == nil || moreLiteral(o.segments, best.segments) {
			best = o
		}
	}
	if best == nil {
		return nil, nil, found, false
	}
	params = map[string]string{}
	for i, p := range best.segments {
		if isParam(p) {
			v, err := url.PathUnescape(segs[i])
			if err != nil {
				v = segs[i]
			}
			params[strings.Trim(p, "{}")] = v
		}
	}
	return best, params, true, true
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func segmentsMatch(tmpl, segs []string) bool {
	for i, p := range tmpl {
		if !isParam(p) && p != segs[i] {
			return false
		}
		if isParam(p) && segs[i] == "" {
			return false
		}
	}
	return true
}

// moreLiteral reports whether template a has a literal segment where b
// has a parameter, at the first place they differ in kind.
func moreLiteral(a, b []string) bool {
	for i := range a {
		if isParam(a[i]) != isParam(b[i]) {
			return !isParam(a[i])
		}
	}
	return false
}

// validator checks requests against the spec with kin-openapi.
type validator struct {
	opts *openapi3filter.Options
}

func newValidator() *validator {
	return &validator{opts: &openapi3filter.Options{
		AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc, // signatures are checked by auth.go
		SkipSettingDefaults: true,                                  // leave the request as it was sent
	}}
}

// check validates r for op and returns the error Kalshi would answer:
// a bare {"msg"} for parameters (as Kalshi's parameter validation does),
// the flat bad_request shape for bodies.
func (v *validator) check(ctx context.Context, r *http.Request, op *operation, params map[string]string) error {
	err := openapi3filter.ValidateRequest(ctx, &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: op.route, Options: v.opts,
	})
	if err == nil {
		return nil
	}
	var re *openapi3filter.RequestError
	if errors.As(err, &re) {
		switch {
		case re.Parameter != nil:
			return errParam(fmt.Sprintf("Parameter validation failed for %s: %s %q: %s", op.id, re.Parameter.In, re.Parameter.Name, reason(re)))
		case re.RequestBody != nil:
			return errBadRequest(reason(re))
		}
	}
	return errBadRequest(err.Error())
}

// reason is the most specific text of a validation error.
func reason(re *openapi3filter.RequestError) string {
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		field := strings.Join(se.JSONPointer(), ".")
		if field != "" {
			return field + ": " + se.Reason
		}
		return se.Reason
	}
	if re.Err != nil {
		if re.Reason != "" {
			return re.Reason + ": " + re.Err.Error()
		}
		return re.Err.Error()
	}
	return re.Reason
}
