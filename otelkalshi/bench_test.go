package otelkalshi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/otelkalshi"
)

// staticTransport answers every request with the same body, in memory, so
// the benchmark measures the client and the observer rather than a
// network.
type staticTransport struct{ body []byte }

func (s staticTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": []string{"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(s.body)),
		ContentLength: int64(len(s.body)),
		Request:       req,
	}, nil
}

// BenchmarkObserverCost is one call (GetExchangeStatus, answered in
// memory) with no observer, with otelkalshi making spans (every one
// sampled, through a batch processor to an exporter that discards them)
// and metrics (through the SDK to a manual reader), and with metrics
// only (a no-op tracer):
// go test -run '^$' -bench ObserverCost -count 5 .
func BenchmarkObserverCost(b *testing.B) {
	hc := &http.Client{Transport: staticTransport{[]byte(`{"exchange_active":true,"trading_active":true}`)}}
	sdkTraces := func(b *testing.B) *sdktrace.TracerProvider {
		tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(tracetest.NewNoopExporter()))
		b.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
		return tp
	}
	sdkMetrics := func(b *testing.B) *sdkmetric.MeterProvider {
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
		b.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
		return mp
	}
	for _, bc := range []struct {
		name string
		obs  func(b *testing.B) []otelkalshi.Option // nil: no observer
	}{
		{"none", nil},
		{"otel-traces-metrics", func(b *testing.B) []otelkalshi.Option {
			return []otelkalshi.Option{otelkalshi.WithTracerProvider(sdkTraces(b)), otelkalshi.WithMeterProvider(sdkMetrics(b))}
		}},
		{"otel-metrics", func(b *testing.B) []otelkalshi.Option {
			return []otelkalshi.Option{otelkalshi.WithTracerProvider(tracenoop.NewTracerProvider()), otelkalshi.WithMeterProvider(sdkMetrics(b))}
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			opts := []kalshi.Option{kalshi.WithBaseURL("https://bench.test/trade-api/v2"), kalshi.WithHTTPClient(hc)}
			if bc.obs != nil {
				obs, err := otelkalshi.New(bc.obs(b)...)
				if err != nil {
					b.Fatal(err)
				}
				opts = append(opts, kalshi.WithObserver(obs))
			}
			c, err := kalshi.New(opts...)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				if _, err := c.GetExchangeStatus(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
