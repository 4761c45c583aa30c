package redislimit_test

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/observe"
	"github.com/seed-c9ca4919/kalshi/redislimit"
	"github.com/seed-c9ca4919/kalshi/redislimit/redistest"
)

// BenchmarkDraw is the time one draw of tokens adds to a call when no
// wait is needed (a budget far larger than the draws): in memory, and
// through Redis on loopback, one goroutine and many.
func BenchmarkDraw(b *testing.B) {
	huge := kalshi.RateLimit{Read: kalshi.Bucket{RefillPerSecond: 1 << 30, Capacity: 1 << 30}, Write: kalshi.Bucket{RefillPerSecond: 1 << 30, Capacity: 1 << 30}}
	local, err := kalshi.NewLocalLimiter(huge)
	if err != nil {
		b.Fatal(err)
	}
	srv := redistest.Start(b)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr()})
	defer rdb.Close()
	shared, err := redislimit.New(rdb, redislimit.Options{Account: "bench", Limits: huge})
	if err != nil {
		b.Fatal(err)
	}
	for _, lim := range []struct {
		name string
		l    kalshi.Limiter
	}{{"local", local}, {"redis", shared}} {
		b.Run(lim.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := lim.l.Wait(context.Background(), observe.ReadBucket, 10); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(lim.name+"-parallel", func(b *testing.B) {
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := lim.l.Wait(context.Background(), observe.ReadBucket, 10); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
