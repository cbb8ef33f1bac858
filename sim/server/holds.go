package server

import (
	"sync"
	"time"
)

// Which connection plays a call. A call is played by one session at a
// time; a client that resumes a call on a new connection takes it over
// from the session that had it on this server, which then stops: it is
// told the call moved and can no longer write to it. Across servers, the
// store's turn check is the guard (see turn).
//
// The table is the one piece of state sessions share, so it has a mutex
// of its own and nothing else: it holds no conversation, only who holds
// which call, and an entry leaves when its session lets the call go.

// takeoverWait bounds how long a resume waits for the session it takes a
// call from to let go: the length of one turn, at most a store write.
const takeoverWait = storeTimeout

// A hold is one session's claim on one call.
type hold struct {
	call string
	// lost is closed when another session takes the call over; the
	// holder's session watches it.
	lost chan struct{}
	// released is closed when the holder has let the call go, so the
	// session taking over reads the store after its last turn.
	released chan struct{}
	once     sync.Once
}

// holds maps each call a session on this server plays to its hold.
type holds struct {
	mu sync.Mutex
	by map[string]*hold
}

func newHolds() *holds { return &holds{by: map[string]*hold{}} }

// take claims call id for the caller. If another session held it, that
// session is told (its hold's lost closes) and take waits, up to
// takeoverWait, for it to let go.
func (h *holds) take(id string) *hold {
	mine := &hold{call: id, lost: make(chan struct{}), released: make(chan struct{})}
	h.mu.Lock()
	prev := h.by[id]
	h.by[id] = mine
	if prev != nil {
		close(prev.lost) // prev is out of the table, so no one closes it again
	}
	h.mu.Unlock()
	if prev != nil {
		t := time.NewTimer(takeoverWait)
		select {
		case <-prev.released:
		case <-t.C:
		}
		t.Stop()
	}
	return mine
}

// release lets the call go: its entry leaves the table unless another
// session has taken the call since.
func (h *holds) release(x *hold) {
	h.mu.Lock()
	if h.by[x.call] == x {
		delete(h.by, x.call)
	}
	h.mu.Unlock()
	x.once.Do(func() { close(x.released) })
}

// count is how many calls sessions on this server hold.
func (h *holds) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.by)
}
