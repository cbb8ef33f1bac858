package server

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/roleplay-sim/roleplay/sim"
)

// Errors a Store returns for calls it cannot give.
var (
	ErrNotFound = errors.New("call not found")
	// ErrNoReport is returned for a call that was saved before it ended (the
	// connection dropped or the server shut down): its transcript can be
	// replayed to resume it, but it has not been graded.
	ErrNoReport = errors.New("the call has not ended, so it has no report")
)

// A Store keeps finished and interrupted calls. The transcript is the call:
// sim.Replay rebuilds the conversation from it, so a store needs nothing
// else to resume or re-grade a call. The report is kept so it need not be
// computed again; it is nil for a call that has not ended.
type Store interface {
	SaveCall(ctx context.Context, id string, t sim.Transcript, r *sim.Report) error
	Report(ctx context.Context, id string) (*sim.Report, error)
	Transcript(ctx context.Context, id string) (sim.Transcript, error)
}

// MemoryStore is a Store that keeps calls in memory until the process exits.
type MemoryStore struct {
	mu    sync.Mutex
	calls map[string]storedCall
}

type storedCall struct {
	transcript sim.Transcript
	report     *sim.Report
}

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{calls: map[string]storedCall{}}
}

// SaveCall stores or replaces the call with the given id. The store keeps
// its own copy of the transcript lines; the report must not be modified
// afterwards.
func (m *MemoryStore) SaveCall(_ context.Context, id string, t sim.Transcript, r *sim.Report) error {
	if id == "" {
		return fmt.Errorf("save call: empty id")
	}
	t.Lines = append([]sim.TranscriptLine(nil), t.Lines...)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls[id] = storedCall{transcript: t, report: r}
	return nil
}

// Report returns the graded report of a call that ended.
func (m *MemoryStore) Report(_ context.Context, id string) (*sim.Report, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.calls[id]
	switch {
	case !ok:
		return nil, ErrNotFound
	case c.report == nil:
		return nil, ErrNoReport
	}
	return c.report, nil
}

// Transcript returns the saved transcript of a call.
func (m *MemoryStore) Transcript(_ context.Context, id string) (sim.Transcript, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.calls[id]
	if !ok {
		return sim.Transcript{}, ErrNotFound
	}
	t := c.transcript
	t.Lines = append([]sim.TranscriptLine(nil), t.Lines...)
	return t, nil
}
