package cmd

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestDraftReviewTerminal drives draft --review through a real pseudo-terminal: each
// answer is one keypress, with no newline (the terminal is in raw mode), and an edit is
// a line typed in the terminal's own mode. The process is this test binary, running
// parley's Main on the terminal when PARLEY_PTY_ARGS is set.
func TestDraftReviewTerminal(t *testing.T) {
	if args := os.Getenv("PARLEY_PTY_ARGS"); args != "" {
		os.Exit(run(context.Background(), strings.Split(args, "\n"), systemIO(), os.Getenv))
	}
	dir := t.TempDir()
	article := "Kaja Kallas rejected Russia’s new demands.\nHowever, Russia has rejected peacekeeping forces.\nKeir Starmer dismissed Russia’s new demands.\n"
	if err := os.WriteFile(filepath.Join(dir, "article.txt"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDraftReviewTerminal$")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"PARLEY_PTY_ARGS="+strings.Join([]string{"draft", "article.txt", "--source", "Example wire", "--published", "2025-03-20", "--review", "-o", "wire.yaml"}, "\n"),
		"PARLEY_DB=", "HOME="+dir, "XDG_DATA_HOME="+dir)
	tty, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	defer tty.Close()
	screen := &transcript{}
	go screen.copy(tty)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	prompt := "(q)uit? "
	screen.waitFor(t, prompt, 1)
	tty.Write([]byte("a")) // a key alone: read in raw mode, no Enter
	screen.waitFor(t, prompt, 2)
	tty.Write([]byte("e"))
	screen.waitFor(t, "fact> ", 1)
	tty.Write([]byte("Russia opposes \"Peacekeepers to monitor a ceasefire\"\n"))
	screen.waitFor(t, prompt, 3)
	tty.Write([]byte("r"))
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("parley exited: %v\n%s", err, screen)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("parley did not finish:\n%s", screen)
	}
	// The last lines may still be on their way out of the terminal when the process ends.
	screen.waitFor(t, "reviewed: ", 1)
	out := screen.String()
	for _, want := range []string{
		"[1/3] “Kaja Kallas rejected Russia’s new demands.”\r\n",
		"(a)ccept (r)eject (e)dit (s)kip (q)uit? a\r\n",
		"reviewed: 1 accepted, 1 edited, 1 rejected, 0 skipped, 0 not reviewed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the terminal lacks %q:\n%s", want, out)
		}
	}
	sheet, err := os.ReadFile(filepath.Join(dir, "wire.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`"Kaja Kallas" rejects "Russia’s new demands"`,
		`Russia opposes "Peacekeepers to monitor a ceasefire" # edited in review; proposed: Russia rejects`,
	} {
		if !bytes.Contains(sheet, []byte(want)) {
			t.Errorf("the sheet lacks %q:\n%s", want, sheet)
		}
	}
	if bytes.Contains(sheet, []byte("dismisses")) {
		t.Errorf("the rejected fact is in the sheet:\n%s", sheet)
	}
}

// transcript is what a pseudo-terminal shows, read as it comes.
type transcript struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *transcript) copy(tty *os.File) {
	b := make([]byte, 4096)
	for {
		n, err := tty.Read(b)
		s.mu.Lock()
		s.buf.Write(b[:n])
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

func (s *transcript) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the terminal has shown text n times.
func (s *transcript) waitFor(t *testing.T, text string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for strings.Count(s.String(), text) < n {
		if time.Now().After(deadline) {
			t.Fatalf("the terminal never showed %q %d times:\n%s", text, n, s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
