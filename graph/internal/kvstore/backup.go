package kvstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a consistent copy of the store to dst, from one read transaction (readers
// and the open that made s run on beside it): to dst.tmp, synced, checked and renamed
// over dst. A file at dst is refused unless force. The copy has the store's mode, and no
// state file: a stale one at dst is removed, so the copy opens as a store of its own. It
// returns the copy's size.
func (s *Store) Backup(dst string, force bool) (int64, error) {
	if _, err := os.Stat(dst); err == nil && !force {
		return 0, fmt.Errorf("backup %s: the file exists (use --force to overwrite it)", dst)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(s.path); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp := dst + ".tmp"
	os.Remove(tmp)
	var size int64
	err := s.db.View(func(tx *bolt.Tx) error {
		size = tx.Size()
		return tx.CopyFile(tmp, mode)
	})
	if err == nil {
		err = syncFile(tmp)
	}
	if err == nil {
		_, err = checkFile(tmp)
	}
	if err == nil {
		os.Remove(dst + stateSuffix)
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("backup %s to %s: %w", s.path, dst, err)
	}
	syncDir(filepath.Dir(dst))
	return size, nil
}

// Restore puts a copy of src, a backup checked by the caller, in place of the store file
// at path, all or nothing: under the store's write lock (taken on the file as bbolt
// takes it, so that a damaged store can be replaced too), the copy is written beside the
// store with its mode, synced and renamed over it; the state file then records the
// copy, so that its older transaction is not taken for a rollback, and the journal of an
// interrupted load into the replaced store is removed, as it is of no use to the copy.
func Restore(path, src string, timeout time.Duration) error {
	mode := os.FileMode(0o644)
	lock, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("restore %s: %w", path, err)
	}
	defer lock.Close()
	if err := flockWait(lock, syscall.LOCK_EX, timeout); err != nil {
		return fmt.Errorf("restore %s: %w", path, err)
	}
	if fi, err := lock.Stat(); err == nil {
		mode = fi.Mode().Perm()
	}
	tmp := path + ".restore"
	os.Remove(tmp)
	if err := copyStoreFile(tmp, src, mode); err != nil {
		return fmt.Errorf("restore %s from %s: %w", path, src, err)
	}
	if fi, err := lock.Stat(); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok {
			os.Chown(tmp, int(st.Uid), int(st.Gid)) // as a rebuild does; only root may give it away
		}
	}
	st, err := checkFile(tmp)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore %s from %s: %w", path, src, err)
	}
	syncDir(filepath.Dir(path))
	for _, suffix := range []string{journalSuffix, buildSuffix} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("restore %s: remove %s: %w", path, path+suffix, err)
		}
	}
	os.RemoveAll(path + sortSuffix)
	if err := writeStateFile(path, st.inode, st.txid); err != nil {
		return fmt.Errorf("restore %s: record its state: %w", path, err)
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = f.Sync()
	if e := f.Close(); err == nil {
		err = e
	}
	return err
}
