package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFacts(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "operations.yaml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

func TestLoadFactsRefusesBadFacts(t *testing.T) {
	for name, text := range map[string]string{
		"no default cost": "operations: {}\n",
		"unknown bucket":  "default_cost: 10\noperations:\n  X: {bucket: fast}\n",
		"negative cost":   "default_cost: 10\noperations:\n  X: {cost: -1}\n",
		"bad orders_at":   "default_cost: 10\noperations:\n  X: {orders_at: orders}\n",
		"unknown key":     "default_cost: 10\noperations:\n  X: {buckets: write}\n",
		"retired no path": "default_cost: 10\nretired:\n  - {method: POST, replacement: X}\n",
	} {
		_, err := loadFacts(writeFacts(t, text))
		assert.Error(t, err, name)
	}
}

// Facts that no longer fit the spec are dropped with a warning, so that a
// newer spec still generates.
func TestFactsThatNoLongerFitAreDropped(t *testing.T) {
	f, err := loadFacts(writeFacts(t, `default_cost: 10
operations:
  Gone: {bucket: write}
  Create: {bucket: write, orders_at: $, batch: items}
  Batch: {orders_at: "$.orders[*]", batch: orders}
retired:
  - {method: POST, path: /old, replacement: Missing}
`))
	require.NoError(t, err)
	client := &goClient{
		structs: map[string][]goField{
			"CreateBody": {{Name: "Ticker", Type: "string", JSONTag: "ticker"}},
			"BatchBody":  {{Name: "Orders", Type: "[]Order", JSONTag: "orders"}},
			"Order":      {{Name: "ClientOrderID", Type: "*string", JSONTag: "client_order_id"}},
		},
		aliases: map[string]string{"CreateJSONRequestBody": "CreateBody", "BatchJSONRequestBody": "BatchBody"},
	}
	ops := []operation{
		{specOp: specOp{ID: "Create", Method: "POST"}, BodyType: "CreateJSONRequestBody"},
		{specOp: specOp{ID: "Batch", Method: "POST"}, BodyType: "BatchJSONRequestBody"},
		{specOp: specOp{ID: "Plain", Method: "DELETE"}},
	}
	f.check(ops, client)
	warnings := strings.Join(f.warnings, "\n")
	assert.Contains(t, warnings, "operation Gone is not in the spec")
	assert.Contains(t, warnings, `Create: the request body has no list "items"`)
	assert.Contains(t, warnings, "Create: no client_order_id at $")
	assert.Contains(t, warnings, "replacement Missing is not in the spec")

	assert.Equal(t, resolvedFacts{Bucket: "WriteBucket", Cost: 10}, f.of(ops[0]))
	assert.Equal(t, resolvedFacts{Bucket: "ReadBucket", Cost: 10, Batch: "orders", OrdersAt: "$.orders[*]"}, f.of(ops[1]))
	assert.Equal(t, resolvedFacts{Bucket: "ReadBucket", Cost: 10, Repeatable: true}, f.of(ops[2]))
}
