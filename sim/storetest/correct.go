package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// The rules for corrected turns (sim/correct.go): a turn played again as
// the trainee meant it replaces the last stored turn of a call in progress.
var correctRules = []struct {
	rule string
	test func(t *testing.T, s sim.Store)
}{
	{"a corrected turn replaces the last turn and reads back exact", correctionRoundTrip},
	{"only the last turn of a call in progress is replaced", onlyLastTurnReplaced},
	{"an unfit corrected turn is invalid and not stored", invalidCorrection},
	{"a turn appended with its correction reads back exact", appendedCorrection},
	{"the list of calls counts the corrected turns", correctionsCounted},
	{"a correction racing the next turn never overwrites it", correctionRacesNextTurn},
}

// corrected is turn n played again as a problem question, where the
// classifier read it as turn(n) has it, corrected in a zone that is not UTC.
func corrected(n int) sim.TurnRecord {
	read := turn(n)
	t := read
	t.Acts = []sim.Detection{{Act: sim.Problem, Confidence: 1, Cues: []string{}, Sentence: read.Said, Question: true}}
	t.Reply = "Late trucks, mostly.\n«Bien sûr»"
	t.Override = &sim.Override{Read: read.Acts, By: "ana@example.com", At: read.At.Add(1500 * time.Millisecond)}
	return t
}

// wantCorrected is c as a store returns it, overrides' times in UTC too.
func wantCorrected(c *sim.Call) *sim.Call {
	out := want(c)
	for i, tr := range out.Turns {
		if tr.Override != nil {
			o := *tr.Override
			o.At = o.At.UTC()
			out.Turns[i].Override = &o
		}
	}
	return out
}

func correctionRoundTrip(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(1)))
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(2)))
	require.NoError(t, s.ReplaceLastTurn(ctx, "c1", corrected(2)))
	c.Turns = []sim.TurnRecord{turn(1), corrected(2)}
	assertSameCall(t, wantCorrected(c), get(t, s, "c1"))

	// Corrected again: the newest correction is kept; then the call goes on.
	again := corrected(2)
	again.Acts = []sim.Detection{{Act: sim.Implication, Confidence: 1, Cues: []string{}, Sentence: again.Said}}
	again.Override.At = again.Override.At.Add(time.Second)
	require.NoError(t, s.ReplaceLastTurn(ctx, "c1", again))
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(3)))
	c.Turns = []sim.TurnRecord{turn(1), again, turn(3)}
	got := get(t, s, "c1")
	assertSameCall(t, wantCorrected(c), got)
	assert.Equal(t, time.UTC, got.Turns[1].Override.At.Location())
}

func onlyLastTurnReplaced(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	assertCode(t, sim.EConflict, s.ReplaceLastTurn(ctx, "c1", corrected(1)), "turn 1 with none stored")
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(1)))
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(2)))
	for _, tc := range []struct {
		name string
		n    int
	}{
		{"turn 1 before the last", 1},
		{"turn 3, not stored", 3},
		{"turn 1000", 1000},
	} {
		assertCode(t, sim.EConflict, s.ReplaceLastTurn(ctx, "c1", corrected(tc.n)), tc.name)
	}
	assertCode(t, sim.ENotFound, s.ReplaceLastTurn(ctx, "nope", corrected(1)), "no such call")
	c.Turns = []sim.TurnRecord{turn(1), turn(2)}
	assertSameCall(t, want(c), get(t, s, "c1"))

	require.NoError(t, s.EndCall(ctx, "c1", 2, sim.EndedByTrainee, time.Date(2026, 3, 29, 3, 0, 0, 0, zone), nil))
	assertCode(t, sim.EConflict, s.ReplaceLastTurn(ctx, "c1", corrected(2)), "after the end")
	assert.Nil(t, get(t, s, "c1").Turns[1].Override, "the ended call's last turn is as read")
}

func invalidCorrection(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(1)))
	for _, tc := range []struct {
		name   string
		change func(tr *sim.TurnRecord)
	}{
		{"turn 0", func(tr *sim.TurnRecord) { tr.N = 0 }},
		{"no acts meant", func(tr *sim.TurnRecord) { tr.Acts = nil }},
		{"unclear meant", func(tr *sim.TurnRecord) { tr.Acts = []sim.Detection{{Act: sim.Unclear}} }},
		{"no correction time", func(tr *sim.TurnRecord) { tr.Override.At = time.Time{} }},
		{"a NUL character", func(tr *sim.TurnRecord) { tr.Said = "hello\x00there" }},
	} {
		tr := corrected(1)
		tc.change(&tr)
		assertCode(t, sim.EInvalid, s.ReplaceLastTurn(ctx, "c1", tr), tc.name)
	}
	c.Turns = []sim.TurnRecord{turn(1)}
	assertSameCall(t, want(c), get(t, s, "c1"))
}

func appendedCorrection(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	require.NoError(t, s.AppendTurn(ctx, "c1", corrected(1)))
	c.Turns = []sim.TurnRecord{corrected(1)}
	assertSameCall(t, wantCorrected(c), get(t, s, "c1"))
}

func correctionsCounted(t *testing.T, s sim.Store) {
	stored(t, s, "c1")
	require.NoError(t, s.CreateCall(ctx, newCall("c2", "h1")))
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(1)))
	require.NoError(t, s.ReplaceLastTurn(ctx, "c1", corrected(1)))
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(2)))
	require.NoError(t, s.ReplaceLastTurn(ctx, "c1", corrected(2)))
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(3)))
	require.NoError(t, s.AppendTurn(ctx, "c2", turn(1)))
	got, err := s.ListCalls(ctx, sim.CallFilter{Everyone: true})
	require.NoError(t, err)
	counts := map[string][2]int{}
	for _, c := range got {
		counts[c.ID] = [2]int{c.TurnCount, c.Corrections}
	}
	assert.Equal(t, map[string][2]int{"c1": {3, 2}, "c2": {1, 0}}, counts, "turns, corrections")
}

// A correction of turn n and turn n+1 race: whichever order the store
// takes them in, turn n+1 is stored, and turn n is corrected only if the
// correction came first (after that, n is no longer the last turn).
func correctionRacesNextTurn(t *testing.T, s sim.Store) {
	stored(t, s, "c1")
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(1)))
	var wg sync.WaitGroup
	var fix, next error
	wg.Add(2)
	go func() { defer wg.Done(); fix = s.ReplaceLastTurn(ctx, "c1", corrected(1)) }()
	go func() { defer wg.Done(); next = s.AppendTurn(ctx, "c1", turn(2)) }()
	wg.Wait()
	require.NoError(t, next)
	got := get(t, s, "c1")
	require.Len(t, got.Turns, 2)
	if fix != nil {
		assertCode(t, sim.EConflict, fix)
		assert.Nil(t, got.Turns[0].Override)
	} else {
		assert.NotNil(t, got.Turns[0].Override)
	}
	assert.Nil(t, got.Turns[1].Override)
}
