package cmd

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

type versionOptions struct{ *deps }

// versionInfo is what parley was built from.
type versionInfo struct {
	Version string `json:"version"`
	Cayley  string `json:"cayley"`
	Go      string `json:"go"`
}

// newVersionCmd builds the command; runF, when set, runs instead of the command (for tests of
// its flags and arguments).
func newVersionCmd(d *deps, runF func(*versionOptions) error) *cobra.Command {
	opts := &versionOptions{deps: d}
	return &cobra.Command{
		Use:     "version",
		Short:   "Print parley's version and the Cayley it is built on",
		Example: `  $ parley version`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(cmd.Context(), opts)
		},
	}
}

func runVersion(_ context.Context, opts *versionOptions) error {
	v := buildVersion()
	if opts.format() == outputJSON {
		return opts.writeJSON(v)
	}
	_, err := fmt.Fprintf(opts.io.Out, "parley %s\n", v)
	return err
}

// String is the version as 'parley version' and 'parley --version' print it.
func (v versionInfo) String() string {
	return fmt.Sprintf("%s (cayley %s, %s)", v.Version, v.Cayley, v.Go)
}

// buildVersion reads what parley was built from.
func buildVersion() versionInfo {
	v := versionInfo{Version: "(devel)", Cayley: "unknown", Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
		for _, dep := range bi.Deps {
			if dep.Path == "github.com/cayleygraph/cayley" {
				v.Cayley = dep.Version
			}
		}
	}
	return v
}
