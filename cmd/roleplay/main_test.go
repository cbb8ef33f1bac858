package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// roleplay runs the command in-process and returns its exit code and output.
func roleplay(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(&env{ctx: context.Background(), stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestEveryCommandHasHelp(t *testing.T) {
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"assess", "calibrate", "check", "classify", "grade", "graph", "load", "play", "serve", "test", "train", "user"}, names)
	for _, n := range names {
		code, out, _ := roleplay(t, "", n, "--help")
		assert.Equal(t, exitOK, code, n)
		assert.Contains(t, out, "Usage: roleplay "+n, n)
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"frobnicate"}, exitUsage},
		{[]string{"check", "--nope"}, exitUsage},
		{[]string{"graph"}, exitUsage},
		{[]string{"graph", "../../sim/testdata/minimal.toml", "--format", "png"}, exitUsage},
		{[]string{"play"}, exitUsage},
		{[]string{"grade"}, exitUsage},
		{[]string{"help"}, exitOK},
	}
	for _, tt := range tests {
		code, _, _ := roleplay(t, "", tt.args...)
		assert.Equal(t, tt.code, code, "roleplay %v", tt.args)
	}
}

func TestCheck(t *testing.T) {
	code, out, _ := roleplay(t, "", "check")
	assert.Equal(t, exitOK, code, "the bundled scenarios are valid")
	assert.GreaterOrEqual(t, strings.Count(out, "ok  "), 5)

	code, out, _ = roleplay(t, "", "check", "../../scenarios")
	assert.Equal(t, exitOK, code, out)

	code, _, errs := roleplay(t, "", "check", "../../sim/scenario/testdata/load/unknown_keys.toml", "../../sim/scenario/testdata/load/bad_acts.toml")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errs, `../../sim/scenario/testdata/load/unknown_keys.toml:16:1: unknown key "repley"; did you mean "reply"?`)
	assert.Contains(t, errs, `../../sim/scenario/testdata/load/bad_acts.toml:14:6: unknown act "pich" (did you mean "pitch"?)`)
	assert.Contains(t, errs, "9 problems")
}

func TestClassifyWritesOneJSONObjectPerLine(t *testing.T) {
	code, out, _ := roleplay(t, "what does that cost you when a truck is late\nour FleetSight dashboard shows every truck\n\n", "classify", "--scenario", "../../sim/testdata/minimal.toml")
	require.Equal(t, exitOK, code)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	var first struct {
		Text string `json:"text"`
		Acts []struct {
			Act        string   `json:"act"`
			Confidence float64  `json:"confidence"`
			Cues       []string `json:"cues"`
			Sentence   string   `json:"sentence"`
		} `json:"acts"`
	}
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	assert.Equal(t, "what does that cost you when a truck is late", first.Text)
	require.NotEmpty(t, first.Acts)
	assert.Equal(t, "implication", first.Acts[0].Act)
	assert.NotEmpty(t, first.Acts[0].Cues)
	assert.InDelta(t, 0.5, first.Acts[0].Confidence, 0.5)
	assert.Contains(t, lines[1], `"act":"pitch"`)
	assert.JSONEq(t, `{"text":"","acts":[]}`, lines[2])
}

func TestPlayScriptAndRegrade(t *testing.T) {
	dir := t.TempDir()
	tr := filepath.Join(dir, "call.json")
	code, out, errs := roleplay(t, "", "play", "--script", "testdata/good.script", "--json", "--transcript", tr, "../../sim/testdata/minimal.toml")
	require.Equal(t, exitOK, code, errs)
	var report map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &report))
	for _, k := range []string{"outcome", "profile", "customer_focus", "self_focus", "turns"} {
		assert.Contains(t, report, k)
	}
	assert.Equal(t, "won", report["outcome"])

	// Re-grading the saved transcript gives the same report, byte for byte.
	code, again, errs := roleplay(t, "", "grade", tr)
	require.Equal(t, exitOK, code, errs)
	assert.Equal(t, out, again)
	code, twice, _ := roleplay(t, "", "grade", tr)
	require.Equal(t, exitOK, code)
	assert.Equal(t, again, twice)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "junk.json"), []byte("{not json"), 0o644))
	code, _, errs = roleplay(t, "", "grade", filepath.Join(dir, "junk.json"))
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errs, "is not a transcript")
}

func TestPlayInteractiveHangsUpOnEmptyLine(t *testing.T) {
	code, out, _ := roleplay(t, "how many trucks do you run\n\n", "play", "--quiet", "../../sim/testdata/minimal.toml")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "We run 140 trucks out of three depots.")
	assert.Contains(t, out, ": open")
}

func TestGraph(t *testing.T) {
	code, out, _ := roleplay(t, "", "graph", "../../sim/testdata/minimal.toml", "--format", "dot")
	require.Equal(t, exitOK, code)
	assert.Contains(t, out, "digraph")
}

func TestCalibrateBundled(t *testing.T) {
	code, out, errs := roleplay(t, "", "calibrate")
	assert.Equal(t, exitOK, code, out+errs)
	assert.NotContains(t, out, "WRONG")
}

func TestGoldenTranscriptsThroughTheCLI(t *testing.T) {
	code, out, _ := roleplay(t, "", "test", "../../scenarios")
	assert.Equal(t, exitOK, code, out)
	assert.Regexp(t, `(?m)^\d+ passed, 0 failed$`, out)
}

// A version-1 transcript is re-read with today's classifier, and grade
// says so; --reclassify says what today's classifier reads differently.
func TestGradeVersion1AndReclassify(t *testing.T) {
	v1 := "../../sim/testdata/transcript/v1.json"
	code, out, errs := roleplay(t, "", "grade", v1)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, errs, "this transcript is version 1")
	want, err := os.ReadFile("../../sim/testdata/transcript/v1-report.json")
	require.NoError(t, err)
	assert.JSONEq(t, string(want), out, "today's classifier reads the old call as the old build did")

	code, out, errs = roleplay(t, "", "grade", "--reclassify", v1)
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "acts: every turn reads as recorded")
	assert.Contains(t, out, "outcome: won -> won\n")

	code, _, errs = roleplay(t, "", "grade", "../../sim/testdata/transcript/v1-old-defaults.json")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errs, "this transcript is version 1, saved by an older build whose built-in defaults differ")
}

// A transcript graded by another engine is re-graded by this build's, and
// grade says that the grade can differ; one graded by this engine is not
// remarked on.
func TestGradeNamesAnOtherEngine(t *testing.T) {
	data, err := os.ReadFile("../../sim/grade/testdata/engine/discovery-freight--good-call.json")
	require.NoError(t, err)
	var tr map[string]any
	require.NoError(t, json.Unmarshal(data, &tr))
	for _, tc := range []struct{ engine, note string }{
		{"2026-01-01.1", "graded by engine 2026-01-01.1; this build's engine is " + sim.Engine},
		{sim.Engine, ""},
	} {
		tr["engine"] = tc.engine
		out, err := json.Marshal(tr)
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "call.json")
		require.NoError(t, os.WriteFile(path, out, 0o644))
		code, stdout, errs := roleplay(t, "", "grade", path)
		require.Equal(t, exitOK, code, errs)
		assert.Contains(t, stdout, `"engine": "`+sim.Engine+`"`)
		if tc.note == "" {
			assert.NotContains(t, errs, "engine", tc.engine)
		} else {
			assert.Contains(t, errs, tc.note)
		}
	}
}
