package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// Hiring assessments: a trainer creates one with a single-use link per
// candidate; the candidate opens the link (claiming it for that browser),
// gives a name, reads the rules, starts the call (its deadline stored),
// plays it over the websocket by resuming it with its call token, and
// writes a debrief. The candidate never sees a report.

// linkTokenBytes is the random part of a candidate's link (256 bits).
const linkTokenBytes = 32

// claimCookie names the cookie that ties a link to the browser that
// opened it first; its value is a secret whose hash the store keeps.
const claimCookie = "rp_claim"

// maxCandidates bounds the links one request creates.
const maxCandidates = 200

func (s *Server) assessRoutes(mux *router) {
	mux.HandleFunc("POST /api/assessments", s.need(s.createAssessment, sim.Admin, sim.Trainer))
	mux.HandleFunc("GET /api/assessments", s.need(s.listAssessments, sim.Admin, sim.Trainer))
	mux.HandleFunc("GET /api/assessments/{id}", s.need(s.assessmentReview, sim.Admin, sim.Trainer))
	mux.HandleFunc("GET /api/assessments/{id}/export", s.need(s.exportAssessment, sim.Admin, sim.Trainer))
	mux.HandleFunc("PUT /api/assessments/{id}/candidates/{candidate}/scorecard", s.need(s.putScorecard, sim.Admin, sim.Trainer))
	// the candidate, by the link's token
	mux.HandleFunc("GET /api/assess/{token}", s.openLink)
	mux.HandleFunc("POST /api/assess/{token}/start", s.startAssessment)
	mux.HandleFunc("POST /api/assess/{token}/signal", s.addSignal)
	mux.HandleFunc("POST /api/assess/{token}/debrief", s.debrief)
}

// NewAssessment is what a trainer asks for: an assessment on scenario
// (a bundled id) with n candidate links.
type NewAssessment struct {
	Scenario     string   `json:"scenario"`
	TimeLimit    string   `json:"time_limit"` // a Go duration: "20m", "90s"
	Instructions string   `json:"instructions,omitempty"`
	Questions    []string `json:"questions,omitempty"`
	Candidates   int      `json:"candidates"`
	ExpiresIn    string   `json:"expires_in,omitempty"` // a Go duration; "" never
}

// CreatedAssessment is the answer: the assessment and one link path per
// candidate (the tokens are shown once and never again).
type CreatedAssessment struct {
	Assessment *sim.Assessment `json:"assessment"`
	Links      []string        `json:"links"`
}

