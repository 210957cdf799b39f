package nquads

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cayleygraph/quad"
)

// chunkReader returns at most n bytes per Read.
type chunkReader struct {
	r io.Reader
	n int
}

func (c chunkReader) Read(p []byte) (int, error) {
	if len(p) > c.n {
		p = p[:c.n]
	}
	return c.r.Read(p)
}

// readers wraps data in readers that split it differently.
func readers(data string) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"whole":    func() io.Reader { return strings.NewReader(data) },
		"one byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(data)) },
		"half":     func() io.Reader { return iotest.HalfReader(strings.NewReader(data)) },
		"data+EOF": func() io.Reader { return iotest.DataErrReader(strings.NewReader(data)) },
		"7 bytes":  func() io.Reader { return chunkReader{strings.NewReader(data), 7} },
	}
}

// event is what one call of Next produced: a subject or an error column.
type event struct {
	line int
	subj quad.Value
	col  int
}

func collect(t *testing.T, r *Reader) []event {
	t.Helper()
	var got []event
	for {
		q, line, err := r.Next()
		if err == io.EOF {
			if _, _, err := r.Next(); err != io.EOF {
				t.Errorf("Next after io.EOF = %v, want io.EOF", err)
			}
			return got
		}
		var se *SyntaxError
		switch {
		case errors.As(err, &se):
			if se.Line != line {
				t.Errorf("SyntaxError.Line %d, Next returned line %d", se.Line, line)
			}
			got = append(got, event{line: line, col: se.Col})
		case err != nil:
			t.Fatalf("Next: %v", err)
		default:
			got = append(got, event{line: line, subj: q.Subject})
		}
	}
}

