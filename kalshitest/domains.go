package kalshitest

import "time"

// The fake's state beyond the order book lives in one value per domain,
// each in its own file with its handlers beside it: RFQs, quotes and block
// trades (rfq.go), order groups (order_groups.go), subaccounts, transfers
// and account settings (subaccounts.go), FCM subtraders (fcm.go),
// multivariate collections, event metadata and fee changes
// (multivariate.go), live data, milestones, structured targets, search
// filters, incentive programs and index values (livedata.go), and the
// historical tier (historical.go).
type domains struct {
	rfq          rfqState
	orderGroups  orderGroupState
	subaccounts  subaccountState
	fcm          fcmState
	multivariate multivariateState
	liveData     liveDataState
	historical   historicalState
}

// seedDomains gives each domain its starting data, consistent with the
// markets and accounts already made. The exchange lock is held.
func (x *exchange) seedDomains(now time.Time) {
	x.seedRFQ(now)
	x.seedOrderGroups(now)
	x.seedSubaccounts(now)
	x.seedFCM(now)
	x.seedMultivariate(now)
	x.seedLiveData(now)
	x.seedHistorical(now)
}
