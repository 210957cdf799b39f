package nquads

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
)

// TestMaxLine: a line up to the cap is read, one byte more stops the reader at that line,
// however the input is split and whatever ends the line.
func TestMaxLine(t *testing.T) {
	const cap = 40
	fits := `<a> <b> "` + strings.Repeat("x", cap-len(`<a> <b> "" .`)) + `" .`
	if len(fits) != cap {
		t.Fatalf("line of %d bytes, want %d", len(fits), cap)
	}
	over := `<a> <b> "` + strings.Repeat("x", cap+1-len(`<a> <b> "" .`)) + `" .`
	for _, tc := range []struct {
		name, data string
		read       int // statements read before the error
		line       int // the line too long; 0: none
	}{
		{"fits", fits + "\n" + fits, 2, 0},
		{"fits CRLF", fits + "\r\n" + fits + "\r\n", 2, 0},
		{"over", fits + "\n" + over + "\n" + fits + "\n", 1, 2},
		{"over at EOF", fits + "\n" + over, 1, 2},
		{"over CR", over + "\r" + fits, 0, 1},
		{"endless", fits + "\n" + strings.Repeat("\x00", 10*cap), 1, 2},
	} {
		for rname, open := range readers(tc.data) {
			r := NewReader(open(), Options{MaxLine: cap})
			n := 0
			var err error
			for {
				_, _, err = r.Next()
				if err != nil {
					break
				}
				n++
			}
			var long *LineTooLongError
			switch {
			case tc.line == 0 && err != io.EOF:
				t.Errorf("%s/%s: %v after %d statements, want EOF", tc.name, rname, err, n)
			case tc.line != 0 && (!errors.As(err, &long) || long.Line != tc.line || n != tc.read):
				t.Errorf("%s/%s: %v after %d statements, want line %d too long after %d", tc.name, rname, err, n, tc.line, tc.read)
			}
			if tc.line != 0 {
				if _, _, again := r.Next(); !errors.As(again, &long) {
					t.Errorf("%s/%s: the next call gives %v, want the same error", tc.name, rname, again)
				}
			}
		}
	}
}

// TestDefaultMaxLine: with the default cap, a line of NULs just over 64 MiB stops the
// reader, and the reader's buffer stays near the cap.
func TestDefaultMaxLine(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	r := NewReader(io.LimitReader(zeros{}, DefaultMaxLine+2), Options{})
	_, _, err := r.Next()
	var long *LineTooLongError
	if !errors.As(err, &long) || long.Line != 1 || !strings.Contains(err.Error(), "longer than 64 MiB") {
		t.Fatalf("Next: %v, want line 1 longer than 64 MiB", err)
	}
	r = NewReader(io.MultiReader(io.LimitReader(zeros{}, DefaultMaxLine), strings.NewReader("\n<a> <b> <c> .\n")), Options{})
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.TotalAlloc
	if _, _, err := r.Next(); err == nil || errors.As(err, &long) {
		t.Fatalf("a line of exactly 64 MiB: %v, want a syntax error", err)
	}
	runtime.ReadMemStats(&ms)
	if grew := ms.TotalAlloc - before; grew > 4*DefaultMaxLine { // buffers doubling up to the cap, garbage included
		t.Errorf("reading a 64 MiB line allocated %d MiB", grew>>20)
	}
	if q, _, err := r.Next(); err != nil || q.Subject == nil {
		t.Errorf("the line after: %v, %v", q, err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}
