package sim_test

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		"ana":               "ana",
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1+2":              "'+1+2",
		"-2+3":              "'-2+3",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"\rx":               "'\rx",
		"-5":                "-5",
		"12":                "12",
		"3.5":               "3.5",
		"a=b":               "a=b",
	} {
		assert.Equal(t, want, sim.CSVCell(in), "%q", in)
	}
}

func TestWriteCSV(t *testing.T) {
	start := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	calls := []sim.CallSummary{
		{Call: sim.Call{ID: "c1", Trainee: "=cmd|' /C calc'!A0", Scenario: "fleet", Version: "h1", Mode: sim.Training,
			Started: start, Ended: start.Add(90 * time.Second), End: sim.EndedByCustomer,
			Report: &sim.Report{Outcome: sim.Won, Profile: sim.Balanced, CustomerFocus: 70, SelfFocus: 60, Score: 65, Passed: true,
				CustomerFocusParts: []sim.ScorePart{{Name: "discovery", Points: 30}, {Name: "early pitch", Points: -5}},
				SelfFocusParts:     []sim.ScorePart{{Name: "next step", Points: 20}}}},
			TurnCount: 4, Corrections: 2},
		{Call: sim.Call{ID: "c2", Trainee: "bo, \"the\" seller\nline two", Scenario: "fleet", Version: "h1", Mode: sim.AssessmentMode, Started: start},
			TurnCount: 1},
	}
	var b strings.Builder
	require.NoError(t, sim.WriteCSV(&b, calls))
	assert.Contains(t, b.String(), "\r\n", "RFC 4180 line ends")
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"call", "trainee", "scenario", "version", "mode", "started", "duration_seconds", "turns", "corrections",
		"outcome", "profile", "customer_focus", "self_focus", "score", "passed",
		"customer_focus:discovery", "customer_focus:early pitch", "self_focus:next step"}, rows[0])
	assert.Equal(t, []string{"c1", "'=cmd|' /C calc'!A0", "fleet", "h1", "training", "2026-03-01T09:00:00Z", "90", "4", "2",
		"won", "balanced", "70", "60", "65", "true", "30", "-5", "20"}, rows[1])
	assert.Equal(t, []string{"c2", "bo, \"the\" seller\nline two", "fleet", "h1", "assessment", "2026-03-01T09:00:00Z", "", "1", "0",
		"unfinished", "", "", "", "", "", "", "", ""}, rows[2])
}
