package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const nameSpec = `
components:
  schemas:
    BatchThing:
      type: object
      properties:
        orders:
          type: array
          items:
            type: object
            properties:
              order_id: {type: string}
              legs:
                type: array
                items:
                  type: object
                  properties:
                    price: {type: string}
        entries:
          type: array
          items:
            type: object
            properties:
              a: {type: string}
        api_key:
          type: object
          properties:
            id: {type: string}
        refs:
          type: array
          items:
            $ref: '#/components/schemas/BatchThingOrder'
        named:
          type: object
          x-go-type-name: AlreadyNamed
          properties:
            x: {type: string}
    BatchThingOrder:
      type: object
      properties:
        id: {type: string}
    Mixed:
      allOf:
        - $ref: '#/components/schemas/BatchThingOrder'
        - type: object
          properties:
            extra:
              type: object
              properties:
                y: {type: integer}
`

func TestNameInline(t *testing.T) {
	names, err := NameInline([]byte(nameSpec), []string{"RFQ"})
	require.NoError(t, err)
	assert.Equal(t, InlineNames{
		// "BatchThingOrder" is a component already: the item takes "Item".
		"$.components.schemas['BatchThing'].properties['orders'].items":                          "BatchThingOrderItem",
		"$.components.schemas['BatchThing'].properties['orders'].items.properties['legs'].items": "BatchThingOrderItemLeg",
		"$.components.schemas['BatchThing'].properties['entries'].items":                         "BatchThingEntry",
		"$.components.schemas['BatchThing'].properties['api_key']":                               "BatchThingAPIKey",
		"$.components.schemas['Mixed'].allOf[1].properties['extra']":                             "MixedExtra",
	}, names)

	actions := string(names.Actions())
	assert.Equal(t, 5, strings.Count(actions, "x-go-type-name:"))
	assert.Less(t, strings.Index(actions, "api_key"), strings.Index(actions, "entries"), "actions are sorted by target")
}

func TestGoNamer(t *testing.T) {
	name := newGoNamer([]string{"RFQ", "FCM"})
	for in, want := range map[string]string{
		"GetApiKeysResponse": "GetAPIKeysResponse",
		"rfq_id":             "RFQID",
		"orders":             "Orders",
		"fcm-subtraders":     "FCMSubtraders",
		"ts_ms":              "TSMs",
	} {
		assert.Equal(t, want, name(in), in)
	}
}

func TestSingular(t *testing.T) {
	for in, want := range map[string]string{
		"orders": "order", "entries": "entry", "addresses": "address", "boxes": "box", "data": "data_item", "class": "class_item",
	} {
		assert.Equal(t, want, singular(in), in)
	}
}
