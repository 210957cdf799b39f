package cmd

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// TestMain lets the script tests run parley (and helpers) as commands of the test binary.
func TestMain(m *testing.M) {
	if os.Getenv("PARLEY_TEST_MAIN") == "1" { // the test binary as parley, for tests of signals
		os.Exit(Main())
	}
	testscript.Main(m, map[string]func(){
		"parley":   func() { os.Exit(Main()) },
		"holdlock": holdLock,
		"waitfile": waitFile,
		"holdread": holdRead,
		"dropkey":  dropKey,
		"scribble": scribble,
	})
}

// TestScripts runs the end-to-end scripts in testdata/script over the real binary, on the
// embedded store at the default location, $XDG_DATA_HOME/parley/parley.db (under $WORK),
// which is created on first use. UPDATE=1 rewrites their golden output.
func TestScripts(t *testing.T) {
	testscript.Run(t, scriptParams(graph.BackendBolt, func(env *testscript.Env) error {
		env.Setenv("XDG_DATA_HOME", env.WorkDir)
		return nil
	}))
}

// TestScriptsPostgres runs the same scripts with every command on PostgreSQL, each script
// in a schema of its own. Scripts about the embedded store's file and locks are marked
// [bolt] and skipped here.
func TestScriptsPostgres(t *testing.T) {
	base := graphtest.PostgresBase(t)
	testscript.Run(t, scriptParams(graph.BackendPostgres, func(env *testscript.Env) error {
		addr, drop, err := graphtest.NewPostgresSchema(base)
		if err != nil {
			return err
		}
		env.Defer(drop)
		env.Setenv("PARLEY_BACKEND", graph.BackendPostgres)
		env.Setenv("PARLEY_ADDRESS", addr)
		return nil
	}))
}

// scriptParams are the script tests' settings for one backend; setup adds the store's.
func scriptParams(backend string, setup func(*testscript.Env) error) testscript.Params {
	return testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: os.Getenv("UPDATE") != "",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("XDG_DATA_HOME", "")
			env.Setenv("PARLEY_DB", "")
			env.Setenv("PARLEY_BACKEND", "")
			env.Setenv("PARLEY_ADDRESS", "")
			env.Setenv("PARLEY_FORCE_TTY", "")
			return setup(env)
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case graph.BackendBolt, graph.BackendPostgres:
				return cond == backend, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	}
}

// holdLock (holdlock FILE SECONDS MARKER) opens a bolt file for writing, which takes its
// exclusive lock, creates MARKER, and holds the lock for SECONDS.
func holdLock() { hold("holdlock", false) }

// holdRead (holdread FILE SECONDS MARKER) opens a bolt file read-only, which takes a
// shared lock as parley's readers do, and holds it in a read transaction for SECONDS once
// MARKER is created.
func holdRead() { hold("holdread", true) }

// hold opens the bolt file os.Args[1] (read-only: in a read transaction), creates the
// marker os.Args[3], and holds the file for os.Args[2] seconds.
func hold(name string, read bool) {
	if len(os.Args) != 4 {
		fmt.Fprintf(os.Stderr, "usage: %s FILE SECONDS MARKER\n", name)
		os.Exit(2)
	}
	secs, err := strconv.ParseFloat(os.Args[2], 64)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	db, err := bolt.Open(os.Args[1], 0o644, &bolt.Options{Timeout: 10 * time.Second, ReadOnly: read})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	if read {
		tx, err := db.Begin(false)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer tx.Rollback()
	}
	if err := os.WriteFile(os.Args[3], nil, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	time.Sleep(time.Duration(secs * float64(time.Second)))
}

// dropKey (dropkey FILE BUCKET) deletes the first key of a bucket of a bolt file, behind
// parley's back: an index entry gone, say.
func dropKey() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: dropkey FILE BUCKET")
		os.Exit(2)
	}
	db, err := bolt.Open(os.Args[1], 0o644, &bolt.Options{Timeout: 10 * time.Second})
	if err == nil {
		err = db.Update(func(tx *bolt.Tx) error {
			b := tx.Bucket([]byte(os.Args[2]))
			if b == nil {
				return fmt.Errorf("no bucket %s", os.Args[2])
			}
			k, _ := b.Cursor().First()
			return b.Delete(k)
		})
	}
	if err == nil {
		err = db.Close()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// scribble (scribble FILE TEXT) overwrites every 4096-byte page of FILE that holds TEXT
// with a byte repeated: a page of the store's log damaged where it holds a given node.
func scribble() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: scribble FILE TEXT")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err == nil && !bytes.Contains(data, []byte(os.Args[2])) {
		err = fmt.Errorf("%s does not hold %q", os.Args[1], os.Args[2])
	}
	for from := 0; err == nil; {
		i := bytes.Index(data[from:], []byte(os.Args[2]))
		if i < 0 {
			break
		}
		page := (from + i) / 4096 * 4096
		from = min(page+4096, len(data))
		copy(data[page:from], bytes.Repeat([]byte{0x5a}, 4096))
	}
	if err == nil {
		err = os.WriteFile(os.Args[1], data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// waitFile (waitfile FILE) waits up to 10 seconds for FILE to exist.
func waitFile() {
	for i := 0; i < 1000; i++ {
		if _, err := os.Stat(os.Args[1]); err == nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "waitfile: %s did not appear\n", os.Args[1])
	os.Exit(1)
}
