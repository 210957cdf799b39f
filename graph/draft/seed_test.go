package draft

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
	"github.com/parley/parley/seed"
)

// seedGold reads the seed's quads: the gold, and a lexicon without the article's own
// positions and events (a draft must propose those; knowing them would leak the answer).
func seedGold(t testing.TB) (*Gold, *Lexicon) {
	t.Helper()
	qs, err := ReadQuads(bytes.NewReader(seed.Quads()))
	if err != nil {
		t.Fatal(err)
	}
	return GoldFromQuads(qs), LexiconFromQuads(qs, schema.TypePosition, schema.TypeEvent)
}

func dumpSheet(sh *sheet.Sheet) string {
	var b strings.Builder
	for _, c := range sh.Claims {
		fmt.Fprintf(&b, "%.70s… [%s|%s|%s|%s]\n", c.Evidence, c.Speaker, c.Modality, c.Date, c.Condition)
		for _, f := range c.Facts {
			fmt.Fprintf(&b, "   %v %s | %s | %s   %.2f  %s\n", !f.Disabled, f.Subject, f.Predicate, f.Object, f.Confidence, f.Comment)
		}
	}
	for _, s := range sh.Skipped {
		fmt.Fprintf(&b, "SKIP %.90s\n", s)
	}
	return b.String()
}

func TestDumpSeed(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip("DUMP=1 prints the seed's draft and score")
	}
	g, lx := seedGold(t)
	sh, rep := Draft(seed.Article(), lx, Options{Title: "seed", Published: "2025-03"})
	t.Log("\n" + dumpSheet(sh))
	t.Logf("%+v", rep)
	for _, sc := range []Scope{{Predicates: StancePredicates}, {Predicates: PatternPredicates()}} {
		s := Evaluate(sh, g, sc)
		t.Logf("P=%.2f R=%.2f (%d/%d/%d) speaker %d modality %d verbatim %d/%d", s.Precision, s.Recall, s.Matched, s.Predicted, s.Gold, s.SpeakerRight, s.ModalityRight, s.Verbatim, s.Claims)
		t.Log("WRONG\n" + strings.Join(s.Wrong, "\n"))
		t.Log("MISSED\n" + strings.Join(s.Missed, "\n"))
		t.Log("DIFFER\n" + strings.Join(s.Differ, "\n"))
	}
}

func TestDumpHalves(t *testing.T) {
	if os.Getenv("DUMP") == "" {
		t.Skip()
	}
	n := 0
	for _, s := range Sentences(seed.Article()) {
		if s.Heading {
			continue
		}
		n++
		t.Logf("%d %s %.80s", n, map[int]string{1: "A", 0: "B"}[n%2], s.Text)
	}
}