func TestReaderLineNumbers(t *testing.T) {
	input := "# header\n" + // 1
		"\n" + // 2
		"<a> <b> <c> .\n" + // 3
		"<a> <b> 1 .\n" + // 4: error
		"   \t\n" + // 5
		"  # comment <x> <y> <z> .\n" + // 6
		"<d> <b> \"x\" .\r\n" + // 7
		"<e> <b> <c>\r\n" + // 8: error, missing '.'
		"<f> <b> <c> .\r" + // 9: lone CR
		"\r\n" + // 10: blank
		"<g> <h> <i> <j> .\n" + // 11
		"\"bad\" <p> <o> .\n" + // 12: error
		"<k> <l> \"multi\\nline\" .\n" + // 13
		"<m> <n> <o> ." // 14, no final newline
	want := []event{
		{line: 3, subj: quad.IRI("a")},
		{line: 4, col: 9},
		{line: 7, subj: quad.IRI("d")},
		{line: 8, col: 12},
		{line: 9, subj: quad.IRI("f")},
		{line: 11, subj: quad.IRI("g")},
		{line: 12, col: 1},
		{line: 13, subj: quad.IRI("k")},
		{line: 14, subj: quad.IRI("m")},
	}
	for name, open := range readers(input) {
		t.Run(name, func(t *testing.T) {
			got := collect(t, NewReader(open(), Options{}))
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
}

func TestReaderOptions(t *testing.T) {
	input := "<http://example/s> <http://example/p> <o> .\n" +
		"<http://example/s> <http://example/p> <http://example/o> <http://example/g> .\n"
	for _, tc := range []struct {
		opt  Options
		want []event
	}{
		{Options{}, []event{{line: 1, subj: quad.IRI("http://example/s")}, {line: 2, subj: quad.IRI("http://example/s")}}},
		{Options{Strict: true}, []event{{line: 1, col: 39}, {line: 2, subj: quad.IRI("http://example/s")}}},
		{Options{Triples: true}, []event{{line: 1, subj: quad.IRI("http://example/s")}, {line: 2, col: 58}}},
	} {
		got := collect(t, NewReader(strings.NewReader(input), tc.opt))
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%+v: got %v, want %v", tc.opt, got, tc.want)
		}
	}
}

func TestReaderLongLine(t *testing.T) {
	const size = 5 << 20
	long := strings.Repeat("évidence \\\"quoted\\\" ", size/20)
	want := strings.Repeat(`évidence "quoted" `, size/20)
	input := "<s> <p> <o> .\n<s> <says> \"" + long + "\" .\n<s> <says> \"" + long + "\" 1 .\n<t> <p> <o> .\n"
	for name, r := range map[string]io.Reader{
		"whole":   strings.NewReader(input),
		"4 KiB":   chunkReader{strings.NewReader(input), 4 << 10},
		"1 MiB+1": chunkReader{strings.NewReader(input), 1<<20 + 1},
	} {
		t.Run(name, func(t *testing.T) {
			rd := NewReader(r, Options{})
			if _, line, err := rd.Next(); line != 1 || err != nil {
				t.Fatalf("line 1: got line %d, %v", line, err)
			}
			q, line, err := rd.Next()
			if line != 2 || err != nil || q.Object != quad.String(want) {
				t.Fatalf("line 2: got line %d, %v, object of %d bytes", line, err, len(quad.StringOf(q.Object)))
			}
			_, line, err = rd.Next()
			wantCol := len([]rune("<s> <says> \""+long+"\" ")) + 1
			var se *SyntaxError
			if line != 3 || !errors.As(err, &se) || se.Col != wantCol {
				t.Fatalf("line 3: got line %d, %v; want a syntax error at column %d", line, err, wantCol)
			}
			if q, line, err = rd.Next(); line != 4 || err != nil || q.Subject != quad.IRI("t") {
				t.Fatalf("line 4: got line %d, %v, %v", line, q, err)
			}
			if len(rd.buf) > 4*len(long) {
				t.Errorf("buffer grew to %d bytes for lines of %d", len(rd.buf), len(long))
			}
		})
	}
}

// TestReaderValuesOutliveBuffer checks that values do not alias the reused
// read buffer: every value is checked only after the whole input is read.
func TestReaderValuesOutliveBuffer(t *testing.T) {
	var b strings.Builder
	const n = 20000
	for i := range n {
		fmt.Fprintf(&b, "_:b%d <p%d> \"v%d\"@en <g%d> .\n<s%d> <p> \"esc\\t%d\" .\n", i, i, i, i, i, i)
	}
	r := NewReader(chunkReader{strings.NewReader(b.String()), 1000}, Options{})
	var got []quad.Quad
	for {
		q, _, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, q)
	}
	if len(got) != 2*n {
		t.Fatalf("read %d quads, want %d", len(got), 2*n)
	}
	for i := range n {
		want := []quad.Quad{
			{Subject: quad.BNode(fmt.Sprint("b", i)), Predicate: quad.IRI(fmt.Sprint("p", i)),
				Object: quad.LangString{Value: quad.String(fmt.Sprint("v", i)), Lang: "en"}, Label: quad.IRI(fmt.Sprint("g", i))},
			{Subject: quad.IRI(fmt.Sprint("s", i)), Predicate: quad.IRI("p"), Object: quad.String(fmt.Sprint("esc\t", i))},
		}
		for k, w := range want {
			if got[2*i+k] != w {
				t.Fatalf("quad %d: got %v, want %v", 2*i+k, got[2*i+k], w)
			}
		}
	}
}

func TestReaderReadError(t *testing.T) {
	boom := errors.New("boom")
	in := io.MultiReader(strings.NewReader("<a> <b> <c> .\n<d> <e> <f> .\n<g> <h"), iotest.ErrReader(boom))
	r := NewReader(in, Options{})
	for want := 1; want <= 2; want++ {
		if _, line, err := r.Next(); line != want || err != nil {
			t.Fatalf("got line %d, %v; want line %d", line, err, want)
		}
	}
	for range 2 {
		if _, line, err := r.Next(); err != boom || line != 2 {
			t.Fatalf("got line %d, %v; want line 2, %v (the cut line is not parsed)", line, err, boom)
		}
	}
}

func TestReaderBOM(t *testing.T) {
	input := "\ufeff<a> <b> <c> .\n\ufeff<d> <e> <f> .\n"
	got := collect(t, NewReader(strings.NewReader(input), Options{}))
	want := []event{{line: 1, subj: quad.IRI("a")}, {line: 2, col: 1}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestReaderEmpty(t *testing.T) {
	for _, input := range []string{"", "\n", "\r\n\r\n", "# only a comment"} {
		r := NewReader(bytes.NewReader([]byte(input)), Options{})
		if q, _, err := r.Next(); err != io.EOF {
			t.Errorf("%q: got %v, %v; want io.EOF", input, q, err)
		}
	}
}
