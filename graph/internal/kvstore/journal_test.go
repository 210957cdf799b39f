package kvstore

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
)

// quadSet reads every quad of the store at path.
func quadSet(t *testing.T, path string) map[quad.Quad]bool {
	t.Helper()
	s, err := Open(path, Options{Timeout: 5 * time.Second}) // a writable open does not roll back by itself
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[quad.Quad]bool{}
	if err := s.EachQuad(context.Background(), func(q quad.Quad) error { out[q] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// interruptedLoad makes a seeded store and leaves in it a load a crash interrupted: a
// batch of 50 new quads and a replace's removal of 5 seed quads, both applied, the
// journal left. It returns the store's path and its quads before the load.
func interruptedLoad(t *testing.T) (string, map[quad.Quad]bool) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kv.db")
	s := create(t, path)
	seedq := seedQuads(t)
	build(t, s, seedq)
	s.Close()
	before := quadSet(t, path)
	s = open(t, path)
	j, err := s.StartJournal()
	if err != nil {
		t.Fatal(err)
	}
	var deltas []graph.Delta
	for i := 0; i < 50; i++ {
		q := parse(t, fmt.Sprintf("<j%d> <jp> <j%d> .\n", i, i+1))[0]
		deltas = append(deltas, graph.Delta{Quad: q, Action: graph.Add})
	}
	b, err := Prepare(deltas)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.WriteBatch(b, 0, j.Record); err != nil {
		t.Fatal(err)
	}
	gone := distinct(seedq, nil)[:5]
	if err := j.RecordRemoved(gone); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(deletes(gone), false); err != nil {
		t.Fatal(err)
	}
	crash(s) // the journal stays, the meta pages on different data
	if got := len(quadSet(t, path)); got != len(before)+50-5 {
		t.Fatalf("the interrupted load left %d quads, want %d", got, len(before)+45)
	}
	// An open that wrote nothing (quadSet's) leaves the file as the crash did.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if m := readMetas(f); m[0].root == m[1].root {
		t.Fatalf("after the crash and an open that wrote nothing, both meta pages are on the same data: %+v", m)
	}
	return path, before
}

// crash lets the store go as a killed process would: the file closed, nothing more
// written (no state record, no meta pages left on the same data).
func crash(s *Store) {
	s.closed = true
	if s.qs != nil {
		s.qs.Close()
	}
	s.db.Close()
}

func deletes(quads []quad.Quad) []graph.Delta {
	out := make([]graph.Delta, len(quads))
	for i, q := range quads {
		out[i] = graph.Delta{Quad: q, Action: graph.Delete}
	}
	return out
}

// copyStore copies a store and its journal into a new directory.
func copyStore(t *testing.T, path string) string {
	t.Helper()
	to := filepath.Join(t.TempDir(), "kv.db")
	copyFile(t, path, to)
	if _, err := os.Stat(path + journalSuffix); err == nil {
		copyFile(t, path+journalSuffix, to+journalSuffix)
	}
	return to
}

// TestJournalTornRecordRollsBack: a record a crash cut short after the applied ones is
// ignored, and the rest is rolled back.
func TestJournalTornRecordRollsBack(t *testing.T) {
	path, before := interruptedLoad(t)
	for _, tail := range []string{"", "@ 3 2 200 deadbeef\n<t1> <p> ", "@ 3 2", "@ 3 1 18 00000000\n<t1> <p> <t2> .\n"} {
		p := copyStore(t, path)
		f, err := os.OpenFile(p+journalSuffix, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString(tail)
		f.Close()
		s := open(t, p)
		n, err := s.RollbackJournal()
		s.Close()
		if err != nil || n != 55 {
			t.Errorf("tail %q: RollbackJournal = %d, %v; want 55 quads rolled back", tail, n, err)
		}
		if got := quadSet(t, p); len(got) != len(before) {
			t.Errorf("tail %q: %d quads after the rollback, want %d", tail, len(got), len(before))
		}
		if HasJournal(p) {
			t.Errorf("tail %q: journal left", tail)
		}
	}
}

// TestJournalDamageRefused damages the journal of an interrupted load in each way a disk
// or a hand might: every open that would roll it back refuses before anything changes,
// saying how to recover, and a read-only open passes only when asked to.
func TestJournalDamageRefused(t *testing.T) {
	path, _ := interruptedLoad(t)
	journal, err := os.ReadFile(path + journalSuffix)
	if err != nil {
		t.Fatal(err)
	}
	header := journal[:strings.IndexByte(string(journal), '\n')+1]
	first := len(header) + strings.IndexByte(string(journal[len(header):]), '\n') + 1 // the first record's body
	rnd := rand.New(rand.NewSource(13))
	for _, c := range []struct {
		name   string
		damage func([]byte) []byte // nil: delete the journal
	}{
		{"truncated mid-record", func(b []byte) []byte { return b[:first+40] }},
		{"truncated at half", func(b []byte) []byte { return b[:len(b)/2] }},
		{"truncated to its header", func(b []byte) []byte { return b[:len(header)] }},
		{"one byte of a quad changed", func(b []byte) []byte { b[first+3] ^= 0x01; return b }},
		{"one byte of a record header changed", func(b []byte) []byte { b[len(header)+2]++; return b }},
		{"one byte of the journal header changed", func(b []byte) []byte { b[len(header)-3] ^= 0x04; return b }},
		{"last byte changed", func(b []byte) []byte { b[len(b)-2] ^= 0x20; return b }},
		{"emptied", func([]byte) []byte { return nil }},
		{"random bytes", func(b []byte) []byte { rnd.Read(b); return b }},
		{"NULs", func(b []byte) []byte { return make([]byte, len(b)) }},
		{"NULs after the header", func(b []byte) []byte { clear(b[len(header):]); return b }},
		{"deleted", nil},
		{"a line that does not read back", func([]byte) []byte {
			body := "<a{b> <p> <c> .\n"
			head := recordHead(1, 1, len(body))
			crc := crc32.Update(crc32.Update(0, crcTable, []byte(head)), crcTable, []byte(body))
			return fmt.Appendf(append([]byte(nil), header...), "@ %s %08x\n%s", strings.TrimSuffix(head, "\n"), crc, body)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := copyStore(t, path)
			if c.damage == nil {
				os.Remove(p + journalSuffix)
			} else if err := os.WriteFile(p+journalSuffix, c.damage(append([]byte(nil), journal...)), 0o600); err != nil {
				t.Fatal(err)
			}
			files := []string{p, p + journalSuffix}
			before := readFiles(t, files...)
			var jerr *JournalError
			s := open(t, p)
			_, err := s.RollbackJournal()
			s.Close()
			if !errors.As(err, &jerr) || !strings.Contains(err.Error(), "restore a backup") {
				t.Errorf("RollbackJournal = %v; want a *JournalError saying how to recover", err)
			}
			if _, err := Open(p, Options{ReadOnly: true}); !errors.As(err, &jerr) {
				t.Errorf("read-only Open = %v; want the *JournalError", err)
			}
			ro, err := Open(p, Options{ReadOnly: true, AllowInterrupted: true})
			if err != nil || ro.Damage() == nil {
				t.Errorf("read-only Open allowing it = %v (damage %v); want it open, with the damage", err, ro.Damage())
			}
			if ro != nil {
				ro.Close()
			}
			for i, f := range files {
				if after := readFiles(t, f)[0]; after != before[i] {
					t.Errorf("%s changed after the refusal (%d bytes before, %d after)", f, len(before[i]), len(after))
				}
			}
		})
	}
}
