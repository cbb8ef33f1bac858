package server

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// remove sends DELETE /api/scenarios/id as who: the status and the error.
func (e *trainerEnv) remove(t *testing.T, who, id string) (int, string) {
	t.Helper()
	resp, b := e.do(t, e.cookies[who], "DELETE", "/api/scenarios/"+id, nil)
	if resp.StatusCode == http.StatusNoContent {
		assert.Empty(t, b)
		return resp.StatusCode, ""
	}
	var msg apiError
	require.NoError(t, json.Unmarshal(b, &msg), "a JSON error: %s", b)
	return resp.StatusCode, msg.Error
}

// authored is the ids GET /api/authoring lists.
func (e *trainerEnv) authored(t *testing.T, who string) []string {
	t.Helper()
	resp, b := e.do(t, e.cookies[who], "GET", "/api/authoring", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var all struct {
		Scenarios []authoredScenario `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal(b, &all))
	var out []string
	for _, a := range all.Scenarios {
		out = append(out, a.ID)
	}
	return out
}

// A scenario uploaded by mistake is removed: every upload of it leaves
// the authoring page and the picker at once, and the calls played on it
// keep their report, transcript and review, and re-grade as before.
func TestRemoveScenario(t *testing.T) {
	e := newTrainerEnv(t)
	_, v1 := e.upload(t, "coach", "", clinicAs(t, "mistake"))
	e.publish(t, "coach", "mistake", v1.Version)
	_, v2 := e.upload(t, "coach", "", withOpening(clinicAs(t, "mistake"), "A second draft."))
	ana := e.dialAs(t, "ana")
	played := ana.startOn("mistake", "")
	require.Equal(t, "started", played.Type, "%v", played.Raw)
	for _, l := range goodCall[:3] {
		ana.say(l)
	}
	ana.send(map[string]string{"type": "end"})
	report := ana.expect("report")
	require.Equal(t, []string{"clinic", "mistake"}, e.listed(t, "ana"))

	status, msg := e.remove(t, "coach", "mistake")
	require.Equal(t, http.StatusNoContent, status, msg)
	assert.Equal(t, []string{"clinic"}, e.listed(t, "ana"), "gone from the trainees' picker")
	assert.Equal(t, []string{"clinic"}, e.listed(t, "coach"), "and from the trainer's")
	assert.Equal(t, []string{"clinic"}, e.authored(t, "root"), "and from the authoring page")
	recs, err := e.store.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Empty(t, recs)
	for _, v := range []string{"", v1.Version, v2.Version} {
		m := e.dialAs(t, "coach").startOn("mistake", v)
		assert.Equal(t, "unknown_scenario", m.Code, "no call starts on it: %q", v)
	}

	// The call played on it is as it was.
	bearer := "Bearer " + played.Token
	resp, b := e.do(t, nil, "GET", "/api/calls/"+played.Call+"/report", nil, "Authorization", bearer)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	var got sim.Report
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, report.Report.Score, got.Score)
	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/calls/"+played.Call+"/review", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the trainer reviews it: %s", b)
	resp, b = e.do(t, nil, "GET", "/api/calls/"+played.Call+"/transcript", nil, "Authorization", bearer)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	f, err := scenario.ReadTranscript(b, nil)
	require.NoError(t, err, "the transcript reads back with its scenario")
	assert.Equal(t, v1.Version, f.Scenario.Hash)
	conv, err := sim.Replay(f.Scenario, nil, &f.Transcript.Call)
	require.NoError(t, err)
	assert.Equal(t, got.Score, grade.Grade(conv).Score, "and re-grades as graded")

	// Uploaded again, it is a new scenario: version 1, a draft.
	status, up := e.upload(t, "coach", "", clinicAs(t, "mistake"))
	require.Equal(t, http.StatusCreated, status, up.Error)
	assert.Equal(t, 1, up.N)
	assert.Equal(t, []string{"clinic", "mistake (draft)"}, e.listed(t, "coach"))
}

// Only uploads are removed: an upload of a file's scenario is, and the
// file's version is served again; the file itself, an id never uploaded,
// and a scenario an assessment uses are refused, each saying why.
func TestRemoveScenarioRefusals(t *testing.T) {
	e := newTrainerEnv(t)
	_, over := e.upload(t, "coach", "", withOpening(clinicAs(t, "clinic"), "An upload over the file."))
	e.publish(t, "coach", "clinic", over.Version)
	status, msg := e.remove(t, "root", "clinic")
	require.Equal(t, http.StatusNoContent, status, msg)
	m := e.dialAs(t, "ana").startOn("clinic", "")
	assert.Equal(t, clinicOpening, m.Opening, "the file's version is served again")
	assert.Equal(t, []string{"clinic"}, e.authored(t, "coach"), "the file's scenario stays")

	_, assessed := e.upload(t, "coach", "", clinicAs(t, "assessed"))
	resp, b := e.do(t, e.cookies["coach"], "POST", "/api/assessments", map[string]any{"scenario": "assessed", "time_limit": "20m", "candidates": 1})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var made CreatedAssessment
	require.NoError(t, json.Unmarshal(b, &made))
	day := made.Assessment.Created.Format(time.DateOnly)

	for _, tt := range []struct {
		who, id string
		status  int
		msg     string
	}{
		{"coach", "clinic", http.StatusConflict, `"clinic" comes with the server (the file clinic.toml), it was not uploaded: only uploaded scenarios can be removed here`},
		{"coach", "nope", http.StatusNotFound, `no scenario "nope" was uploaded`},
		{"coach", "assessed", http.StatusConflict, `"assessed" is used by the assessment created ` + day + ` by coach (` + short(made.Assessment.ID) + `): a scenario cannot be removed while an assessment uses it`},
		{"root", "assessed", http.StatusConflict, `"assessed" is used by the assessment created ` + day + ` by coach (` + short(made.Assessment.ID) + `): a scenario cannot be removed while an assessment uses it`},
		// Another team's assessment is not named, as its pages tell nothing of it.
		{"south-coach", "assessed", http.StatusConflict, `"assessed" is used by an assessment of another team: a scenario cannot be removed while an assessment uses it`},
	} {
		status, msg := e.remove(t, tt.who, tt.id)
		assert.Equal(t, tt.status, status, "%s removes %s", tt.who, tt.id)
		assert.Equal(t, tt.msg, msg, "%s removes %s", tt.who, tt.id)
	}
	assert.Equal(t, []string{"clinic", "assessed"}, e.authored(t, "coach"), "nothing refused was removed")
	recs, err := e.store.UploadedScenarios(ctx)
	require.NoError(t, err)
	require.Len(t, recs, 1)
	assert.Equal(t, assessed.Version, recs[0].Uploads[0].Hash)
}
