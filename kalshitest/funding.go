package kalshitest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// Deposits and withdrawals. The fake moves no money in or out of the
// exchange, so every account's history is the one that explains its
// starting cash: an ACH deposit applied a month before the account opened,
// a withdrawal of a fifth of the starting cash (in whole dollars) since,
// and a debit card deposit that failed. Applied deposits less applied
// withdrawals equal the starting cash (to the cent). An account that
// started with nothing has no history. The records are a function of the
// account, with IDs named after it and the run (IDs follow WithSeed like
// the exchange's others), so they cost nothing until asked for.

// funding is one deposit or withdrawal.
type funding struct {
	id, status, kind   string
	cents              int64
	created, finalized time.Time
}

// fundingHistory is an account's deposits and withdrawals, newest first;
// run names the run its IDs belong to.
func fundingHistory(a *account, run string) (deposits, withdrawals []funding) {
	start, _ := a.start.Cents()
	if start <= 0 {
		return nil, nil
	}
	out := a.created.UTC().Truncate(time.Second)
	day := 24 * time.Hour
	id := func(n int) string {
		return uuidOfName("kalshitest funding " + run + " " + a.userID + " " + strconv.Itoa(n))
	}
	withdrawn := start / 5 / 100 * 100 // whole dollars
	deposits = []funding{
		{id: id(2), status: "failed", kind: "debit", cents: 2500, created: out.Add(-20 * day), finalized: out.Add(-20 * day)},
		{id: id(1), status: "applied", kind: "ach", cents: start + withdrawn, created: out.Add(-30 * day), finalized: out.Add(-28 * day)},
	}
	if withdrawn > 0 {
		withdrawals = []funding{
			{id: id(3), status: "applied", kind: "ach", cents: withdrawn, created: out.Add(-12 * day), finalized: out.Add(-10 * day)},
		}
	}
	return deposits, withdrawals
}

// fundingFor is the caller's history: the primary account's, where money
// arrives and leaves, and none for a key restricted to a numbered
// subaccount.
func (h *handlers) fundingFor(r *http.Request) (deposits, withdrawals []funding) {
	if ks := keySubaccount(r); ks != nil && *ks != 0 {
		return nil, nil
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	return fundingHistory(x.account(userOf(r)), x.subaccounts.run)
}

// fundingPage cuts a page of a history, newest first.
func fundingPage(list []funding, cursor *string, limit *int64) ([]funding, string, error) {
	// The list is short and fixed; keys are the position in it.
	type item struct {
		n int
		f funding
	}
	items := make([]item, len(list))
	for i, f := range list {
		items[i] = item{i, f}
	}
	pg, next, err := page(items, func(it item) string { return seqKey(uint64(it.n)) }, strOr(cursor), intOr(limit, 100), 100)
	out := make([]funding, len(pg))
	for i, it := range pg {
		out[i] = it.f
	}
	return out, next, err
}

// GetDeposits lists the caller's deposits, newest first.
func (h *handlers) GetDeposits(w http.ResponseWriter, r *http.Request, p gen.GetDepositsParams) {
	deposits, _ := h.fundingFor(r)
	pg, next, err := fundingPage(deposits, p.Cursor, p.Limit)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetDepositsResponse{Cursor: &next, Deposits: make([]gen.Deposit, 0, len(pg))}
	for _, f := range pg {
		out.Deposits = append(out.Deposits, gen.Deposit{
			ID: f.id, Status: gen.DepositStatus(f.status), Type: gen.DepositType(f.kind), AmountCents: f.cents,
			FeeCents: 0, CreatedTS: f.created.Unix(), FinalizedTS: ptr(f.finalized.Unix()),
		})
	}
	writeJSON(w, http.StatusOK, out)
}

// GetWithdrawals lists the caller's withdrawals, newest first.
func (h *handlers) GetWithdrawals(w http.ResponseWriter, r *http.Request, p gen.GetWithdrawalsParams) {
	_, withdrawals := h.fundingFor(r)
	pg, next, err := fundingPage(withdrawals, p.Cursor, p.Limit)
	if err != nil {
		writeError(w, err)
		return
	}
	out := gen.GetWithdrawalsResponse{Cursor: &next, Withdrawals: make([]gen.Withdrawal, 0, len(pg))}
	for _, f := range pg {
		out.Withdrawals = append(out.Withdrawals, gen.Withdrawal{
			ID: f.id, Status: gen.WithdrawalStatus(f.status), Type: gen.WithdrawalType(f.kind), AmountCents: f.cents,
			FeeCents: 0, CreatedTS: f.created.Unix(), FinalizedTS: ptr(f.finalized.Unix()),
		})
	}
	writeJSON(w, http.StatusOK, out)
}
