package cmd

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley/parley/graph/graphtest"
	"github.com/rogpeppe/go-internal/txtar"
	bolt "go.etcd.io/bbolt"
)

// storeState is what a store holds, for comparing: a digest of its export, sorted, and
// its count of quads; "none" when there is no store.
func storeState(t *testing.T, db string) string {
	t.Helper()
	if _, err := os.Stat(db); err != nil {
		return "none"
	}
	out := mustRun(t, "--db", db, "export")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	slices.Sort(lines)
	return fmt.Sprintf("%d quads %x", len(lines), sha256.Sum256([]byte(strings.Join(lines, "\n"))))
}

// listFiles lists the files under dir, less the state files a writer leaves (a record
// of the store's state, written whenever a writer closes it).
func listFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".state") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// copyDir copies the files of a fixture into a new directory.
func copyDir(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		src, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		dst, err := os.Create(filepath.Join(to, rel))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			t.Fatal(err)
		}
		return dst.Close()
	})
	return to
}

// scriptFiles writes the named files of a script test's archive into dir.
func scriptFiles(t *testing.T, script, dir string, names ...string) {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("testdata", "script", script))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		i := slices.IndexFunc(a.Files, func(f txtar.File) bool { return f.Name == name })
		if i < 0 {
			t.Fatalf("%s has no file %s", script, name)
		}
		if err := os.WriteFile(filepath.Join(dir, name), a.Files[i].Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runAt runs a command line in dir (its arguments may name $DIR) with ctx, and returns
// its exit code and stderr.
func runAt(ctx context.Context, dir, stdin string, args []string) (int, string) {
	var out, errOut bytes.Buffer
	full := make([]string, len(args))
	for i, a := range args {
		full[i] = strings.ReplaceAll(a, "$DIR", dir)
	}
	env := func(k string) string {
		if k == "XDG_DATA_HOME" {
			return dir
		}
		return ""
	}
	code := run(ctx, full, &IOStreams{In: strings.NewReader(stdin), Out: &out, ErrOut: &errOut}, env)
	return code, errOut.String()
}

// TestInterruptAtEveryPoint interrupts each command that writes, in process, at many of
// the points where it consults its context (where Ctrl-C takes effect), from the first
// to the last: each time, either the command was done before the interrupt took effect
// (exit 0, the store as an uninterrupted run leaves it), or it says "interrupted:
// nothing was written", exits 130, and the store is as it was, no file beside it left.
// Readers that write a file say only "interrupted" and leave no file. It also checks
// that each command is interrupted at some point, so that none passes by finishing
// every time.
func TestInterruptAtEveryPoint(t *testing.T) {
	if os.Getenv("PARLEY_LONG_TESTS") == "" {
		t.Skip("runs each writing command some thirty times: set PARLEY_LONG_TESTS=1 (CI does)")
	}
	seeded := t.TempDir()
	db := filepath.Join(seeded, "p.db")
	mustRun(t, "--db", db, "init")
	scriptFiles(t, "replace.txtar", seeded, "wire.yaml", "wire-v2.yaml", "other.yaml")
	scriptFiles(t, "draft_review.txtar", seeded, "article.txt")
	writeQuads(t, filepath.Join(seeded, "foreign.nq"), 0, 3000)
	writeQuads(t, filepath.Join(seeded, "more.nq"), 3000, 20000)
	mustRun(t, "--db", db, "load", filepath.Join(seeded, "wire.yaml"))
	mustRun(t, "--db", db, "load", "--allow-unknown", filepath.Join(seeded, "foreign.nq"))
	mustRun(t, "--db", filepath.Join(seeded, "backup.db"), "init", "--no-seed")
	// A store whose indexes another program emptied, for check --repair.
	stale := filepath.Join(t.TempDir(), "stale")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", filepath.Join(stale, "p.db"), "init")
	staleIndexes(t, filepath.Join(stale, "p.db"))

	fact := []string{"--db", "$DIR/p.db", "add", "Kallas", "rejects", "peacekeeping forces", "--evidence", "Kallas said no.", "--source", "Example wire, 19 March 2025"}
	cases := []struct {
		name    string
		fixture string // copied for each run
		args    []string
		stdin   string
		writes  bool   // a writer: "nothing was written"; else just "interrupted"
		made    string // a file the command makes, which an interrupt must not leave
	}{
		{name: "init-force", fixture: seeded, args: []string{"--db", "$DIR/p.db", "init", "--force"}, writes: true},
		{name: "init-force-no-seed", fixture: seeded, args: []string{"--db", "$DIR/p.db", "init", "--force", "--no-seed"}, writes: true},
		{name: "init-new", fixture: seeded, args: []string{"--db", "$DIR/new.db", "init"}, writes: true},
		{name: "first-use", fixture: seeded, args: []string{"stats"}, made: "parley/parley.db"},
		{name: "load-nq", fixture: seeded, args: []string{"--db", "$DIR/p.db", "load", "--allow-unknown", "$DIR/more.nq"}, writes: true},
		{name: "load-rebuild", fixture: seeded, args: []string{"--db", "$DIR/backup.db", "load", "--allow-unknown", "$DIR/more.nq"}, writes: true},
		{name: "load-sheet", fixture: seeded, args: []string{"--db", "$DIR/p.db", "load", "$DIR/other.yaml"}, writes: true},
		{name: "load-replace", fixture: seeded, args: []string{"--db", "$DIR/p.db", "load", "--replace", "$DIR/wire-v2.yaml"}, writes: true},
		{name: "unload-file", fixture: seeded, args: []string{"--db", "$DIR/p.db", "unload", "$DIR/foreign.nq"}, writes: true},
		{name: "unload-source", fixture: seeded, args: []string{"--db", "$DIR/p.db", "unload", "--source", "src-example-wire"}, writes: true},
		{name: "add", fixture: seeded, args: fact, writes: true},
		{name: "restore", fixture: seeded, args: []string{"--db", "$DIR/p.db", "restore", "$DIR/backup.db"}, writes: true},
		{name: "check-repair", fixture: stale, args: []string{"--db", "$DIR/p.db", "check", "--repair"}, writes: true},
		{name: "draft-review-load", fixture: seeded, args: []string{"--db", "$DIR/p.db", "draft", "$DIR/article.txt", "--source", "Example wire 3", "--published", "2025-03-20", "--review", "--load"}, stdin: strings.Repeat("a\n", 20), writes: true},
		{name: "export-file", fixture: seeded, args: []string{"--db", "$DIR/p.db", "export", "-f", "$DIR/out.nq"}, made: "out.nq"},
		{name: "backup", fixture: seeded, args: []string{"--db", "$DIR/p.db", "backup", "$DIR/copy.db"}, made: "copy.db"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := filepath.Join(c.fixture, "p.db")
			if c.name == "first-use" {
				store = filepath.Join(c.fixture, "parley", "parley.db")
			} else if c.name == "init-new" {
				store = filepath.Join(c.fixture, "new.db")
			} else if c.name == "load-rebuild" {
				store = filepath.Join(c.fixture, "backup.db")
			}
			rel, _ := filepath.Rel(c.fixture, store)
			before := storeState(t, store)
			files := listFiles(t, c.fixture)

			dir := copyDir(t, c.fixture)
			ref := graphtest.NewCountdown(0)
			if code, stderr := runAt(ref, dir, c.stdin, c.args); code != 0 {
				t.Fatalf("uninterrupted: exit %d: %s", code, stderr)
			}
			after := storeState(t, filepath.Join(dir, rel))
			total := ref.Consulted()

			interrupted, done := 0, 0
			for _, n := range graphtest.Points(total) {
				dir := copyDir(t, c.fixture)
				ctx := graphtest.NewCountdown(n)
				code, stderr := runAt(ctx, dir, c.stdin, c.args)
				ctx.Stop()
				state := storeState(t, filepath.Join(dir, rel))
				switch code {
				case exitOK:
					done++
					if state != after {
						t.Errorf("at %d of %d: done, but the store is %s, not %s", n, total, state, after)
					}
				case exitInterrupted:
					interrupted++
					want := "parley: interrupted\n"
					if c.writes {
						want = "parley: interrupted: nothing was written\n"
					}
					if !strings.HasSuffix(stderr, want) {
						t.Errorf("at %d of %d: stderr %q, want it to end %q", n, total, stderr, want)
					}
					if state != before {
						t.Errorf("at %d of %d: interrupted, and the store went from %s to %s", n, total, before, state)
					}
					if left := listFiles(t, dir); !slices.Equal(left, files) {
						t.Errorf("at %d of %d: interrupted, and the files went from %v to %v", n, total, files, left)
					}
				default:
					t.Errorf("at %d of %d: exit %d: %s", n, total, code, stderr)
				}
			}
			t.Logf("%s: consults its context %d times; interrupted at %d points: %d times the store as before, %d times done first", c.name, total, len(graphtest.Points(total)), interrupted, done)
			if interrupted == 0 {
				t.Errorf("never interrupted at %d points of %d", len(graphtest.Points(total)), total)
			}
		})
	}
}

// staleIndexes drops an entry of the store's name index, as another program might, so
// that check finds the index unsound and check --repair rebuilds it.
func staleIndexes(t *testing.T, db string) {
	t.Helper()
	b, err := bolt.Open(db, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = b.Update(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket([]byte("parley.names")).Cursor().First()
		return tx.Bucket([]byte("parley.names")).Delete(k)
	})
	if e := b.Close(); err == nil {
		err = e
	}
	if err != nil {
		t.Fatal(err)
	}
}
