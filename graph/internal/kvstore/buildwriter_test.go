package kvstore

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestBuildWriter checks that the build's writer writes every key it is given, in
// batches, and that an error or an abandoned build commits nothing more.
func TestBuildWriter(t *testing.T) {
	const n = 3*putBatch + 5
	for _, tc := range []struct {
		name    string
		badAt   int  // put an empty key, which bolt refuses, at this index (-1: none)
		commit  bool // close with commit
		wantErr error
		want    int // keys in the bucket after
	}{
		{"all written", -1, true, nil, n},
		{"bad key in the last batch", n - 2, true, bolt.ErrKeyRequired, 0},
		{"bad key in an early batch", 10, true, bolt.ErrKeyRequired, 0},
		{"abandoned", -1, false, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := bolt.Open(filepath.Join(t.TempDir(), "w.db"), 0o644, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket(logBucket); return err }); err != nil {
				t.Fatal(err)
			}
			w, err := newBuildWriter(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			var putErr error
			for i := 0; i < n && putErr == nil; i++ {
				key := []byte(fmt.Sprintf("k%06d", i))
				if i == tc.badAt {
					key = nil
				}
				putErr = w.put([]byte("b"), key, []byte("v"))
			}
			err = w.close(tc.commit)
			if putErr != nil && (tc.wantErr == nil || !errors.Is(putErr, tc.wantErr)) {
				t.Errorf("put = %v, want nil or %v", putErr, tc.wantErr)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("close = %v, want %v", err, tc.wantErr)
			}
			if tc.wantErr == nil && tc.commit && err != nil {
				t.Errorf("close = %v", err)
			}
			if !tc.commit && err == nil {
				t.Error("close without commit returned no error")
			}
			got := 0
			db.View(func(tx *bolt.Tx) error {
				if b := tx.Bucket([]byte("b")); b != nil {
					got = b.Stats().KeyN
				}
				return nil
			})
			if got != tc.want {
				t.Errorf("%d keys written, want %d", got, tc.want)
			}
		})
	}
}
