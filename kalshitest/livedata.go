package kalshitest

import "time"

// liveDataState holds the fake's live data, milestones, structured targets, search filters, incentive programs and index values.
type liveDataState struct{}

// seedLiveData gives the domain its starting data (exchange lock held).
func (x *exchange) seedLiveData(now time.Time) {}
