// Package inmem is a sim.Store that keeps everything in the process's
// memory: for tests, and for a server run with nothing to keep. It follows
// the same rules as the durable stores (sim/storetest checks all of them).
package inmem

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// Store is an in-memory sim.Store. The zero value is not usable; call New.
type Store struct {
	mu        sync.Mutex
	calls     map[string]*call
	versions  map[string]sim.ScenarioVersion
	accounts  // users.go
	uploads   // uploads.go
	assessing // assess.go
}

// A call is kept as the durable stores keep it: times in UTC, and the
// report as its JSON, so a report read back is the same value whichever
// store it came from (unexported fields do not survive) and shares nothing.
type call struct {
	sim.Call        // Report is always nil
	report   []byte // nil while the call is in progress or has no report
}

var _ sim.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{calls: map[string]*call{}, versions: map[string]sim.ScenarioVersion{}}
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
	if err := c.CheckNew(); err != nil {
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
	kept := clone(c)
	kept.Started, kept.Deadline = c.Started.UTC(), c.Deadline.UTC()
	m.calls[c.ID] = &call{Call: *kept}
	return nil
}

// AppendTurn stores t as the next turn of call id.
func (m *Store) AppendTurn(_ context.Context, id string, t sim.TurnRecord) error {
	if err := t.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.inProgress(id)
	if err != nil {
		return err
	}
	if t.N != len(c.Turns)+1 {
		return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so the next is %d, not %d", id, len(c.Turns), len(c.Turns)+1, t.N)
	}
	c.Turns = append(c.Turns, kept(t))
	return nil
}

// ReplaceLastTurn replaces turn t.N of call id, if it is the last stored
// and the call is in progress.
func (m *Store) ReplaceLastTurn(_ context.Context, id string, t sim.TurnRecord) error {
	if err := t.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.inProgress(id)
	if err != nil {
		return err
	}
	if t.N != len(c.Turns) {
		return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so only turn %d can be replaced, not %d", id, len(c.Turns), len(c.Turns), t.N)
	}
	c.Turns[t.N-1] = kept(t)
	return nil
}

// EndCall records the end of call id, after its turns-th turn.
func (m *Store) EndCall(_ context.Context, id string, turns int, end sim.Ending, at time.Time, r *sim.Report) error {
	if err := sim.CheckEnd(end, at); err != nil {
		return err
	}
	var report []byte
	if r != nil {
		var err error
		if report, err = json.Marshal(r); err != nil {
			return fmt.Errorf("end call %s: encode report: %w", id, err)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	c, err := m.inProgress(id)
	if err != nil {
		return err
	}
	if len(c.Turns) != turns {
		return sim.Errorf(sim.EConflict, "call %s has %d turns stored, not the %d its end was graded on", id, len(c.Turns), turns)
	}
	c.End, c.Ended, c.report = end, at.UTC(), report
	return nil
}

// inProgress returns call id if it is stored and has not ended. The caller
// holds m.mu.
func (m *Store) inProgress(id string) (*call, error) {
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
	out := clone(&c.Call)
	if c.report != nil {
		out.Report = new(sim.Report)
		if err := json.Unmarshal(c.report, out.Report); err != nil {
			return nil, fmt.Errorf("call %s: decode report: %w", id, err)
		}
	}
	return out, nil
}

// clone copies a call, all but its report, deep enough that neither side
// sees the other's later changes.
func clone(c *sim.Call) *sim.Call {
	out := *c
	out.TokenHash = slices.Clone(c.TokenHash)
	out.Turns = nil
	for _, t := range c.Turns {
		out.Turns = append(out.Turns, cloneTurn(t))
	}
	out.Report = nil
	return &out
}

// kept is turn t as the store keeps it: its own copy, times in UTC.
func kept(t sim.TurnRecord) sim.TurnRecord {
	t = cloneTurn(t)
	t.At = t.At.UTC()
	if t.Override != nil {
		t.Override.At = t.Override.At.UTC()
	}
	return t
}

func cloneTurn(t sim.TurnRecord) sim.TurnRecord {
	t.Acts = cloneDetections(t.Acts)
	if t.Override != nil {
		o := *t.Override
		o.Read = cloneDetections(o.Read)
		t.Override = &o
	}
	return t
}

func cloneDetections(dets []sim.Detection) []sim.Detection {
	dets = slices.Clone(dets)
	for i := range dets {
		dets[i].Cues = slices.Clone(dets[i].Cues)
	}
	return dets
}
