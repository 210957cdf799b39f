package graph_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/schema"
)

// countingServer is an HTTP server on 127.0.0.1 that counts the requests it gets and
// answers each with a JSON-LD context; it stops with the test.
func countingServer(t *testing.T) (url string, requests *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	requests = &atomic.Int64{}
	srv := &http.Server{
		ReadTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			requests.Add(1)
			w.Header().Set("Content-Type", "application/ld+json")
			fmt.Fprintf(w, `{"@context": {"p": %q}}`, schema.Namespace)
		}),
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return "http://" + l.Addr().String() + "/ctx.jsonld", requests
}

// ldDoc is a JSON-LD document with the given @context (a JSON value) about one person.
func ldDoc(context string) string {
	return `{
  "@context": ` + context + `,
  "@id": "https://w3id.org/parley/someone",
  "@type": "https://w3id.org/parley/Person",
  "http://www.w3.org/2000/01/rdf-schema#label": "Someone"
}
`
}

// readProblems reads one input and returns its statements and problems as FILE:LINE: MSG.
func readProblems(t *testing.T, in graph.Input, opt graph.LoadOptions) (int, []string) {
	t.Helper()
	done := make(chan struct{})
	var p *graph.Parsed
	var err error
	go func() {
		defer close(done)
		p, err = graph.Read([]graph.Input{in}, opt)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("reading %s hangs", in.Name)
	}
	if err != nil {
		return 0, []string{"error: " + err.Error()}
	}
	var out []string
	if p.Syntax != nil {
		for _, pr := range p.Syntax.Problems {
			out = append(out, pr.String())
		}
	}
	return len(p.Statements), out
}

// TestJSONLDContextsAreNotFetched: a document's @context that names an address or a file
// is refused at its line, and nothing is asked of the server or opened on disk.
func TestJSONLDContextsAreNotFetched(t *testing.T) {
	url, requests := countingServer(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "ctx.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ctx := range []string{url, fifo, "/etc/passwd", "/dev/zero", "ctx.jsonld", "file:///etc/passwd"} {
		t.Run(ctx, func(t *testing.T) {
			n, problems := readProblems(t, graphtest.Input("doc.jsonld", ldDoc(fmt.Sprintf("%q", ctx))), graph.LoadOptions{})
			if n != 0 || len(problems) != 1 || !strings.HasPrefix(problems[0], "doc.jsonld:2: @context") ||
				!strings.Contains(problems[0], "--allow-context") {
				t.Errorf("read %d statements, problems %q; want none and one at doc.jsonld:2 naming --allow-context", n, problems)
			}
		})
	}
	// In a list of contexts, and as the whole document.
	n, problems := readProblems(t, graphtest.Input("list.jsonld", ldDoc(fmt.Sprintf(`[{"x": "http://example.org/"}, %q]`, url))), graph.LoadOptions{})
	if n != 0 || len(problems) != 1 || !strings.HasPrefix(problems[0], "list.jsonld:2: @context") {
		t.Errorf("context list: %d statements, problems %q", n, problems)
	}
	n, problems = readProblems(t, graphtest.Input("str.jsonld", fmt.Sprintf("%q", url)), graph.LoadOptions{})
	if n != 0 || len(problems) != 1 {
		t.Errorf("a document that is an address: %d statements, problems %q", n, problems)
	}
	if got := requests.Load(); got != 0 {
		t.Errorf("the server got %d requests, want 0", got)
	}

	// Named by the user, the same address is fetched, once.
	n, problems = readProblems(t, graphtest.Input("doc.jsonld", ldDoc(fmt.Sprintf("%q", url))), graph.LoadOptions{Contexts: []string{url}})
	if n != 2 || len(problems) != 0 || requests.Load() != 1 {
		t.Errorf("allowed context: %d statements, problems %q, %d requests; want 2, none, 1", n, problems, requests.Load())
	}
	// A FIFO allowed by name is still not opened: it is not a regular file.
	n, problems = readProblems(t, graphtest.Input("doc.jsonld", ldDoc(fmt.Sprintf("%q", fifo))), graph.LoadOptions{Contexts: []string{fifo}})
	if n != 0 || len(problems) != 1 || !strings.Contains(problems[0], "not a regular file") {
		t.Errorf("allowed FIFO: %d statements, problems %q", n, problems)
	}
}

