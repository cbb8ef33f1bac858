package server

import (
	"net/http"

	"github.com/roleplay-sim/roleplay/sim"
)

// Who may read a stored call, in one place.
//
// The call's token, which only the client that started the call was given,
// reads what the trainee may see: the report once the call has ended; the
// full transcript once a training call has ended; before that, and for an
// assessment always, only the lines (a candidate must not download the
// scenario, its hidden facts and conditions: the answer key). Anyone else
// reads what Config.Authorize grants: the hook for trainer sessions.

// Access is what a request may read of a stored call.
type Access int

// The accesses.
const (
	NoAccess      Access = iota
	TraineeAccess        // what the trainee may see (above)
	TrainerAccess        // everything: the full transcript at any time
)

// An Authorizer says what request r may read of call c besides what the
// call's token allows: a trainer signed in to the trainer area reads every
// call of their team. It must not read the request body.
type Authorizer func(r *http.Request, c *sim.Call) Access

// access is what request r, bringing token ("" for none), may read of c.
func (s *Server) access(r *http.Request, c *sim.Call, token string) Access {
	if s.authorize != nil {
		if a := s.authorize(r, c); a != NoAccess {
			return a
		}
	}
	if tokenMatches(c, token) {
		return TraineeAccess
	}
	return NoAccess
}

// sessionAccess is the Authorizer of the accounts (auth.go), used unless
// Config.Authorize names another: a signed-in admin, or a trainer of the
// trainee's team, reads the whole call at any time; the signed-in trainee
// who played it reads what its token would give. A candidate's call is
// read whole by whoever may manage its assessment (assess_scope.go).
func (s *Server) sessionAccess(r *http.Request, c *sim.Call) Access {
	v, err := s.viewer(r)
	if err != nil || v == nil {
		return NoAccess
	}
	if c.Assessment != "" && c.Trainee == "" { // a candidate's call: for the assessment's reviewers
		a, err := s.store.Assessment(r.Context(), c.Assessment)
		if err != nil {
			return NoAccess
		}
		if ok, err := s.mayManage(r.Context(), v, a); err != nil || !ok {
			return NoAccess
		}
		return TrainerAccess
	}
	var trainee *sim.User
	if c.Trainee != "" {
		if trainee, err = s.store.User(r.Context(), c.Trainee); err != nil && sim.ErrorCodeOf(err) != sim.ENotFound {
			return NoAccess
		}
	}
	switch {
	case !v.MaySee(trainee):
		return NoAccess
	case c.Trainee == v.Name:
		return TraineeAccess
	}
	return TrainerAccess
}
