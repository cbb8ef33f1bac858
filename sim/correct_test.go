package sim_test

import (
	"encoding/json"
	"flag"
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

var rewrite = flag.Bool("rewrite", false, "rewrite golden files under testdata/ (read the diff before committing)")

func TestCheckMeant(t *testing.T) {
	for _, tc := range []struct {
		name string
		acts []sim.Act
		want string // "" valid
	}{
		{"one act", []sim.Act{sim.Problem}, ""},
		{"two acts", []sim.Act{sim.Problem, sim.Pitch}, ""},
		{"small talk", []sim.Act{sim.Other}, ""},
		{"none", nil, "say what you meant: choose at least one act"},
		{"unclear", []sim.Act{sim.Unclear}, `"unclear" is not something a line can mean; choose the act you meant`},
		{"twice", []sim.Act{sim.Pitch, sim.Pitch}, "pitch is chosen twice"},
		{"out of range", []sim.Act{sim.NumActs}, "act(19) is not an act"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := sim.CheckMeant(tc.acts)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, sim.EInvalid, sim.ErrorCodeOf(err))
			assert.Equal(t, tc.want, sim.ErrorMessage(err))
		})
	}
}

func TestMeant(t *testing.T) {
	conc := sim.Detection{Act: sim.Concession, Confidence: 0.7, Cues: []string{"% off"}, Sentence: "I can take 10% off", Conditional: true, Percent: 10}
	for _, tc := range []struct {
		name string
		said string
		read []sim.Detection
		acts []sim.Act
		want []sim.Detection
	}{
		{
			"a new act is the whole line, sure, without cues",
			"what keeps you up at night",
			[]sim.Detection{{Act: sim.Other, Confidence: 0.4, Cues: []string{"night"}, Sentence: "what keeps you up at night", Question: true}},
			[]sim.Act{sim.Problem},
			[]sim.Detection{{Act: sim.Problem, Confidence: 1, Cues: []string{}, Sentence: "what keeps you up at night", Question: true}},
		},
		{
			"a question mark makes it a question",
			"and the budget?",
			[]sim.Detection{{Act: sim.Other, Sentence: "and the budget?"}},
			[]sim.Act{sim.QualifyBudget},
			[]sim.Detection{{Act: sim.QualifyBudget, Confidence: 1, Cues: []string{}, Sentence: "and the budget?", Question: true}},
		},
		{
			"an act read already keeps its detection",
			"I can take 10% off. Our app syncs.",
			[]sim.Detection{conc, {Act: sim.Dismissive, Sentence: "Our app syncs."}},
			[]sim.Act{sim.Concession, sim.Pitch},
			[]sim.Detection{conc, {Act: sim.Pitch, Confidence: 1, Cues: []string{}, Sentence: "I can take 10% off. Our app syncs."}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, sim.Meant(tc.said, tc.read, tc.acts))
		})
	}
}

// A turn with an override must have been played as something a line can mean.
func TestTurnRecordCheckOverride(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ok := sim.TurnRecord{N: 1, Said: "hi", At: at, Acts: []sim.Detection{{Act: sim.Problem}},
		Override: &sim.Override{Read: []sim.Detection{{Act: sim.Other}}, At: at}}
	require.NoError(t, ok.Check())
	for _, tc := range []struct {
		name string
		edit func(r *sim.TurnRecord)
		want string
	}{
		{"no acts meant", func(r *sim.TurnRecord) { r.Acts = nil }, "say what you meant: choose at least one act"},
		{"unclear meant", func(r *sim.TurnRecord) { r.Acts = []sim.Detection{{Act: sim.Unclear}} }, `"unclear" is not something a line can mean; choose the act you meant`},
		{"no time", func(r *sim.TurnRecord) { r.Override = &sim.Override{} }, "the correction time is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			tc.edit(&r)
			err := r.Check()
			assert.Equal(t, sim.EInvalid, sim.ErrorCodeOf(err))
			assert.Equal(t, tc.want, sim.ErrorMessage(err))
		})
	}
}

// correctedCall records callLines, then corrects the last line as the
// server does: the turns before it replayed, the line played as meant.
func correctedCall(t *testing.T, s *sim.Scenario, meant ...sim.Act) (sim.Call, *sim.Conversation) {
	t.Helper()
	tr, _ := record(t, s)
	call := tr.Call
	call.End, call.Ended = "", time.Time{}
	last := call.Turns[len(call.Turns)-1]
	before := call
	before.Turns = call.Turns[:len(call.Turns)-1]
	conv, err := sim.Replay(s, classify.Default(), &before)
	require.NoError(t, err)
	turn, err := conv.Correct(last.Said, sim.Meant(last.Said, last.Acts, meant), last.Acts)
	require.NoError(t, err)
	rec := conv.Record(turn, last.At)
	rec.Override.At, rec.Override.By = last.At.Add(time.Second), "ana"
	call.Turns[len(call.Turns)-1] = rec
	conv.Hangup()
	call.End, call.Ended = conv.Ending(), last.At.Add(time.Hour)
	return call, conv
}

