package kvstore

import (
	"context"
	"errors"
	"fmt"
	"io"
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
// returns the copy's size. Cancelling ctx stops the copy, and dst.tmp is removed.
func (s *Store) Backup(ctx context.Context, dst string, force bool) (int64, error) {
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
		f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, mode)
		if err != nil {
			return err
		}
		_, err = tx.WriteTo(ctxWriter{ctx, f})
		if e := f.Close(); err == nil {
			err = e
		}
		return err
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
//
// Cancelling ctx before the rename stops it, and leaves the store as it was.
func Restore(ctx context.Context, path, src string, timeout time.Duration) error {
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
		err = ctx.Err() // the last point where an interrupt leaves the store as it was
	}
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

// MoveOver puts the store s, a new store written beside old's file (its path ends in
// NewSuffix), in old's place: s is synced and renamed over old's file while this
// process holds both locks, so that no other process sees anything but the old store
// before or the whole new one after; old is closed, and s goes on open at old's path. A
// failure leaves old as it was, open, and s as it was.
func (s *Store) MoveOver(old *Store) error {
	if err := s.db.Sync(); err != nil {
		return fmt.Errorf("sync the new store %s: %w", s.path, err)
	}
	keepOwnership(old.path, s.path)
	if err := os.Rename(s.path, old.path); err != nil {
		return fmt.Errorf("replace the store %s: %w", old.path, err)
	}
	syncDir(filepath.Dir(old.path))
	os.Remove(s.path + stateSuffix)
	// old's state would record its transaction against the new file's inode: it is
	// closed without one, and s records its own when it closes.
	old.closed = true
	if old.qs != nil {
		old.qs.Close()
	}
	old.db.Close()
	s.path = old.path
	return nil
}

// ctxWriter is a writer that fails once ctx is done.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
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
