package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// correctedCall plays lines as trainee, corrects the last one as meant,
// and stores the call ended, as the server would.
func (e *trainerEnv) correctedCall(t *testing.T, trainee string, lines []string, meant ...sim.Act) string {
	t.Helper()
	c, _, err := e.srv.startCall(e.sc, sim.Training, trainee, e.srv.now(), nil)
	require.NoError(t, err)
	for _, l := range lines {
		_, err := e.srv.turn(c, l, e.srv.now(), nil)
		require.NoError(t, err)
	}
	_, err = e.srv.correct(c, meant, trainee, e.srv.now())
	require.NoError(t, err)
	_, err = e.srv.end(c, sim.EndedByTrainee, e.srv.now())
	require.NoError(t, err)
	return c.id()
}

// The trainer's review shows corrected turns (read and meant), the list
// and its CSV count them, and /api/corrections exports the lines of the
// calls the viewer may see.
func TestCorrectionsReviewedAndExported(t *testing.T) {
	e := newTrainerEnv(t)
	anaCall := e.correctedCall(t, "ana", []string{goodCall[0], smallTalk}, sim.Problem)
	e.correctedCall(t, "bo", []string{"Bo here. Nice day for it, isn't it?"}, sim.Empathy)

	resp, b := e.do(t, e.cookies["coach"], "GET", "/api/calls/"+anaCall+"/review", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	var rev struct {
		Call   callListing      `json:"call"`
		Report *sim.Report      `json:"report"`
		Turns  []sim.TurnRecord `json:"turns"`
	}
	require.NoError(t, json.Unmarshal(b, &rev))
	assert.Equal(t, 1, rev.Call.Corrections)
	require.Len(t, rev.Turns, 2)
	require.NotNil(t, rev.Turns[1].Override)
	assert.Equal(t, sim.Other, rev.Turns[1].Override.Read[0].Act, "what was read")
	assert.Equal(t, sim.Problem, rev.Turns[1].Acts[0].Act, "what was meant")
	assert.Equal(t, "ana", rev.Turns[1].Override.By)
	require.NotNil(t, rev.Report)
	assert.Equal(t, []sim.Correction{{Turn: 2, Said: smallTalk, Read: []sim.Act{sim.Other}, Meant: []sim.Act{sim.Problem}}}, rev.Report.Corrections)

	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/calls?trainee=ana&format=csv", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	require.NoError(t, err)
	col := -1
	for i, name := range rows[0] {
		if name == "corrections" {
			col = i
		}
	}
	require.GreaterOrEqual(t, col, 0, "a corrections column: %v", rows[0])
	counts := map[string]string{}
	for _, r := range rows[1:] {
		counts[r[0]] = r[col]
	}
	assert.Equal(t, map[string]string{e.calls["ana"]: "0", e.calls["ana2"]: "0", anaCall: "1"}, counts)

	for _, tc := range []struct {
		who, path string
		want      []string // the lines exported, but for comments
	}{
		{"root", "/api/corrections", []string{"problem\t" + smallTalk, "empathy\tBo here. Nice day for it, isn't it?"}},
		{"coach", "/api/corrections", []string{"problem\t" + smallTalk}},
		{"south-coach", "/api/corrections", []string{"empathy\tBo here. Nice day for it, isn't it?"}},
		{"root", "/api/corrections?scenario=other", nil},
	} {
		resp, b := e.do(t, e.cookies[tc.who], "GET", tc.path, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s %s: %s", tc.who, tc.path, b)
		assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
		assert.Contains(t, resp.Header.Get("Content-Disposition"), "attachment")
		var got []string
		for _, line := range strings.Split(string(b), "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				got = append(got, line)
			}
		}
		assert.Equal(t, tc.want, got, "%s %s", tc.who, tc.path)
		assert.True(t, strings.HasPrefix(string(b), "# Corrected readings"), "a comment header")
	}
}

// /api/corrections?unsure=1 exports the sentences read as unclear in the
// calls the viewer may see, to be labelled.
func TestUnsureExported(t *testing.T) {
	e := newTrainerEnv(t)
	at := e.srv.now()
	for _, c := range []struct{ id, trainee, sentence string }{
		{"unsure-ana", "ana", "whats the story with the yard"},
		{"unsure-bo", "bo", "and the thing with the vans"},
	} {
		require.NoError(t, e.store.CreateCall(ctx, &sim.Call{ID: c.id, Scenario: e.sc.ID, Version: e.sc.Hash, Mode: sim.Training, Trainee: c.trainee, Started: at}))
		require.NoError(t, e.store.AppendTurn(ctx, c.id, sim.TurnRecord{N: 1, Said: c.sentence, At: at, Reader: "classifier/9",
			Acts: []sim.Detection{{Act: sim.Unclear, Confidence: 0.7, Cues: []string{"story"}, Sentence: c.sentence}}}))
	}
	for _, tc := range []struct {
		who  string
		want []string
	}{
		{"root", []string{"unclear\twhats the story with the yard", "unclear\tand the thing with the vans"}},
		{"coach", []string{"unclear\twhats the story with the yard"}},
		{"south-coach", []string{"unclear\tand the thing with the vans"}},
	} {
		resp, b := e.do(t, e.cookies[tc.who], "GET", "/api/corrections?unsure=1", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", tc.who, b)
		assert.Contains(t, resp.Header.Get("Content-Disposition"), `filename="unsure-`)
		var got []string
		for _, line := range strings.Split(string(b), "\n") {
			if line != "" && !strings.HasPrefix(line, "#") {
				got = append(got, line)
			}
		}
		assert.ElementsMatch(t, tc.want, got, tc.who)
		assert.True(t, strings.HasPrefix(string(b), "# Unsure readings"), "a comment header")
	}
	resp, _ := e.do(t, e.cookies["ana"], "GET", "/api/corrections?unsure=1", nil)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "not for trainees")
}
