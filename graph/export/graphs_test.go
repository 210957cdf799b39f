package export

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/formats/dot"
	"gonum.org/v1/gonum/graph/formats/dot/ast"

	"github.com/parley/parley/schema"
)

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
			for _, n := range newTextView(fx.g, schema.Default()).Nodes[:len(fx.g.Nodes)] {
				a, ok := nodes[n.ID]
				if !ok {
					t.Errorf("node %q missing", n.ID)
					continue
				}
				if got, want := strings.ReplaceAll(unquoteDOT(a["label"]), `\n`, " "), strings.Join(strings.Fields(strings.Join(n.caption(labelWidth), " ")), " "); got != want {
					t.Errorf("node %q labelled %q, want %q", n.ID, got, want)
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
				want := polarityColour("")
				if d := schema.Default().Predicate(f.Predicate.ID); d != nil {
					want = polarityColour(d.Polarity)
				}
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
	path := graphvizSVG(t)
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
				if nodes[n.ID] != safeText(n.Label) {
					t.Errorf("node %q labelled %q, want %q", n.ID, nodes[n.ID], safeText(n.Label))
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
	for in, want := range map[string]string{
		"a \"b\" & ü\n":              `"a &quot;b&quot; &amp; &#252;&#10;"`,
		"Russia’s “ironclad” – and…": `"Russia's &quot;ironclad&quot; - and..."`,
	} {
		if got := gmlString(in); got != want {
			t.Errorf("gmlString(%q) = %s, want %s", in, got, want)
		}
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
			if r[0] != f.Subject.ID || r[2] != f.Predicate.ID || r[4] != f.Object.ID || r[5] != safeText(f.Object.Label) || r[10] != f.Evidence || r[11] != f.Claim {
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
