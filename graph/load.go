package graph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// LoadPlan is a load whose inputs have been read once, without the store: their syntax
// checked and what they say about each entity observed. Store.LoadPlan completes it.
type LoadPlan struct {
	inputs  []Input
	files   []string
	total   int64
	quads   int
	checker *schema.Checker
	recheck bool // some statement needs a second reading, to be checked against the rest
	syntax  *schema.ValidationError
	opt     LoadOptions
	cleanup func()
}

// PlanLoad reads the inputs a first time (spooling standard input to a temporary file),
// before any store is opened. Close the plan when done.
func PlanLoad(ctx context.Context, inputs []Input, opt LoadOptions) (*LoadPlan, error) {
	spooled, cleanup, err := spool(inputs)
	if err != nil {
		return nil, err
	}
	p := &LoadPlan{inputs: spooled, opt: opt, cleanup: cleanup,
		checker: schema.Default().NewChecker(nil, schema.ValidateOptions{AllowUnknown: opt.AllowUnknown, MaxProblems: opt.maxProblems()})}
	for _, in := range spooled {
		p.files = append(p.files, in.Name)
		p.total += in.Size
	}
	syntax := &schema.ValidationError{}
	rd := p.reading(ctx, PhaseRead, func(st schema.Statement) error {
		p.checker.Observe(st)
		if p.checker.Local(st) {
			return p.checker.Check(st)
		}
		p.recheck = true
		return nil
	})
	rd.syntax = func(pr schema.Problem) { syntax.Add(opt.maxProblems(), pr) } // the first N and a count: bounded
	if err := rd.all(spooled); err != nil {
		cleanup()
		if verr := stopped(err, syntax); verr != nil {
			return nil, verr
		}
		return nil, err
	}
	p.quads = rd.count
	if p.checker.NeedsTypes() {
		// Foreign types of the entities that statements of the vocabulary use: a reading
		// of its own, so that the first need not keep the types of every entity.
		rd := p.reading(ctx, PhaseCheck, func(st schema.Statement) error {
			p.checker.ObserveTypes(st)
			return nil
		})
		if err := rd.all(spooled); err != nil {
			cleanup()
			return nil, err
		}
	}
	if syntax.Err() != nil {
		p.syntax = syntax
	}
	return p, nil
}

// Close removes the plan's temporary files.
func (p *LoadPlan) Close() { p.cleanup() }

// progressEvery is how many quads pass between progress reports.
const progressEvery = 50000

// countedReading is a reading that counts statements and reports progress.
type countedReading struct {
	reading
	count int
	bytes int64
}

// reading is a reading of the plan's inputs for phase, which stops with ctx's error once
// ctx is done (looked at every interruptEvery statements).
func (p *LoadPlan) reading(ctx context.Context, phase string, each func(schema.Statement) error) *countedReading {
	cr := &countedReading{}
	each = interruptible(ctx, each)
	cr.reading = reading{
		opt:    p.opt,
		syntax: func(schema.Problem) {},
		bytes:  func(n int64) { cr.bytes = n },
		each: func(st schema.Statement) error {
			cr.count++
			if cr.count%progressEvery == 0 {
				p.opt.report(Progress{Phase: phase, Bytes: cr.bytes, Total: p.total, Quads: cr.count})
			}
			return each(st)
		},
	}
	return cr
}

// Load reads, validates and writes inputs all or nothing: every quad or none, at any size.
// Quads the store already has are skipped and counted. Validation problems come back as a
// *schema.ValidationError and leave the store as it was.
func (s *Store) Load(ctx context.Context, inputs []Input, opt LoadOptions) (LoadResult, error) {
	p, err := PlanLoad(ctx, inputs, opt)
	if err != nil {
		return LoadResult{}, err
	}
	defer p.Close()
	return s.LoadPlan(ctx, p)
}

// loadSeed loads a new store's seed.
func (s *Store) loadSeed(ctx context.Context, seed *Seed) (LoadResult, error) {
	return s.Load(ctx, []Input{{Name: seed.Name, Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(seed.Data)), nil
	}}}, LoadOptions{})
}

