package kvstore

import (
	"bytes"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"strings"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
)

// Cayley's key-value store has no predicate index: finding every label means reading
// every quad. So the store keeps its own index of names beside Cayley's buckets
// (namesBucket): one key per label or alias quad, its lower-cased text, a NUL and the
// quad, whose value is the quad in N-Quads. A name is then a prefix lookup, whole
// ("text\x00") or by its first words ("text "). The bulk writer adds entries in the
// transaction that writes their quads; removals follow Cayley's own transaction, so an
// entry may outlive its quad after a crash, and every hit must be checked against the
// store.
//
// The claims index (claimsBucket) does for labels what the name index does for names:
// Cayley's key-value store has no label index, so the facts a claim backs would mean
// reading every quad. One key per quad with a label: the label, a NUL and the quad's
// SHA-1 (bolt keys are bounded, quads are not), whose value is the quad in N-Quads.
// Unlike the name index it is only written where it exists, made whole: by a new store,
// a rebuild, or the first writable open of a store made before it (one scan).
//
// What goes in either index depends on the vocabulary only: the predicates that name
// (schema.PredLabel, schema.PredAlias), and a quad's label.

// nameOf returns the lower-cased text q gives its subject as a name, if it is a label or
// an alias the index keeps.
func nameOf(q quad.Quad) (string, bool) {
	if p, ok := q.Predicate.(quad.IRI); !ok || (p != schema.PredLabel && p != schema.PredAlias) {
		return "", false
	}
	if _, ok := q.Subject.(quad.IRI); !ok {
		return "", false
	}
	var text string
	switch o := q.Object.(type) {
	case quad.String:
		text = string(o)
	case quad.LangString:
		text = string(o.Value)
	case quad.TypedString:
		text = string(o.Value)
	default:
		return "", false
	}
	text = strings.ToLower(text)
	if len(text) > maxIndexedName {
		return "", false
	}
	return text, true
}

func nameEntry(text string, q quad.Quad) (key, value []byte) {
	line := q.NQuad()
	return []byte(text + "\x00" + line), []byte(line)
}

// claimEntry returns the claims index's entry for q, if q has a label.
func claimEntry(q quad.Quad) (key, value []byte, ok bool) {
	if q.Label == nil {
		return nil, nil, false
	}
	line := q.NQuad()
	h := sha1.Sum([]byte(line))
	return append([]byte(q.Label.String()+"\x00"), h[:]...), []byte(line), true
}

// stampIndexes records, in a write transaction that has brought parley's indexes up to
// date, the Cayley state they are up to date with (indexedKey).
func stampIndexes(tx *bolt.Tx) error {
	meta, err := tx.CreateBucketIfNotExists(parleyMetaBucket)
	if err != nil {
		return fmt.Errorf("create bucket %s: %w", parleyMetaBucket, err)
	}
	var horizon, size int64
	if m := tx.Bucket(metaBucket); m != nil {
		horizon, size = metaInt(m, horizonKey), metaInt(m, sizeKey)
	}
	return meta.Put(indexedKey, indexStamp(horizon, size))
}

// indexesCurrent reports whether parley's indexes are up to date with the store: their
// stamp is the store's horizon and size. A store without a stamp (made before stamps,
// or written by another program since) is not.
func indexesCurrent(tx *bolt.Tx) bool {
	pm, m := tx.Bucket(parleyMetaBucket), tx.Bucket(metaBucket)
	if pm == nil || m == nil {
		return false
	}
	return bytes.Equal(pm.Get(indexedKey), indexStamp(metaInt(m, horizonKey), metaInt(m, sizeKey)))
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

// Remove deletes quads from the store through Cayley, then their names and claims from
// the indexes. ignoreMissing skips quads the store does not have.
func (s *Store) Remove(deltas []graph.Delta, ignoreMissing bool) error {
	if err := s.checkVersion(true); err != nil {
		return err
	}
	if s.mark != nil {
		if err := s.update(s.putJournalMark); err != nil {
			return err
		}
	}
	if err := s.qs.ApplyDeltas(deltas, graph.IgnoreOpts{IgnoreMissing: ignoreMissing}); err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
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
		if !s.stale {
			return stampIndexes(tx)
		}
		return nil
	})
}

