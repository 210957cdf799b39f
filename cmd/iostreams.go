package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"
)

// IOStreams are the standard streams of a command and whether stdout is a terminal.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// IsTTY is true when Out is a terminal: tables get a header and aligned columns.
	IsTTY bool
	// ErrTTY is true when ErrOut is a terminal: long loads draw a progress bar.
	ErrTTY bool
}

// systemIO returns the process's streams. PARLEY_FORCE_TTY=1 makes parley format for a
// terminal even when stdout is not one (for transcripts and tests).
func systemIO() *IOStreams {
	tty := isTerminal(os.Stdout)
	if v := os.Getenv("PARLEY_FORCE_TTY"); v != "" {
		tty = v != "0"
	}
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, IsTTY: tty, ErrTTY: isTerminal(os.Stderr)}
}

// isTerminal asks the terminal driver, so that /dev/null (a character device too) is not
// taken for a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Progressf writes a diagnostic line to stderr.
func (s *IOStreams) Progressf(format string, args ...any) {
	fmt.Fprintf(s.ErrOut, format, args...)
}

// Output formats.
const (
	outputTable = "table"
	outputTSV   = "tsv"
	outputJSON  = "json"
)

// checkOutput rejects an unknown output format before any work is done.
func checkOutput(o string) error {
	switch o {
	case "", outputTable, outputTSV, outputJSON:
		return nil
	}
	return usagef("unknown output format %q (formats: table, tsv, json)", o)
}

// format returns the output format in force: the flag, else table on a terminal, tsv otherwise.
func (d *deps) format() string {
	if d.output != "" {
		return d.output
	}
	if d.io.IsTTY {
		return outputTable
	}
	return outputTSV
}

// writeJSON prints v as indented JSON.
func (d *deps) writeJSON(v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode JSON: %w", err)
	}
	_, err := d.io.Out.Write(buf.Bytes())
	return err
}

// table is rows of cells: aligned with a header on a terminal, tab-separated without one
// when piped.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// print renders the table in the format in force (table or tsv).
func (t *table) print(d *deps) error {
	if d.format() == outputTSV {
		var b strings.Builder
		for _, r := range t.rows {
			for i, c := range r {
				if i > 0 {
					b.WriteByte('\t')
				}
				b.WriteString(tsvCell(c))
			}
			b.WriteByte('\n')
		}
		_, err := io.WriteString(d.io.Out, b.String())
		return err
	}
	tw := tabwriter.NewWriter(d.io.Out, 0, 0, 2, ' ', 0)
	if len(t.header) > 0 {
		fmt.Fprintln(tw, strings.ToUpper(strings.Join(t.header, "\t")))
	}
	for _, r := range t.rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = strings.ReplaceAll(strings.ReplaceAll(c, "\t", " "), "\n", " ")
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// tsvCell keeps a cell on one line and in one column.
func tsvCell(s string) string {
	return strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n", "\r", "\\r").Replace(s)
}