// LoadPlan validates the plan's inputs against the vocabulary and the store (a second
// read, when some statement needs it) and, when every quad is valid, writes them (a third
// read). An embedded store with no more quads than the input is replaced by one built
// beside it, from its quads and the input's; otherwise the embedded store's writes go in
// batches recorded in a journal, so that a failure or a crash is rolled back; other
// backends write in one transaction.
func (s *Store) LoadPlan(ctx context.Context, p *LoadPlan) (LoadResult, error) {
	if err := s.ready(); err != nil {
		return LoadResult{}, err
	}
	res := LoadResult{Read: p.quads, DryRun: p.opt.DryRun}
	if err := p.check(ctx, storeKnown{ctx: ctx, s: s}); err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, fmt.Errorf("load interrupted: %w", err)
	}
	w, err := s.newWriter(ctx, &res, p.quads, p.opt)
	if err != nil {
		return res, err
	}
	rd := p.reading(ctx, PhaseWrite, w.add)
	if err := rd.all(p.inputs); err != nil {
		return res, w.abort(err)
	}
	if err := w.finish(); err != nil {
		return res, err
	}
	return res, nil
}

// check validates the plan's inputs against the vocabulary and known, which answers for
// the entities they use but do not describe (nil: a store with nothing in it), reading
// them a second time when some statement needs it. It returns the problems of syntax and
// of validation together as a *schema.ValidationError, or nil when there are none.
func (p *LoadPlan) check(ctx context.Context, known schema.Known) error {
	p.checker.SetKnown(known)
	if p.recheck {
		rd := p.reading(ctx, PhaseCheck, func(st schema.Statement) error {
			if p.checker.Local(st) {
				return nil // checked in the first reading
			}
			return p.checker.Check(st)
		})
		if err := rd.all(p.inputs); err != nil {
			return err
		}
	}
	err := p.checker.Finish()
	p.checker = nil // what it learnt of each entity is not needed to write
	var verr *schema.ValidationError
	if err != nil && !errors.As(err, &verr) {
		return err
	}
	if p.syntax != nil || verr != nil {
		return mergeProblems(p.opt.maxProblems(), p.files, p.syntax, verr)
	}
	return nil
}

// mergeProblems joins validation errors into one, ordered by file (in input order) and
// line, and capped at max.
func mergeProblems(max int, files []string, errs ...*schema.ValidationError) error {
	all := &schema.ValidationError{}
	for _, e := range errs {
		all.Merge(e)
	}
	all.Sort(files)
	return all.Capped(max).Err()
}

// LoadStatements validates and writes statements already in memory, all or nothing.
func (s *Store) LoadStatements(ctx context.Context, stmts []schema.Statement, opt LoadOptions) (LoadResult, error) {
	return s.loadStatements(ctx, stmts, opt, nil)
}

// loadStatements validates statements against the store as it will be once rm's quads
// are out of it (rm nil: nothing goes), and writes the removal and the statements in
// one all-or-nothing operation: one transaction, or the embedded store's journal, which
// records the removed quads before they go, so that a rollback writes them back.
func (s *Store) loadStatements(ctx context.Context, stmts []schema.Statement, opt LoadOptions, rm *removal) (LoadResult, error) {
	if err := s.ready(); err != nil {
		return LoadResult{}, err
	}
	res := LoadResult{Read: len(stmts), DryRun: opt.DryRun}
	known := storeKnown{ctx: ctx, s: s}
	if rm != nil {
		known.removed = rm.in
	}
	if err := s.vocab.Validate(stmts, known, schema.ValidateOptions{AllowUnknown: opt.AllowUnknown, MaxProblems: opt.maxProblems()}); err != nil {
		return res, err
	}
	w, err := s.newWriter(ctx, &res, 0, opt)
	if err != nil {
		return res, err
	}
	if rm != nil && len(rm.quads) > 0 {
		r, ok := w.(remover)
		if !ok {
			return res, fmt.Errorf("the %s store cannot replace", s.be.kind())
		}
		if err := r.remove(rm.quads); err != nil {
			return res, w.abort(err)
		}
		opt.report(Progress{Phase: PhaseRemove, Quads: len(rm.quads)})
	}
	add := interruptible(ctx, w.add)
	for _, st := range stmts {
		if err := add(st); err != nil {
			return res, w.abort(err)
		}
	}
	return res, w.finish()
}

// Unload removes exactly the quads of inputs, all or nothing: a quad the store does not
// have is a problem reported at its FILE:LINE, and then nothing is removed.
func (s *Store) Unload(ctx context.Context, inputs []Input, opt LoadOptions) (LoadResult, error) {
	p, err := Read(inputs, opt)
	if err != nil {
		return LoadResult{}, err
	}
	return s.UnloadParsed(ctx, p, opt)
}

