package kalshitest

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/gen"
	"github.com/seed-c9ca4919/kalshi/money"
)

// A user's API usage level on the fake is the highest of: the server's tier
// (WithTier, basic when unset), the levels granted for good (advanced
// claimed with UpgradeAccountApiUsageLevel, or any level given with
// GrantUsageLevel, as Kalshi's staff do), and the volume-based level its
// trailing 30-day traded volume earns (and then keeps at the lower keep
// goal). GetAccountApiLimits reports it; CreateSubaccount asks for
// advanced. The rate limiter keeps enforcing the server's tier.

// usageLevel is what a user earned beyond the server's tier.
type usageLevel struct {
	granted     []kalshi.Tier // permanent grants, in the order given, each once
	volumeLevel kalshi.Tier   // earned by volume, "" for none
}

// grant adds a permanent level.
func (u *usageLevel) grant(t kalshi.Tier) {
	if !slices.Contains(u.granted, t) {
		u.granted = append(u.granted, t)
	}
}

// usageGoal is the 30-day volume that earns a level and the lower volume
// that keeps it.
type usageGoal struct {
	level      kalshi.Tier
	earn, keep money.Count
}

// usageGoals are the volume-based levels, lowest first. Kalshi does not
// publish its figures; these are the fake's.
var usageGoals = []usageGoal{
	{kalshi.Premier, money.CountFromInt(1_000_000), money.CountFromInt(750_000)},
	{kalshi.Paragon, money.CountFromInt(5_000_000), money.CountFromInt(3_750_000)},
	{kalshi.Prime, money.CountFromInt(20_000_000), money.CountFromInt(15_000_000)},
}

// volumeWindow is the trailing window of the volume goals.
const volumeWindow = 30 * 24 * time.Hour

// tierRank orders the tiers, basic lowest.
func tierRank(t kalshi.Tier) int {
	return slices.Index([]kalshi.Tier{kalshi.Basic, kalshi.Advanced, kalshi.Premier, kalshi.Paragon, kalshi.Prime}, t)
}

// trailingVolume is the contracts userID traded, on all its subaccounts, in
// the window ending at now.
func (x *exchange) trailingVolume(userID string, now time.Time) money.Count {
	var total money.Count
	since := now.Add(-volumeWindow)
	for _, a := range x.account(userID).ledgers() {
		for i := len(a.fills) - 1; i >= 0 && a.fills[i].at.After(since); i-- {
			total = total.Add(a.fills[i].count)
		}
	}
	return total
}

// usageOf works out userID's effective level and its grants at now,
// updating the level its volume holds (exchange lock held).
func (x *exchange) usageOf(userID string, serverTier kalshi.Tier, now time.Time) (kalshi.Tier, []gen.APIUsageLevelGrant) {
	u := x.usageLevel(userID)
	vol := x.trailingVolume(userID, now)
	held := tierRank(u.volumeLevel)
	u.volumeLevel = ""
	for _, g := range usageGoals {
		if vol.Cmp(g.earn) >= 0 || (tierRank(g.level) <= held && vol.Cmp(g.keep) >= 0) {
			u.volumeLevel = g.level
		}
	}

	tier := serverTier
	if tier == "" {
		tier = kalshi.Basic
	}
	grants := []gen.APIUsageLevelGrant{}
	for _, g := range u.granted {
		grants = append(grants, gen.APIUsageLevelGrant{ExchangeInstance: eventContract, Level: string(g), Source: "manual"})
		if tierRank(tier) < tierRank(g) {
			tier = g
		}
	}
	if u.volumeLevel != "" {
		expires := now.Add(volumeWindow).Unix()
		grants = append(grants, gen.APIUsageLevelGrant{ExchangeInstance: eventContract, Level: string(u.volumeLevel), Source: "volume", ExpiresTS: &expires})
		if tierRank(tier) < tierRank(u.volumeLevel) {
			tier = u.volumeLevel
		}
	}
	return tier, grants
}

// usageLevel returns userID's entry, made when new.
func (x *exchange) usageLevel(userID string) *usageLevel {
	u := x.subaccounts.usage[userID]
	if u == nil {
		u = &usageLevel{}
		x.subaccounts.usage[userID] = u
	}
	return u
}

// GrantUsageLevel gives an account an API usage level for good, as
// Kalshi's staff do (GetAccountApiLimits lists it as a manual grant): the
// account's level becomes the highest of it, the server's tier (WithTier)
// and any other grant. Advanced is enough for CreateSubaccount, without
// turning on rate limits as WithTier does; those stay at the server's
// tier. userID is DefaultUserID or one AddAccount returned.
func (s *Server) GrantUsageLevel(userID string, level kalshi.Tier) error {
	if tierRank(level) < 0 {
		return fmt.Errorf("kalshitest: GrantUsageLevel: unknown level %q: use basic, advanced, premier, paragon or prime", level)
	}
	x := s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.accounts[userID]; !ok {
		return errors.New("kalshitest: GrantUsageLevel: no account " + userID)
	}
	x.usageLevel(userID).grant(level)
	return nil
}

// serverTier is the tier the server was started with, basic when rate
// limits are off.
func (s *Server) serverTier() kalshi.Tier {
	if s.limits != nil {
		return s.limits.tier
	}
	return kalshi.Basic
}

// usage is the caller's effective level and grants.
func (h *handlers) usage(r *http.Request) (kalshi.Tier, []gen.APIUsageLevelGrant) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.usageOf(userOf(r), h.s.serverTier(), x.now())
}

// UpgradeAccountAPIUsageLevel grants advanced for good when one of the
// user's latest 100 orders was placed through the API (every order on the
// fake is), and answers 403 to a user who never placed one.
func (h *handlers) UpgradeAccountAPIUsageLevel(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	userID := userOf(r)
	placed := false
	for _, a := range x.account(userID).ledgers() {
		placed = placed || len(a.orders) > 0
	}
	if !placed {
		writeError(w, errForbidden("none of your latest 100 orders was placed through the API"))
		return
	}
	x.usageLevel(userID).grant(kalshi.Advanced)
	w.WriteHeader(http.StatusCreated)
}

// GetAccountAPIUsageLevelVolumeProgress answers the user's trailing 30-day
// volume, on all its subaccounts, with the goals of the volume-based
// levels. Kalshi recomputes it periodically; the fake computes it on
// request.
func (h *handlers) GetAccountAPIUsageLevelVolumeProgress(w http.ResponseWriter, r *http.Request) {
	x := h.s.x
	x.mu.Lock()
	defer x.mu.Unlock()
	now := x.now()
	progress := gen.AccountAPIUsageLevelVolumeProgress{
		ComputedTS:          now.Unix(),
		Trailing30DVolumeFp: x.trailingVolume(userOf(r), now),
		Goals:               make([]gen.AccountAPIUsageLevelVolumeGoal, 0, len(usageGoals)),
	}
	for _, g := range usageGoals {
		progress.Goals = append(progress.Goals, gen.AccountAPIUsageLevelVolumeGoal{Level: string(g.level), EarnVolumeGoalFp: g.earn, KeepVolumeGoalFp: g.keep})
	}
	writeJSON(w, http.StatusOK, gen.GetAccountAPIUsageLevelVolumeProgressResponse{VolumeProgress: []gen.AccountAPIUsageLevelVolumeProgress{progress}})
}
