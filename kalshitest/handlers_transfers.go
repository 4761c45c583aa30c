package kalshitest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// Transfers between exchange instances and shards. The event-contract
// instance's cash is the ledgers' cash per shard (GetBalance's
// balance_breakdown); the margined instance's is kept per user and shard,
// and counts for nothing on the event-contract side. Kalshi processes
// these transfers asynchronously; the fake applies them at once, whole,
// and reports them complete.

const (
	eventContract = "event_contract"
	margined      = "margined"
)

// instanceTransfer is a move of cash between exchange instances, shards or
// subaccounts of one user.
type instanceTransfer struct {
	id                  string
	source, destination string // event_contract or margined
	srcShard, dstShard  int
	srcSub, dstSub      int // event_contract sides only
	amount              money.Dollars
	at                  time.Time
	seq                 uint64
}

// touches reports whether the transfer moved cash in or out of an
// event-contract subaccount.
func (t *instanceTransfer) touches(sub int) bool {
	return (t.source == eventContract && t.srcSub == sub) || (t.destination == eventContract && t.dstSub == sub)
}

func (t *instanceTransfer) api() gen.IntraExchangeInstanceTransfer {
	return gen.IntraExchangeInstanceTransfer{
		TransferID: t.id, Source: gen.ExchangeInstance(t.source), Destination: gen.ExchangeInstance(t.destination),
		SourceExchangeShard: t.srcShard, DestinationExchangeShard: t.dstShard, Amount: t.amount,
		Status: gen.IntraExchangeInstanceTransferStatusIntraExchangeInstanceTransferStatusComplete, CreatedTS: t.at.Unix(),
	}
}

// checkInstanceTransfer refuses a transfer body that cannot be applied
// whatever the balances.
func checkInstanceTransfer(b gen.IntraExchangeInstanceTransferRequest) error {
	for _, inst := range []gen.ExchangeInstance{b.Source, b.Destination} {
		if inst != eventContract && inst != margined {
			return errBadRequest(fmt.Sprintf("exchange instance must be %s or %s, got %q", eventContract, margined, inst))
		}
	}
	if err := checkShard("source_exchange_shard", b.SourceExchangeShard); err != nil {
		return err
	}
	if err := checkShard("destination_exchange_shard", b.DestinationExchangeShard); err != nil {
		return err
	}
	for _, s := range []int{b.SourceSubaccount, b.DestinationSubaccount} {
		if err := checkSubaccountNumber(s); err != nil {
			return err
		}
	}
	switch {
	case (b.Source == margined || b.Destination == margined) && (b.SourceSubaccount != 0 || b.DestinationSubaccount != 0):
		return errBadRequest("subaccounts apply to event_contract to event_contract transfers only")
	case b.Source == b.Destination && b.SourceExchangeShard == b.DestinationExchangeShard && b.SourceSubaccount == b.DestinationSubaccount:
		return errBadRequest("source and destination are the same")
	case b.Amount <= 0:
		return errBadRequest("amount must be positive")
	case b.Amount > maxTransferCents*100:
		return errBadRequest(fmt.Sprintf("amount must be at most %d centi-cents", int64(maxTransferCents*100)))
	}
	return nil
}

