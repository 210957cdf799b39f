package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"
	"github.com/piprate/json-gold/ld"
	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
	"github.com/parley/parley/seed"
)

// fixture is a subgraph to export and what is known of it.
type fixture struct {
	name string
	g    *graph.Subgraph
}

var (
	fixturesOnce sync.Once
	fixturesList []fixture
	fixturesErr  error
)

// fixtures are the subgraphs every format is tested on: the seed around the Zaporizhzhia
// plant at depth 2 (36 facts), the seed around the drone attack on Astrakhan (a literal
// object), and a hand-made subgraph of hostile labels and IDs.
func fixtures(t *testing.T) []fixture {
	t.Helper()
	fixturesOnce.Do(func() {
		ctx := context.Background()
		s, _, err := graph.Open(ctx, graph.Config{Backend: graph.BackendMemory, Seed: &graph.Seed{Name: seed.Name, Data: seed.Quads()}})
		if err != nil {
			fixturesErr = err
			return
		}
		defer s.Close()
		for _, c := range []struct {
			name  string
			sel   graph.Selection
			facts int
		}{
			{"zaporizhzhia", graph.Selection{Around: []string{"Zaporizhzhia nuclear plant"}, Depth: 2}, 10},
			{"astrakhan", graph.Selection{Around: []string{"ukrainian-drone-attack-astrakhan"}}, 3},
		} {
			sub, err := s.Select(ctx, c.sel)
			if err != nil {
				fixturesErr = err
				return
			}
			if len(sub.Facts) < c.facts {
				fixturesErr = errors.New(c.name + ": too few facts selected")
				return
			}
			fixturesList = append(fixturesList, fixture{c.name, sub})
		}
		fixturesList = append(fixturesList, fixture{"hostile", hostile()})
	})
	if fixturesErr != nil {
		t.Fatal(fixturesErr)
	}
	return fixturesList
}

// hostile is a subgraph whose labels hold every character some format must escape, and
// whose IDs hold the characters an IRI may that DOT, Mermaid and XML treat specially.
func hostile() *graph.Subgraph {
	const (
		a     = "a/b#c:d'e&f%20ü"
		b     = "end"
		claim = "src-x#c1"
		src   = "src-x"
	)
	labelA := "Quote \" back\\slash <b>&amp; # | `tick` {x} [y] (z)\nnew line ünïcödé 日本 -- -> ;"
	labelB := "graph LR"
	lit := quad.String("say \"hi\"\nthere & <go>")
	quads := []quad.Quad{
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypePerson)},
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredLabel), Object: quad.String(labelA)},
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredAlias), Object: quad.LangString{Value: "Alias", Lang: "en"}},
		{Subject: quad.IRI(b), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypeEvent)},
		{Subject: quad.IRI(b), Predicate: quad.IRI(schema.PredLabel), Object: quad.String(labelB)},
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredDemands), Object: quad.IRI(b), Label: quad.IRI(claim)},
		{Subject: quad.IRI(b), Predicate: quad.IRI(schema.PredCasualties), Object: lit, Label: quad.IRI(claim)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypeClaim)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredSource), Object: quad.IRI(src)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredEvidence), Object: quad.String("He said \"no\" | <never> & #1")},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredModality), Object: quad.String(schema.ModalityHedged)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredDate), Object: quad.TypedString{Value: "2025-03-18", Type: "http://www.w3.org/2001/XMLSchema#date"}},
		{Subject: quad.IRI(src), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypeSource)},
		{Subject: quad.IRI(src), Predicate: quad.IRI(schema.PredLabel), Object: quad.String("Wire, \"quoted\"")},
	}
	prov := func(f graph.Fact) graph.Fact {
		f.Claim, f.Evidence, f.Modality, f.Date = claim, "He said \"no\" | <never> & #1", schema.ModalityHedged, "2025-03-18"
		f.Source = &graph.Node{ID: src, Label: "Wire, \"quoted\""}
		return f
	}
	return &graph.Subgraph{
		Quads: quads,
		Nodes: []graph.NodeInfo{
			{ID: a, Label: labelA, Types: []string{schema.TypePerson}, Aliases: []string{"Alias"}},
			{ID: b, Label: labelB, Types: []string{schema.TypeEvent}},
		},
		Facts: []graph.Fact{
			prov(graph.Fact{Subject: graph.Node{ID: a, Label: labelA}, Predicate: graph.Node{ID: schema.PredDemands, Label: "demands"}, Object: graph.Node{ID: b, Label: labelB}}),
			prov(graph.Fact{Subject: graph.Node{ID: b, Label: labelB}, Predicate: graph.Node{ID: schema.PredCasualties, Label: "casualties"}, Object: graph.Node{ID: lit.String(), Label: string(lit)}}),
		},
	}
}

