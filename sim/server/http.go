package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
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
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "scenarios": len(s.scenarios)})
}

func (s *Server) listScenarios(w http.ResponseWriter, r *http.Request) {
	out := make([]scenarioListing, len(s.scenarios))
	for i, sc := range s.scenarios {
		l := &out[i]
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
	id := r.PathValue("id")
	if !validCallID(id) {
		writeError(w, http.StatusNotFound, "no call with this id")
		return
	}
	rep, err := s.store.Report(r.Context(), id)
	if err != nil {
		s.storeError(w, id, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// callTranscript serves the transcript as a download: this is the file
// `roleplay grade` re-grades.
func (s *Server) callTranscript(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !validCallID(id) {
		writeError(w, http.StatusNotFound, "no call with this id")
		return
	}
	t, err := s.store.Transcript(r.Context(), id)
	if err != nil {
		s.storeError(w, id, err)
		return
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.json"`, t.Scenario.ID, id))
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) storeError(w http.ResponseWriter, id string, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, "no call with this id")
	case errors.Is(err, ErrNoReport):
		writeError(w, http.StatusNotFound, "the call has not ended, so it has no report yet")
	default:
		s.log.Error("store", "call", id, "err", err)
		writeError(w, http.StatusInternalServerError, "internal error")
	}
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
