package kalshi

import "fmt"

// Environment is a Kalshi deployment. API keys work only in the
// environment that issued them.
type Environment string

const (
	// Demo is Kalshi's demo exchange, with play money: the default.
	Demo Environment = "demo"
	// Production is Kalshi's real-money exchange.
	Production Environment = "prod"
	// DemoLegacy is the demo exchange on its older shared host.
	DemoLegacy Environment = "demo-legacy"
	// ProductionLegacy is the production exchange on its older shared host.
	ProductionLegacy Environment = "prod-legacy"
)

// BaseURL returns the REST base URL, including /trade-api/v2.
func (e Environment) BaseURL() string {
	switch e {
	case Production:
		return "https://external-api.kalshi.com/trade-api/v2"
	case ProductionLegacy:
		return "https://api.elections.kalshi.com/trade-api/v2"
	case DemoLegacy:
		return "https://demo-api.kalshi.co/trade-api/v2"
	default:
		return "https://external-api.demo.kalshi.co/trade-api/v2"
	}
}

// WebSocketURL returns the WebSocket URL, including /trade-api/ws/v2.
func (e Environment) WebSocketURL() string {
	switch e {
	case Production:
		return "wss://external-api-ws.kalshi.com/trade-api/ws/v2"
	case ProductionLegacy:
		return "wss://api.elections.kalshi.com/trade-api/ws/v2"
	case DemoLegacy:
		return "wss://demo-api.kalshi.co/trade-api/ws/v2"
	default:
		return "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2"
	}
}

// IsProduction reports whether e trades real money.
func (e Environment) IsProduction() bool {
	return e == Production || e == ProductionLegacy
}

// Valid reports whether e is one of the known environments.
func (e Environment) Valid() bool {
	switch e {
	case Demo, Production, DemoLegacy, ProductionLegacy:
		return true
	}
	return false
}

// ParseEnvironment returns the environment named s: "demo" or "prod" (also
// "production"), or "demo-legacy" / "prod-legacy" for the older hosts.
func ParseEnvironment(s string) (Environment, error) {
	switch s {
	case "production":
		return Production, nil
	case "production-legacy":
		return ProductionLegacy, nil
	}
	if e := Environment(s); e.Valid() {
		return e, nil
	}
	return "", fmt.Errorf("unknown Kalshi environment %q: use \"demo\" or \"prod\" (or \"demo-legacy\", \"prod-legacy\")", s)
}
