package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
)

// Review: the list of calls (JSON or CSV), one call's review, trainers'
// comments and scores, and the comparison of attempts. A call the viewer
// may not see is answered 404, as if there were none, so ids cannot be
// probed.

// callListing is one call in a list.
type callListing struct {
	ID              string      `json:"id"`
	Trainee         string      `json:"trainee"`
	Scenario        string      `json:"scenario"`
	Title           string      `json:"title"`
	Version         string      `json:"version"`
	Mode            sim.Mode    `json:"mode"`
	Started         time.Time   `json:"started"`
	Ended           time.Time   `json:"ended,omitzero"`
	DurationSeconds int         `json:"duration_seconds"`
	Turns           int         `json:"turns"`
	Corrections     int         `json:"corrections"` // turns the trainee corrected the reading of
	Outcome         sim.Outcome `json:"outcome"`
	Profile         sim.Profile `json:"profile,omitempty"`
	CustomerFocus   *int        `json:"customer_focus,omitempty"`
	SelfFocus       *int        `json:"self_focus,omitempty"`
	Score           *int        `json:"score,omitempty"`
	Passed          *bool       `json:"passed,omitempty"`
}

func (s *Server) listingOf(c *sim.CallSummary) callListing {
	l := callListing{
		ID: c.ID, Trainee: c.Trainee, Scenario: c.Scenario, Version: c.Version, Mode: c.Mode,
		Started: c.Started, Ended: c.Ended, DurationSeconds: int(c.Duration().Seconds()),
		Turns: c.TurnCount, Corrections: c.Corrections, Outcome: c.Outcome(),
	}
	if set := s.scenarios.set(); set.byHash[c.Version] != nil {
		l.Title = set.byHash[c.Version].Title
	} else if sc := set.anyVersion(c.Scenario); sc != nil {
		l.Title = sc.Title
	}
	if r := c.Report; r != nil {
		l.Profile, l.CustomerFocus, l.SelfFocus, l.Score, l.Passed = r.Profile, &r.CustomerFocus, &r.SelfFocus, &r.Score, &r.Passed
		if r.Title != "" {
			l.Title = r.Title
		}
	}
	return l
}

