package graph

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/internal/editdist"
	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
)

// Completion and suggestions read names fast and never all of a big store: on the
// embedded store from parley's name index, in key order from a prefix; elsewhere by a
// scan of labels and aliases that stops at the context's deadline. Both may offer a name
// whose quad a crash left in the index (see indexer): a hint, never an answer.

// nameScanner is a backend with parley's name index, read in key order from a prefix.
type nameScanner interface {
	// eachName calls fn with the lower-cased text and the quad (N-Quads, valid during
	// the call) of each entry whose text starts with prefix, until fn returns false; ok
	// is false without the index.
	eachName(prefix string, fn func(text string, nquad []byte) bool) (ok bool, err error)
}

func (b *boltBackend) eachName(prefix string, fn func(string, []byte) bool) (bool, error) {
	return b.kv.EachName(prefix, fn)
}

// minNameScan is how many names a scan without the name index reads before it heeds its
// deadline.
const minNameScan = 2000

// slugScan bounds the entries read for IDs by their slugs.
const slugScan = 10000

// errEnough stops a scan that has found what it needs.
var errEnough = errors.New("enough")

// CompleteNames returns up to limit names of entities that start with prefix, sorted:
// labels, aliases and IDs as they are written, matched in any case; IDs bare ("putin"),
// or in brackets ("<putin>") when prefix starts with "<". It stops at ctx's deadline
// with what it has.
func (s *Store) CompleteNames(ctx context.Context, prefix string, limit int) ([]string, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	id, byID := strings.CutPrefix(strings.ToLower(prefix), "<")
	lower := strings.ToLower(prefix)
	seen := make(map[string]bool)
	var out []string
	add := func(name string) bool {
		if !seen[name] && len(out) < limit {
			seen[name] = true
			out = append(out, name)
		}
		return len(out) < limit
	}
	// Names first, from the prefix: a few keys of the index.
	scanner, indexed := s.be.(nameScanner)
	if indexed && !byID {
		ok, err := scanner.eachName(lower, func(_ string, line []byte) bool {
			if q, ok := parseEntry(line); ok {
				return add(schema.Text(q.Object))
			}
			return true
		})
		if err != nil {
			return nil, err
		}
		indexed = ok
	}
	// IDs are mostly their labels' slugs ("person-12" of "Person 12"): first the
	// names that start as the slug reads, a few keys of the index.
	addID := func(subject string) {
		if subject != "" && strings.HasPrefix(strings.ToLower(subject), id) {
			if byID {
				add("<" + subject + ">")
			} else {
				add(subject)
			}
		}
	}
	if indexed && id != "" {
		n := 0
		_, err := scanner.eachName(strings.ReplaceAll(id, "-", " "), func(_ string, line []byte) bool {
			addID(entrySubject(line))
			n++
			return len(out) < limit && n < slugScan && (n%256 != 0 || ctx.Err() == nil)
		})
		if err != nil {
			return nil, err
		}
	}
	// Then other IDs, and without an index names too, by a scan bounded by ctx.
	err := s.scanNames(ctx, indexed, func(text string, subject string, q func() (quad.Quad, bool)) bool {
		if len(out) >= limit {
			return false
		}
		if !indexed && !byID && strings.HasPrefix(text, lower) {
			if q, ok := q(); ok {
				add(schema.Text(q.Object))
			}
		}
		addID(subject)
		return len(out) < limit
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
	})
	return out, nil
}

