package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
)

// salvaged is a salvage and what became of it.
type salvaged struct {
	res      *graph.SalvageResult
	kept     []string // the kept file's lines
	rejected string   // the rejected file
}

// salvage salvages the store file at path into buffers.
func salvage(t *testing.T, path string) salvaged {
	t.Helper()
	var kept, rejected bytes.Buffer
	res, err := graph.Salvage(t.Context(), graph.Config{Path: path}, &kept, &rejected)
	if err != nil {
		t.Fatalf("Salvage(%s): %v", path, err)
	}
	return salvaged{res: res, kept: strings.Split(strings.TrimSuffix(kept.String(), "\n"), "\n"), rejected: rejected.String()}
}

// loadBack loads kept N-Quads as the salvage's help says, with foreign data admitted into
// a new store without the seed ('parley init --no-seed'), and returns the store's dump.
func loadBack(t *testing.T, kept []string) []string {
	t.Helper()
	s, _, err := graph.Open(context.Background(), graph.Config{Path: filepath.Join(t.TempDir(), "new.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := strings.Join(kept, "\n") + "\n"
	if _, err := s.Load(context.Background(), []graph.Input{graphtest.Input("kept.nq", text)}, graph.LoadOptions{AllowUnknown: true}); err != nil {
		t.Fatalf("the salvage does not load back: %v", err)
	}
	return graphtest.Dump(t, s)
}

// TestSalvageSound: the salvage of a sound store sets nothing apart and loads back to
// the same quads.
func TestSalvageSound(t *testing.T) {
	path := newBolt(t)
	s := openStore(t, graph.Config{Path: path, ReadOnly: true})
	want := graphtest.Dump(t, s)
	s.Close()
	got := salvage(t, path)
	if got.res.Rejected != 0 || got.rejected != "" || got.res.Rounds != 1 || got.res.Kept != len(want) || got.res.Salvaged != len(want) {
		t.Errorf("salvage of a sound store: %+v, rejected %q; want %d quads kept, none rejected, one round", got.res, got.rejected, len(want))
	}
	graphtest.SameDump(t, "the salvage loaded back", loadBack(t, got.kept), want)
}

// TestSalvageDamaged: a damaged store's salvage loads back into a new store, every quad
// it keeps; the quads set apart are those a load would refuse, each after its problems,
// and none is lost.
func TestSalvageDamaged(t *testing.T) {
	path := newBolt(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var claims []int // the node <Claim>, in the log and in any page freed since
	for i := 0; i < len(data); {
		j := bytes.Index(data[i:], []byte("Claim"))
		if j < 0 {
			break
		}
		claims = append(claims, i+j)
		i += j + 1
	}
	if len(claims) == 0 {
		t.Fatalf("the store does not hold the node <Claim>")
	}
	type damage struct {
		name         string
		damage       func(data []byte) []byte
		wantRejected bool // the damage takes claims' types: some facts must be set apart
	}
	page := claims[0] / 4096 * 4096
	cases := []damage{
		{"the page of <Claim> scribbled", func(d []byte) []byte {
			for _, c := range claims {
				p := c / 4096 * 4096
				copy(d[p:p+4096], bytes.Repeat([]byte{0x5a}, 4096))
			}
			return d
		}, true},
		{"<Claim> now <Clbim>", func(d []byte) []byte {
			for _, c := range claims {
				d[c+2] = 'b'
			}
			return d
		}, true},
	}
	// Cut short at each page around the log's: the quads of a page cut off are lost, but
	// not their claims' types, or the other way round.
	for n := page/4096 - 4; n < page/4096+16; n++ {
		cases = append(cases, damage{fmt.Sprintf("truncated to %d pages", n), func(d []byte) []byte { return d[:n*4096] }, false})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			damaged := filepath.Join(t.TempDir(), "damaged.db")
			if err := os.WriteFile(damaged, c.damage(slices.Clone(data)), 0o644); err != nil {
				t.Fatal(err)
			}
			got := salvage(t, damaged)
			t.Logf("%d salvaged, %d kept, %d rejected, %d rounds", got.res.Salvaged, got.res.Kept, got.res.Rejected, got.res.Rounds)
			if c.wantRejected && got.res.Rejected == 0 {
				t.Errorf("nothing set apart")
			}
			if got.res.Kept+got.res.Rejected != got.res.Salvaged {
				t.Errorf("%d kept and %d rejected of %d salvaged", got.res.Kept, got.res.Rejected, got.res.Salvaged)
			}
			var lines []string
			if got.rejected != "" {
				lines = strings.Split(strings.TrimSuffix(got.rejected, "\n"), "\n")
			}
			rejected := 0
			for i, line := range lines {
				if strings.HasPrefix(line, "# ") {
					continue
				}
				rejected++
				if i == 0 || !strings.HasPrefix(lines[i-1], "# ") {
					t.Errorf("rejected line %d has no problem before it: %s", i+1, line)
				}
			}
			if rejected != got.res.Rejected {
				t.Errorf("the rejected file holds %d quads, want %d", rejected, got.res.Rejected)
			}
			var want []string
			if got.res.Kept > 0 {
				want = slices.Compact(slices.Sorted(slices.Values(got.kept)))
			}
			graphtest.SameDump(t, "the salvage loaded back", loadBack(t, got.kept), want)
		})
	}
}

// TestSalvageWithoutMeta: with both meta pages gone (zeroed), the tree cannot be walked;
// every page is scanned, and every quad of the store is salvaged.
func TestSalvageWithoutMeta(t *testing.T) {
	path := newBolt(t)
	s := openStore(t, graph.Config{Path: path, ReadOnly: true})
	want := graphtest.Dump(t, s)
	s.Close()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, 8192), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	got := salvage(t, path)
	if !got.res.Scanned || got.res.Salvaged != len(want) {
		t.Errorf("salvage without meta pages: %+v; want every page scanned and %d quads", got.res, len(want))
	}
	graphtest.SameDump(t, "the salvage loaded back", loadBack(t, got.kept), want)
}
