package sim

import (
	"fmt"
)

// TranscriptVersion is the version of the saved transcript format.
const TranscriptVersion = 1

// A Transcript is a call as saved: the scenario it was played on and what
// the trainee said. It is all that is needed to rebuild the call: replaying
// the trainee's lines on the same scenario gives the same replies and the
// same grade. Replies are kept for people reading the file; replay does not
// need them.
type Transcript struct {
	Version  int                `json:"version"`
	Scenario TranscriptScenario `json:"scenario"`
	Opening  string             `json:"opening"`
	Lines    []TranscriptLine   `json:"lines"`
	HungUp   bool               `json:"hung_up,omitempty"`
}

// TranscriptScenario names the scenario version a call was played on and
// carries its source, so a transcript can be re-graded on its own.
type TranscriptScenario struct {
	ID     string `json:"id"`
	File   string `json:"file"`
	Hash   string `json:"hash"`
	Source string `json:"source"`
}

// A TranscriptLine is one trainee turn and the customer's reply. At is set by
// whoever stores the call (the simulator itself reads no clock).
type TranscriptLine struct {
	Said  string `json:"said"`
	Reply string `json:"reply,omitempty"`
	At    string `json:"at,omitempty"`
}

// Transcript returns the call so far as a transcript.
func (c *Conversation) Transcript() Transcript {
	t := Transcript{
		Version: TranscriptVersion,
		Scenario: TranscriptScenario{
			ID: c.s.ID, File: c.s.File, Hash: c.s.Hash, Source: c.s.Source,
		},
		Opening: c.Opening(),
		HungUp:  c.hungUp,
		Lines:   make([]TranscriptLine, len(c.turns)),
	}
	for i, turn := range c.turns {
		t.Lines[i] = TranscriptLine{Said: turn.Said, Reply: turn.Reply}
	}
	return t
}

// LoadScenario loads the scenario version a transcript carries.
func (t Transcript) LoadScenario() (*Scenario, error) {
	if t.Version != TranscriptVersion {
		return nil, fmt.Errorf("transcript version %d is not supported (this build reads version %d)", t.Version, TranscriptVersion)
	}
	if t.Scenario.Source == "" {
		return nil, fmt.Errorf("transcript of scenario %q carries no scenario source", t.Scenario.ID)
	}
	name := t.Scenario.File
	if name == "" {
		name = t.Scenario.ID + ".toml"
	}
	s, err := Load(name, []byte(t.Scenario.Source))
	if err != nil {
		return nil, fmt.Errorf("scenario in transcript: %w", err)
	}
	if t.Scenario.Hash != "" && s.Hash != t.Scenario.Hash {
		return nil, fmt.Errorf("scenario %q hashes to %.12s, but the transcript was played on %.12s: the built-in defaults changed since", s.ID, s.Hash, t.Scenario.Hash)
	}
	return s, nil
}

// Replay rebuilds a call from its transcript on s. A line the conversation
// refuses (after the call ended, say) is an error: the transcript does not
// belong to this scenario version.
func Replay(s *Scenario, t Transcript) (*Conversation, error) {
	if t.Scenario.Hash != "" && t.Scenario.Hash != s.Hash {
		return nil, fmt.Errorf("replay: transcript was played on scenario version %.12s, not %.12s", t.Scenario.Hash, s.Hash)
	}
	c := NewConversation(s)
	for i, line := range t.Lines {
		if _, err := c.Say(line.Said); err != nil {
			return nil, fmt.Errorf("replay line %d: %w", i+1, err)
		}
	}
	if t.HungUp {
		c.Hangup()
	}
	return c, nil
}
