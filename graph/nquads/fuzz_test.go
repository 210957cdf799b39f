package nquads

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader reads arbitrary bytes: the reader never panics, never returns an invalid
// quad, numbers lines upwards, and ends with io.EOF or a line too long.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"<a> <b> <c> .\n",
		"<a> <b> \"x\"@en-GB <g> .\r\n_:b <p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .",
		"# comment\n\n<a> <b> \"\\u00e9\\n\" .\r<a> <b> <c",
		"\ufeff<http://ex/\\u0053> <p> \"\"\"x\" .",
		"\x00\x01\xff\n<a> <b> _: .",
	} {
		f.Add([]byte(s), false, false)
	}
	f.Fuzz(func(t *testing.T, data []byte, strict, triples bool) {
		r := NewReader(bytes.NewReader(data), Options{Strict: strict, Triples: triples, MaxLine: 1 << 12})
		last := 0
		for i := 0; ; i++ {
			q, line, err := r.Next()
			var se *SyntaxError
			var long *LineTooLongError
			switch {
			case err == io.EOF, errors.As(err, &long):
				return
			case errors.As(err, &se):
				if se.Line != line || se.Col < 1 {
					t.Fatalf("syntax error at line %d:%d, reported at line %d", se.Line, se.Col, line)
				}
			case err != nil:
				t.Fatalf("unexpected error %v", err)
			case !q.IsValid():
				t.Fatalf("line %d: invalid quad %v", line, q)
			}
			if line <= last && err == nil {
				t.Fatalf("line %d after line %d", line, last)
			}
			last = line
			if i > len(data)+1 {
				t.Fatalf("more statements than bytes")
			}
		}
	})
}

// FuzzCheck: the checks behind JSON-LD's IRIs and language tags never panic, and what
// they accept an N-Quads line accepts too.
func FuzzCheck(f *testing.F) {
	f.Add("http://example.org/a", "en-GB")
	f.Add("a{b}", "en US")
	f.Add("", "-")
	f.Fuzz(func(t *testing.T, iri, tag string) {
		if CheckIRI(iri, true) == nil {
			if _, _, err := ParseLine("<"+iri+"> <http://p/> <http://o/> .", Options{Strict: true}); err != nil {
				t.Fatalf("CheckIRI accepts %q, the reader says %v", iri, err)
			}
		}
		if CheckLangTag(tag) == nil {
			if _, _, err := ParseLine("<http://s/> <http://p/> \"x\"@"+tag+" .", Options{}); err != nil {
				t.Fatalf("CheckLangTag accepts %q, the reader says %v", tag, err)
			}
		}
	})
}
