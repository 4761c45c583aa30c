// Command opgen writes the code that the root package and gen/ derive from
// the spec and from the oapi-codegen output, so that a new operation or a
// new list endpoint is covered on regeneration without hand edits:
//
//   - gen/operations.gen.go: the table of every operation, merging the
//     spec's facts (method, path, signature, success answer) with Kalshi's
//     facts from gen/operations.yaml (rate-limit bucket and cost, batches,
//     orders placed, safe repetition, retired endpoints), and, on each
//     response wrapper, Success (the decoded 2xx body) and OperationID
//     methods;
//   - pagination.gen.go: iterators for every cursor-paginated operation;
//   - methods.gen.go: the Client's method for each operation, named after
//     it, with the operation's summary, description and facts as its doc,
//     sending through the one call path of call.go;
//   - schemas.gen.go: the declared shape of every response body.
//
// It reads openapi.yaml and gen/client.gen.go and is run by go generate
// after oapi-codegen (see generate.go).
package main

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"strings"
)

func main() {
	specPath := flag.String("spec", "openapi.yaml", "the OpenAPI spec")
	clientPath := flag.String("client", "gen/client.gen.go", "oapi-codegen's output")
	opsOut := flag.String("operations", "gen/operations.gen.go", "where to write the operation table")
	pagesOut := flag.String("pagination", "pagination.gen.go", "where to write the iterators")
	methodsOut := flag.String("methods", "methods.gen.go", "where to write the Client's decoding methods")
	schemasOut := flag.String("schemas", "schemas.gen.go", "where to write the response schema table")
	factsPath := flag.String("facts", "gen/operations.yaml", "Kalshi's facts about operations")
	flag.Parse()
	if err := run(*specPath, *clientPath, *factsPath, *opsOut, *pagesOut, *methodsOut, *schemasOut); err != nil {
		fmt.Fprintln(os.Stderr, "opgen:", err)
		os.Exit(1)
	}
}

func run(specPath, clientPath, factsPath, opsOut, pagesOut, methodsOut, schemasOut string) error {
	spec, err := loadSpec(specPath)
	if err != nil {
		return err
	}
	if err := detachPackageComment(clientPath); err != nil {
		return err
	}
	client, err := loadClient(clientPath)
	if err != nil {
		return err
	}
	ops, err := describe(spec, client)
	if err != nil {
		return err
	}
	f, err := loadFacts(factsPath)
	if err != nil {
		return err
	}
	f.check(ops, client)
	for _, w := range f.warnings {
		fmt.Fprintf(os.Stderr, "opgen: warning: %s: %s\n", factsPath, w)
	}
	for i := range ops {
		ops[i].facts = f.of(ops[i])
	}
	if err := write(opsOut, renderOperations(ops, f)); err != nil {
		return err
	}
	if err := write(pagesOut, renderPagination(ops)); err != nil {
		return err
	}
	methods, err := renderMethods(ops, client)
	if err != nil {
		return err
	}
	if err := write(methodsOut, methods); err != nil {
		return err
	}
	table, err := loadSchemaTable(specPath, spec)
	if err != nil {
		return err
	}
	return write(schemasOut, renderSchemas(table))
}

func write(path string, src []byte) error {
	formatted, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("formatting %s: %w\n%s", path, err, numbered(src))
	}
	return os.WriteFile(path, formatted, 0o644)
}

func numbered(src []byte) string {
	var b bytes.Buffer
	for i, line := range bytes.Split(src, []byte("\n")) {
		fmt.Fprintf(&b, "%5d  %s\n", i+1, line)
	}
	return b.String()
}

// detachPackageComment removes the package comment oapi-codegen writes
// ("Package gen provides primitives to interact with the openapi HTTP
// API."), keeping its "Code generated ... DO NOT EDIT." line apart from the
// package clause, so that gen/doc.go alone documents the package.
func detachPackageComment(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.SplitAfter(string(src), "\n")
	var kept []string
	for i, line := range lines {
		if strings.HasPrefix(line, "package ") {
			if len(kept) > 0 && strings.TrimSpace(kept[len(kept)-1]) != "" {
				kept = append(kept, "\n")
			}
			kept = append(kept, lines[i:]...)
			break
		}
		if strings.HasPrefix(line, "// Code generated ") {
			kept = append(kept, line)
		}
	}
	out := strings.Join(kept, "")
	if out == string(src) {
		return nil
	}
	return os.WriteFile(path, []byte(out), 0o644)
}
