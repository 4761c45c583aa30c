package otelkalshi_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/seed-c9ca4919/kalshi"
	"github.com/seed-c9ca4919/kalshi/kalshitest"
	"github.com/seed-c9ca4919/kalshi/otelkalshi"
)

// Example_prometheus exports the client's metrics to Prometheus through
// OpenTelemetry's Prometheus exporter, and scrapes them once. The fake
// exchange answers the first request 429, so the call is retried once.
func Example_prometheus() {
	ctx := context.Background()
	exchange := kalshitest.NewServer(kalshitest.With429Burst(1))
	defer exchange.Close()

	// The exporter is a metric reader that fills a Prometheus registry.
	reg := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(reg), otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
	if err != nil {
		log.Fatal(err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	defer mp.Shutdown(ctx)

	obs, err := otelkalshi.New(otelkalshi.WithMeterProvider(mp))
	if err != nil {
		log.Fatal(err)
	}
	client, err := kalshi.New(kalshi.WithBaseURL(exchange.URL()), kalshi.WithObserver(obs))
	if err != nil {
		log.Fatal(err)
	}
	if _, err := client.GetExchangeStatus(ctx); err != nil {
		log.Fatal(err)
	}

	// Serve the registry as a bot would on /metrics, and scrape it.
	metrics := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer metrics.Close()
	resp, err := http.Get(metrics.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		line := lines.Text()
		if strings.HasPrefix(line, "kalshi_client_retries") || strings.HasPrefix(line, "kalshi_client_rate_limited") ||
			strings.HasPrefix(line, "kalshi_client_call_duration_seconds_count") {
			fmt.Println(line)
		}
	}
	// Output:
	// kalshi_client_call_duration_seconds_count{http_request_method="GET",http_response_status_code="200",kalshi_operation="GetExchangeStatus"} 1
	// kalshi_client_rate_limited_total{kalshi_operation="GetExchangeStatus"} 1
	// kalshi_client_retries_total{kalshi_operation="GetExchangeStatus",kalshi_retry_reason="status 429"} 1
}
