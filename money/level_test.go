package money_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-c9ca4919/kalshi/money"
)

func TestPriceLevelJSON(t *testing.T) {
	t.Parallel()
	var book struct {
		Yes []money.PriceLevel `json:"yes_dollars"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"yes_dollars":[["0.4700","3.00"], [ "0.01" , 2.5 ]]}`), &book))
	require.Len(t, book.Yes, 2)
	assert.Equal(t, money.PriceLevel{Price: money.MustDollars("0.47"), Count: money.MustCount("3")}, book.Yes[0])
	assert.Equal(t, money.PriceLevel{Price: money.MustDollars("0.01"), Count: money.MustCount("2.50")}, book.Yes[1])
	assert.Equal(t, "3.00 @ 0.4700", book.Yes[0].String())

	out, err := json.Marshal(book)
	require.NoError(t, err)
	assert.JSONEq(t, `{"yes_dollars":[["0.4700","3.00"],["0.0100","2.50"]]}`, string(out))
}

func TestPriceLevelRejectsOtherShapes(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`[]`, `["0.47"]`, `["0.47","1.00","2"]`, `{"price":"0.47"}`, `"0.47"`, `["0.47",`, `["0.47" "1"]`, `[["0.47"],"1"]`} {
		var l money.PriceLevel
		err := json.Unmarshal([]byte(in), &l)
		require.Error(t, err, in)
		var syn *json.SyntaxError
		if !errors.As(err, &syn) {
			assert.ErrorIs(t, err, money.ErrLevelShape, in)
		}
	}
	var l money.PriceLevel
	err := json.Unmarshal([]byte(`["0.4.7","1.00"]`), &l)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "price level price")
	assert.ErrorIs(t, err, money.ErrSyntax)
}
