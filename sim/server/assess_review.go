package server

import (
	"encoding/csv"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/roleplay-sim/roleplay/sim"
)

// The reviewer's side of an assessment: every candidate on the same
// criteria, blind unless the reviewer reveals the names.

// signalNote goes with every list of signals a reviewer sees.
const signalNote = "Integrity signals are what the candidate's browser reported: a paste may be their own notes, a lost focus a notification. They are signals to ask about, not proof of anything."

// reviewedCandidate is one candidate as a reviewer sees them.
type reviewedCandidate struct {
	ID      string              `json:"id"`
	Label   string              `json:"label"`          // "Candidate 3": the order of the links
	Name    string              `json:"name,omitempty"` // only when revealed
	Email   string              `json:"email,omitempty"`
	Status  sim.CandidateStatus `json:"status"`
	Call    string              `json:"call,omitempty"`
	Ending  sim.Ending          `json:"ending,omitempty"`
	Outcome sim.Outcome         `json:"outcome,omitempty"`
	Score   int                 `json:"score"`
	Profile sim.Profile         `json:"profile,omitempty"`
	Turns   []sim.TurnRecord    `json:"turns,omitempty"`
	Signals []sim.Signal        `json:"signals"`
	Answers []string            `json:"answers,omitempty"`
	// Scorecards are the reviewers' ratings, on Indicators.
	Scorecards []sim.Scorecard `json:"scorecards"`
}

type assessmentReview struct {
	Assessment *sim.Assessment     `json:"assessment"`
	Blind      bool                `json:"blind"`
	SignalNote string              `json:"signal_note"`
	Indicators []string            `json:"indicators"`
	Candidates []reviewedCandidate `json:"candidates"`
	// Reveals are the times a reviewer was shown the names, oldest first,
	// this one included.
	Reveals []sim.Reveal `json:"reveals"`
}

// reviewOf gathers an assessment's candidates with their calls, and its
// reveals; names only when reveal. An expired link shows as expired.
func (s *Server) reviewOf(r *http.Request, a *sim.Assessment, reveal bool) (*assessmentReview, error) {
	cands, err := s.store.Candidates(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	reveals, err := s.store.Reveals(r.Context(), a.ID)
	if err != nil {
		return nil, err
	}
	out := &assessmentReview{Assessment: a, Blind: !reveal, SignalNote: signalNote, Indicators: sim.Indicators,
		Candidates: []reviewedCandidate{}, Reveals: reveals}
	now := s.now()
	for i, c := range cands {
		rc := reviewedCandidate{ID: c.ID, Label: fmt.Sprintf("Candidate %d", i+1), Status: c.Status, Call: c.Call,
			Signals: c.Signals, Answers: c.Answers, Scorecards: c.Scorecards}
		if rc.Scorecards == nil {
			rc.Scorecards = []sim.Scorecard{}
		}
		if rc.Signals == nil {
			rc.Signals = []sim.Signal{}
		}
		if c.Status == sim.Invited && !c.Usable(now) {
			rc.Status = sim.Expired
		}
		if reveal {
			rc.Name, rc.Email = c.Name, c.Email
		}
		if c.Call != "" {
			rec, err := s.store.Call(r.Context(), c.Call)
			if err != nil {
				return nil, err
			}
			rc.Ending, rc.Turns = rec.End, rec.Turns
			if rec.Report != nil {
				rc.Outcome, rc.Score, rc.Profile = rec.Report.Outcome, rec.Report.Score, rec.Report.Profile
			}
		}
		out.Candidates = append(out.Candidates, rc)
	}
	return out, nil
}

func (s *Server) assessmentReview(w http.ResponseWriter, r *http.Request, v *sim.User) {
	a, ok := s.managedAssessment(w, r, v, r.PathValue("id"))
	if !ok {
		return
	}
	rev, ok := s.reviewFor(w, r, v, a, sim.RevealReview)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, rev)
}

// reviewFor is reviewOf for viewer v, blind unless ?reveal=1; a reveal is
// recorded (as via, at the server's time) before any name is read, so no
// name leaves the server unrecorded. It writes the error itself.
func (s *Server) reviewFor(w http.ResponseWriter, r *http.Request, v *sim.User, a *sim.Assessment, via sim.RevealVia) (*assessmentReview, bool) {
	reveal := r.URL.Query().Get("reveal") == "1"
	if reveal {
		if err := s.store.AddReveal(r.Context(), sim.Reveal{Assessment: a.ID, User: v.Name, Via: via, At: s.now().UTC()}); err != nil {
			s.apiError(w, "", err)
			return nil, false
		}
		s.log.Info("assessment names revealed", "assessment", a.ID, "by", v.Name, "via", via)
	}
	rev, err := s.reviewOf(r, a, reveal)
	if err != nil {
		s.apiError(w, "", err)
		return nil, false
	}
	return rev, true
}

