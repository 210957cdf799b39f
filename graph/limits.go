package graph

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Query limits.
const (
	// DefaultQueryTimeout is how long a query may run unless told otherwise.
	DefaultQueryTimeout = 30 * time.Second
	// DefaultQueryMemory is how much a query may grow the heap unless told otherwise.
	DefaultQueryMemory = 1 << 30
	// NoLimit, as a QueryLimits field, lifts that limit.
	NoLimit = -1
)

// ErrQueryTimeout and ErrQueryMemory are the errors of a query stopped at a limit.
var (
	ErrQueryTimeout = errors.New("the query ran past its time limit")
	ErrQueryMemory  = errors.New("the query grew past its memory budget")
)

// QueryLimits bound a query while it runs. The zero value is the defaults.
type QueryLimits struct {
	Timeout time.Duration // 0: DefaultQueryTimeout; NoLimit: none
	Memory  int64         // bytes the heap may grow by while it runs; 0: DefaultQueryMemory; NoLimit: none
}

func (l QueryLimits) timeout() time.Duration {
	if l.Timeout == 0 {
		return DefaultQueryTimeout
	}
	return max(l.Timeout, 0)
}

func (l QueryLimits) memory() int64 {
	if l.Memory == 0 {
		return DefaultQueryMemory
	}
	return max(l.Memory, 0)
}

// queryGrace is how long a query stopped at a limit has to wind down before it is left
// behind (its goroutine still running, the store's closing deferred until it ends).
const queryGrace = time.Second

// memoryCheckEvery is how often a running query's heap is measured.
const memoryCheckEvery = 20 * time.Millisecond

// queryGuard tracks the queries a store runs, so that closing the store never waits on one
// that a limit stopped but that has not yet let go of the store (a bbolt transaction held
// by an iterator deadlocks DB.Close).
type queryGuard struct {
	running   sync.WaitGroup
	abandoned atomic.Bool
}

// close closes the store with closeStore, at once, or, when a query was left running,
// in the background once it ends: the caller never waits on it.
func (g *queryGuard) close(closeStore func() error) error {
	if !g.abandoned.Load() {
		return closeStore()
	}
	go func() {
		g.running.Wait()
		closeStore()
	}()
	return nil
}

// limited runs work under lim, with a context that ends when a limit is passed, and
// returns as soon as one is: with ErrQueryTimeout or ErrQueryMemory (wrapped with the
// limit), having given work queryGrace to stop. Otherwise it returns work's error.
func (s *Store) limited(ctx context.Context, lim QueryLimits, work func(context.Context) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	if d := lim.timeout(); d > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, d, fmt.Errorf("%w of %s", ErrQueryTimeout, d))
		defer stop()
	}
	if budget := lim.memory(); budget > 0 {
		stopWatch := watchMemory(budget, func(err error) { cancel(err) })
		defer stopWatch()
	}
	done := make(chan error, 1)
	s.guard.running.Add(1)
	go func() {
		defer s.guard.running.Done()
		done <- Guard(func() string { return s.path }, func() error { return work(ctx) })
	}()
	select {
	case err := <-done:
		if cause := context.Cause(ctx); isLimit(cause) {
			return cause
		}
		return err
	case <-ctx.Done():
	}
	if errors.Is(context.Cause(ctx), ErrQueryMemory) {
		// No grace: a query over its budget may still be growing (a string doubling, say,
		// finishes its copy first), and every moment adds to it. The store closes once
		// the query lets go of it.
		s.guard.abandoned.Store(true)
		return context.Cause(ctx)
	}
	select {
	case <-done:
	case <-time.After(queryGrace):
		s.guard.abandoned.Store(true)
	}
	return context.Cause(ctx)
}

func isLimit(err error) bool {
	return errors.Is(err, ErrQueryTimeout) || errors.Is(err, ErrQueryMemory)
}

// watchMemory measures the heap every memoryCheckEvery and calls over once it has grown by
// more than budget since the start (after a collection, so that garbage is not counted).
// It returns a function that stops it.
func watchMemory(budget int64, over func(error)) (stop func()) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() int64 {
		metrics.Read(sample)
		return int64(sample[0].Value.Uint64())
	}
	base := heap()
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(memoryCheckEvery)
		defer t.Stop()
		var collected time.Time
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			grown := heap() - base
			if grown <= budget {
				continue
			}
			// The collector keeps garbage under the live heap's size: over twice the
			// budget, the live heap is over it, and a collection (which waits for a long
			// copy to end) would only let the query grow meanwhile.
			if grown <= 2*budget && time.Since(collected) > 250*time.Millisecond {
				runtime.GC() // what is over may be garbage
				collected = time.Now()
				if heap()-base <= budget {
					continue
				}
			}
			over(fmt.Errorf("%w of %s", ErrQueryMemory, bytesText(budget)))
			return
		}
	}()
	return func() {
		close(quit)
		wg.Wait()
	}
}

// bytesText writes a byte count in the largest binary unit that divides it.
func bytesText(n int64) string {
	for _, u := range []struct {
		unit string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return fmt.Sprintf("%d %s", n/u.size, u.unit)
		}
	}
	return fmt.Sprintf("%d bytes", n)
}
