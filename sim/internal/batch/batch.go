// Package batch is the queue through which a store commits the writes of
// many callers together (group commit). Callers queue an op and wait; a
// few loops each take every op queued while they were busy, up to a
// bound, and hand them to the store's commit function at once, which
// tells each op its own result. A lone op is handed over as soon as a
// loop is free; no timer holds one back for company.
//
// A caller that gives up (its context ends) while its op still waits
// withdraws it; once a loop has taken an op it runs to the end, and its
// caller waits for the result, since the write may be committed. Closing
// stops the loops after the commits in progress and refuses what waits.
package batch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrClosed is what an op gets once the queue is closed.
var ErrClosed = errors.New("the store is closed")

// An Op is one caller's write: In is what the commit function needs to
// run it, and Done gives its result.
type Op[T, R any] struct {
	In    T
	state atomic.Int32 // queued, taken or abandoned
	done  chan R
}

const (
	queued int32 = iota
	taken
	abandoned
)

// Done gives the op's caller its result. The commit function calls it
// once for every op it is handed.
func (o *Op[T, R]) Done(r R) { o.done <- r }

// NewOp is an op of no queue, to hand a commit function directly (as
// its tests do); Result waits for what the commit gave it.
func NewOp[T, R any](in T) *Op[T, R] { return &Op[T, R]{In: in, done: make(chan R, 1)} }

// Result waits for the op's result, once: for an op made by NewOp.
func (o *Op[T, R]) Result() R { return <-o.done }

// A Queue hands the ops queued to a commit function in batches.
type Queue[T, R any] struct {
	ops     chan *Op[T, R]
	max     int
	commit  func(ops []*Op[T, R])
	quit    chan struct{} // closed by Close
	stopped chan struct{} // closed once every loop has returned
	closing sync.Once
}

// New starts loops goroutines, each handing commit batches of at most
// bound ops; commit must call Done on every op of its batch before it returns.
func New[T, R any](bound, loops int, commit func(ops []*Op[T, R])) *Queue[T, R] {
	q := &Queue[T, R]{
		ops:     make(chan *Op[T, R], 4*bound),
		max:     bound,
		commit:  commit,
		quit:    make(chan struct{}),
		stopped: make(chan struct{}),
	}
	var wg sync.WaitGroup
	for range loops {
		wg.Go(q.loop)
	}
	go func() { wg.Wait(); close(q.stopped) }()
	return q
}

// Do queues in and returns its result once committed. The error is the
// queue's: ctx.Err() if the caller gave up before a loop took the op, or
// ErrClosed; an op once taken runs to the end, whatever ctx says.
func (q *Queue[T, R]) Do(ctx context.Context, in T) (R, error) {
	var zero R
	o := NewOp[T, R](in)
	select {
	case q.ops <- o:
	case <-ctx.Done():
		return zero, ctx.Err()
	case <-q.stopped:
		return zero, ErrClosed
	}
	select {
	case r := <-o.done:
		return r, nil
	case <-ctx.Done():
		if o.state.CompareAndSwap(queued, abandoned) {
			return zero, ctx.Err()
		}
	case <-q.stopped:
		if o.state.CompareAndSwap(queued, abandoned) {
			return zero, ErrClosed
		}
	}
	return <-o.done, nil
}

func (q *Queue[T, R]) loop() {
	batch := make([]*Op[T, R], 0, q.max)
	for {
		select { // closing wins over ops queued meanwhile
		case <-q.quit:
			return
		default:
		}
		select {
		case <-q.quit:
			return
		case o := <-q.ops:
			batch = append(batch[:0], o)
		}
	more:
		for len(batch) < q.max {
			select {
			case o := <-q.ops:
				batch = append(batch, o)
			default:
				break more
			}
		}
		ops := batch[:0]
		for _, o := range batch {
			if o.state.CompareAndSwap(queued, taken) { // not withdrawn by its caller
				ops = append(ops, o)
			}
		}
		if len(ops) > 0 {
			q.commit(ops)
		}
	}
}

// An Observer is told of each batch a store commits: how many writes it
// held and how long it took, as the store measured it. The zero value
// tells no one.
type Observer struct {
	f atomic.Pointer[func(writes int, took time.Duration)]
}

// Set has f told of each batch from now on; nil stops.
func (o *Observer) Set(f func(writes int, took time.Duration)) {
	if f == nil {
		o.f.Store(nil)
		return
	}
	o.f.Store(&f)
}

// Tell tells the function set, if any, of a batch.
func (o *Observer) Tell(writes int, took time.Duration) {
	if f := o.f.Load(); f != nil {
		(*f)(writes, took)
	}
}

// Waiting is how many ops wait to be taken.
func (q *Queue[T, R]) Waiting() int { return len(q.ops) }

// Closing reports whether Close has been called.
func (q *Queue[T, R]) Closing() bool {
	select {
	case <-q.quit:
		return true
	default:
		return false
	}
}

// Close stops the loops after the commits in progress and returns once
// they have; ops still queued are refused with ErrClosed. Closing again
// does nothing.
func (q *Queue[T, R]) Close() {
	q.closing.Do(func() { close(q.quit) })
	<-q.stopped
}