// A corrected call re-grades byte for byte from its transcript, whatever
// the classifier: the meant acts are played, and the report marks the turn
// with both readings. The transcript is testdata/transcript/corrected.json
// (recorded once, with -rewrite), so the report's golden does not depend on
// today's classifier.
func TestCorrectedCallRegrades(t *testing.T) {
	const file = "testdata/transcript/corrected.json"
	if *rewrite {
		s := loadMinimal(t)
		call, _ := correctedCall(t, s, sim.Problem)
		data, err := json.MarshalIndent(sim.NewTranscript(s, &call), "", "  ")
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(file, append(data, '\n'), 0o644))
	}
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	var reports []string
	for _, r := range []sim.Reader{nonsense{}, classify.Default()} {
		f, err := scenario.ReadTranscript(data, r)
		require.NoError(t, err)
		assert.Empty(t, f.Notes)
		conv, err := sim.Replay(f.Scenario, r, &f.Transcript.Call)
		require.NoError(t, err)
		rep := grade.Grade(conv)
		b, err := json.Marshal(rep)
		require.NoError(t, err)
		reports = append(reports, string(b))

		last := f.Transcript.Call.Turns[len(f.Transcript.Call.Turns)-1]
		require.NotNil(t, last.Override)
		assert.Equal(t, "ana", last.Override.By)
		require.Len(t, rep.Corrections, 1)
		c := rep.Corrections[0]
		assert.Equal(t, last.N, c.Turn)
		assert.Equal(t, []sim.Act{sim.Problem}, c.Meant)
		assert.NotEqual(t, c.Meant, c.Read)
		assert.Equal(t, last.Override.Read, rep.Transcript[c.Turn-1].Read)
		golden(t, "testdata/transcript/corrected-report.txt", rep.Text())
	}
	assert.Equal(t, reports[0], reports[1], "the same report, whatever reads the lines")
}

// A call corrected as the server corrects it grades the same live and
// replayed from its record.
func TestCorrectedCallReplaysAsPlayed(t *testing.T) {
	s := loadMinimal(t)
	call, conv := correctedCall(t, s, sim.Problem)
	want, err := json.Marshal(grade.Grade(conv))
	require.NoError(t, err)
	replayed, err := sim.Replay(s, nonsense{}, &call)
	require.NoError(t, err)
	got, err := json.Marshal(grade.Grade(replayed))
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Contains(t, string(got), `"corrections"`)
}

// A report with no corrections has no corrections field, so the reports
// of calls stored before corrections existed read the same.
func TestUncorrectedReportHasNoCorrections(t *testing.T) {
	_, rep := record(t, loadMinimal(t))
	assert.NotContains(t, string(rep), "corrections")
	assert.NotContains(t, string(rep), `"read"`)
}

// golden compares got with the file, or rewrites the file under -rewrite.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *rewrite {
		require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "missing golden file; run go test ./sim -rewrite and read it")
	assert.Equal(t, string(want), got, "differs from %s; run go test ./sim -rewrite and read the diff", file)
}

// The corrections export is the corpus format, one line per corrected
// turn, with what was read in a comment above it.
func TestWriteCorrections(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	read := []sim.Detection{{Act: sim.Other, Sentence: "x"}}
	turn := func(n int, said string, acts ...sim.Detection) sim.TurnRecord {
		return sim.TurnRecord{N: n, Said: said, Acts: acts, Reader: "classifier/9", At: at,
			Override: &sim.Override{Read: read, At: at}}
	}
	calls := []*sim.Call{
		{ID: "c1", Scenario: "fleet", Turns: []sim.TurnRecord{
			{N: 1, Said: "hello", Acts: read, At: at}, // as read: not exported
			turn(2, "lovely\tweather,\nisn't it", sim.Detection{Act: sim.Problem}),
			turn(3, "if you sign today I take 10% off", sim.Detection{Act: sim.Concession, Conditional: true}, sim.Detection{Act: sim.Close}),
		}},
		{ID: "c2", Scenario: "clinic", Turns: []sim.TurnRecord{
			turn(1, "lovely  weather, isn't it", sim.Detection{Act: sim.Problem}), // the same as c1's turn 2
			turn(2, "so what does that cost you", sim.Detection{Act: sim.Implication}, sim.Detection{Act: sim.Implication}),
		}},
	}
	calls[1].Turns[1].Reader = ""
	var b strings.Builder
	n, err := sim.WriteCorrections(&b, calls)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	golden(t, "testdata/corrections.txt", b.String())
	for _, line := range strings.Split(b.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		labels, text, ok := strings.Cut(line, "\t")
		require.True(t, ok, line)
		assert.NotContains(t, text, "\t")
		for _, l := range strings.Split(labels, ",") {
			name, _, _ := strings.Cut(l, "+")
			_, err := sim.ParseAct(name)
			assert.NoError(t, err, line)
		}
	}

	b.Reset()
	n, err = sim.WriteCorrections(&b, nil)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.Contains(t, b.String(), "# 0 lines from 0 calls.")
}
