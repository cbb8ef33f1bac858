package server

import (
	"fmt"
	"net/http"

	"github.com/roleplay-sim/roleplay/sim"
)

// corrections answers GET /api/corrections[?scenario=ID][&unsure=1]: the
// lines trainees corrected in the calls the viewer may see, as labelled
// sentences in the classifier corpus's format (text/plain), for the next
// training round; what roleplay classify --export-corrections prints.
// With unsure=1, the sentences the classifier was unsure of instead, to
// be labelled (roleplay classify --export-unsure).
func (s *Server) corrections(w http.ResponseWriter, r *http.Request, v *sim.User) {
	f := sim.CallFilter{Scenario: r.URL.Query().Get("scenario")}
	if v.Role == sim.Admin {
		f.Everyone = true
	} else {
		users, err := s.store.Users(r.Context())
		if err != nil {
			s.apiError(w, "", err)
			return
		}
		f.Trainees = v.Visible(users)
	}
	list, write, name := sim.CorrectedCalls, sim.WriteCorrections, "corrections"
	if r.URL.Query().Get("unsure") == "1" {
		list, write, name = sim.UnsureCalls, sim.WriteUnsure, "unsure"
	}
	calls, err := list(r.Context(), s.store, f)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.txt"`, name, s.now().UTC().Format("2006-01-02")))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, err := write(w, calls); err != nil {
		s.log.Warn("write "+name, "err", err)
	}
}
