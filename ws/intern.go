package ws

import (
	"hash/maphash"
	"sync/atomic"
)

// interned keeps the strings most recently seen in market identifier fields, so a
// feed that repeats the same few tickers does not allocate a new string for each
// frame. It is a fixed table of slots chosen by hash: a slot holds the last string
// that landed in it, a lookup that finds another string replaces it, and memory
// stays bounded however many markets a connection follows.
var interned internTable

const (
	internSlots  = 1024 // a power of two
	internMaxLen = 64   // longer strings are not worth keeping
)

type internTable struct {
	slots [internSlots]atomic.Pointer[string]
}

var internSeed = maphash.MakeSeed()

// intern returns string(b), reusing a string already in the table when it is equal.
func (t *internTable) intern(b []byte) string {
	if len(b) == 0 || len(b) > internMaxLen {
		return string(b)
	}
	slot := &t.slots[maphash.Bytes(internSeed, b)&(internSlots-1)]
	if p := slot.Load(); p != nil && *p == string(b) {
		return *p
	}
	s := string(b)
	slot.Store(&s)
	return s
}
