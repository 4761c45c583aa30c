package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/internal/specread"
)

// A small spec of its own, so the test holds whatever openapi.yaml is
// (CI also runs the tests on a copy this tool has changed).
const smallSpec = `openapi: 3.0.0
info: {title: t, version: "1"}
paths:
  /markets:
    get:
      operationId: GetMarkets
      summary: List markets
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {cursor: {type: string}}}
tags:
  - {name: market, description: Markets.}
`

func TestMutatedSpecAddsTheChanges(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.yaml"), filepath.Join(dir, "out.yaml")
	require.NoError(t, os.WriteFile(in, []byte(smallSpec), 0o644))
	require.NoError(t, run(in, out))

	after, err := specread.Load(out)
	require.NoError(t, err)
	require.Len(t, after, 4, "three operations are added, none lost")
	byID := map[string]specread.Operation{}
	for _, op := range after {
		byID[op.ID] = op
	}
	assert.Equal(t, "cursor", byID["GetMarkets"].CursorParam)
	list := byID["GetShelfWidgets"]
	assert.Equal(t, "page_token", list.CursorParam)
	assert.Equal(t, []string{"shelf_id"}, list.Params)
	assert.True(t, list.SuccessBody)
	create := byID["CreateWidget"]
	assert.True(t, create.Secured)
	assert.True(t, create.HasBody)
	assert.Equal(t, 201, create.SuccessStatus)
	assert.Contains(t, create.Statuses, "202")
	del := byID["DeleteWidget"]
	assert.Equal(t, 204, del.SuccessStatus)
	assert.False(t, del.SuccessBody)

	mutated, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(mutated), "name: widgets", "the new tag is declared")
	_, err = mutate(mutated)
	assert.Error(t, err, "applied twice, it refuses: the operations are there already")
	_, err = mutate([]byte("just: text\n"))
	assert.Error(t, err, "not an OpenAPI document")
}
