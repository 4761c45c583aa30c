package kalshitest

import (
	"net/http"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// The communications operations on RFQs and quotes (see rfq_ops.go for
// the rules). The deprecated paths without the RFQ ID behave as the ones
// with it.

// GetCommunicationsID answers the caller's public communications ID.
func (h *handlers) GetCommunicationsID(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, gen.GetCommunicationsIDResponse{CommunicationsID: communicationsID(userOf(r))})
}

// GetRFQs lists the RFQs of every user, newest first. subaccount narrows
// it to your own RFQs of that subaccount (others' subaccounts are
// private), creator_user_id to one user's (never matching an RFQ whose
// creator hides from you).
func (h *handlers) GetRFQs(w http.ResponseWriter, r *http.Request, p gen.GetRFQsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	viewer := userOf(r)
	creator, status := strOr(p.CreatorUserID), strOr(p.Status)
	if creator != "" {
		if err := checkUUID("creator_user_id", creator); err != nil {
			writeError(w, err)
			return
		}
	}
	if status != "" && status != rfqOpen && status != rfqClosed {
		writeError(w, errInvalidParameters("status must be open or closed"))
		return
	}
	var list []*rfqRecord
	for i := len(x.rfq.rfqList) - 1; i >= 0; i-- {
		q := x.rfq.rfqList[i]
		switch {
		case p.EventTicker != nil && *p.EventTicker != "" && x.eventOf(q.ticker) != *p.EventTicker,
			p.MarketTicker != nil && *p.MarketTicker != "" && q.ticker != *p.MarketTicker,
			p.Subaccount != nil && (q.userID != viewer || q.subaccount != *p.Subaccount),
			status != "" && q.status != status,
			creator != "" && (q.userID != creator || q.hidesCreatorFrom(viewer)),
			p.UserFilter != nil && *p.UserFilter == "self" && q.userID != viewer:
			continue
		}
		list = append(list, q)
	}
	pg, next, err := page(list, func(q *rfqRecord) string { return newestFirstKey(q.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetRFQsResponse{Cursor: next, Rfqs: make([]gen.RFQ, 0, len(pg))}
	for _, q := range pg {
		out.Rfqs = append(out.Rfqs, q.api(viewer))
	}
	writeJSON(w, http.StatusOK, out)
}

// CreateRFQ opens an RFQ (see createRFQ).
func (h *handlers) CreateRFQ(w http.ResponseWriter, r *http.Request) {
	var b gen.CreateRFQRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	req, err := rfqRequestOf(userOf(r), b)
	if err != nil {
		writeError(w, err)
		return
	}
	q, err := h.s.x.createRFQ(req)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, gen.CreateRFQResponse{ID: q.id})
}

// GetRFQ answers any user's RFQ: RFQs are public.
func (h *handlers) GetRFQ(w http.ResponseWriter, r *http.Request, rfqID gen.RFQIDPath) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	q, err := x.findRFQ(rfqID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.GetRFQResponse{RFQ: q.api(userOf(r))})
}

// DeleteRFQ closes one of the caller's open RFQs.
func (h *handlers) DeleteRFQ(w http.ResponseWriter, r *http.Request, rfqID gen.RFQIDPath) {
	noContent(w, h.s.x.deleteRFQ(userOf(r), rfqID))
}

// GetQuotes lists the quotes you created and those on your RFQs, newest
// first.
func (h *handlers) GetQuotes(w http.ResponseWriter, r *http.Request, p gen.GetQuotesParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	viewer := userOf(r)
	rfqID := strOr(p.RFQID)
	if rfqID != "" {
		if err := checkUUID("rfq_id", rfqID); err != nil {
			writeError(w, err)
			return
		}
	}
	status, quoter, rfqCreator := strOr(p.Status), strOr(p.QuoteCreatorUserID), strOr(p.RFQCreatorUserID)
	switch status {
	case "", quoteOpen, quoteAccepted, quoteConfirmed, quoteExecuted, quoteCancelled:
	default:
		writeError(w, errInvalidParameters("status must be open, accepted, confirmed, executed or cancelled"))
		return
	}
	var list []*quoteRecord
	for i := len(x.rfq.quoteList) - 1; i >= 0; i-- {
		qt := x.rfq.quoteList[i]
		switch {
		case !qt.visibleTo(viewer),
			rfqID != "" && qt.rfq.id != rfqID,
			status != "" && qt.status != status,
			quoter != "" && qt.userID != quoter,
			rfqCreator != "" && (qt.rfq.userID != rfqCreator || qt.rfq.hidesCreatorFrom(viewer)),
			strOr(p.RFQCreatorSubtraderID) != "", // no RFQ is a subtrader's
			p.UserFilter != nil && *p.UserFilter == "self" && qt.userID != viewer,
			p.RFQUserFilter != nil && *p.RFQUserFilter == "self" && qt.rfq.userID != viewer,
			p.MinTS != nil && qt.updated.Unix() < *p.MinTS,
			p.MaxTS != nil && qt.updated.Unix() > *p.MaxTS:
			continue
		}
		list = append(list, qt)
	}
	pg, next, err := page(list, func(qt *quoteRecord) string { return newestFirstKey(qt.seq) }, strOr(p.Cursor), intOr(p.Limit, 500), 500)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetQuotesResponse{Cursor: next, Quotes: make([]gen.Quote, 0, len(pg))}
	for _, qt := range pg {
		out.Quotes = append(out.Quotes, qt.api(viewer))
	}
	writeJSON(w, http.StatusOK, out)
}

// CreateQuote quotes on another user's open RFQ (see createQuote).
func (h *handlers) CreateQuote(w http.ResponseWriter, r *http.Request) {
	var b gen.CreateQuoteRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	qt, err := h.s.x.createQuote(quoteRequestOf(userOf(r), b))
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, gen.CreateQuoteResponse{ID: qt.id})
}

