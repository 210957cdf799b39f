package cmd

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/parley/parley/graph/draft"
	"github.com/parley/parley/graph/sheet"
)

// answers is where a review's answers come from: a key per fact, a line for an edit.
type answers interface {
	key() (string, error)
	line(prompt string) (string, error)
	close()
}

// lineAnswers reads one answer per line (stdin that is no terminal): a key, or for an
// edit the fact line.
type lineAnswers struct {
	r   *bufio.Reader
	out io.Writer
}

func (a *lineAnswers) key() (string, error) {
	l, err := a.read()
	if err == nil {
		fmt.Fprintln(a.out, l) // the transcript shows what was answered
	}
	return l, err
}

func (a *lineAnswers) line(prompt string) (string, error) {
	fmt.Fprint(a.out, prompt)
	l, err := a.read()
	if err == nil {
		fmt.Fprintln(a.out, l)
	}
	return l, err
}

func (a *lineAnswers) read() (string, error) {
	l, err := a.r.ReadString('\n')
	if err == io.EOF && l != "" {
		err = nil
	}
	return strings.TrimRight(l, "\r\n"), err
}

func (a *lineAnswers) close() {}

// termAnswers reads keys from a terminal in raw mode, one keypress each; an edit is read
// as a line in the terminal's own (cooked) mode.
type termAnswers struct {
	f     *os.File
	out   io.Writer
	state *term.State
}

func newTermAnswers(f *os.File, out io.Writer) (*termAnswers, error) {
	st, err := term.MakeRaw(int(f.Fd()))
	if err != nil {
		return nil, fmt.Errorf("review: put the terminal in raw mode: %w", err)
	}
	return &termAnswers{f: f, out: out, state: st}, nil
}

func (a *termAnswers) key() (string, error) {
	var b [1]byte
	for {
		if _, err := a.f.Read(b[:]); err != nil {
			return "", err
		}
		switch b[0] {
		case 3, 4: // ^C, ^D: stop as q does
			fmt.Fprint(a.out, "q\n")
			return "q", nil
		case '\r', '\n', ' ':
			continue
		}
		fmt.Fprintf(a.out, "%c\n", b[0])
		return string(b[:]), nil
	}
}

func (a *termAnswers) line(prompt string) (string, error) {
	term.Restore(int(a.f.Fd()), a.state)
	defer func() {
		if st, err := term.MakeRaw(int(a.f.Fd())); err == nil {
			a.state = st
		}
	}()
	fmt.Fprint(a.out, prompt)
	var b strings.Builder
	var c [1]byte
	for { // byte by byte: nothing read past the line stays buffered
		n, err := a.f.Read(c[:])
		if n == 1 && c[0] == '\n' {
			break
		}
		if n == 1 {
			b.WriteByte(c[0])
		}
		if err != nil {
			return b.String(), err
		}
	}
	return strings.TrimRight(b.String(), "\r"), nil
}

func (a *termAnswers) close() { term.Restore(int(a.f.Fd()), a.state) }

// crlf writes \r\n for \n: a terminal in raw mode does not return the carriage.
type crlf struct{ w io.Writer }

func (c crlf) Write(p []byte) (int, error) {
	if _, err := c.w.Write([]byte(strings.ReplaceAll(string(p), "\n", "\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// reviewAnswers returns the answers of a review: keys from the terminal when stdin is
// one, else lines of stdin; and where to show the proposals (stderr).
func (o *draftOptions) reviewAnswers() (answers, io.Writer, error) {
	if f, ok := o.io.In.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		out := crlf{o.io.ErrOut}
		a, err := newTermAnswers(f, out)
		return a, out, err
	}
	return &lineAnswers{r: bufio.NewReader(o.io.In), out: o.io.ErrOut}, o.io.ErrOut, nil
}

// review shows the sheet's proposed facts one at a time and applies the answers, until
// the last fact, a quit or the end of the answers (a quit too).
func review(sh sheet.Sheet, ans answers, out io.Writer) (sheet.Sheet, draft.ReviewCounts) {
	r := draft.NewReview(sh)
	for {
		p, ok := r.Current()
		if !ok {
			break
		}
		showProposal(out, p)
		fmt.Fprintf(out, "%s? ", draft.AnswerKeys)
		k, err := ans.key()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				fmt.Fprintf(out, "\nparley: review: %v\n", err)
			} else {
				fmt.Fprintln(out)
			}
			r.Answer(draft.Quit, "")
			break
		}
		a, ok := draft.ParseAnswer(k)
		if !ok {
			fmt.Fprintf(out, "answer a, r, e, s or q, not %q\n", k)
			continue
		}
		var edited string
		if a == draft.Edit {
			fmt.Fprintf(out, "edit the fact, Subject predicate Object (empty: keep it): %s\n", p.Fact)
			if edited, err = ans.line("fact> "); err != nil && edited == "" {
				r.Answer(draft.Quit, "")
				break
			}
			if strings.TrimSpace(edited) == "" {
				edited = p.Fact.String()
			}
		}
		if err := r.Answer(a, edited); err != nil {
			fmt.Fprintf(out, "parley: %v\n", err)
		}
	}
	reviewed := r.Sheet()
	return reviewed, r.Counts
}

// showProposal shows one proposed fact with its sentence, speaker, rule and confidence.
func showProposal(out io.Writer, p draft.Proposal) {
	fmt.Fprintf(out, "\n[%d/%d] “%s”\n", p.N, p.Of, p.Claim.Evidence)
	var about []string
	if p.Claim.Speaker != "" {
		about = append(about, "speaker "+p.Claim.Speaker)
	}
	if p.Claim.Modality != "" {
		about = append(about, p.Claim.Modality)
	}
	if p.Claim.Date != "" {
		about = append(about, p.Claim.Date)
	}
	if len(about) > 0 {
		fmt.Fprintf(out, "  %s\n", strings.Join(about, ", "))
	}
	mark := ""
	if p.Fact.Disabled {
		mark = "  (commented out: below the threshold)"
	}
	fmt.Fprintf(out, "  %s%s\n", p.Fact, mark)
	if p.Fact.Confidence != 0 || p.Fact.Comment != "" {
		fmt.Fprintf(out, "  confidence %g; %s\n", p.Fact.Confidence, p.Fact.Comment)
	}
}
