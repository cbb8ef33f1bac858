package sim

import (
	"time"
)

// TranscriptVersion is the version of the saved transcript format.
const TranscriptVersion = 2

// A Transcript is a call as downloaded: the exact scenario version it ran on
// and the call's record, every turn with the acts as they were read then.
// It is all that is needed to rebuild the call: replaying the recorded acts
// on the same scenario version gives the same replies and the same report,
// byte for byte, whatever classifier reads turns today.
type Transcript struct {
	Version  int             `json:"version"`
	Scenario ScenarioVersion `json:"scenario"`
	Opening  string          `json:"opening"` // for people reading the file
	Call     Call            `json:"call"`
	// Engine is the engine whose report the call was given (see Engine):
	// this build's for a call it graded or is still playing, empty for a
	// call graded before engines were named.
	Engine string `json:"engine,omitempty"`
}

// NewTranscript is the download of call c, played on s.
func NewTranscript(s *Scenario, c *Call) Transcript {
	engine := Engine
	if c.Report != nil {
		engine = c.Report.Engine
	}
	return Transcript{Version: TranscriptVersion, Scenario: s.Version(), Opening: s.fill(s.Customer.Opening), Call: *c, Engine: engine}
}

// Record is the stored form of turn t, read by the conversation's reader (or,
// in a replay, by the reader that read it then), said at at. A corrected
// turn (Correct) carries its override, timed at at until the caller says
// who corrected it and when.
func (c *Conversation) Record(t Turn, at time.Time) TurnRecord {
	reader := c.readerVersion()
	if c.readBy != nil {
		reader = c.readBy[t.N-1]
	}
	rec := TurnRecord{N: t.N, Said: t.Said, Acts: t.Acts, Reader: reader, At: at, Reply: t.Reply}
	if t.Read != nil {
		rec.Override = &Override{Read: t.Read, At: at}
	}
	return rec
}

// Replay rebuilds a call from its record on s, playing each turn's recorded
// acts; r reads any turns the call takes after that (it may be nil). A turn
// the conversation refuses (after the call ended, say) is an error: the
// record does not belong to this scenario version.
func Replay(s *Scenario, r Reader, call *Call) (*Conversation, error) {
	if call.Version != "" && call.Version != s.Hash {
		return nil, Errorf(EInvalid, "call %s was played on scenario version %.12s, not %.12s", call.ID, call.Version, s.Hash)
	}
	c := NewConversation(s, r)
	for i, rec := range call.Turns {
		if rec.N != i+1 {
			return nil, Errorf(EInvalid, "turn %d of the record is numbered %d", i+1, rec.N)
		}
		var err error
		if rec.Override != nil {
			_, err = c.Correct(rec.Said, rec.Acts, rec.Override.Read)
		} else {
			_, err = c.Play(rec.Said, rec.Acts)
		}
		if err != nil {
			return nil, Errorf(EInvalid, "replay turn %d: %v", rec.N, err)
		}
		c.setReadBy(rec.N, rec.Reader)
	}
	switch call.End {
	case EndedByTrainee, EndedByDeadline:
		c.End(call.End)
	case EndedByCustomer:
		if !c.Ended() {
			return nil, Errorf(EInvalid, "the record says the conversation ended the call, but after %d turns it goes on", len(call.Turns))
		}
	}
	return c, nil
}

// LinesKind is the kind of a Lines document.
const LinesKind = "lines"

// Lines is what a trainee may download of a call in progress, and of an
// assessment at any time: what was said and answered, and nothing of the
// scenario (its source, hidden facts, conditions) nor of how the turns were
// read, which would tell a candidate what to ask. It cannot be re-graded;
// the full Transcript can, once the call has ended.
type Lines struct {
	Version  int       `json:"version"` // TranscriptVersion
	Kind     string    `json:"kind"`    // LinesKind
	Scenario string    `json:"scenario"`
	Call     string    `json:"call"`
	Mode     Mode      `json:"mode"`
	Started  time.Time `json:"started"`
	Opening  string    `json:"opening"`
	Turns    []Line    `json:"turns"`
	End      Ending    `json:"end,omitempty"`
	Ended    time.Time `json:"ended,omitzero"`
}

// A Line is one turn of Lines: what the trainee said and the customer answered.
type Line struct {
	N     int       `json:"n"`
	Said  string    `json:"said"`
	Reply string    `json:"reply"`
	At    time.Time `json:"at"`
}

// NewLines is the lines of call c, played on s.
func NewLines(s *Scenario, c *Call) Lines {
	out := Lines{
		Version: TranscriptVersion, Kind: LinesKind, Scenario: c.Scenario, Call: c.ID, Mode: c.Mode,
		Started: c.Started, Opening: s.fill(s.Customer.Opening), Turns: make([]Line, len(c.Turns)),
		End: c.End, Ended: c.Ended,
	}
	for i, t := range c.Turns {
		out.Turns[i] = Line{N: t.N, Said: t.Said, Reply: t.Reply, At: t.At}
	}
	return out
}
