package nquads

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"
)

// relativeOnly lists the W3C negative tests whose sole problem is a relative
// IRI: the default (Cayley) dialect admits them, Strict rejects them. Any
// other negative test must fail in both dialects, and each of these must pass
// without Strict, so the list can neither hide a regression nor go stale.
var relativeOnly = map[string]bool{
	"nq-syntax-bad-uri-01": true, // relative graph label <g>
	"nt-syntax-bad-uri-06": true, // relative subject <s>
	"nt-syntax-bad-uri-07": true, // relative predicate <p>
	"nt-syntax-bad-uri-08": true, // relative object <o>
	"nt-syntax-bad-uri-09": true, // relative datatype "foo"^^<dt>
}

// cayleyKeepsIRIEscapes lists the positive tests where we differ from Cayley
// on purpose: the grammar decodes \u0053 in an IRI to "S", Cayley keeps the
// escape verbatim. The subject each reader produces is given.
var cayleyKeepsIRIEscapes = map[string]struct{ ours, cayley quad.IRI }{
	"nt-syntax-uri-02": {"http://example/S", `http://example/\u0053`},
	"nt-syntax-uri-03": {"http://example/S", `http://example/\U00000053`},
}

// cayleyNeedsSpaces gives, for valid files that Cayley's reader rejects, the
// same statements spaced out as Cayley needs, to compare values with.
var cayleyNeedsSpaces = map[string]string{
	// Cayley wants white space between terms and before the final '.'.
	"minimal_whitespace": `<http://example/s> <http://example/p> <http://example/o> .
<http://example/s> <http://example/p> "Alice" .
<http://example/s> <http://example/p> _:o .
_:s <http://example/p> <http://example/o> .
_:s <http://example/p> "Alice" .
_:s <http://example/p> _:bnode1 .
`,
}

// w3cTest is one entry of a W3C syntax test manifest.
type w3cTest struct {
	name     string
	positive bool
	data     []byte
}

var manifestEntry = regexp.MustCompile(`(?s)<#([^>]+)>\s+(?:a|rdf:type)\s+rdft:Test(NQuads|NTriples)(Positive|Negative)Syntax\s*;.*?mf:action\s+<([^>]+)>`)

// loadSuite reads a W3C test tarball from the quad module's directory and
// returns its tests as its manifest.ttl classifies them.
func loadSuite(t *testing.T, tarball string) []w3cTest {
	t.Helper()
	path := filepath.Join(moduleDir(t, quadModule), tarball)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	files := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if files[filepath.Base(h.Name)], err = io.ReadAll(tr); err != nil {
			t.Fatalf("%s: %s: %v", path, h.Name, err)
		}
	}
	manifest, ok := files["manifest.ttl"]
	if !ok {
		t.Fatalf("%s: no manifest.ttl", path)
	}
	var tests []w3cTest
	for _, m := range manifestEntry.FindAllSubmatch(manifest, -1) {
		name, positive, action := string(m[1]), string(m[3]) == "Positive", string(m[4])
		data, ok := files[action]
		if !ok {
			t.Fatalf("%s: %s: missing %s", path, name, action)
		}
		if strings.Contains(name, "-bad-") == positive {
			t.Fatalf("%s: %s: manifest says positive=%v, name disagrees", path, name, positive)
		}
		tests = append(tests, w3cTest{name, positive, data})
	}
	return tests
}

// parseErr reads data to the end and returns the first error, if any.
func parseErr(data []byte, opt Options) error {
	r := NewReader(bytes.NewReader(data), opt)
	for {
		_, _, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestW3CSuites(t *testing.T) {
	for _, suite := range []struct {
		tarball       string
		triples       bool
		positive, bad int
	}{
		{"nquad_tests.tar.gz", false, 53, 32},
		{"ntriple_tests.tar.gz", true, 41, 27},
	} {
		t.Run(suite.tarball, func(t *testing.T) {
			tests := loadSuite(t, suite.tarball)
			var pos, neg int
			for _, tc := range tests {
				if tc.positive {
					pos++
				} else {
					neg++
				}
				t.Run(tc.name, func(t *testing.T) {
					checkW3C(t, tc, suite.triples)
				})
			}
			if pos != suite.positive || neg != suite.bad {
				t.Errorf("manifest has %d positive and %d negative tests, want %d and %d", pos, neg, suite.positive, suite.bad)
			}
		})
	}
}

func checkW3C(t *testing.T, tc w3cTest, triples bool) {
	strict := Options{Strict: true, Triples: triples}
	lenient := Options{Triples: triples}
	if !tc.positive {
		if err := parseErr(tc.data, strict); err == nil {
			t.Errorf("strict: accepted a negative test:\n%s", tc.data)
		} else if !errors.As(err, new(*SyntaxError)) {
			t.Errorf("strict: error %v is not a *SyntaxError", err)
		}
		err := parseErr(tc.data, lenient)
		if relativeOnly[tc.name] && err != nil {
			t.Errorf("default dialect: rejected a test whose only problem is a relative IRI: %v", err)
		}
		if !relativeOnly[tc.name] && err == nil {
			t.Errorf("default dialect: accepted a negative test:\n%s", tc.data)
		}
		return
	}
	if err := parseErr(tc.data, strict); err != nil {
		t.Fatalf("strict: %v\n%s", err, tc.data)
	}
	ours := readAll(t, tc.data, lenient)
	cayleyInput := tc.data
	if spaced, ok := cayleyNeedsSpaces[tc.name]; ok {
		cayleyInput = []byte(spaced)
	}
	theirs := readAllCayley(t, cayleyInput)
	if d, ok := cayleyKeepsIRIEscapes[tc.name]; ok {
		if len(ours) != 1 || len(theirs) != 1 || ours[0].Quad.Subject != d.ours || theirs[0].Subject != d.cayley {
			t.Fatalf("subjects: got %v, Cayley %v; want %q and %q", ours, theirs, d.ours, d.cayley)
		}
		ours[0].Quad.Subject = d.cayley
	}
	compareWithCayley(t, ours, theirs)
	// An N-Quads file that names a graph is an N-Triples syntax error.
	if !triples && !strings.HasPrefix(tc.name, "nt-") && hasLabel(ours) {
		if err := parseErr(tc.data, Options{Triples: true}); err == nil {
			t.Errorf("triples: accepted a graph label:\n%s", tc.data)
		}
	}
}

func hasLabel(qs []lineQuad) bool {
	for _, q := range qs {
		if q.Quad.Label != nil {
			return true
		}
	}
	return false
}
