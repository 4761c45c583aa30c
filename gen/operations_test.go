package gen_test

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// The table holds every operation of the spec with the spec's facts.
func TestOperationTableMatchesTheSpec(t *testing.T) {
	ops := loadOps(t)
	table := gen.Operations()
	require.Len(t, table, len(ops))
	for _, want := range ops {
		got, ok := gen.LookupOperation(want.ID)
		if !assert.True(t, ok, want.ID) {
			continue
		}
		assert.Equal(t, want.Method, got.Method, want.ID)
		assert.Equal(t, want.Path, got.Path, want.ID)
		assert.Equal(t, want.Secured, got.Secured, want.ID)
		assert.Equal(t, want.SuccessStatus, got.SuccessStatus, want.ID)
		assert.Equal(t, want.SuccessBody, got.SuccessBody, want.ID)
		assert.Positive(t, got.Cost, want.ID)
		assert.Contains(t, []gen.Bucket{gen.ReadBucket, gen.WriteBucket}, got.Bucket, want.ID)
	}
	_, ok := gen.LookupOperation("NoSuchOperation")
	assert.False(t, ok)

	table[0].Cost = -1
	assert.NotEqual(t, -1, gen.Operations()[0].Cost, "Operations returns a copy")
}

// The table carries the facts of gen/operations.yaml, defaults filled in.
func TestOperationTableCarriesKalshiFacts(t *testing.T) {
	b, err := os.ReadFile("operations.yaml")
	require.NoError(t, err)
	var facts struct {
		DefaultCost int `yaml:"default_cost"`
		Operations  map[string]struct {
			Bucket     string `yaml:"bucket"`
			Cost       int    `yaml:"cost"`
			Batch      string `yaml:"batch"`
			OrdersAt   string `yaml:"orders_at"`
			Repeatable *bool  `yaml:"repeatable"`
		} `yaml:"operations"`
		Retired []struct {
			Replacement string `yaml:"replacement"`
		} `yaml:"retired"`
	}
	require.NoError(t, yaml.Unmarshal(b, &facts))
	assert.Equal(t, facts.DefaultCost, gen.DefaultCost)
	for id, f := range facts.Operations {
		op, ok := gen.LookupOperation(id)
		if !assert.True(t, ok, "operations.yaml names %s, which the spec lacks", id) {
			continue
		}
		bucket := gen.ReadBucket
		if f.Bucket == "write" {
			bucket = gen.WriteBucket
		}
		assert.Equal(t, bucket, op.Bucket, id)
		if f.Cost > 0 {
			assert.Equal(t, f.Cost, op.Cost, id)
		}
		assert.Equal(t, f.Batch, op.BatchField, id)
		assert.Equal(t, f.OrdersAt, op.OrdersAt, id)
		if f.Repeatable != nil {
			assert.Equal(t, *f.Repeatable, op.Repeatable, id)
		}
	}
	for _, op := range gen.Operations() {
		if _, listed := facts.Operations[op.ID]; listed {
			continue
		}
		assert.Equal(t, gen.ReadBucket, op.Bucket, op.ID)
		assert.Equal(t, gen.DefaultCost, op.Cost, op.ID)
		assert.Equal(t, op.Method != "POST", op.Repeatable, "%s: by default only POST is not repeatable", op.ID)
	}
	require.Len(t, gen.RetiredEndpoints(), len(facts.Retired))
	for _, r := range gen.RetiredEndpoints() {
		_, ok := gen.LookupOperation(r.Replacement)
		assert.True(t, ok, "retired %s %s: replacement %s", r.Method, r.Path, r.Replacement)
	}
}

// The order-entry facts the client's safety rests on.
func TestOrderEntryFacts(t *testing.T) {
	create, _ := gen.LookupOperation("CreateOrderV2")
	assert.Equal(t, "$", create.OrdersAt)
	assert.False(t, create.Repeatable)
	batch, _ := gen.LookupOperation("BatchCreateOrdersV2")
	assert.Equal(t, "$.orders[*]", batch.OrdersAt)
	assert.Equal(t, "orders", batch.BatchField)
	cancel, _ := gen.LookupOperation("CancelOrderV2")
	assert.Equal(t, gen.WriteBucket, cancel.Bucket)
	assert.Equal(t, 2, cancel.Cost)
}
