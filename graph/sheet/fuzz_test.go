package sheet

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/parley/parley/schema"
)

// FuzzParse reads arbitrary text as claim sheets: no panic; every problem is in the file
// read, at one of its lines counted by line feeds; a sheet that parses is written and
// parses again.
func FuzzParse(f *testing.F) {
	for _, path := range []string{"../../cmd/testdata/examples/new-article.yaml", "../../cmd/testdata/examples/bad-sheet.yaml"} {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		"source:\n  title: T\nclaims:\n  - evidence: E\n    facts:\n      - A rejects B\n",
		"---\n---\nsource: [\n",
		"claims:\n  - facts: \"x\n",
		"source:\n  title: &a T\n  url: *a\n",
		"\t- : :\n  -\n",
		"source:\r  title: T\rclaims: [\r",
		"source:\r\n  title: T\r\nclaims:\r\n  - evidence: \"a\u2028b\"\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sheets, err := Parse("f.yaml", strings.NewReader(text))
		lines := strings.Count(text, "\n") + 1 // as editors, grep and sed -n Np count them
		var verr *schema.ValidationError
		if err != nil {
			if !errors.As(err, &verr) {
				t.Fatalf("error %v is not a *schema.ValidationError", err)
			}
			for _, p := range verr.Problems {
				if p.File != "f.yaml" || p.Line < 1 || p.Line > lines {
					t.Fatalf("problem at %s:%d of %d lines: %s", p.File, p.Line, lines, p.Msg)
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, sheets); err != nil {
			return // some sheets cannot be written back: that is not a crash
		}
		if _, err := Parse("again.yaml", &buf); err != nil {
			t.Fatalf("a sheet written from %q does not parse again: %v\n%s", text, err, buf.String())
		}
	})
}
