package ws

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors returned by Conn and Subscription methods. Match them with errors.Is.
var (
	// ErrClosed is returned by operations on a closed Conn and is the end reason of every
	// subscription that was still open when Close was called.
	ErrClosed = errors.New("ws: connection closed")
	// ErrConnectionLost is returned by a command whose connection dropped before the reply
	// arrived. The command may or may not have reached the server; subscriptions are restored
	// automatically, other commands may be sent again.
	ErrConnectionLost = errors.New("ws: connection lost before the reply arrived")
	// ErrUnsubscribed is the end reason of a subscription ended by Unsubscribe.
	ErrUnsubscribed = errors.New("ws: unsubscribed")
	// ErrUnexpectedReply is returned when the server answers a command with a message of a
	// type the command does not expect.
	ErrUnexpectedReply = errors.New("ws: unexpected reply")
	// ErrNoSigner is returned by Dial when no signer was configured: Kalshi refuses
	// unauthenticated WebSocket connections.
	ErrNoSigner = errors.New("ws: no signer configured (use WithSigner)")
	// ErrReconnectLimit is the end reason of every subscription of a Conn that gave up
	// reconnecting after WithReconnectLimit failed attempts in a row.
	ErrReconnectLimit = errors.New("ws: gave up reconnecting")
)

// ErrorCode is the numeric code of a Kalshi WebSocket error reply.
type ErrorCode int

// Error codes of Kalshi's WebSocket API. Codes 6, 16 and 17 are retired and never sent.
const (
	CodeUnableToProcess          ErrorCode = 1
	CodeParamsRequired           ErrorCode = 2
	CodeChannelsRequired         ErrorCode = 3
	CodeSubscriptionIDsRequired  ErrorCode = 4
	CodeUnknownCommand           ErrorCode = 5
	CodeUnknownSubscriptionID    ErrorCode = 7
	CodeUnknownChannel           ErrorCode = 8
	CodeAuthenticationRequired   ErrorCode = 9
	CodeChannelError             ErrorCode = 10
	CodeInvalidParameter         ErrorCode = 11
	CodeExactlyOneSIDRequired    ErrorCode = 12
	CodeUnsupportedAction        ErrorCode = 13
	CodeMarketTickerRequired     ErrorCode = 14
	CodeActionRequired           ErrorCode = 15
	CodeCommandTimeout           ErrorCode = 18
	CodeShardFactorInvalid       ErrorCode = 19
	CodeShardFactorRequired      ErrorCode = 20
	CodeShardKeyInvalid          ErrorCode = 21
	CodeShardFactorTooLarge      ErrorCode = 22
	CodeMatchIDsRequired         ErrorCode = 23
	CodeIndexIDsRequired         ErrorCode = 24
	CodeSubscriptionBufferFull   ErrorCode = 25
	CodeMarketLimitExceeded      ErrorCode = 26
	CodeTooManyRequests          ErrorCode = 27
	CodeUnderlyingTickersMissing ErrorCode = 28
)

var codeNames = map[ErrorCode]string{
	CodeUnableToProcess:          "unable to process message",
	CodeParamsRequired:           "params required",
	CodeChannelsRequired:         "channels required",
	CodeSubscriptionIDsRequired:  "subscription IDs required",
	CodeUnknownCommand:           "unknown command",
	CodeUnknownSubscriptionID:    "unknown subscription ID",
	CodeUnknownChannel:           "unknown channel name",
	CodeAuthenticationRequired:   "authentication required",
	CodeChannelError:             "channel error",
	CodeInvalidParameter:         "invalid parameter",
	CodeExactlyOneSIDRequired:    "exactly one subscription ID is required",
	CodeUnsupportedAction:        "unsupported action",
	CodeMarketTickerRequired:     "market ticker required",
	CodeActionRequired:           "action required",
	CodeCommandTimeout:           "command timeout",
	CodeShardFactorInvalid:       "shard_factor must be > 0",
	CodeShardFactorRequired:      "shard_factor is required when shard_key is set",
	CodeShardKeyInvalid:          "shard_key must be >= 0 and < shard_factor",
	CodeShardFactorTooLarge:      "shard_factor must be <= 100",
	CodeMatchIDsRequired:         "match IDs required",
	CodeIndexIDsRequired:         "index IDs required",
	CodeSubscriptionBufferFull:   "subscription buffer overflow",
	CodeMarketLimitExceeded:      "subscription market limit exceeded",
	CodeTooManyRequests:          "too many requests",
	CodeUnderlyingTickersMissing: "underlying tickers required",
}

// String returns the code's name as Kalshi documents it, or "code N" for an unknown code.
func (c ErrorCode) String() string {
	if s, ok := codeNames[c]; ok {
		return s
	}
	return fmt.Sprintf("code %d", int(c))
}

// Terminal reports whether an error with this code, scoped to a subscription, ends that
// subscription on the server. Kalshi documents two: 10 (channel error) and 25 (subscription
// buffer overflow); after either the client must subscribe again, which Conn does itself.
func (c ErrorCode) Terminal() bool {
	return c == CodeChannelError || c == CodeSubscriptionBufferFull
}

// Transient reports whether a command that failed with this code may succeed if sent again
// later unchanged: server-side timeouts, rate limiting and the terminal channel errors.
func (c ErrorCode) Transient() bool {
	switch c {
	case CodeUnableToProcess, CodeChannelError, CodeCommandTimeout, CodeSubscriptionBufferFull, CodeTooManyRequests:
		return true
	}
	return false
}

// Error is Kalshi's error message: the reply to a failed command, or a subscription-scoped
// error (with SID set) such as a terminal channel error. It implements error, so command
// methods return it directly; match it with errors.As.
type Error struct {
	Envelope `json:"-"`
	// Code identifies the error; see the Code constants.
	Code ErrorCode `json:"code"`
	// Message is the server's human-readable text.
	Message string `json:"msg"`
	// MarketTicker optionally names the market the error concerns.
	MarketTicker string `json:"market_ticker,omitempty"`
	// MarketTickers optionally names several markets the error concerns.
	MarketTickers []string `json:"market_tickers,omitempty"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ws: kalshi error %d (%s)", int(e.Code), e.Code)
	if e.Message != "" && !strings.EqualFold(e.Message, e.Code.String()) {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.MarketTicker != "" {
		fmt.Fprintf(&b, " [market %s]", e.MarketTicker)
	}
	if e.SID != 0 {
		fmt.Fprintf(&b, " [sid %d]", e.SID)
	}
	return b.String()
}
