package export

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// graphvizSVG returns the path of Graphviz's dot, or skips the test, saying why, when
// there is none or it cannot write SVG (a build without its SVG renderer, a broken
// install): the test is of our DOT, not of the machine's Graphviz.
func graphvizSVG(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("Graphviz dot is not installed")
	}
	cmd := exec.Command(path, "-Tsvg")
	cmd.Stdin = strings.NewReader("digraph { a -> b }")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || !bytes.Contains(out, []byte("<svg")) {
		t.Skipf("Graphviz dot at %s cannot write SVG, even of a two-node graph (%v): %s", path, err, strings.TrimSpace(stderr.String()))
	}
	return path
}
