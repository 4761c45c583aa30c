package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// renderMethods writes the Client's methods: one per operation, named
// after it, that builds the request with the generated New<Op>Request,
// sends it through the client's transport stack and returns the typed
// success value or an error (see call.go). Each carries the operation's
// summary, description and facts as its doc comment.
func renderMethods(ops []operation, client *goClient) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(generatedHeader)
	b.WriteString("package kalshi\n\nimport (\n\t\"context\"\n\n\t\"github.com/seed-c9ca4919/kalshi/gen\"\n)\n")
	b.WriteString("\n// The operation table's entry of each operation.\nvar (\n")
	for _, op := range ops {
		fmt.Fprintf(&b, "\top%s = operationByID[%q]\n", op.GoName, op.ID)
	}
	b.WriteString(")\n")
	for _, op := range ops {
		ft, ok := client.builds[op.GoName]
		if !ok {
			return nil, fmt.Errorf("operation %s: no New%sRequest in the generated client", op.ID, op.GoName)
		}
		var params, args []string
		for i, f := range ft.Params.List {
			if i == 0 {
				continue // server string
			}
			typ := client.methodType(exprString(f.Type))
			for _, n := range f.Names {
				params = append(params, n.Name+" "+typ)
				args = append(args, n.Name)
			}
		}
		result := "gen.NoContent"
		if op.SuccessBody && op.SuccessType != "" {
			result = qualify(client.resolve(strings.TrimPrefix(op.SuccessType, "*")))
		}
		b.WriteString("\n")
		b.WriteString(methodDoc(op, result))
		fmt.Fprintf(&b, "func (c *Client) %s(ctx context.Context", op.GoName)
		for _, p := range params {
			b.WriteString(", " + p)
		}
		fmt.Fprintf(&b, ") (*%s, error) {\n", result)
		if len(op.PathArgs) != len(op.Params) {
			return nil, fmt.Errorf("operation %s: %d path parameters in the spec, %d in New%sRequest", op.ID, len(op.Params), len(op.PathArgs), op.GoName)
		}
		for i, a := range op.PathArgs {
			if a.Type == "string" {
				fmt.Fprintf(&b, "\tif err := checkPathParam(op%s, %q, %s); err != nil {\n\t\treturn nil, err\n\t}\n", op.GoName, op.Params[i], a.Name)
			}
		}
		fmt.Fprintf(&b, "\treq, err := gen.New%sRequest(c.server", op.GoName)
		for _, a := range args {
			b.WriteString(", " + a)
		}
		b.WriteString(")\n")
		fmt.Fprintf(&b, "\treturn call[%s](ctx, c, op%s, req, err)\n}\n", result, op.GoName)
	}
	return b.Bytes(), nil
}

// methodType is the type of a method parameter: an alias of a predeclared
// type is written as that type (gen.OrderIDPath is a string), an alias of a
// named type as the named type (gen.CreateOrderV2JSONRequestBody is
// gen.CreateOrderV2Request).
func (c *goClient) methodType(typ string) string {
	prefix := ""
	for strings.HasPrefix(typ, "*") || strings.HasPrefix(typ, "[]") {
		n := 1
		if typ[0] == '[' {
			n = 2
		}
		prefix, typ = prefix+typ[:n], typ[n:]
	}
	return prefix + qualify(c.resolve(typ))
}

