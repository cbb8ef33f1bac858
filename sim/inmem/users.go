package inmem

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// accounts is what the store keeps for the trainer's side: users, tokens,
// settings, and the trainers' comments and scores. Store.mu guards it; the
// maps are made on first use.
type accounts struct {
	users    map[string]sim.User
	tokens   map[string]sim.Token // by string(hash)
	settings *sim.Settings
	comments map[string][]sim.Comment      // by call id
	scores   map[string][]sim.TrainerScore // by call id
}

func (a *accounts) init() {
	if a.users == nil {
		a.users = map[string]sim.User{}
		a.tokens = map[string]sim.Token{}
		a.comments = map[string][]sim.Comment{}
		a.scores = map[string][]sim.TrainerScore{}
	}
}

func cloneUser(u sim.User) *sim.User {
	u.Teams = slices.Clone(u.Teams)
	if u.Teams == nil {
		u.Teams = []string{}
	}
	return &u
}

// CreateUser stores a copy of u.
func (m *Store) CreateUser(_ context.Context, u *sim.User) error {
	if err := u.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if _, ok := m.users[u.Name]; ok {
		return sim.Errorf(sim.EConflict, "there is a user named %q already", u.Name)
	}
	kept := cloneUser(*u)
	kept.Created = u.Created.UTC()
	m.users[u.Name] = *kept
	return nil
}

// UpdateUser replaces the user of u's name, keeping its creation time.
func (m *Store) UpdateUser(_ context.Context, u *sim.User) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	old, ok := m.users[u.Name]
	if !ok {
		return sim.Errorf(sim.ENotFound, "no user %q", u.Name)
	}
	kept := cloneUser(*u)
	kept.Created = old.Created
	if err := kept.Check(); err != nil {
		return err
	}
	m.users[u.Name] = *kept
	return nil
}

// User returns a copy of the user named name.
func (m *Store) User(_ context.Context, name string) (*sim.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	u, ok := m.users[name]
	if !ok {
		return nil, sim.Errorf(sim.ENotFound, "no user %q", name)
	}
	return cloneUser(u), nil
}

// Users returns every user by name.
func (m *Store) Users(_ context.Context) ([]*sim.User, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	out := make([]*sim.User, 0, len(m.users))
	for _, u := range m.users {
		out = append(out, cloneUser(u))
	}
	slices.SortFunc(out, func(a, b *sim.User) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// CountUsers returns how many users there are.
func (m *Store) CountUsers(_ context.Context) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.users), nil
}

// CreateToken stores t.
func (m *Store) CreateToken(_ context.Context, t sim.Token) error {
	if err := t.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if _, ok := m.users[t.User]; t.User != "" && !ok {
		return sim.Errorf(sim.EInvalid, "no user %q to give a token to", t.User)
	}
	if _, ok := m.tokens[string(t.Hash)]; ok {
		return sim.Errorf(sim.EConflict, "the token exists already")
	}
	t.Hash = slices.Clone(t.Hash)
	t.Created, t.Expires = t.Created.UTC(), t.Expires.UTC()
	m.tokens[string(t.Hash)] = t
	return nil
}

// Token returns the token with the given hash.
func (m *Store) Token(_ context.Context, hash []byte) (sim.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	t, ok := m.tokens[string(hash)]
	if !ok {
		return sim.Token{}, sim.Errorf(sim.ENotFound, "no such token")
	}
	t.Hash = slices.Clone(t.Hash)
	return t, nil
}

// TakeToken deletes the token with the given hash and returns it.
func (m *Store) TakeToken(ctx context.Context, hash []byte) (sim.Token, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	t, ok := m.tokens[string(hash)]
	if !ok {
		return sim.Token{}, sim.Errorf(sim.ENotFound, "no such token")
	}
	delete(m.tokens, string(hash))
	return t, nil
}

// DeleteTokens deletes the tokens of kind held by user.
func (m *Store) DeleteTokens(_ context.Context, user string, kind sim.TokenKind) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	for k, t := range m.tokens {
		if t.User == user && t.Kind == kind {
			delete(m.tokens, k)
		}
	}
	return nil
}

// Settings returns the settings.
func (m *Store) Settings(_ context.Context) (sim.Settings, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.settings == nil {
		return sim.DefaultSettings, nil
	}
	return *m.settings, nil
}

// PutSettings replaces the settings.
func (m *Store) PutSettings(_ context.Context, s sim.Settings) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.settings = &s
	return nil
}

// ListCalls returns the calls f selects, by start then id.
func (m *Store) ListCalls(_ context.Context, f sim.CallFilter) ([]sim.CallSummary, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []sim.CallSummary{}
	for _, c := range m.calls {
		if !selects(f, &c.Call) {
			continue
		}
		s := sim.CallSummary{Call: *clone(&c.Call), TurnCount: len(c.Turns)}
		for _, t := range c.Turns {
			if t.Override != nil {
				s.Corrections++
			}
		}
		s.Turns = nil
		if c.report != nil {
			s.Report = new(sim.Report)
			if err := json.Unmarshal(c.report, s.Report); err != nil {
				return nil, fmt.Errorf("call %s: decode report: %w", c.ID, err)
			}
		}
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b sim.CallSummary) int {
		return cmp.Or(a.Started.Compare(b.Started), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// selects reports whether f selects c.
func selects(f sim.CallFilter, c *sim.Call) bool {
	switch {
	case !f.Everyone && !slices.Contains(f.Trainees, c.Trainee):
	case f.Scenario != "" && c.Scenario != f.Scenario:
	case f.Mode != "" && c.Mode != f.Mode:
	case !f.From.IsZero() && c.Started.Before(f.From):
	case !f.To.IsZero() && !c.Started.Before(f.To):
	default:
		return true
	}
	return false
}

// AddComment stores c.
func (m *Store) AddComment(_ context.Context, c sim.Comment) error {
	if err := c.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if _, ok := m.calls[c.Call]; !ok {
		return sim.Errorf(sim.ENotFound, "no call %s", c.Call)
	}
	for _, cs := range m.comments {
		for _, o := range cs {
			if o.ID == c.ID {
				return sim.Errorf(sim.EConflict, "comment %s exists already", c.ID)
			}
		}
	}
	c.At = c.At.UTC()
	m.comments[c.Call] = append(m.comments[c.Call], c)
	return nil
}

// Comments returns the comments on call id.
func (m *Store) Comments(_ context.Context, id string) ([]sim.Comment, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	out := append([]sim.Comment{}, m.comments[id]...)
	slices.SortStableFunc(out, func(a, b sim.Comment) int {
		return cmp.Or(a.At.Compare(b.At), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// PutTrainerScore stores s in place of its author's earlier score.
func (m *Store) PutTrainerScore(_ context.Context, s sim.TrainerScore) error {
	if err := s.Check(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	if _, ok := m.calls[s.Call]; !ok {
		return sim.Errorf(sim.ENotFound, "no call %s", s.Call)
	}
	s.At = s.At.UTC()
	list := slices.DeleteFunc(m.scores[s.Call], func(o sim.TrainerScore) bool { return o.Author == s.Author })
	m.scores[s.Call] = append(list, s)
	return nil
}

// TrainerScores returns the trainers' scores of call id.
func (m *Store) TrainerScores(_ context.Context, id string) ([]sim.TrainerScore, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.init()
	out := append([]sim.TrainerScore{}, m.scores[id]...)
	slices.SortStableFunc(out, func(a, b sim.TrainerScore) int {
		return cmp.Or(a.At.Compare(b.At), strings.Compare(a.Author, b.Author))
	})
	return out, nil
}
