package server

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
)

// scopeEnv is a trainerEnv with a second trainer of coach's team
// (north-coach, of north and east), and an assessment coach created with
// one candidate whose call has started.
type scopeEnv struct {
	*trainerEnv
	assessment, candidate, call string
}

func newScopeEnv(t *testing.T) *scopeEnv {
	t.Helper()
	e := newTrainerEnv(t)
	pw, err := auth.HashPassword(testPassword)
	require.NoError(t, err)
	require.NoError(t, e.store.CreateUser(ctx, &sim.User{Name: "north-coach", Role: sim.Trainer, Teams: []string{"east", "north"}, PasswordHash: pw, Created: time.Now()}))
	e.cookies["north-coach"] = e.login(t, "north-coach", testPassword)
	st := startCandidate(t, e, "20m") // created by coach
	all, err := e.store.Assessments(ctx)
	require.NoError(t, err)
	require.Len(t, all, 1)
	cands, err := e.store.Candidates(ctx, all[0].ID)
	require.NoError(t, err)
	require.Len(t, cands, 1)
	return &scopeEnv{trainerEnv: e, assessment: all[0].ID, candidate: cands[0].ID, call: st.Call}
}

// TestAssessmentScope is every assessment endpoint × every kind of
// caller: an admin, the trainer who created the assessment, a trainer of
// the creator's team, a trainer of another team, a trainee of the
// creator's team, and a visitor. 404 for an assessment out of the
// caller's scope, answered exactly as one that does not exist.
func TestAssessmentScope(t *testing.T) {
	e := newScopeEnv(t)
	callers := []string{"root", "coach", "north-coach", "south-coach", "ana", "visitor"}
	const (
		ok, unauth, forbidden, missing = 200, 401, 403, 404
	)
	card := map[string]any{"ratings": []int{1, 2, 3, 4}, "notes": []string{"", "", "", ""}}
	a := "/api/assessments/" + e.assessment
	for _, row := range []struct {
		method, path string
		body         any
		want         [6]int // in the order of callers
	}{
		{"GET", a, nil, [6]int{ok, ok, ok, missing, forbidden, unauth}},
		{"GET", a + "?reveal=1", nil, [6]int{ok, ok, ok, missing, forbidden, unauth}},
		{"GET", a + "/export", nil, [6]int{ok, ok, ok, missing, forbidden, unauth}},
		{"GET", a + "/export?reveal=1", nil, [6]int{ok, ok, ok, missing, forbidden, unauth}},
		{"GET", a + "/export?format=json", nil, [6]int{ok, ok, ok, missing, forbidden, unauth}},
		{"GET", a + "/export?format=json&reveal=1", nil, [6]int{ok, ok, ok, missing, forbidden, unauth}},
		{"PUT", a + "/candidates/" + e.candidate + "/scorecard", card, [6]int{ok, ok, ok, missing, forbidden, unauth}},
		{"PUT", a + "/candidates/nope/scorecard", card, [6]int{missing, missing, missing, missing, forbidden, unauth}},
		// the candidate's call, read whole by the assessment's reviewers only
		{"GET", "/api/calls/" + e.call + "/transcript", nil, [6]int{ok, ok, ok, unauth, unauth, unauth}},
		{"GET", "/api/calls/" + e.call + "/report", nil, [6]int{missing, missing, missing, unauth, unauth, unauth}}, // no report while the call runs
	} {
		for i, who := range callers {
			resp, b := e.do(t, e.cookies[who], row.method, row.path, row.body)
			assert.Equal(t, row.want[i], resp.StatusCode, "%s %s as %s: %.300s", row.method, row.path, who, b)
		}
	}
	// The candidate's call is not listed to a trainer, in scope or not.
	for _, who := range []string{"coach", "north-coach", "south-coach"} {
		resp, b := e.do(t, e.cookies[who], "GET", "/api/calls", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode)
		assert.NotContains(t, string(b), e.call, "GET /api/calls as %s", who)
	}
}

