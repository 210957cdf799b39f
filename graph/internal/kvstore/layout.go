package kvstore

import (
	"encoding/binary"

	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/cayleygraph/quad"
	bolt "go.etcd.io/bbolt"
)

// The layout of a store: Cayley's key-value layout (graph/kv/indexing.go and
// quadstore.go of the Cayley version parley builds on) as parley's writers write it, and
// parley's own buckets beside it. Every name and number that says where a thing is kept
// is here; the other files of the package use these and spell out none.
//
// One bolt bucket per name below, at the root of the file:
//
//	meta             counters and settings: version, horizon, size, indexes
//	log              every node and quad by ID (8 bytes, big-endian): a cproto.Primitive
//	v + 2 bytes      a node's ID (uvarint), by its hash (20 bytes); the bucket is picked by
//	                 the hash's first two bytes: 65,536 buckets
//	n + 2 bytes      a node's refcount (uvarint), by its hash, bucketed as 'v'
//	<directions>     a quad index, named by its directions' prefixes ("sp", "ops"): the
//	                 node IDs of those directions (8 bytes each, big-endian), and as value
//	                 the IDs of the quads with them (uvarints, ascending)
//	parley.names     parley's name index (indexes.go)
//	parley.claims    parley's claims index (indexes.go)
//	parley.meta      parley's own counters: the Cayley state its indexes were made for

// dataVersion is the data version of Cayley's layout that parley's writers write:
// graph/kv's latestDataVersion. A store of another version is refused before any write
// (checkVersion).
const dataVersion = 2

// Buckets and keys of Cayley's layout.
var (
	// metaBucket holds the store's counters and settings, each under a key of its own.
	metaBucket = []byte("meta")
	// logBucket holds every node and quad Cayley ever gave an ID, keyed by that ID
	// (logKey); a deleted quad stays, marked deleted.
	logBucket = []byte("log")

	// versionKey (in metaBucket) is the layout's data version, a metaInt.
	versionKey = []byte("version")
	// horizonKey (in metaBucket) is the highest ID given a node or a quad, a metaInt.
	horizonKey = []byte("horizon")
	// sizeKey (in metaBucket) is the number of live quads, a metaInt.
	sizeKey = []byte("size")
	// indexesKey (in metaBucket) lists the store's quad indexes, as JSON of
	// []ckv.QuadIndex; absent or empty: legacyIndexes.
	indexesKey = []byte("indexes")
)

// Node buckets: Cayley keeps each node's ID in a bucket named 'v' and its refcount in
// one named 'n', followed by the first two bytes of the node's hash; the key is the
// whole hash (refs.HashOf: SHA-1 of the value's N-Quads notation), the value a uvarint.
const (
	valueBuckets = iota // the 'v' buckets: node IDs
	refsBuckets         // the 'n' buckets: refcounts
)

// nodeBucketPrefix is the first byte of the node buckets' names, by kind. The 'n'
// buckets sort before the 'v' ones, which is the order a bulk write creates them in.
var nodeBucketPrefix = [2]byte{'v', 'n'}

// nodeBucketName is the name of the node bucket of kind for a hash starting h0, h1.
func nodeBucketName(kind int, h0, h1 byte) []byte {
	return []byte{nodeBucketPrefix[kind], h0, h1}
}

// legacyIndexes are the quad indexes Cayley assumes when a store lists none
// (graph/kv's legacyQuadIndexes, of Cayley before 0.7.6). A new store lists Cayley's
// DefaultQuadIndexes.
var legacyIndexes = []ckv.QuadIndex{
	{Dirs: []quad.Direction{quad.Subject}},
	{Dirs: []quad.Direction{quad.Object}},
}

