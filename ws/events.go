package ws

// Types of the client's own events. They contain a dot, which no Kalshi type does.
const (
	TypeGap          = "ws.gap"
	TypeResubscribed = "ws.resubscribed"
	TypeDisconnected = "ws.disconnected"
)

func isLocalType(t string) bool {
	return t == TypeGap || t == TypeResubscribed || t == TypeDisconnected
}

// Disconnected reports, in order within every subscription's stream, that the connection
// was lost: nothing arrives until it is back, and what the subscription's data described
// (an order book, say) is stale from here. A *Resubscribed with Reason "reconnect" follows
// when the subscription is restored. If the Conn gives up instead (the key was refused, or
// the reconnect limit was reached), the subscription ends with that error.
type Disconnected struct {
	Envelope
	// Err is why the connection ended.
	Err error
}

// Gap reports, in order within a subscription's stream, that messages were lost before the
// next one: the server skipped sequence numbers (Expected < Got, or a repeat when Got <
// Expected), or the consumer was too slow under DropAndResync and Dropped messages were
// discarded locally. On orderbook_delta the client asks for fresh snapshots of the
// subscription's markets (Resync is true); until they arrive, books built from the stream
// are stale. Other channels cannot replay lost messages; the gap is only reported.
type Gap struct {
	Envelope
	// Expected and Got are the sequence numbers expected and received (server gaps).
	Expected, Got int64
	// Dropped is the number of messages discarded locally for a slow consumer.
	Dropped int
	// Resync reports that fresh snapshots were requested.
	Resync bool
}

// Resubscribed reports, in order within a subscription's stream, that the subscription was
// created again on the server: after a reconnect, after a terminal error (codes 10 and 25),
// or as the fallback of a failed resync. The server assigns a new sid and starts a new
// sequence; orderbook_delta subscriptions receive new snapshots right after this event.
type Resubscribed struct {
	Envelope
	// OldSID is the sid before (0 if unknown), NewSID the sid now (also in Envelope.SID).
	OldSID, NewSID int64
	// Reason says why: "reconnect", "error <code>" or "resync".
	Reason string
	// Markets are the markets the subscription was restored with.
	Markets []string
}
