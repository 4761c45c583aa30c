package kalshitest

import "time"

// seedHistorical gives the historical tier its starting data (exchange
// lock held).
func (x *exchange) seedHistorical(now time.Time) {}
