package kalshitest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
)

// The order-groups operations. The engine side (limits, triggering, the
// order_group_updates channel) is in order_groups.go.

// maxGroupSubaccount is the highest subaccount number a group may belong
// to (0 is the primary account).
const maxGroupSubaccount = 63

// GetOrderGroups lists the caller's groups, oldest first, of every
// subaccount or of the one named.
func (h *handlers) GetOrderGroups(w http.ResponseWriter, r *http.Request, p gen.GetOrderGroupsParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	out := gen.GetOrderGroupsResponse{OrderGroups: []gen.OrderGroup{}}
	for _, g := range x.orderGroups.byUser[userOf(r)] {
		if p.Subaccount != nil && *p.Subaccount != g.subaccount {
			continue
		}
		out.OrderGroups = append(out.OrderGroups, g.api())
	}
	writeJSON(w, http.StatusOK, out)
}

// CreateOrderGroup makes a group for the subaccount the body names (the
// primary account when it names none, or the key's own subaccount for a
// key restricted to one).
func (h *handlers) CreateOrderGroup(w http.ResponseWriter, r *http.Request) {
	var b gen.CreateOrderGroupRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	limit, err := groupLimit(b.ContractsLimit, b.ContractsLimitFp)
	if err != nil {
		writeError(w, err)
		return
	}
	if b.ExchangeIndex != 0 {
		writeError(w, errBadRequest("exchange_index: only shard 0 is supported"))
		return
	}
	sub := 0
	if k, ok := callerKey(r); ok && k.subaccount != nil {
		sub = *k.subaccount
	}
	if b.Subaccount != nil {
		if k, ok := callerKey(r); ok && k.subaccount != nil && *k.subaccount != *b.Subaccount {
			writeError(w, errBadRequest(fmt.Sprintf("subaccount: this API key acts only for subaccount %d", *k.subaccount)))
			return
		}
		sub = *b.Subaccount
	}
	if sub < 0 || sub > maxGroupSubaccount {
		writeError(w, errBadRequest(fmt.Sprintf("subaccount must be from 0 to %d", maxGroupSubaccount)))
		return
	}
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	g, err := x.createGroup(userOf(r), sub, limit, x.now())
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusCreated, gen.CreateOrderGroupResponse{OrderGroupID: g.id, Subaccount: g.subaccount, ExchangeIndex: 0})
}

// GetOrderGroup answers the group's limit, state and the IDs of its
// resting orders; without subaccount it finds a group of any subaccount.
func (h *handlers) GetOrderGroup(w http.ResponseWriter, r *http.Request, id gen.OrderGroupIDPath, p gen.GetOrderGroupParams) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	x.expire(x.now())
	g, err := x.findGroup(userOf(r), id, p.Subaccount, nil)
	if err != nil {
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, x.groupDetail(g))
}

// groupSubaccount returns the subaccount a request names, 0 (the primary
// account) when it names none.
func groupSubaccount(sub *int) *int {
	if sub == nil {
		return ptr(0)
	}
	return sub
}

// groupAction runs fn on the caller's group named by the path, in the
// subaccount and on the shard the query names, and answers {}.
func (h *handlers) groupAction(w http.ResponseWriter, r *http.Request, id string, sub, shard *int, fn func(x *exchange, g *orderGroup, now time.Time)) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	x.expire(now)
	g, err := x.findGroup(userOf(r), id, groupSubaccount(sub), shard)
	if err != nil {
		writeError(w, err)
		return
	}
	fn(x, g, now)
	writeJSON(w, http.StatusOK, gen.EmptyResponse{})
}

// DeleteOrderGroup cancels the group's resting orders and removes it.
func (h *handlers) DeleteOrderGroup(w http.ResponseWriter, r *http.Request, id gen.OrderGroupIDPath, p gen.DeleteOrderGroupParams) {
	h.groupAction(w, r, id, p.Subaccount, p.ExchangeIndex, func(x *exchange, g *orderGroup, now time.Time) {
		x.deleteGroup(g, now)
	})
}

// ResetOrderGroup clears the group's triggered state and rolling volume.
func (h *handlers) ResetOrderGroup(w http.ResponseWriter, r *http.Request, id gen.OrderGroupIDPath, p gen.ResetOrderGroupParams) {
	h.groupAction(w, r, id, p.Subaccount, p.ExchangeIndex, func(x *exchange, g *orderGroup, now time.Time) {
		x.resetGroup(g, now)
	})
}

// TriggerOrderGroup triggers the group by hand, whatever its volume.
func (h *handlers) TriggerOrderGroup(w http.ResponseWriter, r *http.Request, id gen.OrderGroupIDPath, p gen.TriggerOrderGroupParams) {
	h.groupAction(w, r, id, p.Subaccount, p.ExchangeIndex, func(x *exchange, g *orderGroup, now time.Time) {
		x.triggerGroup(g, now)
	})
}

// UpdateOrderGroupLimit sets a new limit, triggering the group at once
// when its rolling volume already reaches it.
func (h *handlers) UpdateOrderGroupLimit(w http.ResponseWriter, r *http.Request, id gen.OrderGroupIDPath, p gen.UpdateOrderGroupLimitParams) {
	var b gen.UpdateOrderGroupLimitRequest
	if err := decodeBody(r, &b); err != nil {
		writeError(w, err)
		return
	}
	limit, err := groupLimit(b.ContractsLimit, b.ContractsLimitFp)
	if err != nil {
		writeError(w, err)
		return
	}
	h.groupAction(w, r, id, p.Subaccount, p.ExchangeIndex, func(x *exchange, g *orderGroup, now time.Time) {
		x.setGroupLimit(g, limit, now)
	})
}
