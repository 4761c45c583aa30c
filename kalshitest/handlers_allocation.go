package kalshitest

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// targetAllocation is a user's target split of sweepable cash across
// shards. The fake keeps and reports it; it does not sweep cash between
// shards by it (the markets all trade on shard 0).
type targetAllocation struct {
	allocations []gen.TargetBalanceAllocation // by shard, ascending; empty: rebalancing off
	reservation gen.RestingMarginReservation
}

// defaultReservation is the resting margin reservation when none was set.
const defaultReservation = gen.RestingMarginReservationRestingMarginReservationSum

// GetTargetBalanceAllocation answers the caller's allocation: none (no
// automatic rebalancing) and the sum reservation until one is set.
func (h *handlers) GetTargetBalanceAllocation(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	out := gen.GetTargetBalanceAllocationResponse{Allocations: []gen.TargetBalanceAllocation{}, RestingMarginReservation: defaultReservation}
	if a := x.subaccounts.allocations[userOf(r)]; a != nil {
		out.Allocations = append(out.Allocations, a.allocations...)
		out.RestingMarginReservation = a.reservation
	}
	writeJSON(w, http.StatusOK, out)
}

// SetTargetBalanceAllocation replaces the caller's allocation: percentages
// of distinct shards adding up to 100, or none to turn rebalancing off. A
// key restricted to a subaccount cannot.
func (h *handlers) SetTargetBalanceAllocation(w http.ResponseWriter, r *http.Request) {
	var b gen.SetTargetBalanceAllocationRequest
	err := decodeBody(r, &b)
	if err == nil {
		err = refuseRestrictedKey(r, "change the account's balance allocation")
	}
	var a *targetAllocation
	if err == nil {
		a, err = allocationOf(b)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.subaccounts.allocations[userOf(r)] = a
	writeJSON(w, http.StatusOK, gen.EmptyResponse{})
}

// allocationOf checks a request and returns the allocation it sets.
func allocationOf(b gen.SetTargetBalanceAllocationRequest) (*targetAllocation, error) {
	a := &targetAllocation{allocations: []gen.TargetBalanceAllocation{}, reservation: b.RestingMarginReservation}
	switch a.reservation {
	case "":
		a.reservation = defaultReservation
	case gen.RestingMarginReservationRestingMarginReservationNone, gen.RestingMarginReservationRestingMarginReservationMax, defaultReservation:
	default:
		return nil, errBadRequest(fmt.Sprintf("resting_margin_reservation must be none, max or sum, got %q", a.reservation))
	}
	total := 0
	seen := map[int]bool{}
	for i, in := range b.Allocations {
		if in.ExchangeIndex == nil || in.Percent == nil {
			return nil, errBadRequest(fmt.Sprintf("allocations[%d]: exchange_index and percent are required", i))
		}
		shard, pct := *in.ExchangeIndex, *in.Percent
		if err := checkShard(fmt.Sprintf("allocations[%d].exchange_index", i), shard); err != nil {
			return nil, err
		}
		if pct < 0 || pct > 100 {
			return nil, errBadRequest(fmt.Sprintf("allocations[%d].percent must be 0 to 100, got %d", i, pct))
		}
		if seen[shard] {
			return nil, errBadRequest(fmt.Sprintf("allocations[%d]: exchange_index %d is given twice", i, shard))
		}
		seen[shard] = true
		total += pct
		a.allocations = append(a.allocations, gen.TargetBalanceAllocation{ExchangeIndex: shard, Percent: pct})
	}
	if len(b.Allocations) > 0 && total != 100 {
		return nil, errBadRequest(fmt.Sprintf("percentages must add up to 100, got %d", total))
	}
	slices.SortFunc(a.allocations, func(p, q gen.TargetBalanceAllocation) int { return p.ExchangeIndex - q.ExchangeIndex })
	return a, nil
}
