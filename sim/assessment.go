package sim

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// An Assessment is a hiring test a trainer sets up: one scenario version,
// played once by each invited candidate under a time limit, followed by
// written debrief questions. Candidates see the instructions and the
// limit, never the scenario's source or a report.
type Assessment struct {
	ID       string `json:"id"`
	Scenario string `json:"scenario"` // the scenario's id
	Version  string `json:"version"`  // the ScenarioVersion's hash
	// TimeLimit runs from the moment the candidate starts the call.
	TimeLimit    time.Duration `json:"time_limit"`
	Instructions string        `json:"instructions"`
	Questions    []string      `json:"questions"`
	CreatedBy    string        `json:"created_by"`
	Created      time.Time     `json:"created"`
}

// DefaultQuestions are the debrief questions an assessment asks unless its
// author writes others. Hiring guides judge customer centricity by what a
// seller learned about the buyer, how they reflect on their own call, and
// how they weigh the buyer's interest against their company's; these ask
// for exactly that, in the candidate's own words.
var DefaultQuestions = []string{
	"What did you learn about the customer's needs, and how did you find it out?",
	"Which moment of the call would you handle differently next time, and how?",
	"Where did the customer's interest and your company's pull apart, and how did you balance them?",
	"What would you do next with this customer, and why?",
}

// DefaultInstructions are shown to a candidate before the call unless the
// assessment's author writes others.
const DefaultInstructions = "You will speak with a customer by typing, as you would on a sales call. " +
	"Take the call as you would in the job. The call ends when the customer ends it, when you hang up, " +
	"or when the time limit is reached. Afterwards you answer a few short questions in writing. " +
	"You can play the call only once."

// The limits an assessment is held to (Check says them in words).
const (
	MinTimeLimit = time.Minute / 2
	MaxTimeLimit = 4 * time.Hour
	maxQuestions = 20
	maxText      = 8 << 10 // bytes in one instruction text, question or answer
)

// Check returns an EInvalid *Error saying what makes a unfit to be stored,
// or nil.
func (a *Assessment) Check() error {
	switch {
	case a.ID == "":
		return Errorf(EInvalid, "an assessment needs an id")
	case a.Scenario == "" || a.Version == "":
		return Errorf(EInvalid, "an assessment needs a scenario and its version")
	case a.TimeLimit < MinTimeLimit || a.TimeLimit > MaxTimeLimit:
		return Errorf(EInvalid, "the time limit is from 30 seconds to 4 hours, not %s", spoken(a.TimeLimit))
	case len(a.Questions) > maxQuestions:
		return Errorf(EInvalid, "an assessment asks at most %d questions, not %d", maxQuestions, len(a.Questions))
	}
	if err := checkText("the instructions", a.Instructions); err != nil {
		return err
	}
	for i, q := range a.Questions {
		if strings.TrimSpace(q) == "" {
			return Errorf(EInvalid, "question %d is empty", i+1)
		}
		if err := checkText("a question", q); err != nil {
			return err
		}
	}
	return checkTime("creation", a.Created)
}

func checkText(what, s string) error {
	switch {
	case len(s) > maxText:
		return Errorf(EInvalid, "%s is longer than %d bytes", what, maxText)
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return Errorf(EInvalid, "%s must be text without NUL characters", what)
	}
	return nil
}

// CandidateStatus is where a candidate is in an assessment.
type CandidateStatus string

// The statuses, in the order a candidate goes through them. Expired is
// the end for a link never used before its expiry.
const (
	Invited  CandidateStatus = "invited"  // the link is sent; it may be claimed, not yet started
	Started  CandidateStatus = "started"  // the call is running or over, the debrief not yet sent
	Finished CandidateStatus = "finished" // the debrief is sent
	Expired  CandidateStatus = "expired"  // the link expired unused
)

// A Candidate is one invitation to an assessment: one single-use link,
// one call at most, one debrief.
type Candidate struct {
	ID         string `json:"id"`
	Assessment string `json:"assessment"`
	// TokenHash is the SHA-256 of the link's token (at least 128 random
	// bits); the token itself is never stored.
	TokenHash []byte `json:"-"`
	// ClaimHash is the SHA-256 of the secret the first browser to open the
	// link was given; nil until then. Any other browser is refused.
	ClaimHash  []byte          `json:"-"`
	Expires    time.Time       `json:"expires,omitzero"` // zero: never
	Status     CandidateStatus `json:"status"`
	Name       string          `json:"name,omitempty"`
	Email      string          `json:"email,omitempty"`
	Call       string          `json:"call,omitempty"` // the call's id, once started
	Answers    []string        `json:"answers,omitempty"`
	Signals    []Signal        `json:"signals,omitempty"`    // read only: stored by AddSignal
	Scorecards []Scorecard     `json:"scorecards,omitempty"` // read only: stored by PutScorecard
}

