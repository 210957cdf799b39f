package graphtest

import (
	"context"
	"slices"
	"sync/atomic"
)

// Countdown is a context cancelled the nth time the code under test consults it (Err or
// Done): an interrupt that lands exactly there, as Ctrl-C would between two of its
// checks. With n <= 0 it only counts.
type Countdown struct {
	context.Context
	cancel context.CancelFunc
	n      int64
	seen   atomic.Int64
}

// NewCountdown returns a Countdown cancelled at the nth consultation.
func NewCountdown(n int64) *Countdown {
	ctx, cancel := context.WithCancel(context.Background())
	return &Countdown{Context: ctx, cancel: cancel, n: n}
}

func (c *Countdown) tick() {
	if c.seen.Add(1) == c.n {
		c.cancel()
	}
}

// Err counts a consultation, and returns the context's error.
func (c *Countdown) Err() error { c.tick(); return c.Context.Err() }

// Done counts a consultation, and returns the context's channel.
func (c *Countdown) Done() <-chan struct{} { c.tick(); return c.Context.Done() }

// Stop cancels the context, releasing its resources.
func (c *Countdown) Stop() { c.cancel() }

// Consulted returns how many times the context was consulted.
func (c *Countdown) Consulted() int64 { return c.seen.Load() }

// Points are where to interrupt code that consults its context total times: each of
// the first ten, then twenty spread over the rest, and the last.
func Points(total int64) []int64 {
	var out []int64
	for n := int64(1); n <= min(10, total); n++ {
		out = append(out, n)
	}
	for i := int64(1); i <= 20; i++ {
		if n := total * i / 20; n > 10 && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}
