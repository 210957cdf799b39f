package cmd

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/piprate/json-gold/ld"
	"gonum.org/v1/gonum/graph/formats/dot"

	"github.com/parley/parley/graph/export"
)

// runParley runs one command line in process and returns its exit code and streams.
func runParley(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	io := &IOStreams{In: strings.NewReader(""), Out: &out, ErrOut: &errOut}
	code = run(context.Background(), args, io, func(string) string { return "" })
	return code, out.String(), errOut.String()
}

// TestExportForeignData exports the neighbourhood of one film of Cayley's 30k-movie data
// set, loaded with --allow-unknown, in every format: foreign predicates, blank nodes,
// literal objects, no labels. The N-Quads loaded into an empty store give the same export.
func TestExportForeignData(t *testing.T) {
	if os.Getenv("PARLEY_LONG_TESTS") == "" {
		t.Skip("loads 471,705 quads of Cayley's movie data: set PARLEY_LONG_TESTS=1 (CI does)")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "movies.db")
	mustRun(t, "--db", db, "init", "--no-seed")
	mustRun(t, "--db", db, "load", "--allow-unknown", filepath.Join(cayleyDataDir(t), "30kmoviedata.nq.gz"))

	const film = "</en/casablanca_1942>"
	counts := regexp.MustCompile(`^exported (\d+) facts, (\d+) nodes, (\d+) quads to `)
	for _, f := range export.Formats() {
		t.Run(f.Name, func(t *testing.T) {
			t.Parallel()
			file := filepath.Join(dir, "casablanca"+f.Extensions[0])
			code, _, stderr := runParley("--db", db, "export", "--around", film, "--depth", "1", "--file", file)
			if f.Name == export.Sheet {
				// A sheet holds a source's claims; foreign data has neither, and says so.
				if code != 1 || !strings.Contains(stderr, "a sheet is a source's") {
					t.Fatalf("exit %d: %s; want exit 1, no source", code, stderr)
				}
				return
			}
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			m := counts.FindStringSubmatch(stderr)
			if m == nil {
				t.Fatalf("stderr: %q", stderr)
			}
			facts, _ := strconv.Atoi(m[1])
			quads, _ := strconv.Atoi(m[3])
			if facts < 17 { // directed by, 15 performances, name
				t.Fatalf("%d facts: %s", facts, stderr)
			}
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			checkForeign(t, f.Name, data, facts, quads)
		})
	}
	t.Run("round trip", func(t *testing.T) {
		t.Parallel()
		exported := filepath.Join(dir, "film.nq")
		mustRun(t, "--db", db, "export", "--around", film, "--file", exported)
		empty := filepath.Join(dir, "film.db")
		mustRun(t, "--db", empty, "init", "--no-seed")
		mustRun(t, "--db", empty, "load", "--allow-unknown", exported)
		back := mustRun(t, "--db", empty, "export")
		want, err := os.ReadFile(exported)
		if err != nil {
			t.Fatal(err)
		}
		if string(back) != string(want) {
			t.Errorf("loaded and exported again:\n%s\nwant\n%s", back, want)
		}
	})
}

// checkForeign checks one format's export of foreign data with the format's own reader.
func checkForeign(t *testing.T, format string, data []byte, facts, quads int) {
	t.Helper()
	switch format {
	case export.NQuads:
		if n := strings.Count(string(data), "\n"); n != quads {
			t.Errorf("%d lines, want %d quads", n, quads)
		}
	case export.JSONLD:
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		opts := ld.NewJsonLdOptions("")
		opts.Format = "application/n-quads"
		rdf, err := ld.NewJsonLdProcessor().ToRDF(doc, opts)
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(rdf.(string), "\n"); n != quads {
			t.Errorf("JSON-LD expands to %d quads, want %d", n, quads)
		}
	case export.JSON:
		var g export.JSONGraph
		if err := json.Unmarshal(data, &g); err != nil {
			t.Fatal(err)
		}
		if len(g.Edges) != facts {
			t.Errorf("%d edges, want %d", len(g.Edges), facts)
		}
	case export.DOT:
		if _, err := dot.ParseBytes(data); err != nil {
			t.Errorf("gonum cannot parse the DOT: %v", err)
		}
	case export.GraphML, export.SVG:
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := dec.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Errorf("invalid XML: %v", err)
				}
				break
			}
		}
		if format == export.GraphML && strings.Count(string(data), "<edge ") != facts {
			t.Errorf("want %d edges", facts)
		}
	case export.CSV:
		rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != facts+1 {
			t.Errorf("%d rows, want %d and a header", len(rows)-1, facts)
		}
	case export.GML, export.Mermaid:
		if strings.Count(string(data), "source ")+strings.Count(string(data), "-->") != facts {
			t.Errorf("want %d edges:\n%s", facts, data)
		}
	case export.PNG:
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			t.Errorf("no PNG signature")
		}
	}
}