// Check returns an EInvalid *Error saying what makes c unfit to be
// stored, or nil.
func (c *Candidate) Check() error {
	switch {
	case c.ID == "" || c.Assessment == "":
		return Errorf(EInvalid, "a candidate needs an id and an assessment")
	case len(c.TokenHash) != 32:
		return Errorf(EInvalid, "a candidate's token hash is 32 bytes")
	case c.Status != Invited && c.Status != Started && c.Status != Finished && c.Status != Expired:
		return Errorf(EInvalid, "a candidate is %q, %q, %q or %q, not %q", Invited, Started, Finished, Expired, c.Status)
	case c.Status == Started || c.Status == Finished:
		if strings.TrimSpace(c.Name) == "" || c.Call == "" {
			return Errorf(EInvalid, "a candidate who started has a name and a call")
		}
	}
	if len(c.Name) > 200 || len(c.Email) > 254 {
		return Errorf(EInvalid, "a name or e-mail address is too long")
	}
	for _, s := range []string{c.Name, c.Email} {
		if err := checkText("a name or e-mail address", s); err != nil {
			return err
		}
	}
	if len(c.Answers) > maxQuestions {
		return Errorf(EInvalid, "at most %d answers", maxQuestions)
	}
	for _, a := range c.Answers {
		if err := checkText("an answer", a); err != nil {
			return err
		}
	}
	if c.Expires.IsZero() {
		return nil
	}
	return checkTime("expiry", c.Expires)
}

// Usable reports whether the link can still be used at now: it is not
// expired, or its call has started (a started call runs to its deadline).
func (c *Candidate) Usable(now time.Time) bool {
	if c.Status == Invited {
		return c.Expires.IsZero() || now.Before(c.Expires)
	}
	return c.Status == Started
}

// SignalKind is what the candidate's page noticed.
type SignalKind string

// The signals. They are recorded for a reviewer, never judged: a paste may
// be the candidate's own notes and a lost focus a notification.
const (
	Paste SignalKind = "paste" // text pasted into the reply box; Length is its length
	Blur  SignalKind = "blur"  // the page lost focus (another tab or window)
	Focus SignalKind = "focus" // the page got focus back
)

// A Signal is one thing the candidate's page reported during the call, at
// the server's time, after Turn turns.
type Signal struct {
	Kind   SignalKind `json:"kind"`
	Length int        `json:"length,omitempty"`
	Turn   int        `json:"turn"`
	At     time.Time  `json:"at"`
}

// maxSignals bounds what one candidate's page can make the store keep.
const MaxSignals = 500

// Check returns an EInvalid *Error saying what makes s unfit to be
// stored, or nil.
func (s *Signal) Check() error {
	switch {
	case s.Kind != Paste && s.Kind != Blur && s.Kind != Focus:
		return Errorf(EInvalid, "a signal is %q, %q or %q, not %q", Paste, Blur, Focus, s.Kind)
	case s.Length < 0 || s.Length > 1<<20 || (s.Kind != Paste && s.Length != 0):
		return Errorf(EInvalid, "only a paste has a length, from 0 to 1 MiB")
	case s.Turn < 0:
		return Errorf(EInvalid, "a signal's turn is not negative")
	}
	return checkTime("signal", s.At)
}

// An AssessmentStore keeps assessments and their candidates.
type AssessmentStore interface {
	// CreateAssessment stores a new assessment. EConflict if the id is taken.
	CreateAssessment(ctx context.Context, a *Assessment) error
	// Assessment returns the assessment with the given id; ENotFound if none.
	Assessment(ctx context.Context, id string) (*Assessment, error)
	// Assessments returns every assessment, newest first.
	Assessments(ctx context.Context) ([]Assessment, error)
	// CreateCandidate stores a new, invited candidate of a stored
	// assessment. EConflict if the id or the token hash is taken.
	CreateCandidate(ctx context.Context, c *Candidate) error
	// Candidate returns the candidate with the given id, with its signals.
	Candidate(ctx context.Context, id string) (*Candidate, error)
	// CandidateByToken returns the candidate whose link has the given hash.
	CandidateByToken(ctx context.Context, tokenHash []byte) (*Candidate, error)
	// Candidates returns an assessment's candidates, in the order created.
	Candidates(ctx context.Context, assessment string) ([]Candidate, error)
	// UpdateCandidate replaces the candidate of c's id (all but its
	// assessment, token, signals and scorecards) if its stored status is still from:
	// otherwise EConflict, so two browsers can never both claim or start
	// one link.
	UpdateCandidate(ctx context.Context, c *Candidate, from CandidateStatus) error
	// PutScorecard stores s as its reviewer's scorecard of candidate id,
	// replacing the reviewer's earlier one.
	PutScorecard(ctx context.Context, id string, s Scorecard) error
	// AddSignal stores a signal of candidate id; EConflict past MaxSignals.
	AddSignal(ctx context.Context, id string, s Signal) error
	// DueCalls returns the ids of calls in progress whose deadline is at or
	// before now, oldest deadline first, so a sweeper can end them.
	DueCalls(ctx context.Context, now time.Time) ([]string, error)
	// AddReveal records that r.User was shown the names of r.Assessment's
	// candidates; ENotFound if there is no such assessment.
	AddReveal(ctx context.Context, r Reveal) error
	// Reveals returns an assessment's reveals in the order recorded (an
	// empty list for none, or for no such assessment).
	Reveals(ctx context.Context, assessment string) ([]Reveal, error)
}

