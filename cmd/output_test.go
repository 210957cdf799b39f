package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestOutputFormats runs commands in process with buffers: a table with a header on a
// terminal, tab-separated rows without one when piped, JSON with -o json, and exit codes.
func TestOutputFormats(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		tty      bool
		code     int
		stdout   []string // substrings stdout must contain
		noStdout []string // substrings it must not contain
		stderr   string
	}{
		{name: "match on a terminal", args: []string{"match", "Putin", "demands", "_"}, tty: true,
			stdout: []string{"SUBJECT", "Vladimir Putin  demands"}, noStdout: []string{"\t"}},
		{name: "match piped", args: []string{"match", "Putin", "demands", "_"},
			stdout: []string{"Vladimir Putin\tdemands\t"}, noStdout: []string{"SUBJECT"}},
		{name: "schema on a terminal", args: []string{"schema"}, tty: true,
			stdout: []string{"PREDICATE", "demanded by", "REQUEST", "10 Demand"}},
		{name: "schema types piped", args: []string{"schema", "--types"},
			stdout: []string{"Position\t"}, noStdout: []string{"TYPE"}},
		{name: "stats json", args: []string{"stats", "-o", "json"}, stdout: []string{`"quads":`}},
		{name: "forced tsv on a terminal", args: []string{"stats", "-o", "tsv"}, tty: true,
			stdout: []string{"total\tquads\t"}, noStdout: []string{"KIND"}},
		{name: "unknown output format", args: []string{"stats", "-o", "yaml"}, code: exitUsage,
			stderr: `unknown output format "yaml"`},
		{name: "wrong arity", args: []string{"match", "Putin"}, code: exitUsage,
			stderr: "accepts 3 arg(s), received 1"},
		{name: "unknown flag", args: []string{"match", "--frobnicate", "a", "b", "c"}, code: exitUsage,
			stderr: "unknown flag: --frobnicate"},
		{name: "unknown name", args: []string{"match", "Napoleon", "_", "_"}, code: exitError,
			stderr: `no entity is named "Napoleon"`},
		{name: "unknown predicate", args: []string{"match", "Putin", "admires", "_"}, code: exitError,
			stderr: `unknown predicate "admires"`},
		{name: "unknown backend", args: []string{"--backend", "oracle", "stats"}, code: exitError,
			stderr: `unknown backend "oracle"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, IsTTY: c.tty}
			args := c.args
			if args[0] != "--backend" {
				args = append([]string{"--backend", "memory"}, args...)
			}
			code := run(context.Background(), args, io, func(string) string { return "" })
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, c.code, errOut.String())
			}
			for _, s := range c.stdout {
				if !strings.Contains(out.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, out.String())
				}
			}
			for _, s := range c.noStdout {
				if strings.Contains(out.String(), s) {
					t.Errorf("stdout has %q:\n%s", s, out.String())
				}
			}
			if c.stderr != "" && !strings.Contains(errOut.String(), c.stderr) {
				t.Errorf("stderr lacks %q:\n%s", c.stderr, errOut.String())
			}
			if c.code != 0 && out.Len() > 0 {
				t.Errorf("a failing command wrote to stdout:\n%s", out.String())
			}
			if strings.Contains(strings.Join(c.args, " "), "-o json") {
				var v any
				if err := json.Unmarshal(out.Bytes(), &v); err != nil {
					t.Errorf("-o json output is not JSON: %v", err)
				}
			}
		})
	}
}

// TestIsTerminal: /dev/null and a file are character device and regular file, and neither
// is a terminal, so piping to /dev/null never draws a table or a progress bar.
func TestIsTerminal(t *testing.T) {
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	file, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, f := range []*os.File{null, file} {
		if isTerminal(f) {
			t.Errorf("isTerminal(%s) = true, want false", f.Name())
		}
	}
}
