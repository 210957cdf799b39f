package kvstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// Salvage and check read the store file's pages themselves, not through bbolt's memory
// map: bbolt trusts every page, and a scribbled one makes it fault or panic in the middle
// of a walk, losing everything after it. Here each page is read with ReadAt, checked
// against the file's bounds and its own, and parsed with a recover around it: a page that
// cannot be made sense of is skipped and counted, and the walk goes on with the next.

// bbolt's page flags and leaf element flag.
const (
	pageBranch = 0x01
	pageLeaf   = 0x02
	leafBucket = 0x01 // the element's value is a bucket: its root page and sequence
	elemSize   = 16   // a branch or leaf element
	bucketHead = 16   // a bucket value: root page, sequence; an inline page follows when root is 0
)

// maxProblems bounds the problems a walk keeps; the rest are counted.
const maxProblems = 20

// pageFile is a store file read page by page.
type pageFile struct {
	f        *os.File
	size     int64
	pageSize int64
	meta     boltMeta // the meta page walked from
	older    bool     // the newest meta page is damaged: the walk is of the older one
	noMeta   bool     // neither meta page is valid: only a scan of every page can be made
	seen     map[uint64]bool
	stats    WalkStats
}

// WalkStats is what a walk of the file's pages found.
type WalkStats struct {
	Pages    int      // pages read and understood
	Skipped  int      // pages that could not be read or understood, with all below them
	Problems []string // the first maxProblems problems
}

func (st *WalkStats) problem(format string, args ...any) {
	if len(st.Problems) < maxProblems {
		st.Problems = append(st.Problems, fmt.Sprintf(format, args...))
	}
}

// openPages opens the store file at path for a walk, from its newest valid meta page,
// holding a shared lock on it (as bbolt's readers do) for at most timeout's wait.
func openPages(path string, timeout time.Duration, scanOnly bool) (*pageFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if err := flockWait(f, syscall.LOCK_SH, timeout); err != nil {
		f.Close()
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.Size() == 0 {
		f.Close()
		return nil, fmt.Errorf("store %s is %w", path, ErrEmpty)
	}
	pf := &pageFile{f: f, size: fi.Size(), seen: map[uint64]bool{}}
	metas := readMetas(f)
	switch {
	case metas[0].ok && metas[1].ok:
		pf.meta = metas[0]
		if metas[1].txid > metas[0].txid {
			pf.meta = metas[1]
		}
	case metas[0].ok || metas[1].ok:
		pf.meta = metas[0]
		if metas[1].ok {
			pf.meta = metas[1]
		}
		pf.older = true // which one was newer cannot be told; say so
	case scanOnly:
		// No tree to walk, but pages to scan: of the size bbolt gives them by default.
		pf.meta = boltMeta{pageSize: 4096, pgid: uint64(pf.size / 4096)}
		pf.older, pf.noMeta = true, true
	default:
		f.Close()
		return nil, &DamagedError{Path: path, Problem: "neither of its meta pages is valid"}
	}
	pf.pageSize = int64(pf.meta.pageSize)
	if pf.pageSize < 512 || pf.pageSize > 1<<16 {
		f.Close()
		return nil, &DamagedError{Path: path, Problem: "its meta page gives no valid page size"}
	}
	return pf, nil
}

func (pf *pageFile) Close() error { return pf.f.Close() }

// page reads page id with its overflow pages, checking its header.
func (pf *pageFile) page(id uint64) ([]byte, error) {
	if id < 2 || id >= pf.meta.pgid {
		return nil, fmt.Errorf("page %d is outside the store's %d pages", id, pf.meta.pgid)
	}
	if pf.seen[id] {
		return nil, fmt.Errorf("page %d is reached twice", id)
	}
	pf.seen[id] = true
	off := int64(id) * pf.pageSize
	head := make([]byte, pf.pageSize)
	if _, err := pf.f.ReadAt(head, off); err != nil {
		return nil, fmt.Errorf("page %d cannot be read: %v", id, err)
	}
	le := binary.LittleEndian
	if got := le.Uint64(head); got != id {
		return nil, fmt.Errorf("page %d holds the header of page %d", id, got)
	}
	overflow := int64(le.Uint32(head[12:]))
	if overflow == 0 {
		return head, nil
	}
	if int64(id)+overflow >= int64(pf.meta.pgid) || (overflow+1)*pf.pageSize > 1<<31 {
		return nil, fmt.Errorf("page %d overflows past the store's pages", id)
	}
	buf := make([]byte, (overflow+1)*pf.pageSize)
	if _, err := pf.f.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("page %d cannot be read: %v", id, err)
	}
	return buf, nil
}

// elem is an entry of a leaf page: a key, a value and whether it is a bucket.
type elem struct {
	key, value []byte
	bucket     bool
}

