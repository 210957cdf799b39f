package graph

import (
	"bytes"
	"context"
	"crypto/sha1"
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

// The claims index does for labels what the name index does for names: Cayley's
// key-value store has no label index, so the facts a claim backs would mean reading
// every quad. One key per quad with a label: the label, a NUL and the quad's SHA-1 (bolt
// keys are bounded, quads are not), whose value is the quad in N-Quads. Unlike the name
// index it is only written where it exists, made whole: by a new store, a rebuild, or
// the first writable open of a store made before it (one scan).

var claimsBucket = []byte("parley.claims")

// claimEntry returns the claims index's entry for q, if q has a label.
func claimEntry(q quad.Quad) (key, value []byte, ok bool) {
	if q.Label == nil {
		return nil, nil, false
	}
	line := q.NQuad()
	h := sha1.Sum([]byte(line))
	return append([]byte(q.Label.String()+"\x00"), h[:]...), []byte(line), true
}

// putIndexEntries indexes the names and claims among quads, in a write transaction.
func putIndexEntries(tx *bolt.Tx, quads []graph.Delta) error {
	var names *bolt.Bucket
	claims := tx.Bucket(claimsBucket)
	for _, d := range quads {
		if text, ok := nameOf(d.Quad); ok {
			if names == nil {
				var err error
				if names, err = tx.CreateBucketIfNotExists(namesBucket); err != nil {
					return fmt.Errorf("name index: %w", err)
				}
			}
			k, v := nameEntry(text, d.Quad)
			if err := names.Put(k, v); err != nil {
				return fmt.Errorf("name index: %w", err)
			}
		}
		if k, v, ok := claimEntry(d.Quad); ok && claims != nil {
			if err := claims.Put(k, v); err != nil {
				return fmt.Errorf("claims index: %w", err)
			}
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
		names, claims := tx.Bucket(namesBucket), tx.Bucket(claimsBucket)
		for _, d := range deltas {
			if text, ok := nameOf(d.Quad); ok && names != nil {
				k, _ := nameEntry(text, d.Quad)
				if err := names.Delete(k); err != nil {
					return fmt.Errorf("name index: %w", err)
				}
			}
			if k, _, ok := claimEntry(d.Quad); ok && claims != nil {
				if err := claims.Delete(k); err != nil {
					return fmt.Errorf("claims index: %w", err)
				}
			}
		}
		return nil
	})
}

// buildIndexes makes the name and claims indexes of a store made before they existed:
// a scan, once. The name index needs the labels and aliases; the claims index every quad.
func (s *Store) buildIndexes(ctx context.Context) error {
	var names, claims bool
	s.db.View(func(tx *bolt.Tx) error {
		names, claims = tx.Bucket(namesBucket) == nil, tx.Bucket(claimsBucket) == nil
		return nil
	})
	var quads []graph.Delta
	if names && !claims {
		for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
			err := s.eachWithPredicate(ctx, quad.IRI(pred), func(q quad.Quad) {
				quads = append(quads, graph.Delta{Quad: q})
			})
			if err != nil {
				return fmt.Errorf("build the name index: %w", err)
			}
		}
	} else if claims {
		err := s.eachQuad(ctx, func(q quad.Quad) error {
			if _, ok := nameOf(q); ok || q.Label != nil {
				quads = append(quads, graph.Delta{Quad: q})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("build the name and claims indexes: %w", err)
		}
	} else {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := createIndexBuckets(tx); err != nil {
			return err
		}
		return putIndexEntries(tx, quads)
	})
}

// createIndexBuckets creates parley's own buckets, beside Cayley's.
func createIndexBuckets(tx *bolt.Tx) error {
	for _, name := range [][]byte{namesBucket, claimsBucket} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// claimFacts returns the quads claim labels: from the claims index on the embedded
// store, elsewhere from Cayley, which scans every quad where it has no label index.
func (s *Store) claimFacts(ctx context.Context, claim quad.Value) ([]quad.Quad, error) {
	quads, ok, err := s.indexedQuads(ctx, claimsBucket, claim.String()+"\x00")
	if err != nil || ok {
		return quads, err
	}
	return s.QuadsWith(ctx, quad.Label, claim)
}

// indexedNames answers namesMatching from the index: the entities a label or alias
// names whole (any case), and those it names by its first words. ok is false when the
// store has no index.
func (s *Store) indexedNames(ctx context.Context, name string) (wholes, starts map[quad.IRI]string, ok bool, err error) {
	lower := strings.ToLower(name)
	wholes, starts = make(map[quad.IRI]string), make(map[quad.IRI]string)
	for _, m := range []struct {
		prefix string
		found  map[quad.IRI]string
	}{{lower + "\x00", wholes}, {lower + " ", starts}} {
		hits, ok, err := s.indexedQuads(ctx, namesBucket, m.prefix)
		if err != nil || !ok {
			return nil, nil, ok, err
		}
		// Labels before aliases, as the scan finds them.
		for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
			for _, q := range hits {
				iri := q.Subject.(quad.IRI)
				if _, seen := m.found[iri]; !seen && idOf(q.Predicate) == pred {
					m.found[iri] = pred
				}
			}
		}
	}
	return wholes, starts, true, nil
}

// indexedQuads returns the quads of the entries of one of parley's indexes whose keys
// start with prefix, those the store still has: removals follow Cayley's own transaction,
// so a crash may leave an entry behind its quad. ok is false when the store has no such
// index.
func (s *Store) indexedQuads(ctx context.Context, bucket []byte, prefix string) (quads []quad.Quad, ok bool, err error) {
	if s.db == nil {
		return nil, false, nil
	}
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucket)
		if b == nil {
			return nil
		}
		ok = true
		p := []byte(prefix)
		c := b.Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			q, _, err := nquads.NewReader(bytes.NewReader(v), nquads.Options{}).Next()
			if err != nil {
				return fmt.Errorf("index %s: entry %q: %w", bucket, v, err)
			}
			quads = append(quads, q)
		}
		return nil
	})
	if err != nil || !ok {
		return nil, ok, err
	}
	out := quads[:0]
	for _, q := range quads {
		if has, err := s.HasQuad(ctx, q); err != nil {
			return nil, true, err
		} else if has {
			out = append(out, q)
		}
	}
	return out, true, nil
}
