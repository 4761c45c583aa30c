package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// published is a small spec in the shape Kalshi publishes: prose and
// examples everywhere, a property literally named "description", a
// parameter list, tags, servers and code generation hints.
const published = `openapi: 3.0.0
info:
  title: Publisher title
  version: 9.9.9
  description: Publisher description.
servers:
  - url: https://example.test/v2
    description: Publisher server text
tags:
  - name: markets
    description: Publisher tag text
paths:
  /markets/{ticker}:
    get:
      operationId: GetMarketRFQStatus
      summary: Publisher summary
      description: Publisher operation description.
      x-mint:
        content: keep me
      parameters:
        - name: ticker
          in: path
          required: true
          description: Publisher param text
          schema:
            type: string
        - name: cursor
          in: query
          description: Publisher cursor text
          x-go-type-skip-optional-pointer: true
          schema:
            type: string
      responses:
        '200':
          description: Publisher response text
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
              examples:
                one:
                  value: {description: x}
components:
  schemas:
    Thing:
      type: object
      description: Publisher schema text
      required: [description]
      properties:
        description:
          type: string
          description: Publisher field text
          example: an example
        price_dollars:
          type: string
          x-oapi-codegen-extra-tags:
            description: a tag value, not prose
`

func syncString(t *testing.T, pub, ours string) (string, Report) {
	t.Helper()
	out, report, err := Sync([]byte(pub), []byte(ours))
	require.NoError(t, err)
	return string(out), report
}

func TestSyncDropsPublishedProseAndKeepsFacts(t *testing.T) {
	t.Parallel()
	out, report := syncString(t, published, "")
	assert.NotContains(t, out, "Publisher")
	assert.NotContains(t, out, "an example")
	assert.Contains(t, out, "x-mint:\n        content: keep me")
	assert.Contains(t, out, "description: a tag value, not prose", "extension values are facts")
	assert.Contains(t, out, "summary: Get market RFQ status", "summary derived from operationId")
	assert.Contains(t, out, "'200':\n          description: OK")
	assert.Equal(t, 1, report.Operations)
	assert.Equal(t, 1, report.Schemas)
	assert.Equal(t, []string{"operation GetMarketRFQStatus summary", "tag markets description"}, report.Defaulted)
	assertSameFacts(t, []byte(published), []byte(out))
}

func TestSyncKeepsOurProse(t *testing.T) {
	t.Parallel()
	first, _ := syncString(t, published, "")
	edited := strings.NewReplacer(
		"summary: Get market RFQ status", "summary: Our summary",
		"description: OK", "description: Our response text",
	).Replace(first)
	// Prose we add where the publisher has none, and prose for a
	// parameter, a property and a tag.
	edited = strings.Replace(edited, "        - name: cursor\n          in: query\n",
		"        - name: cursor\n          in: query\n          description: Our cursor text\n", 1)
	edited = strings.Replace(edited, "        description:\n          type: string\n",
		"        description:\n          description: Our field text\n          type: string\n", 1)
	edited = strings.Replace(edited, "  - name: markets\n", "  - name: markets\n    description: Our tag text\n", 1)
	require.NotEqual(t, first, edited)

	out, report := syncString(t, published, edited)
	for _, want := range []string{"Our summary", "Our response text", "Our cursor text", "Our field text", "Our tag text"} {
		assert.Contains(t, out, want)
	}
	assert.Empty(t, report.Defaulted)
	assertSameFacts(t, []byte(published), []byte(out))

	again, _ := syncString(t, published, out)
	assert.Equal(t, out, again, "sync is idempotent")
}

func TestSyncMovesParameterProseByName(t *testing.T) {
	t.Parallel()
	first, _ := syncString(t, published, "")
	ours := strings.Replace(first, "        - name: cursor\n          in: query\n",
		"        - name: cursor\n          in: query\n          description: Our cursor text\n", 1)
	// The published spec moves the cursor parameter to a new operation.
	moved := strings.Replace(published, "/markets/{ticker}:", "/markets/{ticker}/history:", 1)
	out, _ := syncString(t, moved, ours)
	assert.Contains(t, out, "Our cursor text")
}

func TestSyncRejectsNonSpec(t *testing.T) {
	t.Parallel()
	_, _, err := Sync([]byte("- a\n- b\n"), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "top level must be a mapping")
}

func TestSummaryFromOperationID(t *testing.T) {
	t.Parallel()
	for id, want := range map[string]string{
		"GetMarkets":            "Get markets",
		"CreateOrderV2":         "Create order V2",
		"GetFCMOrders":          "Get FCM orders",
		"AcceptRFQQuote":        "Accept RFQ quote",
		"GetMarketCandlesticks": "Get market candlesticks",
	} {
		assert.Equal(t, want, summaryFromOperationID(id), id)
	}
}

// TestRepositorySpecHasKalshiFacts checks that openapi.yaml states the
// facts of the reference spec, including the x- hints the diff tool
// ignores. Kalshi's file itself passes too, so dropping it in place of
// openapi.yaml keeps this test green.
func TestRepositorySpecHasKalshiFacts(t *testing.T) {
	t.Parallel()
	ref := filepath.Join("..", "..", "..", "shared", "reference", "kalshi-openapi.yaml")
	want, err := os.ReadFile(ref)
	if os.IsNotExist(err) {
		t.Skip("Kalshi's reference spec is not beside the repository (../shared/reference); nothing to compare with")
	}
	require.NoError(t, err)
	got, err := os.ReadFile(filepath.Join("..", "..", "openapi.yaml"))
	require.NoError(t, err)
	assertSameFacts(t, want, got)
}

// assertSameFacts compares two specs with prose and examples removed.
func assertSameFacts(t *testing.T, want, got []byte) {
	t.Helper()
	var a, b any
	require.NoError(t, yaml.Unmarshal(want, &a))
	require.NoError(t, yaml.Unmarshal(got, &b))
	a, b = stripProse(a, false), stripProse(b, false)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("interface facts differ from the published spec: %s", firstDifference(a, b, ""))
	}
}

func stripProse(v any, isNameMap bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			switch {
			case isNameMap:
				out[k] = stripProse(x, false)
			case proseKeys[k] || droppedKeys[k]:
			case strings.HasPrefix(k, "x-"):
				out[k] = x
			default:
				_, isMap := x.(map[string]any)
				out[k] = stripProse(x, nameMapKeys[k] && isMap)
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = stripProse(x, false)
		}
		return out
	}
	return v
}

func firstDifference(a, b any, path string) string {
	switch av := a.(type) {
	case map[string]any:
		bv, ok := b.(map[string]any)
		if !ok {
			return path + ": kind differs"
		}
		for k := range av {
			if _, ok := bv[k]; !ok {
				return path + "/" + k + ": missing"
			}
			if d := firstDifference(av[k], bv[k], path+"/"+k); d != "" {
				return d
			}
		}
		for k := range bv {
			if _, ok := av[k]; !ok {
				return path + "/" + k + ": unexpected"
			}
		}
		return ""
	case []any:
		bv, ok := b.([]any)
		if !ok || len(av) != len(bv) {
			return path + ": list differs"
		}
		for i := range av {
			if d := firstDifference(av[i], bv[i], path+"/"+string(rune('0'+i%10))); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(a, b) {
		return path + ": value differs"
	}
	return ""
}