// CreateAssessment stores an assessment and its candidates, and returns
// their links (paths; prefix them with the server's address). The CLI
// calls it with the store directly.
func CreateAssessment(ctx context.Context, store sim.Store, sc *sim.Scenario, req NewAssessment, by string, now time.Time) (*CreatedAssessment, error) {
	limit, err := time.ParseDuration(req.TimeLimit)
	if err != nil {
		return nil, sim.Errorf(sim.EInvalid, "the time limit %q is not a duration such as 20m or 90s", req.TimeLimit)
	}
	if req.Candidates < 1 || req.Candidates > maxCandidates {
		return nil, sim.Errorf(sim.EInvalid, "an assessment has 1 to %d candidates, not %d", maxCandidates, req.Candidates)
	}
	var expires time.Time
	if req.ExpiresIn != "" {
		d, err := time.ParseDuration(req.ExpiresIn)
		if err != nil || d <= 0 {
			return nil, sim.Errorf(sim.EInvalid, "the expiry %q is not a positive duration such as 72h", req.ExpiresIn)
		}
		expires = now.Add(d).UTC()
	}
	id, err := randomHex(16)
	if err != nil {
		return nil, err
	}
	a := &sim.Assessment{
		ID: id, Scenario: sc.ID, Version: sc.Hash, TimeLimit: limit,
		Instructions: req.Instructions, Questions: req.Questions,
		CreatedBy: by, Created: now.UTC(),
	}
	if strings.TrimSpace(a.Instructions) == "" {
		a.Instructions = sim.DefaultInstructions
	}
	if len(a.Questions) == 0 {
		a.Questions = sim.DefaultQuestions
	}
	if err := a.Check(); err != nil {
		return nil, err
	}
	if err := store.PutScenarioVersion(ctx, sc.Version()); err != nil {
		return nil, fmt.Errorf("store scenario version %.12s: %w", sc.Hash, err)
	}
	if err := store.CreateAssessment(ctx, a); err != nil {
		return nil, err
	}
	out := &CreatedAssessment{Assessment: a}
	for range req.Candidates {
		cid, err := randomHex(16)
		if err != nil {
			return nil, err
		}
		token, hash, err := newLinkToken()
		if err != nil {
			return nil, err
		}
		c := &sim.Candidate{ID: cid, Assessment: a.ID, TokenHash: hash, Expires: expires, Status: sim.Invited}
		if err := store.CreateCandidate(ctx, c); err != nil {
			return nil, err
		}
		out.Links = append(out.Links, "/assess.html#"+token)
	}
	return out, nil
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

func newLinkToken() (string, []byte, error) {
	b := make([]byte, linkTokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("link token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, tokenHash(token), nil
}

func (s *Server) createAssessment(w http.ResponseWriter, r *http.Request, u *sim.User) {
	var req NewAssessment
	if !readJSON(w, r, &req) {
		return
	}
	// A trainer may assess on any version they may start, drafts included:
	// an unpublished upload is a private scenario, never listed to trainees.
	// The catalog's edits are held so that the scenario is not removed
	// between this look and the assessment's store (removeScenario).
	s.scenarios.edits.Lock()
	defer s.scenarios.edits.Unlock()
	sc := s.scenarios.set().anyVersion(req.Scenario)
	if sc == nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("there is no scenario %q", req.Scenario))
		return
	}
	out, err := CreateAssessment(r.Context(), s.store, sc, req, u.Name, s.now())
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	w.Header().Set("Cache-Control", "no-store") // the links are secrets
	writeJSON(w, http.StatusCreated, out)
}

// withoutPrivate is list without the drafts assessments are on: a private
// assessment scenario is for its candidates' calls, never in the picker,
// not even a trainer's (who finds it under Scenarios, GET /api/authoring).
// Trainees are never listed drafts, so only staff listings need this.
func (s *Server) withoutPrivate(ctx context.Context, list []listing) ([]listing, error) {
	all, err := s.store.Assessments(ctx)
	if err != nil {
		return nil, fmt.Errorf("list assessments: %w", err)
	}
	private := map[string]bool{}
	for _, a := range all {
		private[a.Scenario] = true
	}
	return slices.DeleteFunc(list, func(l listing) bool { return l.draft && private[l.sc.ID] }), nil
}

// listAssessments answers GET /api/assessments: the assessments the
// viewer may manage (assess_scope.go), newest first.
func (s *Server) listAssessments(w http.ResponseWriter, r *http.Request, v *sim.User) {
	all, err := s.managedAssessments(r.Context(), v)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	writeJSON(w, http.StatusOK, all)
}

// linkView is what a candidate's page is told about its link.
type linkView struct {
	Status       sim.CandidateStatus `json:"status"`
	Instructions string              `json:"instructions"`
	TimeLimit    float64             `json:"time_limit_seconds"`
	Questions    []string            `json:"questions"`
	Name         string              `json:"name,omitempty"`
	// Call, Deadline and Now are set once the call has started: the page
	// counts down from the server's deadline, corrected by its own clock's
	// offset from Now.
	Call       string    `json:"call,omitempty"`
	Deadline   time.Time `json:"deadline,omitzero"`
	Now        time.Time `json:"now"`
	CallActive bool      `json:"call_active,omitempty"`
}

// errUsed is the answer to a link opened in a second browser, or after it
// was used up.
const errUsed = "This link has already been used. Each link works once, in the browser that first opened it; ask the person who sent it if you think this is wrong."

// candidateOf finds the link's candidate and checks the claim cookie:
// the first browser to open an invited link claims it (claim true lets it),
// any other browser gets errUsed. It writes the error itself.
func (s *Server) candidateOf(w http.ResponseWriter, r *http.Request, claim bool) (*sim.Candidate, *sim.Assessment, bool) {
	token := r.PathValue("token")
	if len(token) < 22 || len(token) > 100 {
		writeError(w, http.StatusNotFound, "There is no such assessment link.")
		return nil, nil, false
	}
	c, err := s.store.CandidateByToken(r.Context(), tokenHash(token))
	if sim.ErrorCodeOf(err) == sim.ENotFound {
		writeError(w, http.StatusNotFound, "There is no such assessment link.")
		return nil, nil, false
	}
	if err != nil {
		s.apiError(w, "", err)
		return nil, nil, false
	}
	a, err := s.store.Assessment(r.Context(), c.Assessment)
	if err != nil {
		s.apiError(w, "", err)
		return nil, nil, false
	}
	now := s.now()
	if c.Status == sim.Invited && !c.Usable(now) {
		writeError(w, http.StatusGone, "This link has expired.")
		return nil, nil, false
	}
	ck, _ := r.Cookie(claimCookie + "_" + c.ID)
	mine := ck != nil && len(c.ClaimHash) == sha256.Size && subtle.ConstantTimeCompare(tokenHash(ck.Value), c.ClaimHash) == 1
	switch {
	case mine:
		return c, a, true
	case c.ClaimHash == nil && c.Status == sim.Invited && claim:
		secret, hash, err := newLinkToken()
		if err != nil {
			s.apiError(w, "", err)
			return nil, nil, false
		}
		claimed := *c
		claimed.ClaimHash = hash
		if err := s.store.UpdateCandidate(r.Context(), &claimed, sim.Invited); err != nil {
			if sim.ErrorCodeOf(err) == sim.EConflict {
				writeError(w, http.StatusConflict, errUsed)
			} else {
				s.apiError(w, "", err)
			}
			return nil, nil, false
		}
		// A second browser opening the link at the same moment may have
		// claimed it first: read back whose claim was stored.
		again, err := s.store.Candidate(r.Context(), c.ID)
		if err != nil {
			s.apiError(w, "", err)
			return nil, nil, false
		}
		if subtle.ConstantTimeCompare(again.ClaimHash, hash) != 1 {
			writeError(w, http.StatusConflict, errUsed)
			return nil, nil, false
		}
		ck := s.cookie(r, secret, int((7 * 24 * time.Hour).Seconds()))
		ck.Name = claimCookie + "_" + c.ID
		http.SetCookie(w, ck)
		return again, a, true
	}
	writeError(w, http.StatusConflict, errUsed)
	return nil, nil, false
}

// openLink is the first thing a candidate's page asks: what the link is
// for, and where the candidate is in it.
func (s *Server) openLink(w http.ResponseWriter, r *http.Request) {
	c, a, ok := s.candidateOf(w, r, true)
	if !ok {
		return
	}
	if c.Status == sim.Finished {
		writeError(w, http.StatusConflict, errUsed)
		return
	}
	v := linkView{Status: c.Status, Instructions: a.Instructions, TimeLimit: a.TimeLimit.Seconds(),
		Questions: a.Questions, Name: c.Name, Call: c.Call, Now: s.now().UTC()}
	if c.Call != "" {
		rec, err := s.store.Call(r.Context(), c.Call)
		if err != nil {
			s.apiError(w, c.Call, err)
			return
		}
		v.Deadline, v.CallActive = rec.Deadline, rec.InProgress() && !rec.Overdue(s.now())
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, v)
}

type startRequest struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
}

