//go:build unix

package kvstore

import (
	"fmt"
	"syscall"
)

// mapMemory returns n zeroed bytes outside Go's heap: an anonymous private mapping, for a
// big table without pointers that lives through a phase of a load. The collector neither
// scans such memory nor counts it when it decides how much garbage may pile up, so a
// table of 100 MB does not also let 100 MB of garbage pile up beside it. Free it with
// unmapMemory.
func mapMemory(n int) ([]byte, error) {
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil, fmt.Errorf("map %d bytes of memory: %w", n, err)
	}
	return b, nil
}

func unmapMemory(b []byte) { syscall.Munmap(b) }
