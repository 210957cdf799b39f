package kvstore

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync/atomic"

	hkv "github.com/hidal-go/hidalgo/kv"
)

// guardKV is the bolt file as Cayley's quad store reads and writes it (hidalgo's KV),
// with every call guarded as parley's command goroutine is (graph.Guard): a fault in a
// memory read of the file, or a bbolt panic on a page it cannot make sense of, becomes
// a *DamagedError of the call, which Cayley returns as the query's or the write's error.
// Cayley runs Gizmo queries in a goroutine of its own, where no guard of parley's could
// otherwise reach.
type guardKV struct {
	kv hkv.KV
	at *guarded
}

// guarded is where guardKV's calls happen: the store file, and the damage they met (the
// store's Damaged), kept for the caller, since Cayley's errors keep only its text.
type guarded struct {
	path string
	seen atomic.Pointer[DamagedError]
}

// guard runs fn with faults turned into panics, and a panic into a *DamagedError in err.
func (at *guarded) guard(err *error, fn func()) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			d := &DamagedError{Path: at.path, Problem: "reading it failed: " + strings.Join(strings.Fields(fmt.Sprint(r)), " ")}
			at.seen.CompareAndSwap(nil, d)
			*err = d
		}
	}()
	fn()
}

func (g guardKV) Close() (err error) {
	g.at.guard(&err, func() { err = g.kv.Close() })
	return err
}

func (g guardKV) Tx(ctx context.Context, rw bool) (tx hkv.Tx, err error) {
	g.at.guard(&err, func() {
		var t hkv.Tx
		if t, err = g.kv.Tx(ctx, rw); err == nil {
			tx = guardTx{tx: t, at: g.at}
		}
	})
	return tx, err
}

func (g guardKV) View(ctx context.Context, fn func(tx hkv.Tx) error) (err error) {
	g.at.guard(&err, func() {
		err = g.kv.View(ctx, func(tx hkv.Tx) error { return fn(guardTx{tx: tx, at: g.at}) })
	})
	return err
}

func (g guardKV) Update(ctx context.Context, fn func(tx hkv.Tx) error) (err error) {
	g.at.guard(&err, func() {
		err = g.kv.Update(ctx, func(tx hkv.Tx) error { return fn(guardTx{tx: tx, at: g.at}) })
	})
	return err
}

// guardTx is a transaction of guardKV.
type guardTx struct {
	tx hkv.Tx
	at *guarded
}

func (t guardTx) Commit(ctx context.Context) (err error) {
	t.at.guard(&err, func() { err = t.tx.Commit(ctx) })
	return err
}

func (t guardTx) Close() (err error) {
	t.at.guard(&err, func() { err = t.tx.Close() })
	return err
}

func (t guardTx) Get(ctx context.Context, k hkv.Key) (v hkv.Value, err error) {
	t.at.guard(&err, func() { v, err = t.tx.Get(ctx, k) })
	return v, err
}

func (t guardTx) GetBatch(ctx context.Context, keys []hkv.Key) (vs []hkv.Value, err error) {
	t.at.guard(&err, func() { vs, err = t.tx.GetBatch(ctx, keys) })
	return vs, err
}

func (t guardTx) Put(ctx context.Context, k hkv.Key, v hkv.Value) (err error) {
	t.at.guard(&err, func() { err = t.tx.Put(ctx, k, v) })
	return err
}

func (t guardTx) Del(ctx context.Context, k hkv.Key) (err error) {
	t.at.guard(&err, func() { err = t.tx.Del(ctx, k) })
	return err
}

func (t guardTx) Scan(ctx context.Context, opts ...hkv.IteratorOption) hkv.Iterator {
	var it hkv.Iterator
	var err error
	t.at.guard(&err, func() { it = t.tx.Scan(ctx, opts...) })
	return &guardIter{it: it, err: err, at: t.at}
}

// guardIter is an iterator of guardTx: a panic in a step ends it, with the error.
type guardIter struct {
	it  hkv.Iterator // nil when Scan itself failed
	err error        // the guard's, which ends the iteration
	at  *guarded
}

func (i *guardIter) Next(ctx context.Context) bool {
	if i.err != nil || i.it == nil {
		return false
	}
	ok := false
	i.at.guard(&i.err, func() { ok = i.it.Next(ctx) })
	return ok && i.err == nil
}

func (i *guardIter) Err() error {
	if i.err != nil || i.it == nil {
		return i.err
	}
	return i.it.Err()
}

func (i *guardIter) Close() error {
	if i.it == nil {
		return i.err
	}
	var err error
	i.at.guard(&err, func() { err = i.it.Close() })
	return err
}

func (i *guardIter) Reset() {
	if i.it != nil && i.err == nil {
		i.at.guard(&i.err, i.it.Reset)
	}
}

func (i *guardIter) Key() hkv.Key {
	if i.it == nil {
		return nil
	}
	return i.it.Key()
}

func (i *guardIter) Val() hkv.Value {
	if i.it == nil {
		return nil
	}
	return i.it.Val()
}
