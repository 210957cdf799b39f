package cmd

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley/parley/schema"
)

type schemaOptions struct {
	*deps
	types bool
}

func newSchemaCmd(d *deps) *cobra.Command {
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
		}{schema.Namespace, v.Types(), v.Predicates(), schema.ModalityRule, schema.ModalityCues()})
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
		t.add(p.Name, string(p.Kind), orAny(strings.Join(p.Domain, "|")), orAny(rng), p.Reading, p.Inverse, string(p.Polarity), p.PLOVER, cameo)
	}
	if err := t.print(opts.deps); err != nil {
		return err
	}
	if opts.format() == outputTable { // rows stay rows when piped
		_, err := fmt.Fprintf(opts.io.Out, "\n%s\n", schema.ModalityRule)
		return err
	}
	return nil
}

func orAny(s string) string {
	if s == "" {
		return "any"
	}
	return s
}
