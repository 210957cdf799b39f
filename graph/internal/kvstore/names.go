package kvstore

import (
	"bytes"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// EachName calls fn, in the name index's order, with the lower-cased text and the quad
// (in N-Quads) of every entry whose text starts with prefix (any case), until fn returns
// false. It reads keys in order and nothing else, so a prefix costs what its entries
// cost, not what the store holds. ok is false when the store has no name index. As with
// Names, an entry may outlive its quad after a crash.
func (s *Store) EachName(prefix string, fn func(text string, nquad []byte) bool) (ok bool, err error) {
	p := []byte(strings.ToLower(prefix))
	err = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(namesBucket)
		if b == nil {
			return nil
		}
		ok = true
		c := b.Cursor()
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			text, _, _ := bytes.Cut(k, []byte{0})
			if !fn(string(text), v) {
				return nil
			}
		}
		return nil
	})
	return ok, err
}
