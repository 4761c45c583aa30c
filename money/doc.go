// Package money holds exact fixed-point amounts for Kalshi: [Dollars] for
// prices, costs, fees and balances, and [Count] for numbers of contracts.
//
// Kalshi sends money as decimal strings and this package keeps every digit of
// them. No float64 is used anywhere on the money path: parsing, formatting,
// arithmetic and JSON all work on integers. [Dollars.Float64] and
// [Count.Float64] exist for display and charting only.
//
// # Scales
//
// Prices arrive with 4 decimal places ("0.5600") and fees, costs and
// balances with up to 6 ("0.017500"), so [Dollars] stores a whole number of
// micro-dollars (1e-6 USD). Every amount Kalshi sends fits exactly and sums
// of prices and fees stay exact. [Count] stores hundredths of a contract,
// the granularity of Kalshi's fixed-point counts ("10.00", "7.77", "-1.00").
// Both are small comparable structs: == compares amounts, the zero value is
// zero, and they work as map keys (an order book can key levels by price).
// "0.56", "0.5600" and "0.560000" all parse to the same Dollars.
//
// The range is ±9,223,372,036,854.775807 dollars and
// ±92,233,720,368,547,758.07 contracts. Add, Sub, Neg, Abs and Mul panic
// rather than wrap around when a result leaves that range; [Dollars.MulChecked]
// reports the overflow as an error instead.
//
// # Text forms
//
// [ParseDollars] and [ParseCount] accept an optional leading '-', one or
// more digits, and optionally a '.' followed by one or more digits: "1",
// "0.56", "-2.5", "98.0186". Digits beyond the type's scale are accepted
// only when they are zeros ("0.56000000" is fine, "0.1234567" is not), so a
// value is never rounded while parsing. Anything else is refused with a
// [*ParseError] that quotes the input: a leading '+', whitespace, exponents
// ("1e5"), ".5" or "5.", thousands separators, and values out of range.
//
// [Dollars.String] prints the canonical Kalshi form: 4 decimal places, or 6
// when the fifth or sixth is not zero ("0.5600", "-1.0000", "0.017510").
// Valid prices therefore print with 4 places, which is what Kalshi accepts
// in requests. The form depends only on the amount, never on how it was
// written, so a 6-place fee whose last two digits are zero ("0.017500")
// prints as "0.0175": the same amount, shorter. [Count.String] always
// prints 2 decimal places ("10.00").
//
// # JSON
//
// Both types marshal to a JSON string in the canonical form. Unmarshalling
// accepts what Kalshi's servers actually send:
//
//   - a JSON string holding a decimal ("0.5600", "10.00");
//   - a JSON number (0.56, 3, -2.5), parsed from its literal text with the
//     same rules as strings, never through float64; exponents are refused;
//   - the empty string "", which sets the value to zero (the WebSocket ticker
//     sends price_dollars: "" when there is no price);
//   - null, which leaves the value unchanged, as encoding/json does for
//     other types (use *Dollars or *Count to tell null from zero).
//
// Anything else (true, objects, arrays, malformed strings) is an error.
// Decoding a quoted string does not allocate.
//
// Both types have an IsZero method, so struct fields tagged `json:",omitzero"`
// are left out when zero.
//
// # Price grids
//
// A market accepts prices on its grid only: one or more [PriceRange] bands,
// each a start, an end and a tick size (a cent from $0.01 to $0.99, or
// tenths of a cent near the ends). [NewGrid] builds a [Grid] from them;
// [Grid.Valid] checks a price and [Grid.Floor], [Grid.Ceil], [Grid.Nearest],
// [Grid.Next] and [Grid.Prev] move one onto the grid.
package money
