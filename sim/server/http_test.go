package server

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	return getWith(t, url, "")
}

// getWith GETs url with the header Authorization: auth (none when "").
func getWith(t *testing.T, url, auth string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, body
}

func TestHealthAndScenarios(t *testing.T) {
	e := newEnv(t)

	resp, body := get(t, e.ts.URL+"/healthz")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"status":"ok","scenarios":1}`, string(body))

	resp, body = get(t, e.ts.URL+"/api/scenarios")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "application/json")
	assert.JSONEq(t, `[{
		"id": "clinic",
		"title": "Scheduling software for a dental clinic",
		"difficulty": "beginner",
		"skills": ["discovery", "SPIN questions"],
		"brief": "Maya manages Bright Smile Dental, six dentists in two offices. You sell BookWell, online booking with reminders.",
		"customer": {"name": "Maya Chen", "role": "Practice Manager", "company": "Bright Smile Dental", "industry": "healthcare"},
		"product": {"name": "BookWell", "company": "Calendra"},
		"version": "`+e.sc.Hash+`"
	}]`, string(body))

	resp, body = get(t, e.ts.URL+"/")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "<title>Role-play</title>")

	resp, body = get(t, e.ts.URL+"/api/nothing")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.JSONEq(t, `{"error":"no such API endpoint"}`, string(body))
}

func TestReportAndTranscriptAfterACall(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")
	st := c.start("")
	for _, line := range goodCall[:3] {
		c.say(line)
	}
	c.send(map[string]any{"type": "end"})
	m := c.expect("report")
	bearer := "Bearer " + st.Token

	resp, body := getWith(t, e.ts.URL+m.ReportURL, bearer)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	var rep sim.Report
	require.NoError(t, json.Unmarshal(body, &rep))
	assert.Equal(t, "clinic", rep.Scenario)
	assert.Equal(t, 3, rep.Turns)
	assert.Equal(t, m.Report.Score, rep.Score)

	resp, body = getWith(t, e.ts.URL+m.TranscriptURL, bearer)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", body)
	assert.Equal(t, `attachment; filename="clinic-`+st.Call+`.json"`, resp.Header.Get("Content-Disposition"))
	var tr sim.Transcript
	require.NoError(t, json.Unmarshal(body, &tr))
	assert.Equal(t, sim.TranscriptVersion, tr.Version)
	require.Len(t, tr.Call.Turns, 3)
	assert.Equal(t, sim.EndedByTrainee, tr.Call.End)
	for i, l := range tr.Call.Turns {
		assert.Equal(t, goodCall[i], l.Said)
		assert.NotEmpty(t, l.Reply)
		assert.NotEmpty(t, l.Acts)
		assert.NotEmpty(t, l.Reader)
		assert.False(t, l.At.IsZero())
	}

	// The transcript alone rebuilds the call and its report, byte for byte.
	f, err := scenario.ReadTranscript(body, nil)
	require.NoError(t, err)
	conv, err := sim.Replay(f.Scenario, nil, &f.Transcript.Call)
	require.NoError(t, err)
	again, err := json.Marshal(grade.Grade(conv))
	require.NoError(t, err)
	first, err := json.Marshal(&rep)
	require.NoError(t, err)
	assert.JSONEq(t, string(first), string(again))
}

func TestUnknownCallsAre404(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{
		"/api/calls/00112233445566778899aabbccddeeff/report",
		"/api/calls/00112233445566778899aabbccddeeff/transcript",
		"/api/calls/not-an-id/report",
		"/api/calls/00112233445566778899aabbccddeeff/transcript/more",
	} {
		resp, body := getWith(t, e.ts.URL+path, "Bearer some-token")
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
		assert.Contains(t, resp.Header.Get("Content-Type"), "application/json", path)
		var out struct{ Error string }
		assert.NoError(t, json.Unmarshal(body, &out), "%s: %s", path, body)
		assert.NotEmpty(t, out.Error, path)
	}
}
