package kvstore

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/graph/nquads"
)

// A load into the store commits in batches, so that no transaction grows with the
// input. To keep the load all-or-nothing, each batch is first appended to a journal
// beside the store and synced; the journal is removed once the whole load is durable. A
// load that fails rolls its batches back from the journal; one that was killed is rolled
// back by the next process that opens the store. A replace records the quads it removes
// in the same journal before removing them, so that a rollback writes them back.
//
// Each record carries a checksum, and the transaction that applies a batch records in
// the store how much of the journal it may have been applied from (journalKey). A
// rollback reads and checks the whole journal before it changes anything: a record torn
// by a crash after the last applied one is ignored, as its batch never reached the
// store; any other damage, or a record that does not read back, stops the rollback, and
// the store takes no writes until it is resolved (JournalError).

// rollbackBatch is how many quads a rollback removes per transaction.
const rollbackBatch = 100000

// crcTable is the CRC-32C table of journal records.
var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrInterrupted is returned by a read-only Open of a store with a load a crash
// interrupted, which a writable open must roll back before anyone reads.
var ErrInterrupted = errors.New("an interrupted load must be rolled back")

// JournalError says the journal of an interrupted load cannot be rolled back: nothing
// was changed, and the store takes no writes until it is resolved.
type JournalError struct {
	Path    string // the store
	Problem string
}

func (e *JournalError) Error() string {
	return fmt.Sprintf("store %s: the journal of an interrupted load (%s) %s, so the load cannot be rolled back; nothing was changed and the store takes no writes: restore a backup of the store in its place ('parley restore FILE'), or keep the store with whatever part of the load reached it by removing the journal",
		e.Path, e.Path+journalSuffix, e.Problem)
}

// Journal is the journal of a load in progress.
type Journal struct {
	s     *Store
	path  string
	id    []byte // the load's ID, 16 bytes
	f     *os.File
	w     *bufio.Writer
	batch int64 // records written
	last  int64 // size before the latest record
	size  int64
}

// HasJournal reports whether the store file at path has the journal of a load a crash
// interrupted beside it, which a writable open rolls back.
func HasJournal(path string) bool {
	_, err := os.Stat(path + journalSuffix)
	return err == nil
}

// journalMark is journalKey's value.
type journalMark struct {
	id    []byte
	batch int64 // records a batch may have been applied from
	end   int64 // the journal's size after the last of them
}

func (m journalMark) bytes() []byte {
	b := append([]byte(nil), m.id...)
	b = binary.LittleEndian.AppendUint64(b, uint64(m.batch))
	return binary.LittleEndian.AppendUint64(b, uint64(m.end))
}

// readJournalMark reads journalKey; nil when no journalled load is under way.
func readJournalMark(tx *bolt.Tx) (*journalMark, error) {
	pm := tx.Bucket(parleyMetaBucket)
	if pm == nil {
		return nil, nil
	}
	v := pm.Get(journalKey)
	if v == nil {
		return nil, nil
	}
	if len(v) != 32 {
		return nil, fmt.Errorf("the store's record of its load journal has %d bytes, not 32", len(v))
	}
	return &journalMark{id: append([]byte(nil), v[:16]...), batch: int64(binary.LittleEndian.Uint64(v[16:])), end: int64(binary.LittleEndian.Uint64(v[24:]))}, nil
}

// putJournalMark writes the mark of the latest record, if any, in a transaction that
// applies its batch.
func (s *Store) putJournalMark(tx *bolt.Tx) error {
	if s.mark == nil {
		return nil
	}
	pm, err := tx.CreateBucketIfNotExists(parleyMetaBucket)
	if err != nil {
		return err
	}
	if err := pm.Put(journalKey, s.mark); err != nil {
		return err
	}
	s.mark = nil
	return nil
}

