package graph_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/schema"
)

func TestDetectFormat(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"a.nq", graph.FormatNQuads},
		{"a.nquads", graph.FormatNQuads},
		{"dir.nt/A.NQ.GZ", graph.FormatNQuads},
		{"a.nt", graph.FormatNTriples},
		{"a.ntriples.gz", graph.FormatNTriples},
		{"a.jsonld", graph.FormatJSONLD},
		{"a.json", graph.FormatJSONLD},
		{"a.JSON.gz", graph.FormatJSONLD},
		{"a.txt", ""},
		{"a.gz", ""},
		{"-", ""},
		{"nq", ""},
		{"", ""},
	} {
		if got := graph.DetectFormat(tc.name); got != tc.want {
			t.Errorf("DetectFormat(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func gz(t *testing.T, text string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := io.WriteString(w, text); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// statements renders statements as FILE:LINE: N-QUAD.
func statements(stmts []schema.Statement) []string {
	var out []string
	for _, st := range stmts {
		out = append(out, fmt.Sprintf("%s:%d: %s", st.File, st.Line, st.Quad.NQuad()))
	}
	return out
}

// places renders problems as FILE:LINE, and fails the test on a problem without a message.
func places(t *testing.T, verr *schema.ValidationError) []string {
	t.Helper()
	if verr == nil {
		return nil
	}
	var out []string
	for _, p := range verr.Problems {
		if p.Msg == "" {
			t.Errorf("problem at %s:%d has no message", p.File, p.Line)
		}
		out = append(out, fmt.Sprintf("%s:%d", p.File, p.Line))
	}
	return out
}

const (
	putinNQ = "<putin> <type> <Person> .\n# a comment\n\n<putin> <label> \"Vladimir Putin\" .\n"
	fullNQ  = "<" + schema.Namespace + "putin> <" + schema.RDFType + "> <" + schema.Namespace + "Person> <" + schema.Namespace + "c1> .\n" +
		"<http://example.org/x> <" + schema.SKOSAltLabel + "> \"X\" .\n"
	putinJSONLD = `{
  "@id": "https://w3id.org/parley/c1",
  "@graph": [{
    "@id": "https://w3id.org/parley/putin",
    "@type": "https://w3id.org/parley/Person",
    "http://www.w3.org/2000/01/rdf-schema#label": "Vladimir Putin",
    "https://w3id.org/parley/demands": {"@id": "https://w3id.org/parley/deal"}
  }]
}`
	labelledNT = "<a> <b> <c> .\n<a> <b> <c> <g> .\n<a> <b> \"d\" .\n"
)

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in       graph.Input
		opt      graph.LoadOptions
		want     []string // FILE:LINE: N-QUAD
		problems []string // FILE:LINE
	}{
		{
			name: "N-Quads",
			in:   graphtest.Input("p.nq", putinNQ),
			want: []string{`p.nq:1: <putin> <type> <Person> .`, `p.nq:4: <putin> <label> "Vladimir Putin" .`},
		},
		{
			name: "gzipped N-Quads",
			in:   graphtest.Input("p.nq.gz", gz(t, putinNQ)),
			want: []string{`p.nq.gz:1: <putin> <type> <Person> .`, `p.nq.gz:4: <putin> <label> "Vladimir Putin" .`},
		},
		{
			name: "gzipped standard input",
			in:   graphtest.Input("-", gz(t, putinNQ)),
			want: []string{`-:1: <putin> <type> <Person> .`, `-:4: <putin> <label> "Vladimir Putin" .`},
		},
		{
			name: "full IRIs compacted",
			in:   graphtest.Input("full.nq", fullNQ),
			want: []string{`full.nq:1: <putin> <type> <Person> <c1> .`, `full.nq:2: <http://example.org/x> <alias> "X" .`},
		},
		{
			name:     "relative IRIs when strict",
			in:       graphtest.Input("p.nq", putinNQ),
			opt:      graph.LoadOptions{Strict: true},
			problems: []string{"p.nq:1", "p.nq:4"},
		},
		{
			name: "JSON-LD",
			in:   graphtest.Input("p.jsonld", putinJSONLD),
			want: []string{
				`p.jsonld:0: <putin> <type> <Person> <c1> .`,
				`p.jsonld:0: <putin> <label> "Vladimir Putin" <c1> .`,
				`p.jsonld:0: <putin> <demands> <deal> <c1> .`,
			},
		},
		{
			name:     "invalid JSON-LD",
			in:       graphtest.Input("bad.json", `{"@id": `),
			problems: []string{"bad.json:1"},
		},
		{
			name:     "N-Triples with a graph label",
			in:       graphtest.Input("t.nt", labelledNT),
			want:     []string{`t.nt:1: <a> <b> <c> .`, `t.nt:3: <a> <b> "d" .`},
			problems: []string{"t.nt:2"},
		},
		{
			name:     "format of the input",
			in:       graph.Input{Name: "t.txt", Open: graphtest.Input("", labelledNT).Open, Format: graph.FormatNTriples},
			want:     []string{`t.txt:1: <a> <b> <c> .`, `t.txt:3: <a> <b> "d" .`},
			problems: []string{"t.txt:2"},
		},
		{
			name: "format of the options",
			in:   graphtest.Input("t.nt", labelledNT),
			opt:  graph.LoadOptions{Format: graph.FormatNQuads},
			want: []string{`t.nt:1: <a> <b> <c> .`, `t.nt:2: <a> <b> <c> <g> .`, `t.nt:3: <a> <b> "d" .`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := graph.Read([]graph.Input{tc.in}, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got := statements(p.Statements); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("statements:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tc.want, "\n  "))
			}
			if got := places(t, p.Syntax); !reflect.DeepEqual(got, tc.problems) {
				t.Errorf("problems at %v, want %v: %v", got, tc.problems, p.Syntax)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	failing := graph.Input{Name: "gone.nq", Open: func() (io.ReadCloser, error) { return nil, errors.New("no such file") }}
	for _, tc := range []struct {
		name string
		in   graph.Input
		opt  graph.LoadOptions
	}{
		{"open fails", failing, graph.LoadOptions{}},
		{"unknown format", graphtest.Input("p.nq", putinNQ), graph.LoadOptions{Format: "turtle"}},
	} {
		if p, err := graph.Read([]graph.Input{graphtest.Input("ok.nq", putinNQ), tc.in}, tc.opt); err == nil {
			t.Errorf("%s: Read = %+v, nil; want an error", tc.name, p)
		}
	}
}

// TestProblemsInInputOrder checks that syntax and validation problems of several inputs
// come back together, by input and then by line.
func TestProblemsInInputOrder(t *testing.T) {
	const (
		valid   = `<putin> <alias> "Vova" .`
		syntax  = `<putin> <alias> .`
		invalid = `<putin> <likes> <putin> .`
		claim   = `<c> <type> <Claim> .` // no source, no evidence: found after every statement
	)
	file := func(name string, lines ...string) graph.Input {
		return graphtest.Input(name, strings.Join(lines, "\n")+"\n")
	}
	for _, tc := range []struct {
		name   string
		inputs []graph.Input
		opt    graph.LoadOptions
		want   []string
	}{
		{
			name:   "syntax only",
			inputs: []graph.Input{file("a.nq", valid, syntax), file("b.nt", "<a> <b> <c> <g> ."), file("c.nq", syntax, valid, syntax)},
			want:   []string{"a.nq:2", "b.nt:1", "c.nq:1", "c.nq:3"},
		},
		{
			name:   "both in each file",
			inputs: []graph.Input{file("a.nq", valid, invalid, syntax), file("b.nq", syntax, invalid)},
			want:   []string{"a.nq:2", "a.nq:3", "b.nq:1", "b.nq:2"},
		},
		{
			name:   "validation only",
			inputs: []graph.Input{file("a.nq", invalid, valid), file("b.nq", valid, invalid)},
			want:   []string{"a.nq:1", "b.nq:2"},
		},
		{
			name:   "validation in the first file, syntax in the second",
			inputs: []graph.Input{file("a.nq", valid, invalid), file("b.nq", syntax)},
			want:   []string{"a.nq:2", "b.nq:1"},
		},
		{
			// Unknown predicates and types are checked in the first reading, facts in
			// the second; the problems still come in line order.
			name:   "checked in either reading",
			inputs: []graph.Input{file("a.nq", invalid, `<putin> <demands> <putin> .`, `<x> <type> <Dragon> .`, `<putin> <demands> <zelensky> .`)},
			want:   []string{"a.nq:1", "a.nq:2", "a.nq:2", "a.nq:3", "a.nq:4", "a.nq:4"}, // a fact: no claim, and a Person demanded
		},
		{
			// Under --allow-unknown the first reading keeps no foreign type; a further
			// one finds those of the entities that facts use.
			name:   "foreign type after its use",
			inputs: []graph.Input{file("a.nq", `<x> <demands> <y> .`, `<x> <type> <http://example.org/Film> .`)},
			opt:    graph.LoadOptions{AllowUnknown: true},
			want:   []string{"a.nq:1", "a.nq:1"}, // a fact without a claim, and a Film demanding
		},
		{
			name:   "claim problem in the first file, statement problem in the second",
			inputs: []graph.Input{file("a.nq", claim), file("b.nq", invalid)},
			want:   []string{"a.nq:1", "a.nq:1", "b.nq:1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t, graph.Config{Backend: graph.BackendMemory})
			before := graphtest.Dump(t, s)
			_, err := s.Load(context.Background(), tc.inputs, tc.opt)
			var verr *schema.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Load = %v, want a *schema.ValidationError", err)
			}
			if got := places(t, verr); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems at %v, want %v:\n%v", got, tc.want, verr)
			}
			graphtest.SameDump(t, "after a failed load", graphtest.Dump(t, s), before)
		})
	}
}
