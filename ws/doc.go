// Package ws is a client for Kalshi's WebSocket API (Trade API v2): typed messages for every
// channel, commands with their replies routed back to the caller, bounded per-subscription
// streams, and a connection that reconnects and resubscribes after failures.
//
// # Connecting
//
// Dial signs the handshake (timestamp + "GET" + "/trade-api/ws/v2") with a *signing.Signer,
// afresh on every connect and reconnect. DemoURL is the default; pass WithURL(ProductionURL)
// for real money.
//
// # Subscriptions
//
// Conn.Subscribe subscribes to one channel and returns a *Subscription whose messages arrive
// in server order on a bounded buffer (C, or the Messages iterator). Each command carries
// its own id and its reply (subscribed, ok, unsubscribed, or error as *Error) goes to the
// caller that sent it. A frame of a type this package does not know arrives as *RawMessage.
//
// # Reconnects, gaps and slow consumers
//
//   - Kalshi pings every 10 s; a connection silent (no frame, no ping) for longer than the
//     heartbeat timeout (25 s) is dropped and replaced.
//   - A lost connection is reported in every subscription's stream as a *Disconnected event:
//     what the stream described is stale from there. Reconnects wait a jittered exponential
//     backoff, then every subscription is subscribed again with the markets it has at that
//     moment; its stream carries a *Resubscribed event and, on orderbook_delta, fresh
//     snapshots.
//   - The Conn gives up when the handshake is refused with 401 or 403 (a revoked key: trying
//     again cannot help) or after WithReconnectLimit failed attempts in a row: every
//     subscription ends with that error, State reports Failed and Err says why. A handshake
//     refused for a stale timestamp is retried once with the signer's clock corrected.
//   - Each subscription's seq is checked. A gap is reported in the stream as a *Gap event; on
//     orderbook_delta the client asks for fresh snapshots (update_subscription get_snapshot),
//     and subscribes again if the server refuses.
//   - Errors 10 (channel error) and 25 (subscription buffer overflow), which Kalshi documents
//     as ending a subscription, make the client subscribe again.
//   - A slow consumer either holds the connection's reader (Block, the default: nothing is
//     lost) or has messages dropped and then reported as a *Gap followed by a resync
//     (DropAndResync). Memory stays bounded by the buffer size either way.
//   - Close ends every subscription and returns after all goroutines have exited.
//
// # Messages
//
// Decode turns a frame into its typed message and Encode does the reverse, so a fake
// exchange can send frames built from the same types. Prices and sizes use the exact
// fixed-point types of package money. Decoding tolerates the drift real frames show: "ts" as
// Unix seconds or RFC 3339, absent and null fields, "" prices, older cent fields beside the
// dollar ones, unknown members, numbers sent as strings. Fields that cannot be used are left
// zero and listed in Envelope.Warnings; Decode fails only for frames that are not JSON
// objects. orderbook_delta frames, most of the market data, take a hand-written fast path.
package ws
