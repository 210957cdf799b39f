// Package nquads is a strict, line-numbered reader for N-Quads and N-Triples.
//
// It follows the W3C grammars (https://www.w3.org/TR/n-quads/ and
// https://www.w3.org/TR/n-triples/) exactly, with one dialect switch: by
// default an IRI may be relative (<alice>, </film/performance/actor>), as in
// Cayley's own data files; with Options.Strict every IRI must be absolute,
// that is begin with a scheme ([A-Za-z][A-Za-z0-9+.-]*:), as the W3C
// grammar intends.
//
// Values are mapped exactly as Cayley's reader
// (github.com/cayleygraph/quad/nquads) maps them, so that data read here is
// stored and queried as if Cayley had read it: an IRI becomes quad.IRI
// without its brackets, a blank node quad.BNode without its "_:", a plain
// literal quad.String, a language-tagged one quad.LangString (tag as written),
// and a typed literal goes through quad.TypedString.ParseValue, so that for
// example xsd:integer becomes quad.Int, xsd:boolean quad.Bool, xsd:double
// quad.Float, xsd:dateTime quad.Time and xsd:string quad.String, while a
// value that fails to convert stays a quad.TypedString.
//
// Where the two differ, this package follows the W3C grammar:
//   - \uXXXX and \UXXXXXXXX escapes in IRIs are decoded (Cayley keeps them
//     verbatim, so it reads <http://example/\u0053> as a different IRI
//     from <http://example/S>); an escape that would put a character
//     forbidden in IRIs (controls, space, <>"{}|^`\) into the IRI is an error;
//   - an escape naming a surrogate or a code point above U+10FFFF, and input
//     that is not valid UTF-8, are errors (Cayley substitutes U+FFFD);
//   - the empty IRI <> is an error (Cayley silently drops a statement with
//     <> as subject, predicate or object, and keeps it as a graph label).
//
// A UTF-8 byte order mark at the very start of a Reader's input is skipped.
package nquads

import (
	"fmt"
	"unicode/utf8"
	"unsafe"

	"github.com/cayleygraph/quad"
)

// Options control the dialect.
type Options struct {
	// Strict rejects relative IRIs, as the W3C grammar does; by default they
	// are admitted (Cayley's dialect).
	Strict bool
	// Triples reads N-Triples: a graph label is a syntax error.
	Triples bool
	// MaxLine caps a line's length in bytes (0: DefaultMaxLine); a Reader that meets a
	// longer line returns *LineTooLongError and stops.
	MaxLine int
}

// SyntaxError is a problem on one line.
type SyntaxError struct {
	Line int    // 1-based line number
	Col  int    // 1-based column, counted in Unicode code points
	Msg  string // lowercase, without a final period
}

// Error formats the error as "line L:C: msg".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d:%d: %s", e.Line, e.Col, e.Msg)
}

// ParseLine parses one line (without its newline; a single trailing carriage
// return is accepted). ok is false for a blank or comment-only line. A syntax
// error is a *SyntaxError with Line 1. The values returned may share memory
// with line.
func ParseLine(line string, opt Options) (q quad.Quad, ok bool, err error) {
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	p := parser{s: line, opt: opt}
	q, ok, se := p.statement()
	if se != nil {
		se.Line = 1
		return quad.Quad{}, false, se
	}
	return q, ok, nil
}

// parseBytes parses a line held in a buffer that will be reused: every string
// kept in the result is copied out of b.
func parseBytes(b []byte, opt Options) (quad.Quad, bool, *SyntaxError) {
	if len(b) == 0 {
		return quad.Quad{}, false, nil
	}
	p := parser{s: unsafe.String(&b[0], len(b)), opt: opt, clone: true}
	return p.statement()
}

// column converts a byte offset in s to a 1-based column in code points.
func column(s string, off int) int {
	if off > len(s) {
		off = len(s)
	}
	return utf8.RuneCountInString(s[:off]) + 1
}
