package cmd

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScribbledStoreAnswers scribbles over eight pages at once of copies of a seeded store
// and asks each a question: the answer is the undamaged store's, or the command fails
// with exit 1 and one line saying the store is damaged. A read that met damage and took
// it for an absence (a name not found, say) must not pass for an answer (issue 13 §3).
func TestScribbledStoreAnswers(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "p.db")
	mustRun(t, "--db", db, "init")
	args := []string{"match", "Putin", "demands", "_"}
	want := mustRun(t, append([]string{"--db", db}, args...)...)
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	// The pages in use: the high-water mark of the newer meta page.
	used := max(binary.LittleEndian.Uint64(data[16+40:]), binary.LittleEndian.Uint64(data[4096+16+40:]))
	copies := 60
	if os.Getenv("PARLEY_LONG_TESTS") != "" {
		copies = 200
	}
	rnd := rand.New(rand.NewSource(15))
	answered, refused := 0, 0
	for c := range copies {
		b := append([]byte(nil), data...)
		for range 8 {
			pg := 2 + rnd.Int63n(int64(used)-2)
			rnd.Read(b[pg*4096 : pg*4096+4096])
		}
		p := filepath.Join(t.TempDir(), "p.db")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errOut bytes.Buffer
		io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
		switch code := run(context.Background(), append([]string{"--db", p}, args...), io, func(string) string { return "" }); code {
		case exitOK:
			answered++
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("copy %d: exit 0 with another answer than the undamaged store's:\n%s", c, out.String())
			}
		case exitError:
			refused++
			if last := strings.TrimSpace(errOut.String()); !strings.Contains(last, "is damaged (") || strings.Contains(last, "goroutine ") {
				t.Errorf("copy %d: exit 1 with %q; want one line saying the store is damaged", c, last)
			}
		default:
			t.Errorf("copy %d: exit %d: %s", c, code, errOut.String())
		}
	}
	t.Logf("%d copies: %d answered as the undamaged store, %d refused", copies, answered, refused)
}
