package kalshitest

import "time"

// orderGroupState holds the fake's order groups.
type orderGroupState struct{}

// seedOrderGroups gives the domain its starting data (exchange lock held).
func (x *exchange) seedOrderGroups(now time.Time) {}
