package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

var ctx = context.Background()

// exportStore is a SQLite store with training calls ids on one scenario
// version, started at the time it returns.
func exportStore(t *testing.T, ids ...string) (string, *sqlite.DB, time.Time) {
	t.Helper()
	db := filepath.Join(t.TempDir(), "roleplay.db")
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, store.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1", ID: "fleet"}))
	for _, id := range ids {
		require.NoError(t, store.CreateCall(ctx, &sim.Call{ID: id, Scenario: "fleet", Version: "h1", Mode: sim.Training, Started: at}))
	}
	return db, store, at
}

// classify --export-corrections prints the corrected lines of the store
// serve uses, in the corpus format, and reads no input.
func TestClassifyExportCorrections(t *testing.T) {
	db, store, at := exportStore(t, "c1", "c2")
	read := []sim.Detection{{Act: sim.Other, Sentence: "lovely weather"}}
	turn := sim.TurnRecord{N: 1, Said: "lovely weather", Acts: read, Reader: "classifier/9", At: at}
	require.NoError(t, store.AppendTurn(ctx, "c1", turn))
	require.NoError(t, store.AppendTurn(ctx, "c2", turn))
	fixed := turn
	fixed.Acts = []sim.Detection{{Act: sim.Problem, Confidence: 1, Sentence: turn.Said}}
	fixed.Override = &sim.Override{Read: read, By: "ana", At: at.Add(time.Second)}
	require.NoError(t, store.ReplaceLastTurn(ctx, "c1", fixed))
	require.NoError(t, store.Close())

	code, out, errs := roleplay(t, "this is not read\n", "classify", "--export-corrections", "--db", db)
	require.Equal(t, exitOK, code, errs)
	assert.True(t, strings.HasPrefix(out, "# Corrected readings"), out)
	assert.Contains(t, out, "# call c1 (fleet) turn 1: classifier/9 read other\nproblem\tlovely weather\n")
	assert.NotContains(t, out, "c2")
	assert.Equal(t, "roleplay: 1 line corrected, from 1 call\n", errs)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"classify", "--db", db}, "--db is for --export-corrections"},
		{[]string{"classify", "--export-corrections", "--scenario", "fleet", "--db", db}, "takes no --scenario"},
		{[]string{"classify", "--export-unsure", "--scenario", "fleet", "--db", db}, "takes no --scenario"},
		{[]string{"classify", "--export-unsure", "--export-corrections", "--db", db}, "not both"},
	} {
		code, _, errs := roleplay(t, "", tc.args...)
		assert.Equal(t, exitUsage, code, tc.args)
		assert.Contains(t, errs, tc.want)
	}
}

// classify --export-unsure prints the sentences read as unclear in turns no
// one corrected, labelled "unclear" for a person to relabel.
func TestClassifyExportUnsure(t *testing.T) {
	db, store, at := exportStore(t, "c1", "c2", "c3")
	said := "hi. whats the story with the yard"
	unsure := []sim.Detection{
		{Act: sim.Other, Confidence: 0.9, Cues: []string{"hi"}, Sentence: "hi."},
		{Act: sim.Unclear, Confidence: 0.7, Cues: []string{"story", "yard"}, Sentence: "whats the story with the yard"},
	}
	turn := sim.TurnRecord{N: 1, Said: said, Acts: unsure, Reader: "classifier/9", At: at}
	require.NoError(t, store.AppendTurn(ctx, "c1", turn))
	require.NoError(t, store.AppendTurn(ctx, "c2", turn)) // the same sentence again: written once
	sure := sim.TurnRecord{N: 1, Said: "how many trucks", Acts: []sim.Detection{{Act: sim.Situation, Confidence: 1, Sentence: "how many trucks"}}, Reader: "classifier/9", At: at}
	require.NoError(t, store.AppendTurn(ctx, "c3", sure))
	require.NoError(t, store.CreateCall(ctx, &sim.Call{ID: "c4", Scenario: "fleet", Version: "h1", Mode: sim.Training, Started: at}))
	corrected := sim.TurnRecord{N: 1, Said: "and the vans", Acts: []sim.Detection{{Act: sim.Unclear, Sentence: "and the vans"}}, Reader: "classifier/9", At: at}
	require.NoError(t, store.AppendTurn(ctx, "c4", corrected))
	meant := corrected
	meant.Acts = []sim.Detection{{Act: sim.Situation, Confidence: 1, Sentence: "and the vans"}}
	meant.Override = &sim.Override{Read: corrected.Acts, By: "ana", At: at.Add(time.Second)}
	require.NoError(t, store.ReplaceLastTurn(ctx, "c4", meant)) // labelled by the trainee already
	require.NoError(t, store.Close())

	code, out, errs := roleplay(t, "", "classify", "--export-unsure", "--db", db)
	require.Equal(t, exitOK, code, errs)
	assert.True(t, strings.HasPrefix(out, "# Unsure readings"), out)
	assert.Contains(t, out, "# call c1 (fleet) turn 1: classifier/9 was unsure; its best guess rested on \"story\", \"yard\"\nunclear\twhats the story with the yard\n")
	assert.Equal(t, 1, strings.Count(out, "unclear\t"), out)
	assert.NotContains(t, out, "how many trucks")
	assert.NotContains(t, out, "hi.")
	assert.NotContains(t, out, "vans", "a corrected turn is labelled already")
	assert.Equal(t, "roleplay: 1 sentence to label, from 2 calls\n", errs)
}

// grade re-grades a transcript with a corrected turn byte for byte, and
// the report marks the turn.
func TestGradeCorrectedTranscript(t *testing.T) {
	const file = "../../sim/testdata/transcript/corrected.json"
	code, first, errs := roleplay(t, "", "grade", file)
	require.Equal(t, exitOK, code, errs)
	assert.Empty(t, errs, "graded by this build's engine")
	assert.Contains(t, first, `"corrections"`)
	_, again, _ := roleplay(t, "", "grade", file)
	assert.Equal(t, first, again, "the same bytes")

	code, text, errs := roleplay(t, "", "grade", "--text", file)
	require.Equal(t, exitOK, code, errs)
	want, err := os.ReadFile("../../sim/testdata/transcript/corrected-report.txt")
	require.NoError(t, err)
	assert.Equal(t, string(want), text)
	assert.Contains(t, text, "corrected by the trainee")
}
