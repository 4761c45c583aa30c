package kalshitest

import (
	"fmt"
	"slices"
	"time"

	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
	"github.com/seed-c9ca4919/kalshi/ws"
)

// Order groups cap how many contracts a set of orders may fill within a
// rolling window. Orders join a group when placed with its order_group_id.
// Every fill of a member order counts toward the group; once the fills of
// the last orderGroupWindow reach the group's limit the group triggers: its
// resting orders are canceled and new orders naming it are refused until
// it is reset. A group belongs to one user and one of the user's
// subaccounts, and lives on exchange shard 0.

// orderGroupWindow is the rolling window over which a group's fills count.
const orderGroupWindow = 15 * time.Second

// maxOrderGroupLimit is the largest contracts limit Kalshi accepts (1 to
// 1,000,000 whole contracts).
var maxOrderGroupLimit = money.CountFromInt(1_000_000)

// maxOrderGroupsPerUser is how many groups one user may hold at once.
const maxOrderGroupsPerUser = 100_000

// Event types of the order_group_updates channel.
const (
	groupCreated      = "created"
	groupTriggered    = "triggered"
	groupReset        = "reset"
	groupDeleted      = "deleted"
	groupLimitUpdated = "limit_updated"
)

// orderGroupState holds the fake's order groups.
type orderGroupState struct {
	groups map[string]*orderGroup   // by group ID
	byUser map[string][]*orderGroup // each user's groups, oldest first
	due    []*orderGroup            // groups whose fills reached the limit during the current operation
}

// orderGroup is one order group.
type orderGroup struct {
	id, userID string
	subaccount int
	limit      money.Count
	triggered  bool
	due        bool        // queued in orderGroupState.due
	fills      []groupFill // member fills inside the window (or older, until pruned), oldest first
}

// groupFill is one fill of a member order, as the group counts it.
type groupFill struct {
	at    time.Time
	count money.Count
}

// seedOrderGroups gives the domain its starting data (exchange lock held):
// no groups.
func (x *exchange) seedOrderGroups(now time.Time) {
	x.orderGroups = orderGroupState{groups: map[string]*orderGroup{}, byUser: map[string][]*orderGroup{}}
}

// errOrderGroupTriggered refuses an order into a triggered group. The
// group endpoints answer a group that does not exist, belongs to another
// user or to another subaccount with errNotFound; an order naming such a
// group is an invalid order, as the matching engine rejects it.
func errOrderGroupTriggered() *apiError {
	return errInvalidOrder("order group triggered")
}

// --- the group's rolling volume ---

// volume returns the contracts the group's orders filled within the window
// ending at now, forgetting older fills.
func (g *orderGroup) volume(now time.Time) money.Count {
	cut := now.Add(-orderGroupWindow)
	i := 0
	for i < len(g.fills) && !g.fills[i].at.After(cut) {
		i++
	}
	g.fills = g.fills[i:]
	var total money.Count
	for _, f := range g.fills {
		total = total.Add(f.count)
	}
	return total
}

// --- hooks of the matching engine (exchange lock held) ---

// checkOrderGroup refuses a new order whose order_group_id names no group
// of the user's subaccount, or a triggered group.
func (x *exchange) checkOrderGroup(req orderRequest) error {
	if req.orderGroup == "" {
		return nil
	}
	g := x.orderGroups.groups[req.orderGroup]
	if g == nil || g.userID != req.userID || g.subaccount != req.subaccount {
		return errInvalidOrder("order group not found")
	}
	if g.triggered {
		return errOrderGroupTriggered()
	}
	return nil
}

// countGroupFill counts count contracts filled by o toward o's group and
// queues the group for triggering when its rolling volume reaches the
// limit. The group triggers in fireOrderGroups, once the operation that
// filled o has finished matching, so that no order it would cancel is
// still being matched.
func (x *exchange) countGroupFill(o *order, count money.Count, now time.Time) {
	if o.orderGroup == "" {
		return
	}
	g := x.orderGroups.groups[o.orderGroup]
	if g == nil {
		return // deleted; its orders keep the ID
	}
	g.fills = append(g.fills, groupFill{at: now, count: count})
	if !g.triggered && !g.due && g.volume(now).Cmp(g.limit) >= 0 {
		g.due = true
		x.orderGroups.due = append(x.orderGroups.due, g)
	}
}

// fireOrderGroups triggers the groups that reached their limit during the
// operation now ending.
func (x *exchange) fireOrderGroups(now time.Time) {
	due := x.orderGroups.due
	x.orderGroups.due = nil
	for _, g := range due {
		g.due = false
		if !g.triggered && x.orderGroups.groups[g.id] == g {
			x.triggerGroup(g, now)
		}
	}
}

// --- group operations (exchange lock held) ---

// createGroup makes a group for a user's subaccount.
func (x *exchange) createGroup(userID string, subaccount int, limit money.Count, now time.Time) (*orderGroup, error) {
	if len(x.orderGroups.byUser[userID]) >= maxOrderGroupsPerUser {
		return nil, errBadRequest(fmt.Sprintf("a user can hold at most %d order groups", maxOrderGroupsPerUser))
	}
	if x.orderGroups.groups == nil {
		x.seedOrderGroups(now)
	}
	g := &orderGroup{id: x.newID(), userID: userID, subaccount: subaccount, limit: limit}
	x.orderGroups.groups[g.id] = g
	x.orderGroups.byUser[userID] = append(x.orderGroups.byUser[userID], g)
	x.publishGroup(g, groupCreated, &g.limit, now)
	return g, nil
}