// methodDoc is the doc comment of an operation's method: its summary, its
// description, and the facts a caller needs (method and path, signature,
// rate limit, what the success value is).
func methodDoc(op operation, result string) string {
	var paras []string
	summary := strings.TrimSuffix(strings.TrimSpace(op.Summary), ".")
	if summary == "" {
		summary = "call " + op.ID
	}
	paras = append(paras, op.GoName+" — "+lowerFirst(summary)+".")
	// The facts line below says whether a key is needed.
	if d := strings.TrimSpace(strings.ReplaceAll(op.Description, "Requires API key authentication.", "")); d != "" {
		paras = append(paras, d)
	}
	var facts []string
	facts = append(facts, fmt.Sprintf("%s %s (%s).", op.Method, op.Path, op.ID))
	if op.Secured {
		facts = append(facts, "Needs an API key.")
	} else {
		facts = append(facts, "Public.")
	}
	if op.facts.Batch != "" {
		facts = append(facts, fmt.Sprintf("Rate limit: %d tokens per item of %s, from the %s bucket.", op.facts.Cost, op.facts.Batch, op.facts.bucketName()))
	} else {
		facts = append(facts, fmt.Sprintf("Rate limit: %d tokens from the %s bucket.", op.facts.Cost, op.facts.bucketName()))
	}
	if op.facts.OrdersAt != "" {
		facts = append(facts, "Orders without a client_order_id get one, so a retry after a lost answer cannot place them twice.")
	}
	if op.Page != nil {
		facts = append(facts, fmt.Sprintf("%s follow the cursor across pages.", strings.Join(append(iteratorNames(op), op.GoName+"Pages"), ", ")))
	}
	if op.SuccessBody {
		facts = append(facts, fmt.Sprintf("Returns the decoded %d answer.", op.SuccessStatus))
	} else {
		facts = append(facts, fmt.Sprintf("Kalshi answers %d without a body: the value is an empty %s.", op.SuccessStatus, result))
	}
	paras = append(paras, strings.Join(facts, " "))
	var b strings.Builder
	for i, p := range paras {
		if i > 0 {
			b.WriteString("//\n")
		}
		for _, line := range wrap(p, 76) {
			b.WriteString("// " + line + "\n")
		}
	}
	return b.String()
}

// lowerFirst lower-cases the first letter of s unless it starts an
// initialism ("API keys" stays).
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// wrap breaks text into lines of at most width runes, at spaces.
func wrap(text string, width int) []string {
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len([]rune(line))+1+len([]rune(w)) > width {
				lines = append(lines, line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		if line != "" {
			lines = append(lines, line)
		}
	}
	return lines
}

// renderSchemas writes the flattened schema table.
func renderSchemas(t *schemaTable) []byte {
	var b bytes.Buffer
	b.WriteString(generatedHeader)
	b.WriteString("package kalshi\n\n")
	b.WriteString("// specSchemas is the declared shape of every response body, flattened\n")
	b.WriteString("// from openapi.yaml for the drift check (drift.go).\n")
	b.WriteString("var specSchemas = [...]schemaNode{\n")
	for i, n := range t.nodes {
		fmt.Fprintf(&b, "\t/* %d */ {kind: %s", i, kindConst(n.Kind))
		if n.Format != "" {
			fmt.Fprintf(&b, ", format: %q", n.Format)
		}
		if len(n.Props) > 0 {
			b.WriteString(", props: []schemaProp{")
			for j, p := range n.Props {
				if j > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "{%q, %d}", p.Name, p.Node)
			}
			b.WriteString("}")
		}
		if len(n.Required) > 0 {
			fmt.Fprintf(&b, ", required: %#v", n.Required)
		}
		fmt.Fprintf(&b, ", items: %d, values: %d", n.Items, n.Values)
		if n.Open {
			b.WriteString(", open: true")
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n\n")
	b.WriteString("// responseSchema returns the node of an operation's 2xx JSON body.\n")
	b.WriteString("func responseSchema(operationID string) (int, bool) {\n\tswitch operationID {\n")
	ids := make([]string, 0, len(t.responses))
	for id := range t.responses {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "\tcase %q:\n\t\treturn %d, true\n", id, t.responses[id])
	}
	b.WriteString("\t}\n\treturn -1, false\n}\n")
	return b.Bytes()
}

func kindConst(k string) string {
	switch k {
	case "object", "array", "string", "number", "integer", "boolean":
		return "kind" + strings.ToUpper(k[:1]) + k[1:]
	}
	return "kindAny"
}
