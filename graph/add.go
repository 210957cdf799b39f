package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/schema"
)

// Assertion is one new fact typed at the shell, with its provenance.
type Assertion struct {
	Subject, Predicate, Object string // names, resolved like Match's
	Evidence                   string // the sentence the fact rests on
	Source                     string // a source's ID, label or title; a new source if none has it
	Speaker                    string // optional: who is quoted or paraphrased
	Date                       string // optional: when the fact holds (YYYY, YYYY-MM or YYYY-MM-DD)
	Modality                   string // optional: default asserted
	Condition                  string // optional: the condition the source attaches ("until ...")
}

// AddName is the input name add's problems are reported under.
const AddName = "add"

// Add resolves, validates and writes one fact with a claim carrying its provenance. The
// claim's ID derives from the fact and its evidence, so adding the same fact twice writes
// nothing the second time.
func (s *Store) Add(ctx context.Context, a Assertion) (*Fact, LoadResult, error) {
	if err := s.ready(); err != nil {
		return nil, LoadResult{}, err
	}
	if strings.TrimSpace(a.Evidence) == "" {
		return nil, LoadResult{}, errors.New("a fact needs its evidence (--evidence)")
	}
	if strings.TrimSpace(a.Source) == "" {
		return nil, LoadResult{}, errors.New("a fact needs its source (--source)")
	}
	pred, reverse, err := s.resolvePredicate(ctx, a.Predicate)
	if err != nil {
		return nil, LoadResult{}, err
	}
	if reverse {
		a.Subject, a.Object = a.Object, a.Subject
	}
	def := s.vocab.Predicate(string(pred))
	if def == nil || def.Kind != schema.Relation {
		return nil, LoadResult{}, fmt.Errorf("%s is not a relation of the vocabulary; add records relations (see 'parley schema')", pred)
	}
	subj, err := s.ResolveEntity(ctx, a.Subject)
	if err != nil {
		return nil, LoadResult{}, fmt.Errorf("subject: %w", err)
	}
	var obj quad.Value
	if def.Literal {
		obj = quad.String(a.Object)
	} else if obj, err = s.ResolveEntity(ctx, a.Object); err != nil {
		return nil, LoadResult{}, fmt.Errorf("object: %w", err)
	}
	var stmts []schema.Statement
	emit := func(q quad.Quad) { stmts = append(stmts, schema.Statement{Quad: q, File: AddName}) }
	src, err := s.sourceFor(ctx, a.Source, emit)
	if err != nil {
		return nil, LoadResult{}, err
	}
	claim := claimSpec{
		ID:        quad.IRI(string(src) + "#" + claimHash(subj, pred, obj, a.Evidence)),
		Source:    src,
		Evidence:  a.Evidence,
		Modality:  a.Modality,
		Condition: a.Condition,
	}
	if a.Speaker != "" {
		if claim.Speaker, err = s.ResolveEntity(ctx, a.Speaker); err != nil {
			return nil, LoadResult{}, fmt.Errorf("speaker: %w", err)
		}
	}
	if a.Date != "" {
		if claim.Date, err = schema.ParseDate(a.Date); err != nil {
			return nil, LoadResult{}, err
		}
	}
	for _, q := range claim.quads() {
		emit(q)
	}
	fact := quad.Make(subj, pred, obj, claim.ID)
	emit(fact)
	res, err := s.LoadStatements(ctx, stmts, LoadOptions{})
	if err != nil {
		return nil, res, err
	}
	// Written: an interrupt from here on must not make the add look undone.
	facts, err := s.Facts(context.WithoutCancel(ctx), []quad.Quad{fact})
	if err != nil {
		return nil, res, err
	}
	return &facts[0], res, nil
}

// sourceFor finds the source a name means, by ID, label or title, or emits a new one.
func (s *Store) sourceFor(ctx context.Context, name string, emit func(quad.Quad)) (quad.IRI, error) {
	iri, err := s.ResolveEntity(ctx, name)
	var nf *NotFoundError
	switch {
	case err == nil:
		return iri, nil
	case !errors.As(err, &nf):
		return "", fmt.Errorf("source: %w", err)
	}
	if iri, ok, err := s.sourceByTitle(ctx, name); ok || err != nil {
		if err != nil {
			return "", fmt.Errorf("source: %w", err)
		}
		return iri, nil
	}
	src := sourceSpec{ID: sourceIRI(name), Title: name}
	for _, q := range src.quads() {
		emit(q)
	}
	return src.ID, nil
}

func claimHash(s, p, o quad.Value, evidence string) string {
	h := sha256.Sum256([]byte(quad.Quad{Subject: s, Predicate: p, Object: o}.NQuad() + "\x00" + evidence))
	return "a" + hex.EncodeToString(h[:5])
}
