package kvstore

import "unsafe"

// mappedSlice returns n zeroed Ts in memory from mapMemory, and that memory, to unmap
// when done. T must hold no pointers: the collector does not see this memory.
func mappedSlice[T any](n int) ([]T, []byte, error) {
	var zero T
	mem, err := mapMemory(max(n*int(unsafe.Sizeof(zero)), 1))
	if err != nil {
		return nil, nil, err
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&mem[0])), n), mem, nil
}
