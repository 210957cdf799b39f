package graph

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parley/parley/graph/internal/kvstore"
	"github.com/parley/parley/schema"
)

// The salvage of a damaged embedded store: every quad still readable from its file,
// sifted so that the quads kept load back into a new store, and those a load would refuse
// set apart with their problems rather than lost.

// SalvageResult is what Salvage read, skipped, kept and set apart.
type SalvageResult struct {
	Salvaged       int      `json:"salvaged"`        // quads read back from the store's log
	Kept           int      `json:"kept"`            // quads written to kept: a load into a new store accepts them all
	Rejected       int      `json:"rejected"`        // quads a load would refuse, written apart after their problems
	Rounds         int      `json:"rounds"`          // validations of the quads kept, the last of which found no problem
	Pages          int      `json:"pages"`           // pages of the log read
	PagesSkipped   int      `json:"pages_skipped"`   // pages that could not be read, with the entries below them
	RecordsSkipped int      `json:"records_skipped"` // log entries that did not read back
	QuadsSkipped   int      `json:"quads_skipped"`   // quads naming a node that was not found
	Scanned        bool     `json:"scanned"`         // the log's tree could not be walked: every page was read for its entries
	OlderMeta      bool     `json:"older_meta"`      // a meta page was damaged: the other was read, perhaps the older state
	Journal        bool     `json:"journal"`         // a load's journal is beside the store: its quads may be among those read
	Damage         []string `json:"damage"`          // the first pages and records skipped, and why
}

// Salvage writes every quad still readable from the embedded store's file, reading its
// pages one by one so that a damaged page loses only what is on it. The quads are
// validated as 'parley load --allow-unknown' validates them in a new store made with
// 'parley init --no-seed' (nothing known beforehand): those with a problem go to
// rejected, each after its problems as '#' comment lines, and the rest are validated
// again, until they have none (setting a claim apart makes the facts it backs invalid).
// The rest go to kept, in the order of the store's log, and load back as they are. The
// quads read are spooled to a temporary file in $TMPDIR meanwhile, named as load's spools
// are, so that one a killed salvage leaves is removed by the next. An interrupt (ctx)
// stops the validation.
func Salvage(ctx context.Context, cfg Config, kept, rejected io.Writer) (*SalvageResult, error) {
	if cfg.Backend != "" && cfg.Backend != BackendBolt {
		return nil, errEmbeddedOnly("salvage")
	}
	timeout := cfg.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	removeDeadSpools()
	raw, err := os.CreateTemp("", fmt.Sprintf("%s%d-salvage-*.nq", spoolPrefix, os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("spool the salvage: %w", err)
	}
	defer os.Remove(raw.Name())
	defer raw.Close()
	kres, err := kvstore.Salvage(cfg.Path, timeout, raw)
	if errors.Is(err, kvstore.ErrTimeout) {
		return nil, fmt.Errorf("%w: %s (waited %s); try again when it is done", ErrLocked, cfg.Path, timeout)
	} else if errors.Is(err, kvstore.ErrEmpty) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("spool the salvage to %s: %w", raw.Name(), err)
	}
	res := &SalvageResult{Salvaged: kres.Quads, Pages: kres.Pages, PagesSkipped: kres.PagesSkipped,
		RecordsSkipped: kres.RecordsSkipped, QuadsSkipped: kres.QuadsSkipped, Scanned: kres.Scanned,
		OlderMeta: kres.OlderMeta, Journal: kres.Journal, Damage: append([]string{}, kres.Problems...)}
	bad, rounds, err := sift(ctx, raw.Name())
	if err != nil {
		return nil, err
	}
	res.Rounds = rounds
	if res.Kept, res.Rejected, err = splitLines(raw.Name(), bad, kept, rejected); err != nil {
		return nil, err
	}
	return res, nil
}

