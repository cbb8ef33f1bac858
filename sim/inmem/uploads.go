package inmem

import (
	"context"
	"slices"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// uploads is what the store keeps of the scenarios uploaded from the page.
// Store.mu guards it; the map is made on first use.
type uploads struct {
	uploaded map[string]*sim.UploadedScenario // by scenario id
}

// AddUpload stores u as its scenario's next upload.
func (m *Store) AddUpload(_ context.Context, u sim.Upload) (sim.Upload, error) {
	if err := u.Check(); err != nil {
		return sim.Upload{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.versions[u.Hash]
	switch {
	case !ok:
		return sim.Upload{}, sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", u.Hash)
	case v.ID != u.Scenario:
		return sim.Upload{}, sim.Errorf(sim.EInvalid, "scenario version %.12s is of scenario %q, not %q", u.Hash, v.ID, u.Scenario)
	}
	if m.uploaded == nil {
		m.uploaded = map[string]*sim.UploadedScenario{}
	}
	s := m.uploaded[u.Scenario]
	if s == nil {
		s = &sim.UploadedScenario{ID: u.Scenario}
		m.uploaded[u.Scenario] = s
	}
	u.N, u.At = len(s.Uploads)+1, u.At.UTC()
	s.Uploads = append(s.Uploads, u)
	return u, nil
}

// UploadedScenarios returns a copy of every uploaded scenario, by id.
func (m *Store) UploadedScenarios(context.Context) ([]sim.UploadedScenario, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []sim.UploadedScenario{}
	for _, s := range m.uploaded {
		c := *s
		c.Uploads = slices.Clone(s.Uploads)
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b sim.UploadedScenario) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

// Publish sets the published version of scenario id.
func (m *Store) Publish(_ context.Context, id, hash string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.uploaded[id]
	switch {
	case s == nil:
		return sim.Errorf(sim.ENotFound, "no scenario %q was uploaded", id)
	case hash != "" && !s.Has(hash):
		return sim.Errorf(sim.EInvalid, "scenario version %.12s is not one of the uploads of %q", hash, id)
	}
	s.Published = hash
	return nil
}

// RemoveUploads forgets the uploads of scenario id; the versions stay.
func (m *Store) RemoveUploads(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.uploaded[id] == nil {
		return sim.Errorf(sim.ENotFound, "no scenario %q was uploaded", id)
	}
	delete(m.uploaded, id)
	return nil
}
