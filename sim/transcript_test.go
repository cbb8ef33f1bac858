package sim_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// nonsense is a classifier that reads every sentence as a dismissive pitch.
type nonsense struct{}

func (nonsense) Version() string { return "nonsense" }
func (nonsense) Read(text string, _ *sim.Vocabulary) []sim.Detection {
	return []sim.Detection{{Act: sim.Dismissive, Confidence: 1, Sentence: text}, {Act: sim.Pitch, Confidence: 1, Sentence: text}}
}

var callLines = []string{
	"thanks for making the time dana. how many trucks do you run today?",
	"what's the hardest part of keeping deliveries on time",
	"and when a delivery is late, what does that end up costing you with the retailers?",
	"if deliveries were on time, what would that mean for you",
	"is there budget set aside for fixing this?",
}

// record plays lines with the real classifier and returns the call as
// stored and its report as JSON.
func record(t *testing.T, s *sim.Scenario) (sim.Transcript, []byte) {
	t.Helper()
	c := sim.NewConversation(s, classify.Default())
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	call := sim.Call{ID: "c1", Scenario: s.ID, Version: s.Hash, Mode: sim.Training, Started: start}
	for i, line := range callLines {
		turn, err := c.Say(line)
		require.NoError(t, err)
		call.Turns = append(call.Turns, c.Record(turn, start.Add(time.Duration(i+1)*time.Minute)))
	}
	c.Hangup()
	call.End, call.Ended = c.Ending(), start.Add(time.Hour)
	rep, err := json.Marshal(grade.Grade(c))
	require.NoError(t, err)
	return sim.NewTranscript(s, &call), rep
}

// loadMinimal is the test persona, testdata/minimal.toml.
func loadMinimal(t testing.TB) *sim.Scenario { return minimal(t, "") }

// A call recorded with one classifier re-grades byte for byte with a
// completely different one: replay uses the recorded acts.
func TestRegradeIgnoresTheClassifier(t *testing.T) {
	s := loadMinimal(t)
	tr, want := record(t, s)
	data, err := json.Marshal(tr)
	require.NoError(t, err)

	f, err := scenario.ReadTranscript(data, nonsense{})
	require.NoError(t, err)
	assert.Empty(t, f.Notes)
	conv, err := sim.Replay(f.Scenario, nonsense{}, &f.Transcript.Call)
	require.NoError(t, err)
	got, err := json.Marshal(grade.Grade(conv))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	for _, rec := range f.Transcript.Call.Turns {
		assert.Equal(t, classify.Default().Version(), rec.Reader)
	}

	// The fake really reads differently: saying the lines again with it
	// gives another report.
	again := sim.NewConversation(s, nonsense{})
	for _, line := range callLines {
		if again.Ended() {
			break // a dismissive seller is hung up on
		}
		_, err := again.Say(line)
		require.NoError(t, err)
	}
	again.Hangup()
	other, err := json.Marshal(grade.Grade(again))
	require.NoError(t, err)
	assert.NotEqual(t, string(want), string(other))
}

// A stored scenario version loads on the defaults it ran on, after the
// built-in defaults changed.
func TestVersionLoadsOnItsOwnDefaults(t *testing.T) {
	s := loadMinimal(t)
	v := s.Version()
	v.Defaults = strings.Replace(v.Defaults, "Go on.", "Carry on.", 1) + "\n# an older edit\n"
	old, err := scenario.LoadWithDefaults(v.File, []byte(v.Source), v.Defaults)
	require.NoError(t, err)
	assert.NotEqual(t, s.Hash, old.Hash)
	v.Hash = old.Hash
	back, err := scenario.LoadVersion(v)
	require.NoError(t, err)
	assert.Equal(t, old.Hash, back.Hash)
	assert.Equal(t, v, back.Version())
}

// A version-1 transcript (today's old Download JSON) still loads: its
// lines are read again with today's classifier, and a note says so.
func TestVersion1TranscriptLoads(t *testing.T) {
	data, err := os.ReadFile("testdata/transcript/v1.json")
	require.NoError(t, err)
	f, err := scenario.ReadTranscript(data, classify.Default())
	require.NoError(t, err)
	require.Len(t, f.Notes, 1)
	assert.Contains(t, f.Notes[0], "version 1")
	assert.Equal(t, sim.TranscriptVersion, f.Transcript.Version)
	require.NotEmpty(t, f.Transcript.Call.Turns)
	assert.Equal(t, time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC), f.Transcript.Call.Turns[0].At)
	conv, err := sim.Replay(f.Scenario, nil, &f.Transcript.Call)
	require.NoError(t, err)
	assert.Equal(t, sim.Won, grade.Grade(conv).Outcome)
}

// A version-1 transcript saved on other defaults cannot be rebuilt, and
// the message says why, naming the version.
func TestVersion1OnOtherDefaultsIsRefused(t *testing.T) {
	data, err := os.ReadFile("testdata/transcript/v1-old-defaults.json")
	require.NoError(t, err)
	_, err = scenario.ReadTranscript(data, classify.Default())
	require.Error(t, err)
	assert.Equal(t, sim.EInvalid, sim.ErrorCodeOf(err))
	assert.Contains(t, sim.ErrorMessage(err), "this transcript is version 1, saved by an older build whose built-in defaults differ")
}

// Decoding errors never show Go type names.
func TestTranscriptErrorsArePlain(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`{not json`, "JSON is broken"},
		{`{"version": "two"}`, `"version" should be a number, not string`},
		{`{}`, `has no "version"`},
		{`{"version": 9}`, "version 9"},
		{`{"version": 2, "kind": "lines", "turns": []}`, "only the lines of a call"},
		{`{"version": 2, "call": {"turns": [{"n": "x"}]}}`, `"call.turns.n" should be a number`},
		{`{"version": 2, "call": {"turns": [{"acts": [{"act": "pitchh"}]}]}}`, `did you mean "pitch"`},
	} {
		_, err := scenario.ReadTranscript([]byte(tt.in), nil)
		require.Error(t, err, tt.in)
		msg := sim.ErrorMessage(err)
		assert.Contains(t, msg, tt.want, tt.in)
		for _, goName := range []string{"sim.", "int", "struct", "float64"} {
			assert.NotContains(t, msg, goName, tt.in)
		}
	}
}

// The lines of a call carry what was said and answered, and nothing of the
// scenario or of how the turns were read.
func TestLinesHideTheScenario(t *testing.T) {
	s := loadMinimal(t)
	full, _ := record(t, s)
	data, err := json.Marshal(sim.NewLines(s, &full.Call))
	require.NoError(t, err)
	var lines sim.Lines
	require.NoError(t, json.Unmarshal(data, &lines))
	require.Len(t, lines.Turns, len(callLines))
	for i, l := range lines.Turns {
		assert.Equal(t, callLines[i], l.Said)
		assert.Equal(t, full.Call.Turns[i].Reply, l.Reply)
	}
	for _, secret := range []string{s.Version().Source, s.Version().Defaults, `"acts"`, `"cues"`, `"source"`, `"defaults"`} {
		assert.NotContains(t, string(data), secret)
	}
	for _, f := range s.Facts {
		assert.NotContains(t, string(data), f.Label, "hidden fact %s", f.ID)
	}
}
