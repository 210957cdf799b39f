package graph_test

import (
	"context"
	"testing"

	"github.com/parley/parley/graph"
)

// relation is how two actors of an alignment must stand.
type relation int

const (
	agree relation = iota + 1
	disagree
	sameBloc
	otherBloc
)

// pairWant is a pair of actors and how they must stand.
type pairWant struct {
	a, b string
	rel  []relation
}

func TestAlignment(t *testing.T) {
	s := seeded(t)
	cases := []struct {
		people bool
		want   []pairWant
	}{
		{people: false, want: []pairWant{
			{"russia", "eu", []relation{disagree, otherBloc}},
			{"russia", "uk", []relation{disagree, otherBloc}},
			{"uk", "france", []relation{agree, sameBloc}},
			{"usa", "ukraine", []relation{agree}},
			{"eu", "ukraine", []relation{agree, sameBloc}}, // Kallas dismisses what contradicts Zelensky's red line
		}},
		{people: true, want: []pairWant{
			{"kallas", "putin", []relation{disagree, otherBloc}},
			{"putin", "russia", []relation{agree, sameBloc}},
			{"putin", "grushko", []relation{sameBloc}},
			{"zelensky", "grushko", []relation{disagree, otherBloc}},
			{"zelensky", "putin", []relation{otherBloc}},
			{"rubio", "waltz", []relation{agree, sameBloc}},
		}},
	}
	for _, c := range cases {
		a, err := s.Alignment(context.Background(), c.people)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(a.Level, func(t *testing.T) {
			checkMatrix(t, a)
			for _, w := range c.want {
				checkPair(t, a, w)
			}
		})
	}
}

// checkPair checks how two actors of an alignment stand.
func checkPair(t *testing.T, a *graph.Alignment, w pairWant) {
	t.Helper()
	index, bloc := map[string]int{}, map[string]int{}
	for i, x := range a.Actors {
		index[x.ID], bloc[x.ID] = i, x.Bloc
	}
	i, ok1 := index[w.a]
	j, ok2 := index[w.b]
	if !ok1 || !ok2 {
		t.Errorf("%s or %s is not an actor of %v", w.a, w.b, a.Actors)
		return
	}
	score := a.Matrix[i][j]
	for _, r := range w.rel {
		if r == agree && score <= 0 || r == disagree && score >= 0 ||
			r == sameBloc && bloc[w.a] != bloc[w.b] || r == otherBloc && bloc[w.a] == bloc[w.b] {
			t.Errorf("%s and %s: score %d, blocs %d and %d; want %v", w.a, w.b, score, bloc[w.a], bloc[w.b], w.rel)
		}
	}
}

// checkMatrix checks that the matrix is symmetric with a zero diagonal, agrees with the
// pairs, and that every pair's score is its agreements less its disagreements.
func checkMatrix(t *testing.T, a *graph.Alignment) {
	t.Helper()
	if len(a.Matrix) != len(a.Actors) {
		t.Fatalf("%d rows for %d actors", len(a.Matrix), len(a.Actors))
	}
	for i := range a.Matrix {
		if a.Matrix[i][i] != 0 {
			t.Errorf("diagonal %d: %d", i, a.Matrix[i][i])
		}
		for j := range a.Matrix {
			if a.Matrix[i][j] != a.Matrix[j][i] {
				t.Errorf("matrix not symmetric at %d,%d", i, j)
			}
		}
	}
	index := map[string]int{}
	for i, x := range a.Actors {
		index[x.ID] = i
		if i > 0 && x.Bloc < a.Actors[i-1].Bloc {
			t.Errorf("actors not ordered by bloc: %v", a.Actors)
		}
	}
	for _, p := range a.Pairs {
		sum := 0
		for _, ac := range p.Accords {
			sum += ac.Sign
		}
		if p.Score != p.Agree-p.Disagree || p.Score != sum || a.Matrix[index[p.Actor.ID]][index[p.Other.ID]] != p.Score {
			t.Errorf("%s-%s: score %d, agree %d, disagree %d, accords sum %d", p.Actor.ID, p.Other.ID, p.Score, p.Agree, p.Disagree, sum)
		}
	}
}

func TestBrokers(t *testing.T) {
	s := seeded(t)
	for _, sides := range []bool{false, true} {
		brokers, err := s.Brokers(context.Background(), sides)
		if err != nil {
			t.Fatal(err)
		}
		if len(brokers) < 3 {
			t.Fatalf("sides %v: %d brokers", sides, len(brokers))
		}
		for i, b := range brokers {
			if i > 0 && b.Betweenness > brokers[i-1].Betweenness {
				t.Errorf("sides %v: %s ranked below a lower betweenness", sides, b.Actor.ID)
			}
			if b.Degree <= 1 && b.Betweenness != 0 {
				t.Errorf("sides %v: %s has %d links but betweenness %v", sides, b.Actor.ID, b.Degree, b.Betweenness)
			}
			if b.Normalized < 0 || b.Normalized > 1 {
				t.Errorf("sides %v: %s normalized %v", sides, b.Actor.ID, b.Normalized)
			}
		}
		// The top broker bridges the two belligerents: its neighbours act for both.
		top := brokers[0]
		reach := ids(append(top.Reaches, top.Side))
		if top.Betweenness <= 0 || !reach["russia"] || !reach["ukraine"] {
			t.Errorf("sides %v: top broker %s (betweenness %v) reaches %v, not both Russia and Ukraine", sides, top.Actor.ID, top.Betweenness, top.Reaches)
		}
	}
}
