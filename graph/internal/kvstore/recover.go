package kvstore

import (
	"context"
	"fmt"
	"os"
)

// Recover readies a store opened for writing: it removes what a build a crash
// interrupted left (a build holds the lock while it runs), rolls back a load a crash
// interrupted, and builds the indexes of a store made before them. It returns how many
// quads it rolled back.
func (s *Store) Recover(ctx context.Context) (int, error) {
	os.Remove(s.path + buildSuffix)
	os.RemoveAll(s.path + sortSuffix)
	if s.qs == nil {
		return 0, nil
	}
	n, err := s.RollbackJournal()
	if err != nil {
		return n, fmt.Errorf("store %s: an interrupted load could not be rolled back: %w", s.path, err)
	}
	if err := s.BuildIndexes(ctx); err != nil {
		return n, fmt.Errorf("store %s: %w", s.path, err)
	}
	return n, nil
}
