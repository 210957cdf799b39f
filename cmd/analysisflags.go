package cmd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/parley/parley/schema"
)

// evidenceFlags choose the evidence the analyses count: --min-modality.
type evidenceFlags struct {
	minModality string
	ev          schema.Evidence // the filter the flag names, once checked
}

func (e *evidenceFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVar(&e.minModality, "min-modality", schema.DefaultMinModality,
		"count claims whose modality weighs at least this one's: asserted or attributed (firm only), hedged, planned or considered (and tentative), inferred (and inferences)")
}

// check checks the flag and sets ev to the filter it names.
func (e *evidenceFlags) check() error {
	e.ev = schema.Evidence{MinModality: e.minModality}
	if err := e.ev.Check(); err != nil {
		return usagef("--min-modality: %w", err)
	}
	return nil
}

// levelFlags choose the level of alignment and brokers the same way on both: --sides or
// --people, each command with its own default.
type levelFlags struct {
	sides, people bool   // the flags
	byDefault     string // "sides" or "people"
	atPeople      bool   // the level is people, not sides, once checked
}

func (l *levelFlags) addFlags(fs *pflag.FlagSet) {
	def := func(level string) string {
		if level == l.byDefault {
			return " (the default)"
		}
		return ""
	}
	fs.BoolVar(&l.sides, "sides", false, "work on sides: people merged into the state or organization whose office they hold"+def("sides"))
	fs.BoolVar(&l.people, "people", false, "work on people, states and organizations as the facts name them"+def("people"))
}

// check checks the flags and sets atPeople to whether the level is people.
func (l *levelFlags) check() error {
	if l.sides && l.people {
		return usagef("--sides and --people exclude each other")
	}
	l.atPeople = l.people || !l.sides && l.byDefault == "people"
	return nil
}

// stanceReadings lists the readings of the predicates the analyses read as stances of one
// polarity (from an actor to a position), tentative ones or firm ones.
func stanceReadings(pol schema.Polarity, tentative bool) string {
	var out []string
	for _, p := range schema.Default().Predicates() {
		if p.Kind == schema.Relation && p.Polarity == pol && p.Tentative == tentative &&
			slices.Contains(p.Range, schema.TypePosition) && slices.Contains(p.Domain, schema.TypePerson) {
			out = append(out, p.Reading)
		}
	}
	return strings.Join(out, ", ")
}

// stanceRule is the help text on what counts as a stance and how it is weighed.
func stanceRule() string {
	return wrap(fmt.Sprintf("Stances are facts from an actor to a position. Pro: %s; tentatively pro: %s. Con: %s. Neutral: %s.",
		stanceReadings(schema.Pro, false), stanceReadings(schema.Pro, true),
		stanceReadings(schema.Con, false), stanceReadings(schema.Neutral, false))) + "\n\n" +
		wrap(fmt.Sprintf("Each stance weighs what its firmest claim's modality weighs: %s. "+
			"A tentative predicate makes the stance tentative whatever the modality. A claim without a modality counts as asserted; "+
			"a refused one counts for nothing (shown as neutral). --min-modality leaves out the claims and stances that weigh less "+
			"than a modality: \"attributed\" keeps firm stances only, the default %q leaves out only inferences, \"inferred\" counts everything.",
			weightList(), schema.DefaultMinModality))
}

// wrap breaks a paragraph into lines of at most 86 characters, as the help texts are.
func wrap(text string) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		switch {
		case n == 0:
		case n+1+len([]rune(w)) > 86:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len([]rune(w))
	}
	return b.String()
}

// weightList reads the weight table as "asserted 1, attributed 1, hedged 0.5, ...".
func weightList() string {
	var out []string
	for _, w := range schema.Weights() {
		s := fmt.Sprintf("%s %s", w.Modality, strconv.FormatFloat(w.Weight, 'f', -1, 64))
		if !w.Default {
			s += " (left out by default)"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}
