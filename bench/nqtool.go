//go:build ignore

// nqtool is bench/compare.sh's helper, built outside the repository next to Cayley's CLI
// (the build tag keeps it out of parley's packages):
//
//	nqtool count FILE            decode FILE (gzipped or not) with Cayley's N-Quads reader
//	                             and print how many quads it holds: the parse-only floor
//	nqtool synth IN N OUT.nq.gz  write N copies of IN, gzipped; copy 0 as it is, copy k
//	                             with every IRI and blank node (not predicates) suffixed _k
package main

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "nqtool:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 2 && args[0] == "count":
		n, err := each(args[1], func(quad.Quad) error { return nil })
		if err == nil {
			fmt.Println(n)
		}
		return err
	case len(args) == 4 && args[0] == "synth":
		copies, err := strconv.Atoi(args[2])
		if err != nil || copies < 1 {
			return fmt.Errorf("bad number of copies %q", args[2])
		}
		return synth(args[1], copies, args[3])
	}
	return fmt.Errorf("usage: nqtool count FILE | nqtool synth IN N OUT.nq.gz")
}

// open opens a file, gunzipping it when it is gzipped.
func open(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	br := bufio.NewReaderSize(f, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return zr, func() { f.Close() }, nil
	}
	return br, func() { f.Close() }, nil
}

// each decodes every quad of path and calls fn with it; it returns the count.
func each(path string, fn func(quad.Quad) error) (int, error) {
	r, done, err := open(path)
	if err != nil {
		return 0, err
	}
	defer done()
	dec := nquads.NewReader(r, false)
	n := 0
	for {
		q, err := dec.ReadQuad()
		if err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, fmt.Errorf("%s: quad %d: %w", path, n+1, err)
		}
		n++
		if err := fn(q); err != nil {
			return n, err
		}
	}
}

// synth writes copies of in to out, renaming the nodes of every copy but the first.
func synth(in string, copies int, out string) error {
	f, err := os.Create(out + ".tmp")
	if err != nil {
		return err
	}
	defer os.Remove(out + ".tmp")
	zw := gzip.NewWriter(f)
	enc := nquads.NewWriter(zw)
	for k := 0; k < copies; k++ {
		suffix := "_" + strconv.Itoa(k)
		rename := func(v quad.Value) quad.Value {
			switch v := v.(type) {
			case quad.IRI:
				return v + quad.IRI(suffix)
			case quad.BNode:
				return v + quad.BNode(suffix)
			}
			return v
		}
		_, err := each(in, func(q quad.Quad) error {
			if k > 0 {
				q.Subject, q.Object, q.Label = rename(q.Subject), rename(q.Object), rename(q.Label)
			}
			return enc.WriteQuad(q)
		})
		if err != nil {
			return err
		}
	}
	if err := enc.Close(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(out+".tmp", out)
}