// listCalls answers GET /api/calls: the calls the viewer may see, filtered
// by trainee, team, scenario, mode, outcome, profile and start date (from,
// to: YYYY-MM-DD, both inclusive, or RFC 3339 times), sorted (sort=started,
// -score, ...) and paged (page, per_page); format=csv gives every matching
// call as CSV.
func (s *Server) listCalls(w http.ResponseWriter, r *http.Request, v *sim.User) {
	q, err := s.callQuery(r, v)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	csv := r.URL.Query().Get("format") == "csv"
	if csv {
		q.PerPage = -1
	}
	all, err := s.store.ListCalls(r.Context(), q.Filter)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	page, total := q.Apply(all)
	if csv {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="calls-%s.csv"`, s.now().UTC().Format("2006-01-02")))
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if err := sim.WriteCSV(w, page); err != nil {
			s.log.Warn("write csv", "err", err)
		}
		return
	}
	out := struct {
		Calls   []callListing `json:"calls"`
		Total   int           `json:"total"`
		Page    int           `json:"page"`
		PerPage int           `json:"per_page"`
	}{Calls: []callListing{}, Total: total, Page: max(q.Page, 1), PerPage: q.PerPage}
	if out.PerPage == 0 {
		out.PerPage = 50
	}
	for i := range page {
		out.Calls = append(out.Calls, s.listingOf(&page[i]))
	}
	writeJSON(w, http.StatusOK, out)
}

// callQuery reads the list's parameters, narrowed to what v may see.
func (s *Server) callQuery(r *http.Request, v *sim.User) (sim.CallQuery, error) {
	p := r.URL.Query()
	q := sim.CallQuery{
		Outcome: sim.Outcome(p.Get("outcome")),
		Profile: sim.Profile(p.Get("profile")),
		Sort:    p.Get("sort"),
	}
	q.Filter.Scenario, q.Filter.Mode = p.Get("scenario"), sim.Mode(p.Get("mode"))
	var err error
	if q.Page, err = intParam(p, "page"); err != nil {
		return q, err
	}
	if q.PerPage, err = intParam(p, "per_page"); err != nil {
		return q, err
	}
	if q.PerPage < 0 {
		return q, sim.Errorf(sim.EInvalid, "per_page is 1 to %d", sim.MaxPerPage)
	}
	if q.Filter.From, err = dateParam(p, "from", false); err != nil {
		return q, err
	}
	if q.Filter.To, err = dateParam(p, "to", true); err != nil {
		return q, err
	}
	if err := q.Check(); err != nil {
		return q, err
	}
	users, err := s.store.Users(r.Context())
	if err != nil {
		return q, err
	}
	if v.Role == sim.Admin {
		q.Filter.Everyone = true
	} else {
		q.Filter.Trainees = v.Visible(users)
	}
	if name := p.Get("trainee"); name != "" {
		q.Filter.Trainees = narrow(q.Filter, []string{name})
		q.Filter.Everyone = false
	}
	if t := p.Get("team"); t != "" {
		var members []string
		for _, u := range users {
			if u.InTeam(t) && u.Role == sim.Trainee {
				members = append(members, u.Name)
			}
		}
		q.Filter.Trainees = narrow(q.Filter, members)
		q.Filter.Everyone = false
	}
	return q, nil
}

// narrow is the names among names that f selects.
func narrow(f sim.CallFilter, names []string) []string {
	out := []string{}
	for _, n := range names {
		if f.Everyone || slices.Contains(f.Trainees, n) {
			out = append(out, n)
		}
	}
	return out
}

func intParam(p url.Values, name string) (int, error) {
	v := p.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, sim.Errorf(sim.EInvalid, "%s is a whole number, not %q", name, v)
	}
	return n, nil
}

// dateParam reads a date (YYYY-MM-DD, in UTC) or an RFC 3339 time; a date
// given as the end of a range includes that whole day.
func dateParam(p url.Values, name string, end bool) (time.Time, error) {
	v := p.Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, sim.Errorf(sim.EInvalid, "%s is a date (2026-03-01) or a time (2026-03-01T09:00:00Z), not %q", name, v)
	}
	return t, nil
}

// visibleCall reads the call the path names if v may see it, with its
// trainee (nil for an anonymous call), or writes the error: 404 for a
// call v may not see.
func (s *Server) visibleCall(w http.ResponseWriter, r *http.Request, v *sim.User, id string) (*sim.Call, *sim.User, bool) {
	if !validCallID(id) {
		writeError(w, http.StatusNotFound, "no call with this id")
		return nil, nil, false
	}
	c, err := s.store.Call(r.Context(), id)
	if err != nil {
		s.apiError(w, id, err)
		return nil, nil, false
	}
	var trainee *sim.User
	if c.Trainee != "" {
		trainee, err = s.store.User(r.Context(), c.Trainee)
		if err != nil && sim.ErrorCodeOf(err) != sim.ENotFound {
			s.apiError(w, id, err)
			return nil, nil, false
		}
	}
	if !v.MaySee(trainee) {
		writeError(w, http.StatusNotFound, "no call with this id")
		return nil, nil, false
	}
	return c, trainee, true
}

func summaryOf(c *sim.Call) sim.CallSummary {
	sum := sim.CallSummary{Call: *c, TurnCount: len(c.Turns)}
	for _, t := range c.Turns {
		if t.Override != nil {
			sum.Corrections++
		}
	}
	sum.Turns = nil
	return sum
}

// review answers GET /api/calls/{id}/review: the call, its report as the
// trainee saw it (null until it ends), its turns as stored, the trainers'
// comments and scores, and whether the viewer may add to them.
func (s *Server) review(w http.ResponseWriter, r *http.Request, v *sim.User) {
	c, trainee, ok := s.visibleCall(w, r, v, r.PathValue("id"))
	if !ok {
		return
	}
	comments, err := s.store.Comments(r.Context(), c.ID)
	if err != nil {
		s.apiError(w, c.ID, err)
		return
	}
	scores, err := s.store.TrainerScores(r.Context(), c.ID)
	if err != nil {
		s.apiError(w, c.ID, err)
		return
	}
	sum := summaryOf(c)
	turns := c.Turns
	if turns == nil {
		turns = []sim.TurnRecord{}
	}
	writeJSON(w, http.StatusOK, struct {
		Call          callListing        `json:"call"`
		Report        *sim.Report        `json:"report"`
		Turns         []sim.TurnRecord   `json:"turns"`
		Comments      []sim.Comment      `json:"comments"`
		TrainerScores []sim.TrainerScore `json:"trainer_scores"`
		MayReview     bool               `json:"may_review"`
	}{s.listingOf(&sum), c.Report, turns, comments, scores, v.MayReview(trainee)})
}

// reviewable reads the call the path names if v may review it.
func (s *Server) reviewable(w http.ResponseWriter, r *http.Request, v *sim.User) (*sim.Call, bool) {
	c, trainee, ok := s.visibleCall(w, r, v, r.PathValue("id"))
	if !ok {
		return nil, false
	}
	if !v.MayReview(trainee) {
		writeError(w, http.StatusForbidden, "only a trainer of the trainee's team or an admin may review this call")
		return nil, false
	}
	return c, true
}

// addComment answers POST /api/calls/{id}/comments {"turn","text"}.
func (s *Server) addComment(w http.ResponseWriter, r *http.Request, v *sim.User) {
	c, ok := s.reviewable(w, r, v)
	if !ok {
		return
	}
	var in struct {
		Turn int    `json:"turn"`
		Text string `json:"text"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Turn > len(c.Turns) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("the call has %d turns; there is no turn %d", len(c.Turns), in.Turn))
		return
	}
	id, err := auth.NewID()
	if err != nil {
		s.apiError(w, c.ID, err)
		return
	}
	cm := sim.Comment{ID: id, Call: c.ID, Turn: in.Turn, Author: v.Name, Text: strings.TrimSpace(in.Text), At: s.now().UTC()}
	if err := s.store.AddComment(r.Context(), cm); err != nil {
		s.apiError(w, c.ID, err)
		return
	}
	writeJSON(w, http.StatusCreated, cm)
}

