package kvstore

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/nquads"
)

// A load into the store commits in batches, so that no transaction grows with the
// input. To keep the load all-or-nothing, each batch is first appended to a journal
// beside the store and synced; the journal is removed once the whole load is durable. A
// load that fails rolls its batches back from the journal; one that was killed is rolled
// back by the next process that opens the store. A replace records the quads it removes
// in the same journal before removing them, so that a rollback writes them back.

// rollbackBatch is how many quads a rollback removes per transaction.
const rollbackBatch = 100000

// Journal is the journal of a load in progress.
type Journal struct {
	s    *Store
	path string
	f    *os.File
	w    *bufio.Writer
	last int64 // size before the latest record
	size int64
}

// HasJournal reports whether the store file at path has the journal of a load a crash
// interrupted beside it, which a writable open rolls back.
func HasJournal(path string) bool {
	_, err := os.Stat(path + journalSuffix)
	return err == nil
}

// StartJournal creates the journal of a load, once the store's version is checked, and
// lets bolt skip syncing each batch: the journal holds what a crash would need, and
// Commit syncs once at the end.
func (s *Store) StartJournal() (*Journal, error) {
	if err := s.checkVersion(true); err != nil {
		return nil, err
	}
	path := s.path + journalSuffix
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, fmt.Errorf("start the load journal: %w", err)
	}
	j := &Journal{s: s, path: path, f: f, w: bufio.NewWriterSize(f, 1<<20)}
	if err := j.append(journalHeader); err != nil {
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

// Record appends a batch, its quads as N-Quads lines, and syncs it to disk before the
// batch is applied.
func (j *Journal) Record(lines []string) error {
	j.last = j.size
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
	if err := j.f.Truncate(j.last); err == nil {
		j.f.Seek(j.last, io.SeekStart)
		j.size = j.last
	}
}

// Commit makes the load durable and removes the journal.
func (j *Journal) Commit() error {
	db := j.s.db
	db.NoSync = false
	if err := db.Sync(); err != nil {
		return fmt.Errorf("sync the store: %w", err)
	}
	if err := j.f.Close(); err != nil {
		return err
	}
	return os.Remove(j.path)
}

// Rollback removes what the journal recorded (RollbackJournal). Attach a fresh quad
// store first: Cayley's caches are wrong after a failed transaction.
func (j *Journal) Rollback() error {
	j.f.Close()
	_, err := j.s.RollbackJournal()
	return err
}

// RollbackJournal undoes what the journal recorded: it removes from the store every
// quad the journal lists as added (those a failed batch never wrote are skipped) and
// writes back every quad it lists as removed (those still there are skipped), syncs, and
// removes the journal. A rollback cut short by a crash is done again, whole, by the next
// open. It returns how many quads it listed; none when there is no journal.
func (s *Store) RollbackJournal() (int, error) {
	f, err := os.Open(s.path + journalSuffix)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("open the load journal: %w", err)
	}
	defer f.Close()
	if err := s.checkVersion(true); err != nil {
		return 0, err
	}
	s.db.NoSync = true
	var added, removed []graph.Delta
	n := 0
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
	r := bufio.NewReaderSize(f, 1<<20)
	for {
		line, rerr := r.ReadString('\n')
		if rerr != nil && rerr != io.EOF {
			return n, fmt.Errorf("read the load journal: %w", rerr)
		}
		text, wasRemoved := strings.CutPrefix(strings.TrimSuffix(line, "\n"), removedMark)
		// The last line of a journal cut by a crash may be partial: its batch was never
		// applied, and it does not parse.
		if q, ok, err := nquads.ParseLine(text, nquads.Options{}); err == nil && ok {
			n++
			switch {
			case wasRemoved:
				removed = append(removed, graph.Delta{Quad: q, Action: graph.Add})
				if len(removed) == rollbackBatch {
					if err := unremove(); err != nil {
						return n, fmt.Errorf("roll back: %w", err)
					}
				}
			default:
				added = append(added, graph.Delta{Quad: q, Action: graph.Delete})
				if len(added) == rollbackBatch {
					if err := unadd(); err != nil {
						return n, fmt.Errorf("roll back: %w", err)
					}
				}
			}
		}
		if rerr == io.EOF {
			break
		}
	}
	if err := unadd(); err != nil {
		return n, fmt.Errorf("roll back: %w", err)
	}
	if err := unremove(); err != nil {
		return n, fmt.Errorf("roll back: %w", err)
	}
	s.db.NoSync = false
	if err := s.db.Sync(); err != nil {
		return n, fmt.Errorf("sync the store: %w", err)
	}
	return n, os.Remove(s.path + journalSuffix)
}
