package batch

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// held is a commit function whose first call waits for release, so that
// ops queue meanwhile; it records the ins of every batch and answers each
// op with its in.
type held struct {
	mu      sync.Mutex
	batches [][]int
	first   chan struct{} // closed when the first commit has begun
	release chan struct{}
	once    sync.Once
}

func newHeld() *held { return &held{first: make(chan struct{}), release: make(chan struct{})} }

func (h *held) commit(ops []*Op[int, int]) {
	h.once.Do(func() { close(h.first); <-h.release })
	var ins []int
	for _, o := range ops {
		ins = append(ins, o.In)
	}
	h.mu.Lock()
	h.batches = append(h.batches, ins)
	h.mu.Unlock()
	for _, o := range ops {
		o.Done(o.In)
	}
}

// committed is the ins of every batch so far.
func (h *held) committed() [][]int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.batches
}

// queue starts Do(in) in a goroutine and returns once the op waits; the
// queue's one loop must be busy.
func queue(q *Queue[int, int], ctx context.Context, in int) <-chan error {
	before := q.Waiting()
	done := make(chan error, 1)
	go func() {
		r, err := q.Do(ctx, in)
		if err == nil && r != in {
			panic("an op got another's result")
		}
		done <- err
	}()
	for q.Waiting() == before {
		runtime.Gosched()
	}
	return done
}

func TestOpsQueuedMeanwhileShareACommit(t *testing.T) {
	h := newHeld()
	q := New(3, 1, h.commit)
	defer q.Close()
	first := make(chan error, 1)
	go func() { _, err := q.Do(context.Background(), 0); first <- err }()
	<-h.first
	var waiting []<-chan error
	for i := 1; i <= 4; i++ {
		waiting = append(waiting, queue(q, context.Background(), i))
	}
	close(h.release)
	require.NoError(t, <-first)
	for _, w := range waiting {
		require.NoError(t, <-w)
	}
	assert.Equal(t, [][]int{{0}, {1, 2, 3}, {4}}, h.committed(), "a lone op alone, then at most 3 a batch, in the order queued")
}

func TestAWithdrawnOpIsNotCommitted(t *testing.T) {
	h := newHeld()
	q := New(8, 1, h.commit)
	defer q.Close()
	go q.Do(context.Background(), 0)
	<-h.first
	ctx, cancel := context.WithCancel(context.Background())
	gone := queue(q, ctx, 1)
	kept := queue(q, context.Background(), 2)
	cancel()
	assert.ErrorIs(t, <-gone, context.Canceled)
	close(h.release)
	require.NoError(t, <-kept)
	assert.Equal(t, [][]int{{0}, {2}}, h.committed())
}

func TestCloseRefusesWhatWaits(t *testing.T) {
	h := newHeld()
	q := New(8, 1, h.commit)
	go q.Do(context.Background(), 0)
	<-h.first
	late := queue(q, context.Background(), 1)
	closed := make(chan struct{})
	go func() { q.Close(); close(closed) }()
	for !q.Closing() {
		runtime.Gosched()
	}
	close(h.release) // the commit in progress ends; then the loops stop
	<-closed
	assert.ErrorIs(t, <-late, ErrClosed)
	_, err := q.Do(context.Background(), 2)
	assert.ErrorIs(t, err, ErrClosed, "after close")
	assert.Equal(t, [][]int{{0}}, h.committed())
}