// StartJournal creates the journal of a load, once the store's version is checked, and
// lets bolt skip syncing each batch: the journal holds what a crash would need, and
// Commit syncs once at the end.
func (s *Store) StartJournal() (*Journal, error) {
	if err := s.checkVersion(true); err != nil {
		return nil, err
	}
	id := make([]byte, 16)
	rand.Read(id)
	path := s.path + journalSuffix
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("start the load journal: %w", err)
	}
	j := &Journal{s: s, path: path, id: id, f: f, w: bufio.NewWriterSize(f, 1<<20)}
	if err := j.append(journalHeader + hex.EncodeToString(id) + "\n"); err != nil {
		return nil, err
	}
	s.db.NoSync = true
	return j, nil
}

func (j *Journal) append(text string) error {
	n, err := j.w.WriteString(text)
	j.size += int64(n)
	return err
}

// recordHead is what a record's checksum covers before its body.
func recordHead(batch int64, lines, size int) string {
	return fmt.Sprintf("%d %d %d\n", batch, lines, size)
}

// Record appends a batch, its quads as N-Quads lines, and syncs it to disk before the
// batch is applied; the transaction that applies it marks it in the store.
func (j *Journal) Record(lines []string) error {
	j.last = j.size
	size := 0
	for _, line := range lines {
		size += len(line)
	}
	head := recordHead(j.batch+1, len(lines), size)
	crc := crc32.Update(0, crcTable, []byte(head))
	for _, line := range lines {
		crc = crc32.Update(crc, crcTable, []byte(line))
	}
	if err := j.append(fmt.Sprintf("%s%s%08x\n", journalRecord, strings.TrimSuffix(head, "\n")+" ", crc)); err != nil {
		return fmt.Errorf("write the load journal: %w", err)
	}
	for _, line := range lines {
		if err := j.append(line); err != nil {
			return fmt.Errorf("write the load journal: %w", err)
		}
	}
	if err := j.w.Flush(); err != nil {
		return fmt.Errorf("write the load journal: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("sync the load journal: %w", err)
	}
	j.batch++
	j.s.mark = journalMark{id: j.id, batch: j.batch, end: j.size}.bytes()
	return nil
}

// RecordRemoved appends quads a replace is about to remove, each marked removedMark,
// and syncs them to disk before any is removed: a rollback writes them back.
func (j *Journal) RecordRemoved(quads []quad.Quad) error {
	lines := make([]string, len(quads))
	for i, q := range quads {
		lines[i] = removedMark + q.NQuad() + "\n"
	}
	return j.Record(lines)
}

// Unrecord drops the latest record: its batch was not applied.
func (j *Journal) Unrecord() {
	j.s.mark = nil
	if err := j.f.Truncate(j.last); err == nil {
		j.f.Seek(j.last, io.SeekStart)
		j.size = j.last
		j.batch--
	}
}

// Commit makes the load durable, clears its mark in the store and removes the journal.
func (j *Journal) Commit() error {
	db := j.s.db
	db.NoSync = false
	j.s.mark = nil
	if err := db.Update(clearJournalMark); err != nil {
		return fmt.Errorf("sync the store: %w", err)
	}
	if err := j.f.Close(); err != nil {
		return err
	}
	return os.Remove(j.path)
}

func clearJournalMark(tx *bolt.Tx) error {
	if pm := tx.Bucket(parleyMetaBucket); pm != nil {
		return pm.Delete(journalKey)
	}
	return nil
}

// Rollback removes what the journal recorded (RollbackJournal). Attach a fresh quad
// store first: Cayley's caches are wrong after a failed transaction.
func (j *Journal) Rollback() error {
	j.f.Close()
	j.s.mark = nil
	_, err := j.s.RollbackJournal()
	return err
}

// journalScan is a journal read through and checked: the records to roll back.
type journalScan struct {
	records []journalRec
	quads   int
}

type journalRec struct {
	off   int64 // of the body
	lines int
	size  int
}

// Interrupted reports whether the store has a load a crash interrupted: a journal beside
// it, or the store's mark of one. err is a *JournalError when it cannot be rolled back.
func (s *Store) Interrupted() (bool, error) {
	var mark *journalMark
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		mark, err = readJournalMark(tx)
		return err
	})
	if err != nil {
		return true, &JournalError{Path: s.path, Problem: "cannot be checked: " + err.Error()}
	}
	if mark == nil && !HasJournal(s.path) {
		return false, nil
	}
	_, err = s.scanJournal(mark)
	return true, err
}