// started is the answer to a start: the call to resume over the websocket
// with its token, and its deadline.
type started struct {
	Call     string    `json:"call"`
	Token    string    `json:"token"`
	Deadline time.Time `json:"deadline"`
	Now      time.Time `json:"now"`
}

// startAssessment starts the candidate's one call, its deadline stored
// with it. A second start is refused: the call can be resumed, never
// started again.
func (s *Server) startAssessment(w http.ResponseWriter, r *http.Request) {
	c, a, ok := s.candidateOf(w, r, false)
	if !ok {
		return
	}
	var req startRequest
	if !readJSON(w, r, &req) {
		return
	}
	req.Name, req.Email = strings.TrimSpace(req.Name), strings.TrimSpace(req.Email)
	if req.Name == "" {
		writeError(w, http.StatusBadRequest, "Enter your name.")
		return
	}
	if c.Status != sim.Invited {
		writeError(w, http.StatusConflict, "This call has started already; it cannot be started again.")
		return
	}
	sc, err := s.scenarioOf(r.Context(), &sim.Call{Version: a.Version})
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	now := s.now().UTC()
	call, token, err := s.newCall(sc, sim.Call{Mode: sim.AssessmentMode, Assessment: a.ID,
		Started: now, Deadline: now.Add(a.TimeLimit)}, nil)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	begun := *c
	begun.Status, begun.Name, begun.Email, begun.Call = sim.Started, req.Name, req.Email, call.id()
	if err := s.store.UpdateCandidate(r.Context(), &begun, sim.Invited); err != nil {
		// Another request started it first; this call is left unplayed and
		// the sweeper ends it at its deadline.
		if sim.ErrorCodeOf(err) == sim.EConflict {
			writeError(w, http.StatusConflict, "This call has started already; it cannot be started again.")
		} else {
			s.apiError(w, "", err)
		}
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, started{Call: call.id(), Token: token, Deadline: call.rec.Deadline, Now: now})
}