func write(t *testing.T, name string, g *graph.Subgraph, opt Options) []byte {
	t.Helper()
	f, err := ByName(name)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf, g, opt); err != nil {
		t.Fatalf("write %s: %v", name, err)
	}
	if buf.Len() == 0 {
		t.Fatalf("write %s: no output", name)
	}
	return buf.Bytes()
}

// literals counts the facts whose object is a literal.
func literals(g *graph.Subgraph) int {
	n := 0
	for _, f := range g.Facts {
		if isLiteralID(f.Object.ID) {
			n++
		}
	}
	return n
}

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
	if got := len(Formats()); got != len(Names()) || got != 10 {
		t.Fatalf("%d formats, %d names; want 10", got, len(Names()))
	}
}

// TestNQuads checks that the N-Quads output parses back to exactly the subgraph's quads,
// and that --expand writes absolute IRIs that compact back to them.
func TestNQuads(t *testing.T) {
	for _, fx := range fixtures(t) {
		for _, expand := range []bool{false, true} {
			out := write(t, NQuads, fx.g, Options{Expand: expand})
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
			want := parseNQuads(t, write(t, NQuads, fx.g, Options{Expand: true}))
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
			if e.Reading == "" || e.Claim == "" || e.Evidence == "" {
				t.Errorf("%s: edge %+v lacks reading, claim or evidence", fx.name, e)
			}
			if d := schema.Default().Predicate(e.Predicate); d != nil && e.Polarity != string(d.Polarity) {
				t.Errorf("%s: %s has polarity %q, want %q", fx.name, e.Predicate, e.Polarity, d.Polarity)
			}
		}
		if lits != literals(fx.g) {
			t.Errorf("%s: %d literal targets, want %d", fx.name, lits, literals(fx.g))
		}
	}
}

// TestDOT parses the DOT with gonum's parser and checks its nodes, edges and colours.
func TestDOT(t *testing.T) {
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			out := write(t, DOT, fx.g, Options{})
			file, err := dot.ParseBytes(out)
			if err != nil {
				t.Fatalf("gonum cannot parse the DOT: %v\n%s", err, out)
			}
			if len(file.Graphs) != 1 || !file.Graphs[0].Directed {
				t.Fatalf("want one digraph, got %v", file.Graphs)
			}
			nodes := map[string]map[string]string{}
			var edges []*ast.EdgeStmt
			for _, st := range file.Graphs[0].Stmts {
				switch st := st.(type) {
				case *ast.NodeStmt:
					nodes[unquoteDOT(st.Node.ID)] = attrs(st.Attrs)
				case *ast.EdgeStmt:
					edges = append(edges, st)
				}
			}
			if want := len(fx.g.Nodes) + literals(fx.g); len(nodes) != want {
				t.Errorf("%d nodes, want %d", len(nodes), want)
			}
			for _, n := range fx.g.Nodes {
				a, ok := nodes[n.ID]
				if !ok {
					t.Errorf("node %q missing", n.ID)
					continue
				}
				if got := strings.ReplaceAll(unquoteDOT(a["label"]), `\n`, " "); got != strings.Join(strings.Fields(n.Label), " ") {
					t.Errorf("node %q labelled %q, want %q", n.ID, got, n.Label)
				}
			}
			if len(edges) != len(fx.g.Facts) {
				t.Fatalf("%d edges, want %d", len(edges), len(fx.g.Facts))
			}
			for i, e := range edges {
				f := fx.g.Facts[i]
				from := unquoteDOT(e.From.(*ast.Node).ID)
				to := unquoteDOT(e.To.Vertex.(*ast.Node).ID)
				if from != f.Subject.ID || to != f.Object.ID {
					t.Errorf("edge %d: %s -> %s, want %s -> %s", i, from, to, f.Subject.ID, f.Object.ID)
				}
				a := attrs(e.Attrs)
				want := polarityColour(schema.Default().Predicate(f.Predicate.ID).Polarity)
				if unquoteDOT(a["color"]) != want {
					t.Errorf("edge %d (%s) coloured %s, want %s", i, f.Predicate.ID, a["color"], want)
				}
				if dashed := a["style"] == "dashed"; dashed != (f.Modality == schema.ModalityHedged || f.Modality == schema.ModalityPlanned || f.Modality == schema.ModalityConsidered) {
					t.Errorf("edge %d: modality %s, style %q", i, f.Modality, a["style"])
				}
			}
		})
	}
}

