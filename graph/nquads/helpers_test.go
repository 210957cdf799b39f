package nquads

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
	cnquads "github.com/cayleygraph/quad/nquads"
)

const (
	quadModule   = "github.com/cayleygraph/quad"
	cayleyModule = "github.com/cayleygraph/cayley"
)

var moduleDirs sync.Map // module path -> directory

// moduleDir returns the directory of a module in the build list.
func moduleDir(t testing.TB, mod string) string {
	t.Helper()
	if dir, ok := moduleDirs.Load(mod); ok {
		return dir.(string)
	}
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mod).CombinedOutput()
	dir := strings.TrimSpace(string(out))
	if err != nil || dir == "" {
		t.Fatalf("locating module %s: go list -m: %v\n%s", mod, err, out)
	}
	moduleDirs.Store(mod, dir)
	return dir
}

var (
	movieOnce sync.Once
	movieData []byte
	movieErr  error
)

// movieQuads returns Cayley's data/30kmoviedata.nq.gz, decompressed once.
func movieQuads(t testing.TB) []byte {
	t.Helper()
	path := filepath.Join(moduleDir(t, cayleyModule), "data", "30kmoviedata.nq.gz")
	movieOnce.Do(func() {
		f, err := os.Open(path)
		if err != nil {
			movieErr = err
			return
		}
		defer f.Close()
		zr, err := gzip.NewReader(f)
		if err != nil {
			movieErr = err
			return
		}
		movieData, movieErr = io.ReadAll(zr)
	})
	if movieErr != nil {
		t.Fatalf("reading %s: %v", path, movieErr)
	}
	return movieData
}

// lineQuad is a statement with the line it came from.
type lineQuad struct {
	Line int
	Quad quad.Quad
}

// readAll reads every statement of data, failing the test on any error.
func readAll(t testing.TB, data []byte, opt Options) []lineQuad {
	t.Helper()
	var out []lineQuad
	r := NewReader(bytes.NewReader(data), opt)
	for {
		q, line, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, lineQuad{line, q})
	}
}

// readAllCayley reads every statement of data with Cayley's own reader.
func readAllCayley(t testing.TB, data []byte) []quad.Quad {
	t.Helper()
	var out []quad.Quad
	r := cnquads.NewReader(bytes.NewReader(data), false)
	for {
		q, err := r.ReadQuad()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Cayley's ReadQuad: %v", err)
		}
		out = append(out, q)
	}
}

// valueEqual compares values by type and content; times compare as instants
// with the same offset, floats bit for bit (so NaN equals NaN).
func valueEqual(a, b quad.Value) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	switch a := a.(type) {
	case quad.Time:
		ta, tb := time.Time(a), time.Time(b.(quad.Time))
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		return ta.Equal(tb) && oa == ob
	case quad.Float:
		return math.Float64bits(float64(a)) == math.Float64bits(float64(b.(quad.Float)))
	}
	return a == b
}

func quadEqual(a, b quad.Quad) bool {
	return valueEqual(a.Subject, b.Subject) && valueEqual(a.Predicate, b.Predicate) &&
		valueEqual(a.Object, b.Object) && valueEqual(a.Label, b.Label)
}

// compareWithCayley checks that ours equals Cayley's reading, in order.
func compareWithCayley(t *testing.T, ours []lineQuad, theirs []quad.Quad) {
	t.Helper()
	if len(ours) != len(theirs) {
		t.Errorf("read %d quads, Cayley read %d", len(ours), len(theirs))
	}
	bad := 0
	for i := 0; i < len(ours) && i < len(theirs); i++ {
		if !quadEqual(ours[i].Quad, theirs[i]) {
			t.Errorf("line %d: got %#v, Cayley has %#v", ours[i].Line, ours[i].Quad, theirs[i])
			if bad++; bad == 10 {
				t.Fatal("too many differences")
			}
		}
	}
}
