package cmd

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/parley/parley/graph"
)

// TestProgressBar draws the bar only on a terminal that can redraw a line, and ends its
// line before any other message on stderr.
func TestProgressBar(t *testing.T) {
	clock := time.Unix(0, 0)
	newDepsFor := func(term string, errTTY bool) (*deps, *bytes.Buffer) {
		var errOut bytes.Buffer
		d := newDeps(&IOStreams{Out: &bytes.Buffer{}, ErrOut: &errOut, ErrTTY: errTTY}, func(k string) string {
			if k == "TERM" {
				return term
			}
			return ""
		})
		d.now = func() time.Time { clock = clock.Add(time.Second); return clock }
		return d, &errOut
	}
	load := func(d *deps) {
		p := d.progress()
		p.update(graph.Progress{Phase: graph.PhaseWrite, Quads: 1000, Bytes: 10, Total: 100})
		d.io.Progressf("a warning\n")
		p.update(graph.Progress{Phase: graph.PhaseWrite, Quads: 2000, Bytes: 20, Total: 100})
		p.done()
		d.io.Progressf("loaded: 2000 quads\n")
	}

	d, errOut := newDepsFor("xterm", true)
	load(d)
	got := errOut.String()
	if !strings.Contains(got, "1000 quads") {
		t.Fatalf("no bar on a terminal: %q", got)
	}
	// Every message starts a line: the bar before it is cleared.
	for _, msg := range []string{"a warning\n", "loaded: 2000 quads\n"} {
		i := strings.Index(got, msg)
		if i < len(clearLine) || got[i-len(clearLine):i] != clearLine {
			t.Errorf("%q does not follow a cleared line: %q", msg, got)
		}
	}

	for _, c := range []struct {
		term   string
		errTTY bool
	}{{"dumb", true}, {"xterm", false}} {
		d, errOut := newDepsFor(c.term, c.errTTY)
		load(d)
		if want := "a warning\nloaded: 2000 quads\n"; errOut.String() != want {
			t.Errorf("TERM=%s, terminal %v: stderr %q, want the messages alone %q", c.term, c.errTTY, errOut.String(), want)
		}
	}
}
