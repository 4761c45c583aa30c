package otelkalshi

import (
	"strconv"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
)

// The metrics' attribute sets, by what they describe.
const (
	setCall        = iota + 1 // a: operation, b: method, c: error.type, n: status
	setAttempt                // a: method, b: scheme, c: host:port, d: path template, e: error.type, n: status
	setRetry                  // a: operation, b: reason
	setOperation              // a: operation
	setError                  // a: operation, b: error.type, c: Kalshi's code
	setBucket                 // a: bucket
	setHost                   // a: host:port (the feed's)
	setChannel                // a: channel
	setResubscribe            // a: channel, b: reason
)

// setKey is what an attribute set is made from.
type setKey struct {
	kind          int
	a, b, c, d, e string
	n             int
}

// maxSets bounds the cache: past it, sets are made afresh each time
// rather than kept.
const maxSets = 4096

// measure is an attribute set as the options of a measurement.
type measure struct {
	add    []metric.AddOption
	record []metric.RecordOption
}

// setCache keeps the attribute sets the observer has made, as options
// ready to pass, so that recording a measurement neither builds and sorts
// a set nor allocates its options: the values of these sets (operations,
// statuses, hosts, channels) are few.
type setCache struct {
	m    sync.Map // setKey -> *measure
	mu   sync.Mutex
	size int
}

func newSetCache() *setCache { return &setCache{} }

func (c *setCache) get(k setKey) *measure {
	if m, ok := c.m.Load(k); ok {
		return m.(*measure)
	}
	opt := metric.WithAttributeSet(k.set())
	m := &measure{add: []metric.AddOption{opt}, record: []metric.RecordOption{opt}}
	c.mu.Lock()
	if c.size < maxSets {
		if _, loaded := c.m.LoadOrStore(k, m); !loaded {
			c.size++
		}
	}
	c.mu.Unlock()
	return m
}

// set makes the attribute set k describes.
func (k setKey) set() attribute.Set {
	var kv []attribute.KeyValue
	opt := func(key attribute.Key, v string) {
		if v != "" {
			kv = append(kv, key.String(v))
		}
	}
	switch k.kind {
	case setCall:
		opt(KeyOperation, k.a)
		opt(semconv.HTTPRequestMethodKey, k.b)
		opt(semconv.ErrorTypeKey, k.c)
		if k.n != 0 {
			kv = append(kv, semconv.HTTPResponseStatusCode(k.n))
		}
	case setAttempt:
		host, port := splitHost(k.c, k.b)
		kv = append(kv, semconv.HTTPRequestMethodKey.String(k.a), semconv.URLScheme(k.b),
			semconv.ServerAddress(host), semconv.ServerPort(port))
		opt(semconv.URLTemplateKey, k.d)
		opt(semconv.ErrorTypeKey, k.e)
		if k.n != 0 {
			kv = append(kv, semconv.HTTPResponseStatusCode(k.n))
		}
	case setRetry:
		opt(KeyOperation, k.a)
		opt(KeyRetryReason, k.b)
	case setOperation:
		opt(KeyOperation, k.a)
	case setError:
		opt(KeyOperation, k.a)
		opt(semconv.ErrorTypeKey, k.b)
		opt(KeyErrorCode, k.c)
	case setBucket:
		opt(KeyBucket, k.a)
	case setHost:
		if k.a != "" {
			host, port := splitHost(k.a, "wss")
			kv = append(kv, semconv.ServerAddress(host), semconv.ServerPort(port))
		}
	case setChannel:
		opt(KeyChannel, k.a)
	case setResubscribe:
		opt(KeyChannel, k.a)
		opt(KeyResubscribeReason, k.b)
	default:
		panic("otelkalshi: unknown attribute set " + strconv.Itoa(k.kind))
	}
	return attribute.NewSet(kv...)
}