// parsePage returns a page's leaf entries or branch children, checking every bound.
func parsePage(p []byte) (leaves []elem, children []uint64, err error) {
	if len(p) < boltPageHeader {
		return nil, nil, errors.New("is shorter than a page header")
	}
	le := binary.LittleEndian
	flags, count := le.Uint16(p[8:]), int(le.Uint16(p[10:]))
	if boltPageHeader+count*elemSize > len(p) {
		return nil, nil, fmt.Errorf("claims %d elements, more than it holds", count)
	}
	for i := 0; i < count; i++ {
		at := boltPageHeader + i*elemSize
		e := p[at : at+elemSize]
		switch flags {
		case pageBranch:
			pos, ksize := int(le.Uint32(e[0:])), int(le.Uint32(e[4:]))
			if at+pos+ksize > len(p) || pos < 0 || ksize < 0 {
				return nil, nil, fmt.Errorf("element %d points outside the page", i)
			}
			children = append(children, le.Uint64(e[8:]))
		case pageLeaf:
			pos, ksize, vsize := int(le.Uint32(e[4:])), int(le.Uint32(e[8:])), int(le.Uint32(e[12:]))
			start := at + pos
			if pos < 0 || ksize < 0 || vsize < 0 || start+ksize+vsize > len(p) || start+ksize+vsize < start {
				return nil, nil, fmt.Errorf("element %d points outside the page", i)
			}
			leaves = append(leaves, elem{key: p[start : start+ksize], value: p[start+ksize : start+ksize+vsize], bucket: le.Uint32(e[0:])&leafBucket != 0})
		default:
			return nil, nil, fmt.Errorf("is neither a branch nor a leaf (flags %#x)", flags)
		}
	}
	return leaves, children, nil
}

// walk calls fn with every entry of the tree whose root is page root (or, when root is 0,
// the inline page inline), in key order. A page that cannot be read or understood is
// skipped, with everything below it, and counted.
func (pf *pageFile) walk(root uint64, inline []byte, fn func(elem)) {
	var leaves []elem
	var children []uint64
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("%v", r)
			}
		}()
		p := inline
		if root != 0 {
			if p, err = pf.page(root); err != nil {
				return err
			}
		}
		leaves, children, err = parsePage(p)
		return err
	}()
	if err != nil {
		pf.stats.Skipped++
		if root == 0 {
			pf.stats.problem("an inline bucket %v", err)
		} else {
			pf.stats.problem("page %d: %v", root, err)
		}
		return
	}
	if root != 0 {
		pf.stats.Pages++
	}
	for _, e := range leaves {
		fn(e)
	}
	for _, c := range children {
		pf.walk(c, nil, fn)
	}
}

// scan calls fn with every entry of every leaf page in the file as far as it reaches,
// whichever tree it belongs to, or none (a page freed since): for a file whose tree
// cannot be walked from its root.
func (pf *pageFile) scan(fn func(elem)) {
	last := min(uint64(pf.size/pf.pageSize), pf.meta.pgid)
	pf.seen = map[uint64]bool{}
	for id := uint64(2); id < last; id++ {
		var leaves []elem
		err := func() (err error) {
			defer func() {
				if r := recover(); r != nil {
					err = fmt.Errorf("%v", r)
				}
			}()
			p, err := pf.page(id)
			if err != nil {
				return err
			}
			id += uint64(int64(len(p))/pf.pageSize) - 1 // past its overflow pages
			if binary.LittleEndian.Uint16(p[8:]) != pageLeaf {
				return nil
			}
			leaves, _, err = parsePage(p)
			return err
		}()
		if err != nil {
			pf.stats.Skipped++
			pf.stats.problem("page %d: %v", id, err)
			continue
		}
		pf.stats.Pages++
		for _, e := range leaves {
			fn(e)
		}
	}
}

// walkBucket walks the bucket whose leaf entry in its parent is e.
func (pf *pageFile) walkBucket(e elem, fn func(elem)) {
	if len(e.value) < bucketHead {
		pf.stats.Skipped++
		pf.stats.problem("bucket %q has a short header", e.key)
		return
	}
	root := binary.LittleEndian.Uint64(e.value)
	var inline []byte
	if root == 0 {
		inline = e.value[bucketHead:]
	}
	pf.walk(root, inline, fn)
}

// walkAll walks every bucket of the file, nested ones too; fn is called with each
// top-level bucket's name and its entries.
func (pf *pageFile) walkAll(fn func(bucket []byte, e elem)) {
	var sub func(name []byte, e elem)
	sub = func(name []byte, e elem) {
		pf.walkBucket(e, func(c elem) {
			if c.bucket {
				sub(name, c)
				return
			}
			if fn != nil {
				fn(name, c)
			}
		})
	}
	pf.walk(pf.meta.root, nil, func(e elem) {
		if e.bucket {
			sub(e.key, e)
		}
	})
}

// flockWait takes a flock of kind how on f, as bbolt does on its file, trying until
// timeout has passed (none: once).
func flockWait(f *os.File, how int, timeout time.Duration) error {
	start := time.Now()
	for {
		err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB)
		if err == nil {
			return nil
		} else if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if time.Since(start) >= timeout {
			return ErrTimeout
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// copyStoreFile copies src to dst, a new file of mode, and syncs it.
func copyStoreFile(dst, src string, mode os.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, mode)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if e := out.Close(); err == nil {
		err = e
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}
