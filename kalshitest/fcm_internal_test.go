package kalshitest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewYorkDateFollowsDaylightSaving(t *testing.T) {
	t.Parallel()
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		require.NoError(t, err)
		return v
	}
	for at, want := range map[string]string{
		"2026-01-15T04:59:00Z": "2026-01-14", // EST, 23:59
		"2026-01-15T05:00:00Z": "2026-01-15",
		"2026-03-08T06:59:00Z": "2026-03-08", // 01:59 EST, just before the switch
		"2026-03-09T03:59:00Z": "2026-03-08", // EDT, 23:59
		"2026-03-09T04:00:00Z": "2026-03-09",
		"2026-07-01T03:59:00Z": "2026-06-30",
		"2026-07-01T04:00:00Z": "2026-07-01",
		"2026-11-01T03:59:00Z": "2026-10-31", // still EDT
		"2026-11-02T04:59:00Z": "2026-11-01", // EST again
		"2026-11-02T05:00:00Z": "2026-11-02",
		"2027-03-14T07:00:00Z": "2027-03-14", // 2027 switches on March 14
	} {
		assert.Equal(t, want, newYorkDate(utc(at)), at)
	}
	// and agrees with the time zone database hour by hour over two years
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	for at := utc("2025-01-01T00:30:00Z"); at.Year() < 2027; at = at.Add(time.Hour) {
		require.Equal(t, at.In(ny).Format(time.DateOnly), newYorkDate(at), at)
	}
}

// TestCapUsageNetsClosingsAndSettlements checks executed utilization: what
// buying cost with fees, less $1 per contract closing an opposite position,
// less settlement payouts.
func TestCapUsageNetsClosingsAndSettlements(t *testing.T) {
	t.Parallel()
	x := testExchange(t)
	x.seedFCM(x.now())
	x.mu.Lock()
	m := &fcmMember{userID: "fcm"}
	x.fcm.members["fcm"] = m
	st, err := x.createSubtrader(m, "a", x.now())
	require.NoError(t, err)
	x.accounts[st.id].balance = usd("100")
	now := x.now()
	_, err = x.placeLocked(limit("bob", ask, "0.40", "10", "good_till_canceled"), now)
	require.NoError(t, err)
	buy := limit(st.id, bid, "0.40", "10", "immediate_or_cancel")
	assert.Equal(t, usd("4.168"), x.orderPremium(buy)) // 4.00 + fee at 0.40
	_, err = x.placeLocked(buy, now)
	require.NoError(t, err)
	u := x.capUsage(st, now)
	assert.Equal(t, usd("4.168"), u.executed)
	assert.Equal(t, "2026-06-11", u.date)

	// selling 4 back to a bid at 0.45: pays 4 × 0.55 + fee, gets $4 back
	_, err = x.placeLocked(limit("alice", bid, "0.45", "4", "good_till_canceled"), now)
	require.NoError(t, err)
	sell := limit(st.id, ask, "0.45", "4", "immediate_or_cancel")
	assert.True(t, x.orderPremium(sell).Sign() < 0, "closing gives premium back")
	_, err = x.placeLocked(sell, now)
	require.NoError(t, err)
	fee := takerFee(usd("0.45"), qty("4"))
	want := usd("4.168").Add(usd("2.20")).Add(fee).Sub(usd("4"))
	assert.Equal(t, want, x.capUsage(st, now).executed)
	x.mu.Unlock()

	// the 6 left pay $6 at settlement
	require.NoError(t, x.settle("KXT-26JUN12-A", "yes"))
	x.mu.Lock()
	defer x.mu.Unlock()
	assert.Equal(t, want.Sub(usd("6")), x.capUsage(st, now).executed)
	// a day later, nothing of it counts
	assert.True(t, x.capUsage(st, now.Add(24*time.Hour)).executed.IsZero())
}
