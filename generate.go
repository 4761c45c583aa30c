package kalshi

// The typed REST client in gen/ is generated from openapi.yaml with the
// oapi-codegen version pinned in tools/go.mod; `go generate ./...` needs
// nothing but Go. See gen/config.yaml and gen/overlay.yaml.
//go:generate go tool -modfile=tools/go.mod oapi-codegen -config gen/config.yaml openapi.yaml
