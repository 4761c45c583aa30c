package kalshitest

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"time"

	"github.com/seed-c9ca4919/kalshi/money"
)

// rfqState holds the fake's RFQs, quotes and block trade proposals, by ID
// and in the order they were made (oldest first).
type rfqState struct {
	rfqs      map[string]*rfqRecord
	rfqList   []*rfqRecord
	quotes    map[string]*quoteRecord
	quoteList []*quoteRecord
	blocks    map[string]*blockProposal
	blockList []*blockProposal
}

// maxOpenRFQs is how many open RFQs a user may have at once, as Kalshi
// documents it.
const maxOpenRFQs = 100

// confirmWindow is how long a quoter has to confirm an accepted quote
// before the acceptance lapses (Kalshi's standard window).
const confirmWindow = 30 * time.Second

// RFQ and quote statuses, as the spec's enums spell them.
const (
	rfqOpen   = "open"
	rfqClosed = "closed"

	quoteOpen      = "open"
	quoteAccepted  = "accepted"
	quoteConfirmed = "confirmed"
	quoteExecuted  = "executed"
	quoteCancelled = "cancelled"
)

// Why an RFQ or a quote stopped, as cancellation_reason reports it.
const (
	reasonDeleted       = "deleted"             // its creator deleted it
	reasonReplaced      = "replaced"            // a newer RFQ or quote of its creator replaced it
	reasonRFQClosed     = "rfq_closed"          // its RFQ was deleted or executed another quote
	reasonConfirmLapsed = "confirmation_lapsed" // accepted, but not confirmed within confirmWindow
)

// rfqRecord is one request for quote.
type rfqRecord struct {
	id, userID, ticker string
	subaccount         int
	contracts          money.Count    // zero when sized by target cost
	targetCost         *money.Dollars // nil when sized by contracts
	excludesFees       bool
	restRemainder      bool
	obscure            bool // the creator's ID is hidden from others until it executes
	status             string
	executed           bool
	cancelReason       string
	created, updated   time.Time
	cancelled          *time.Time
	seq                uint64
}

// quoteRecord is one quote answering an RFQ. yesBid is what the quoter
// pays for YES contracts, noBid for NO contracts (zero declines the side);
// yesCount and noCount are the contracts each side trades.
type quoteRecord struct {
	id, userID                             string
	rfq                                    *rfqRecord
	subaccount                             int
	yesBid, noBid                          money.Dollars
	yesCount, noCount                      money.Count
	restRemainder, postOnly                bool
	status                                 string
	acceptedSide                           string // "yes" or "no" once accepted
	cancelReason                           string
	created, updated                       time.Time
	accepted, confirmed, executed, stopped *time.Time
	makerOrderID, takerOrderID             string // the quoter's and the RFQ creator's orders, once executed
	seq                                    uint64
}

// ready makes the maps on first use.
func (s *rfqState) ready() {
	if s.rfqs == nil {
		s.rfqs = map[string]*rfqRecord{}
		s.quotes = map[string]*quoteRecord{}
		s.blocks = map[string]*blockProposal{}
	}
}

// seedRFQ gives the domain its starting data (exchange lock held): none,
// the RFQs and quotes of a test are its own.
func (x *exchange) seedRFQ(now time.Time) { x.rfq.ready() }

// communicationsID is a user's public communications ID: a stable,
// anonymous 64-digit hex name derived from the user ID, the same in every
// run.
func communicationsID(userID string) string {
	h := sha256.Sum256([]byte("kalshitest communications " + userID))
	return hex.EncodeToString(h[:])
}

// hiddenCreatorID stands for an RFQ creator who chose to hide their ID.
const hiddenCreatorID = "0"

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// checkUUID refuses an ID that is not a UUID, as Kalshi refuses malformed
// RFQ and quote IDs.
func checkUUID(name, id string) error {
	if !uuidPattern.MatchString(id) {
		return errInvalidParameters(name + " is not a valid UUID")
	}
	return nil
}

// hidesCreatorFrom reports whether viewer sees the RFQ's creator as "0".
func (q *rfqRecord) hidesCreatorFrom(viewer string) bool {
	return q.obscure && !q.executed && viewer != q.userID
}