// scanJournal reads the whole journal and checks every record against its checksum and
// the store's mark, and every line for being readable, before anything changes.
func (s *Store) scanJournal(mark *journalMark) (*journalScan, error) {
	damaged := func(format string, args ...any) error {
		return &JournalError{Path: s.path, Problem: fmt.Sprintf(format, args...)}
	}
	data, err := os.ReadFile(s.path + journalSuffix)
	if errors.Is(err, os.ErrNotExist) {
		if mark == nil {
			return &journalScan{}, nil
		}
		return nil, damaged("is missing although %d batches of it may be in the store", mark.batch)
	} else if err != nil {
		return nil, damaged("cannot be read: %v", err)
	}
	covered := int64(0) // bytes a batch may have been applied from: they must be intact
	if mark != nil {
		covered = mark.end
	}
	if int64(len(data)) < covered {
		return nil, damaged("is %d bytes long where the store says %d were written (truncated)", len(data), covered)
	}
	// The header: a crash before the first record leaves it partial or absent.
	nl := bytes.IndexByte(data, '\n')
	if nl < 0 {
		if mark == nil && (bytes.HasPrefix([]byte(journalHeader), data) || bytes.HasPrefix(data, []byte(journalHeader)) && len(data) <= len(journalHeader)+32) {
			return &journalScan{}, nil
		}
		return nil, damaged("has no header line")
	}
	idHex, ok := strings.CutPrefix(string(data[:nl]), journalHeader)
	id, herr := hex.DecodeString(idHex)
	if !ok || herr != nil || len(id) != 16 {
		return nil, damaged("has a damaged header line")
	}
	if mark != nil && !bytes.Equal(id, mark.id) {
		return nil, damaged("is of another load than the one the store records")
	}
	scan := &journalScan{}
	off := int64(nl + 1)
	for off < int64(len(data)) {
		rec, next, problem := readRecord(data, off, int64(len(scan.records)+1))
		if problem != "" {
			// A record a crash cut short, or left unwritten, after every record a batch was
			// applied from, ends the journal: its batch never reached the store.
			if off >= covered && next >= int64(len(data)) {
				break
			}
			return nil, damaged("record %d (at byte %d) %s", len(scan.records)+1, off, problem)
		}
		scan.records = append(scan.records, rec)
		scan.quads += rec.lines
		off = next
	}
	if mark != nil && int64(len(scan.records)) < mark.batch {
		return nil, damaged("holds %d records where the store says %d were written", len(scan.records), mark.batch)
	}
	// Every line must read back: a rollback never skips.
	for i, rec := range scan.records {
		n := 0
		err := eachJournalLine(data[rec.off:rec.off+int64(rec.size)], func(quad.Quad, bool) error { n++; return nil })
		if err != nil {
			return nil, damaged("record %d: %v", i+1, err)
		}
		if n != rec.lines {
			return nil, damaged("record %d holds %d quads, not %d", i+1, n, rec.lines)
		}
	}
	return scan, nil
}

// readRecord reads the record at off: its body's place and the offset after it, or what
// is wrong with it (next is then how far it claims to reach, or the end of data).
func readRecord(data []byte, off, want int64) (journalRec, int64, string) {
	end := int64(len(data))
	nl := bytes.IndexByte(data[off:], '\n')
	if nl < 0 {
		return journalRec{}, end, "is cut short in its header"
	}
	fields := strings.Fields(string(data[off : off+int64(nl)]))
	if len(fields) != 5 || fields[0] != strings.TrimSpace(journalRecord) {
		return journalRec{}, end, "has a damaged header"
	}
	batch, e1 := strconv.ParseInt(fields[1], 10, 64)
	lines, e2 := strconv.Atoi(fields[2])
	size, e3 := strconv.Atoi(fields[3])
	crc, e4 := strconv.ParseUint(fields[4], 16, 32)
	if e1 != nil || e2 != nil || e3 != nil || e4 != nil || lines < 0 || size < 0 {
		return journalRec{}, end, "has a damaged header"
	}
	if batch != want {
		return journalRec{}, end, fmt.Sprintf("is numbered %d, not %d", batch, want)
	}
	body := off + int64(nl) + 1
	if body+int64(size) > end {
		return journalRec{}, end, fmt.Sprintf("is cut short: %d of its %d bytes are there", end-body, size)
	}
	sum := crc32.Update(0, crcTable, []byte(recordHead(batch, lines, size)))
	sum = crc32.Update(sum, crcTable, data[body:body+int64(size)])
	if sum != uint32(crc) {
		return journalRec{}, body + int64(size), "does not match its checksum"
	}
	return journalRec{off: body, lines: lines, size: size}, body + int64(size), ""
}

