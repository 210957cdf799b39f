package graph

import (
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/parley/parley/graph/internal/kvstore"
)

// DamagedError says a store file is damaged: an open's checks found it, or a read of it
// faulted or made bbolt panic. Nothing was written to it.
type DamagedError = kvstore.DamagedError

// JournalError says the journal of a load a crash interrupted cannot be rolled back.
type JournalError = kvstore.JournalError

// Guard runs fn, a command's work on a store, in the calling goroutine with faults in
// memory reads turned into panics (runtime/debug.SetPanicOnFault: a truncated or
// scribbled bolt file is read through a memory map), and turns a panic into a
// *DamagedError naming the store (store, called only then): bbolt panics on pages it
// cannot make sense of rather than return an error. Stores fn opened must be closed with
// a deferred Store.Close, which does not wait for a read the panic cut short.
func Guard(store func() string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			what := strings.Join(strings.Fields(fmt.Sprint(r)), " ")
			err = &DamagedError{Path: store(), Problem: "reading it failed: " + what}
		}
	}()
	return fn()
}
