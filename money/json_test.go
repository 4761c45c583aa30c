package money_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/seed-c9ca4919/kalshi/money"
)

func TestDollarsUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json string
		want string // canonical result
	}{
		{`"0.5600"`, "0.5600"},
		{`"0.56"`, "0.5600"},
		{`"0.017510"`, "0.017510"},
		{`"-1.00"`, "-1.0000"},
		{`0.56`, "0.5600"},
		{`3`, "3.0000"},
		{`3.5`, "3.5000"},
		{`-2.5`, "-2.5000"},
		{`0.123456`, "0.123456"},
		{`""`, "0.0000"},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			t.Parallel()
			d := money.MustDollars("7") // "" must overwrite, not leave this
			if err := json.Unmarshal([]byte(tt.json), &d); err != nil {
				t.Fatalf("Unmarshal(%s): %v", tt.json, err)
			}
			if d.String() != tt.want {
				t.Errorf("Unmarshal(%s) = %v, want %s", tt.json, d, tt.want)
			}
		})
	}
}

func TestCountUnmarshalJSON(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`"10.00"`: "10.00", `"10"`: "10.00", `"-1.00"`: "-1.00", `"7.77"`: "7.77",
		`10`: "10.00", `2.5`: "2.50", `-3`: "-3.00", `""`: "0.00",
	}
	for in, want := range tests {
		c := money.MustCount("7")
		if err := json.Unmarshal([]byte(in), &c); err != nil {
			t.Errorf("Unmarshal(%s): %v", in, err)
		} else if c.String() != want {
			t.Errorf("Unmarshal(%s) = %v, want %s", in, c, want)
		}
	}
}

