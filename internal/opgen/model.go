package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/seed-c9ca4919/kalshi/internal/specread"
)

// specOp is what opgen needs from one operation of the spec.
type specOp = specread.Operation

func loadSpec(path string) ([]specOp, error) {
	ops, err := specread.Load(path)
	if err != nil {
		return nil, err
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	return ops, nil
}

// goField is a field of a generated struct.
type goField struct {
	Name    string
	Type    string // Go source of the type, e.g. "*string", "[]Market"
	JSONTag string // json name without options
	FormTag string // form name without options
}

// goClient is what opgen reads from oapi-codegen's output.
type goClient struct {
	structs map[string][]goField     // struct types by name
	aliases map[string]string        // alias name -> aliased type source
	methods map[string]*ast.FuncType // ClientWithResponses methods
	builds  map[string]*ast.FuncType // New<Op>Request functions, by Go name of the operation
}

func loadClient(path string) (*goClient, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		return nil, err
	}
	c := &goClient{structs: map[string][]goField{}, aliases: map[string]string{}, methods: map[string]*ast.FuncType{}, builds: map[string]*ast.FuncType{}}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				ts, ok := spec.(*ast.TypeSpec)
				if !ok {
					continue
				}
				if ts.Assign.IsValid() {
					c.aliases[ts.Name.Name] = exprString(ts.Type)
					continue
				}
				st, ok := ts.Type.(*ast.StructType)
				if !ok {
					continue
				}
				var fields []goField
				for _, fl := range st.Fields.List {
					var tag reflect.StructTag
					if fl.Tag != nil {
						s, _ := strconv.Unquote(fl.Tag.Value)
						tag = reflect.StructTag(s)
					}
					for _, n := range fl.Names {
						fields = append(fields, goField{
							Name:    n.Name,
							Type:    exprString(fl.Type),
							JSONTag: strings.Split(tag.Get("json"), ",")[0],
							FormTag: strings.Split(tag.Get("form"), ",")[0],
						})
					}
				}
				c.structs[ts.Name.Name] = fields
			}
		case *ast.FuncDecl:
			if d.Recv != nil && len(d.Recv.List) == 1 && exprString(d.Recv.List[0].Type) == "*ClientWithResponses" {
				c.methods[d.Name.Name] = d.Type
			}
			if name, ok := strings.CutPrefix(d.Name.Name, "New"); ok && d.Recv == nil && strings.HasSuffix(name, "Request") && !strings.HasSuffix(name, "WithBodyRequest") {
				c.builds[strings.TrimSuffix(name, "Request")] = d.Type
			}
		}
	}
	return c, nil
}

func exprString(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return "*" + exprString(t.X)
	case *ast.ArrayType:
		return "[]" + exprString(t.Elt)
	case *ast.MapType:
		return "map[" + exprString(t.Key) + "]" + exprString(t.Value)
	case *ast.SelectorExpr:
		return exprString(t.X) + "." + t.Sel.Name
	case *ast.Ellipsis:
		return "..." + exprString(t.Elt)
	case *ast.InterfaceType:
		return "interface{}"
	case *ast.StructType:
		if t.Fields == nil || len(t.Fields.List) == 0 {
			return "struct{}"
		}
		return "struct{...}"
	}
	return fmt.Sprintf("%T", e)
}

// resolve follows aliases from typ (without pointer) to the type they
// name: another named type, or a predeclared one (an OrderIDPath is a
// string). It stops at an alias of a type literal (struct{}, a map), whose
// name reads better.
func (c *goClient) resolve(typ string) string {
	for i := 0; i < 10; i++ {
		a, ok := c.aliases[typ]
		if !ok || !token.IsIdentifier(a) {
			break
		}
		typ = a
	}
	return typ
}

// fieldsOf returns the fields of a struct type, resolving aliases.
func (c *goClient) fieldsOf(typeName string) []goField {
	for i := 0; i < 10; i++ {
		if a, ok := c.aliases[typeName]; ok {
			typeName = strings.TrimPrefix(a, "*")
			continue
		}
		break
	}
	return c.structs[typeName]
}

