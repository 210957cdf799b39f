package graph

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

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
	Size   int64                         // bytes, for progress; 0 when unknown
	Once   bool                          // can be opened only once (stdin): spooled to a temporary file
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

func (in Input) format(opt LoadOptions) string {
	for _, f := range []string{opt.Format, in.Format, DetectFormat(in.Name)} {
		if f != "" {
			return f
		}
	}
	return FormatNQuads
}

// reading is one pass over the inputs: it calls each for every statement and syntax for
// every syntax problem, and counts raw bytes for progress.
type reading struct {
	opt    LoadOptions
	each   func(schema.Statement) error
	syntax func(schema.Problem)
	bytes  func(n int64) // raw bytes read so far, all inputs
}

// run reads one input.
func (rd *reading) run(in Input, before int64) error {
	rc, err := in.Open()
	if err != nil {
		return fmt.Errorf("open %s: %w", in.Name, err)
	}
	defer rc.Close()
	var raw io.Reader = &countingReader{r: rc, base: before, report: rd.bytes}
	r, err := maybeGunzip(raw)
	if err != nil {
		return fmt.Errorf("read %s: %w", in.Name, err)
	}
	switch format := in.format(rd.opt); format {
	case FormatNQuads, FormatNTriples:
		return rd.nquads(in, r, format == FormatNTriples)
	case FormatJSONLD:
		return rd.jsonld(in, r)
	default:
		return fmt.Errorf("%s: unknown format %q (formats: %s)", in.Name, format, strings.Join(Formats(), ", "))
	}
}

func (rd *reading) nquads(in Input, r io.Reader, triples bool) error {
	nr := nquads.NewReader(r, nquads.Options{Strict: rd.opt.Strict, Triples: triples})
	for {
		q, line, err := nr.Next()
		if err == io.EOF {
			return nil
		}
		var serr *nquads.SyntaxError
		if errors.As(err, &serr) {
			rd.syntax(schema.Problem{File: in.Name, Line: serr.Line, Msg: serr.Msg})
			continue
		} else if err != nil {
			return fmt.Errorf("read %s: %w", in.Name, err)
		}
		if err := rd.each(schema.Statement{Quad: compactQuad(q), File: in.Name, Line: line}); err != nil {
			return err
		}
	}
}

func (rd *reading) jsonld(in Input, r io.Reader) error {
	jr := jsonld.NewReader(r)
	defer jr.Close()
	for i := 1; ; i++ {
		q, err := jr.ReadQuad()
		if err == io.EOF {
			return nil
		} else if err != nil {
			rd.syntax(schema.Problem{File: in.Name, Msg: "invalid JSON-LD: " + err.Error()})
			return nil
		}
		if !q.IsValid() {
			rd.syntax(schema.Problem{File: in.Name, Msg: fmt.Sprintf("quad %d is incomplete: %s", i, q)})
			continue
		}
		if err := rd.each(schema.Statement{Quad: compactQuad(q), File: in.Name}); err != nil {
			return err
		}
	}
}

// all reads every input in order.
func (rd *reading) all(inputs []Input) error {
	var before int64
	for _, in := range inputs {
		if err := rd.run(in, before); err != nil {
			return err
		}
		before += in.Size
	}
	return nil
}

type countingReader struct {
	r      io.Reader
	n      int64
	base   int64
	report func(int64)
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if c.report != nil && n > 0 {
		c.report(c.base + c.n)
	}
	return n, err
}

func maybeGunzip(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

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

// Read parses inputs into statements in memory, compacting full parley IRIs to their short
// form. It returns the statements that parsed and every syntax problem of every input, up
// to the cap; other errors (a file that cannot be read) end it. Read needs no store.
func Read(inputs []Input, opt LoadOptions) (*Parsed, error) {
	p := &Parsed{}
	verr := &schema.ValidationError{}
	rd := &reading{
		opt:    opt,
		each:   func(st schema.Statement) error { p.Statements = append(p.Statements, st); return nil },
		syntax: func(pr schema.Problem) { verr.Add(0, pr) },
	}
	if err := rd.all(inputs); err != nil {
		return nil, err
	}
	for _, in := range inputs {
		p.Files = append(p.Files, in.Name)
	}
	if verr.Err() != nil {
		verr.Sort(p.Files)
		p.Syntax = verr.Capped(opt.maxProblems())
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

// spool copies inputs that can be read only once to temporary files, so that a load can
// read them in several passes. It returns the inputs to read and a cleanup function.
func spool(inputs []Input) ([]Input, func(), error) {
	var temps []string
	cleanup := func() {
		for _, t := range temps {
			os.Remove(t)
		}
	}
	out := make([]Input, len(inputs))
	for i, in := range inputs {
		out[i] = in
		if !in.Once {
			continue
		}
		f, err := os.CreateTemp("", "parley-input-*")
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("spool %s: %w", in.Name, err)
		}
		temps = append(temps, f.Name())
		rc, err := in.Open()
		if err == nil {
			out[i].Size, err = io.Copy(f, rc)
			rc.Close()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("spool %s: %w", in.Name, err)
		}
		path := f.Name()
		out[i].Open = func() (io.ReadCloser, error) { return os.Open(path) }
		out[i].Once = false
	}
	return out, cleanup, nil
}
