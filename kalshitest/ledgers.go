package kalshitest

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"

	"github.com/seed-c9ca4919/kalshi/money"
)

// Every user trades through ledgers: the primary account (subaccount 0,
// the account of exchange.accounts) and the numbered subaccounts 1 to 63
// it creates, each an *account of its own with cash, positions, orders,
// fills and settlements. An order trades for the ledger of its subaccount;
// what is the user's as a whole stays on the user: self-trade prevention,
// order lookup and client_order_id uniqueness.

// maxSubaccount is the highest subaccount number.
const maxSubaccount = 63

// maxShard is the highest exchange shard (exchange_index) the fake takes.
// The markets all trade on shard 0; cash can be moved to the others.
const maxShard = 100

// errSubaccountNotFound refuses a request naming a subaccount the user has
// not created.
func errSubaccountNotFound(sub int) *apiError {
	return &apiError{status: http.StatusBadRequest, code: "subaccount_not_found", message: "subaccount not found",
		details: fmt.Sprintf("subaccount %d does not exist; CreateSubaccount makes them in order from 1", sub), service: "exchange"}
}

// checkSubaccountNumber refuses a number outside 0-63.
func checkSubaccountNumber(sub int) error {
	if sub < 0 || sub > maxSubaccount {
		return errBadRequest(fmt.Sprintf("subaccount must be 0 (the primary account) to %d, got %d", maxSubaccount, sub))
	}
	return nil
}

// ledger returns the ledger of userID's subaccount sub: the primary
// account for 0 (made empty when new, like account), or a numbered
// subaccount the user created.
func (x *exchange) ledger(userID string, sub int) (*account, error) {
	if err := checkSubaccountNumber(sub); err != nil {
		return nil, err
	}
	a := x.account(userID)
	if sub == 0 {
		return a, nil
	}
	if sub > len(a.subaccounts) {
		return nil, errSubaccountNotFound(sub)
	}
	return a.subaccounts[sub-1], nil
}

// ledgerOf returns the ledger an order trades for (it was checked to exist
// when the order was placed, and subaccounts are never removed).
func (x *exchange) ledgerOf(o *order) *account {
	a := x.account(o.userID)
	if o.subaccount == 0 {
		return a
	}
	return a.subaccounts[o.subaccount-1]
}

// ledgers returns a primary account's ledgers: itself, then its numbered
// subaccounts in order.
func (a *account) ledgers() []*account {
	return append([]*account{a}, a.subaccounts...)
}

// userLedgers returns userID's ledgers: all of them when sub is nil, else
// the one numbered *sub.
func (x *exchange) userLedgers(userID string, sub *int) ([]*account, error) {
	if sub == nil {
		return x.account(userID).ledgers(), nil
	}
	a, err := x.ledger(userID, *sub)
	if err != nil {
		return nil, err
	}
	return []*account{a}, nil
}

// allLedgers returns every ledger of every user, by user ID and then
// number, so that walks over them are deterministic.
func (x *exchange) allLedgers() []*account {
	users := make([]string, 0, len(x.accounts))
	for u := range x.accounts {
		users = append(users, u)
	}
	sort.Strings(users)
	var out []*account
	for _, u := range users {
		out = append(out, x.accounts[u].ledgers()...)
	}
	return out
}

// newSubaccount adds the next numbered subaccount to a primary account.
func (x *exchange) newSubaccount(a *account) (*account, error) {
	n := len(a.subaccounts) + 1
	if n > maxSubaccount {
		return nil, errBadRequest(fmt.Sprintf("all %d subaccounts exist already", maxSubaccount))
	}
	now := x.now()
	s := &account{userID: a.userID, sub: n, positions: map[string]*position{}, created: now, updated: now}
	a.subaccounts = append(a.subaccounts, s)
	return s, nil
}

// ledgerKey names a ledger: the user ID for a primary account, the user
// ID and number for a subaccount.
func ledgerKey(userID string, sub int) string {
	if sub == 0 {
		return userID
	}
	return userID + "#" + strconv.Itoa(sub)
}

// --- cash per exchange shard ---

// cashOn is the ledger's available cash on one shard.
func (a *account) cashOn(shard int) money.Dollars {
	if shard == 0 {
		return a.balance
	}
	return a.shardCash[shard]
}

// addCash changes the ledger's available cash on one shard by d.
func (a *account) addCash(shard int, d money.Dollars) {
	if shard == 0 {
		a.balance = a.balance.Add(d)
		return
	}
	if a.shardCash == nil {
		a.shardCash = map[int]money.Dollars{}
	}
	a.shardCash[shard] = a.shardCash[shard].Add(d)
}

// openShard lists the ledger on a shard with no cash yet.
func (a *account) openShard(shard int) {
	if shard != 0 {
		a.addCash(shard, money.Zero)
	}
}

// shards lists the shards the ledger is on, ascending: 0, where every
// ledger is, and those it was opened on or has moved cash to.
func (a *account) shards() []int {
	out := []int{0}
	for s := range a.shardCash {
		out = append(out, s)
	}
	slices.Sort(out[1:])
	return out
}

// totalCash is the ledger's available cash on all shards.
func (a *account) totalCash() money.Dollars {
	total := a.balance
	for _, d := range a.shardCash {
		total = total.Add(d)
	}
	return total
}

// checkLedger refuses a subaccount userID has not created (subaccounts are
// never removed, so the answer holds for the request that follows).
func (x *exchange) checkLedger(userID string, sub int) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	_, err := x.ledger(userID, sub)
	return err
}

// newestFirst gathers the records of several ledgers that keep, each
// ledger's held oldest first, newest first in the order of their page
// keys, as page expects.
func newestFirst[T any](ledgers []*account, records func(*account) []T, keep func(T) bool, key func(T) string) []T {
	var out []T
	for _, a := range ledgers {
		recs := records(a)
		for i := len(recs) - 1; i >= 0; i-- {
			if keep(recs[i]) {
				out = append(out, recs[i])
			}
		}
	}
	if len(ledgers) < 2 {
		return out
	}
	type keyed struct {
		k string
		v T
	}
	ks := make([]keyed, len(out))
	for i, v := range out {
		ks[i] = keyed{key(v), v}
	}
	sort.SliceStable(ks, func(i, j int) bool { return ks[i].k < ks[j].k })
	for i := range ks {
		out[i] = ks[i].v
	}
	return out
}
