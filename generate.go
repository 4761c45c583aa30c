package kalshi

// The typed REST client in gen/ is generated from openapi.yaml with the
// oapi-codegen version pinned in tools/go.mod, so `go generate ./...` needs
// nothing but Go. overlayrules first derives generation hints from the
// spec's structure into gen/overlay.yaml (exact money types for the
// fixed-point fields, Go names for inline objects); opgen then derives the
// operation table, the Client's methods and the pagination iterators from
// the spec, the generated code and gen/operations.yaml.
//go:generate go run ./internal/overlayrules
//go:generate go tool -modfile=tools/go.mod oapi-codegen -config gen/config.yaml openapi.yaml
//go:generate go run ./internal/opgen
