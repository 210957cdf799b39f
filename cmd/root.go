// Package cmd is parley's command-line interface: the cobra command tree, one file per
// command, each a thin layer over the graph and schema packages.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
	"github.com/parley/parley/seed"
)

// Exit codes.
const (
	exitOK         = 0
	exitError      = 1
	exitUsage      = 2
	exitValidation = 3
	// exitInterrupted is a command stopped by Ctrl-C or SIGTERM, as a shell reports one
	// killed by SIGINT (128+2): a command that writes the store left it as it was.
	exitInterrupted = 130
)

const rootLong = `parley keeps a knowledge graph of political actors, the positions they hold and
the relations between them in a Cayley store, and answers questions about it.

The store is --db, else $PARLEY_DB, else $XDG_DATA_HOME/parley/parley.db
(~/.local/share/parley/parley.db). Only that default is created and seeded on first
use; a store named by --db or $PARLEY_DB must exist ('parley init' creates one anywhere).
Names of entities are IDs, labels or aliases, case-insensitively: "Putin", "<putin>".

Output: a table on a terminal, tab-separated rows without a header when piped,
JSON with -o json. Data goes to stdout; progress and diagnostics to stderr.

Exit status:
  0  success, including a question with no answer: every query command (match, why,
     path, describe, neighbors, stance, query, ...) that finds nothing prints an empty
     result (nothing, or [] or an empty object with -o json) and says so on stderr
  1  failure (missing file or store, unknown or ambiguous name, locked store, ...)
  2  usage error (bad flag, arguments, command or help topic)
  3  validation failed (malformed or invalid input; nothing was written)
  130  interrupted (Ctrl-C or SIGTERM) before the command was done: a command that
       writes the store (init, load, unload, add, restore, check --repair,
       draft --load) leaves it as it was, whole, and says "nothing was written"; a file
       it was to write (export --file, backup, salvage, draft --out) is not left half
       written. A command interrupted after its write is in place finishes instead.`

// Main runs parley with the process's arguments and streams and returns the exit code.
// Ctrl-C or SIGTERM cancels the command's context: a command that writes the store rolls
// back what it wrote, and the command ends with exitInterrupted.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], systemIO(), os.Getenv)
}

// run executes one command line; tests call it with buffers.
func run(ctx context.Context, args []string, io *IOStreams, getenv func(string) string) int {
	d := newDeps(io, getenv)
	root := newRootCmd(d)
	root.SetArgs(args)
	err := graph.Guard(d.storeName, func() error { return root.ExecuteContext(ctx) })
	for _, s := range d.opened {
		// Damage a read met is the cause, however the read reported it (Cayley's errors
		// keep only its text), or whether it took it for an absence: what was printed may
		// be short of what the store holds.
		if derr := s.Damaged(); derr != nil {
			err = derr
			break
		}
	}
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil {
		io.Progressf("parley: %s\n", d.interrupted())
		return exitInterrupted
	}
	err = graph.Explain(err)
	io.Progressf("parley: %s%s\n", err, d.suggestions(ctx, err))
	return exitCode(err)
}

func exitCode(err error) int {
	var verr *schema.ValidationError
	var uerr *usageError
	switch {
	case errors.As(err, &verr):
		return exitValidation
	case errors.As(err, &uerr):
		return exitUsage
	}
	return exitError
}

// usageError marks a command line parley cannot act on.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// usageArgs wraps a cobra argument check so its failure counts as a usage error.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &usageError{fmt.Errorf("%w\nusage: %s", err, cmd.UseLine())}
		}
		return nil
	}
}

// deps are what every command shares: streams, environment, clock and store settings.
type deps struct {
	io          *IOStreams
	getenv      func(string) string
	now         func() time.Time
	db          string
	backend     string
	address     string
	lockTimeout time.Duration
	output      string
	// writes is set once the command asks for the store to write to (storeConfig): an
	// interrupt then says that the store was left as it was.
	writes bool
	// opened are the stores the command opened: damage a read met in one of them, which
	// the read may have taken for "not found", fails the command (run).
	opened []*graph.Store
}

// interrupted is what an interrupted command says happened, by whether it was to write
// the store: every writer leaves the store whole when interrupted (cmd/interrupt_test.go
// holds each to it); a reader had nothing to undo.
func (d *deps) interrupted() string {
	if d.writes {
		return "interrupted: nothing was written"
	}
	return "interrupted"
}

func newDeps(io *IOStreams, getenv func(string) string) *deps {
	return &deps{io: io, getenv: getenv, now: time.Now}
}

// writing marks the command as a writer (writes) when w is set. Asking for a writable
// store does (storeConfig); a command that reads its input before it opens the store
// (load) marks itself before that reading, which an interrupt may stop too.
func (d *deps) writing(w bool) { d.writes = d.writes || w }