func attrs(list []*ast.Attr) map[string]string {
	m := map[string]string{}
	for _, a := range list {
		m[a.Key] = a.Val
	}
	return m
}

// unquoteDOT undoes dotQuote.
func unquoteDOT(s string) string {
	if len(s) < 2 || s[0] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// TestDOTAcceptedByGraphviz runs Graphviz's dot on the DOT, where it is installed.
func TestDOTAcceptedByGraphviz(t *testing.T) {
	path, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz dot is not installed")
	}
	for _, fx := range fixtures(t) {
		cmd := exec.Command(path, "-Tsvg")
		cmd.Stdin = bytes.NewReader(write(t, DOT, fx.g, Options{}))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil || stderr.Len() > 0 {
			t.Errorf("%s: dot -Tsvg: %v\n%s", fx.name, err, stderr.String())
		}
		if !bytes.Contains(out, []byte("<svg")) {
			t.Errorf("%s: dot -Tsvg wrote no SVG", fx.name)
		}
	}
}

// TestGraphML parses the GraphML and checks that every data key is declared for the
// element that uses it, and that edges join declared nodes.
func TestGraphML(t *testing.T) {
	type data struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
	type document struct {
		XMLName xml.Name
		Keys    []struct {
			ID   string `xml:"id,attr"`
			For  string `xml:"for,attr"`
			Name string `xml:"attr.name,attr"`
			Type string `xml:"attr.type,attr"`
		} `xml:"key"`
		Graph struct {
			EdgeDefault string `xml:"edgedefault,attr"`
			Nodes       []struct {
				ID   string `xml:"id,attr"`
				Data []data `xml:"data"`
			} `xml:"node"`
			Edges []struct {
				Source string `xml:"source,attr"`
				Target string `xml:"target,attr"`
				Data   []data `xml:"data"`
			} `xml:"edge"`
		} `xml:"graph"`
	}
	for _, fx := range fixtures(t) {
		t.Run(fx.name, func(t *testing.T) {
			out := write(t, GraphML, fx.g, Options{})
			var doc document
			if err := xml.Unmarshal(out, &doc); err != nil {
				t.Fatalf("invalid XML: %v", err)
			}
			if doc.XMLName.Space != "http://graphml.graphdrawing.org/xmlns" || doc.XMLName.Local != "graphml" {
				t.Errorf("root element %v", doc.XMLName)
			}
			declared := map[string]string{}
			names := map[string]bool{}
			for _, k := range doc.Keys {
				declared[k.ID] = k.For
				names[k.For+" "+k.Name] = true
			}
			for _, want := range []string{"node label", "node type", "edge label", "edge predicate", "edge polarity", "edge evidence", "edge modality", "edge weight"} {
				if !names[want] {
					t.Errorf("no key for %s", want)
				}
			}
			nodes := map[string]string{}
			for _, n := range doc.Graph.Nodes {
				for _, d := range n.Data {
					if declared[d.Key] != "node" {
						t.Errorf("node %s uses key %q, declared for %q", n.ID, d.Key, declared[d.Key])
					}
					if d.Key == "n_label" {
						nodes[n.ID] = d.Value
					}
				}
			}
			if len(doc.Graph.Edges) != len(fx.g.Facts) {
				t.Fatalf("%d edges, want %d", len(doc.Graph.Edges), len(fx.g.Facts))
			}
			for i, e := range doc.Graph.Edges {
				if _, ok := nodes[e.Source]; !ok {
					t.Errorf("edge %d: source %q is no node", i, e.Source)
				}
				if _, ok := nodes[e.Target]; !ok {
					t.Errorf("edge %d: target %q is no node", i, e.Target)
				}
				evidence := ""
				for _, d := range e.Data {
					if declared[d.Key] != "edge" {
						t.Errorf("edge %d uses key %q, declared for %q", i, d.Key, declared[d.Key])
					}
					if d.Key == "e_evidence" {
						evidence = d.Value
					}
				}
				if evidence != fx.g.Facts[i].Evidence {
					t.Errorf("edge %d: evidence %q, want %q", i, evidence, fx.g.Facts[i].Evidence)
				}
			}
			for _, n := range fx.g.Nodes {
				if nodes[n.ID] != n.Label {
					t.Errorf("node %q labelled %q, want %q", n.ID, nodes[n.ID], n.Label)
				}
			}
		})
	}
}

