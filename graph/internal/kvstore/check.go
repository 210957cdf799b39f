package kvstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"
)

// Finding is one thing a check looked at, and what it found.
type Finding struct {
	Check  string `json:"check"`  // pages, bbolt, counts, nodes, indexes, journal
	OK     bool   `json:"ok"`     // sound
	Detail string `json:"detail"` // what was found
}

// CheckPages checks the store file at path without bbolt, which trusts its pages: its
// meta pages, then every page of every bucket, read one by one (pageFile). It holds a
// shared lock on the file, waiting at most timeout. A store whose pages fail must not
// be opened through bbolt for the further checks (CheckStore). The error is ErrTimeout,
// or one opening the file.
func CheckPages(path string, timeout time.Duration) (Finding, error) {
	if _, err := checkFile(path); err != nil {
		var derr *DamagedError
		if errors.As(err, &derr) {
			return Finding{Check: "pages", Detail: derr.Problem}, nil
		}
		return Finding{}, err
	}
	pf, err := openPages(path, timeout, false)
	var derr *DamagedError
	if errors.As(err, &derr) {
		return Finding{Check: "pages", Detail: derr.Problem}, nil
	} else if err != nil {
		return Finding{}, err
	}
	defer pf.Close()
	entries := 0
	pf.walkAll(func([]byte, elem) { entries++ })
	st := pf.stats
	if st.Skipped > 0 {
		return Finding{Check: "pages", Detail: fmt.Sprintf("%d pages read, %d unreadable (%s)", st.Pages, st.Skipped, strings.Join(st.Problems, "; "))}, nil
	}
	return Finding{Check: "pages", OK: true, Detail: fmt.Sprintf("%d pages read, %d entries", st.Pages, entries)}, nil
}

// CheckStore checks an open store whose pages passed CheckPages: bbolt's own page check,
// Cayley's count of quads against the live quads of its log, every node a quad names
// present in the log, parley's name and claims indexes (stamped with the store's state,
// every entry the store's quads call for present and none besides), and the journal of
// an interrupted load (none, or one that reads back whole).
func (s *Store) CheckStore(ctx context.Context) ([]Finding, error) {
	var out []Finding
	out = append(out, s.checkBolt())
	if s.qs == nil {
		return append(out, Finding{Check: "counts", Detail: "the store is not initialised: no Cayley data"}), nil
	}
	f, err := s.checkLog(ctx)
	if err != nil {
		return nil, err
	}
	out = append(out, f...)
	out = append(out, s.checkJournal())
	return out, nil
}

// checkBolt runs bbolt's page check (Tx.Check): every page reachable once, or free.
func (s *Store) checkBolt() Finding {
	var problems []string
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			if n++; len(problems) < maxProblems {
				problems = append(problems, err.Error())
			}
		}
		return nil
	})
	if err != nil {
		return Finding{Check: "bbolt", Detail: err.Error()}
	}
	if n > 0 {
		return Finding{Check: "bbolt", Detail: fmt.Sprintf("%d problems: %s", n, strings.Join(problems, "; "))}
	}
	return Finding{Check: "bbolt", OK: true, Detail: "every page reachable once or free"}
}

// checkLog reads the log once: Cayley's counts, the nodes the quads name, and parley's
// indexes against the quads.
func (s *Store) checkLog(ctx context.Context) ([]Finding, error) {
	var out []Finding
	err := s.readLog(func(r *logReader) error {
		tx := r.log.Tx()
		meta := tx.Bucket(metaBucket)
		size := metaInt(meta, sizeKey)
		names, claims := tx.Bucket(namesBucket), tx.Bucket(claimsBucket)
		var live, broken, wantNames, wantClaims, missNames, missClaims int
		err := r.eachLink(ctx, func(p *cproto.Primitive) error {
			live++
			var q quad.Quad
			for i, id := range [4]uint64{p.Subject, p.Predicate, p.Object, p.Label} {
				v, err := r.value(id)
				if err != nil {
					broken++
					return nil
				}
				q.Set(quad.Directions[i], v)
			}
			if text, ok := nameOf(q); ok {
				wantNames++
				if k, _ := nameEntry(text, q); names == nil || names.Get(k) == nil {
					missNames++
				}
			}
			if k, _, ok := claimEntry(q); ok {
				wantClaims++
				if claims == nil || claims.Get(k) == nil {
					missClaims++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if int64(live) == size {
			out = append(out, Finding{Check: "counts", OK: true, Detail: fmt.Sprintf("%d quads, as Cayley counts them", live)})
		} else {
			out = append(out, Finding{Check: "counts", Detail: fmt.Sprintf("Cayley counts %d quads where its log holds %d", size, live)})
		}
		if broken == 0 {
			out = append(out, Finding{Check: "nodes", OK: true, Detail: "every node a quad names is in the log"})
		} else {
			out = append(out, Finding{Check: "nodes", Detail: fmt.Sprintf("%d quads name a node the log does not hold", broken)})
		}
		out = append(out, indexFinding(tx, names, claims, wantNames+wantClaims, missNames+missClaims))
		return nil
	})
	return out, err
}

// indexFinding says whether parley's indexes are sound: stamped with the store's state,
// holding the want entries the store's quads call for (miss of them are not there) and
// no others.
func indexFinding(tx *bolt.Tx, names, claims *bolt.Bucket, want, miss int) Finding {
	held := 0
	for _, b := range []*bolt.Bucket{names, claims} {
		if b != nil {
			held += b.Stats().KeyN
		}
	}
	extra := held - (want - miss)
	var problems []string
	if names == nil || claims == nil {
		problems = append(problems, "an index is missing")
	}
	if !indexesCurrent(tx) {
		problems = append(problems, "their stamp is not the store's state (another program wrote it)")
	}
	if miss > 0 {
		problems = append(problems, fmt.Sprintf("%d of %d entries missing", miss, want))
	}
	if extra > 0 {
		problems = append(problems, fmt.Sprintf("%d entries for quads the store does not hold", extra))
	}
	if len(problems) > 0 {
		return Finding{Check: "indexes", Detail: strings.Join(problems, "; ") + ": --repair rebuilds them"}
	}
	return Finding{Check: "indexes", OK: true, Detail: fmt.Sprintf("names and claims: %d entries, stamped with the store's state", want)}
}

// checkJournal looks for the journal of an interrupted load: none, or one that reads
// back whole.
func (s *Store) checkJournal() Finding {
	if _, err := os.Stat(s.path + journalSuffix); errors.Is(err, os.ErrNotExist) && s.damage == nil {
		return Finding{Check: "journal", OK: true, Detail: "no interrupted load"}
	}
	if s.damage != nil {
		return Finding{Check: "journal", Detail: s.damage.Error()}
	}
	if _, err := s.Interrupted(); err != nil {
		return Finding{Check: "journal", Detail: err.Error()}
	}
	return Finding{Check: "journal", OK: true, Detail: "an interrupted load, which the next writer rolls back"}
}
