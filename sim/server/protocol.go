package server

import (
	"errors"
	"fmt"

	"github.com/roleplay-sim/roleplay/sim"
)

// ProtocolVersion is the version of the websocket protocol in PROTOCOL.md.
// Every server message carries it as "v"; a client message may carry it too,
// and one naming any other version is refused.
const ProtocolVersion = 1

// Client message types.
const (
	typeStart = "start"
	typeSay   = "say"
	typeEnd   = "end"
)

// Server message types.
const (
	typeReady   = "ready"
	typeStarted = "started"
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
	codeCallEnded          = "call_ended"
	codeNoCall             = "no_call"
	codeUnknownScenario    = "unknown_scenario"
	codeUnknownMode        = "unknown_mode"
	codeCallInProgress     = "call_in_progress"
	codeRateLimited        = "rate_limited"
	codeInternal           = "internal"
	codeSignIn             = "sign_in_required" // anonymous practice is off (auth.go)
)

// clientMessage is any message a client sends; which fields count depends on Type.
type clientMessage struct {
	V        *int     `json:"v"`
	Type     string   `json:"type"`
	Scenario string   `json:"scenario"`
	Version  string   `json:"version"` // start: a version's hash; "" the published one
	Mode     sim.Mode `json:"mode"`
	Text     string   `json:"text"`
}

type readyMessage struct {
	V    int    `json:"v"`
	Type string `json:"type"`
	// MaxText is the longest say text accepted, in bytes.
	MaxText int `json:"max_text"`
}

type startedMessage struct {
	V         int               `json:"v"`
	Type      string            `json:"type"`
	Call      string            `json:"call"`
	Mode      sim.Mode          `json:"mode"`
	Scenario  scenarioSummary   `json:"scenario"`
	Opening   string            `json:"opening"`
	MaxTurns  int               `json:"max_turns"`
	State     string            `json:"state,omitempty"`
	Meters    []sim.MeterChange `json:"meters,omitempty"`
	Checklist []sim.FactStatus  `json:"checklist,omitempty"`
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
	Checklist   []sim.FactStatus  `json:"checklist,omitempty"`

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
}

type errorMessage struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type closingMessage struct {
	V       int    `json:"v"`
	Type    string `json:"type"`
	Message string `json:"message"`
	// Call is the call that was in progress, saved so it can be resumed.
	Call string `json:"call,omitempty"`
}

// wsError is the error code and message a client gets for err: the one
// place where conversation and store errors become protocol errors. Only
// sim.Error messages are shown; anything else is "internal error".
func wsError(err error) (code, message string) {
	switch {
	case errors.Is(err, sim.ErrEmptyTurn):
		return codeEmptyText, "Say something: the text is empty."
	case errors.Is(err, sim.ErrTooLong):
		return codeTooLong, fmt.Sprintf("A turn can be at most %d bytes.", sim.MaxTurnLength)
	case errors.Is(err, sim.ErrEnded):
		return codeCallEnded, "The call has ended; start a new one."
	}
	switch sim.ErrorCodeOf(err) {
	case sim.ENotFound:
		return codeNoCall, sim.ErrorMessage(err)
	case sim.EConflict:
		return codeCallEnded, sim.ErrorMessage(err)
	}
	return codeInternal, "internal error"
}
