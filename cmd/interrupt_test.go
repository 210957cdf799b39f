package cmd

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

func quadCount(t *testing.T, db, tmp string) string {
	t.Helper()
	c, stderr := parleyProcess(db, tmp, "stats", "-o", "tsv")
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
	if testing.Short() {
		t.Skip("loads hundreds of thousands of quads")
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
		before := quadCount(t, db, tmp)
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
		if after := quadCount(t, db, tmp); after != before {
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