// GetRFQQuote answers a quote of an RFQ to one of its two parties.
func (h *handlers) GetRFQQuote(w http.ResponseWriter, r *http.Request, rfqID gen.RFQIDPath, quoteID gen.QuoteIDPath) {
	h.getQuote(w, r, rfqID, quoteID)
}

// GetQuote is GetRFQQuote without the RFQ ID (deprecated).
func (h *handlers) GetQuote(w http.ResponseWriter, r *http.Request, quoteID gen.QuoteIDPath) {
	h.getQuote(w, r, "", quoteID)
}

// getQuote answers a quote to its creator or its RFQ's creator.
func (h *handlers) getQuote(w http.ResponseWriter, r *http.Request, rfqID, quoteID string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	viewer := userOf(r)
	qt, err := x.findQuote(viewer, rfqID, quoteID)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.GetQuoteResponse{Quote: qt.api(viewer)})
}

// DeleteRFQQuote withdraws one of the caller's quotes before it is confirmed.
func (h *handlers) DeleteRFQQuote(w http.ResponseWriter, r *http.Request, rfqID gen.RFQIDPath, quoteID gen.QuoteIDPath) {
	noContent(w, h.s.x.deleteQuote(userOf(r), rfqID, quoteID))
}

// DeleteQuote is DeleteRFQQuote without the RFQ ID (deprecated).
func (h *handlers) DeleteQuote(w http.ResponseWriter, r *http.Request, quoteID gen.QuoteIDPath) {
	noContent(w, h.s.x.deleteQuote(userOf(r), "", quoteID))
}

// AcceptRFQQuote is the RFQ's creator accepting one side of a quote.
func (h *handlers) AcceptRFQQuote(w http.ResponseWriter, r *http.Request, rfqID gen.RFQIDPath, quoteID gen.QuoteIDPath) {
	h.acceptQuote(w, r, rfqID, quoteID)
}

// AcceptQuote is AcceptRFQQuote without the RFQ ID (deprecated).
func (h *handlers) AcceptQuote(w http.ResponseWriter, r *http.Request, quoteID gen.QuoteIDPath) {
	h.acceptQuote(w, r, "", quoteID)
}

// acceptQuote reads the side and accepts it.
func (h *handlers) acceptQuote(w http.ResponseWriter, r *http.Request, rfqID, quoteID string) {
	var b gen.AcceptQuoteRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	noContent(w, h.s.x.acceptQuote(userOf(r), rfqID, quoteID, string(b.AcceptedSide)))
}

// ConfirmRFQQuote is the quoter confirming an accepted quote, which
// executes it.
func (h *handlers) ConfirmRFQQuote(w http.ResponseWriter, r *http.Request, rfqID gen.RFQIDPath, quoteID gen.QuoteIDPath) {
	noContent(w, h.s.x.confirmQuote(userOf(r), rfqID, quoteID))
}

// ConfirmQuote is ConfirmRFQQuote without the RFQ ID (deprecated).
func (h *handlers) ConfirmQuote(w http.ResponseWriter, r *http.Request, quoteID gen.QuoteIDPath) {
	noContent(w, h.s.x.confirmQuote(userOf(r), "", quoteID))
}

// noContent answers 204, or err.
func noContent(w http.ResponseWriter, err error) {
	if err != nil {
		writeError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
