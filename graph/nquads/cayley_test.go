package nquads

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMatchesCayleyData reads Cayley's own data files and checks that every
// quad equals what Cayley's reader makes of it, in order.
func TestMatchesCayleyData(t *testing.T) {
	dir := filepath.Join(moduleDir(t, cayleyModule), "data")
	for _, tc := range []struct {
		file  string
		quads int
	}{
		{"testdata.nq", 15},
		{"testdata_multigraph.nq", 16},
		{"30kmoviedata_gephi_meta.nq", 3},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			ours := readAll(t, data, Options{})
			if len(ours) != tc.quads {
				t.Errorf("read %d quads, want %d", len(ours), tc.quads)
			}
			compareWithCayley(t, ours, readAllCayley(t, data))
		})
	}
	t.Run("30kmoviedata.nq.gz", func(t *testing.T) {
		if os.Getenv("PARLEY_LONG_TESTS") == "" {
			t.Skip("471,705 quads of Cayley's movie data: set PARLEY_LONG_TESTS=1 (CI does)")
		}
		data := movieQuads(t)
		ours := readAll(t, data, Options{})
		if want := 471705; len(ours) != want {
			t.Errorf("read %d quads, want %d", len(ours), want)
		}
		compareWithCayley(t, ours, readAllCayley(t, data))
	})
}
