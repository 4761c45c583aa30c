// Package conformance holds one suite of scenarios (market data, order
// lifecycle, portfolio, order groups, RFQs, errors, the WebSocket feed)
// that runs against two
// targets: kalshitest, always, and Kalshi's demo
// exchange when demo credentials are in the environment. The same
// assertions on both are how the fake is checked against the real thing:
//
//	KALSHI_DEMO_API_KEY_ID=... KALSHI_DEMO_PRIVATE_KEY_PATH=key.pem \
//	    go test ./internal/conformance -run Demo -v
//
// Against demo the suite trades only post-only bids at the lowest price,
// which rest and are canceled, and accepts no quote on the RFQ it opens
// and deletes; it moves no money. Besides its own assertions it compares the shapes of
// the answers: every field the spec requires, no value of the wrong type,
// and (logged) the fields demo sends that the fake does not.
package conformance
