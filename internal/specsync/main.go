// Command specsync rebuilds the project's openapi.yaml from a spec file as
// Kalshi publishes it.
//
// Kalshi's interface facts (paths, operations, parameters, schemas, types,
// formats, enums, required lists, nullability and the x- code generation
// hints) are taken unchanged from the published file. Prose (summaries,
// descriptions, titles) is the project's own: it is carried over from the
// current openapi.yaml for every element that still exists, keyed by its
// position in the document, and the published prose and examples are
// dropped. Elements that are new in Kalshi's file get a plain default
// (operation summaries are derived from the operationId) and are listed on
// standard error so their prose can be written.
//
// Usage, from the repository root:
//
//	go run ./internal/specsync -kalshi path/to/kalshi-openapi.yaml
//	go generate ./...
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	kalshiPath := flag.String("kalshi", "", "Kalshi's published OpenAPI file (required)")
	ourPath := flag.String("ours", "openapi.yaml", "the project's current spec, source of prose; may be absent")
	outPath := flag.String("out", "openapi.yaml", "where to write the merged spec")
	flag.Parse()
	if *kalshiPath == "" {
		fmt.Fprintln(os.Stderr, "specsync: -kalshi is required (the OpenAPI file Kalshi publishes)")
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*kalshiPath, *ourPath, *outPath); err != nil {
		fmt.Fprintln(os.Stderr, "specsync:", err)
		os.Exit(1)
	}
}

func run(kalshiPath, ourPath, outPath string) error {
	published, err := os.ReadFile(kalshiPath)
	if err != nil {
		return err
	}
	ours, err := os.ReadFile(ourPath)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	out, report, err := Sync(published, ours)
	if err != nil {
		return err
	}
	if err := os.WriteFile(outPath, out, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "specsync: wrote %s (%d operations, %d schemas); prose kept for %d elements, defaulted for %d\n",
		outPath, report.Operations, report.Schemas, report.Kept, len(report.Defaulted))
	for _, p := range report.Defaulted {
		fmt.Fprintf(os.Stderr, "  needs prose: %s\n", p)
	}
	return nil
}