// findGroup returns a user's group. sub, when not nil, is the subaccount
// the request names; a group of another subaccount is not found, as on
// Kalshi. shard, when not nil, is the exchange index the request names;
// groups live on shard 0.
func (x *exchange) findGroup(userID, id string, sub, shard *int) (*orderGroup, error) {
	g := x.orderGroups.groups[id]
	switch {
	case g == nil || g.userID != userID,
		sub != nil && *sub != g.subaccount,
		shard != nil && *shard != 0:
		return nil, errNotFound()
	}
	return g, nil
}

// restingOrders returns the group's resting orders, oldest first.
func (x *exchange) restingOrders(g *orderGroup) []*order {
	var out []*order
	if a := x.accounts[g.userID]; a != nil {
		for _, o := range a.orders {
			if o.orderGroup == g.id && o.status == "resting" {
				out = append(out, o)
			}
		}
	}
	return out
}

// cancelGroupOrders cancels the group's resting orders, giving back the
// cash held for them.
func (x *exchange) cancelGroupOrders(g *orderGroup, now time.Time) {
	for _, o := range x.restingOrders(g) {
		x.cancelResting(o, now)
	}
}

// triggerGroup cancels the group's resting orders and blocks new ones until
// the group is reset.
func (x *exchange) triggerGroup(g *orderGroup, now time.Time) {
	g.triggered = true
	x.cancelGroupOrders(g, now)
	x.publishGroup(g, groupTriggered, nil, now)
}

// resetGroup clears the triggered state and the rolling volume.
func (x *exchange) resetGroup(g *orderGroup, now time.Time) {
	g.triggered = false
	g.fills = nil
	x.publishGroup(g, groupReset, nil, now)
}

// setGroupLimit changes the limit; a group whose rolling volume already
// reaches the new limit triggers at once.
func (x *exchange) setGroupLimit(g *orderGroup, limit money.Count, now time.Time) {
	g.limit = limit
	x.publishGroup(g, groupLimitUpdated, &g.limit, now)
	if !g.triggered && g.volume(now).Cmp(g.limit) >= 0 {
		x.triggerGroup(g, now)
	}
}

// deleteGroup cancels the group's resting orders and removes it.
func (x *exchange) deleteGroup(g *orderGroup, now time.Time) {
	x.cancelGroupOrders(g, now)
	delete(x.orderGroups.groups, g.id)
	list := x.orderGroups.byUser[g.userID]
	if i := slices.Index(list, g); i >= 0 {
		x.orderGroups.byUser[g.userID] = slices.Delete(list, i, i+1)
	}
	x.publishGroup(g, groupDeleted, nil, now)
}

// publishGroup sends an order_group_updates message to the group's owner
// alone; limit is set for created and limit_updated.
func (x *exchange) publishGroup(g *orderGroup, eventType string, limit *money.Count, now time.Time) {
	msg := &ws.OrderGroupUpdate{EventType: eventType, OrderGroupID: g.id, TSMs: ws.MillisOf(now)}
	if limit != nil {
		msg.ContractsLimit = ptr(*limit)
	}
	x.publishChannel(ExchangeEvent{
		Channel: ws.ChannelOrderGroupUpdates, Message: msg,
		Audience: []string{g.userID}, Owner: g.userID, Key: g.id,
	}, now)
}

// --- rendering ---

// api renders the group as GetOrderGroups lists it. Kalshi reports
// is_auto_cancel_enabled true while the group is triggered and false once
// it is reset, and so does the fake.
func (g *orderGroup) api() gen.OrderGroup {
	return gen.OrderGroup{ID: g.id, ContractsLimitFp: g.limit, IsAutoCancelEnabled: g.triggered, ExchangeIndex: 0}
}

// groupDetail renders the group with the IDs of its resting orders.
func (x *exchange) groupDetail(g *orderGroup) gen.GetOrderGroupResponse {
	ids := []string{}
	for _, o := range x.restingOrders(g) {
		ids = append(ids, o.id)
	}
	return gen.GetOrderGroupResponse{ContractsLimitFp: g.limit, IsAutoCancelEnabled: g.triggered, Orders: ids, ExchangeIndex: 0}
}

// groupLimit reads a limit given as contracts_limit, contracts_limit_fp or
// both (then equal): whole contracts from 1 to 1,000,000.
func groupLimit(whole int64, fp *money.Count) (money.Count, error) {
	var limit money.Count
	switch {
	case whole == 0 && fp == nil:
		return limit, errBadRequest("give contracts_limit or contracts_limit_fp")
	case fp == nil:
		if whole < 1 || whole > 1_000_000 {
			return limit, errBadRequest("contracts_limit must be from 1 to 1,000,000")
		}
		limit = money.CountFromInt(whole)
	default:
		limit = *fp
		if whole != 0 && money.CountFromInt(whole).Cmp(limit) != 0 {
			return limit, errBadRequest("contracts_limit and contracts_limit_fp differ")
		}
	}
	if _, exact := limit.Int(); !exact {
		return limit, errBadRequest("contracts_limit_fp must be a whole number of contracts")
	}
	if limit.Cmp(money.CountFromInt(1)) < 0 || limit.Cmp(maxOrderGroupLimit) > 0 {
		return limit, errBadRequest("contracts_limit must be from 1 to 1,000,000")
	}
	return limit, nil
}
