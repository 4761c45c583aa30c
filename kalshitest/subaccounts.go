package kalshitest

import "time"

// subaccountState holds the fake's subaccounts, transfers between them and account settings.
type subaccountState struct{}

// seedSubaccounts gives the domain its starting data (exchange lock held).
func (x *exchange) seedSubaccounts(now time.Time) {}
