package cmd

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestQueryLimitsExit: query and export --query stop at --timeout and --max-memory with a
// clear error and exit 1, soon; no stack trace reaches the user.
func TestQueryLimitsExit(t *testing.T) {
	db := filepath.Join(t.TempDir(), "seed.db")
	mustRun(t, "--db", db, "init")
	const growth = `var a = []; while (true) { a.push("a string long enough to fill memory fast " + a.length) }`
	for _, tc := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"query", "--timeout", "500ms", "while(true){}"}, "the query ran past its time limit of 500ms (--timeout sets it; 0 for none)"},
		{[]string{"query", "--timeout", "0", "--max-memory", "48MiB", growth}, "the query grew past its memory budget of 48 MiB (--max-memory sets it; 0 for none)"},
		{[]string{"export", "--timeout", "500ms", "--query", "while(true){}"}, "--query: gizmo query: the query ran past its time limit of 500ms"},
		{[]string{"export", "--max-memory", "48MiB", "--query", growth}, "the query grew past its memory budget of 48 MiB"},
	} {
		start := time.Now()
		code, _, stderr := runParley(append([]string{"--db", db}, tc.args...)...)
		took := time.Since(start)
		if code != 1 || !strings.Contains(stderr, tc.stderr) || strings.Contains(stderr, "goroutine ") || took > 20*time.Second {
			t.Errorf("%v: exit %d after %s, stderr %q; want 1 and %q", tc.args, code, took.Round(time.Millisecond), stderr, tc.stderr)
		}
	}
}

// TestQueryFileBounded: a query file is read up to 1 MiB; a device is not read at all.
func TestQueryFileBounded(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "seed.db")
	mustRun(t, "--db", db, "init")
	big := filepath.Join(dir, "big.js")
	if err := os.WriteFile(big, make([]byte, maxQueryBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for file, want := range map[string]string{
		"/dev/zero": "read query /dev/zero: not a regular file or a pipe",
		big:         "larger than 1 MiB: not a query",
	} {
		code, _, stderr := runParley("--db", db, "query", "-f", file)
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("query -f %s: exit %d, stderr %q; want 1 and %q", file, code, stderr, want)
		}
	}
}

// TestLoadNothingUnnamed: load opens no JSON-LD context the data names (a loopback server
// gets no request; a FIFO and /etc/passwd are not opened), reads a pipe once, and refuses
// a device, each with a clear message.
func TestLoadNothingUnnamed(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "seed.db")
	mustRun(t, "--db", db, "init")
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var requests atomic.Int64
	srv := &http.Server{ReadTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Write([]byte(`{"@context": {}}`))
	})}
	go srv.Serve(l)
	defer srv.Close()
	fifo := filepath.Join(dir, "ctx.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []string{"http://" + l.Addr().String() + "/c.jsonld", fifo, "/etc/passwd"} {
		doc := filepath.Join(dir, "doc.jsonld")
		os.WriteFile(doc, []byte(`{"@context": "`+ctx+`",
 "@id": "https://w3id.org/parley/x", "http://www.w3.org/2000/01/rdf-schema#label": "X"}`), 0o644)
		done := make(chan struct{})
		var code int
		var stderr string
		go func() {
			defer close(done)
			code, _, stderr = runParley("--db", db, "load", doc)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("load with @context %s hangs", ctx)
		}
		if code != 3 || !strings.Contains(stderr, "doc.jsonld:1: @context") || !strings.Contains(stderr, "--allow-context") {
			t.Errorf("@context %s: exit %d, stderr %q; want 3 and the context refused at doc.jsonld:1", ctx, code, stderr)
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the loopback server got %d requests, want 0", n)
	}
	code, _, stderr := runParley("--db", db, "load", "/dev/zero")
	if code != 1 || !strings.Contains(stderr, "read /dev/zero: a character device") {
		t.Errorf("load /dev/zero: exit %d, stderr %q", code, stderr)
	}
}