// eachJournalLine reads a record's body: each quad, and whether a replace removed it.
func eachJournalLine(body []byte, fn func(q quad.Quad, removed bool) error) error {
	for i := 1; len(body) > 0; i++ {
		nl := bytes.IndexByte(body, '\n')
		if nl < 0 {
			return fmt.Errorf("line %d has no end", i)
		}
		text, removed := strings.CutPrefix(string(body[:nl]), removedMark)
		body = body[nl+1:]
		q, ok, err := nquads.ParseLine(text, nquads.Options{})
		if err != nil {
			return fmt.Errorf("line %d does not read back: %w", i, err)
		} else if !ok {
			return fmt.Errorf("line %d holds no quad", i)
		}
		if err := fn(q, removed); err != nil {
			return err
		}
	}
	return nil
}

// RollbackJournal undoes what the journal recorded: it removes from the store every
// quad the journal lists as added (those a failed batch never wrote are skipped) and
// writes back every quad it lists as removed (those still there are skipped), syncs,
// clears the store's mark and removes the journal. The whole journal is read and checked
// first: a damaged one stops it before anything changes (*JournalError). A rollback cut
// short by a crash is done again, whole, by the next open. It returns how many quads it
// listed; none when there is no journal.
func (s *Store) RollbackJournal() (int, error) {
	if err := s.checkVersion(true); err != nil {
		return 0, err
	}
	var mark *journalMark
	if err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		mark, err = readJournalMark(tx)
		return err
	}); err != nil {
		return 0, &JournalError{Path: s.path, Problem: "cannot be checked: " + err.Error()}
	}
	if mark == nil && !HasJournal(s.path) {
		return 0, nil
	}
	scan, err := s.scanJournal(mark)
	if err != nil {
		return 0, err
	}
	data, err := os.ReadFile(s.path + journalSuffix)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("read the load journal: %w", err)
	}
	s.db.NoSync = true
	var added, removed []graph.Delta
	unadd := func() error {
		if len(added) == 0 {
			return nil
		}
		err := s.Remove(added, true)
		added = added[:0]
		return err
	}
	unremove := func() error {
		if len(removed) == 0 {
			return nil
		}
		b, err := Prepare(removed)
		if err == nil {
			_, _, err = s.WriteBatch(b, 0, func([]string) error { return nil })
		}
		removed = removed[:0]
		return err
	}
	for _, rec := range scan.records {
		err := eachJournalLine(data[rec.off:rec.off+int64(rec.size)], func(q quad.Quad, wasRemoved bool) error {
			if wasRemoved {
				removed = append(removed, graph.Delta{Quad: q, Action: graph.Add})
				if len(removed) == rollbackBatch {
					return unremove()
				}
				return nil
			}
			added = append(added, graph.Delta{Quad: q, Action: graph.Delete})
			if len(added) == rollbackBatch {
				return unadd()
			}
			return nil
		})
		if err != nil {
			return scan.quads, fmt.Errorf("roll back: %w", err)
		}
	}
	if err := unadd(); err != nil {
		return scan.quads, fmt.Errorf("roll back: %w", err)
	}
	if err := unremove(); err != nil {
		return scan.quads, fmt.Errorf("roll back: %w", err)
	}
	s.db.NoSync = false
	if err := s.db.Update(clearJournalMark); err != nil {
		return scan.quads, fmt.Errorf("sync the store: %w", err)
	}
	if err := os.Remove(s.path + journalSuffix); err != nil && !errors.Is(err, os.ErrNotExist) {
		return scan.quads, err
	}
	return scan.quads, nil
}
