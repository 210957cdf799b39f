package graph_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// FuzzJSONLD reads arbitrary documents as JSON-LD: no panic, no context loaded (a refused
// one is a problem, never a fetch), every problem in the file read.
func FuzzJSONLD(f *testing.F) {
	for _, s := range []string{
		`{"@context": "` + graph.ContextURL + `", "@id": "parley:x", "@type": "parley:Person", "rdfs:label": "X"}`,
		`{"@context": {"p": "http://ex/"}, "@graph": [{"@id": "p:a", "p:b": {"@value": "1", "@type": "http://www.w3.org/2001/XMLSchema#integer"}}]}`,
		`{"@context": "http://127.0.0.1:1/ctx", "@id": "http://ex/a"}`,
		`[{"@id": "_:b", "http://ex/p": [{"@list": [1, 2.5, true, null]}], "@reverse": {"http://ex/q": {"@id": "http://ex/c"}}}]`,
		`{"@id": "http://ex/a", "http://ex/p": {"@value": "x", "@language": "en-GB"}, "@included": [{"@id": "rel"}]}`,
		`{"@context": [{"@import": "/etc/passwd"}], "@id": "x"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var p *graph.Parsed
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			p, err = graph.Read([]graph.Input{graphtest.Input("f.jsonld", doc)}, graph.LoadOptions{})
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("reading %q takes more than 5s", doc)
		}
		if err != nil {
			return // a read error, not a crash
		}
		if p.Syntax != nil {
			for _, pr := range p.Syntax.Problems {
				if pr.File != "f.jsonld" || pr.Line < 0 || pr.Line > strings.Count(doc, "\n")+1 {
					t.Fatalf("problem at %s:%d", pr.File, pr.Line)
				}
			}
		}
		for _, st := range p.Statements {
			if !st.Quad.IsValid() {
				t.Fatalf("invalid statement %v", st.Quad)
			}
		}
	})
}

var fuzzStore = sync.OnceValues(func() (*graph.Store, error) {
	s, _, err := graph.Open(context.Background(), graph.Config{Backend: graph.BackendMemory, Seed: seedData()})
	return s, err
})

// FuzzResolve resolves arbitrary names against the seed: no panic; a name resolves or is
// not found or ambiguous, and the same way twice; an entity found by name is found by
// its ID too.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"Putin", "<putin>", "moscow", "Vladimir", "  kallas ", "<>", "<", "_:b", "\x00", "ÉLYSÉE", "the"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s, err := fuzzStore()
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		iri, err := s.ResolveEntity(ctx, name)
		again, err2 := s.ResolveEntity(ctx, name)
		if iri != again || (err == nil) != (err2 == nil) {
			t.Fatalf("%q resolves to %q (%v), then %q (%v)", name, iri, err, again, err2)
		}
		var nf *graph.NotFoundError
		var amb *graph.AmbiguousError
		switch {
		case err == nil:
			if byID, err := s.ResolveEntity(ctx, "<"+string(iri)+">"); err != nil || byID != iri {
				t.Fatalf("%q resolves to %q, which by ID gives %q, %v", name, iri, byID, err)
			}
		case errors.As(err, &nf), errors.As(err, &amb):
		default:
			if utf8.ValidString(name) {
				t.Fatalf("%q: %v", name, err)
			}
		}
		s.ResolveNode(ctx, name)
	})
}
