package cmd

import (
	"fmt"
	"io"
	"os"
)

// outFile is an output file written whole or not at all: to NAME.tmp, synced, then
// renamed to NAME once complete, so that an interrupt, a full disk or a crash never
// leaves a half file under the name asked for (nor truncates the file that was there).
// NAME "-" writes to w (stdout) as it goes.
type outFile struct {
	name string
	w    io.Writer
	f    *os.File
}

// create opens NAME.tmp, unless NAME is "-"; an existing NAME is kept unless force.
func (o *outFile) create(force bool) error {
	if o.name == "-" {
		return nil
	}
	if _, err := os.Stat(o.name); err == nil && !force {
		return fmt.Errorf("write %s: the file exists (use --force to overwrite it)", o.name)
	}
	f, err := os.Create(o.name + ".tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", o.name, err)
	}
	o.f, o.w = f, f
	return nil
}

// commit syncs and closes NAME.tmp and renames it to NAME.
func (o *outFile) commit() error {
	if o.f == nil {
		return nil
	}
	err := o.f.Sync()
	if e := o.f.Close(); err == nil {
		err = e
	}
	if err == nil {
		err = os.Rename(o.f.Name(), o.name)
	}
	if err != nil {
		os.Remove(o.f.Name())
		o.f = nil
		return fmt.Errorf("write %s: %w", o.name, err)
	}
	o.f = nil
	return nil
}

// discard removes NAME.tmp when it was not committed.
func (o *outFile) discard() {
	if o.f != nil {
		o.f.Close()
		os.Remove(o.f.Name())
		o.f = nil
	}
}

// writeFile writes data to the file at path whole or not at all (outFile).
func writeFile(path string, data []byte) error {
	o := &outFile{name: path}
	if err := o.create(true); err != nil {
		return err
	}
	defer o.discard()
	if _, err := o.w.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return o.commit()
}
