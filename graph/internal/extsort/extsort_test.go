package extsort

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSorter sorts records in memory and, past a run, through runs on disk, by an order
// of some of their nodes and then their IDs, and checks them against slices.SortFunc.
func TestSorter(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 2*runRecords + 17} {
		order := []int{2, 0}
		rng := rand.New(rand.NewPCG(1, uint64(n)))
		var want []Record
		x := New(t.TempDir(), order)
		for i := range n {
			r := Record{Nodes: [4]uint64{rng.Uint64N(50), rng.Uint64N(50), rng.Uint64N(50), 0}, ID: uint64(i)}
			want = append(want, r)
			if err := x.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		slices.SortFunc(want, func(a, b Record) int {
			return cmp.Or(cmp.Compare(a.Nodes[2], b.Nodes[2]), cmp.Compare(a.Nodes[0], b.Nodes[0]), cmp.Compare(a.ID, b.ID))
		})
		for pass := range 2 { // Each may be called again
			var got []Record
			if err := x.Each(func(r *Record) error { got = append(got, *r); return nil }); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%d records, pass %d: sorted wrongly (%d out)", n, pass, len(got))
			}
		}
		x.Close()
	}
}
