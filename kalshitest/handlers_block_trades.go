package kalshitest

import (
	"net/http"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// The block trade operations (see block_trades.go for the rules).

// GetBlockTradeProposals lists the proposals you are a party to, newest
// first.
func (h *handlers) GetBlockTradeProposals(w http.ResponseWriter, r *http.Request, p gen.GetBlockTradeProposalsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	x.sweepRFQ(now)
	viewer := userOf(r)
	var list []*blockProposal
	for i := len(x.rfq.blockList) - 1; i >= 0; i-- {
		b := x.rfq.blockList[i]
		switch {
		case b.party(viewer) == nil,
			p.MarketTicker != nil && *p.MarketTicker != "" && b.ticker != *p.MarketTicker,
			p.Status != nil && *p.Status != "" && b.status != *p.Status:
			continue
		}
		list = append(list, b)
	}
	pg, next, err := page(list, func(b *blockProposal) string { return newestFirstKey(b.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetBlockTradeProposalsResponse{Cursor: next, BlockTradeProposals: make([]gen.BlockTradeProposal, 0, len(pg))}
	for _, b := range pg {
		out.BlockTradeProposals = append(out.BlockTradeProposals, b.api(viewer))
	}
	writeJSON(w, http.StatusOK, out)
}

// ProposeBlockTrade records a block trade proposal of the caller.
func (h *handlers) ProposeBlockTrade(w http.ResponseWriter, r *http.Request) {
	var b gen.ProposeBlockTradeRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	p, err := h.s.x.proposeBlockTrade(userOf(r), b)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, gen.ProposeBlockTradeResponse{BlockTradeProposalID: p.id})
}

// AcceptBlockTradeProposal accepts a proposal for the caller's side,
// executing it when the other side has accepted.
func (h *handlers) AcceptBlockTradeProposal(w http.ResponseWriter, r *http.Request, id string) {
	var b gen.AcceptBlockTradeProposalRequest
	if err := decodeOptionalBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	noContent(w, h.s.x.acceptBlockTrade(userOf(r), id, b))
}
