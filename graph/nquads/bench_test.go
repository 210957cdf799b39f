package nquads

import (
	"bytes"
	"io"
	"testing"

	cnquads "github.com/cayleygraph/quad/nquads"
)

// BenchmarkReader reads 30kmoviedata (decompressed in memory) with this
// package and with Cayley's reader, reporting quads/s for each.
func BenchmarkReader(b *testing.B) {
	data := movieQuads(b)
	b.Run("parley", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			r := NewReader(bytes.NewReader(data), Options{})
			for {
				_, _, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "quads/s")
	})
	b.Run("cayley", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			r := cnquads.NewReader(bytes.NewReader(data), false)
			for {
				_, err := r.ReadQuad()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "quads/s")
	})
}

// BenchmarkParseLine parses one typical statement with a literal.
func BenchmarkParseLine(b *testing.B) {
	line := `_:10915 </film/performance/character> "Dr. Eleanor Ann \"Ellie\" Arroway" .`
	b.ReportAllocs()
	for b.Loop() {
		if _, ok, err := ParseLine(line, Options{}); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
