package kvstore

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	cproto "github.com/cayleygraph/cayley/graph/proto"
	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/pquads"
	"google.golang.org/protobuf/proto"
)

// SalvageResult is what Salvage read and skipped.
type SalvageResult struct {
	Quads          int      // quads written
	Pages          int      // pages of the log read
	PagesSkipped   int      // pages that could not be read, with the entries below them
	RecordsSkipped int      // log entries that did not read back
	QuadsSkipped   int      // quads naming a node that was not found
	Scanned        bool     // the log's tree could not be walked: every page was scanned for its entries
	OlderMeta      bool     // a meta page was damaged: the other was read, perhaps the older state
	Journal        bool     // a load's journal is beside the store: its quads may be among those read
	Problems       []string // the first problems met
}

// Salvage writes every quad still readable from the log of the store file at path to w,
// as N-Quads, one a line, in ID order: the log's pages are read one by one (pageFile), so a page
// that cannot be read loses only the entries on it and below it; when the log's tree
// cannot be walked (its root, or both meta pages, lost), every page is scanned. It holds a shared lock
// on the file, as a reader does, waiting at most timeout for a writer.
func Salvage(path string, timeout time.Duration, w io.Writer) (*SalvageResult, error) {
	pf, err := openPages(path, timeout, true)
	if err != nil {
		return nil, err
	}
	defer pf.Close()
	res := &SalvageResult{OlderMeta: pf.older, Journal: HasJournal(path)}
	var logRoot *elem
	if !pf.noMeta {
		pf.walk(pf.meta.root, nil, func(e elem) {
			if e.bucket && bytes.Equal(e.key, logBucket) {
				c := e
				logRoot = &c
			}
		})
	}
	pf.stats = WalkStats{}
	if pf.noMeta {
		pf.stats.problem("neither meta page is valid: every page scanned, taken as %d bytes", pf.pageSize)
	}
	entries := &logEntries{nodes: map[uint64]quad.Value{}, links: map[uint64][4]uint64{}, deleted: map[uint64]bool{}}
	if logRoot != nil {
		pf.walkBucket(*logRoot, func(e elem) { entries.add(e, res) })
	} else {
		// The tree cannot be walked from its root (the root page was cut off, say): every
		// page of the file is read for log entries instead (logEntries.add).
		res.Scanned, entries.scan = true, true
		pf.scan(func(e elem) { entries.add(e, res) })
	}
	res.Pages, res.PagesSkipped, res.Problems = pf.stats.Pages, pf.stats.Skipped, pf.stats.Problems
	bw := bufio.NewWriterSize(w, 1<<16)
	ids := slices.Sorted(maps.Keys(entries.links))
	for _, id := range ids {
		if entries.deleted[id] {
			continue
		}
		l := entries.links[id]
		var q quad.Quad
		ok := true
		for i, id := range l {
			if id == 0 {
				continue
			}
			v, found := entries.nodes[id]
			if !found {
				ok = false
				break
			}
			q.Set(quad.Directions[i], v)
		}
		if !ok || q.Subject == nil || q.Predicate == nil || q.Object == nil {
			res.QuadsSkipped++
			continue
		}
		if _, err := bw.WriteString(nquadLine(q) + "\n"); err != nil {
			return res, err
		}
		res.Quads++
	}
	return res, bw.Flush()
}

// nquadLine is q in N-Quads on one line: Cayley writes an IRI or a blank node as it is,
// so a line break in one (a damaged value, say) is written as the escape \u000A or
// \u000D, which N-Quads allows in an IRI; the N-Quads reader refuses it in a blank node,
// at that one line. Literals are escaped already.
func nquadLine(q quad.Quad) string {
	line := q.NQuad()
	if strings.ContainsAny(line, "\r\n") {
		line = strings.NewReplacer("\r", `\u000D`, "\n", `\u000A`).Replace(line)
	}
	return line
}

// logEntries are the entries of Cayley's log salvaged: node values and quads by ID. An
// ID is never given twice and a quad's entry changes only by being marked deleted, so
// when a scan meets an entry twice (on a page freed since), a deletion wins.
type logEntries struct {
	nodes   map[uint64]quad.Value
	links   map[uint64][4]uint64
	deleted map[uint64]bool
	scan    bool // the entries are of every page: those of other buckets are passed over
	p       cproto.Primitive
}

// add reads one leaf entry of the log; one that does not read back, or whose ID is not
// its key's, is counted as skipped.
func (l *logEntries) add(e elem, res *SalvageResult) {
	p := &l.p
	p.Reset()
	if l.scan && (e.bucket || len(e.key) != 8 || proto.Unmarshal(e.value, p) != nil || p.ID != binary.BigEndian.Uint64(e.key)) {
		return
	}
	if e.bucket || len(e.key) != 8 || proto.Unmarshal(e.value, p) != nil || p.ID != binary.BigEndian.Uint64(e.key) {
		res.RecordsSkipped++
		return
	}
	if p.IsNode() {
		v, err := pquads.UnmarshalValue(p.Value)
		if err != nil {
			res.RecordsSkipped++
			return
		}
		l.nodes[p.ID] = v
		return
	}
	if p.Deleted {
		l.deleted[p.ID] = true
		return
	}
	l.links[p.ID] = [4]uint64{p.Subject, p.Predicate, p.Object, p.Label}
}
