package server

import (
	"errors"
	"fmt"

	"github.com/roleplay-sim/roleplay/sim"
)

// ProtocolVersion is the version of the websocket protocol in PROTOCOL.md.
// Every server message carries it as "v"; a client message may carry it too,
// and one naming a version other than this one or oldestVersion is refused.
const ProtocolVersion = 2

// oldestVersion is the oldest client version still served: version 2 only
// adds to version 1 (the call token, resume, the closing flag), so a
// version-1 client's messages mean what they meant.
const oldestVersion = 1

// Client message types.
const (
	typeStart  = "start"
	typeSay    = "say"
	typeEnd    = "end"
	typeResume = "resume"
	// typeCorrect corrects the reading of the last turn (correct.go).
	typeCorrect = "correct"
)

// Server message types.
const (
	typeReady   = "ready"
	typeStarted = "started"
	typeResumed = "resumed"
	typeReply   = "reply"
	typeReport  = "report"
	typeError   = "error"
	typeClosing = "closing"
)

// Error codes sent in error messages.
const (
	codeBadJSON            = "bad_json"
	codeUnknownType        = "unknown_type"
	codeUnsupportedVersion = "unsupported_version"
	codeEmptyText          = "empty_text"
	codeTooLong            = "too_long"
	codeBadText            = "bad_text"
	codeCallEnded          = "call_ended"
	codeNoCall             = "no_call"
	codeUnknownScenario    = "unknown_scenario"
	codeUnknownMode        = "unknown_mode"
	codeCallInProgress     = "call_in_progress"
	codeUnknownCall        = "unknown_call"
	codeCallMoved          = "call_moved"
	codeRateLimited        = "rate_limited"
	codeTooManyCalls       = "too_many_calls"
	codeServerBusy         = "server_busy"
	codeInternal           = "internal"
	codeSignIn             = "sign_in_required" // anonymous practice is off (auth.go)
	codeBadCorrection      = "bad_correction"   // a correct message that cannot be used (correct.go)
	codeNotCorrectable     = "not_correctable"  // a correct message in an assessment
)

// clientMessage is any message a client sends; which fields count depends on Type.
type clientMessage struct {
	V        *int     `json:"v"`
	Type     string   `json:"type"`
	Scenario string   `json:"scenario"`
	Version  string   `json:"version"` // start: a version's hash; "" the published one
	Mode     sim.Mode `json:"mode"`
	Text     string   `json:"text"`
	Call     string   `json:"call"`
	Token    string   `json:"token"`
	// correct: the turn, and the names of the acts meant.
	Turn int      `json:"turn"`
	Acts []string `json:"acts"`
}

type readyMessage struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	// MaxText is the longest say text accepted, in characters (code points).
	MaxText int `json:"max_text"`
}

type startedMessage struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	Call string `json:"call"`
	// Token lets the client resume the call; the server keeps only its hash.
	Token string `json:"token"`
	callView
}

// callView is a call as the trainee sees it when it starts or resumes.
type callView struct {
	Mode      sim.Mode          `json:"mode"`
	Scenario  scenarioSummary   `json:"scenario"`
	Opening   string            `json:"opening"`
	MaxTurns  int               `json:"max_turns"`
	State     string            `json:"state,omitempty"`
	Meters    []sim.MeterChange `json:"meters,omitempty"`
	Checklist []sim.FactStatus  `json:"checklist,omitempty"`
}

// resumedMessage is a call taken up again: everything started said, and
// every turn so far as its reply said it, with what the trainee said.
type resumedMessage struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	Call string `json:"call"`
	callView
	Turns []pastTurn `json:"turns"`
}

// pastTurn is one turn of a resumed call: what the trainee said, and the
// turn's reply message but for the checklist (the resumed message has the
// current one).
type pastTurn struct {
	Said string `json:"said"`
	turnView
}

type scenarioSummary struct {
	ID       string      `json:"id"`
	Title    string      `json:"title"`
	Customer person      `json:"customer"`
	Display  sim.Display `json:"display"`
}