// RevealVia is how a reviewer was shown the candidates' names.
type RevealVia string

// The ways names are revealed: the review (in the page or its JSON), and
// the export as CSV or JSON.
const (
	RevealReview RevealVia = "review"
	RevealCSV    RevealVia = "csv"
	RevealJSON   RevealVia = "json"
)

// A Reveal is one time a reviewer was shown the names behind a blind
// assessment: kept for good, so that who unblinded a review, and when,
// can always be told.
type Reveal struct {
	Assessment string    `json:"assessment"`
	User       string    `json:"user"`
	Via        RevealVia `json:"via"`
	At         time.Time `json:"at"`
}

// Check returns an EInvalid *Error saying what makes r unfit to be
// stored, or nil.
func (r *Reveal) Check() error {
	switch {
	case r.Assessment == "":
		return Errorf(EInvalid, "a reveal needs its assessment")
	case r.Via != RevealReview && r.Via != RevealCSV && r.Via != RevealJSON:
		return Errorf(EInvalid, "a reveal is by %q, %q or %q, not %q", RevealReview, RevealCSV, RevealJSON, r.Via)
	}
	if err := CheckName("user", r.User); err != nil {
		return err
	}
	return checkTime("reveal", r.At)
}

// MayManage reports whether v may see and manage assessment a, whose
// author is creator (nil if a.CreatedBy is no user): an admin every
// assessment; a trainer one they created, or one created by a user who
// shares a team with them; a trainee none.
func (v *User) MayManage(a *Assessment, creator *User) bool {
	switch {
	case v == nil || v.Disabled || a == nil:
		return false
	case v.Role == Admin:
		return true
	case v.Role != Trainer:
		return false
	case a.CreatedBy == v.Name:
		return true
	case creator == nil || creator.Name != a.CreatedBy:
		return false
	}
	for _, t := range creator.Teams {
		if v.InTeam(t) {
			return true
		}
	}
	return false
}

// Overdue reports whether the call's deadline has come at at: a turn said
// then is not played, and the call ends by EndedByDeadline, recorded as
// ending at the deadline itself, so its record (and a replay of it) does
// not depend on when a server noticed.
func (c *Call) Overdue(at time.Time) bool {
	return c.InProgress() && !c.Deadline.IsZero() && !at.Before(c.Deadline)
}

// The behavioural indicators a reviewer rates every candidate on, defined
// before anyone is interviewed so candidates are compared on the same
// criteria (hiring guides for customer-centric sellers).
var Indicators = []string{
	"active listening",
	"problem-solving from the customer's side",
	"influencing with information, not pressure",
	"qualifying",
}

// A Scorecard is one reviewer's ratings of one candidate: 1 to 5 per
// indicator (in the order of Indicators; 0 is not rated), with notes.
type Scorecard struct {
	Reviewer string    `json:"reviewer"`
	Ratings  []int     `json:"ratings"`
	Notes    []string  `json:"notes"`
	At       time.Time `json:"at"`
}

// Check returns an EInvalid *Error saying what makes s unfit to be
// stored, or nil.
func (s *Scorecard) Check() error {
	if s.Reviewer == "" {
		return Errorf(EInvalid, "a scorecard needs its reviewer")
	}
	if len(s.Ratings) != len(Indicators) || len(s.Notes) != len(Indicators) {
		return Errorf(EInvalid, "a scorecard rates the %d indicators, each with a note (which may be empty)", len(Indicators))
	}
	for i, r := range s.Ratings {
		if r < 0 || r > 5 {
			return Errorf(EInvalid, "%s is rated 1 to 5 (0: not rated), not %d", Indicators[i], r)
		}
		if err := checkText("a note", s.Notes[i]); err != nil {
			return err
		}
	}
	return checkTime("scorecard", s.At)
}

// WithScorecard returns list with s in place of its reviewer's earlier
// scorecard, or added at the end; s's time in UTC. Stores use it, so they
// agree on the order.
func WithScorecard(list []Scorecard, s Scorecard) []Scorecard {
	s.At = s.At.UTC()
	out := make([]Scorecard, 0, len(list)+1)
	replaced := false
	for _, o := range list {
		if o.Reviewer == s.Reviewer {
			o, replaced = s, true
		}
		out = append(out, o)
	}
	if !replaced {
		out = append(out, s)
	}
	return out
}

// spoken says d as people do: "4 hours 1 second", "29 seconds", "90
// minutes" is "1 hour 30 minutes"; under a second, "less than a second".
func spoken(d time.Duration) string {
	if d < 0 {
		return "a negative time"
	}
	if d < time.Second {
		return "less than a second"
	}
	var parts []string
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		if n := d / u.d; n > 0 {
			name := u.name
			if n > 1 {
				name += "s"
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
			d -= n * u.d
		}
	}
	return strings.Join(parts, " ")
}
