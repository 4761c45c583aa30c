// Package kalshitest is a fake Kalshi exchange for tests and demos: an
// in-memory exchange that serves the Trade API v2 over HTTP and WebSocket
// on a loopback port, so code written against package kalshi runs without
// money, a demo account or a network.
//
// NewServer starts it on a loopback port; point a client at URL and sign
// with a key registered by AddAPIKey:
//
//	srv := kalshitest.NewServer()
//	defer srv.Close()
//	key, _, _, _ := signing.GenerateKey(signing.Ed25519)
//	srv.AddAPIKey("my-key", key.Public())
//	signer, _ := signing.New("my-key", key)
//	client, _ := kalshi.New(kalshi.WithBaseURL(srv.URL()), kalshi.WithSigner(signer))
//
// What it does as Kalshi does:
//
//   - Every operation of openapi.yaml is implemented (the server is
//     generated from it). An operation added to the spec answers 501 with
//     {"error":{"code":"not_implemented",...}} until the fake implements it.
//   - Every request is validated against the spec (embedded in the
//     package) and refused with 400: {"msg": ...} for parameters, the flat
//     bad_request shape for bodies.
//   - Signed operations verify KALSHI-ACCESS-* signatures (RSA-PSS and
//     Ed25519) and answer Kalshi's 401 codes. CreateApiKey and
//     GenerateApiKey make keys that sign the very next request.
//   - Orders (the V2 endpoints) match with price-time priority against
//     resting orders, including the house account's seeded liquidity:
//     time in force, post_only, reduce_only, self-trade prevention,
//     client_order_id de-duplication, tick and balance checks, amend and
//     decrease. Balance, positions, fills and settlements stay consistent.
//   - Lists page with opaque cursors that come back empty on the last page.
//   - Subaccounts (CreateSubaccount, from the Advanced API usage level up)
//     are ledgers of their own: an order trades, is refunded and settles
//     on its subaccount's cash and positions. ApplySubaccountTransfer moves
//     cash between them, IntraExchangeInstanceTransfer between shards and
//     exchange instances; keys restricted to a subaccount read and trade
//     only there; netting settings apply.
//   - Order groups cap what their orders may fill in a rolling window;
//     reaching the cap cancels the group's orders until it is reset, and
//     each change is reported on order_group_updates.
//   - RFQs get quotes from the house; accepting and confirming a quote,
//     like a block trade proposal, makes fills that move positions and
//     balance on both sides.
//   - FCM accounts (AddFCMAccount) trade for their subtraders
//     (PlaceSubtraderOrder) and read their orders, fills and positions.
//   - Multivariate collections look up and create combo markets whose
//     legs are markets that exist.
//   - Generated events come with milestones, live data, structured
//     targets, search tags and sport filters; index values
//     (PublishIndexValue, PublishPythValue, WithIndexInterval) reach live
//     data and the index channels; fee changes and incentive programs are
//     served from the same series and markets.
//   - The historical tier: what settled or aged past the cutoffs
//     (HistoricalCutoff, SetHistoricalCutoffs; DefaultHistoricalLag behind
//     the clock) leaves the live lists and is served by the historical
//     endpoints, with a settled past event seeded in each generated series.
//
// The money model: buying a contract costs its outcome's price (a YES
// bid pays the YES price, an ask pays the NO price 1 − p), held out of the
// balance while the order rests. Makers pay no fee; takers pay 7% of
// count × P × (1 − P), rounded up to $0.0001 per fill. Positions are
// signed (+YES, −NO); contracts opposite to a position close it, each
// YES+NO pair paying back $1 at once, with the difference to their cost
// realized. At every moment, per account and per subaccount: cash (on
// every shard) + cash held for resting orders + market exposure − realized
// P&L + fees paid = starting balance + cash transferred in − cash
// transferred out.
// SettleMarket pays $1 per winning contract.
//
// Everything is deterministic for a seed (WithSeed) and clock (WithClock).
// Rate limits (WithTier) are off by default. Faults for testing your
// error handling — latency, 5xx, dropped connections, 429 bursts, clock
// skew — are options or can be flipped mid-test with InjectFaults.
//
// The WebSocket API is served at WebSocketURL, for package ws, from the
// same state as REST: a crossing order produces orderbook_delta, trade,
// ticker, fill, user_orders and market_positions frames that agree with
// what REST then reports, settlement produces market_lifecycle_v2 frames.
// The handshake is signed like a REST request; the commands answer with
// Kalshi's error codes; each subscription's frames are numbered without
// gaps and order book snapshots come before the deltas that change them.
// The server pings every 10 s (WithWSPingInterval). To test how a client
// recovers, drop connections (DropWSConns), skip a sequence number,
// send an unknown message type, fail a subscription or stall a connection
// (WSConn), or draw such faults at random (WSFaults).
//
// Subscribe streams the exchange's events in order (book deltas with a
// per-market sequence, trades, fills, order and position updates, market
// lifecycle) for code of your own, OrderbookSnapshot gives a book with its
// sequence, Authenticate checks a request's signature, and Handle mounts
// extra handlers beside the API.
package kalshitest
