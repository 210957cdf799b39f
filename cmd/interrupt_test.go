package cmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// parleyProcess is the test binary started as parley (TestMain) on the store at db.
func parleyProcess(db, tmp string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	c := exec.Command(os.Args[0], append([]string{"--db", db}, args...)...)
	c.Env = append(os.Environ(), "PARLEY_TEST_MAIN=1", "TMPDIR="+tmp, "PARLEY_DB=", "PARLEY_BACKEND=")
	var stderr bytes.Buffer
	c.Stderr = &stderr
	return c, &stderr
}

// writeQuads writes n foreign quads, each with its own subject, from the nth on.
func writeQuads(t *testing.T, path string, from, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := from; i < from+n; i++ {
		fmt.Fprintf(w, "<http://example.org/e%d> <http://example.org/p%d> \"value %d\" .\n", i, i%7, i)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// waitFor waits up to 30 seconds for path to exist.
func waitFor(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s did not appear", path)
}

func quadCount(t *testing.T, db string) string {
	t.Helper()
	c, stderr := parleyProcess(db, t.TempDir(), "stats", "-o", "tsv")
	out, err := c.Output()
	if err != nil {
		t.Fatalf("stats: %v: %s", err, stderr)
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return line
}

// TestInterruptedLoad sends SIGINT and SIGTERM to a load that rebuilds the store (and,
// with PARLEY_LONG_TESTS=1, to one that writes journalled batches into a bigger store),
// and SIGKILL to a stdin load: each interrupted load rolls back, says so and exits 130,
// and the store is as it was; the killed one's spool file is removed by the next load
// that spools (issue 13 §5).
func TestInterruptedLoad(t *testing.T) {
	if os.Getenv("PARLEY_LONG_TESTS") == "" {
		t.Skip("loads hundreds of thousands of quads: set PARLEY_LONG_TESTS=1 (CI does)")
	}
	dir, tmp := t.TempDir(), t.TempDir()
	db := filepath.Join(dir, "parley.db")
	if c, stderr := parleyProcess(db, tmp, "init", "--no-seed"); c.Run() != nil {
		t.Fatalf("init: %s", stderr)
	}
	big := filepath.Join(dir, "big.nq")
	writeQuads(t, big, 0, 300000)

	interrupt := func(sig syscall.Signal, marker string, args ...string) {
		t.Helper()
		before := quadCount(t, db)
		c, stderr := parleyProcess(db, tmp, args...)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, marker)
		c.Process.Signal(sig)
		err := c.Wait()
		var xerr *exec.ExitError
		if !errors.As(err, &xerr) || xerr.ExitCode() != exitInterrupted {
			t.Fatalf("%s: exit %v, want %d: %s", sig, err, exitInterrupted, stderr)
		}
		if !strings.Contains(stderr.String(), "parley: interrupted: nothing was written\n") {
			t.Errorf("%s: stderr %q does not say it was interrupted", sig, stderr)
		}
		if strings.Contains(stderr.String(), "goroutine") {
			t.Errorf("%s: a stack trace: %s", sig, stderr)
		}
		// Before anything opens the store again, which would roll a journal back.
		for _, left := range []string{db + ".journal", db + ".build", db + ".sort"} {
			if _, err := os.Stat(left); err == nil {
				t.Errorf("%s: %s was left behind", sig, left)
			}
		}
		if after := quadCount(t, db); after != before {
			t.Errorf("%s: the store went from %q to %q", sig, before, after)
		}
	}
	// Into an empty store: a rebuild, caught while it sorts the quads for the new file.
	interrupt(syscall.SIGINT, db+".sort", "load", "--allow-unknown", big)
	interrupt(syscall.SIGTERM, db+".sort", "load", "--allow-unknown", big)

	more := filepath.Join(dir, "more.nq")
	writeQuads(t, more, 300000, 250000)
	if os.Getenv("PARLEY_LONG_TESTS") == "1" {
		// Into a bigger store: journalled batches, caught once one is journalled.
		c, stderr := parleyProcess(db, tmp, "load", "--allow-unknown", big)
		if err := c.Run(); err != nil {
			t.Fatalf("load: %v: %s", err, stderr)
		}
		interrupt(syscall.SIGTERM, db+".journal", "load", "--allow-unknown", more)
		interrupt(syscall.SIGINT, db+".journal", "load", "--allow-unknown", more)
	}

	// A stdin load killed outright leaves its spool; the next spooling load removes it.
	c, _ := parleyProcess(db, tmp, "load", "--allow-unknown", "-")
	in, _ := os.Open(more)
	defer in.Close()
	c.Stdin = in
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	spoolGlob := filepath.Join(tmp, "parley-input-*")
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if m, _ := filepath.Glob(spoolGlob); len(m) > 0 || time.Now().After(deadline) {
			break
		}
	}
	c.Process.Kill()
	c.Wait()
	if m, _ := filepath.Glob(spoolGlob); len(m) == 0 {
		t.Fatal("the killed load left no spool file to test with")
	}
	c, stderr := parleyProcess(db, tmp, "load", "--allow-unknown", "-")
	c.Stdin = strings.NewReader("")
	c.Run()
	if m, _ := filepath.Glob(spoolGlob); len(m) > 0 {
		t.Errorf("spool files left after the next load: %v (%s)", m, stderr)
	}
}

// TestBackupAfterKilledLoad kills a load that writes journalled batches (SIGKILL: no
// rollback of its own), then backs the store up: the backup rolls the load back first,
// says so, and copies the store as it was before the load, a store that opens with no
// journal. With the journal damaged, the load cannot be rolled back: the backup is
// refused with the ways out, and no file is written.
func TestBackupAfterKilledLoad(t *testing.T) {
	if os.Getenv("PARLEY_LONG_TESTS") == "" {
		t.Skip("loads hundreds of thousands of quads: set PARLEY_LONG_TESTS=1 (CI does)")
	}
	dir, tmp := t.TempDir(), t.TempDir()
	db := filepath.Join(dir, "parley.db")
	base, more := filepath.Join(dir, "base.nq"), filepath.Join(dir, "more.nq")
	writeQuads(t, base, 0, 250000)
	writeQuads(t, more, 250000, 180000) // two batches: 100,000 quads, then 80,000
	for _, args := range [][]string{{"init", "--no-seed"}, {"load", "--allow-unknown", base}} {
		if c, stderr := parleyProcess(db, tmp, args...); c.Run() != nil {
			t.Fatalf("%s: %s", args[0], stderr)
		}
	}
	before := quadCount(t, db)
	firstBatch := int64(0) // the bytes of the first batch's quads
	for i := 250000; i < 350000; i++ {
		firstBatch += int64(len(fmt.Sprintf("<http://example.org/e%d> <http://example.org/p%d> \"value %d\" .\n", i, i%7, i)))
	}

	kill := func() {
		t.Helper()
		c, _ := parleyProcess(db, tmp, "load", "--allow-unknown", more)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		// Killed once the second batch is journalled: the first is in the store then (a
		// batch is journalled once the one before is written).
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
			if fi, err := os.Stat(db + ".journal"); err == nil && fi.Size() > firstBatch+64<<10 {
				break
			}
		}
		c.Process.Kill()
		c.Wait()
		if _, err := os.Stat(db + ".journal"); err != nil {
			t.Fatal("the killed load left no journal")
		}
	}

	kill()
	copied := filepath.Join(dir, "copy.db")
	c, stderr := parleyProcess(db, tmp, "backup", copied)
	if err := c.Run(); err != nil {
		t.Fatalf("backup: %v: %s", err, stderr)
	}
	if !regexp.MustCompile(`(?m)^parley: rolled back an interrupted load \([1-9][0-9]* quads\) in `).MatchString(stderr.String()) {
		t.Errorf("backup's stderr %q does not say it rolled the load back", stderr)
	}
	for _, f := range []string{db + ".journal", copied + ".journal", copied + ".tmp"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s is left", f)
		}
	}
	if got := quadCount(t, copied); got != before {
		t.Errorf("the backup holds %q, the store before the load %q", got, before)
	}

	// A damaged journal: a byte of its first record's body changed.
	kill()
	f, err := os.OpenFile(db+".journal", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("#"), 200)
	f.Close()
	refused := filepath.Join(dir, "refused.db")
	c, stderr = parleyProcess(db, tmp, "backup", refused)
	err = c.Run()
	var xerr *exec.ExitError
	if !errors.As(err, &xerr) || xerr.ExitCode() != exitError {
		t.Fatalf("backup through a damaged journal: %v, want exit %d: %s", err, exitError, stderr)
	}
	for _, want := range []string{"cannot be rolled back", "parley restore FILE", "removing the journal"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr %q does not say %q", stderr, want)
		}
	}
	for _, f := range []string{refused, refused + ".tmp"} {
		if _, err := os.Stat(f); err == nil {
			t.Errorf("%s was written", f)
		}
	}
}
