package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const bandSpec = `
components:
  schemas:
    PriceRange:
      type: object
      properties:
        start: {type: string}
        end: {type: string}
        step: {type: string}
    PriceRangeWithLabel:
      type: object
      properties:
        start: {type: string}
        end: {type: string}
        step: {type: string}
        label: {type: string}
    PriceRangeNumbers:
      type: object
      properties:
        start: {type: number}
        end: {type: number}
        step: {type: number}
    TimeRange:
      type: object
      properties:
        start: {type: string}
        end: {type: string}
        step: {type: string}
    Market:
      type: object
      properties:
        price_ranges:
          type: array
          items: {$ref: '#/components/schemas/PriceRange'}
`

// TestPriceBandRule: only an object named Price*Range with exactly the
// string properties start, end and step is a band, and the properties that
// hold bands are listed.
func TestPriceBandRule(t *testing.T) {
	m, err := Match([]byte(bandSpec))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"PriceRange": "money.PriceRange"}, m.Schemas)
	assert.Equal(t, []string{"Market.price_ranges[]"}, m.Uses["money.PriceRange"])
	assert.Contains(t, string(m.Actions()), "$.components.schemas['PriceRange']\n    update:\n      x-go-type: money.PriceRange\n")
}