// putScore answers PUT /api/calls/{id}/score {"score","reason"}: the
// viewer's own score of an ended call, beside the automatic one.
func (s *Server) putScore(w http.ResponseWriter, r *http.Request, v *sim.User) {
	c, ok := s.reviewable(w, r, v)
	if !ok {
		return
	}
	var in struct {
		Score  *int   `json:"score"`
		Reason string `json:"reason"`
	}
	if !readJSON(w, r, &in) {
		return
	}
	if in.Score == nil {
		writeError(w, http.StatusBadRequest, "give a score from 0 to 100")
		return
	}
	if c.InProgress() {
		writeError(w, http.StatusConflict, "the call has not ended; score it once it has")
		return
	}
	ts := sim.TrainerScore{Call: c.ID, Author: v.Name, Score: *in.Score, Reason: strings.TrimSpace(in.Reason), At: s.now().UTC()}
	if err := s.store.PutTrainerScore(r.Context(), ts); err != nil {
		s.apiError(w, c.ID, err)
		return
	}
	writeJSON(w, http.StatusOK, ts)
}

// maxCompare bounds how many attempts are compared at once.
const maxCompare = 6

// compare answers GET /api/compare?calls=ID,ID,...: two to six attempts of
// one scenario, each with its report, for the page to set side by side.
func (s *Server) compare(w http.ResponseWriter, r *http.Request, v *sim.User) {
	ids := strings.Split(r.URL.Query().Get("calls"), ",")
	if len(ids) < 2 || len(ids) > maxCompare {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("compare 2 to %d calls: calls=ID,ID", maxCompare))
		return
	}
	type attempt struct {
		Call   callListing      `json:"call"`
		Report *sim.Report      `json:"report"`
		Turns  []sim.TurnRecord `json:"turns"`
	}
	out := struct {
		Scenario string    `json:"scenario"`
		Calls    []attempt `json:"calls"`
	}{Calls: []attempt{}}
	for _, id := range ids {
		c, _, ok := s.visibleCall(w, r, v, id)
		if !ok {
			return
		}
		if out.Scenario == "" {
			out.Scenario = c.Scenario
		} else if c.Scenario != out.Scenario {
			writeError(w, http.StatusBadRequest, "attempts compared are of one scenario")
			return
		}
		sum := summaryOf(c)
		turns := c.Turns
		if turns == nil {
			turns = []sim.TurnRecord{}
		}
		out.Calls = append(out.Calls, attempt{s.listingOf(&sum), c.Report, turns})
	}
	writeJSON(w, http.StatusOK, out)
}