// TestAssessmentOutOfScopeIsMissing: for a trainer of another team, every
// assessment endpoint answers the assessment as if there were none: the
// same status, headers that matter and body as for an id never used. Nor
// does their attempt to reveal the names leave a reveal.
func TestAssessmentOutOfScopeIsMissing(t *testing.T) {
	e := newScopeEnv(t)
	card := map[string]any{"ratings": []int{1, 2, 3, 4}, "notes": []string{"", "", "", ""}}
	for _, p := range []struct{ method, path string }{
		{"GET", ""}, {"GET", "?reveal=1"}, {"GET", "/export"}, {"GET", "/export?reveal=1&format=json"},
		{"PUT", "/candidates/" + e.candidate + "/scorecard"},
	} {
		var body any
		if p.method == "PUT" {
			body = card
		}
		hidden, hb := e.do(t, e.cookies["south-coach"], p.method, "/api/assessments/"+e.assessment+p.path, body)
		none, nb := e.do(t, e.cookies["south-coach"], p.method, "/api/assessments/0123456789abcdef0123456789abcdef"+p.path, body)
		assert.Equal(t, http.StatusNotFound, hidden.StatusCode, "%s %s", p.method, p.path)
		assert.Equal(t, none.StatusCode, hidden.StatusCode, "%s %s", p.method, p.path)
		assert.Equal(t, string(nb), string(hb), "%s %s", p.method, p.path)
		for _, h := range []string{"Content-Type", "Cache-Control", "Content-Disposition"} {
			assert.Equal(t, none.Header.Get(h), hidden.Header.Get(h), "%s %s: %s", p.method, p.path, h)
		}
	}
	reveals, err := e.store.Reveals(ctx, e.assessment)
	require.NoError(t, err)
	assert.Empty(t, reveals, "no reveal by a trainer out of scope")
	c, err := e.store.Candidate(ctx, e.candidate)
	require.NoError(t, err)
	assert.Empty(t, c.Scorecards, "no scorecard by a trainer out of scope")
}

// TestAssessmentsListedInScope: GET /api/assessments lists to each
// reviewer only the assessments they may manage.
func TestAssessmentsListedInScope(t *testing.T) {
	e := newScopeEnv(t)
	resp, b := e.do(t, e.cookies["south-coach"], "POST", "/api/assessments", map[string]any{"scenario": "clinic", "time_limit": "20m", "candidates": 1})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var south CreatedAssessment
	require.NoError(t, json.Unmarshal(b, &south))
	resp, b = e.do(t, e.cookies["root"], "POST", "/api/assessments", map[string]any{"scenario": "clinic", "time_limit": "20m", "candidates": 1})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var byAdmin CreatedAssessment
	require.NoError(t, json.Unmarshal(b, &byAdmin))

	for who, want := range map[string][]string{
		"root":        {byAdmin.Assessment.ID, south.Assessment.ID, e.assessment},
		"coach":       {e.assessment},
		"north-coach": {e.assessment},
		"south-coach": {south.Assessment.ID},
	} {
		resp, b := e.do(t, e.cookies[who], "GET", "/api/assessments", nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s: %s", who, b)
		var list []sim.Assessment
		require.NoError(t, json.Unmarshal(b, &list))
		got := []string{}
		for _, a := range list {
			got = append(got, a.ID)
		}
		assert.ElementsMatch(t, want, got, "GET /api/assessments as %s", who)
	}
	for _, who := range []string{"ana", "bo"} {
		resp, _ := e.do(t, e.cookies[who], "GET", "/api/assessments", nil)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a trainee lists none: %s", who)
	}
	resp, _ = e.do(t, nil, "GET", "/api/assessments", nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	// A trainer moved to coach's team sees coach's assessment from then on.
	sc, err := e.store.User(ctx, "south-coach")
	require.NoError(t, err)
	sc.Teams = []string{"north", "south"}
	require.NoError(t, e.store.UpdateUser(ctx, sc))
	resp, b = e.do(t, e.cookies["south-coach"], "GET", "/api/assessments/"+e.assessment, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
}