// parley's own buckets, beside Cayley's, which Cayley neither reads nor writes.
var (
	// namesBucket is the name index: per label or alias quad, the key is its lower-cased
	// text (at most maxIndexedName bytes), a NUL and the quad in N-Quads; the value, the
	// quad in N-Quads.
	namesBucket = []byte("parley.names")
	// claimsBucket is the claims index: per quad with a label, the key is the label in
	// N-Quads, a NUL and the SHA-1 of the quad in N-Quads; the value, the quad in N-Quads.
	claimsBucket = []byte("parley.claims")
	// parleyMetaBucket holds parley's own counters.
	parleyMetaBucket = []byte("parley.meta")
	// indexedKey (in parleyMetaBucket) is the Cayley state parley's indexes are up to
	// date with: the meta bucket's horizon and size, 16 bytes (indexStamp). Every writer
	// of parley's stamps it in the transaction that updates the indexes; another writer
	// (Cayley itself, an old parley) changes horizon or size without it, and the indexes
	// are then rebuilt (a writable open) or not trusted (a read-only one).
	indexedKey = []byte("indexed")
	// journalKey (in parleyMetaBucket) is present while a journalled load runs: the
	// journal's load ID (16 bytes), the number of its records a batch may have been
	// applied from, and the journal's size up to the end of the last of them (8 bytes
	// each, little-endian): journalMark. It is written in the transaction that applies a
	// batch, so the store itself says how much of the journal a rollback must find intact.
	journalKey = []byte("journal")
)

// maxIndexedName bounds the names indexed (bolt keys are at most 32 KiB). A longer label
// is found by its exact text only, through Cayley's object index.
const maxIndexedName = 4096

// parleyBuckets are the buckets a new store of parley's has beside Cayley's.
var parleyBuckets = [][]byte{namesBucket, claimsBucket, parleyMetaBucket}

// indexStamp is the stamp of a Cayley state: its horizon and size, as indexedKey holds it.
func indexStamp(horizon, size int64) []byte {
	return binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, uint64(horizon)), uint64(size))
}

// Files beside the store file, each named by a suffix of the store's path.
const (
	// journalSuffix names a load's journal: the quads of the batches it committed, in
	// N-Quads, after journalHeader, and the quads a replace removed, each on a line of
	// its own that starts with removedMark; present only while a load runs or after a
	// crash.
	journalSuffix = ".journal"
	// buildSuffix names the new store file a rebuild writes before it takes the store's
	// place; left only by a crash.
	buildSuffix = ".build"
	// stateSuffix names the state file: "parley-state INODE TXID", the store file's inode
	// and the newest bbolt transaction in it when a writer of parley's last closed it. A
	// store whose newest meta page is older (bbolt fell back to its older meta page) is
	// refused (checkFile).
	stateSuffix = ".state"
	// sortSuffix names the directory of a rebuild's sort runs; left only by a crash.
	sortSuffix = ".sort"
	// NewSuffix names the new store an init writes (and seeds) before it takes the
	// store's place; left only by a crash, and removed by the next init.
	NewSuffix = ".new"
)

// Files returns the paths of the files a store at path may have beside it: its journal,
// the new file and the sort runs of a rebuild, its state file.
func Files(path string) []string {
	return []string{path + journalSuffix, path + buildSuffix, path + sortSuffix, path + stateSuffix, path + stateSuffix + ".new"}
}

// stateHeader starts the state file.
const stateHeader = "parley-state"

// A journal is journalHeader and the load's ID (32 hex digits) on its first line, then
// one record per batch: a line "@ BATCH LINES BYTES CRC" (BATCH counts from 1; CRC is
// the CRC-32C, 8 hex digits, of "BATCH LINES BYTES\n" and the body), and a body of BYTES
// bytes: LINES N-Quads lines, those of quads a replace removed starting removedMark.
const (
	journalHeader = "# parley load journal 2 "
	journalRecord = "@ "
)

// removedMark starts a journal line that holds a quad a replace removed, which a
// rollback writes back. No N-Quads statement starts with it.
const removedMark = "-"

// metaInt reads a counter of the meta bucket: 8 bytes, little-endian; 0 when absent.
func metaInt(meta *bolt.Bucket, key []byte) int64 {
	v := meta.Get(key)
	if len(v) != 8 {
		return 0
	}
	return int64(binary.LittleEndian.Uint64(v))
}

func putMetaInt(meta *bolt.Bucket, key []byte, v int64) error {
	return meta.Put(key, metaIntValue(v))
}

// metaIntValue is a counter of the meta bucket as stored.
func metaIntValue(v int64) []byte {
	return binary.LittleEndian.AppendUint64(nil, uint64(v))
}

// putLogKey writes the log's key of ID id into key (8 bytes): big-endian, so that the
// log is in ID order.
func putLogKey(key []byte, id uint64) { binary.BigEndian.PutUint64(key, id) }
