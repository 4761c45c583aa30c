// Package signing authenticates requests to Kalshi's Trade API v2 and checks
// such requests on the server side.
//
// Kalshi authenticates every private request with three headers:
//
//	KALSHI-ACCESS-KEY        the API key ID
//	KALSHI-ACCESS-TIMESTAMP  the current time in Unix milliseconds
//	KALSHI-ACCESS-SIGNATURE  base64(sign(timestamp + METHOD + path))
//
// The path is the request's escaped URL path including the base path
// (/trade-api/v2 for REST, /trade-api/ws/v2 for the WebSocket handshake),
// without the query string; the body is never signed. RSA keys sign with
// RSA-PSS, SHA-256, MGF1-SHA-256 and a salt of exactly 32 bytes; Ed25519 keys
// sign the same text with plain Ed25519.
//
// A [Signer] holds a key ID and a private key and builds those headers. Use
// [Signer.Transport] below a retry layer so that every attempt carries a fresh
// timestamp and signature, [Signer.EditRequest] as the generated client's
// RequestEditorFn, or [Signer.Headers] for a WebSocket handshake. Keys are read
// with [ParsePrivateKey] or [LoadPrivateKey], which accept the formats Kalshi
// hands out and explain the ones they refuse, and made with [GenerateKey],
// whose public half is what the CreateApiKey endpoint registers. [Verify] is
// the server side, for fakes, proxies and tests.
//
// The signature is computed over the path of the URL actually sent, without
// the query; the PSS salt length is fixed at 32. Keys in the wrong format,
// encrypted, too small, of the wrong type or public instead of private are
// refused with an error that says how to fix them, and [Verify] names the
// likely client mistake when a signature does not match.
package signing