// creatorIDFor is the RFQ creator's communications ID as viewer sees it.
func (q *rfqRecord) creatorIDFor(viewer string) string {
	if q.hidesCreatorFrom(viewer) {
		return hiddenCreatorID
	}
	return communicationsID(q.userID)
}

// visibleTo reports whether a user may see a quote: only its creator and
// the creator of its RFQ do.
func (qt *quoteRecord) visibleTo(userID string) bool {
	return userID == qt.userID || userID == qt.rfq.userID
}

// live reports whether a quote can still be accepted, confirmed or
// withdrawn.
func (qt *quoteRecord) live() bool { return qt.status == quoteOpen || qt.status == quoteAccepted }

// sideCount is the contracts the quote trades on side ("yes" or "no").
func (qt *quoteRecord) sideCount(side string) money.Count {
	if side == "yes" {
		return qt.yesCount
	}
	return qt.noCount
}

// sideBid is the quoter's bid on side ("yes" or "no").
func (qt *quoteRecord) sideBid(side string) money.Dollars {
	if side == "yes" {
		return qt.yesBid
	}
	return qt.noBid
}

// findRFQ returns an RFQ by ID: 400 for a malformed ID, 404 for an unknown one.
func (x *exchange) findRFQ(id string) (*rfqRecord, error) {
	if err := checkUUID("rfq_id", id); err != nil {
		return nil, err
	}
	x.rfq.ready()
	q, ok := x.rfq.rfqs[id]
	if !ok {
		return nil, errNotFound()
	}
	return q, nil
}

// findQuote returns a quote viewer may see (404 otherwise); rfqID, when
// not empty, must be the quote's RFQ.
func (x *exchange) findQuote(viewer, rfqID, quoteID string) (*quoteRecord, error) {
	if rfqID != "" {
		if err := checkUUID("rfq_id", rfqID); err != nil {
			return nil, err
		}
	}
	if err := checkUUID("quote_id", quoteID); err != nil {
		return nil, err
	}
	x.rfq.ready()
	qt, ok := x.rfq.quotes[quoteID]
	if !ok || !qt.visibleTo(viewer) || (rfqID != "" && qt.rfq.id != rfqID) {
		return nil, errNotFound()
	}
	return qt, nil
}

// sweepRFQ lapses what time has ended: accepted quotes left unconfirmed
// past the confirmation window and block trade proposals past their
// expiration. Every RFQ and block trade operation calls it first, so the
// lapses are exact as seen through them.
func (x *exchange) sweepRFQ(now time.Time) {
	x.rfq.ready()
	for _, qt := range x.rfq.quoteList {
		if qt.status == quoteAccepted && !now.Before(qt.accepted.Add(confirmWindow)) {
			x.stopQuote(qt, reasonConfirmLapsed, now)
		}
	}
	for _, b := range x.rfq.blockList {
		if b.status == blockOpen && !now.Before(b.expiration) {
			b.status, b.updated = blockExpired, now
		}
	}
}

// stopQuote cancels a live quote.
func (x *exchange) stopQuote(qt *quoteRecord, reason string, now time.Time) {
	qt.status, qt.cancelReason, qt.updated, qt.stopped = quoteCancelled, reason, now, ptr(now)
}

// closeRFQ closes an open RFQ, cancelling its live quotes, and announces
// it on the communications channel; reason is empty when it executed.
func (x *exchange) closeRFQ(q *rfqRecord, reason string, now time.Time) {
	q.status, q.updated = rfqClosed, now
	if reason != "" {
		q.cancelReason, q.cancelled = reason, ptr(now)
	}
	for _, qt := range x.rfq.quoteList {
		if qt.rfq == q && qt.live() {
			x.stopQuote(qt, reasonRFQClosed, now)
		}
	}
	x.publishRFQDeleted(q, now)
}

// openRFQs counts a user's open RFQs.
func (x *exchange) openRFQs(userID string) int {
	n := 0
	for _, q := range x.rfq.rfqList {
		if q.userID == userID && q.status == rfqOpen {
			n++
		}
	}
	return n
}
