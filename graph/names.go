package graph

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
)

// Cayley's key-value store has no predicate index: finding every label means reading
// every quad. So the embedded store keeps its own index of names beside Cayley's buckets:
// one key per label or alias quad, its lower-cased text, a NUL and the quad, whose value
// is the quad in N-Quads. A name is then a prefix lookup, whole ("text\x00") or by its
// first words ("text "). The bulk writer adds entries in the transaction that writes
// their quads; removals follow Cayley's own transaction, so an entry may outlive its quad
// after a crash, and every hit is checked against the store.

var namesBucket = []byte("parley.names")

// maxIndexedName bounds the names indexed (bolt keys are at most 32 KiB). A longer label
// is found by its exact text only, through Cayley's object index.
const maxIndexedName = 4096

// nameOf returns the lower-cased text q gives its subject as a name, if it is a label or
// an alias the index keeps.
func nameOf(q quad.Quad) (string, bool) {
	if p := idOf(q.Predicate); p != schema.PredLabel && p != schema.PredAlias {
		return "", false
	}
	if _, ok := q.Subject.(quad.IRI); !ok {
		return "", false
	}
	switch q.Object.(type) {
	case quad.String, quad.LangString, quad.TypedString:
	default:
		return "", false
	}
	text := strings.ToLower(textOf(q.Object))
	if len(text) > maxIndexedName {
		return "", false
	}
	return text, true
}

func nameEntry(text string, q quad.Quad) (key, value []byte) {
	line := q.NQuad()
	return []byte(text + "\x00" + line), []byte(line)
}

// putNames indexes the names among quads, in a write transaction.
func putNames(tx *bolt.Tx, quads []graph.Delta) error {
	var b *bolt.Bucket
	for _, d := range quads {
		text, ok := nameOf(d.Quad)
		if !ok {
			continue
		}
		if b == nil {
			var err error
			if b, err = tx.CreateBucketIfNotExists(namesBucket); err != nil {
				return fmt.Errorf("name index: %w", err)
			}
		}
		k, v := nameEntry(text, d.Quad)
		if err := b.Put(k, v); err != nil {
			return fmt.Errorf("name index: %w", err)
		}
	}
	return nil
}

// removeQuads deletes quads from the store through Cayley, then their names from the
// index. ignoreMissing skips quads the store does not have.
func (s *Store) removeQuads(deltas []graph.Delta, ignoreMissing bool) error {
	if err := s.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreMissing: ignoreMissing}); err != nil {
		return err
	}
	if s.db == nil {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(namesBucket)
		if b == nil {
			return nil
		}
		for _, d := range deltas {
			if text, ok := nameOf(d.Quad); ok {
				k, _ := nameEntry(text, d.Quad)
				if err := b.Delete(k); err != nil {
					return fmt.Errorf("name index: %w", err)
				}
			}
		}
		return nil
	})
}

// buildNames indexes the names of a store made before the index existed: one scan, once.
func (s *Store) buildNames(ctx context.Context) error {
	missing := false
	s.db.View(func(tx *bolt.Tx) error {
		missing = tx.Bucket(namesBucket) == nil
		return nil
	})
	if !missing {
		return nil
	}
	var quads []graph.Delta
	for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
		err := s.eachWithPredicate(ctx, pred, func(q quad.Quad) {
			quads = append(quads, graph.Delta{Quad: q})
		})
		if err != nil {
			return fmt.Errorf("build the name index: %w", err)
		}
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if _, err := tx.CreateBucketIfNotExists(namesBucket); err != nil {
			return fmt.Errorf("name index: %w", err)
		}
		return putNames(tx, quads)
	})
}

// indexedNames answers namesMatching from the index: the entities a label or alias
// names whole (any case), and those it names by its first words. ok is false when the
// store has no index.
func (s *Store) indexedNames(ctx context.Context, name string) (wholes, starts map[quad.IRI]string, ok bool, err error) {
	if s.db == nil {
		return nil, nil, false, nil
	}
	lower := strings.ToLower(name)
	wholes, starts = make(map[quad.IRI]string), make(map[quad.IRI]string)
	type hit struct {
		q     quad.Quad
		found map[quad.IRI]string // wholes or starts
	}
	var hits []hit
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(namesBucket)
		if b == nil {
			return nil
		}
		ok = true
		for _, m := range []struct {
			prefix []byte
			found  map[quad.IRI]string
		}{{[]byte(lower + "\x00"), wholes}, {[]byte(lower + " "), starts}} {
			c := b.Cursor()
			for k, v := c.Seek(m.prefix); k != nil && bytes.HasPrefix(k, m.prefix); k, v = c.Next() {
				q, _, err := nquads.NewReader(bytes.NewReader(v), nquads.Options{}).Next()
				if err != nil {
					return fmt.Errorf("name index entry %q: %w", v, err)
				}
				hits = append(hits, hit{q, m.found})
			}
		}
		return nil
	})
	if err != nil || !ok {
		return nil, nil, ok, err
	}
	// Labels before aliases, as the scan finds them; an entry whose quad is gone is stale.
	for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
		for _, h := range hits {
			iri := h.q.Subject.(quad.IRI)
			if _, seen := h.found[iri]; seen || idOf(h.q.Predicate) != pred {
				continue
			}
			if has, err := s.HasQuad(ctx, h.q); err != nil {
				return nil, nil, true, err
			} else if has {
				h.found[iri] = pred
			}
		}
	}
	return wholes, starts, true, nil
}
