// Package extsort sorts records of four node IDs and an ID in bounded memory: runs
// sorted in memory and spilled to files, then merged. It is the sort of a store rebuild.
package extsort

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// Sorter sorts quads given as node IDs (and an ID of their own) in bounded memory:
// runs of runRecords are sorted and written to files in dir, then merged. The order is
// by the nodes of the directions in order (indexes into Record.Nodes), then by ID.
type Sorter struct {
	order []int
	dir   string
	buf   []Record
	runs  []string
}

// Record is one quad: its node IDs by direction, and its ID once it has one.
type Record struct {
	Nodes [4]uint64
	ID    uint64
}

const recordSize = 40

// runRecords is how many records a sorter holds in memory (10 MB).
const runRecords = 1 << 18

// New returns a sorter in order (indexes into Record.Nodes, the most significant first)
// whose runs go to files in dir.
func New(dir string, order []int) *Sorter {
	return &Sorter{order: order, dir: dir}
}

func (x *Sorter) cmp(a, b *Record) int {
	for _, j := range x.order {
		if c := cmp.Compare(a.Nodes[j], b.Nodes[j]); c != 0 {
			return c
		}
	}
	return cmp.Compare(a.ID, b.ID)
}

// Add adds a record.
func (x *Sorter) Add(r Record) error {
	x.buf = append(x.buf, r)
	if len(x.buf) == runRecords {
		return x.spill()
	}
	return nil
}

func (x *Sorter) sortBuf() {
	slices.SortFunc(x.buf, func(a, b Record) int { return x.cmp(&a, &b) })
}

func (x *Sorter) spill() error {
	x.sortBuf()
	f, err := os.Create(filepath.Join(x.dir, fmt.Sprintf("run-%p-%d", x, len(x.runs))))
	if err != nil {
		return fmt.Errorf("sort the quads: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var enc [recordSize]byte
	for i := range x.buf {
		putRecord(enc[:], &x.buf[i])
		w.Write(enc[:])
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("sort the quads: %w", err)
	}
	x.runs = append(x.runs, f.Name())
	x.buf = x.buf[:0]
	return nil
}

func putRecord(b []byte, r *Record) {
	for i, n := range r.Nodes {
		binary.LittleEndian.PutUint64(b[8*i:], n)
	}
	binary.LittleEndian.PutUint64(b[32:], r.ID)
}

func getRecord(b []byte, r *Record) {
	for i := range r.Nodes {
		r.Nodes[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	r.ID = binary.LittleEndian.Uint64(b[32:])
}

// Close frees the sorter's memory and files.
func (x *Sorter) Close() {
	for _, run := range x.runs {
		os.Remove(run)
	}
	x.runs, x.buf = nil, nil
}

// Each calls fn with every record in order; it may be called again, until Close.
func (x *Sorter) Each(fn func(*Record) error) error {
	if len(x.runs) == 0 {
		x.sortBuf()
		for i := range x.buf {
			if err := fn(&x.buf[i]); err != nil {
				return err
			}
		}
		return nil
	}
	if len(x.buf) > 0 {
		if err := x.spill(); err != nil {
			return err
		}
	}
	x.buf = nil
	m := &merge{x: x}
	for _, run := range x.runs {
		f, err := os.Open(run)
		if err != nil {
			return fmt.Errorf("sort the quads: %w", err)
		}
		defer f.Close()
		c := &cursor{r: bufio.NewReaderSize(f, 1<<18)}
		if ok, err := c.next(); err != nil {
			return err
		} else if ok {
			m.cursors = append(m.cursors, c)
		}
	}
	heap.Init(m)
	for m.Len() > 0 {
		c := m.cursors[0]
		if err := fn(&c.cur); err != nil {
			return err
		}
		if ok, err := c.next(); err != nil {
			return err
		} else if ok {
			heap.Fix(m, 0)
		} else {
			heap.Pop(m)
		}
	}
	return nil
}

type cursor struct {
	r   *bufio.Reader
	buf [recordSize]byte
	cur Record
}

func (c *cursor) next() (bool, error) {
	if _, err := io.ReadFull(c.r, c.buf[:]); err == io.EOF {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("sort the quads: %w", err)
	}
	getRecord(c.buf[:], &c.cur)
	return true, nil
}

// merge is a heap of run cursors, the least record first.
type merge struct {
	x       *Sorter
	cursors []*cursor
}

func (m *merge) Len() int           { return len(m.cursors) }
func (m *merge) Less(i, j int) bool { return m.x.cmp(&m.cursors[i].cur, &m.cursors[j].cur) < 0 }
func (m *merge) Swap(i, j int)      { m.cursors[i], m.cursors[j] = m.cursors[j], m.cursors[i] }
func (m *merge) Push(x any)         { m.cursors = append(m.cursors, x.(*cursor)) }
func (m *merge) Pop() any {
	c := m.cursors[len(m.cursors)-1]
	m.cursors = m.cursors[:len(m.cursors)-1]
	return c
}
