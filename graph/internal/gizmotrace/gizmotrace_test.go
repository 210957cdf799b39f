package gizmotrace

import (
	"reflect"
	"testing"
)

// TestNew checks the tagged text and the steps for each kind of step: a start, Out, In,
// Both (whose predicate argument is filled in), a variable, a filter that does not move,
// FollowRecursive (a morphism of its own), and a prefix the query already contains.
func TestNew(t *testing.T) {
	type step struct {
		kind         Kind
		tag, predTag string
		prev         []int
	}
	cases := []struct {
		name, query, prefix, text string
		steps                     []step
	}{
		{name: "out", query: `g.V("<a>").Out("<p>").All()`, prefix: "__t_",
			text:  `g.V("<a>").Tag("__t_0").Out("<p>", "__t_p1").Tag("__t_1").All()`,
			steps: []step{{Start, "__t_0", "", nil}, {Out, "__t_1", "__t_p1", []int{0}}}},
		{name: "in and both", query: `g.V("<a>").In("<p>").Both().All()`, prefix: "__t_",
			text: `g.V("<a>").Tag("__t_0").In("<p>", "__t_p1").Tag("__t_1").Both(null, "__t_p2").Tag("__t_2").All()`,
			steps: []step{{Start, "__t_0", "", nil}, {In, "__t_1", "__t_p1", []int{0}},
				{Both, "__t_2", "__t_p2", []int{1}}}},
		{name: "variable", query: `var x = g.V("<a>"); x.Out("<p>").All()`, prefix: "__t_",
			text:  `var x = g.V("<a>").Tag("__t_0"); x.Out("<p>", "__t_p1").Tag("__t_1").All()`,
			steps: []step{{Start, "__t_0", "", nil}, {Out, "__t_1", "__t_p1", []int{0}}}},
		{name: "filter does not move", query: `g.V("<a>").Has("<p>", "<b>").All()`, prefix: "__t_",
			text:  `g.V("<a>").Tag("__t_0").Has("<p>", "<b>").All()`,
			steps: []step{{Start, "__t_0", "", nil}}},
		{name: "recursive", query: `g.V("<a>").FollowRecursive("<p>").All()`, prefix: "__t_",
			text:  `g.V("<a>").Tag("__t_0").FollowRecursive(g.M().Tag("__t_1").Out("<p>", "__t_p2").Tag("__t_2")).All()`,
			steps: []step{{Start, "__t_0", "", nil}, {Start, "__t_1", "", nil}, {Out, "__t_2", "__t_p2", []int{1}}}},
		{name: "prefix in the query", query: `g.V("__t_").Out().All()`, prefix: "__t_",
			text:  `g.V("__t_").Tag("__t_x_0").Out(null, "__t_x_p1").Tag("__t_x_1").All()`,
			steps: []step{{Start, "__t_x_0", "", nil}, {Out, "__t_x_1", "__t_x_p1", []int{0}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr, err := New(tc.query, tc.prefix)
			if err != nil {
				t.Fatal(err)
			}
			if tr.Problem != nil {
				t.Fatalf("problem: %v", tr.Problem)
			}
			if tr.Text != tc.text {
				t.Errorf("text:\n got %s\nwant %s", tr.Text, tc.text)
			}
			var got []step
			for _, s := range tr.Steps {
				prev := s.Prev
				if len(prev) == 0 {
					prev = nil
				}
				got = append(got, step{s.Kind, s.Tag, s.PredTag, prev})
			}
			if !reflect.DeepEqual(got, tc.steps) {
				t.Errorf("steps:\n got %+v\nwant %+v", got, tc.steps)
			}
		})
	}
}

// TestNewSyntaxError: a query Gizmo's parser rejects is an error, not a tracer.
func TestNewSyntaxError(t *testing.T) {
	if tr, err := New(`g.V(`, "__t_"); err == nil {
		t.Fatalf("New accepted a broken query: %+v", tr)
	}
}
