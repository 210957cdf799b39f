package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"sort"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/piprate/json-gold/ld"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
)

func TestFormatLookup(t *testing.T) {
	cases := []struct {
		by, arg, want string
	}{
		{"name", "nquads", NQuads},
		{"name", "JSONLD", JSONLD},
		{"name", "mermaid", Mermaid},
		{"name", "png", PNG},
		{"name", "turtle", ""},
		{"file", "out/sub.nq", NQuads},
		{"file", "sub.JSONLD", JSONLD},
		{"file", "sub.json", JSON},
		{"file", "sub.gv", DOT},
		{"file", "sub.graphml", GraphML},
		{"file", "sub.gml", GML},
		{"file", "sub.csv", CSV},
		{"file", "sub.mmd", Mermaid},
		{"file", "sub.svg", SVG},
		{"file", "sub.png", PNG},
		{"file", "sub.txt", ""},
		{"file", "sub", ""},
	}
	for _, c := range cases {
		t.Run(c.by+" "+c.arg, func(t *testing.T) {
			var f Format
			var err error
			if c.by == "name" {
				f, err = ByName(c.arg)
			} else {
				f, err = FromExtension(c.arg)
			}
			var uerr *UnknownFormatError
			switch {
			case c.want == "" && !errors.As(err, &uerr):
				t.Fatalf("got %v, %v; want an UnknownFormatError", f.Name, err)
			case c.want != "" && err != nil:
				t.Fatal(err)
			case f.Name != c.want:
				t.Fatalf("got %q, want %q", f.Name, c.want)
			}
		})
	}
	if got := len(Formats()); got != len(Names()) || got != 11 {
		t.Fatalf("%d formats, %d names; want 11", got, len(Names()))
	}
}

// TestNQuads checks that the N-Quads output parses back to exactly the subgraph's quads,
// and that --expand writes absolute IRIs that compact back to them.
func TestNQuads(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, expand := range []bool{false, true} {
			out := write(t, NQuads, fx.g, Options{Short: !expand})
			got := parseNQuads(t, out)
			var want []string
			for _, q := range fx.g.Quads {
				want = append(want, q.NQuad())
			}
			if expand {
				for i, line := range got {
					got[i] = compactLine(t, line) // as the loader does
				}
				sort.Strings(got)
			}
			sort.Strings(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s (expand %v): read back\n%s\nwant\n%s", fx.name, expand, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		}
	}
}

// parseNQuads parses N-Quads with parley's own reader and returns them in Cayley's
// notation, sorted.
func parseNQuads(t *testing.T, data []byte) []string {
	t.Helper()
	rd := nquads.NewReader(bytes.NewReader(data), nquads.Options{})
	var out []string
	for {
		q, line, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("line %d: %v", line, err)
		}
		out = append(out, q.NQuad())
	}
	sort.Strings(out)
	return out
}

// compactLine checks that every IRI of an N-Quads line is absolute and maps them to
// parley's short form.
func compactLine(t *testing.T, line string) string {
	t.Helper()
	q, _, err := nquads.ParseLine(line, nquads.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range quad.Directions {
		if iri, ok := q.Get(d).(quad.IRI); ok {
			if !schema.IsAbsolute(string(iri)) {
				t.Errorf("%s is not absolute", iri)
			}
			q.Set(d, quad.IRI(schema.Compact(string(iri))))
		}
	}
	return q.NQuad()
}

// TestJSONLDExpandsToTheSameRDF expands the JSON-LD output with json-gold and compares its
// quads with those of the N-Quads export with absolute IRIs.
func TestJSONLDExpandsToTheSameRDF(t *testing.T) {
	proc := ld.NewJsonLdProcessor()
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			out := write(t, JSONLD, fx.g, Options{})
			var doc any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			opts := ld.NewJsonLdOptions("")
			opts.Format = "application/n-quads"
			rdf, err := proc.ToRDF(doc, opts)
			if err != nil {
				t.Fatal(err)
			}
			got := parseNQuads(t, []byte(rdf.(string)))
			want := parseNQuads(t, write(t, NQuads, fx.g, Options{}))
			if len(want) != len(fx.g.Quads) {
				t.Fatalf("N-Quads export has %d quads, the subgraph %d", len(want), len(fx.g.Quads))
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("JSON-LD expands to\n%s\nN-Quads --expand is\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if !bytes.Contains(out, []byte(`"parley": "https://w3id.org/parley/"`)) {
				t.Errorf("no parley prefix in the @context:\n%.300s", out)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	for _, fx := range fixtures(t) {
		var doc JSONGraph
		if err := json.Unmarshal(write(t, JSON, fx.g, Options{}), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Edges) != len(fx.g.Facts) {
			t.Errorf("%s: %d edges, want %d", fx.name, len(doc.Edges), len(fx.g.Facts))
		}
		ids := map[string]JSONNode{}
		for _, n := range doc.Nodes {
			ids[n.ID] = n
		}
		lits := 0
		for _, e := range doc.Edges {
			if _, ok := ids[e.Source]; !ok {
				t.Errorf("%s: edge source %q is no node", fx.name, e.Source)
			}
			target, ok := ids[e.Target]
			if !ok {
				t.Errorf("%s: edge target %q is no node", fx.name, e.Target)
			}
			if target.Literal {
				lits++
			}
			if e.Predicate.Reading == "" || strings.HasPrefix(e.Source, "/") != (e.Claim == nil || e.Claim.Evidence == "") {
				t.Errorf("%s: edge %+v lacks reading, claim or evidence", fx.name, e)
			}
			if d := schema.Default().Predicate(e.Predicate.ID); d != nil && e.Polarity != string(d.Polarity) {
				t.Errorf("%s: %s has polarity %q, want %q", fx.name, e.Predicate.ID, e.Polarity, d.Polarity)
			}
		}
		if lits != literals(fx.g) {
			t.Errorf("%s: %d literal targets, want %d", fx.name, lits, literals(fx.g))
		}
	}
}
