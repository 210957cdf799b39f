package draft

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/parley/parley/graph/sheet"
	"github.com/parley/parley/schema"
)

// testLexicon is a small store's worth of names.
func testLexicon() *Lexicon {
	return NewLexicon([]Entity{
		{ID: "trump", Label: "Donald Trump", Type: schema.TypePerson, Aliases: []string{"Trump"}},
		{ID: "putin", Label: "Vladimir Putin", Type: schema.TypePerson, Aliases: []string{"Putin"}},
		{ID: "grushko", Label: "Alexander Grushko", Type: schema.TypePerson},
		{ID: "kallas", Label: "Kaja Kallas", Type: schema.TypePerson},
		{ID: "usa", Label: "United States", Type: schema.TypeState, Aliases: []string{"US", "U.S."}},
		{ID: "russia", Label: "Russia", Type: schema.TypeState},
		{ID: "ukraine", Label: "Ukraine", Type: schema.TypeState},
		{ID: "uk", Label: "United Kingdom", Type: schema.TypeState, Aliases: []string{"UK"}},
		{ID: "france", Label: "France", Type: schema.TypeState},
		{ID: "kremlin", Label: "the Kremlin", Type: schema.TypeOrganization, Aliases: []string{"Moscow"}},
		{ID: "moscow", Label: "Moscow", Type: schema.TypePlace},
		{ID: "president-of-usa", Label: "President of the United States", Type: schema.TypeRole, Aliases: []string{"US President"}, Holders: []string{"trump"}},
		{ID: "rdfm", Label: "Deputy Foreign Minister of Russia", Type: schema.TypeRole, Aliases: []string{"deputy foreign minister"}, Holders: []string{"grushko"}, RoleOf: []string{"russia"}},
		{ID: "peacekeepers", Label: "Peacekeepers", Type: schema.TypePosition, Aliases: []string{"peacekeeping forces"}},
	})
}

