package graph

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/cayleygraph/quad"

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
	bad    int           // lines of N-Quads that did not parse
}

// stopReadingAfter is how many lines that do not parse end a reading: an input that is
// not statements at all (random bytes, a binary file, piped garbage) is not read to its
// end, nor spooled to the disk, only to count problems nobody will read.
const stopReadingAfter = 1000

// stoppedError ends a reading that met stopReadingAfter problems; the reading's caller
// returns its syntax problems with Stopped set.
type stoppedError struct{ at schema.Problem }

func (e *stoppedError) Error() string { return e.at.String() }

// stopped returns the syntax problems of a reading that err ended early, with the place
// it stopped; nil when err is not such an ending.
func stopped(err error, syntax *schema.ValidationError) *schema.ValidationError {
	var se *stoppedError
	if !errors.As(err, &se) {
		return nil
	}
	syntax.Stopped = &se.at
	return syntax
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
		var long *nquads.LineTooLongError
		if errors.As(err, &serr) {
			rd.syntax(schema.Problem{File: in.Name, Line: serr.Line, Msg: serr.Msg})
			if rd.bad++; rd.bad >= stopReadingAfter {
				return &stoppedError{schema.Problem{File: in.Name, Line: serr.Line,
					Msg: fmt.Sprintf("stopped reading after %d lines that are not statements (is it a file of N-Quads?)", rd.bad)}}
			}
			continue
		} else if errors.As(err, &long) {
			return fmt.Errorf("read %s:%d: the line is %s", in.Name, long.Line, long.Msg())
		} else if err != nil {
			return fmt.Errorf("read %s: %w", in.Name, err)
		}
		if err := rd.each(schema.Statement{Quad: compactQuad(q), File: in.Name, Line: line}); err != nil {
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
		syntax: func(pr schema.Problem) { verr.Add(opt.maxProblems(), pr) }, // the first N and a count
	}
	if err := rd.all(inputs); err != nil {
		if verr := stopped(err, verr); verr != nil {
			return nil, verr.Capped(opt.maxProblems())
		}
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

// FileInput is the input for a file argument. A regular file is read where it is, as often
// as a load needs; a pipe (a named FIFO, or "<(zcat f.gz)") can be read only once, so it is
// spooled as standard input is; anything else (a directory, a device such as /dev/zero or
// a terminal, a socket) is refused: it is not a file of statements.
func FileInput(name string) (Input, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return Input{}, fmt.Errorf("read %s: %w", name, err)
	}
	open := func() (io.ReadCloser, error) { return os.Open(name) }
	switch mode := fi.Mode(); {
	case mode.IsRegular():
		return Input{Name: name, Size: fi.Size(), Open: open}, nil
	case mode&fs.ModeNamedPipe != 0:
		return Input{Name: name, Once: true, Open: open}, nil
	case mode.IsDir():
		return Input{}, fmt.Errorf("read %s: is a directory", name)
	case mode&fs.ModeCharDevice != 0:
		return Input{}, fmt.Errorf("read %s: a character device, not a file of statements (for a terminal, use - for stdin)", name)
	default:
		return Input{}, fmt.Errorf("read %s: not a regular file or a pipe", name)
	}
}

// spoolCheckEvery is how many bytes a spool writes between checks of the free space left.
const spoolCheckEvery = 64 << 20

// minSpoolFree is the free space a spool leaves on its file system: it stops before.
const minSpoolFree = 1 << 30

// spool makes inputs that can be read only once readable again: the first reading copies
// what it reads to a temporary file, and later readings read that file. A spool that would
// leave less than minSpoolFree on its file system stops with an error. It returns the
// inputs to read and a cleanup function.
func spool(inputs []Input) ([]Input, func(), error) {
	var temps []*spooled
	cleanup := func() {
		for _, t := range temps {
			t.remove()
		}
	}
	out := make([]Input, len(inputs))
	for i, in := range inputs {
		out[i] = in
		if !in.Once {
			continue
		}
		if len(temps) == 0 {
			removeDeadSpools()
		}
		f, err := os.CreateTemp("", fmt.Sprintf("%s%d-*", spoolPrefix, os.Getpid()))
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("spool %s: %w", in.Name, err)
		}
		sp := &spooled{in: in, f: f}
		temps = append(temps, sp)
		out[i].Open = sp.open
		out[i].Once = false
	}
	return out, cleanup, nil
}

// spoolPrefix starts the name of a spool file in the temporary directory, followed by the
// ID of the process that made it: "parley-input-p1234-567".
const spoolPrefix = "parley-input-p"

// removeDeadSpools removes the spool files left by parley processes that were killed:
// those whose process no longer runs.
func removeDeadSpools() {
	names, _ := filepath.Glob(filepath.Join(os.TempDir(), spoolPrefix+"*"))
	for _, name := range names {
		pid, _, ok := strings.Cut(strings.TrimPrefix(filepath.Base(name), spoolPrefix), "-")
		n, err := strconv.Atoi(pid)
		if !ok || err != nil || n <= 0 || n == os.Getpid() {
			continue
		}
		if err := syscall.Kill(n, 0); errors.Is(err, syscall.ESRCH) {
			os.Remove(name)
		}
	}
}

// spooled is one input read once and kept in a temporary file.
type spooled struct {
	in       Input
	f        *os.File // the temporary file, open while the first reading copies to it
	opened   bool     // the first reading has begun
	complete bool     // the first reading reached the end: the file holds the input
	written  int64
	checked  int64 // written when the free space was last checked
	err      error
}

func (sp *spooled) open() (io.ReadCloser, error) {
	if sp.complete {
		return os.Open(sp.f.Name())
	}
	if sp.opened {
		return nil, fmt.Errorf("spool %s: the first reading stopped before the end, and it can be read only once", sp.in.Name)
	}
	sp.opened = true
	rc, err := sp.in.Open()
	if err != nil {
		return nil, err
	}
	return &spoolReader{sp: sp, rc: rc}, nil
}

func (sp *spooled) remove() {
	sp.f.Close()
	os.Remove(sp.f.Name())
}

// spoolReader reads an input once, copying it to its spool.
type spoolReader struct {
	sp  *spooled
	rc  io.ReadCloser
	eof bool
}

func (r *spoolReader) Read(p []byte) (int, error) {
	sp := r.sp
	if sp.err != nil {
		return 0, sp.err
	}
	n, err := r.rc.Read(p)
	if n > 0 {
		if _, werr := sp.f.Write(p[:n]); werr != nil {
			sp.err = fmt.Errorf("spool %s: %w", sp.in.Name, werr)
			return 0, sp.err
		}
		sp.written += int64(n)
		if sp.written-sp.checked >= spoolCheckEvery {
			sp.checked = sp.written
			if free, ok := freeSpace(sp.f.Name()); ok && free < minSpoolFree {
				sp.err = fmt.Errorf("spool %s: stopped after %d MiB, with less than %d MiB left on the disk of %s (give a file instead of a pipe)",
					sp.in.Name, sp.written>>20, minSpoolFree>>20, os.TempDir())
				return 0, sp.err
			}
		}
	}
	if err == io.EOF {
		r.eof = true
	}
	return n, err
}

func (r *spoolReader) Close() error {
	err := r.rc.Close()
	sp := r.sp
	if cerr := sp.f.Close(); err == nil {
		err = cerr
	}
	if r.eof && sp.err == nil && err == nil {
		sp.complete = true
	}
	return err
}
