package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// A TranscriptFile is a transcript read from a file, and what reading it
// did: Notes say so when lines had to be read again (an older format).
type TranscriptFile struct {
	Transcript sim.Transcript
	Scenario   *sim.Scenario
	Notes      []string
}

// ReadTranscript reads a downloaded transcript, version 2 or 1, and loads
// the scenario version it carries. A version-1 file recorded no acts, so its
// lines are read again with r (a note says so); that is only honest when
// its scenario still hashes the same on today's defaults, so otherwise it is
// refused. Errors are *Error with messages for people.
func ReadTranscript(data []byte, r sim.Reader) (*TranscriptFile, error) {
	var head struct {
		Version int    `json:"version"`
		Kind    string `json:"kind"`
	}
	if err := decodeJSON(data, &head, false); err != nil {
		return nil, err
	}
	if head.Kind == sim.LinesKind {
		return nil, sim.Errorf(sim.EInvalid, "this file holds only the lines of a call, downloaded while it was in progress or from an assessment: it has neither the scenario nor the acts, so it cannot be re-graded; the full transcript of an ended call can")
	}
	switch head.Version {
	case sim.TranscriptVersion:
		var t sim.Transcript
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
		return nil, sim.Errorf(sim.EInvalid, "this is not a transcript: it has no \"version\"")
	}
	return nil, sim.Errorf(sim.EInvalid, "this transcript is version %d; this build reads versions 1 and %d", head.Version, sim.TranscriptVersion)
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

func readV1(data []byte, r sim.Reader) (*TranscriptFile, error) {
	var old transcriptV1
	if err := decodeJSON(data, &old, true); err != nil {
		return nil, err
	}
	if old.Scenario.Source == "" {
		return nil, sim.Errorf(sim.EInvalid, "this transcript is version 1 and carries no scenario source")
	}
	v := sim.ScenarioVersion{ID: old.Scenario.ID, File: old.Scenario.File, Source: old.Scenario.Source, Defaults: defaultsSource}
	s, err := LoadVersion(v)
	if err != nil {
		return nil, scenarioError(err)
	}
	if old.Scenario.Hash != "" && old.Scenario.Hash != s.Hash {
		return nil, sim.Errorf(sim.EInvalid, "this transcript is version 1, saved by an older build whose built-in defaults differ; "+
			"version 1 did not record the defaults, so scenario %q cannot be rebuilt as it ran (it hashes to %.12s today, %.12s then)",
			s.ID, s.Hash, old.Scenario.Hash)
	}
	if r == nil {
		return nil, sim.Errorf(sim.EInternal, "a version-1 transcript needs a reader")
	}
	c := sim.NewConversation(s, r)
	call := sim.Call{ID: "", Scenario: s.ID, Version: s.Hash, Mode: sim.Training}
	for i, line := range old.Lines {
		t, err := c.Say(line.Said)
		if err != nil {
			return nil, sim.Errorf(sim.EInvalid, "line %d: %v", i+1, err)
		}
		at, _ := time.Parse(time.RFC3339Nano, line.At) // a missing or odd time stays zero
		if i == 0 {
			call.Started = at
		}
		call.Turns = append(call.Turns, c.Record(t, at))
	}
	switch {
	case c.Ended():
		call.End = sim.EndedByCustomer
	case old.HungUp:
		call.End = sim.EndedByTrainee
	}
	note := fmt.Sprintf("this transcript is version 1, which kept no acts: its %d lines were read again with today's classifier (%s)", len(old.Lines), r.Version())
	return &TranscriptFile{Transcript: sim.NewTranscript(s, &call), Scenario: s, Notes: []string{note}}, nil
}

func scenarioError(err error) error {
	var e *sim.Error
	if errors.As(err, &e) {
		return err
	}
	return sim.Errorf(sim.EInvalid, "the scenario in the transcript does not load:\n%v", err)
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
		when   *time.ParseError
	)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return sim.Errorf(sim.EInvalid, "this is not a transcript: the JSON ends too soon")
	case errors.As(err, &syntax):
		return sim.Errorf(sim.EInvalid, "this is not a transcript: the JSON is broken at byte %d", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return sim.Errorf(sim.EInvalid, "this is not a transcript: expected a JSON object, found %s", typ.Value)
		}
		return sim.Errorf(sim.EInvalid, "this is not a transcript: %q should be %s, not %s", field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &when):
		return sim.Errorf(sim.EInvalid, "this is not a transcript: the time %s should look like \"2026-12-01T09:00:00Z\"", strconv.Quote(when.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return sim.Errorf(sim.EInvalid, "this is not a transcript of this version: unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	// Anything else (a bad act name, a bad time) carries its own message.
	return sim.Errorf(sim.EInvalid, "this is not a transcript: %s", strings.TrimPrefix(err.Error(), "json: "))
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
