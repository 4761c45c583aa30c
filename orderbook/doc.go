// Package orderbook keeps exact local order books of Kalshi markets, built from the
// orderbook_snapshot and orderbook_delta messages of package ws.
//
// A Book holds the YES bids and the NO bids of one market in fixed-point (money.Dollars
// prices, money.Count sizes); asks are derived, a YES ask at 1 − the best NO bid. Snapshots
// may omit an empty side; sizes may be fractional; a delta that brings a level to exactly
// zero removes it. The book refuses what it cannot apply exactly: a delta before any
// snapshot (ErrNoSnapshot), a delta that would leave a level below zero
// (ErrNegativeLevel), and sizes that would overflow (ErrOverflow), after which the book is
// stale until the next snapshot. It never guesses.
//
// A Manager feeds books from a ws subscription (any Source), marks them stale on gaps,
// resubscribes and terminal errors, asks for snapshots when a delta does not fit, and gives
// readers consistent copies while updates continue. Its Changes method yields the ticker
// of each book that changed, coalesced, for a program that acts when a book moves.
//
// FromREST builds a Book from the REST answer of GetMarketOrderbook, for a one-off look at a
// market without a WebSocket connection.
package orderbook
