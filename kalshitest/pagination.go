package kalshitest

import (
	"encoding/base64"
	"sort"
)

// page cuts one page from items, which are in listing order and each have
// a unique key that increases along the list. The cursor is opaque to
// clients: the base64 of the last key returned, so a page stays right when
// items are added or removed between requests. On the last page the next
// cursor is empty, as Kalshi sends it.
func page[T any](items []T, key func(T) string, cursor string, limit, defaultLimit int) ([]T, string, error) {
	if limit <= 0 {
		limit = defaultLimit
	}
	start := 0
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || len(raw) == 0 {
			return nil, "", errBadRequest("invalid cursor")
		}
		after := string(raw)
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > after })
	}
	end := min(start+limit, len(items))
	out := items[start:end]
	next := ""
	if end < len(items) && len(out) > 0 {
		next = base64.RawURLEncoding.EncodeToString([]byte(key(out[len(out)-1])))
	}
	return out, next, nil
}

// seqKey orders by an increasing sequence number.
func seqKey(seq uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := 15; i >= 0; i-- {
		b[i] = digits[seq&0xf]
		seq >>= 4
	}
	return string(b[:])
}

// newestFirstKey orders by a sequence number, newest first.
func newestFirstKey(seq uint64) string { return seqKey(^seq) }

// intOr returns *p, or def when p is nil.
func intOr[T ~int | ~int32 | ~int64](p *T, def int) int {
	if p == nil {
		return def
	}
	return int(*p)
}

func strOr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
