package cmd

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/spf13/cobra"
)

// TestHelpExamples runs every "$ parley ..." line of every command's Example, in command
// order, against one store in a folder holding the files the examples name
// (testdata/examples). Each must exit 0.
func TestHelpExamples(t *testing.T) {
	var lines []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, l := range strings.Split(c.Example, "\n") {
			if l = strings.TrimSpace(l); strings.HasPrefix(l, "$ ") {
				lines = append(lines, strings.TrimPrefix(l, "$ "))
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd(newDeps(&IOStreams{}, os.Getenv)))
	if len(lines) < 10 {
		t.Fatalf("found only %d examples", len(lines))
	}
	var script strings.Builder
	for _, l := range lines {
		if !strings.Contains(l, "parley ") {
			t.Errorf("example %q does not run parley", l)
		}
		fmt.Fprintf(&script, "exec sh -c %s\n", scriptQuote(l))
	}
	runGenerated(t, "examples", script.String(), "testdata/examples", "")
}

// TestReadmeExamples runs every command of the README's console blocks, in a folder laid
// out as the clone's root is for the files they name (cmd/testdata/examples/...). A line
// "$ cmd" runs cmd (with "go run ." meaning parley); the lines after it, up to the next
// command or the end of the block, are its expected stdout. "go test" lines are this very
// run and are skipped. The files the examples create must be ignored by .gitignore.
func TestReadmeExamples(t *testing.T) {
	f, err := os.Open("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var script strings.Builder
	var files []txtar.File
	in := false
	var cmd string
	var want []string
	flush := func() {
		if cmd == "" {
			return
		}
		n := len(files)
		if strings.Contains(cmd, "| ") {
			// A pipe's stdout is no terminal: format as parley would there.
			fmt.Fprintf(&script, "env PARLEY_FORCE_TTY=0\nexec sh -c %s\nenv PARLEY_FORCE_TTY=1\n", scriptQuote(cmd))
		} else {
			fmt.Fprintf(&script, "exec sh -c %s\n", scriptQuote(cmd))
		}
		if strings.HasPrefix(cmd, "parley query") || len(want) > 0 {
			name := fmt.Sprintf("want%d", n)
			fmt.Fprintf(&script, "cmp stdout %s\n", name)
			files = append(files, txtar.File{Name: name, Data: []byte(strings.Join(want, "\n") + "\n")})
		}
		cmd, want = "", nil
	}
	sc := bufio.NewScanner(f)
	goRun := regexp.MustCompile(`^go run \.( |$)`)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "```console"):
			in = true
		case in && strings.HasPrefix(line, "```"):
			flush()
			in = false
		case in && strings.HasPrefix(line, "$ "):
			flush()
			cmd = strings.TrimPrefix(line, "$ ")
			if strings.HasPrefix(cmd, "go test") || strings.HasPrefix(cmd, "git clone") || strings.HasPrefix(cmd, "cd ") || strings.HasPrefix(cmd, "go install") {
				cmd = ""
				continue
			}
			cmd = goRun.ReplaceAllString(cmd, "parley ")
		case in && cmd != "":
			want = append(want, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if script.Len() == 0 {
		t.Fatal("the README has no console examples")
	}
	script.WriteString("[exec:git] exec git init -q\n[exec:git] exec git status --porcelain --untracked-files=all\n[exec:git] ! stdout .\n")
	runGenerated(t, "readme", "env PARLEY_FORCE_TTY=1\n"+script.String(), "testdata/examples", "cmd/testdata/examples/", append(files, gitignore(t))...)
}

// gitignore is the clone's .gitignore, for the check that the README's examples leave no
// file git would see. The check adds rules of its own for what is the clone's or the
// test's, not the examples': the example files, the expected outputs, the test's home
// (where the default store is) and temporary folder.
func gitignore(t *testing.T) txtar.File {
	data, err := os.ReadFile("../.gitignore")
	if err != nil {
		t.Fatal(err)
	}
	return txtar.File{Name: ".gitignore", Data: append(data, "/cmd/testdata/\n/want*\n/.gitignore\n/.local/\n/.tmp/\n"...)}
}

// runGenerated runs a generated testscript with the files of dir beside it, under prefix.
func runGenerated(t *testing.T, name, script, dir, prefix string, extra ...txtar.File) {
	t.Helper()
	ar := &txtar.Archive{Comment: []byte(script), Files: extra}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		ar.Files = append(ar.Files, txtar.File{Name: prefix + e.Name(), Data: data})
	}
	tmp := t.TempDir()
	if err := os.WriteFile(filepath.Join(tmp, name+".txtar"), txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: tmp,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("PARLEY_DB", "")
			env.Setenv("XDG_DATA_HOME", "")
			return nil
		},
	})
}

// scriptQuote quotes s as one testscript argument: single quotes, a quote inside doubled.
func scriptQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
