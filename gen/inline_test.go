package gen_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// Every object a user builds or reads is a named type: a field whose type
// is an anonymous struct could not be written as a literal.
func TestNoAnonymousStructs(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "client.gen.go", nil, 0)
	require.NoError(t, err)
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			top, _ := ts.Type.(*ast.StructType)
			ast.Inspect(ts.Type, func(n ast.Node) bool {
				st, ok := n.(*ast.StructType)
				if ok && st != top && st.Fields != nil && len(st.Fields.List) > 0 {
					t.Errorf("type %s has an anonymous struct at %v", ts.Name.Name, st.Pos())
				}
				return true
			})
		}
	}
}

// The items of a batch cancel are a named type, so a literal can be
// written for them.
func TestBatchItemsAreNamed(t *testing.T) {
	req := gen.BatchCancelOrdersV2Request{Orders: []gen.BatchCancelOrdersV2RequestOrder{{OrderID: "a"}, {OrderID: "b"}}}
	assert.Len(t, req.Orders, 2)
	var res gen.BatchCreateOrdersV2Response
	res.Orders = append(res.Orders, gen.BatchCreateOrdersV2ResponseOrder{})
	assert.Len(t, res.Orders, 1)
}
