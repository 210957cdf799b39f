package export

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/goccy/go-graphviz"

	"github.com/parley/parley/graph"
)

// WriteSVG writes a picture of the subgraph as SVG: the DOT of WriteDOT laid out by
// Graphviz's dot, in-process (go-graphviz runs Graphviz compiled to WebAssembly), so no
// Graphviz needs to be installed. Tooltips carry the evidence of every edge.
func WriteSVG(w io.Writer, g *graph.Subgraph, opt Options) error {
	return render(w, g, opt, graphviz.SVG)
}

// WritePNG writes a picture of the subgraph as PNG at 144 dpi, laid out as WriteSVG's and
// painted from Graphviz's drawing operations.
func WritePNG(w io.Writer, g *graph.Subgraph, opt Options) error {
	var layout bytes.Buffer
	if err := render(&layout, g, opt, "json"); err != nil {
		return err
	}
	if err := paintPNG(w, layout.Bytes()); err != nil {
		return fmt.Errorf("render png: %w", err)
	}
	return nil
}

// graphvizMu serialises the use of Graphviz: go-graphviz runs one WebAssembly instance for
// the whole process, which is not safe for concurrent use.
var graphvizMu sync.Mutex

// render lays the subgraph's DOT out with Graphviz's dot and writes it in one of
// Graphviz's own output formats.
func render(w io.Writer, g *graph.Subgraph, opt Options, format graphviz.Format) (err error) {
	var src bytes.Buffer
	if err := writeDOT(&src, newView(g, opt.vocabulary())); err != nil {
		return err
	}
	graphvizMu.Lock()
	defer graphvizMu.Unlock()
	ctx := context.Background()
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("render %s: start Graphviz: %w", format, err)
	}
	defer gv.Close()
	parsed, err := graphviz.ParseBytes(src.Bytes())
	if err != nil {
		return fmt.Errorf("render %s: Graphviz cannot read the DOT: %w", format, err)
	}
	defer func() {
		if cerr := parsed.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("render %s: %w", format, cerr)
		}
	}()
	gv.SetLayout(graphviz.DOT)
	var out bytes.Buffer
	if err := gv.Render(ctx, parsed, format, &out); err != nil {
		return fmt.Errorf("render %s: %w", format, err)
	}
	_, err = w.Write(out.Bytes())
	return err
}
