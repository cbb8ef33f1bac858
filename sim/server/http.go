package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
)

// scenarioListing is one entry of GET /api/scenarios.
type scenarioListing struct {
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Difficulty string   `json:"difficulty"`
	Skills     []string `json:"skills"`
	Brief      string   `json:"brief"`
	Customer   struct {
		Name     string `json:"name"`
		Role     string `json:"role"`
		Company  string `json:"company"`
		Industry string `json:"industry"`
	} `json:"customer"`
	Product struct {
		Name    string `json:"name"`
		Company string `json:"company"`
	} `json:"product"`
	// Version is the hash of the version a call starts on; Draft marks one
	// that only trainers and admins see.
	Version string `json:"version"`
	Draft   bool   `json:"draft,omitempty"`
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "scenarios": len(s.scenarios.set().order)})
}

func (s *Server) listScenarios(w http.ResponseWriter, r *http.Request) {
	v, err := s.viewer(r)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	list := s.scenarios.set().listed(v) // drafts too for trainers and admins (scenarios.go)
	if isStaff(v) {
		if list, err = s.withoutPrivate(r.Context(), list); err != nil {
			s.apiError(w, "", err)
			return
		}
	}
	out := make([]scenarioListing, len(list))
	for i, e := range list {
		sc, l := e.sc, &out[i]
		l.Version, l.Draft = sc.Hash, e.draft
		l.ID, l.Title, l.Difficulty, l.Brief = sc.ID, sc.Title, sc.Difficulty, sc.Brief
		l.Skills = sc.Skills
		if l.Skills == nil {
			l.Skills = []string{}
		}
		l.Customer.Name, l.Customer.Role = sc.Customer.Name, sc.Customer.Role
		l.Customer.Company, l.Customer.Industry = sc.Customer.Company, sc.Customer.Industry
		l.Product.Name, l.Product.Company = sc.Product.Name, sc.Product.Company
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) callReport(w http.ResponseWriter, r *http.Request) {
	c, access, ok := s.readableCall(w, r)
	if !ok {
		return
	}
	if c.Assessment != "" && access != TrainerAccess { // a candidate gets no feedback
		writeError(w, http.StatusNotFound, "an assessment's report is for its reviewers")
		return
	}
	if c.InProgress() || c.Report == nil {
		writeError(w, http.StatusNotFound, "the call has not ended, so it has no report yet")
		return
	}
	w.Header().Set("Cache-Control", "no-store") // one trainee's, behind their token
	writeJSON(w, http.StatusOK, c.Report)
}

// callTranscript serves the call's record as a download: the full record
// (sim.Transcript, version 2, the file `roleplay grade` re-grades) to a
// trainer, and to the trainee once a training call has ended; otherwise
// only its lines (sim.Lines), which give nothing of the scenario away.
func (s *Server) callTranscript(w http.ResponseWriter, r *http.Request) {
	c, access, ok := s.readableCall(w, r)
	if !ok {
		return
	}
	sc, err := s.scenarioOf(r.Context(), c)
	if err != nil {
		s.apiError(w, c.ID, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.json"`, c.Scenario, c.ID))
	w.Header().Set("Cache-Control", "no-store") // one trainee's, behind their token
	if access == TrainerAccess || access == TraineeAccess && !c.InProgress() && c.Mode == sim.Training {
		writeJSON(w, http.StatusOK, sim.NewTranscript(sc, c))
		return
	}
	writeJSON(w, http.StatusOK, sim.NewLines(sc, c))
}

// readableCall reads the call the path names, if the request may read it,
// or writes the error: 401 when the request brings no credentials, 404
// for an unknown call or a token that is not its token (the two are not
// told apart).
func (s *Server) readableCall(w http.ResponseWriter, r *http.Request) (*sim.Call, Access, bool) {
	id := r.PathValue("id")
	if !validCallID(id) {
		writeError(w, http.StatusNotFound, "no call with this id")
		return nil, NoAccess, false
	}
	token := bearerToken(r)
	if token == "" && s.authorize == nil {
		unauthorized(w)
		return nil, NoAccess, false
	}
	c, err := s.store.Call(r.Context(), id)
	if sim.ErrorCodeOf(err) == sim.ENotFound && token == "" {
		unauthorized(w)
		return nil, NoAccess, false
	}
	if err != nil {
		s.apiError(w, id, err)
		return nil, NoAccess, false
	}
	access := s.access(r, c, token)
	switch {
	case access != NoAccess:
		return c, access, true
	case token == "":
		unauthorized(w)
	default:
		writeError(w, http.StatusNotFound, "no call with this id")
	}
	return nil, NoAccess, false
}

// unauthorized answers a request for a call that brings no credentials.
func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="roleplay"`)
	writeError(w, http.StatusUnauthorized, "reading a call needs its token: Authorization: Bearer TOKEN")
}

// bearerToken is the token of an Authorization: Bearer header, or "".
func bearerToken(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// apiError writes err as an API error: the one place where sim errors get
// an HTTP status. Internal errors are logged and not shown.
func (s *Server) apiError(w http.ResponseWriter, id string, err error) {
	code := sim.ErrorCodeOf(err)
	if code == sim.EInternal {
		s.log.Error("store", "call", id, "err", err)
	}
	writeError(w, httpStatus(code), sim.ErrorMessage(err))
}

// httpStatus is the HTTP status for an error code.
func httpStatus(code sim.ErrorCode) int {
	switch code {
	case sim.ENotFound:
		return http.StatusNotFound
	case sim.EInvalid:
		return http.StatusBadRequest
	case sim.EConflict:
		return http.StatusConflict
	case sim.EUnauthorized:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// validCallID reports whether id could be one of ours, so junk never
// reaches the store.
func validCallID(id string) bool {
	if len(id) != callIDBytes*2 {
		return false
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// apiError is the body of every API error response.
type apiError struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // the client went away; nothing to do
}