// storeConfig builds the store configuration from flags and environment.
// Asking for a writable store marks the command as a writer (writing).
func (d *deps) storeConfig(readOnly bool) (graph.Config, error) {
	d.writing(!readOnly)
	cfg := graph.Config{
		Backend:     d.backend,
		ReadOnly:    readOnly,
		LockTimeout: d.lockTimeout,
		Seed:        &graph.Seed{Name: seed.Name, Data: seed.Quads()},
	}
	if cfg.Backend == "" {
		cfg.Backend = d.getenv("PARLEY_BACKEND")
	}
	if cfg.Backend == "" {
		cfg.Backend = graph.BackendBolt
	}
	if cfg.Backend == graph.BackendPostgres {
		cfg.Address = d.address
		if cfg.Address == "" {
			cfg.Address = d.getenv("PARLEY_ADDRESS")
		}
	}
	if cfg.Backend == graph.BackendBolt {
		path := d.db
		// Only the default location is made on first use: a path the user named must
		// exist, so that a typing mistake fails instead of answering from a new store.
		cfg.MustExist = path != "" || d.getenv("PARLEY_DB") != ""
		if path == "" {
			p, err := graph.DefaultPath(d.getenv)
			if err != nil {
				return cfg, err
			}
			path = p
		}
		cfg.Path = path
	}
	return cfg, nil
}

// open opens (creating and seeding on first use) the store.
func (d *deps) open(ctx context.Context, readOnly bool) (*graph.Store, error) {
	cfg, err := d.storeConfig(readOnly)
	if err != nil {
		return nil, err
	}
	s, created, err := graph.Open(ctx, cfg)
	if errors.Is(err, fs.ErrNotExist) && cfg.MustExist {
		return nil, fmt.Errorf("%w (only the default store is created on first use; check the path, or create it with 'parley --db %s init')", err, cfg.Path)
	}
	if err != nil {
		return nil, err
	}
	d.opened = append(d.opened, s)
	if n := s.RolledBack(); n > 0 {
		d.io.Progressf("parley: rolled back an interrupted load (%d quads) in %s\n", n, s.Location())
	}
	if created && cfg.Backend != graph.BackendMemory && cfg.Seed != nil {
		d.io.Progressf("parley: created %s and loaded the seed (%s)\n", s.Location(), seed.Name)
	}
	return s, nil
}

func newRootCmd(d *deps) *cobra.Command {
	root := &cobra.Command{
		Use:           "parley <command> [flags]",
		Short:         "A knowledge graph of political actors, positions and relations, asked from the shell",
		Long:          rootLong,
		SilenceErrors: true,
		SilenceUsage:  true,
		Version:       buildVersion().String(),
		Args:          cobra.ArbitraryArgs,
		RunE:          unknownCommand,
		// As cobra's own suggestions for a mistyped command.
		SuggestionsMinimumDistance: 2,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return checkOutput(d.output)
		},
	}
	root.SetOut(d.io.Out) // help and completion scripts are data
	root.SetVersionTemplate("parley {{.Version}}\n")
	root.SetHelpCommand(newHelpCmd())
	root.SetErr(d.io.ErrOut)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &usageError{fmt.Errorf("%w\nusage: %s", err, cmd.UseLine())}
	})
	pf := root.PersistentFlags()
	pf.StringVar(&d.db, "db", "", "store file (default $PARLEY_DB, else $XDG_DATA_HOME/parley/parley.db)")
	pf.StringVar(&d.backend, "backend", "", "store backend: bolt, memory or postgres (default $PARLEY_BACKEND, else bolt)")
	pf.StringVar(&d.address, "address", "", "PostgreSQL address for --backend postgres (default $PARLEY_ADDRESS)")
	pf.DurationVar(&d.lockTimeout, "lock-timeout", graph.DefaultLockTimeout, "how long to wait for another process's lock on the store")
	pf.StringVarP(&d.output, "output", "o", "", "output format: table, tsv or json (default: table on a terminal, tsv when piped)")

	root.AddCommand(
		newInitCmd(d, nil),
		newLoadCmd(d, nil),
		newLintCmd(d, nil),
		newUnloadCmd(d, nil),
		newAddCmd(d, nil),
		newMatchCmd(d, nil),
		newDescribeCmd(d, nil),
		newPathCmd(d, nil),
		newNeighborsCmd(d, nil),
		newConflictsCmd(d, nil),
		newStanceCmd(d, nil),
		newAlignmentCmd(d, nil),
		newCommonGroundCmd(d, nil),
		newBrokersCmd(d, nil),
		newWhyCmd(d, nil),
		newQueryCmd(d, nil),
		newExportCmd(d, nil),
		newStatsCmd(d, nil),
		newSourcesCmd(d, nil),
		newDraftCmd(d, nil),
		newSchemaCmd(d, nil),
		newVersionCmd(d, nil),
		newBackupCmd(d, nil),
		newRestoreCmd(d, nil),
		newCheckCmd(d, nil),
		newSalvageCmd(d, nil),
	)
	setCompletions(d, root)
	return root
}
