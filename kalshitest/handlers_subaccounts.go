package kalshitest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// CreateSubaccount makes the caller's next numbered subaccount (1, 2, ...
// up to 63), from the Advanced usage level up. A key restricted to a
// subaccount cannot.
func (h *handlers) CreateSubaccount(w http.ResponseWriter, r *http.Request) {
	var b gen.CreateSubaccountRequest
	err := decodeOptionalBody(r, &b)
	if err == nil {
		err = refuseRestrictedKey(r, "create subaccounts")
	}
	if err == nil {
		err = checkShard("exchange_index", b.ExchangeIndex)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	n, err := h.s.x.createSubaccount(userOf(r), b.ExchangeIndex, h.s.serverTier())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, gen.CreateSubaccountResponse{SubaccountNumber: n})
}

// decodeOptionalBody is decodeBody for an optional body: an empty one
// leaves v as it is.
func decodeOptionalBody(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	if err != nil {
		return errBadRequest(fmt.Sprintf("reading the body: %v", err))
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	return decodeBody(r, v)
}

// ApplySubaccountTransfer moves cash between two of the caller's
// subaccounts on one shard, all or nothing: a client_transfer_id already
// used answers 409 without moving money again.
func (h *handlers) ApplySubaccountTransfer(w http.ResponseWriter, r *http.Request) {
	var b gen.ApplySubaccountTransferRequest
	err := decodeBody(r, &b)
	if err == nil {
		err = refuseRestrictedKey(r, "transfer cash")
	}
	if err == nil {
		err = checkSubaccountTransfer(b)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	if err := h.s.x.transferCash(userOf(r), b.ClientTransferID.String(), b.FromSubaccount, b.ToSubaccount, b.AmountCents, b.ExchangeIndex); err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.ApplySubaccountTransferResponse{})
}

// checkSubaccountTransfer refuses a transfer body that cannot be applied
// whatever the balances.
func checkSubaccountTransfer(b gen.ApplySubaccountTransferRequest) error {
	for _, s := range []int{b.FromSubaccount, b.ToSubaccount} {
		if err := checkSubaccountNumber(s); err != nil {
			return err
		}
	}
	switch {
	case b.FromSubaccount == b.ToSubaccount:
		return errBadRequest("from_subaccount and to_subaccount must differ")
	case b.AmountCents <= 0:
		return errBadRequest("amount_cents must be positive")
	case b.AmountCents > maxTransferCents:
		return errBadRequest(fmt.Sprintf("amount_cents must be at most %d", int64(maxTransferCents)))
	}
	return checkShard("exchange_index", b.ExchangeIndex)
}

// GetSubaccountBalances answers the available cash of every subaccount on
// every shard it is on (only its own for a key restricted to one).
func (h *handlers) GetSubaccountBalances(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	ledgers, err := x.userLedgers(userOf(r), keySubaccount(r))
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetSubaccountBalancesResponse{SubaccountBalances: []gen.SubaccountBalance{}}
	for _, a := range ledgers {
		for _, s := range a.shards() {
			out.SubaccountBalances = append(out.SubaccountBalances, gen.SubaccountBalance{
				SubaccountNumber: a.sub, ExchangeIndex: s, Balance: a.cashOn(s), UpdatedTS: a.updated.Unix(),
			})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// GetSubaccountTransfers lists the caller's transfers between subaccounts,
// newest first (for a key restricted to a subaccount, those in or out of
// it).
func (h *handlers) GetSubaccountTransfers(w http.ResponseWriter, r *http.Request, p gen.GetSubaccountTransfersParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	all := x.subaccounts.transfers[userOf(r)]
	ks := keySubaccount(r)
	list := make([]*subaccountTransfer, 0, len(all))
	for i := len(all) - 1; i >= 0; i-- {
		if t := all[i]; ks == nil || t.from == *ks || t.to == *ks {
			list = append(list, t)
		}
	}
	pg, next, err := page(list, func(t *subaccountTransfer) string { return newestFirstKey(t.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetSubaccountTransfersResponse{Cursor: &next, Transfers: make([]gen.SubaccountTransfer, 0, len(pg))}
	for _, t := range pg {
		cents, _ := t.amount.Cents()
		out.Transfers = append(out.Transfers, gen.SubaccountTransfer{
			TransferID: t.id, FromSubaccount: t.from, ToSubaccount: t.to, AmountCents: cents,
			CreatedTS: t.at.Unix(), ExchangeIndex: t.shard,
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// UpdateSubaccountNetting turns netting on or off for one subaccount (a
// key restricted to a subaccount may change only its own). The setting is
// kept and reported; the fake's positions net whatever it says (YES and
// NO contracts of one market close each other, as the engine models it).
func (h *handlers) UpdateSubaccountNetting(w http.ResponseWriter, r *http.Request) {
	var b gen.UpdateSubaccountNettingRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	err := checkSubaccountNumber(b.SubaccountNumber)
	if ks := keySubaccount(r); err == nil && ks != nil && *ks != b.SubaccountNumber {
		err = errKeyRestricted(*ks)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	a, err := x.ledger(userOf(r), b.SubaccountNumber)
	if err != nil {
		writeError(w, err)
		return
	}
	key := ledgerKey(a.userID, a.sub)
	if b.Enabled {
		delete(x.subaccounts.nettingOff, key)
	} else {
		x.subaccounts.nettingOff[key] = true
	}
	w.WriteHeader(http.StatusOK)
}

// GetSubaccountNetting answers the netting setting of every subaccount on
// every shard it is on (only its own for a key restricted to one).
func (h *handlers) GetSubaccountNetting(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	ledgers, err := x.userLedgers(userOf(r), keySubaccount(r))
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetSubaccountNettingResponse{NettingConfigs: []gen.SubaccountNettingConfig{}}
	for _, a := range ledgers {
		for _, s := range a.shards() {
			out.NettingConfigs = append(out.NettingConfigs, gen.SubaccountNettingConfig{
				SubaccountNumber: a.sub, ExchangeIndex: s, Enabled: x.subaccounts.netting(a),
			})
		}
	}
	writeJSON(w, http.StatusOK, out)
}
