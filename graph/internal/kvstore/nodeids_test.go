package kvstore

import (
	"crypto/sha1"
	"encoding/binary"
	"testing"

	"github.com/cayleygraph/cayley/graph/refs"
)

// TestNodeIDs checks the build's node table against a map: IDs in order of first sight,
// the same ID for a hash seen again, through growth and through hashes that all want the
// same slot.
func TestNodeIDs(t *testing.T) {
	distinct := func(i int) refs.ValueHash {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(i))
		return sha1.Sum(b[:])
	}
	sameSlot := func(i int) refs.ValueHash { // first 8 bytes equal: one probe chain
		var h refs.ValueHash
		binary.BigEndian.PutUint32(h[16:], uint32(i))
		return h
	}
	for _, tc := range []struct {
		name string
		n    int // distinct hashes
		hash func(int) refs.ValueHash
	}{
		{"one", 1, distinct},
		{"past a chunk and several growths", 3*nodeMinSlots + 17, distinct},
		{"one slot wanted by all", 3000, sameSlot},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ids nodeIDs
			defer ids.free()
			want := map[refs.ValueHash]uint32{}
			check := func(i int) {
				h := tc.hash(i)
				id, isNew, err := ids.id(h)
				if err != nil {
					t.Fatal(err)
				}
				old, seen := want[h]
				if !seen {
					old = uint32(len(want) + 1)
					want[h] = old
				}
				if id != old || isNew == seen {
					t.Fatalf("hash %d: id %d, new %v; want %d, new %v", i, id, isNew, old, !seen)
				}
			}
			for i := range tc.n {
				check(i)
				if i%3 == 0 {
					check(i / 2) // seen before
				}
			}
			for i := range tc.n {
				check(i)
			}
			if ids.len() != tc.n {
				t.Errorf("len %d, want %d", ids.len(), tc.n)
			}
			for h, id := range want {
				if *ids.hash(id) != h {
					t.Fatalf("hash of ID %d is %x, want %x", id, *ids.hash(id), h)
				}
			}
		})
	}
}
