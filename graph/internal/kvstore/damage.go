package kvstore

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// A damaged store file must give an error, not a crash: bbolt trusts its file, and reads
// past the end of a truncated one (a fault) or asserts on a scribbled page (a panic).
// Open checks what is cheap before bbolt reads anything: the meta pages against the
// file's size, and the newest meta page against parley's own record of the last state
// it committed (the state file), since bbolt silently falls back to the older meta page
// when the newest is damaged, which rolls the store back. What a check at open cannot
// see, a fault or panic in a read, the command's guard turns into an error (graph.Guard).

// DamagedError says a store file is damaged: nothing was written to it.
type DamagedError struct {
	Path    string
	Problem string
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("store %s is damaged (%s): nothing was written to it; put a backup of it in its place ('parley restore FILE'), or write every quad still readable with 'parley salvage OUT.nq'", e.Path, e.Problem)
}

// bbolt's file format (go.etcd.io/bbolt's page and meta types).
const (
	boltPageHeader = 16         // a page's id, flags, count and overflow
	boltMagic      = 0xED0CDAED // meta.magic
	boltVersion    = 2          // meta.version
	boltMetaSize   = 64         // magic..checksum
	boltNoFreelist = 0xffffffffffffffff
)

// boltMeta is what Open checks of a bbolt meta page.
type boltMeta struct {
	ok       bool // magic, version and checksum hold
	pageSize uint32
	root     uint64
	freelist uint64
	pgid     uint64 // the high-water mark: pages in use
	txid     uint64
}

func parseBoltMeta(b []byte) boltMeta {
	if len(b) < boltPageHeader+boltMetaSize {
		return boltMeta{}
	}
	m := b[boltPageHeader : boltPageHeader+boltMetaSize]
	le := binary.LittleEndian
	h := fnv.New64a()
	h.Write(m[:56])
	return boltMeta{
		ok:       le.Uint32(m[0:]) == boltMagic && le.Uint32(m[4:]) == boltVersion && h.Sum64() == le.Uint64(m[56:]),
		pageSize: le.Uint32(m[8:]),
		root:     le.Uint64(m[16:]),
		freelist: le.Uint64(m[32:]),
		pgid:     le.Uint64(m[40:]),
		txid:     le.Uint64(m[48:]),
	}
}

// fileState is what checkFile found: the meta page bbolt will use, and the file's inode.
type fileState struct {
	txid  uint64
	inode uint64
}

// checkFile checks the store file at path before bbolt opens it: two meta pages, the one
// bbolt will use within the file, and not older than the last state parley committed
// (the state file). An empty file is new, and passes.
func checkFile(path string) (fileState, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileState{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fileState{}, err
	}
	st := fileState{inode: inodeOf(fi)}
	size := fi.Size()
	if size == 0 {
		return st, nil
	}
	damaged := func(format string, args ...any) error {
		return &DamagedError{Path: path, Problem: fmt.Sprintf(format, args...)}
	}
	buf := make([]byte, 4096)
	if _, err := io.ReadFull(f, buf); err != nil {
		return st, damaged("it is %d bytes long, shorter than its first page", size)
	}
	m0 := parseBoltMeta(buf)
	pageSize := int64(4096)
	if m0.ok && m0.pageSize >= 512 && m0.pageSize <= 1<<16 {
		pageSize = int64(m0.pageSize)
	}
	page := make([]byte, boltPageHeader+boltMetaSize)
	if _, err := f.ReadAt(page, pageSize); err != nil {
		return st, damaged("it is %d bytes long, shorter than its two meta pages", size)
	}
	m1 := parseBoltMeta(page)
	var m boltMeta
	switch {
	case m0.ok && m1.ok:
		m = m0
		if m1.txid > m0.txid {
			m = m1
		}
	case m0.ok:
		m = m0
	case m1.ok:
		m = m1
	default:
		return st, damaged("neither of its meta pages is valid")
	}
	st.txid = m.txid
	if int64(m.pageSize) != pageSize {
		return st, damaged("its meta pages disagree on the page size")
	}
	if need := int64(m.pgid) * pageSize; need > size {
		return st, damaged("it is %d bytes long where its last transaction needs %d: it was truncated", size, need)
	}
	if m.root < 2 || m.root >= m.pgid || (m.freelist != boltNoFreelist && (m.freelist < 2 || m.freelist >= m.pgid)) {
		return st, damaged("its meta page points outside the file")
	}
	if rec, ok := readState(path); ok && rec.inode == st.inode && m.txid < rec.txid {
		which := "its newest meta page is damaged, and "
		if m0.ok && m1.ok {
			which = ""
		}
		return st, damaged("%sit holds transaction %d where parley last committed transaction %d: it would read as an older store", which, m.txid, rec.txid)
	}
	return st, nil
}

func inodeOf(fi os.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}

// readState reads the state file: the store file's inode and the last transaction
// parley committed to it.
func readState(path string) (fileState, bool) {
	data, err := os.ReadFile(path + stateSuffix)
	if err != nil {
		return fileState{}, false
	}
	f := strings.Fields(string(data))
	if len(f) != 3 || f[0] != stateHeader {
		return fileState{}, false
	}
	inode, e1 := strconv.ParseUint(f[1], 10, 64)
	txid, e2 := strconv.ParseUint(f[2], 10, 64)
	if e1 != nil || e2 != nil {
		return fileState{}, false
	}
	return fileState{txid: txid, inode: inode}, true
}

// writeState records the store's state as a writer leaves it, holding the lock: the
// file's inode and its newest transaction, once the file is synced.
func (s *Store) writeState() error {
	if err := s.db.Sync(); err != nil {
		return err
	}
	tx, err := s.db.Begin(false)
	if err != nil {
		return err
	}
	txid := tx.ID()
	tx.Rollback()
	fi, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	return writeStateFile(s.path, inodeOf(fi), uint64(txid))
}

// writeStateFile records in the state file of the store file at path its inode and
// newest transaction.
func writeStateFile(path string, inode, txid uint64) error {
	tmp := path + stateSuffix + ".new"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(f, "%s %d %d\n", stateHeader, inode, txid)
	if err == nil {
		err = f.Sync()
	}
	if e := f.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Rename(tmp, path+stateSuffix)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