// transferInstances applies a checked transfer, all or nothing.
func (x *exchange) transferInstances(userID string, b gen.IntraExchangeInstanceTransferRequest) (*instanceTransfer, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	st := &x.subaccounts
	amount := money.DollarsFromMicros(b.Amount * 100) // centi-cents
	var src, dst *account
	var err error
	if b.Source == eventContract {
		if src, err = x.ledger(userID, b.SourceSubaccount); err != nil {
			return nil, err
		}
	}
	if b.Destination == eventContract {
		if dst, err = x.ledger(userID, b.DestinationSubaccount); err != nil {
			return nil, err
		}
	}
	avail := st.margined[userID][b.SourceExchangeShard]
	if src != nil {
		avail = src.cashOn(b.SourceExchangeShard)
	}
	if avail.Cmp(amount) < 0 {
		return nil, errInsufficientBalance()
	}

	switch {
	case src != nil && dst != nil:
		moveCash(src, b.SourceExchangeShard, dst, b.DestinationExchangeShard, amount, now)
	case src != nil: // to the margined exchange: out of the ledger
		src.addCash(b.SourceExchangeShard, amount.Neg())
		src.netIn, src.updated = src.netIn.Sub(amount), now
		st.addMargined(userID, b.DestinationExchangeShard, amount)
	case dst != nil: // from the margined exchange: into the ledger
		st.addMargined(userID, b.SourceExchangeShard, amount.Neg())
		dst.addCash(b.DestinationExchangeShard, amount)
		dst.netIn, dst.updated = dst.netIn.Add(amount), now
	default:
		st.addMargined(userID, b.SourceExchangeShard, amount.Neg())
		st.addMargined(userID, b.DestinationExchangeShard, amount)
	}
	t := &instanceTransfer{
		id: x.newID(), source: string(b.Source), destination: string(b.Destination),
		srcShard: b.SourceExchangeShard, dstShard: b.DestinationExchangeShard, srcSub: b.SourceSubaccount, dstSub: b.DestinationSubaccount,
		amount: amount, at: now, seq: x.nextSeq(),
	}
	st.instanceTransfers[userID] = append(st.instanceTransfers[userID], t)
	return t, nil
}

// addMargined changes a user's cash on the margined exchange on one shard.
func (st *subaccountState) addMargined(userID string, shard int, d money.Dollars) {
	m := st.margined[userID]
	if m == nil {
		m = map[int]money.Dollars{}
		st.margined[userID] = m
	}
	m[shard] = m[shard].Add(d)
}

// IntraExchangeInstanceTransfer moves the caller's cash between exchange
// instances, shards and (event contract to event contract) subaccounts. A
// key restricted to a subaccount cannot.
func (h *handlers) IntraExchangeInstanceTransfer(w http.ResponseWriter, r *http.Request) {
	var b gen.IntraExchangeInstanceTransferRequest
	err := decodeBody(r, &b)
	if err == nil {
		err = refuseRestrictedKey(r, "transfer cash")
	}
	if err == nil {
		err = checkInstanceTransfer(b)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	t, err := h.s.x.transferInstances(userOf(r), b)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, gen.IntraExchangeInstanceTransferResponse{TransferID: t.id})
}

// GetIntraExchangeInstanceTransfers lists the caller's transfers between
// instances and shards, newest first (for a key restricted to a
// subaccount, those in or out of it).
func (h *handlers) GetIntraExchangeInstanceTransfers(w http.ResponseWriter, r *http.Request, p gen.GetIntraExchangeInstanceTransfersParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	all := x.subaccounts.instanceTransfers[userOf(r)]
	ks := keySubaccount(r)
	list := make([]*instanceTransfer, 0, len(all))
	for i := len(all) - 1; i >= 0; i-- {
		if t := all[i]; ks == nil || t.touches(*ks) {
			list = append(list, t)
		}
	}
	pg, next, err := page(list, func(t *instanceTransfer) string { return newestFirstKey(t.seq) }, strOr(p.Cursor), intOr(p.Limit, 100), 100)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetIntraExchangeInstanceTransfersResponse{Transfers: make([]gen.IntraExchangeInstanceTransfer, 0, len(pg))}
	if next != "" { // absent on the last page
		out.Cursor = &next
	}
	for _, t := range pg {
		out.Transfers = append(out.Transfers, t.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// GetIntraExchangeInstanceTransfer answers one of the caller's transfers
// between instances and shards.
func (h *handlers) GetIntraExchangeInstanceTransfer(w http.ResponseWriter, r *http.Request, transferID string) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	ks := keySubaccount(r)
	for _, t := range x.subaccounts.instanceTransfers[userOf(r)] {
		if t.id == transferID && (ks == nil || t.touches(*ks)) {
			writeJSON(w, http.StatusOK, gen.GetIntraExchangeInstanceTransferResponse{Transfer: t.api()})
			return
		}
	}
	writeError(w, errNotFound())
}