// SuggestNames returns up to n names of entities near name, nearest first: labels,
// aliases and IDs within a few edits of it, or with a word within a few edits ("Putn"
// finds "Vladimir Putin"). It stops at ctx's deadline with what it has.
func (s *Store) SuggestNames(ctx context.Context, name string, n int) ([]string, error) {
	if err := s.ready(); err != nil {
		return nil, err
	}
	lower := strings.ToLower(strings.Trim(strings.TrimSpace(name), "<>"))
	if lower == "" {
		return nil, nil
	}
	best := make(map[string]int) // name: its distance
	consider := func(text, shown string) {
		if d, ok := nearness(lower, text); ok {
			if old, seen := best[shown]; !seen || d < old {
				best[shown] = d
			}
		}
	}
	_, indexed := s.be.(nameScanner)
	err := s.scanNames(ctx, indexed, func(text string, subject string, q func() (quad.Quad, bool)) bool {
		if _, ok := nearness(lower, text); ok {
			if q, ok := q(); ok {
				consider(text, schema.Text(q.Object))
			}
		}
		if subject != "" {
			consider(strings.ToLower(subject), subject)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for name := range best {
		out = append(out, name)
	}
	slices.SortFunc(out, func(a, b string) int {
		return cmp.Or(cmp.Compare(best[a], best[b]), cmp.Compare(strings.ToLower(a), strings.ToLower(b)), cmp.Compare(a, b))
	})
	// One of the names that differ in case only ("Putin", the ID "putin").
	out = slices.CompactFunc(out, func(a, b string) bool { return strings.EqualFold(a, b) })
	return out[:min(n, len(out))], nil
}

// SuggestWords returns up to n of words near word, nearest first, as SuggestNames does
// for names: for predicates and readings.
func SuggestWords(word string, words []string, n int) []string {
	lower := strings.ToLower(strings.Trim(strings.TrimSpace(word), "<>"))
	best := make(map[string]int)
	for _, w := range words {
		if d, ok := nearness(lower, strings.ToLower(w)); ok {
			if old, seen := best[w]; !seen || d < old {
				best[w] = d
			}
		}
	}
	out := make([]string, 0, len(best))
	for w := range best {
		out = append(out, w)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(cmp.Compare(best[a], best[b]), cmp.Compare(a, b)) })
	return out[:min(n, len(out))]
}

// scanNames calls fn with the lower-cased text of every label and alias, the ID it names
// and a function that reads its quad, from the name index where there is one and
// elsewhere by a scan, until fn returns false or ctx is done (then it returns what it
// has, with no error).
func (s *Store) scanNames(ctx context.Context, indexed bool, fn func(text, subject string, q func() (quad.Quad, bool)) bool) error {
	if scanner, ok := s.be.(nameScanner); ok && indexed {
		n := 0
		_, err := scanner.eachName("", func(text string, line []byte) bool {
			if n++; n%256 == 0 && ctx.Err() != nil {
				return false
			}
			var parsed *quad.Quad
			return fn(text, entrySubject(line), func() (quad.Quad, bool) {
				if parsed == nil {
					q, ok := parseEntry(line)
					if !ok {
						return quad.Quad{}, false
					}
					parsed = &q
				}
				return *parsed, true
			})
		})
		return err
	}
	// Without the index (PostgreSQL, memory): the first minNameScan names are read
	// whatever the deadline, so that a small store completes whole however busy the
	// server; past them the scan stops at the deadline. The query itself is not
	// cancelled by it: a server answers its first rows late under load.
	n := 0
	for _, pred := range []string{schema.PredLabel, schema.PredAlias} {
		err := s.be.eachWithPredicate(context.WithoutCancel(ctx), quad.IRI(pred), func(q quad.Quad) error {
			if n++; n > minNameScan && ctx.Err() != nil {
				return errEnough
			}
			subject := ""
			if iri, ok := q.Subject.(quad.IRI); ok {
				subject = string(iri)
			}
			if !fn(strings.ToLower(schema.Text(q.Object)), subject, func() (quad.Quad, bool) { return q, true }) {
				return errEnough
			}
			return nil
		})
		if errors.Is(err, errEnough) {
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// entrySubject reads the subject's IRI of a name index entry without parsing the quad:
// the first term, <iri>, which N-Quads writes with no escaped ">" ("" if it is not one).
func entrySubject(line []byte) string {
	if len(line) == 0 || line[0] != '<' {
		return ""
	}
	end := bytes.IndexByte(line, '>')
	if end < 0 || bytes.IndexByte(line[:end], '\\') >= 0 {
		return ""
	}
	return string(line[1:end])
}

// parseEntry reads the quad of a name index entry.
func parseEntry(line []byte) (quad.Quad, bool) {
	q, _, err := nquads.NewReader(bytes.NewReader(line), nquads.Options{}).Next()
	return q, err == nil
}

// nearness tells how near name is to text, when it is near: the edit distance to the
// whole text, or to one of its words, at most 2 edits (one more per 4 characters past 8).
// A word's match ranks after a whole one, and more so in a long text.
func nearness(name, text string) (int, bool) {
	limit := 2 + max(0, utf8.RuneCountInString(name)-8)/4
	d := editdist.Distance(name, text, limit)
	if d <= limit {
		return d, true
	}
	if words := strings.Fields(text); len(words) > 1 {
		for _, w := range words {
			d = min(d, editdist.Distance(name, w, limit))
		}
		return d + 1 + (len(words)-1)/3, d <= limit
	}
	return d, false
}
