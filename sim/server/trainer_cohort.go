package server

import (
	"net/http"

	"github.com/roleplay-sim/roleplay/sim"
)

// cohort answers GET /api/scenarios/{id}/cohort: what the graded calls of
// the scenario that the viewer may see did on its state graph (sim.Cohort),
// with the same filters as GET /api/calls.
func (s *Server) cohort(w http.ResponseWriter, r *http.Request, v *sim.User) {
	sc := s.scenarios.set().anyVersion(r.PathValue("id"))
	if sc == nil {
		writeError(w, http.StatusNotFound, "no scenario with this id")
		return
	}
	q, err := s.callQuery(r, v)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	q.Filter.Scenario, q.PerPage = sc.ID, -1
	all, err := s.store.ListCalls(r.Context(), q.Filter)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	calls, _ := q.Apply(all)
	var reports []*sim.Report
	for _, c := range calls {
		if c.Report != nil {
			reports = append(reports, c.Report)
		}
	}
	writeJSON(w, http.StatusOK, sim.NewCohort(sc, reports))
}
