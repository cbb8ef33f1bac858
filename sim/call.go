package sim

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Mode is how much the trainee sees during a call.
type Mode string

// The modes.
const (
	// Training shows the persona's state, the acts read in each turn, the
	// meters and the checklist (as far as the scenario's display allows).
	Training Mode = "training"
	// AssessmentMode shows only what the customer says until the report.
	AssessmentMode Mode = "assessment"
)

// A ScenarioVersion is one exact version of a scenario as a call ran on it:
// the file as its author wrote it and the built-in defaults it was loaded on
// top of. Hash names it. A store keeps each version once, so a call
// recorded on it loads and re-grades the same after the defaults or the
// file change.
type ScenarioVersion struct {
	Hash     string `json:"hash"`
	ID       string `json:"id"`
	File     string `json:"file"`
	Source   string `json:"source"`
	Defaults string `json:"defaults"`
}

// A Call is one call as stored: who played which scenario version, in
// which mode, every turn as it was read at the time, and how it ended.
// Together with its ScenarioVersion it is the whole record: replaying its
// turns gives the same replies and, once ended, the same report, byte for
// byte, whatever classifier the program has since.
type Call struct {
	ID       string `json:"id"`
	Scenario string `json:"scenario"` // the scenario's id
	Version  string `json:"version"`  // the ScenarioVersion's hash
	Mode     Mode   `json:"mode"`
	// Trainee and Assessment are "" for anonymous practice.
	Trainee    string `json:"trainee,omitempty"`
	Assessment string `json:"assessment,omitempty"`
	// TokenHash is the SHA-256 of the call token that lets a client resume
	// the call; the token itself is never stored.
	TokenHash []byte    `json:"-"`
	Started   time.Time `json:"started"`
	// Deadline, when set, is when the call ends whether or not anyone is on it.
	Deadline time.Time    `json:"deadline,omitzero"`
	Turns    []TurnRecord `json:"turns"`
	// End is how the call ended, "" while it is in progress; Ended is when.
	End    Ending    `json:"end,omitempty"`
	Ended  time.Time `json:"ended,omitzero"`
	Report *Report   `json:"-"`
}

// InProgress reports whether the call has not ended.
func (c *Call) InProgress() bool { return c.End == "" }

// A TurnRecord is one trainee turn as stored: what was said, how it was read
// then (acts with their cues and confidence, by which classifier version),
// when, and what the customer answered. Replay uses the recorded acts, not
// a new reading, so an upgrade of the classifier never changes a stored call.
type TurnRecord struct {
	N      int         `json:"n"`
	Said   string      `json:"said"`
	Acts   []Detection `json:"acts"`
	Reader string      `json:"reader"` // the classifier version that read it
	At     time.Time   `json:"at"`
	// Reply is kept for people reading the record; replay computes it again.
	Reply string `json:"reply"`
	// Override is set when the trainee corrected how the turn was read
	// (correct.go): Acts are then the acts meant and played, Override.Read
	// what the classifier read.
	Override *Override `json:"override,omitempty"`
}

// Ending is how a call ended.
type Ending string

// The endings.
const (
	EndedByCustomer Ending = "conversation" // the conversation ended it: won, lost, or out of turns
	EndedByTrainee  Ending = "hangup"       // the trainee hung up
	EndedByDeadline Ending = "deadline"     // the time limit passed
)

// The rules every store applies before it keeps anything, so the stores
// agree on what they refuse (sim/storetest checks that they do). Times must
// be set and lie where a store can keep them exactly, to the nanosecond:
// Unix nanoseconds in an int64, from 1678 to 2262.

// CheckNew returns an EInvalid *Error saying what makes c unfit to be
// stored as a new call, or nil.
func (c *Call) CheckNew() error {
	switch {
	case c.ID == "":
		return Errorf(EInvalid, "a call needs an id")
	case c.Version == "":
		return Errorf(EInvalid, "a call needs a scenario version")
	case c.Mode != Training && c.Mode != AssessmentMode:
		return Errorf(EInvalid, "a call's mode is %q or %q, not %q", Training, AssessmentMode, c.Mode)
	case len(c.Turns) > 0 || c.End != "" || !c.Ended.IsZero() || c.Report != nil:
		return Errorf(EInvalid, "a new call has no turns and no end")
	}
	if err := checkTime("start", c.Started); err != nil {
		return err
	}
	if c.Deadline.IsZero() {
		return nil
	}
	return checkTime("deadline", c.Deadline)
}

// Check returns an EInvalid *Error saying what makes t unfit to be stored
// as a turn, or nil.
func (t *TurnRecord) Check() error {
	switch {
	case t.N < 1:
		return Errorf(EInvalid, "turns are numbered from 1, not %d", t.N)
	case !utf8.ValidString(t.Said) || strings.ContainsRune(t.Said, 0):
		// Databases refuse such text; refusing it here keeps every store alike.
		return Errorf(EInvalid, "what was said must be text without NUL characters")
	}
	if err := checkTime("turn", t.At); err != nil {
		return err
	}
	if t.Override == nil {
		return nil
	}
	acts := make([]Act, len(t.Acts))
	for i, d := range t.Acts {
		acts[i] = d.Act
	}
	if err := CheckMeant(acts); err != nil {
		return err
	}
	return checkTime("correction", t.Override.At)
}

// CheckEnd returns an EInvalid *Error saying what makes end and at unfit to
// be stored as the end of a call, or nil.
func CheckEnd(end Ending, at time.Time) error {
	switch end {
	case EndedByCustomer, EndedByTrainee, EndedByDeadline:
	default:
		return Errorf(EInvalid, "a call ends by %q, %q or %q, not %q", EndedByCustomer, EndedByTrainee, EndedByDeadline, end)
	}
	return checkTime("end", at)
}

// The times a store keeps exactly.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

func checkTime(what string, t time.Time) error {
	if t.IsZero() {
		return Errorf(EInvalid, "the %s time is missing", what)
	}
	if t.Before(minTime) || t.After(maxTime) {
		return Errorf(EInvalid, "the %s time %s is outside the years 1678 to 2262", what, t.UTC().Format(time.RFC3339))
	}
	return nil
}
