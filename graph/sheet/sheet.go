// Package sheet is parley's claim sheet: the YAML file people write (and `parley draft`
// proposes) to add a source's claims, with names instead of IDs and the evidence sentence
// written once per claim. It parses and writes sheets, keeping the line of every element
// for FILE:LINE messages; resolving names and turning a sheet into quads is the store's job.
package sheet

import "strings"

// Sheet is one source and the claims drawn from it: one YAML document. A file may hold
// several, separated by "---".
type Sheet struct {
	Source   Source   `yaml:"source"`
	Entities []Entity `yaml:"entities,omitempty"` // entities the sheet introduces
	Claims   []Claim  `yaml:"claims"`
	Skipped  []string `yaml:"-"` // sentences a draft proposed nothing for; written as comments
}

// Source is the document the claims are drawn from.
type Source struct {
	ID        string `yaml:"id,omitempty"`        // the source's IRI; derived from the title when empty
	Title     string `yaml:"title"`               // required
	Published string `yaml:"published,omitempty"` // ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
	URL       string `yaml:"url,omitempty"`
	Text      string `yaml:"text,omitempty"` // the source's full text, when attached
	Line      int    `yaml:"-"`
}

// Entity is an entity the sheet introduces: a name that resolves to nothing in the store
// becomes an entity only when the sheet declares it with a type.
type Entity struct {
	ID      string   `yaml:"id,omitempty"` // derived from the name when empty
	Name    string   `yaml:"name"`         // its label
	Type    string   `yaml:"type"`         // a type of the vocabulary
	Aliases []string `yaml:"aliases,omitempty"`
	New     bool     `yaml:"-"` // proposed by a draft as new: written with a comment saying so
	Line    int      `yaml:"-"`
}

// Claim is one statement of the source: the sentence it rests on and its facts.
type Claim struct {
	ID        string `yaml:"id,omitempty"`        // the claim's IRI; derived from the source when empty
	Evidence  string `yaml:"evidence"`            // the sentence, verbatim
	Offset    []int  `yaml:"offset,omitempty"`    // [start, end) byte offsets of the evidence in Source.Text
	Speaker   string `yaml:"speaker,omitempty"`   // a name
	Modality  string `yaml:"modality,omitempty"`  // default asserted
	Date      string `yaml:"date,omitempty"`      // when the facts hold, ISO 8601
	Condition string `yaml:"condition,omitempty"` // the condition the source attaches
	Facts     []Fact `yaml:"facts"`
	Line      int    `yaml:"-"`
}

// Fact is one fact of a claim, written `Subject predicate Object` with names quoted when
// they have spaces: `Kallas rejects "Ironclad security guarantees"`. The predicate is a
// name or either reading of one.
type Fact struct {
	Subject, Predicate, Object string
	Comment                    string  // written after the fact: a draft's rule and confidence
	Confidence                 float64 // a draft's confidence, 0 when written by hand
	Disabled                   bool    // written commented out (a low-confidence proposal)
	Line                       int
}

// Format is the name `parley load --format` and `parley export --format` give sheets.
const Format = "sheet"

// Extensions returns the file extensions of sheets, the usual one first.
func Extensions() []string { return []string{".yaml", ".yml"} }

// IsFile reports whether a file's name says it is a sheet: .yaml or .yml.
func IsFile(name string) bool {
	name = strings.ToLower(name)
	for _, ext := range Extensions() {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}
