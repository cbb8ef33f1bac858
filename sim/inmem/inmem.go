// Package inmem is a sim.Store that keeps everything in the process's
// memory: for tests, and for a server run with nothing to keep. It follows
// the same rules as the durable stores (sim/storetest checks all of them).
package inmem

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// Store is an in-memory sim.Store. The zero value is not usable; call New.
type Store struct {
	mu       sync.Mutex
	calls    map[string]*sim.Call
	versions map[string]sim.ScenarioVersion
}

var _ sim.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{calls: map[string]*sim.Call{}, versions: map[string]sim.ScenarioVersion{}}
}

// Close does nothing: memory is released with the store.
func (m *Store) Close() error { return nil }

// PutScenarioVersion stores v unless a version with its hash is stored.
func (m *Store) PutScenarioVersion(_ context.Context, v sim.ScenarioVersion) error {
	if v.Hash == "" {
		return sim.Errorf(sim.EInvalid, "a scenario version needs a hash")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.versions[v.Hash]; !ok {
		m.versions[v.Hash] = v
	}
	return nil
}

// ScenarioVersion returns the version with the given hash.
func (m *Store) ScenarioVersion(_ context.Context, hash string) (sim.ScenarioVersion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.versions[hash]
	if !ok {
		return sim.ScenarioVersion{}, sim.Errorf(sim.ENotFound, "no scenario version %.12s", hash)
	}
	return v, nil
}

// CreateCall stores a copy of c, which must have no turns and no end.
func (m *Store) CreateCall(_ context.Context, c *sim.Call) error {
	if err := checkNew(c); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.versions[c.Version]; !ok {
		return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", c.Version)
	}
	if _, ok := m.calls[c.ID]; ok {
		return sim.Errorf(sim.EConflict, "call %s exists already", c.ID)
	}
	m.calls[c.ID] = clone(c)
	return nil
}

// checkNew reports what makes c unfit to be created; every store uses the
// same rules, so they live here and in the conformance suite.
func checkNew(c *sim.Call) error {
	switch {
	case c.ID == "":
		return sim.Errorf(sim.EInvalid, "a call needs an id")
	case c.Version == "":
		return sim.Errorf(sim.EInvalid, "a call needs a scenario version")
	case len(c.Turns) > 0 || c.End != "":
		return sim.Errorf(sim.EInvalid, "a new call has no turns and no end")
	}
	return nil
}

// AppendTurn stores t as the next turn of call id.
func (m *Store) AppendTurn(_ context.Context, id string, t sim.TurnRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.inProgress(id)
	if err != nil {
		return err
	}
	if t.N != len(c.Turns)+1 {
		return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so the next is %d, not %d", id, len(c.Turns), len(c.Turns)+1, t.N)
	}
	t.Acts = slices.Clone(t.Acts)
	c.Turns = append(c.Turns, t)
	return nil
}

// EndCall records the end of call id.
func (m *Store) EndCall(_ context.Context, id string, end sim.Ending, at time.Time, r *sim.Report) error {
	if end == "" {
		return sim.Errorf(sim.EInvalid, "an ended call needs an ending")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.inProgress(id)
	if err != nil {
		return err
	}
	c.End, c.Ended, c.Report = end, at, r
	return nil
}

// inProgress returns call id if it is stored and has not ended. The caller
// holds m.mu.
func (m *Store) inProgress(id string) (*sim.Call, error) {
	c, ok := m.calls[id]
	switch {
	case !ok:
		return nil, sim.Errorf(sim.ENotFound, "no call %s", id)
	case !c.InProgress():
		return nil, sim.Errorf(sim.EConflict, "call %s has ended", id)
	}
	return c, nil
}

// Call returns a copy of call id.
func (m *Store) Call(_ context.Context, id string) (*sim.Call, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.calls[id]
	if !ok {
		return nil, sim.Errorf(sim.ENotFound, "no call %s", id)
	}
	return clone(c), nil
}

// clone copies a call deep enough that neither side sees the other's
// later changes. Reports are never modified once made, so they are shared.
func clone(c *sim.Call) *sim.Call {
	out := *c
	out.TokenHash = slices.Clone(c.TokenHash)
	out.Turns = slices.Clone(c.Turns)
	return &out
}