func TestUnmarshalJSONNullLeavesValue(t *testing.T) {
	t.Parallel()
	d := money.MustDollars("0.42")
	c := money.MustCount("3")
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d != money.MustDollars("0.42") {
		t.Errorf("Dollars after null = %v, %v; want 0.4200 unchanged", d, err)
	}
	if err := json.Unmarshal([]byte(`null`), &c); err != nil || c != money.MustCount("3") {
		t.Errorf("Count after null = %v, %v; want 3.00 unchanged", c, err)
	}
	// In a fresh struct, null and absent both leave zero; a pointer tells them apart.
	var v struct {
		Price  money.Dollars  `json:"price_dollars"`
		Size   money.Count    `json:"size_fp"`
		MaybeP *money.Dollars `json:"maybe_dollars"`
	}
	if err := json.Unmarshal([]byte(`{"price_dollars":null,"size_fp":null,"maybe_dollars":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if !v.Price.IsZero() || !v.Size.IsZero() || v.MaybeP != nil {
		t.Errorf("after nulls: %+v", v)
	}
}

func TestUnmarshalJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		json   string
		target error
		want   []string // all must appear in the message
	}{
		{`true`, money.ErrSyntax, []string{"JSON true", "Dollars", "want a string, number or null"}},
		{`false`, money.ErrSyntax, []string{"JSON false"}},
		{`{"a":1}`, money.ErrSyntax, []string{`JSON {"a":1}`, "want a string, number or null"}},
		{`["0.56"]`, money.ErrSyntax, []string{`JSON ["0.56"]`}},
		{`"1.2.3"`, money.ErrSyntax, []string{`"1.2.3"`, "second '.'"}},
		{`"abc"`, money.ErrSyntax, []string{`"abc"`, "unexpected 'a'"}},
		{`" 0.56"`, money.ErrSyntax, []string{`" 0.56"`, "unexpected ' '"}},
		{`"0.1234567"`, money.ErrPrecision, []string{`"0.1234567"`, "Dollars hold 6"}},
		{`0.1234567`, money.ErrPrecision, []string{"JSON 0.1234567", "Dollars hold 6"}},
		{`1e5`, money.ErrSyntax, []string{"JSON 1e5", "exponents"}},
		{`1E+2`, money.ErrSyntax, []string{"JSON 1E+2", "exponents"}},
		{`99999999999999999999`, money.ErrRange, []string{"JSON 99999999999999999999", "at most"}},
		{`"\u0030.5"`, money.ErrSyntax, []string{`\\u0030.5`, "unexpected '\\\\'"}},
	}
	for _, tt := range tests {
		t.Run(tt.json, func(t *testing.T) {
			t.Parallel()
			d := money.MustDollars("0.42")
			err := json.Unmarshal([]byte(tt.json), &d)
			if !errors.Is(err, tt.target) {
				t.Fatalf("Unmarshal(%s) error = %v, want %v", tt.json, err, tt.target)
			}
			var pe *money.ParseError
			if !errors.As(err, &pe) || pe.Type != "Dollars" {
				t.Errorf("Unmarshal(%s) error %T is not a Dollars *ParseError", tt.json, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not contain %q", err, w)
				}
			}
			if d != money.MustDollars("0.42") {
				t.Errorf("value changed to %v on error", d)
			}
		})
	}

	// Direct calls (not through encoding/json) with malformed input.
	var d money.Dollars
	for _, in := range []string{``, `"`, `"0.56`, `nul`, ` "0.56"`} {
		err := d.UnmarshalJSON([]byte(in))
		if !errors.Is(err, money.ErrSyntax) {
			t.Errorf("UnmarshalJSON(%q) error = %v, want ErrSyntax", in, err)
		}
	}
	messages := map[string]string{
		``:                                    "cannot decode JSON (empty) into Dollars: invalid syntax: empty JSON input",
		"{\n}":                                `cannot decode JSON "{\n}" into Dollars`, // control characters are quoted
		`[` + strings.Repeat(`1,`, 40) + `1]`: `cannot decode JSON [` + strings.Repeat(`1,`, 31) + `1... into Dollars`,
	}
	for in, want := range messages {
		if err := d.UnmarshalJSON([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("UnmarshalJSON(%q) error = %v, want it to contain %q", in, err, want)
		}
	}

	var c money.Count
	if err := json.Unmarshal([]byte(`"0.001"`), &c); !errors.Is(err, money.ErrPrecision) || !strings.Contains(err.Error(), `"0.001" as Count`) {
		t.Errorf("Count from \"0.001\": %v", err)
	}
	if err := json.Unmarshal([]byte(`true`), &c); !errors.Is(err, money.ErrSyntax) || !strings.Contains(err.Error(), "JSON true into Count") {
		t.Errorf("Count from true: %v", err)
	}
}

// order mirrors how generated code uses the types: value fields, pointer
// fields, omitzero and map keys.
type order struct {
	Price    money.Dollars            `json:"yes_price_dollars"`
	Fee      *money.Dollars           `json:"fee_cost,omitempty"`
	Count    money.Count              `json:"count_fp"`
	Filled   money.Count              `json:"fill_count_fp,omitzero"`
	ByPrice  map[money.Dollars]string `json:"by_price,omitempty"`
	Position money.Count              `json:"position_fp"`
}

func TestJSONInStructs(t *testing.T) {
	t.Parallel()
	fee := money.MustDollars("0.017510")
	in := order{
		Price:    money.MustDollars("0.56"),
		Fee:      &fee,
		Count:    money.MustCount("10"),
		ByPrice:  map[money.Dollars]string{money.MustDollars("0.47"): "a"},
		Position: money.MustCount("-1"),
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"yes_price_dollars":"0.5600","fee_cost":"0.017510","count_fp":"10.00","by_price":{"0.4700":"a"},"position_fp":"-1.00"}`
	if string(b) != want {
		t.Errorf("Marshal = %s\nwant      %s", b, want)
	}
	var out order
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Price != in.Price || *out.Fee != fee || out.Count != in.Count || out.Position != in.Position ||
		out.ByPrice[money.MustDollars("0.4700")] != "a" {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}

	// Order-book levels arrive as [price, count] string pairs.
	var book struct {
		Yes [][2]json.RawMessage `json:"yes_dollars_fp"`
	}
	if err := json.Unmarshal([]byte(`{"yes_dollars_fp":[["0.4700","3.00"],["0.0060","897.24"]]}`), &book); err != nil {
		t.Fatal(err)
	}
	var total money.Dollars
	for _, lvl := range book.Yes {
		var p money.Dollars
		var n money.Count
		if err := p.UnmarshalJSON(lvl[0]); err != nil {
			t.Fatal(err)
		}
		if err := n.UnmarshalJSON(lvl[1]); err != nil {
			t.Fatal(err)
		}
		total = total.Add(p.Mul(n))
	}
	// 0.47×3 + 0.006×897.24 = 1.41 + 5.38344
	if total.String() != "6.793440" {
		t.Errorf("book notional = %v, want 6.793440", total)
	}
}
