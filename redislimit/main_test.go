package redislimit_test

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/seed-c9ca4919/kalshi/redislimit/redistest"
)

// TestMain runs nothing when redis-server is missing (outside CI), saying
// so: every test and the example need a real Redis, and an example cannot
// skip.
func TestMain(m *testing.M) {
	if _, err := exec.LookPath("redis-server"); err != nil && os.Getenv("CI") == "" {
		fmt.Println("skipped:", redistest.ErrNotInstalled)
		os.Exit(0)
	}
	os.Exit(m.Run())
}
