package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"sort"
	"strings"
)

// renderMethods writes, for every <Op>WithResponse method of the generated
// client, a method of the same name on kalshi.Client that sends the
// request the same way and decodes the answer through decodeResponse
// (tolerant decoding and drift reports).
func renderMethods(ops []operation, client *goClient) ([]byte, error) {
	byGoName := map[string]operation{}
	for _, op := range ops {
		byGoName[op.GoName] = op
	}
	names := make([]string, 0, len(client.methods))
	for n := range client.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	b.WriteString(generatedHeader)
	b.WriteString("package kalshi\n\nimport (\n\t\"context\"\n\t\"io\"\n\n\t\"github.com/seed-c9ca4919/kalshi/gen\"\n)\n\nvar _ io.Reader // used by the WithBody variants\n")
	for _, name := range names {
		raw := strings.TrimSuffix(name, "WithResponse")
		opName := strings.TrimSuffix(raw, "WithBody")
		op, ok := byGoName[opName]
		if !ok {
			return nil, fmt.Errorf("method %s matches no operation", name)
		}
		ft := client.methods[name]
		var params, args []string
		for _, f := range ft.Params.List {
			typ := qualify(exprString(f.Type))
			for _, n := range f.Names {
				params = append(params, n.Name+" "+typ)
				arg := n.Name
				if _, variadic := f.Type.(*ast.Ellipsis); variadic {
					arg += "..."
				}
				args = append(args, arg)
			}
		}
		if ft.Results == nil || len(ft.Results.List) != 2 {
			return nil, fmt.Errorf("method %s: unexpected results", name)
		}
		wrapper := strings.TrimPrefix(exprString(ft.Results.List[0].Type), "*")
		fmt.Fprintf(&b, `
// %[1]s sends %[2]s (%[3]s %[4]s) and decodes the answer. A 2xx body
// that does not match the spec is decoded leniently and reported to the
// drift reporter; wrap the call in Result for the typed body or an error.
func (c *Client) %[1]s(%[5]s) (*gen.%[6]s, error) {
	rsp, err := c.ClientWithResponses.%[7]s(%[8]s)
	if err != nil {
		return nil, err
	}
	return decodeResponse(c, %[2]q, rsp, gen.Parse%[6]s)
}
`, name, op.ID, op.Method, op.Path, strings.Join(params, ", "), wrapper, raw, strings.Join(args, ", "))
	}
	return b.Bytes(), nil
}

// renderSchemas writes the flattened schema table.
func renderSchemas(t *schemaTable) []byte {
	var b bytes.Buffer
	b.WriteString(generatedHeader)
	b.WriteString("package kalshi\n\n")
	b.WriteString("// specSchemas is the declared shape of every response body, flattened\n")
	b.WriteString("// from openapi.yaml for the response inspector.\n")
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
