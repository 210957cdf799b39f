package draft

import (
	"os"
	"strings"
	"testing"

	"github.com/parley/parley/graph/sheet"
)

// TestFollowUpExample drafts the fictional follow-up article of testdata with the seed's
// names, as a reviewer would see it (go test -run FollowUp -v prints it).
func TestFollowUpExample(t *testing.T) {
	text, err := os.ReadFile("testdata/followup-example.txt")
	if err != nil {
		t.Fatal(err)
	}
	_, lx := seedGold(t)
	sh, rep := Draft(string(text), lx, Options{Title: "Ceasefire talks stall (fictional example)", Published: "2025-03-20"})
	t.Log("\n" + dumpSheet(sh))
	t.Logf("%+v", rep)
	got := strings.Join(facts2(sh), "\n") + "\n"
	for _, want := range []string{
		"Ukraine rejects Russia’s demand for a neutral status\n",
		"European Union supports Monitored ceasefire",
		"Kaja Kallas warns Any deal without guarantees would not hold",
		"the Kremlin insistsOn Halt to Western arms deliveries",
		"Vladimir Putin considers Meeting with Donald Trump in Riyadh",
		"France supports Plan",
		"Russia attacks Odesa",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the draft lacks %q; it has\n%s", want, got)
		}
	}
	if strings.Contains(got, "the Kremlin rejects") {
		t.Error("“did not reject” drafted as a rejection")
	}
}

// facts2 lists a sheet's enabled facts as "Subject predicate Object".
func facts2(sh *sheet.Sheet) []string {
	var out []string
	for _, c := range sh.Claims {
		for _, f := range c.Facts {
			if !f.Disabled {
				out = append(out, f.Subject+" "+f.Predicate+" "+f.Object)
			}
		}
	}
	return out
}
