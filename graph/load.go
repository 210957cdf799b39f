package graph

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/jsonld"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
)

// Input formats.
const (
	FormatNQuads   = "nquads"
	FormatNTriples = "ntriples"
	FormatJSONLD   = "jsonld"
)

// Formats lists the input formats Load reads.
func Formats() []string { return []string{FormatNQuads, FormatNTriples, FormatJSONLD} }

// Input is one file to load or unload.
type Input struct {
	Name   string                        // for messages; "-" is standard input
	Open   func() (io.ReadCloser, error) // opens the content, gzipped or not
	Format string                        // "" detects it from Name
}

// LoadOptions tune Load and Unload.
type LoadOptions struct {
	Format       string // overrides detection for every input
	Strict       bool   // reject relative IRIs, as the W3C grammar does
	AllowUnknown bool   // admit predicates, types and entities outside the vocabulary
	DryRun       bool   // validate only; write nothing
	MaxProblems  int    // cap on problems reported; 0: schema.DefaultMaxProblems
}

// LoadResult counts what a load or unload did.
type LoadResult struct {
	Read      int  `json:"read"`      // quads read from the inputs
	Written   int  `json:"written"`   // quads added (load) or removed (unload); in a dry run, that would be
	Present   int  `json:"present"`   // quads skipped because the store already had them (load)
	Duplicate int  `json:"duplicate"` // quads repeated within the inputs, counted once
	DryRun    bool `json:"dry_run,omitempty"`
}

// DetectFormat names the format of a file from its name: .nq, .nt, .jsonld, .json, each
// optionally gzipped. It returns "" when the name says nothing.
func DetectFormat(name string) string {
	n := strings.ToLower(strings.TrimSuffix(strings.ToLower(name), ".gz"))
	switch {
	case strings.HasSuffix(n, ".nq"), strings.HasSuffix(n, ".nquads"):
		return FormatNQuads
	case strings.HasSuffix(n, ".nt"), strings.HasSuffix(n, ".ntriples"):
		return FormatNTriples
	case strings.HasSuffix(n, ".jsonld"), strings.HasSuffix(n, ".json"):
		return FormatJSONLD
	}
	return ""
}

// Read parses inputs into statements, compacting full parley IRIs to their short form. It
// returns the statements that parsed and, as a *schema.ValidationError, every syntax
// problem of every input up to the cap; other errors (a file that cannot be read) end it.
func Read(inputs []Input, opt LoadOptions) (*Parsed, error) {
	verr := &schema.ValidationError{}
	max := opt.maxProblems()
	var out []schema.Statement
	for _, in := range inputs {
		format := opt.Format
		if format == "" {
			format = in.Format
		}
		if format == "" {
			format = DetectFormat(in.Name)
		}
		if format == "" {
			format = FormatNQuads
		}
		stmts, err := readInput(in, format, opt.Strict, verr, max)
		if err != nil {
			return nil, err
		}
		out = append(out, stmts...)
	}
	p := &Parsed{Statements: out}
	for _, in := range inputs {
		p.Files = append(p.Files, in.Name)
	}
	if verr.Err() != nil {
		p.Syntax = verr
	}
	return p, nil
}

// Parsed is what Read made of its inputs: the statements that parsed, and the syntax
// problems of the rest.
type Parsed struct {
	Files      []string // the inputs' names, in order
	Statements []schema.Statement
	Syntax     *schema.ValidationError // nil when every line parsed
}

func readInput(in Input, format string, strict bool, verr *schema.ValidationError, max int) ([]schema.Statement, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", in.Name, err)
	}
	defer rc.Close()
	r, err := maybeGunzip(rc)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", in.Name, err)
	}
	var out []schema.Statement
	switch format {
	case FormatNQuads, FormatNTriples:
		rd := nquads.NewReader(r, nquads.Options{Strict: strict, Triples: format == FormatNTriples})
		for {
			q, line, err := rd.Next()
			if err == io.EOF {
				break
			}
			var serr *nquads.SyntaxError
			if errors.As(err, &serr) {
				verr.Add(max, schema.Problem{File: in.Name, Line: serr.Line, Msg: serr.Msg})
				continue
			} else if err != nil {
				return nil, fmt.Errorf("read %s: %w", in.Name, err)
			}
			out = append(out, schema.Statement{Quad: compactQuad(q), File: in.Name, Line: line})
		}
	case FormatJSONLD:
		rd := jsonld.NewReader(r)
		defer rd.Close()
		for i := 1; ; i++ {
			q, err := rd.ReadQuad()
			if err == io.EOF {
				break
			} else if err != nil {
				verr.Add(max, schema.Problem{File: in.Name, Msg: "invalid JSON-LD: " + err.Error()})
				break
			}
			if !q.IsValid() {
				verr.Add(max, schema.Problem{File: in.Name, Msg: fmt.Sprintf("quad %d is incomplete: %s", i, q)})
				continue
			}
			out = append(out, schema.Statement{Quad: compactQuad(q), File: in.Name})
		}
	default:
		return nil, fmt.Errorf("%s: unknown format %q (formats: %s)", in.Name, format, strings.Join(Formats(), ", "))
	}
	return out, nil
}

