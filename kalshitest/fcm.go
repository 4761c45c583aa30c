package kalshitest

import "time"

// fcmState holds the fake's FCM subtraders.
type fcmState struct{}

// seedFCM gives the domain its starting data (exchange lock held).
func (x *exchange) seedFCM(now time.Time) {}
