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

// classify --export-corrections prints the corrected lines of the store
// serve uses, in the corpus format, and reads no input.
func TestClassifyExportCorrections(t *testing.T) {
	db := filepath.Join(t.TempDir(), "roleplay.db")
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, store.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1", ID: "fleet"}))
	for _, id := range []string{"c1", "c2"} {
		require.NoError(t, store.CreateCall(ctx, &sim.Call{ID: id, Scenario: "fleet", Version: "h1", Mode: sim.Training, Started: at}))
	}
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
	} {
		code, _, errs := roleplay(t, "", tc.args...)
		assert.Equal(t, exitUsage, code, tc.args)
		assert.Contains(t, errs, tc.want)
	}
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