// exportAssessment downloads the whole assessment as JSON (?format=json)
// or CSV, one row per candidate, blind unless ?reveal=1 (recorded as a
// reveal, as the review's is).
func (s *Server) exportAssessment(w http.ResponseWriter, r *http.Request, v *sim.User) {
	a, ok := s.managedAssessment(w, r, v, r.PathValue("id"))
	if !ok {
		return
	}
	asJSON := r.URL.Query().Get("format") == "json"
	via := sim.RevealCSV
	if asJSON {
		via = sim.RevealJSON
	}
	rev, ok := s.reviewFor(w, r, v, a, via)
	if !ok {
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if asJSON {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="assessment-%s.json"`, rev.Assessment.ID))
		writeJSON(w, http.StatusOK, rev)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="assessment-%s.csv"`, rev.Assessment.ID))
	cw := csv.NewWriter(w)
	head := []string{"candidate", "name", "email", "status", "call", "ending", "outcome", "score", "profile", "turns", "pastes", "pasted_chars", "focus_lost"}
	for i := range rev.Assessment.Questions {
		head = append(head, "answer_"+strconv.Itoa(i+1))
	}
	head = append(head, "reviewers")
	head = append(head, rev.Indicators...) // each the reviewers' mean rating
	_ = cw.Write(head)
	for _, c := range rev.Candidates {
		pastes, chars, blurs := 0, 0, 0
		for _, sg := range c.Signals {
			switch sg.Kind {
			case sim.Paste:
				pastes, chars = pastes+1, chars+sg.Length
			case sim.Blur:
				blurs++
			}
		}
		row := []string{c.Label, c.Name, c.Email, string(c.Status), c.Call, string(c.Ending), string(c.Outcome),
			strconv.Itoa(c.Score), string(c.Profile), strconv.Itoa(len(c.Turns)), strconv.Itoa(pastes), strconv.Itoa(chars), strconv.Itoa(blurs)}
		for i := range rev.Assessment.Questions {
			a := ""
			if i < len(c.Answers) {
				a = c.Answers[i]
			}
			row = append(row, a)
		}
		row = append(row, strconv.Itoa(len(c.Scorecards)))
		row = append(row, meanRatings(c.Scorecards)...)
		for i, cell := range row {
			row[i] = sim.CSVCell(cell)
		}
		_ = cw.Write(row)
	}
	cw.Flush()
}

type scorecardRequest struct {
	Ratings []int    `json:"ratings"`
	Notes   []string `json:"notes"`
}

// putScorecard stores the signed-in reviewer's scorecard of a candidate.
func (s *Server) putScorecard(w http.ResponseWriter, r *http.Request, u *sim.User) {
	a, ok := s.managedAssessment(w, r, u, r.PathValue("id"))
	if !ok {
		return
	}
	var req scorecardRequest
	if !readJSON(w, r, &req) {
		return
	}
	c, err := s.store.Candidate(r.Context(), r.PathValue("candidate"))
	if err == nil && c.Assessment != a.ID {
		err = sim.Errorf(sim.ENotFound, "no such candidate in this assessment")
	}
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	card := sim.Scorecard{Reviewer: u.Name, Ratings: req.Ratings, Notes: req.Notes, At: s.now()}
	if err := s.store.PutScorecard(r.Context(), c.ID, card); err != nil {
		s.apiError(w, "", err)
		return
	}
	writeJSON(w, http.StatusOK, card)
}

// meanRatings is, per indicator, the mean of the reviewers' ratings of it
// to one decimal ("" when none rated it).
func meanRatings(cards []sim.Scorecard) []string {
	out := make([]string, len(sim.Indicators))
	for i := range out {
		sum, n := 0, 0
		for _, c := range cards {
			if i < len(c.Ratings) && c.Ratings[i] > 0 {
				sum, n = sum+c.Ratings[i], n+1
			}
		}
		if n > 0 {
			out[i] = strconv.FormatFloat(math.Round(float64(sum)*10/float64(n))/10, 'f', -1, 64)
		}
	}
	return out
}