func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// compactQuad maps full IRIs in parley's namespace back to the short form.
func compactQuad(q quad.Quad) quad.Quad {
	for _, d := range quad.Directions {
		if iri, ok := q.Get(d).(quad.IRI); ok {
			if c := schema.Compact(string(iri)); c != string(iri) {
				q.Set(d, quad.IRI(c))
			}
		}
	}
	return q
}

// Load reads, validates and writes inputs in one transaction: every quad or none. Quads the
// store already has are skipped and counted. Validation problems come back as a
// *schema.ValidationError and leave the store as it was.
func (s *Store) Load(ctx context.Context, inputs []Input, opt LoadOptions) (LoadResult, error) {
	if err := s.ready(); err != nil {
		return LoadResult{}, err
	}
	p, err := Read(inputs, opt)
	if err != nil {
		return LoadResult{}, err
	}
	return s.LoadParsed(ctx, p, opt)
}

// LoadParsed validates and writes what Read parsed, all or nothing. Syntax problems and
// validation problems are reported together, in input order, as a *schema.ValidationError.
func (s *Store) LoadParsed(ctx context.Context, p *Parsed, opt LoadOptions) (LoadResult, error) {
	if p.Syntax != nil {
		opt.DryRun = true // validate what parsed, write nothing
	}
	res, err := s.LoadStatements(ctx, p.Statements, opt)
	if p.Syntax == nil {
		return res, err
	}
	var verr *schema.ValidationError
	if err != nil && !errors.As(err, &verr) {
		return res, err
	}
	return res, mergeProblems(opt.maxProblems(), p.Files, p.Syntax, verr)
}

func (o LoadOptions) maxProblems() int {
	if o.MaxProblems == 0 {
		return schema.DefaultMaxProblems
	}
	return o.MaxProblems
}

// mergeProblems joins validation errors into one, ordered by file (in input order) and
// line, and capped at max.
func mergeProblems(max int, files []string, errs ...*schema.ValidationError) error {
	all := &schema.ValidationError{}
	for _, e := range errs {
		if e != nil {
			all.Problems = append(all.Problems, e.Problems...)
			all.Omitted += e.Omitted
		}
	}
	all.Sort(files)
	return all.Capped(max).Err()
}

// LoadStatements validates and writes statements already read, all or nothing.
func (s *Store) LoadStatements(ctx context.Context, stmts []schema.Statement, opt LoadOptions) (LoadResult, error) {
	res := LoadResult{Read: len(stmts), DryRun: opt.DryRun}
	known := storeKnown{ctx: ctx, s: s}
	if err := s.vocab.Validate(stmts, known, schema.ValidateOptions{AllowUnknown: opt.AllowUnknown, MaxProblems: opt.maxProblems()}); err != nil {
		return res, err
	}
	seen := make(map[quad.Quad]bool, len(stmts))
	deltas := make([]graph.Delta, 0, len(stmts))
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
		if has {
			res.Present++
			continue
		}
		deltas = append(deltas, graph.Delta{Quad: st.Quad, Action: graph.Add})
	}
	return res, s.apply(deltas, &res)
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

// UnloadParsed removes what Read parsed, all or nothing.
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
			verr.Add(max, schema.Problem{File: st.File, Line: st.Line, Msg: "the store has no such quad: " + st.Quad.NQuad()})
			continue
		}
		deltas = append(deltas, graph.Delta{Quad: st.Quad, Action: graph.Delete})
	}
	if p.Syntax != nil || verr.Err() != nil {
		return res, mergeProblems(max, p.Files, p.Syntax, verr)
	}
	return res, s.apply(deltas, &res)
}

// apply writes deltas in one transaction, unless this is a dry run.
func (s *Store) apply(deltas []graph.Delta, res *LoadResult) error {
	res.Written = len(deltas)
	if res.DryRun || len(deltas) == 0 {
		return nil
	}
	if err := s.writable(); err != nil {
		return err
	}
	if err := s.qs.ApplyDeltas(deltas, graph.IgnoreOpts{}); err != nil {
		res.Written = 0
		return fmt.Errorf("write %d changes: %w", len(deltas), err)
	}
	s.labels = nil
	return nil
}
