package kalshi

// The typed REST client in gen/ is generated from openapi.yaml with the
// oapi-codegen version pinned in tools/go.mod, so `go generate ./...` needs
// nothing but Go. moneyrule first marks the spec's fixed-point fields for
// the exact types of package money (in gen/overlay.yaml); opgen then
// derives the operation table and the pagination iterators from the spec
// and the generated code.
//go:generate go run ./internal/moneyrule
//go:generate go tool -modfile=tools/go.mod oapi-codegen -config gen/config.yaml openapi.yaml
//go:generate go run ./internal/opgen
