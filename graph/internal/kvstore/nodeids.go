package kvstore

import (
	"encoding/binary"

	"github.com/cayleygraph/cayley/graph/refs"
)

// nodeIDs numbers node hashes 1, 2, … in the order they are first seen: a build's table
// of every distinct node, which is what its memory grows with. A Go map of hash to ID
// takes about 55 bytes a node; this takes about 28: the hashes, 20 bytes each, in chunks
// indexed by ID, and an open-addressed table of IDs, 4 bytes a slot and at most 3/4 full.
// The hashes are SHA-1, so their first bytes place them evenly. Both live outside Go's
// heap (mapMemory), so the collector lets no more garbage pile up for their sake; free
// the table when done.
type nodeIDs struct {
	chunks      [][]refs.ValueHash // ID i's hash is chunks[(i-1)>>nodeChunkBits][(i-1)&nodeChunkMask]
	slots       []uint32           // IDs placed by hash, probed linearly; 0 is an empty slot
	n           int                // IDs given
	memory      [][]byte           // the chunks' memory, to unmap
	slotsMemory []byte
}

const (
	nodeChunkBits = 16
	nodeChunkMask = 1<<nodeChunkBits - 1
	nodeMinSlots  = 1 << 16
)

// len returns how many IDs have been given.
func (t *nodeIDs) len() int { return t.n }

func (t *nodeIDs) hash(id uint32) *refs.ValueHash {
	i := id - 1
	return &t.chunks[i>>nodeChunkBits][i&nodeChunkMask]
}

// id returns h's ID, giving it the next one when h is new.
func (t *nodeIDs) id(h refs.ValueHash) (id uint32, isNew bool, err error) {
	if (t.n+1)*4 > len(t.slots)*3 {
		if err := t.grow(); err != nil {
			return 0, false, err
		}
	}
	mask := uint64(len(t.slots) - 1)
	i := binary.LittleEndian.Uint64(h[:8]) & mask
	for ; t.slots[i] != 0; i = (i + 1) & mask {
		if *t.hash(t.slots[i]) == h {
			return t.slots[i], false, nil
		}
	}
	if t.n&nodeChunkMask == 0 {
		chunk, mem, err := mappedSlice[refs.ValueHash](1 << nodeChunkBits)
		if err != nil {
			return 0, false, err
		}
		t.memory = append(t.memory, mem)
		t.chunks = append(t.chunks, chunk[:0])
	}
	last := &t.chunks[len(t.chunks)-1]
	*last = append(*last, h)
	t.n++
	t.slots[i] = uint32(t.n)
	return uint32(t.n), true, nil
}

// grow doubles the slots and places every ID again.
func (t *nodeIDs) grow() error {
	n := max(2*len(t.slots), nodeMinSlots)
	slots, mem, err := mappedSlice[uint32](n)
	if err != nil {
		return err
	}
	if t.slotsMemory != nil {
		unmapMemory(t.slotsMemory)
	}
	t.slots, t.slotsMemory = slots, mem
	mask := uint64(n - 1)
	for id := uint32(1); int(id) <= t.n; id++ {
		h := t.hash(id)
		i := binary.LittleEndian.Uint64(h[:8]) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = id
	}
	return nil
}

// free returns the table's memory; the table is empty after.
func (t *nodeIDs) free() {
	for _, m := range t.memory {
		unmapMemory(m)
	}
	if t.slotsMemory != nil {
		unmapMemory(t.slotsMemory)
	}
	*t = nodeIDs{}
}
