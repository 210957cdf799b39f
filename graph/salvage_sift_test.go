package graph

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSift: the lines a load into a new store would refuse are set apart after their
// problems, round after round, and the rest validates; a claim set apart takes the facts
// it backs with it in the next round.
func TestSift(t *testing.T) {
	const source = `<s> <type> <Source> .
<s> <label> "A wire" .
`
	for _, c := range []struct {
		name     string
		in       string
		kept     string // the lines kept, in order
		rejected string // the rejected file
		rounds   int
	}{{
		name: "sound",
		in: source + `<c> <type> <Claim> .
<c> <source> <s> .
<c> <evidence> "Trump said so." .
<trump> <seeks> <ceasefire> <c> .
`,
		kept: source + `<c> <type> <Claim> .
<c> <source> <s> .
<c> <evidence> "Trump said so." .
<trump> <seeks> <ceasefire> <c> .
`,
		rounds: 1,
	}, {
		name: "a claim's type lost",
		in: source + `<c> <source> <s> .
<c> <evidence> "Trump said so." .
<trump> <seeks> <ceasefire> <c> .
<trump> <rejects> <sanctions> <c> .
`,
		kept: source + `<c> <source> <s> .
<c> <evidence> "Trump said so." .
`,
		rejected: `# <c> has no type (claim); give it one with <type>
<trump> <seeks> <ceasefire> <c> .
# <c> has no type (claim); give it one with <type>
<trump> <rejects> <sanctions> <c> .
`,
		rounds: 2,
	}, {
		name: "a claim's source lost",
		in: source + `<c> <type> <Claim> .
<c> <evidence> "Trump said so." .
<trump> <seeks> <ceasefire> <c> .
<d> <type> <Claim> .
<d> <source> <s> .
<d> <evidence> "Putin said no." .
<putin> <rejects> <ceasefire> <d> .
`,
		kept: source + `<c> <evidence> "Trump said so." .
<d> <type> <Claim> .
<d> <source> <s> .
<d> <evidence> "Putin said no." .
<putin> <rejects> <ceasefire> <d> .
`,
		rejected: `# claim <c> has no <source>
<c> <type> <Claim> .
# <c> has no type (claim); give it one with <type>
<trump> <seeks> <ceasefire> <c> .
`,
		rounds: 3,
	}, {
		name: "syntax and a literal out of range",
		in: source + `<c> <type> <Claim> .
<c> <source> <s> .
<c> <evidence> "Trump said so." .
<c> <modality> "rumoured" .
<c> <evidence .
`,
		kept: source + `<c> <type> <Claim> .
<c> <source> <s> .
<c> <evidence> "Trump said so." .
`,
		rejected: `# modality "rumoured" is not one of asserted, attributed, hedged, planned, considered, refused, inferred
<c> <modality> "rumoured" .
# character ' ' is not allowed in IRI
<c> <evidence .
`,
		rounds: 2,
	}} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "raw.nq")
			if err := os.WriteFile(path, []byte(c.in), 0o644); err != nil {
				t.Fatal(err)
			}
			bad, rounds, err := sift(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			var kept, rejected bytes.Buffer
			nk, nr, err := splitLines(path, bad, &kept, &rejected)
			if err != nil {
				t.Fatal(err)
			}
			if kept.String() != c.kept || rejected.String() != c.rejected || rounds != c.rounds {
				t.Errorf("kept:\n%s\nrejected:\n%s\nafter %d rounds; want kept:\n%s\nrejected:\n%s\nafter %d rounds",
					&kept, &rejected, rounds, c.kept, c.rejected, c.rounds)
			}
			if lines := strings.Count(c.in, "\n"); nk+nr != lines || nk != strings.Count(c.kept, "\n") {
				t.Errorf("%d lines kept and %d rejected of %d", nk, nr, lines)
			}
		})
	}
}
