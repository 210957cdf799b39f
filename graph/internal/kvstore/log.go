package kvstore

import (
	"context"
	"errors"
	"fmt"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	bolt "go.etcd.io/bbolt"
	"google.golang.org/protobuf/proto"

	"github.com/parley/parley/schema"
)

// reportEvery is how many quads or log entries pass between progress reports, and
// between checks of a context, in the longer loops.
const reportEvery = 50000

// logValueCache bounds the node values a log reader keeps.
const logValueCache = 1 << 16

// EachQuad calls fn with every quad of the store, in ID order, from Cayley's log.
// Cayley's iterator gives the same quads but took about five times as long: a
// transaction and a batch lookup per quad.
func (s *Store) EachQuad(ctx context.Context, fn func(quad.Quad) error) error {
	return s.eachLogQuad(ctx, 0, fn)
}

// EachWithPredicate calls fn for every quad with predicate pred. Cayley's store does
// not index predicates: this reads the log, resolving the values of the quads with pred
// only.
func (s *Store) EachWithPredicate(ctx context.Context, pred quad.Value, fn func(quad.Quad) error) error {
	ref, err := s.qs.ValueOf(pred)
	if err != nil || ref == nil {
		return err
	}
	if id, ok := ref.(ckv.Int64Value); ok {
		return s.eachLogQuad(ctx, uint64(id), fn)
	}
	it := s.qs.QuadIterator(quad.Predicate, ref).Iterate()
	defer it.Close()
	for it.Next(ctx) {
		q, err := s.qs.Quad(it.Result())
		if err != nil {
			return err
		}
		if err := fn(q); err != nil {
			return err
		}
	}
	return it.Err()
}

// eachLogQuad calls fn with every quad of the store (with the predicate of ID pred,
// unless 0), in ID order, from Cayley's log (readLog).
func (s *Store) eachLogQuad(ctx context.Context, pred uint64, fn func(quad.Quad) error) error {
	return s.readLog(func(r *logReader) error {
		return r.eachLink(ctx, func(p *cproto.Primitive) error {
			if pred != 0 && p.Predicate != pred {
				return nil
			}
			var q quad.Quad
			for i, id := range [4]uint64{p.Subject, p.Predicate, p.Object, p.Label} {
				v, err := r.value(id)
				if err != nil {
					return err
				}
				q.Set(quad.Directions[i], v)
			}
			return fn(q)
		})
	})
}

// ValueCount is a node's value and a count.
type ValueCount struct {
	Value quad.Value
	Count int
}

// Counts is what Count counts.
type Counts struct {
	Quads      int          // live quads
	Typed      int          // subjects with a schema.PredType quad
	Predicates []ValueCount // quads by predicate
	Types      []ValueCount // typed subjects by type (the object of schema.PredType)
}

// Count counts quads, quads by predicate, typed subjects by type and typed subjects, from
// the log by node IDs: only the predicates and types are read as values, once each.
func (s *Store) Count(ctx context.Context) (*Counts, error) {
	var typeID uint64
	if ref, err := s.qs.ValueOf(quad.IRI(schema.PredType)); err != nil {
		return nil, err
	} else if id, ok := ref.(ckv.Int64Value); ok {
		typeID = uint64(id)
	}
	c := &Counts{}
	err := s.readLog(func(r *logReader) error {
		byPred, byType := map[uint64]int{}, map[uint64]int{}
		subjects := map[uint64]struct{}{}
		err := r.eachLink(ctx, func(p *cproto.Primitive) error {
			c.Quads++
			byPred[p.Predicate]++
			if typeID != 0 && p.Predicate == typeID {
				byType[p.Object]++
				subjects[p.Subject] = struct{}{}
			}
			return nil
		})
		if err != nil {
			return err
		}
		c.Typed = len(subjects)
		for _, m := range []struct {
			ids map[uint64]int
			out *[]ValueCount
		}{{byPred, &c.Predicates}, {byType, &c.Types}} {
			for id, n := range m.ids {
				v, err := r.value(id)
				if err != nil {
					return err
				}
				*m.out = append(*m.out, ValueCount{Value: v, Count: n})
			}
		}
		return nil
	})
	return c, err
}

// logReader reads Cayley's log in one read transaction of the store: its live quads by
// node IDs, in ID order, and node values through a bounded cache.
type logReader struct {
	log    *bolt.Bucket
	values map[uint64]quad.Value
	key    [8]byte
}

// readLog calls fn with a reader of the store's log.
func (s *Store) readLog(fn func(*logReader) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		log := tx.Bucket(logBucket)
		if log == nil {
			return errors.New("not a Cayley kv store: no log bucket")
		}
		return fn(&logReader{log: log, values: make(map[uint64]quad.Value, logValueCache)})
	})
}

// value returns the value of node id (nil for 0).
func (r *logReader) value(id uint64) (quad.Value, error) {
	if id == 0 {
		return nil, nil
	}
	if v, ok := r.values[id]; ok {
		return v, nil
	}
	putLogKey(r.key[:], id)
	var p cproto.Primitive
	if err := proto.Unmarshal(r.log.Get(r.key[:]), &p); err != nil || !p.IsNode() {
		return nil, fmt.Errorf("node %d of the log: not found or unreadable (%v)", id, err)
	}
	v, err := pquads.UnmarshalValue(p.Value)
	if err != nil {
		return nil, fmt.Errorf("node %d of the log: %w", id, err)
	}
	if len(r.values) >= logValueCache {
		clear(r.values)
	}
	r.values[id] = v
	return v, nil
}

// eachLink calls fn with every live quad of the log, as node IDs, in ID order; fn must
// not keep p.
func (r *logReader) eachLink(ctx context.Context, fn func(p *cproto.Primitive) error) error {
	var p cproto.Primitive
	c := r.log.Cursor()
	n := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if n++; n%reportEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		p.Reset()
		if err := proto.Unmarshal(v, &p); err != nil {
			return fmt.Errorf("log entry %x: %w", k, err)
		}
		if p.Deleted || p.IsNode() {
			continue
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}