// operation is one operation with everything the templates need.
type operation struct {
	specOp
	GoName      string  // Go name of the operation, e.g. GetAPIKeys
	Wrapper     string  // response wrapper type
	SuccessType string  // Go type of the decoded 2xx body ("" if none)
	SuccessFrom string  // wrapper field holding it, e.g. JSON200
	BodyType    string  // Go type of the JSON request body ("" if none)
	PathArgs    []goArg // the method's path parameters, in order
	facts       resolvedFacts
	Page        *paging
}

// goArg is a parameter of a generated method.
type goArg struct {
	Name, Type string // Type as the Client's method declares it (qualified)
}

// paging describes a cursor-paginated operation.
type paging struct {
	Params        string // params type
	ParamCursor   goField
	BodyType      string  // the success body type without pointer
	ResponseField goField // the cursor field of the body
	Lists         []list
	Primary       int // index of the list named after the operation, or -1
}

type list struct {
	Field goField
	Elem  string // element type
}

func describe(spec []specOp, client *goClient) ([]operation, error) {
	var ops []operation
	for _, s := range spec {
		goName, ok := client.goName(s.ID)
		if !ok {
			return nil, fmt.Errorf("operation %s has no %sWithResponse method in the generated client", s.ID, s.ID)
		}
		op := operation{specOp: s, GoName: goName, Wrapper: goName + "HTTPResponse"}
		if _, ok := client.aliases[goName+"JSONRequestBody"]; ok {
			op.BodyType = goName + "JSONRequestBody"
		}
		fields, ok := client.structs[op.Wrapper]
		if !ok {
			return nil, fmt.Errorf("operation %s: no response wrapper %s", s.ID, op.Wrapper)
		}
		for _, f := range fields {
			if strings.HasPrefix(f.Name, "JSON2") && (op.SuccessFrom == "" || f.Name == fmt.Sprintf("JSON%d", s.SuccessStatus)) {
				op.SuccessType, op.SuccessFrom = f.Type, f.Name
			}
		}
		if ft, ok := client.builds[goName]; ok {
			for i, f := range ft.Params.List {
				for _, n := range f.Names {
					if i > 0 && n.Name != "params" && n.Name != "body" {
						op.PathArgs = append(op.PathArgs, goArg{n.Name, client.methodType(exprString(f.Type))})
					}
				}
			}
		}
		if s.CursorParam != "" && op.SuccessType != "" && op.BodyType == "" {
			pg, err := client.paging(op)
			if err != nil {
				return nil, err
			}
			op.Page = pg
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// goName finds the Go name oapi-codegen gave the operation; it upper-cases
// initialisms, so the match ignores case.
func (c *goClient) goName(id string) (string, bool) {
	want := strings.ToLower(id + "WithResponse")
	for m := range c.methods {
		if strings.ToLower(m) == want {
			return strings.TrimSuffix(m, "WithResponse"), true
		}
	}
	return "", false
}

func (c *goClient) paging(op operation) (*paging, error) {
	pg := &paging{Params: op.GoName + "Params", BodyType: strings.TrimPrefix(op.SuccessType, "*"), Primary: -1}
	for _, f := range c.fieldsOf(pg.Params) {
		if f.FormTag == op.CursorParam {
			pg.ParamCursor = f
		}
	}
	if pg.ParamCursor.Name == "" {
		return nil, fmt.Errorf("operation %s: no cursor field in %s", op.ID, pg.Params)
	}
	for _, f := range c.fieldsOf(pg.BodyType) {
		switch {
		case specread.IsCursorName(f.JSONTag) && strings.TrimPrefix(c.resolve(strings.TrimPrefix(f.Type, "*")), "*") == "string":
			pg.ResponseField = f
		case strings.HasPrefix(f.Type, "[]") || strings.HasPrefix(f.Type, "*[]"):
			pg.Lists = append(pg.Lists, list{Field: f, Elem: f.Type[strings.Index(f.Type, "]")+1:]})
		}
	}
	if pg.ResponseField.Name == "" || len(pg.Lists) == 0 {
		// A cursor parameter without a cursor and a list in the body is
		// not a paginated list; leave it alone.
		return nil, nil
	}
	for i, l := range pg.Lists {
		if len(pg.Lists) == 1 || strings.HasSuffix(op.GoName, l.Field.Name) {
			pg.Primary = i
		}
	}
	return pg, nil
}
