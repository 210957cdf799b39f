package nquads

import (
	"bytes"
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
)

const (
	initialBufSize = 64 << 10
	maxEmptyReads  = 100
)

// DefaultMaxLine is the longest line a Reader accepts unless Options.MaxLine says
// otherwise: 64 MiB, far beyond any statement, far below what exhausts memory.
const DefaultMaxLine = 64 << 20

// LineTooLongError is returned when a line is longer than the Reader's cap. Reading
// cannot continue: the input is not N-Quads, or not meant for a line reader.
type LineTooLongError struct {
	Line int // 1-based number of the line
	Max  int // the cap, in bytes
}

// Error says which line and the cap.
func (e *LineTooLongError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg()) }

// Msg says what is wrong with the line, without its number.
func (e *LineTooLongError) Msg() string {
	return fmt.Sprintf("longer than %s (not N-Quads?)", sizeText(e.Max))
}

// sizeText writes a byte count in the largest binary unit that divides it.
func sizeText(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Reader reads statements one line at a time with bounded memory: it holds
// at most the longest line plus one read's worth of input, and refuses a
// line longer than Options.MaxLine. Lines end at "\n", "\r\n" or a lone "\r", as the W3C EOL
// production allows.
type Reader struct {
	r     io.Reader
	opt   Options
	buf   []byte
	start int   // first unread byte in buf
	end   int   // end of the data in buf
	scan  int   // bytes after start already searched for a line end
	line  int   // lines read so far
	eof   bool  // r reported io.EOF
	err   error // r's error, returned once buf is drained
}

// NewReader returns a Reader that parses r with the given options.
func NewReader(r io.Reader, opt Options) *Reader {
	return &Reader{r: r, opt: opt}
}

// Next returns the next statement and its 1-based line number; io.EOF at the end.
// A syntax error is returned as *SyntaxError and reading can continue with the
// next call (so a caller can collect every problem of a file). Any other error
// comes from the underlying reader and is returned again by later calls, with
// the number of lines read so far.
func (r *Reader) Next() (q quad.Quad, line int, err error) {
	for {
		b, err := r.readLine()
		if err != nil {
			return quad.Quad{}, r.line, err
		}
		r.line++
		if r.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\uFEFF"))
		}
		q, ok, se := parseBytes(b, r.opt)
		if se != nil {
			se.Line = r.line
			return quad.Quad{}, r.line, se
		}
		if ok {
			return q, r.line, nil
		}
	}
}

// readLine returns the next line without its end; the slice is valid until
// the next call.
func (r *Reader) readLine() ([]byte, error) {
	for {
		data := r.buf[r.start:r.end]
		if k := indexEOL(data[r.scan:]); k >= 0 {
			k += r.scan
			n := k + 1
			if data[k] == '\r' {
				if k+1 == len(data) && !r.eof && r.err == nil {
					// A "\n" may follow in the next read.
					r.scan = k
					r.fill()
					continue
				}
				if k+1 < len(data) && data[k+1] == '\n' {
					n++
				}
			}
			if k > r.maxLine() {
				return nil, r.tooLong()
			}
			r.start += n
			r.scan = 0
			return data[:k], nil
		}
		r.scan = len(data)
		if len(data) > r.maxLine() {
			return nil, r.tooLong()
		}
		if r.err != nil {
			// The last line may be cut short: report the error, not the line.
			return nil, r.err
		}
		if r.eof {
			r.start, r.scan = r.end, 0
			if len(data) > 0 {
				return data, nil
			}
			return nil, io.EOF
		}
		r.fill()
	}
}

func (r *Reader) maxLine() int {
	if r.opt.MaxLine > 0 {
		return r.opt.MaxLine
	}
	return DefaultMaxLine
}

// tooLong ends the reading at the current line.
func (r *Reader) tooLong() error {
	r.err = &LineTooLongError{Line: r.line + 1, Max: r.maxLine()}
	r.start, r.end, r.scan, r.buf = 0, 0, 0, nil
	return r.err
}

// indexEOL returns the index of the first '\n' or '\r' in b, or -1.
func indexEOL(b []byte) int {
	nl := bytes.IndexByte(b, '\n')
	lim := b
	if nl >= 0 {
		lim = b[:nl]
	}
	if cr := bytes.IndexByte(lim, '\r'); cr >= 0 {
		return cr
	}
	return nl
}

// fill reads more input, first moving the unread bytes to the front of buf
// and growing it if it is full.
func (r *Reader) fill() {
	if r.start > 0 {
		r.end = copy(r.buf, r.buf[r.start:r.end])
		r.start = 0
	}
	if r.end == len(r.buf) {
		size := 2 * len(r.buf)
		if size == 0 {
			size = initialBufSize
		}
		if limit := r.maxLine() + initialBufSize; size > limit {
			size = max(limit, len(r.buf)+1) // room for one byte past the cap: enough to tell
		}
		buf := make([]byte, size)
		copy(buf, r.buf[:r.end])
		r.buf = buf
	}
	for i := 0; i < maxEmptyReads; i++ {
		n, err := r.r.Read(r.buf[r.end:])
		r.end += n
		if err == io.EOF {
			r.eof = true
			return
		}
		if err != nil {
			r.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	r.err = io.ErrNoProgress
}
