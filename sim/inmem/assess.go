package inmem

import (
	"bytes"
	"context"
	"slices"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// assessing is what the store keeps for hiring assessments. Store.mu
// guards it; the maps are made on first use.
type assessing struct {
	assessments map[string]sim.Assessment
	candidates  map[string]sim.Candidate
	order       []string     // candidate ids, in the order created
	reveals     []sim.Reveal // in the order recorded
}

func (a *assessing) initAssess() {
	if a.assessments == nil {
		a.assessments = map[string]sim.Assessment{}
		a.candidates = map[string]sim.Candidate{}
	}
}

func cloneAssessment(a sim.Assessment) *sim.Assessment {
	a.Questions = slices.Clone(a.Questions)
	if a.Questions == nil {
		a.Questions = []string{}
	}
	a.Created = a.Created.UTC()
	return &a
}

func cloneCandidate(c sim.Candidate) *sim.Candidate {
	c.TokenHash = slices.Clone(c.TokenHash)
	c.ClaimHash = slices.Clone(c.ClaimHash)
	c.Answers = slices.Clone(c.Answers)
	c.Signals = slices.Clone(c.Signals)
	c.Scorecards = slices.Clone(c.Scorecards)
	for i := range c.Scorecards {
		c.Scorecards[i].Ratings = slices.Clone(c.Scorecards[i].Ratings)
		c.Scorecards[i].Notes = slices.Clone(c.Scorecards[i].Notes)
	}
	if !c.Expires.IsZero() {
		c.Expires = c.Expires.UTC()
	}
	return &c
}

// CreateAssessment stores a copy of a.
func (m *Store) CreateAssessment(_ context.Context, a *sim.Assessment) error {
	if err := a.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	if _, ok := m.versions[a.Version]; !ok {
		return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", a.Version)
	}
	if _, ok := m.assessments[a.ID]; ok {
		return sim.Errorf(sim.EConflict, "assessment %s exists already", a.ID)
	}
	m.assessments[a.ID] = *cloneAssessment(*a)
	return nil
}

// Assessment returns a copy of the assessment with the given id.
func (m *Store) Assessment(_ context.Context, id string) (*sim.Assessment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	a, ok := m.assessments[id]
	if !ok {
		return nil, sim.Errorf(sim.ENotFound, "no assessment %s", id)
	}
	return cloneAssessment(a), nil
}

// Assessments returns every assessment, newest first.
func (m *Store) Assessments(_ context.Context) ([]sim.Assessment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	out := []sim.Assessment{}
	for _, a := range m.assessments {
		out = append(out, *cloneAssessment(a))
	}
	slices.SortFunc(out, func(a, b sim.Assessment) int {
		if c := b.Created.Compare(a.Created); c != 0 {
			return c
		}
		return compareStrings(b.ID, a.ID)
	})
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// CreateCandidate stores a copy of c, without signals.
func (m *Store) CreateCandidate(_ context.Context, c *sim.Candidate) error {
	if err := c.Check(); err != nil {
		return err
	}
	if c.Status != sim.Invited {
		return sim.Errorf(sim.EInvalid, "a new candidate is %s", sim.Invited)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	if _, ok := m.assessments[c.Assessment]; !ok {
		return sim.Errorf(sim.EInvalid, "assessment %s is not stored", c.Assessment)
	}
	if _, ok := m.candidates[c.ID]; ok {
		return sim.Errorf(sim.EConflict, "candidate %s exists already", c.ID)
	}
	for _, o := range m.candidates {
		if bytes.Equal(o.TokenHash, c.TokenHash) {
			return sim.Errorf(sim.EConflict, "the token is taken")
		}
	}
	kept := cloneCandidate(*c)
	kept.Signals, kept.Scorecards = nil, nil
	m.candidates[c.ID] = *kept
	m.order = append(m.order, c.ID)
	return nil
}

// Candidate returns a copy of the candidate with the given id.
func (m *Store) Candidate(_ context.Context, id string) (*sim.Candidate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	c, ok := m.candidates[id]
	if !ok {
		return nil, sim.Errorf(sim.ENotFound, "no candidate %s", id)
	}
	return cloneCandidate(c), nil
}

// CandidateByToken returns a copy of the candidate whose link has the hash.
func (m *Store) CandidateByToken(_ context.Context, hash []byte) (*sim.Candidate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	for _, c := range m.candidates {
		if bytes.Equal(c.TokenHash, hash) {
			return cloneCandidate(c), nil
		}
	}
	return nil, sim.Errorf(sim.ENotFound, "no such link")
}

// Candidates returns an assessment's candidates in the order created.
func (m *Store) Candidates(_ context.Context, assessment string) ([]sim.Candidate, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	out := []sim.Candidate{}
	for _, id := range m.order {
		if c := m.candidates[id]; c.Assessment == assessment {
			out = append(out, *cloneCandidate(c))
		}
	}
	return out, nil
}

// UpdateCandidate replaces the candidate if its status is still from.
func (m *Store) UpdateCandidate(_ context.Context, c *sim.Candidate, from sim.CandidateStatus) error {
	if err := c.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	old, ok := m.candidates[c.ID]
	switch {
	case !ok:
		return sim.Errorf(sim.ENotFound, "no candidate %s", c.ID)
	case old.Status != from:
		return sim.Errorf(sim.EConflict, "candidate %s is %s, not %s", c.ID, old.Status, from)
	}
	kept := cloneCandidate(*c)
	kept.Assessment, kept.TokenHash, kept.Signals, kept.Scorecards = old.Assessment, old.TokenHash, old.Signals, old.Scorecards
	m.candidates[c.ID] = *kept
	return nil
}

// AddSignal appends s to the candidate's signals.
func (m *Store) AddSignal(_ context.Context, id string, s sim.Signal) error {
	if err := s.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	c, ok := m.candidates[id]
	switch {
	case !ok:
		return sim.Errorf(sim.ENotFound, "no candidate %s", id)
	case len(c.Signals) >= sim.MaxSignals:
		return sim.Errorf(sim.EConflict, "candidate %s has %d signals already", id, sim.MaxSignals)
	}
	s.At = s.At.UTC()
	c.Signals = append(c.Signals, s)
	m.candidates[id] = c
	return nil
}

// DueCalls returns the calls in progress whose deadline has come.
func (m *Store) DueCalls(_ context.Context, now time.Time) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []*call
	for _, c := range m.calls {
		if c.InProgress() && !c.Deadline.IsZero() && !c.Deadline.After(now) {
			due = append(due, c)
		}
	}
	slices.SortFunc(due, func(a, b *call) int {
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
	ids := []string{}
	for _, c := range due {
		ids = append(ids, c.ID)
	}
	return ids, nil
}

// PutScorecard stores s as its reviewer's scorecard of candidate id.
func (m *Store) PutScorecard(_ context.Context, id string, s sim.Scorecard) error {
	if err := s.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	c, ok := m.candidates[id]
	if !ok {
		return sim.Errorf(sim.ENotFound, "no candidate %s", id)
	}
	s.Ratings, s.Notes = slices.Clone(s.Ratings), slices.Clone(s.Notes)
	c.Scorecards = sim.WithScorecard(c.Scorecards, s)
	m.candidates[id] = c
	return nil
}

// AddReveal records r.
func (m *Store) AddReveal(_ context.Context, r sim.Reveal) error {
	if err := r.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.initAssess()
	if _, ok := m.assessments[r.Assessment]; !ok {
		return sim.Errorf(sim.ENotFound, "no assessment %s", r.Assessment)
	}
	r.At = r.At.UTC()
	m.reveals = append(m.reveals, r)
	return nil
}

// Reveals returns the assessment's reveals in the order recorded.
func (m *Store) Reveals(_ context.Context, assessment string) ([]sim.Reveal, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []sim.Reveal{}
	for _, r := range m.reveals {
		if r.Assessment == assessment {
			out = append(out, r)
		}
	}
	return out, nil
}
