// Package gen is the typed REST layer of Kalshi's Trade API v2, generated
// from the repository's openapi.yaml by oapi-codegen: a Go type for every
// schema (prices and counts in the exact types of package money), a params
// struct for every operation's query, a request builder (New<Op>Request)
// and a low-level client whose <Op>WithResponse methods return the status
// and the decoded body of each answer.
//
// Most programs use package kalshi instead, whose Client has one method
// per operation returning the typed value or an error, with signing,
// retries, rate limits and drift handling; its Raw method returns this
// package's client on the same transport stack. On its own, this package
// needs a request editor to sign:
//
//	c, err := gen.NewClientWithResponses("https://external-api.demo.kalshi.co/trade-api/v2",
//		gen.WithRequestEditorFn(signer.EditRequest))
//
// Operations returns the table of every operation: the spec's facts
// merged with Kalshi's facts from operations.yaml (rate-limit bucket and
// cost, batches, where orders carry their client_order_id, safe
// repetition), which the client's layers and package kalshitest read.
//
// Nothing here is edited by hand: `go generate ./...` rewrites it.
package gen