type person struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Company string `json:"company"`
}

type replyMessage struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	turnView
	Checklist []sim.FactStatus `json:"checklist,omitempty"` // training mode only
}

// turnView is one turn as the trainee sees it.
type turnView struct {
	Turn int    `json:"turn"`
	Text string `json:"text"`

	// Training mode only.
	Acts        []sim.Detection   `json:"acts,omitempty"`
	From        string            `json:"from,omitempty"`
	To          string            `json:"to,omitempty"`
	Transitions []string          `json:"transitions,omitempty"`
	Meters      []sim.MeterChange `json:"meters,omitempty"`
	Effects     []string          `json:"effects,omitempty"`
	Revealed    []factView        `json:"revealed,omitempty"`
	// Corrected marks a turn the trainee corrected: Acts are what they
	// meant, Read what the classifier read.
	Corrected bool            `json:"corrected,omitempty"`
	Read      []sim.Detection `json:"read,omitempty"`

	Ended   bool        `json:"ended"`
	Outcome sim.Outcome `json:"outcome"`
	Reason  string      `json:"reason,omitempty"`
}

type factView struct {
	ID    string       `json:"id"`
	Kind  sim.FactKind `json:"kind"`
	Label string       `json:"label"`
}

type reportMessage struct {
	V             int         `json:"v"`
	Type          string      `json:"type"`
	Call          string      `json:"call"`
	Report        *sim.Report `json:"report"`
	ReportURL     string      `json:"report_url,omitempty"`
	TranscriptURL string      `json:"transcript_url,omitempty"`
	// End and Message are an assessment call's only news (its report is
	// null): how it ended, and a confirmation to show the candidate.
	End     sim.Ending `json:"end,omitempty"`
	Message string     `json:"message,omitempty"`
}

// endedFor is the report message of an assessment call: no report, no
// links, only that it ended and how.
func endedFor(id string, how sim.Ending) reportMessage {
	msg := "The call has ended. Thank you."
	if how == sim.EndedByDeadline {
		msg = "Time is up: your call has ended. Thank you."
	}
	return reportMessage{V: ProtocolVersion, Type: typeReport, Call: id, End: how, Message: msg}
}

type errorMessage struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
	// Call names the call an unknown_call, call_moved or call_ended error
	// is about; an ended call's error has its links.
	Call          string `json:"call,omitempty"`
	ReportURL     string `json:"report_url,omitempty"`
	TranscriptURL string `json:"transcript_url,omitempty"`
	// RetryAfter is, for too_many_calls and server_busy, how many seconds
	// to wait before trying again.
	RetryAfter int `json:"retry_after,omitempty"`
}

type closingMessage struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	Message string `json:"message"`
	// Call is the call that was in progress, stored so it can be resumed;
	// Resumable says so.
	Call      string `json:"call,omitempty"`
	Resumable bool   `json:"resumable"`
}

// wsError is the error code and message a client gets for err: the one
// place where conversation and store errors become protocol errors. Only
// sim.Error messages are shown; anything else is "internal error".
func wsError(err error) (code, message string) {
	switch {
	case errors.Is(err, sim.ErrEmptyTurn):
		return codeEmptyText, "Say something: the text is empty."
	case errors.Is(err, sim.ErrTooLong):
		return codeTooLong, fmt.Sprintf("A turn can be at most %d characters.", sim.MaxTurnLength)
	case errors.Is(err, sim.ErrEnded):
		return codeCallEnded, "The call has ended; start a new one."
	}
	switch sim.ErrorCodeOf(err) {
	case sim.ENotFound:
		return codeNoCall, sim.ErrorMessage(err)
	case sim.EConflict:
		return codeCallEnded, sim.ErrorMessage(err)
	case sim.EInvalid:
		return codeBadText, sim.ErrorMessage(err)
	}
	return codeInternal, "internal error"
}