// TestGML checks the GML's structure: balanced brackets, one node block a node, one edge
// block a fact, and only printable ASCII.
func TestGML(t *testing.T) {
	for _, fx := range fixtures(t) {
		out := string(write(t, GML, fx.g, Options{}))
		depth, nodes, edges := 0, 0, 0
		for _, line := range strings.Split(out, "\n") {
			line = strings.TrimSpace(line)
			switch {
			case line == "node [" && depth == 1:
				nodes++
			case line == "edge [" && depth == 1:
				edges++
			}
			if strings.HasSuffix(line, "[") {
				depth++
			}
			if line == "]" {
				depth--
			}
			if depth < 0 {
				t.Fatalf("%s: unbalanced brackets", fx.name)
			}
			if strings.Count(line, `"`)%2 != 0 {
				t.Errorf("%s: odd quotes in %q", fx.name, line)
			}
		}
		if depth != 0 {
			t.Errorf("%s: %d brackets left open", fx.name, depth)
		}
		if want := len(fx.g.Nodes) + literals(fx.g); nodes != want {
			t.Errorf("%s: %d nodes, want %d", fx.name, nodes, want)
		}
		if edges != len(fx.g.Facts) {
			t.Errorf("%s: %d edges, want %d", fx.name, edges, len(fx.g.Facts))
		}
		for i, r := range out {
			if r > '~' || r < ' ' && r != '\n' {
				t.Fatalf("%s: character %q at %d", fx.name, r, i)
			}
		}
	}
	if got := gmlString("a \"b\" & ü\n"); got != `"a &#34;b&#34; &#38; &#252;&#10;"` {
		t.Errorf("gmlString: %s", got)
	}
}

// TestCSV parses the CSV: a header, then one row a fact with the fact's IDs and evidence.
func TestCSV(t *testing.T) {
	for _, fx := range fixtures(t) {
		rows, err := csv.NewReader(bytes.NewReader(write(t, CSV, fx.g, Options{}))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", fx.name, err)
		}
		if strings.Join(rows[0], ",") != strings.Join(csvHeader(), ",") || len(csvHeader()) != 13 {
			t.Errorf("%s: header %v", fx.name, rows[0])
		}
		if len(rows)-1 != len(fx.g.Facts) {
			t.Fatalf("%s: %d rows, want %d", fx.name, len(rows)-1, len(fx.g.Facts))
		}
		for i, f := range fx.g.Facts {
			r := rows[i+1]
			if r[0] != f.Subject.ID || r[2] != f.Predicate.ID || r[4] != f.Object.ID || r[5] != f.Object.Label || r[10] != f.Evidence || r[11] != f.Claim {
				t.Errorf("%s: row %d is %q for fact %+v", fx.name, i+1, r, f)
			}
		}
	}
}