type signalRequest struct {
	Kind   sim.SignalKind `json:"kind"`
	Length int            `json:"length,omitempty"`
}

// addSignal records what the candidate's page noticed (a paste, focus lost
// or regained) at the server's time, after the turns stored so far.
func (s *Server) addSignal(w http.ResponseWriter, r *http.Request) {
	c, _, ok := s.candidateOf(w, r, false)
	if !ok {
		return
	}
	var req signalRequest
	if !readJSON(w, r, &req) {
		return
	}
	if c.Status != sim.Started {
		writeError(w, http.StatusConflict, "There is no call in progress on this link.")
		return
	}
	rec, err := s.store.Call(r.Context(), c.Call)
	if err != nil {
		s.apiError(w, c.Call, err)
		return
	}
	now := s.now()
	if !rec.InProgress() || rec.Overdue(now) {
		writeError(w, http.StatusConflict, "The call has ended.")
		return
	}
	sig := sim.Signal{Kind: req.Kind, Length: req.Length, Turn: len(rec.Turns), At: now.UTC()}
	if err := s.store.AddSignal(r.Context(), c.ID, sig); err != nil {
		s.apiError(w, "", err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type debriefRequest struct {
	Answers []string `json:"answers"`
}

// debrief stores the candidate's written answers once the call is over and
// answers with a confirmation only: no report, no score.
func (s *Server) debrief(w http.ResponseWriter, r *http.Request) {
	c, a, ok := s.candidateOf(w, r, false)
	if !ok {
		return
	}
	var req debriefRequest
	if !readJSON(w, r, &req) {
		return
	}
	if c.Status != sim.Started {
		writeError(w, http.StatusConflict, "There is no finished call on this link to answer questions about.")
		return
	}
	if len(req.Answers) != len(a.Questions) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("Answer the %d questions (an answer may be empty).", len(a.Questions)))
		return
	}
	rec, err := s.store.Call(r.Context(), c.Call)
	if err != nil {
		s.apiError(w, c.Call, err)
		return
	}
	if rec.InProgress() {
		if !rec.Overdue(s.now()) {
			writeError(w, http.StatusConflict, "The call is still in progress: end it first.")
			return
		}
		if err := s.EndDue(r.Context(), rec.ID); err != nil {
			s.apiError(w, rec.ID, err)
			return
		}
	}
	done := *c
	done.Status, done.Answers = sim.Finished, req.Answers
	if err := s.store.UpdateCandidate(r.Context(), &done, sim.Started); err != nil {
		s.apiError(w, "", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "Thank you. Your answers are saved, and the assessment is complete."})
}
