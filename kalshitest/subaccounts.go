package kalshitest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/money"
)

// subaccountState holds the fake's subaccounts, transfers between them and
// account settings. The ledgers themselves are the engine's (ledgers.go);
// here is, by user ID, what is said about them: transfers, netting, cash
// on the margined exchange, the target balance allocation and API usage
// levels.
type subaccountState struct {
	transfers         map[string][]*subaccountTransfer // oldest first
	instanceTransfers map[string][]*instanceTransfer   // oldest first
	margined          map[string]map[int]money.Dollars // cash on the margined exchange, by shard
	nettingOff        map[string]bool                  // by ledgerKey; netting is on unless turned off
	allocations       map[string]*targetAllocation
	usage             map[string]*usageLevel
	run               string // names this run in the IDs of deposits and withdrawals
}

// seedSubaccounts gives the domain its starting data (exchange lock held).
// Nobody has subaccounts or transfers yet; deposit and withdrawal history
// follows from each account's starting cash (funding.go).
func (x *exchange) seedSubaccounts(now time.Time) {
	x.subaccounts = subaccountState{
		transfers:         map[string][]*subaccountTransfer{},
		instanceTransfers: map[string][]*instanceTransfer{},
		margined:          map[string]map[int]money.Dollars{},
		nettingOff:        map[string]bool{},
		allocations:       map[string]*targetAllocation{},
		usage:             map[string]*usageLevel{},
		run:               x.newID(),
	}
}

// subaccountTransfer is a move of cash between two ledgers of one user on
// one shard.
type subaccountTransfer struct {
	id, clientID string
	from, to     int
	amount       money.Dollars // whole cents
	shard        int
	at           time.Time
	seq          uint64
}

// maxTransferCents bounds a transfer's amount, far above any balance and
// far below where dollar arithmetic could overflow.
const maxTransferCents = 1_000_000_000_000 // $10bn

func errTransferExists() *apiError {
	return &apiError{status: http.StatusConflict, code: "transfer_already_exists", message: "transfer already exists",
		details: "a transfer with this client_transfer_id was applied already", service: "exchange"}
}

// checkShard refuses a shard number outside 0-100.
func checkShard(field string, shard int) error {
	if shard < 0 || shard > maxShard {
		return errBadRequest(fmt.Sprintf("%s must be 0 to %d, got %d", field, maxShard, shard))
	}
	return nil
}

// createSubaccount makes userID's next subaccount, listed on shard as well
// as on shard 0 where the markets trade. Only from the Advanced API usage
// level up, as on Kalshi.
func (x *exchange) createSubaccount(userID string, shard int, serverTier kalshi.Tier) (int, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	if t, _ := x.usageOf(userID, serverTier, now); tierRank(t) < tierRank(kalshi.Advanced) {
		return 0, errForbidden("subaccounts are available from the advanced API usage level up; this account is " + string(t) +
			" (UpgradeAccountApiUsageLevel claims advanced)")
	}
	s, err := x.newSubaccount(x.account(userID))
	if err != nil {
		return 0, err
	}
	s.openShard(shard)
	return s.sub, nil
}

// moveCash moves amount between two ledgers' cash (or within one, between
// shards), recording on each the cash that crossed between ledgers. The
// caller has checked that the source holds it.
func moveCash(from *account, fromShard int, to *account, toShard int, amount money.Dollars, now time.Time) {
	from.addCash(fromShard, amount.Neg())
	to.addCash(toShard, amount)
	if from != to {
		from.netIn = from.netIn.Sub(amount)
		to.netIn = to.netIn.Add(amount)
	}
	from.updated, to.updated = now, now
}

// transferCash applies a transfer of cents between two of userID's
// subaccounts on one shard, once per client transfer ID.
func (x *exchange) transferCash(userID, clientID string, from, to int, cents int64, shard int) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	st := &x.subaccounts
	for _, t := range st.transfers[userID] {
		if t.clientID == clientID {
			return errTransferExists()
		}
	}
	src, err := x.ledger(userID, from)
	if err != nil {
		return err
	}
	dst, err := x.ledger(userID, to)
	if err != nil {
		return err
	}
	amount := money.DollarsFromCents(cents)
	if src.cashOn(shard).Cmp(amount) < 0 {
		return errInsufficientBalance()
	}
	moveCash(src, shard, dst, shard, amount, now)
	st.transfers[userID] = append(st.transfers[userID], &subaccountTransfer{
		id: x.newID(), clientID: clientID, from: from, to: to, amount: amount, shard: shard, at: now, seq: x.nextSeq(),
	})
	return nil
}

// netting reports whether netting is on for a ledger.
func (st *subaccountState) netting(a *account) bool {
	return !st.nettingOff[ledgerKey(a.userID, a.sub)]
}