func TestSentences(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // headings marked "# "
	}{
		{"two sentences", "Russia rejected it. Ukraine accepted it.", []string{"Russia rejected it.", "Ukraine accepted it."}},
		{"a quotation stays whole", "Trump said: “We’ll talk. We’ll see.” Putin agreed.", []string{"Trump said: “We’ll talk. We’ll see.”", "Putin agreed."}},
		{"straight quotes", `He said "No. Never." Then he left.`, []string{`He said "No. Never."`, "Then he left."}},
		{"a quotation ends the sentence", "“We want peace,” Trump told reporters. “Maybe we can.”", []string{"“We want peace,” Trump told reporters.", "“Maybe we can.”"}},
		{"abbreviations", "The U.S. President met Dr. Smith. He left.", []string{"The U.S. President met Dr. Smith.", "He left."}},
		{"headings", "Putin’s ‘Ironclad’ Demands\nRussia insists on guarantees.\n\nPeacekeeping & Response\n", []string{"# Putin’s ‘Ironclad’ Demands", "Russia insists on guarantees.", "# Peacekeeping & Response"}},
		{"a lowercase word does not start a sentence", "It cost 3.5 billion. e.g. this.", []string{"It cost 3.5 billion. e.g. this."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, s := range Sentences(tc.text) {
				if tc.text[s.Start:s.End] != s.Text {
					t.Errorf("offsets [%d, %d) give %q, not %q", s.Start, s.End, tc.text[s.Start:s.End], s.Text)
				}
				if s.Heading {
					got = append(got, "# "+s.Text)
				} else {
					got = append(got, s.Text)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestMentions(t *testing.T) {
	lx := testLexicon()
	for _, tc := range []struct {
		name, prev, text string
		want             []string // name/type of each mention
	}{
		{"labels, aliases and a leading the", "", "The Kremlin said Trump and the U.S. agreed.", []string{"the Kremlin/Organization", "Donald Trump/Person", "United States/State"}},
		{"a role before a name folds into it", "", "US President Donald Trump spoke.", []string{"Donald Trump/Person"}},
		{"a role alone is its holder", "", "Russia’s deputy foreign minister said no.", []string{"Russia/State", "Alexander Grushko/Person"}},
		{"a surname of a known person", "", "Grushko said no.", []string{"Alexander Grushko/Person"}},
		{"a place after in, an actor otherwise", "", "Moscow said talks in Moscow went well.", []string{"the Kremlin/Organization", "Moscow/Place"}},
		{"he is the last person named", "Putin spoke.", "He left.", []string{"Vladimir Putin/Person"}},
		{"us is no US", "", "Let us see what the US does.", []string{"United States/State"}},
		{"a new name after a title", "", "Spokesman Dmitry Peskov said so.", []string{"Dmitry Peskov/Person"}},
		{"a new organization", "", "The Atlantic Council said so.", []string{"Atlantic Council/Organization"}},
		{"adjectives of nationality are not names", "", "Russian media and Western sanctions.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ctx context
			if tc.prev != "" {
				findMentions(tokenize(tc.prev), lx, &ctx)
			}
			var got []string
			for _, m := range findMentions(tokenize(tc.text), lx, &ctx) {
				got = append(got, m.name+"/"+m.typ)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("mentions of %q\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

// facts drafts text and returns its enabled facts as "Subject predicate Object".
func facts(text string, opt Options) []string {
	sh, _ := Draft(text, testLexicon(), opt)
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

func TestPatterns(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"a verb", "Russia rejected peacekeeping forces.", []string{"Russia rejects Peacekeepers"}},
		{"negation undoes it", "Russia did not reject peacekeeping forces.", nil},
		{"n't undoes it", "Russia didn't reject peacekeeping forces.", nil},
		{"never undoes it", "Russia has never accepted the plan.", nil},
		{"a negation before another verb does not", "He did not specify details but Russia rejected the plan.", []string{"Russia rejects Plan"}},
		{"a passive", "The plan was rejected by Russia.", []string{"Russia rejects Plan"}},
		{"a passive without an agent proposes nothing", "The plan was rejected.", nil},
		{"a phrasal verb", "Russia insists on ironclad security guarantees.", []string{"Russia insistsOn Ironclad security guarantees"}},
		{"a progressive", "Putin is demanding guarantees.", []string{"Vladimir Putin demands Guarantees"}},
		{"a participle", "With Ukraine backing the plan, talks began.", []string{"Ukraine supports Plan"}},
		{"a noun after a possessive", "Ukraine’s acceptance of the plan has come late.", []string{"Ukraine accepts Plan"}},
		{"an adjective after be", "Moscow remained optimistic about the talks.", []string{"the Kremlin optimisticAbout Talks"}},
		{"a that-clause", "Kaja Kallas warned that hurdles remain before a deal.", []string{"Kaja Kallas warns Hurdles remain before a deal"}},
		{"joined subjects", "The UK and France are considering sending peacekeepers.", []string{"United Kingdom considers Sending peacekeepers", "France considers Sending peacekeepers"}},
		{"a list of objects", "He also seeks relief from sanctions and early elections.", nil}, // no person named yet
		{"a list of objects after a name", "Putin seeks relief from sanctions and early elections.", []string{"Vladimir Putin seeks Relief from sanctions", "Vladimir Putin seeks Early elections"}},
		{"including adds an object", "Russia insists on guarantees, including neutrality.", []string{"Russia insistsOn Guarantees", "Russia insistsOn Neutrality"}},
		{"a relative clause", "Trump praised the proposal that Ukraine accepted.", []string{"Ukraine accepts Proposal"}},
		{"a conjunct verb keeps the subject", "Putin spoke at length and is demanding elections.", []string{"Vladimir Putin demands Elections"}},
		{"a plural noun is no verb", "Russia sets tough demands on land.", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := facts(tc.text, Options{}); !slices.Equal(got, tc.want) {
				t.Errorf("facts of %q\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

// claimOf drafts one sentence and returns its claims as "speaker|modality|date|condition: facts".
func claimsOf(text, published string) []string {
	sh, _ := Draft(text, testLexicon(), Options{Published: published})
	var out []string
	for _, c := range sh.Claims {
		var fs []string
		for _, f := range c.Facts {
			fs = append(fs, f.Predicate)
		}
		out = append(out, fmt.Sprintf("%s|%s|%s|%s: %s", c.Speaker, c.Modality, c.Date, c.Condition, strings.Join(fs, ",")))
	}
	return out
}

func TestModalityAndSpeaker(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"the reporter's voice has no speaker", "Russia rejected the plan.", []string{"|asserted||: rejects"}},
		{"a deed has no speaker", "Ukraine accepted the plan.", []string{"|asserted||: accepts"}},
		{"X told", "“We want elections,” Trump told reporters.", []string{"Donald Trump|attributed||: seeks"}},
		{"according to", "According to Kaja Kallas, Russia rejected the plan.", []string{"Kaja Kallas|attributed||: rejects"}},
		{"according to the", "Russia rejected the plan, according to the Kremlin.", []string{"the Kremlin|attributed||: rejects"}},
		{"announced that", "Kaja Kallas announced that France is considering sending troops.", []string{"Kaja Kallas|considered||: announces,considers"}},
		{"hedged", "Trump likely referred to the plan.", []string{"|hedged||: discusses"}},
		{"planned", "Russia will reject the plan.", []string{"Russia|planned||: rejects"}},
		{"refused, in its own clause", "The Kremlin confirmed the call but remained tight-lipped on land.", []string{"the Kremlin|attributed||: confirms", "the Kremlin|refused||: declinesToComment"}},
		{"a question is hedged", "Asked whether the US would back a deal, he said nothing.", []string{"|hedged||: supports"}},
		{"a condition", "Russia rejected peacekeeping forces until the war is over.", []string{"|asserted||until the war is over: rejects"}},
		{"a quotation alone keeps the last speaker", "Putin said so. “We demand guarantees.”", []string{"Vladimir Putin|attributed||: demands"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := claimsOf(tc.text, ""); !slices.Equal(got, tc.want) {
				t.Errorf("claims of %q\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestDates(t *testing.T) {
	for _, tc := range []struct {
		text, published, want string
	}{
		{"Russia rejected the plan on Tuesday.", "2025-03-20", "2025-03-18"}, // a Thursday: the Tuesday before
		{"Russia will reject the plan on Tuesday.", "2025-03-17", "2025-03-18"},
		{"Russia rejected the plan yesterday.", "2025-03-17", "2025-03-16"},
		{"Last month, Russia rejected the plan.", "2025-03", "2025-02"},
		{"Last month, Russia rejected the plan.", "2025-01-10", "2024-12"},
		{"Last year, Russia rejected the plan.", "2025-03", "2024"},
		{"On March 18, Russia rejected the plan.", "2025-03-20", "2025-03-18"},
		{"In February, Russia rejected the plan.", "2025-03-20", "2025-02"},
		{"On Tuesday, Russia rejected the plan.", "2025-03", ""}, // a month does not tell the day
		{"Russia rejected the plan.", "2025-03-20", ""},
	} {
		sh, _ := Draft(tc.text, testLexicon(), Options{Published: tc.published})
		if len(sh.Claims) != 1 {
			t.Errorf("%q: %d claims", tc.text, len(sh.Claims))
			continue
		}
		if got := sh.Claims[0].Date; got != tc.want {
			t.Errorf("%q published %s: date %q, want %q", tc.text, tc.published, got, tc.want)
		}
	}
}

func TestDraftSheet(t *testing.T) {
	text := "Crisis Talks\nRussia rejected peacekeeping forces. Meanwhile, hostilities persist. Kaja Kallas might be considering x.\n"
	sh, rep := Draft(text, testLexicon(), Options{Title: "Wire", Published: "2025-03-20", Threshold: 0.75})
	if sh.Source.Title != "Wire" || sh.Source.Published != "2025-03-20" || sh.Source.Text != text {
		t.Errorf("source %+v", sh.Source)
	}
	for _, c := range sh.Claims {
		if text[c.Offset[0]:c.Offset[1]] != c.Evidence {
			t.Errorf("evidence %q is not the text at %v", c.Evidence, c.Offset)
		}
		for _, f := range c.Facts {
			if f.Comment == "" || f.Confidence == 0 {
				t.Errorf("fact %+v has no rule or confidence", f)
			}
		}
	}
	if !slices.Equal(sh.Skipped, []string{"Meanwhile, hostilities persist."}) {
		t.Errorf("skipped %q", sh.Skipped)
	}
	if !slices.Equal(rep.Headings, []string{"Crisis Talks"}) {
		t.Errorf("headings %q", rep.Headings)
	}
	// "x" is a one-word position found with a new subject... below 0.75: disabled.
	var disabled []sheet.Fact
	for _, c := range sh.Claims {
		for _, f := range c.Facts {
			if f.Disabled {
				disabled = append(disabled, f)
			}
		}
	}
	if len(disabled) != 1 || disabled[0].Object != "X" || rep.Disabled != 1 {
		t.Errorf("disabled %+v (report %d)", disabled, rep.Disabled)
	}
	if !slices.ContainsFunc(sh.Entities, func(e sheet.Entity) bool { return e.Name == "X" && e.New && e.Type == schema.TypePosition }) {
		t.Errorf("entities %+v lack the new position", sh.Entities)
	}
}
