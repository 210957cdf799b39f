package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

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
	// Width is the width of the terminal Out is, in columns (0: unknown); $COLUMNS
	// overrides it. Tables are cut to fit it.
	Width int
	// barDrawn is true while a progress bar holds the last line of ErrOut.
	barDrawn bool
}

// systemIO returns the process's streams. PARLEY_FORCE_TTY=1 makes parley format for a
// terminal even when stdout is not one (for transcripts and tests).
func systemIO() *IOStreams {
	tty := isTerminal(os.Stdout)
	width := 0
	if tty {
		if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil {
			width = w
		}
	}
	if v := os.Getenv("PARLEY_FORCE_TTY"); v != "" {
		tty = v != "0"
	}
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, IsTTY: tty, ErrTTY: isTerminal(os.Stderr), Width: width}
}

// isTerminal asks the terminal driver, so that /dev/null (a character device too) is not
// taken for a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// Progressf writes a diagnostic line to stderr, its control characters made visible.
// A progress bar on the line is cleared first, so that the message starts a line.
func (s *IOStreams) Progressf(format string, args ...any) {
	if s.barDrawn {
		io.WriteString(s.ErrOut, clearLine)
		s.barDrawn = false
	}
	io.WriteString(s.ErrOut, printable(fmt.Sprintf(format, args...)))
}

// printable returns s with every character a terminal would act on made visible, so that
// escape sequences stored in labels and evidence (ESC, OSC, CSI, BEL) never reach a
// terminal raw: C0 controls other than tab and newline, DEL, C1 controls and bytes that
// are not UTF-8 are written \xNN (\u0085 for a C1 control), and the Unicode controls that
// reorder text on screen (bidirectional embeddings, overrides and isolates) \u202e. Every
// text printer (tables, TSV, the blocks of why, describe and --why, messages on stderr)
// writes through it; JSON is escaped by encoding/json.
func printable(s string) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if !safeRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1, r < 0x80 && !safeRune(r):
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case !safeRune(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// safeRune reports whether a terminal shows r as a character rather than acting on it.
func safeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return true
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return false
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return false
	}
	return true
}

// printableWriter writes through printable. Each Write must hold whole characters, as the
// printers' writes of whole lines and blocks do.
type printableWriter struct{ w io.Writer }

func (p printableWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, printable(string(b))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// textOut is stdout for text (tables, TSV, blocks): control characters made visible.
func (d *deps) textOut() io.Writer { return printableWriter{d.io.Out} }

// width is the terminal's width for tables: $COLUMNS, else the terminal's; 0 when stdout
// is no terminal (piped output is never cut).
func (d *deps) width() int {
	if !d.io.IsTTY {
		return 0
	}
	if n, err := strconv.Atoi(d.getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return d.io.Width
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
				b.WriteString(printable(tsvCell(c)))
			}
			b.WriteByte('\n')
		}
		_, err := io.WriteString(d.io.Out, b.String())
		return err
	}
	var rows [][]string
	if len(t.header) > 0 {
		header := make([]string, len(t.header))
		for i, h := range t.header {
			header[i] = printable(strings.ToUpper(h))
		}
		rows = append(rows, header)
	}
	for _, r := range t.rows {
		cells := make([]string, len(r))
		for i, c := range r {
			cells[i] = printable(strings.ReplaceAll(strings.ReplaceAll(c, "\t", " "), "\n", " "))
		}
		rows = append(rows, cells)
	}
	fitColumns(rows, d.width(), tableGap)
	tw := tabwriter.NewWriter(d.io.Out, 0, 0, tableGap, ' ', 0)
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// tableGap is the space between a table's columns.
const tableGap = 2

// minColumn is the narrowest a column is cut to, however narrow the terminal.
const minColumn = 8

// fitColumns cuts the widest columns of rows, in place, so that a line is at most width
// characters (0: any width): every column wider than some cap is cut to it, ending in
// "…", and the cap is the widest that fits (at least minColumn).
func fitColumns(rows [][]string, width, gap int) {
	if width <= 0 {
		return
	}
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	lineWidth := func(limit int) int {
		n := gap * (len(widths) - 1)
		for _, w := range widths {
			n += min(w, limit)
		}
		return n
	}
	widest := slices.Max(append(widths, 0))
	if lineWidth(widest) <= width {
		return
	}
	limit := widest
	for limit > minColumn && lineWidth(limit) > width {
		limit--
	}
	for _, r := range rows {
		for i, c := range r {
			if utf8.RuneCountInString(c) > limit {
				r[i] = string([]rune(c)[:limit-1]) + "…"
			}
		}
	}
}

// tsvCell keeps a cell on one line and in one column.
func tsvCell(s string) string {
	return strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n", "\r", "\\r").Replace(s)
}