// UnloadParsed removes what Read parsed, all or nothing, in one transaction.
func (s *Store) UnloadParsed(ctx context.Context, p *Parsed, opt LoadOptions) (LoadResult, error) {
	if err := s.ready(); err != nil {
		return LoadResult{}, err
	}
	stmts := p.Statements
	res := LoadResult{Read: len(stmts), DryRun: opt.DryRun}
	max := opt.maxProblems()
	verr := &schema.ValidationError{}
	seen := make(map[quad.Quad]bool, len(stmts))
	var deltas []graph.Delta
	for _, st := range stmts {
		if seen[st.Quad] {
			res.Duplicate++
			continue
		}
		seen[st.Quad] = true
		has, err := s.HasQuad(ctx, st.Quad)
		if err != nil {
			return res, err
		}
		if !has {
			verr.Add(0, schema.Problem{File: st.File, Line: st.Line, Msg: "the store has no such quad: " + st.Quad.NQuad()})
			continue
		}
		deltas = append(deltas, graph.Delta{Quad: st.Quad, Action: graph.Delete})
	}
	if p.Syntax != nil || verr.Err() != nil {
		return res, mergeProblems(max, p.Files, p.Syntax, verr)
	}
	res.Written = len(deltas)
	if opt.DryRun || len(deltas) == 0 {
		return res, nil
	}
	if err := s.writable(); err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil { // the removal is one transaction: the last point to stop
		return res, fmt.Errorf("unload interrupted: %w", err)
	}
	if err := s.be.removeQuads(deltas, false); err != nil {
		res.Written = 0
		if rerr := s.reattach(); rerr != nil {
			return res, fmt.Errorf("remove %d quads: %w (and reopening the store failed: %v)", len(deltas), err, rerr)
		}
		return res, fmt.Errorf("remove %d quads: %w", len(deltas), err)
	}
	s.labels = nil
	return res, nil
}

// LoadCompiled loads statements compiled from sheets (and any read from other inputs),
// all or nothing. problems are those found reading and compiling them: when there are
// some, nothing is written, and the statements are still validated so that every problem
// is reported at once, in the order of files. A line that already has a problem is not
// reported again by validation: a claim with no evidence is one problem, not two.
func (s *Store) LoadCompiled(ctx context.Context, stmts []schema.Statement, problems *schema.ValidationError, files []string, opt LoadOptions) (LoadResult, error) {
	return s.loadCompiled(ctx, stmts, problems, files, opt, nil)
}

// loadCompiled is LoadCompiled, with rm's quads removed in the same operation (nil:
// none).
func (s *Store) loadCompiled(ctx context.Context, stmts []schema.Statement, problems *schema.ValidationError, files []string, opt LoadOptions, rm *removal) (LoadResult, error) {
	if problems == nil || problems.Err() == nil {
		return s.loadStatements(ctx, stmts, opt, rm)
	}
	dry := opt
	dry.DryRun = true
	res, err := s.loadStatements(ctx, stmts, dry, rm)
	var verr *schema.ValidationError
	if err != nil && !errors.As(err, &verr) {
		return res, err
	}
	all := &schema.ValidationError{Problems: slices.Clone(problems.Problems), Omitted: problems.Omitted, Stopped: problems.Stopped}
	if verr != nil {
		type place struct {
			file string
			line int
		}
		seen := map[place]bool{}
		for _, p := range problems.Problems {
			seen[place{p.File, p.Line}] = true
		}
		for _, p := range verr.Problems {
			if p.Line == 0 || !seen[place{p.File, p.Line}] {
				all.Problems = append(all.Problems, p)
			}
		}
		all.Omitted += verr.Omitted
	}
	all.Sort(files)
	return res, all.Capped(opt.maxProblems())
}

// interruptible returns fn, which stops with ctx's error once ctx is done: it looks
// every interruptEvery statements, so that an interrupt stops a long load as it writes.
func interruptible(ctx context.Context, fn func(schema.Statement) error) func(schema.Statement) error {
	n := 0
	return func(st schema.Statement) error {
		if n++; n%interruptEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("load interrupted: %w", err)
			}
		}
		return fn(st)
	}
}

// interruptEvery is how many statements a load writes between looks at its context.
const interruptEvery = 4096