// TestJSONLDParleyContextOffline: parley's own context needs no network.
func TestJSONLDParleyContextOffline(t *testing.T) {
	doc := `{"@context": "` + graph.ContextURL + `",
  "@id": "parley:someone", "@type": "parley:Person", "rdfs:label": "Someone"}`
	n, problems := readProblems(t, graphtest.Input("p.jsonld", doc), graph.LoadOptions{})
	if n != 2 || len(problems) != 0 {
		t.Errorf("read %d statements, problems %q; want 2, none", n, problems)
	}
}

// TestJSONLDInvalidTerms: what RDF cannot hold is a problem at its line, not dropped.
func TestJSONLDInvalidTerms(t *testing.T) {
	doc := `{
  "@context": "` + graph.ContextURL + `",
  "@graph": [
    {"@id": "parley:a{b}", "rdfs:label": "A"},
    {"@id": "parley:c", "rdfs:label": {"@value": "C", "@language": "en US"}},
    {"@id": "relative", "rdfs:label": "R"},
    {"@id": "parley:d", "http://example.org/p^q": "D"},
    {"@id": "parley:e", "rdfs:label": {"@value": "E", "@type": "http://example.org/a|b"}},
    {"@id": "parley:f", "@type": "http://example.org/T\\"}
  ]
}`
	n, problems := readProblems(t, graphtest.Input("bad.jsonld", doc), graph.LoadOptions{})
	var places []string
	for _, p := range problems {
		places = append(places, strings.SplitN(p, ": ", 2)[0])
	}
	slices.Sort(places)
	want := []string{"bad.jsonld:4", "bad.jsonld:5", "bad.jsonld:6", "bad.jsonld:7", "bad.jsonld:8", "bad.jsonld:9"}
	if n != 0 || !slices.Equal(places, want) {
		t.Errorf("read %d statements, problems:\n%s\nwant none, at %v", n, strings.Join(problems, "\n"), want)
	}
	for _, tc := range []struct{ name, doc, want string }{
		{"unmapped property", `{"@id": "http://example.org/x", "unmapped": "x"}`, "did not expand"},
		{"relative datatype", `{"@id": "http://example.org/x", "http://example.org/p": {"@value": "x", "@type": "nope"}}`, "absolute IRI"},
		{"trailing data", `{"@id": "http://example.org/x"} {}`, "data after the document"},
		{"not an object", `42`, "not an object"},
	} {
		n, problems := readProblems(t, graphtest.Input("x.jsonld", tc.doc), graph.LoadOptions{})
		if n != 0 || len(problems) != 1 || !strings.Contains(problems[0], tc.want) {
			t.Errorf("%s: read %d statements, problems %q; want one saying %q", tc.name, n, problems, tc.want)
		}
	}
}

// TestFileInputPipes: a named FIFO is read once and spooled, so that the several readings
// of a load all see it; devices and directories are refused.
func TestFileInputPipes(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "in.nq")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	text := "<someone> <label> \"Someone\" .\n<someone> <type> <Person> .\n"
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		io.WriteString(f, text)
		f.Close()
	}()
	in, err := graph.FileInput(fifo)
	if err != nil || !in.Once {
		t.Fatalf("FileInput(fifo) = %+v, %v; want an input read once", in, err)
	}
	s := emptyMemory(t)
	done := make(chan struct{})
	var res graph.LoadResult
	go func() {
		defer close(done)
		res, err = s.Load(t.Context(), []graph.Input{in}, graph.LoadOptions{})
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("loading a FIFO hangs")
	}
	if err != nil || res.Read != 2 || res.Written != 2 {
		t.Errorf("load FIFO: %+v, %v; want 2 read, 2 added", res, err)
	}
	for _, name := range []string{"/dev/zero", "/dev/urandom", dir} {
		if _, err := graph.FileInput(name); err == nil {
			t.Errorf("FileInput(%s) is accepted", name)
		}
	}
	if in, err := graph.FileInput(filepath.Join(dir, "..", filepath.Base(dir), "in.nq")); err != nil || !in.Once {
		t.Errorf("FileInput(fifo by another path) = %v", err)
	}
}

// TestSpoolReadOnce: an input that can be read once is read once, whatever the readings.
func TestSpoolReadOnce(t *testing.T) {
	text := "<someone> <label> \"Someone\" .\n<someone> <type> <Person> .\n"
	opens := 0
	in := graph.Input{Name: "-", Once: true, Open: func() (io.ReadCloser, error) {
		opens++
		if opens > 1 {
			return nil, errors.New("opened twice")
		}
		return io.NopCloser(strings.NewReader(text)), nil
	}}
	s := emptyMemory(t)
	res, err := s.Load(t.Context(), []graph.Input{in}, graph.LoadOptions{})
	if err != nil || res.Written != 2 || opens != 1 {
		t.Errorf("load stdin: %+v, %v, opened %d times", res, err, opens)
	}
}