// sift validates the quads of the N-Quads file at path (one a line) as a load into a new
// store would, less the lines set apart, and sets apart the lines with problems, round
// after round until the rest has none. It returns the lines set apart with their
// problems, and the number of rounds. Each round sets apart at least one more line, or
// it is the last.
func sift(ctx context.Context, path string) (map[int][]string, int, error) {
	bad := map[int][]string{}
	for round := 1; ; round++ {
		err := checkLines(ctx, path, bad)
		if err == nil {
			return bad, round, nil
		}
		var verr *schema.ValidationError
		if !errors.As(err, &verr) {
			return nil, round, fmt.Errorf("validate the salvage: %w", err)
		}
		more := map[int][]string{}
		for _, p := range verr.Problems {
			if _, done := bad[p.Line]; p.Line > 0 && !done {
				more[p.Line] = append(more[p.Line], p.Msg)
			}
		}
		if len(more) == 0 || verr.Omitted > 0 {
			return nil, round, fmt.Errorf("validate the salvage: problems not at a line of their own: %w", verr)
		}
		for line, msgs := range more {
			bad[line] = msgs
		}
	}
}

// checkLines validates the N-Quads file at path, less the lines of skip, with the
// load's own checker: foreign data admitted, nothing known but the file, every problem
// returned.
func checkLines(ctx context.Context, path string, skip map[int][]string) error {
	in := Input{Name: path, Format: FormatNQuads, Open: func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		return &blankLines{lines: lines{r: bufio.NewReaderSize(f, 1<<16)}, skip: skip, f: f}, nil
	}}
	p, err := PlanLoad(ctx, []Input{in}, LoadOptions{AllowUnknown: true, MaxProblems: -1})
	if err != nil {
		return err
	}
	defer p.Close()
	return p.check(ctx, nil)
}

// splitLines copies the lines of the file at path: those of bad to rejected, each after
// its problems as '#' comment lines, which N-Quads readers skip, and the others to kept.
// It returns how many lines went to each.
func splitLines(path string, bad map[int][]string, kept, rejected io.Writer) (nk, nr int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, fmt.Errorf("read the salvage: %w", err)
	}
	defer f.Close()
	ls := lines{r: bufio.NewReaderSize(f, 1<<16)}
	kw, rw := bufio.NewWriterSize(kept, 1<<16), bufio.NewWriter(rejected)
	comment := strings.NewReplacer("\r", " ", "\n", " ")
	for {
		chunk, line, start, err := ls.next()
		if len(chunk) > 0 {
			msgs, isBad := bad[line]
			switch {
			case isBad && start:
				for _, m := range msgs {
					rw.WriteString("# " + comment.Replace(m) + "\n")
				}
				nr++
			case start:
				nk++
			}
			if isBad {
				rw.Write(chunk)
			} else {
				kw.Write(chunk)
			}
		}
		if err == io.EOF {
			break
		} else if err != nil {
			return nk, nr, fmt.Errorf("read the salvage: %w", err)
		}
	}
	if err := kw.Flush(); err != nil {
		return nk, nr, err
	}
	return nk, nr, rw.Flush()
}

// lines reads a file in chunks that never span two lines (ending at "\n"), numbering the
// lines from 1: a line longer than the reader's buffer comes in several chunks.
type lines struct {
	r   *bufio.Reader
	n   int
	mid bool // the last chunk did not end its line
}

// next returns the next chunk, the number of its line, whether it starts its line, and
// the reader's error (io.EOF at the end, with the last chunk or an empty one).
func (l *lines) next() (chunk []byte, line int, start bool, err error) {
	chunk, err = l.r.ReadSlice('\n')
	start = !l.mid
	if start {
		l.n++
	}
	l.mid = errors.Is(err, bufio.ErrBufferFull)
	if l.mid {
		err = nil
	}
	return chunk, l.n, start, err
}

// blankLines reads a file with the lines of skip left empty, so that the other lines
// keep their numbers.
type blankLines struct {
	lines
	skip    map[int][]string
	f       *os.File
	pending []byte
	err     error
}

func (b *blankLines) Read(p []byte) (int, error) {
	for len(b.pending) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		chunk, line, _, err := b.next()
		b.err = err
		if _, ok := b.skip[line]; ok {
			if n := len(chunk); n > 0 && chunk[n-1] == '\n' {
				chunk = chunk[n-1:] // its end only
			} else {
				chunk = nil
			}
		}
		b.pending = chunk
	}
	n := copy(p, b.pending)
	b.pending = b.pending[n:]
	return n, nil
}

func (b *blankLines) Close() error { return b.f.Close() }
