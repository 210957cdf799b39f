package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/schema"
)

type schemaOptions struct {
	*deps
	types bool
}

// newSchemaCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newSchemaCmd(d *deps, runF func(*schemaOptions) error) *cobra.Command {
	opts := &schemaOptions{deps: d}
	cmd := &cobra.Command{
		Use:   "schema [--types]",
		Short: "Print the vocabulary: predicates with domain, range, readings, polarity and event codes",
		Long: `Print parley's vocabulary. Each predicate has a domain and range (entity types, or
"literal"), a reading in each direction, a polarity toward its object (pro, con,
neutral), and its PLOVER event type and CAMEO root code, so the graph lines up with
event datasets such as GDELT and POLECAT. PLOVER codes no mere statements, so
statement predicates carry only their CAMEO code. --types lists the entity types.
The modality rule (how a claim's modality follows from its evidence) follows the
predicates on a terminal. -o json prints types, predicates and the modality rule, with
its cue words.`,
		Example: `  $ parley schema
  $ parley schema --types
  $ parley schema -o json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runSchema(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.types, "types", false, "list the entity types instead of the predicates")
	return cmd
}

func runSchema(_ context.Context, opts *schemaOptions) error {
	v := schema.Default()
	if opts.format() == outputJSON {
		return opts.writeJSON(struct {
			Namespace    string               `json:"namespace"`
			Types        []schema.Type        `json:"types"`
			Predicates   []schema.Predicate   `json:"predicates"`
			ModalityRule string               `json:"modality_rule"`
			ModalityCues []schema.ModalityCue `json:"modality_cues"`
			Weights      []schema.Weight      `json:"weights"`
		}{schema.Namespace, v.Types(), v.Predicates(), schema.ModalityRule, schema.ModalityCues(), schema.Weights()})
	}
	if opts.types {
		t := &table{header: []string{"type", "description"}}
		for _, ty := range v.Types() {
			t.add(ty.Name, ty.Doc)
		}
		return t.print(opts.deps)
	}
	t := &table{header: []string{"predicate", "kind", "domain", "range", "reading", "reverse", "polarity", "plover", "cameo"}}
	for _, p := range v.Predicates() {
		rng := strings.Join(p.Range, "|")
		if p.Literal {
			rng = "literal"
		}
		cameo := p.CAMEO
		if cameo != "" {
			cameo += " " + p.CAMEOName
		}
		pol := string(p.Polarity)
		if p.Tentative {
			pol += ", tentative"
		}
		kind := string(p.Kind)
		if p.Background {
			kind += ", background"
		}
		t.add(p.Name, kind, orAny(strings.Join(p.Domain, "|")), orAny(rng), p.Reading, p.Inverse, pol, p.PLOVER, cameo)
	}
	if err := t.print(opts.deps); err != nil {
		return err
	}
	if opts.format() != outputTable { // rows stay rows when piped
		return nil
	}
	if _, err := fmt.Fprintf(opts.io.Out, "\n%s\n\nWhat the analyses count each modality for (--min-modality chooses the weakest counted):\n\n", schema.ModalityRule); err != nil {
		return err
	}
	w := &table{header: []string{"modality", "weight", "strength", "counted", "what it is"}}
	for _, x := range schema.Weights() {
		counted := "by default"
		if !x.Default {
			counted = "on request"
		}
		if x.Weight == 0 {
			counted = "never"
		}
		w.add(x.Modality, strconv.FormatFloat(x.Weight, 'g', -1, 64), string(x.Strength), counted, x.Doc)
	}
	return w.print(opts.deps)
}

func orAny(s string) string {
	if s == "" {
		return "any"
	}
	return s
}
