package kalshitest

// The fake's routing is generated from the same openapi.yaml as the client:
// oapi-codegen writes the std-http server (handler interface, parameter
// binding, the embedded spec used for validation) into the internal
// package api (internal/api/server.gen.go), and stubgen writes a 501
// answer for every operation into unimplemented.gen.go. The root's
// `go generate ./...` runs both.
//go:generate go tool -modfile=../tools/go.mod oapi-codegen -config server.config.yaml ../openapi.yaml
//go:generate go run ./internal/stubgen
