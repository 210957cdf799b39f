package cmd

import (
	"context"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/export"
	"github.com/parley/parley/schema"
)

// Shell completion (cobra's __complete, behind 'parley completion'): what each command's
// arguments and flags take, in one place. Names come from the store, opened read-only
// and never created, within completionBudget; a store that cannot be opened completes
// nothing rather than complain in the middle of a command line.

// completionBudget bounds the time a completion reads the store.
const completionBudget = 60 * time.Millisecond

// completionLimit bounds the names offered.
const completionLimit = 50

// argKind is what a positional argument takes.
type argKind int

const (
	argEntity      argKind = iota // an entity's name, label, alias or ID
	argPredicate                  // a predicate's name or either reading
	argPattern                    // an entity or _
	argPredPattern                // a predicate or _
)

// commandArgs are the arguments of each command that completes them.
var commandArgs = map[string][]argKind{
	"match":     {argPattern, argPredPattern, argPattern},
	"why":       {argEntity, argPredicate, argEntity},
	"add":       {argEntity, argPredicate, argEntity},
	"describe":  {argEntity},
	"stance":    {argEntity},
	"neighbors": {argEntity},
	"path":      {argEntity, argEntity},
}

// fileArgs are the commands whose arguments are files: the shell completes those.
var fileArgs = map[string]bool{"load": true, "unload": true, "lint": true, "draft": true, "completion": true, "help": true}

// setCompletions gives every command of root its argument and flag completions.
func setCompletions(d *deps, root *cobra.Command) {
	root.RegisterFlagCompletionFunc("output", fixed(outputTable, outputTSV, outputJSON))
	root.RegisterFlagCompletionFunc("backend", fixed(graph.Backends()...))
	for _, c := range root.Commands() {
		if kinds, ok := commandArgs[c.Name()]; ok {
			c.ValidArgsFunction = func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
				if len(args) >= len(kinds) {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				return d.completeArg(cmd.Context(), kinds[len(args)], toComplete)
			}
		} else if !fileArgs[c.Name()] {
			c.ValidArgsFunction = cobra.NoFileCompletions
		}
		flags := map[string]cobra.CompletionFunc{
			"type":         lazy(typeNames),
			"lang":         fixed(graph.Languages()...),
			"modality":     fixed(schema.Modalities()...),
			"min-modality": lazy(countedModalities),
			"predicate":    lazy(predicateNames),
			"around":       d.completeEntities,
			"speaker":      d.completeEntities,
		}
		switch c.Name() {
		case "export":
			flags["format"] = fixed(export.Names()...)
			flags["source"] = d.completeSources
		case "add":
			flags["source"] = d.completeSources
		case "lint":
			flags["format"] = fixed(graph.Formats()...)
		}
		for name, fn := range flags {
			if f := c.LocalNonPersistentFlags().Lookup(name); f != nil {
				c.RegisterFlagCompletionFunc(name, fn)
			}
		}
	}
}

// lazy completes a flag from a list made when it is asked for, not when every command
// line builds the command tree.
func lazy(values func() []string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values(), cobra.ShellCompDirectiveNoFileComp
	}
}

// fixed completes a flag from a fixed list.
func fixed(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

func (d *deps) completeArg(ctx context.Context, kind argKind, toComplete string) ([]string, cobra.ShellCompDirective) {
	var out []string
	switch kind {
	case argPattern, argPredPattern:
		out = append(out, graph.Wildcard)
	}
	switch kind {
	case argPredicate, argPredPattern:
		out = append(out, predicateNames()...)
	default:
		out = append(out, d.entityNames(ctx, toComplete)...)
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func (d *deps) completeEntities(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	return d.entityNames(cmd.Context(), toComplete), cobra.ShellCompDirectiveNoFileComp
}

// entityNames are the names of entities that start with prefix, from the store.
func (d *deps) entityNames(ctx context.Context, prefix string) []string {
	ctx, cancel := context.WithTimeout(ctxOrBackground(ctx), completionBudget)
	defer cancel()
	s, ok := d.openForCompletion(ctx)
	if !ok {
		return nil
	}
	defer s.Close()
	names, _ := s.CompleteNames(ctx, prefix, completionLimit)
	return names
}

// completeSources offers the labels of the store's sources that start with the word typed.
func (d *deps) completeSources(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
	ctx, cancel := context.WithTimeout(ctxOrBackground(cmd.Context()), completionBudget)
	defer cancel()
	s, ok := d.openForCompletion(ctx)
	if !ok {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	defer s.Close()
	srcs, err := s.Subjects(ctx, schema.PredType, quad.IRI(schema.TypeSource))
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []string
	lower := strings.ToLower(toComplete)
	for _, src := range srcs {
		if ctx.Err() != nil || len(out) >= completionLimit {
			break
		}
		for _, name := range []string{s.Label(ctx, src), schema.ID(src)} {
			if strings.HasPrefix(strings.ToLower(name), lower) {
				out = append(out, name)
			}
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// openForCompletion opens the store read-only if it exists; it never creates one.
func (d *deps) openForCompletion(ctx context.Context) (*graph.Store, bool) {
	cfg, err := d.storeConfig(true)
	if err != nil {
		return nil, false
	}
	cfg.MustExist, cfg.Seed = true, nil
	cfg.LockTimeout = completionBudget
	s, _, err := graph.Open(ctx, cfg)
	if err != nil {
		return nil, false
	}
	return s, true
}

func ctxOrBackground(ctx context.Context) context.Context {
	if ctx == nil {
		return context.Background()
	}
	return ctx
}

// predicateNames are the relations' names and both their readings.
func predicateNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range schema.Default().Predicates() {
		for _, n := range []string{p.Name, p.Reading, p.Inverse} {
			if n != "" && !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	return out
}

func typeNames() []string {
	var out []string
	for _, t := range schema.Default().Types() {
		out = append(out, t.Name)
	}
	return out
}

// countedModalities are the modalities --min-modality takes: those that weigh something.
func countedModalities() []string {
	var out []string
	for _, w := range schema.Weights() {
		if w.Weight > 0 {
			out = append(out, w.Modality)
		}
	}
	return out
}