// BuildIndexes makes the name and claims indexes of a store made before they existed,
// or remakes them when another program wrote the store since parley last did (their
// stamp is not the store's state): a scan, once. The name index needs the labels and
// aliases; the claims index every quad.
func (s *Store) BuildIndexes(ctx context.Context) error {
	var names, claims, current bool
	s.db.View(func(tx *bolt.Tx) error {
		names, claims = tx.Bucket(namesBucket) == nil, tx.Bucket(claimsBucket) == nil
		current = indexesCurrent(tx)
		return nil
	})
	if !names && !claims && current {
		return nil
	}
	if !current {
		names, claims = true, true // written behind parley's back: both are remade
	}
	return s.buildIndexes(ctx, names, claims)
}

// RebuildIndexes makes parley's name and claims indexes again from the store's quads,
// all or nothing.
func (s *Store) RebuildIndexes(ctx context.Context) error {
	return s.buildIndexes(ctx, true, true)
}

// buildIndexes reads the quads the indexes to make need (the name index alone: the
// labels and aliases; else every quad), then, in one transaction, drops those indexes,
// writes them anew and stamps them with the store's state: an interrupt or a failure
// leaves the indexes as they were.
func (s *Store) buildIndexes(ctx context.Context, names, claims bool) error {
	if err := s.checkVersion(true); err != nil {
		return err
	}
	var quads []graph.Delta
	if names && !claims {
		for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
			err := s.EachWithPredicate(ctx, quad.IRI(pred), func(q quad.Quad) error {
				quads = append(quads, graph.Delta{Quad: q})
				return nil
			})
			if err != nil {
				return fmt.Errorf("build the name index: %w", err)
			}
		}
	} else {
		err := s.EachQuad(ctx, func(q quad.Quad) error {
			if _, ok := nameOf(q); ok || q.Label != nil {
				quads = append(quads, graph.Delta{Quad: q})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("build the name and claims indexes: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("build the indexes: %w", err)
	}
	return s.update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{namesBucket, claimsBucket} {
			if bytes.Equal(b, namesBucket) && !names || bytes.Equal(b, claimsBucket) && !claims {
				continue
			}
			if err := tx.DeleteBucket(b); err != nil && !errors.Is(err, bolt.ErrBucketNotFound) {
				return fmt.Errorf("drop %s: %w", b, err)
			}
		}
		if err := createParleyBuckets(tx); err != nil {
			return err
		}
		if err := putIndexEntries(tx, quads); err != nil {
			return err
		}
		s.stale = false
		return stampIndexes(tx)
	})
}

// Names returns the label and alias quads the name index holds for name (any case):
// those that name their subject name whole, and those whose name starts with name's
// words. ok is false when the store has no name index. The index may hold a quad the
// store no longer has (after a crash): check each.
func (s *Store) Names(name string) (wholes, starts []quad.Quad, ok bool, err error) {
	lower := strings.ToLower(name)
	if wholes, ok, err = s.indexed(namesBucket, lower+"\x00"); err != nil || !ok {
		return nil, nil, ok, err
	}
	if starts, ok, err = s.indexed(namesBucket, lower+" "); err != nil || !ok {
		return nil, nil, ok, err
	}
	return wholes, starts, true, nil
}

// Claims returns the quads the claims index holds under label claim. ok is false when
// the store has no claims index. The index may hold a quad the store no longer has
// (after a crash): check each.
func (s *Store) Claims(claim quad.Value) (quads []quad.Quad, ok bool, err error) {
	return s.indexed(claimsBucket, claim.String()+"\x00")
}

// indexed returns the quads of the entries of one of parley's indexes whose keys start
// with prefix. ok is false when the store has no such index.
func (s *Store) indexed(bucket []byte, prefix string) (quads []quad.Quad, ok bool, err error) {
	if s.stale {
		return nil, false, nil // another program wrote the store: the callers scan
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
	return quads, true, nil
}