// TestMermaid checks the flowchart: "graph LR", one node line a node, one edge line a fact,
// and no raw quote inside a label.
func TestMermaid(t *testing.T) {
	for _, fx := range fixtures(t) {
		lines := strings.Split(strings.TrimSuffix(string(write(t, Mermaid, fx.g, Options{})), "\n"), "\n")
		if lines[0] != "graph LR" {
			t.Fatalf("%s: starts with %q", fx.name, lines[0])
		}
		edgeLine := regexp.MustCompile(`^  n\d+ (-->|-\.->|---|-\.-)\|"[^"]*"\| n\d+$`)
		nodeLine := regexp.MustCompile(`^  n\d+[\[({>/]+"[^"]*"[\])}/\\]+$`)
		nodes, edges := 0, 0
		for _, l := range lines[1:] {
			switch {
			case edgeLine.MatchString(l):
				edges++
			case nodeLine.MatchString(l):
				nodes++
			case strings.HasPrefix(l, "  linkStyle "), strings.HasPrefix(l, "  classDef "), strings.HasPrefix(l, "  class "):
			default:
				t.Errorf("%s: unexpected line %q", fx.name, l)
			}
		}
		if edges != len(fx.g.Facts) {
			t.Errorf("%s: %d edge lines, want %d", fx.name, edges, len(fx.g.Facts))
		}
		if want := len(fx.g.Nodes) + literals(fx.g); nodes != want {
			t.Errorf("%s: %d node lines, want %d", fx.name, nodes, want)
		}
	}
}

// TestSVG checks the picture is well-formed XML with an <svg> root and the labels in it.
func TestSVG(t *testing.T) {
	for _, fx := range fixtures(t)[:2] {
		out := write(t, SVG, fx.g, Options{})
		dec := xml.NewDecoder(bytes.NewReader(out))
		root := ""
		var text strings.Builder
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: invalid XML: %v", fx.name, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if root == "" {
					root = tok.Name.Local
				}
			case xml.CharData:
				text.Write(tok)
			}
		}
		if root != "svg" {
			t.Errorf("%s: root element %q", fx.name, root)
		}
		for _, f := range fx.g.Facts {
			if !strings.Contains(text.String(), f.Predicate.Label) {
				t.Errorf("%s: no %q in the picture", fx.name, f.Predicate.Label)
			}
		}
	}
}

// TestPNG checks the picture decodes and shows edges in their polarity's colours: pro
// green and con red strokes must be painted, not only fills.
func TestPNG(t *testing.T) {
	fx := fixtures(t)[0]
	out := write(t, PNG, fx.g, Options{})
	if !bytes.HasPrefix(out, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("no PNG signature: %q", out[:8])
	}
	img, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < 400 || b.Dy() < 400 {
		t.Fatalf("picture is %dx%d", b.Dx(), b.Dy())
	}
	counts := map[string]int{}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			switch {
			case near(r, g, bl, 0x2e, 0x7d, 0x32):
				counts["pro"]++
			case near(r, g, bl, 0xc6, 0x28, 0x28):
				counts["con"]++
			case near(r, g, bl, 0x55, 0x55, 0x55):
				counts["outline"]++
			case r < 0x40 && g < 0x40 && bl < 0x40:
				counts["text"]++
			}
		}
	}
	for _, k := range []string{"pro", "con", "outline", "text"} {
		if counts[k] < 200 {
			t.Errorf("%d %s pixels; the picture lacks them: %v", counts[k], k, counts)
		}
	}
}

func near(r, g, b, wr, wg, wb uint32) bool {
	d := func(a, b uint32) uint32 {
		if a > b {
			return a - b
		}
		return b - a
	}
	return d(r, wr) < 24 && d(g, wg) < 24 && d(b, wb) < 24
}

func TestWrapAndQuote(t *testing.T) {
	cases := []struct {
		in    string
		width int
		want  string
	}{
		{"Zaporizhzhia nuclear plant", 24, "Zaporizhzhia nuclear|plant"},
		{"short", 24, "short"},
		{"a supercalifragilisticexpialidocious word", 10, "a|supercalifragilisticexpialidocious|word"},
		{"  ", 10, ""},
	}
	for _, c := range cases {
		if got := strings.Join(wrap(c.in, c.width), "|"); got != c.want {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
	if got := dotQuote("a \"b\" \\ c\nd"); got != `"a \"b\" \\ c\nd"` {
		t.Errorf("dotQuote: %s", got)
	}
	if got := mermaidText(`a "b" #1 <c> | d`); got != `a #quot;b#quot; #35;1 #lt;c#gt; #124; d` {
		t.Errorf("mermaidText: %s", got)
	}
}
