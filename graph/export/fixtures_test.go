package export

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
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
		a          = "a/b#c:d'e&f%20ü"
		b          = "end"
		claim      = "src-x#c1"
		src        = "src-x"
		film       = "/en/casablanca_1942"
		directedBy = "/film/film/directed_by"
	)
	labelA := "Quote \" back\\slash <b>&amp; # | `tick` {x} [y] (z)\nnew line ünïcödé 日本 -- -> ;"
	labelB := "graph LR\x1b]0;pwned\x07 \u009b31m" // a terminal's title set, and a CSI
	lit := quad.String("say \"hi\"\nthere & <go>")
	quads := []quad.Quad{
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypePerson)},
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredLabel), Object: quad.String(labelA)},
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredAlias), Object: quad.LangString{Value: "Alias", Lang: "en"}},
		{Subject: quad.IRI(b), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypeEvent)},
		{Subject: quad.IRI(b), Predicate: quad.IRI(schema.PredLabel), Object: quad.String(labelB)},
		{Subject: quad.IRI(b), Predicate: quad.IRI(schema.PredDate), Object: quad.TypedString{Value: "2025-03-19", Type: "http://www.w3.org/2001/XMLSchema#date"}, Label: quad.IRI(claim)},
		{Subject: quad.IRI(a), Predicate: quad.IRI(schema.PredDemands), Object: quad.IRI(b), Label: quad.IRI(claim)},
		{Subject: quad.IRI(b), Predicate: quad.IRI(schema.PredCasualties), Object: lit, Label: quad.IRI(claim)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypeClaim)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredSource), Object: quad.IRI(src)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredEvidence), Object: quad.String("He said \"no\" | <never> & #1")},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredModality), Object: quad.String(schema.ModalityHedged)},
		{Subject: quad.IRI(claim), Predicate: quad.IRI(schema.PredDate), Object: quad.TypedString{Value: "2025-03-18", Type: "http://www.w3.org/2001/XMLSchema#date"}},
		{Subject: quad.IRI(src), Predicate: quad.IRI(schema.PredType), Object: quad.IRI(schema.TypeSource)},
		{Subject: quad.IRI(src), Predicate: quad.IRI(schema.PredLabel), Object: quad.String("Wire, \"quoted\"")},
		// Foreign data, as Cayley's movie set: IRIs that start with a slash, no claim.
		{Subject: quad.IRI(film), Predicate: quad.IRI(directedBy), Object: quad.IRI(a)},
		{Subject: quad.IRI(film), Predicate: quad.IRI(schema.PredType), Object: quad.IRI("//schema.example/Film")}, // a network-path reference
	}
	prov := func(f graph.Fact) graph.Fact {
		f.Claim, f.Evidence, f.Modality, f.Date = claim, "He said \"no\" | <never> & #1", schema.ModalityHedged, "2025-03-18"
		f.Source = &graph.Node{ID: src, Label: "Wire, \"quoted\""}
		return f
	}
	return &graph.Subgraph{
		Quads: quads,
		Nodes: []graph.Entity{
			{ID: a, Label: labelA, Types: []string{schema.TypePerson}, Aliases: []string{"Alias"}},
			{ID: b, Label: labelB, Types: []string{schema.TypeEvent}},
			{ID: film, Label: film, Types: []string{"//schema.example/Film"}},
		},
		Facts: []graph.Fact{
			prov(graph.Fact{Subject: graph.Node{ID: a, Label: labelA}, Predicate: graph.Predicate{ID: schema.PredDemands, Reading: "demands"}, Object: graph.Node{ID: b, Label: labelB}}),
			prov(graph.Fact{Subject: graph.Node{ID: b, Label: labelB}, Predicate: graph.Predicate{ID: schema.PredCasualties, Reading: "casualties"}, Object: graph.Node{ID: lit.String(), Label: string(lit)}}),
			{Subject: graph.Node{ID: film, Label: film}, Predicate: graph.Predicate{ID: directedBy, Reading: directedBy}, Object: graph.Node{ID: a, Label: labelA}},
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
