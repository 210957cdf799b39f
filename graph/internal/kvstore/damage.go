package kvstore

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
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
	if size < 4096 {
		return st, damaged("it is %d bytes long, shorter than its first page", size)
	}
	metas := readMetas(f)
	m0, m1 := metas[0], metas[1]
	pageSize := int64(4096)
	if m0.ok && m0.pageSize >= 512 && m0.pageSize <= 1<<16 {
		pageSize = int64(m0.pageSize)
	}
	if size < pageSize+boltPageHeader+boltMetaSize {
		return st, damaged("it is %d bytes long, shorter than its two meta pages", size)
	}
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
	rec, ok := readState(path)
	ok = ok && rec.inode == st.inode
	switch {
	case ok && m.txid < rec.txid:
		which := "its newest meta page is damaged, and "
		if m0.ok && m1.ok {
			which = ""
		}
		return st, damaged("%sit holds transaction %d where parley last committed transaction %d: it would read as an older store", which, m.txid, rec.txid)
	case !ok && (!m0.ok || !m1.ok):
		// With a record, a damaged meta page loses nothing: parley leaves both pages on
		// the same data (writeState). Without one (a copy, or a file parley never
		// closed), the page bbolt would read may be the older.
		return st, damaged("one of its meta pages is damaged, and with no record of the state parley left it in (a copy of a store?), the other may be older")
	}
	return st, nil
}

// readMetas reads the two meta pages of a bbolt file; a page that cannot be read or
// fails its checks is not ok.
func readMetas(f *os.File) [2]boltMeta {
	var metas [2]boltMeta
	for i := range metas {
		buf := make([]byte, boltPageHeader+boltMetaSize)
		off := int64(0)
		if i == 1 {
			off = 4096
			if metas[0].ok && metas[0].pageSize >= 512 && metas[0].pageSize <= 1<<16 {
				off = int64(metas[0].pageSize)
			}
		}
		if _, err := f.ReadAt(buf, off); err == nil {
			metas[i] = parseBoltMeta(buf)
		}
	}
	return metas
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
// file's inode and its last transaction. First, when the open wrote the store, it
// leaves both meta pages on the same data, committing once more without a change when
// they are not: bbolt reads the older page when the newest is damaged, and then reads
// the same store. The transaction recorded is then the older page's, since either page
// may be read.
func (s *Store) writeState() error {
	metas, err := s.metas()
	if err != nil {
		return err
	}
	// Only a store this open wrote (a refused write leaves the file as it was), and never
	// one of another data version (checkVersion).
	if (!metas[0].ok || !metas[1].ok || metas[0].root != metas[1].root) && s.wrote() && s.checkVersion(false) == nil {
		if err := s.db.Update(func(*bolt.Tx) error { return nil }); err != nil {
			return err
		}
		if metas, err = s.metas(); err != nil {
			return err
		}
	}
	if err := s.db.Sync(); err != nil {
		return err
	}
	var txid uint64 // the newest valid page's; the older's when both are on the same data
	for _, m := range metas {
		if m.ok {
			txid = max(txid, m.txid)
		}
	}
	if metas[0].ok && metas[1].ok && metas[0].root == metas[1].root {
		txid = min(metas[0].txid, metas[1].txid)
	}
	fi, err := os.Stat(s.path)
	if err != nil {
		return err
	}
	return writeStateFile(s.path, inodeOf(fi), txid)
}

// CheckMeta checks the meta pages of the store file at path, which passed CheckPages: a
// damaged one is a finding, with nothing lost (the other holds the state parley last
// committed, or the open would have been refused), which RewriteMeta repairs.
func CheckMeta(path string) (Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return Finding{}, err
	}
	defer f.Close()
	metas := readMetas(f)
	for i, m := range metas {
		if !m.ok {
			return Finding{Check: "meta", Detail: fmt.Sprintf("meta page %d is damaged; bbolt reads the other (transaction %d), the last state parley committed, so nothing is lost: --repair rewrites it", i, metas[1-i].txid)}, nil
		}
	}
	return Finding{Check: "meta", OK: true, Detail: fmt.Sprintf("both meta pages valid (transactions %d and %d)", metas[0].txid, metas[1].txid)}, nil
}

// RewriteMeta rewrites a damaged meta page of the store file at path from the other: a
// commit that changes nothing writes the older page, and the close leaves both on the
// same data.
func RewriteMeta(path string, timeout time.Duration) error {
	s, err := Open(path, Options{Timeout: timeout})
	if err != nil {
		return err
	}
	if err := s.update(func(*bolt.Tx) error { return nil }); err != nil {
		s.Close()
		return fmt.Errorf("rewrite the meta pages of %s: %w", path, err)
	}
	return s.Close()
}

// metas reads the store file's meta pages.
func (s *Store) metas() ([2]boltMeta, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return [2]boltMeta{}, err
	}
	defer f.Close()
	return readMetas(f), nil
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