// TestProblemsCapped: an input of endless bad lines keeps the first problems and a count,
// and the reading stops at the 1000th, at FILE:LINE, whether it is loaded, piped (nothing
// past the stop is spooled) or read for an unload.
func TestProblemsCapped(t *testing.T) {
	const line = "not a quad\n"
	for _, tc := range []struct {
		name  string
		input func(read *int64) graph.Input
		run   func(graph.Input) error
	}{
		{"load a file", func(read *int64) graph.Input {
			return graph.Input{Name: "bad.nq", Open: func() (io.ReadCloser, error) {
				return io.NopCloser(&countReader{r: repeatReader(line), n: read}), nil
			}}
		}, func(in graph.Input) error {
			_, err := emptyMemory(t).Load(t.Context(), []graph.Input{in}, graph.LoadOptions{})
			return err
		}},
		{"load a pipe", func(read *int64) graph.Input {
			return graph.Input{Name: "bad.nq", Once: true, Open: func() (io.ReadCloser, error) {
				return io.NopCloser(&countReader{r: repeatReader(line), n: read}), nil
			}}
		}, func(in graph.Input) error {
			_, err := emptyMemory(t).Load(t.Context(), []graph.Input{in}, graph.LoadOptions{})
			return err
		}},
		{"read for an unload", func(read *int64) graph.Input {
			return graph.Input{Name: "bad.nq", Open: func() (io.ReadCloser, error) {
				return io.NopCloser(&countReader{r: repeatReader(line), n: read}), nil
			}}
		}, func(in graph.Input) error {
			_, err := graph.Read([]graph.Input{in}, graph.LoadOptions{})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var read int64
			err := tc.run(tc.input(&read))
			var verr *schema.ValidationError
			if !errors.As(err, &verr) || len(verr.Problems) != schema.DefaultMaxProblems || verr.Omitted != 1000-schema.DefaultMaxProblems {
				t.Fatalf("error %v; want %d problems and %d more", err, schema.DefaultMaxProblems, 1000-schema.DefaultMaxProblems)
			}
			if verr.Problems[0].Line != 1 || verr.Problems[len(verr.Problems)-1].Line != schema.DefaultMaxProblems {
				t.Errorf("kept lines %d to %d, want the first", verr.Problems[0].Line, verr.Problems[len(verr.Problems)-1].Line)
			}
			if verr.Stopped == nil || verr.Stopped.File != "bad.nq" || verr.Stopped.Line != 1000 {
				t.Errorf("stopped at %+v, want bad.nq:1000", verr.Stopped)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "at least 1000 problems, nothing was written") || !strings.Contains(msg, "bad.nq:1000: stopped reading") {
				t.Errorf("message:\n%s", msg)
			}
			if read > 1<<20 {
				t.Errorf("read %d bytes of an input that stops being read at its 1000th line", read)
			}
		})
	}
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n *int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

// TestLineCap: a line over the cap (a gzip of NULs, say) stops the reading at FILE:LINE.
func TestLineCap(t *testing.T) {
	nuls := graph.Input{Name: "nul.nq", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(io.MultiReader(strings.NewReader("<a> <label> \"A\" .\n"), io.LimitReader(repeatReader("\x00"), 65<<20))), nil
	}}
	_, err := graph.Read([]graph.Input{nuls}, graph.LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "nul.nq:2: the line is longer than 64 MiB") {
		t.Errorf("read: %v", err)
	}
}

// repeatReader returns a reader that repeats s forever.
func repeatReader(s string) io.Reader { return &repeater{s: s} }

type repeater struct {
	s   string
	off int
}

func (r *repeater) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], r.s[r.off:])
		n += k
		r.off = (r.off + k) % len(r.s)
	}
	return n, nil
}

// emptyMemory opens an empty in-memory store that closes with the test.
func emptyMemory(t *testing.T) *graph.Store {
	t.Helper()
	s, _, err := graph.Open(t.Context(), graph.Config{Backend: graph.BackendMemory})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestJSONLDCap: a JSON-LD document, read whole, stops at MaxJSONLDBytes.
func TestJSONLDCap(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	big := graph.Input{Name: "big.jsonld", Open: func() (io.ReadCloser, error) {
		return io.NopCloser(io.LimitReader(repeatReader(" "), graph.MaxJSONLDBytes+1)), nil
	}}
	if _, err := graph.Read([]graph.Input{big}, graph.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "larger than 64 MiB") {
		t.Errorf("read: %v", err)
	}
}
