package cmd

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
)

// Did you mean: an unknown name, predicate, command or help topic is answered with the
// nearest the store, the vocabulary or the command tree has, as cobra answers an unknown
// command.

// suggestBudget bounds the time spent finding names near an unknown one.
const suggestBudget = 300 * time.Millisecond

// suggestions returns the lines to add to err's message: the names nearest to the one
// err says is unknown, or "" when there are none.
func (d *deps) suggestions(ctx context.Context, err error) string {
	var nf *graph.NotFoundError
	var up *graph.UnknownPredicateError
	var near []string
	switch {
	case errors.As(err, &nf):
		ctx, cancel := context.WithTimeout(ctx, suggestBudget)
		defer cancel()
		s, ok := d.openForCompletion(ctx)
		if !ok {
			return ""
		}
		defer s.Close()
		near, _ = s.SuggestNames(ctx, nf.Name, 5)
	case errors.As(err, &up):
		near = graph.SuggestWords(up.Name, predicateNames(), 5)
	}
	return didYouMean(near)
}

// didYouMean lists names as cobra lists the commands near an unknown one.
func didYouMean(names []string) string {
	if len(names) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n\nDid you mean this?")
	for _, n := range names {
		if strings.ContainsAny(n, " '\"") {
			n = fmt.Sprintf("%q", n)
		}
		b.WriteString("\n\t" + n)
	}
	return b.String()
}

// unknownCommand is the root's answer to arguments that name no command: a usage error
// with the commands near the first.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	return &usageError{fmt.Errorf("unknown command %q for %q%s\nusage: %s (see 'parley help')",
		args[0], cmd.CommandPath(), didYouMean(cmd.SuggestionsFor(args[0])), cmd.UseLine())}
}

// newHelpCmd is cobra's help command, but a topic it does not know is a usage error.
func newHelpCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help provides help for any command in the application.\nSimply type parley help [path to command] for full details.",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			cmd, _, err := c.Root().Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var out []string
			for _, sub := range cmd.Commands() {
				if sub.IsAvailableCommand() && strings.HasPrefix(sub.Name(), toComplete) {
					out = append(out, sub.Name())
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := c.Root().Find(args)
			if err != nil || len(rest) > 0 {
				topic := strings.Join(args, " ")
				return &usageError{fmt.Errorf("unknown help topic %q%s\nusage: parley help [command]",
					topic, didYouMean(c.Root().SuggestionsFor(args[len(args)-1])))}
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		},
	}
}

// bareIRI finds the strings of a Gizmo query that look like IRIs written without their
// angle brackets: g.V("putin"), Out("demands").
var bareIRI = regexp.MustCompile(`\b(?:V|Vertex|Out|In|Both|Has|HasR|OutWithTags|InWithTags|Is|Follow|FollowR|Tag|LabelContext|Save|SaveR|SaveOpt|SaveOptR)\(\s*((?:"[^"<>]*"\s*,?\s*|'[^'<>]*'\s*,?\s*)+)\)`)

var quoted = regexp.MustCompile(`"([^"<>]*)"|'([^'<>]*)'`)

// bracketHints returns, for a Gizmo query that found nothing, a hint per string it names
// that is no node of the store while the IRI of that name is: g.V("putin") for <putin>.
func bracketHints(ctx context.Context, s *graph.Store, query string) []string {
	var hints []string
	seen := map[string]bool{}
	for _, call := range bareIRI.FindAllStringSubmatch(query, -1) {
		for _, m := range quoted.FindAllStringSubmatch(call[1], -1) {
			name := m[1] + m[2]
			if name == "" || seen[name] || strings.ContainsAny(name, " \t") {
				continue
			}
			seen[name] = true
			if _, err := s.ResolveNode(ctx, "<"+name+">"); err == nil {
				hints = append(hints, fmt.Sprintf("parley: hint: the query names the string %q, and the store has the IRI <%s>: write \"<%s>\" for the node", name, name, name))
			}
		}
	}
	return hints
}
