//go:build !unix

package kvstore

// mapMemory returns n zeroed bytes; without mmap, from Go's heap.
func mapMemory(n int) ([]byte, error) { return make([]byte, n), nil }

func unmapMemory([]byte) {}
