package graph

// Cayley finds its SQL flavours, query languages and quad formats through registries filled by package
// initialisers. Every blank import parley needs lives here and nowhere else. (PostgreSQL's
// driver and flavour are registered by graph/internal/pgwatch, at the first PostgreSQL open.)
import (
	_ "github.com/cayleygraph/cayley/query/gizmo"   // Gizmo (JavaScript) queries
	_ "github.com/cayleygraph/cayley/query/graphql" // GraphQL queries
	_ "github.com/cayleygraph/cayley/query/mql"     // MQL queries
	_ "github.com/cayleygraph/quad/jsonld"          // JSON-LD reader and writer
	_ "github.com/cayleygraph/quad/nquads"          // N-Quads writer
)
