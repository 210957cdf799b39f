package graph

import "github.com/parley/parley/schema"

// LoadOptions tune Load and Unload.
type LoadOptions struct {
	Format       string         // overrides detection for every input
	Strict       bool           // reject relative IRIs, as the W3C grammar does
	AllowUnknown bool           // admit predicates, types and entities outside the vocabulary
	DryRun       bool           // validate only; write nothing
	MaxProblems  int            // cap on problems reported; 0: schema.DefaultMaxProblems; negative: none
	Progress     func(Progress) // called as the load goes, from the loading goroutine
	Contexts     []string       // JSON-LD @context addresses or files that may be loaded; parley's own always is
}

// Progress says how far a load has come.
type Progress struct {
	Phase string // "reading", "checking", "writing", "removing", ...
	Bytes int64  // raw input bytes read in this phase
	Total int64  // raw input bytes in all (0 when unknown)
	Quads int    // quads handled in this phase
}

// Load phases.
const (
	PhaseRead   = "reading"
	PhaseCheck  = "checking"
	PhaseWrite  = "writing"
	PhaseRemove = "removing" // a replace: the old versions removed (reported once, when done)
	PhaseSort   = "sorting"  // a rebuild of the store: the quads in order, with their IDs
	PhaseIndex  = "indexing" // a rebuild of the store: an index in another order
)

// LoadResult counts what a load or unload did.
type LoadResult struct {
	Read      int  `json:"read"`      // quads read from the inputs
	Written   int  `json:"written"`   // quads added (load) or removed (unload); in a dry run, that would be
	Present   int  `json:"present"`   // quads skipped because the store already had them (load)
	Duplicate int  `json:"duplicate"` // quads repeated within the inputs, counted once
	DryRun    bool `json:"dry_run,omitempty"`
}

func (o LoadOptions) maxProblems() int {
	if o.MaxProblems == 0 {
		return schema.DefaultMaxProblems
	}
	return o.MaxProblems
}

func (o LoadOptions) report(p Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}
