package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
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
}

// NewTranscript is the download of call c, played on s.
func NewTranscript(s *Scenario, c *Call) Transcript {
	return Transcript{Version: TranscriptVersion, Scenario: s.Version(), Opening: s.fill(s.Customer.Opening), Call: *c}
}

// Record is the stored form of turn t, read by the conversation's reader (or,
// in a replay, by the reader that read it then), said at at.
func (c *Conversation) Record(t Turn, at time.Time) TurnRecord {
	reader := c.readerVersion()
	if c.readBy != nil {
		reader = c.readBy[t.N-1]
	}
	return TurnRecord{N: t.N, Said: t.Said, Acts: t.Acts, Reader: reader, At: at, Reply: t.Reply}
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
		if _, err := c.Play(rec.Said, rec.Acts); err != nil {
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

// A TranscriptFile is a transcript read from a file, and what reading it
// did: Notes say so when lines had to be read again (an older format).
type TranscriptFile struct {
	Transcript Transcript
	Scenario   *Scenario
	Notes      []string
}

// ReadTranscript reads a downloaded transcript, version 2 or 1, and loads
// the scenario version it carries. A version-1 file recorded no acts, so its
// lines are read again with r (a note says so); that is only honest when
// its scenario still hashes the same on today's defaults, so otherwise it is
// refused. Errors are *Error with messages for people.
func ReadTranscript(data []byte, r Reader) (*TranscriptFile, error) {
	var head struct {
		Version int `json:"version"`
	}
	if err := decodeJSON(data, &head, false); err != nil {
		return nil, err
	}
	switch head.Version {
	case TranscriptVersion:
		var t Transcript
		if err := decodeJSON(data, &t, true); err != nil {
			return nil, err
		}
		s, err := LoadVersion(t.Scenario)
		if err != nil {
			return nil, scenarioError(err)
		}
		return &TranscriptFile{Transcript: t, Scenario: s}, nil
	case 1:
		return readV1(data, r)
	case 0:
		return nil, Errorf(EInvalid, "this is not a transcript: it has no \"version\"")
	}
	return nil, Errorf(EInvalid, "this transcript is version %d; this build reads versions 1 and %d", head.Version, TranscriptVersion)
}

// transcriptV1 is the Download JSON of builds before turn records: lines
// without their acts.
type transcriptV1 struct {
	Version  int `json:"version"`
	Scenario struct {
		ID     string `json:"id"`
		File   string `json:"file"`
		Hash   string `json:"hash"`
		Source string `json:"source"`
	} `json:"scenario"`
	Opening string `json:"opening"`
	Lines   []struct {
		Said  string `json:"said"`
		Reply string `json:"reply"`
		At    string `json:"at"`
	} `json:"lines"`
	HungUp bool `json:"hung_up"`
}

func readV1(data []byte, r Reader) (*TranscriptFile, error) {
	var old transcriptV1
	if err := decodeJSON(data, &old, true); err != nil {
		return nil, err
	}
	if old.Scenario.Source == "" {
		return nil, Errorf(EInvalid, "this transcript is version 1 and carries no scenario source")
	}
	v := ScenarioVersion{ID: old.Scenario.ID, File: old.Scenario.File, Source: old.Scenario.Source, Defaults: defaultsSource}
	s, err := LoadVersion(v)
	if err != nil {
		return nil, scenarioError(err)
	}
	if old.Scenario.Hash != "" && old.Scenario.Hash != s.Hash {
		return nil, Errorf(EInvalid, "this transcript is version 1, saved by an older build whose built-in defaults differ; "+
			"version 1 did not record the defaults, so scenario %q cannot be rebuilt as it ran (it hashes to %.12s today, %.12s then)",
			s.ID, s.Hash, old.Scenario.Hash)
	}
	if r == nil {
		return nil, Errorf(EInternal, "a version-1 transcript needs a reader")
	}
	c := NewConversation(s, r)
	call := Call{ID: "", Scenario: s.ID, Version: s.Hash, Mode: Training}
	for i, line := range old.Lines {
		t, err := c.Say(line.Said)
		if err != nil {
			return nil, Errorf(EInvalid, "line %d: %v", i+1, err)
		}
		at, _ := time.Parse(time.RFC3339Nano, line.At) // a missing or odd time stays zero
		if i == 0 {
			call.Started = at
		}
		call.Turns = append(call.Turns, c.Record(t, at))
	}
	switch {
	case c.Ended():
		call.End = EndedByCustomer
	case old.HungUp:
		call.End = EndedByTrainee
	}
	note := fmt.Sprintf("this transcript is version 1, which kept no acts: its %d lines were read again with today's classifier (%s)", len(old.Lines), r.Version())
	return &TranscriptFile{Transcript: NewTranscript(s, &call), Scenario: s, Notes: []string{note}}, nil
}

func scenarioError(err error) error {
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return Errorf(EInvalid, "the scenario in the transcript does not load:\n%v", err)
}

// decodeJSON decodes data into v, with messages that name the field and say
// what was expected in words, never a Go type. strict rejects unknown fields.
func decodeJSON(data []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EInvalid, "this is not a transcript: the JSON ends too soon")
	case errors.As(err, &syntax):
		return Errorf(EInvalid, "this is not a transcript: the JSON is broken at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return Errorf(EInvalid, "this is not a transcript: expected a JSON object, found %s", typ.Value)
		}
		return Errorf(EInvalid, "this is not a transcript: %q should be %s, not %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return Errorf(EInvalid, "this is not a transcript of this version: unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	// Anything else (a bad act name, a bad time) carries its own message.
	return Errorf(EInvalid, "this is not a transcript: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind says a Go kind as JSON calls it.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "string":
		return "text"
	case kind == "bool":
		return "true or false"
	case kind == "slice", kind == "array":
		return "a list"
	}
	return "an object"
}
