package server

import (
	"context"
	"net/http"

	"github.com/roleplay-sim/roleplay/sim"
)

// Who may see and manage an assessment (sim.User.MayManage): an admin
// every one; a trainer one they created, or one created by a user who
// shares a team with them; a trainee none. Every endpoint under
// /api/assessments reads the assessment through managedAssessment, and an
// assessment out of the viewer's scope answers exactly as one that does
// not exist, so a 404 tells nothing of what others run.

// errNoAssessment is the answer to an assessment that does not exist and
// to one the viewer may not see, alike.
const errNoAssessment = "there is no such assessment"

// mayManage reports whether v may see and manage a, reading its creator.
func (s *Server) mayManage(ctx context.Context, v *sim.User, a *sim.Assessment) (bool, error) {
	if v == nil || v.Role != sim.Trainer {
		return v.MayManage(a, nil), nil // an admin all, anyone else none
	}
	creator, err := s.store.User(ctx, a.CreatedBy)
	switch {
	case sim.ErrorCodeOf(err) == sim.ENotFound:
		creator = nil
	case err != nil:
		return false, err
	}
	return v.MayManage(a, creator), nil
}

// managedAssessment reads assessment id if v may manage it, or writes the
// error: 404 errNoAssessment for one that does not exist or is out of v's
// scope.
func (s *Server) managedAssessment(w http.ResponseWriter, r *http.Request, v *sim.User, id string) (*sim.Assessment, bool) {
	a, err := s.store.Assessment(r.Context(), id)
	if sim.ErrorCodeOf(err) == sim.ENotFound {
		writeError(w, http.StatusNotFound, errNoAssessment)
		return nil, false
	}
	if err != nil {
		s.apiError(w, "", err)
		return nil, false
	}
	ok, err := s.mayManage(r.Context(), v, a)
	if err != nil {
		s.apiError(w, "", err)
		return nil, false
	}
	if !ok {
		writeError(w, http.StatusNotFound, errNoAssessment)
		return nil, false
	}
	return a, true
}

// managedAssessments is every assessment v may manage, newest first.
func (s *Server) managedAssessments(ctx context.Context, v *sim.User) ([]sim.Assessment, error) {
	all, err := s.store.Assessments(ctx)
	if err != nil {
		return nil, err
	}
	return s.managedOf(ctx, v, all)
}

// managedOf is the assessments of all that v may manage, in their order.
func (s *Server) managedOf(ctx context.Context, v *sim.User, all []sim.Assessment) ([]sim.Assessment, error) {
	if v.Role == sim.Admin {
		return all, nil
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*sim.User, len(users))
	for _, u := range users {
		byName[u.Name] = u
	}
	out := []sim.Assessment{}
	for _, a := range all {
		if v.MayManage(&a, byName[a.CreatedBy]) {
			out = append(out, a)
		}
	}
	return out, nil
}
