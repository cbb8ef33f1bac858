package server

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// manualClock is a clock the test moves.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *manualClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func withClock(c *manualClock) envOption {
	return func(_ *Config, srv *Server) {
		if srv != nil {
			srv.now = c.now
		}
	}
}

// linkToken is the token of a link path "/assess.html#TOKEN".
func linkToken(t *testing.T, link string) string {
	_, tok, ok := strings.Cut(link, "#")
	require.True(t, ok, link)
	return tok
}

func claimOf(t *testing.T, resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, claimCookie+"_") {
			return c
		}
	}
	t.Fatal("no claim cookie")
	return nil
}

// TestAssessmentFlow: a trainer creates an assessment for two candidates;
// the first claims the link, a second browser is refused, the candidate
// starts, plays over the websocket with no report, goes offline, and the
// sweeper ends the call at its deadline; the debrief is stored; the
// reviewer sees both candidates blind, then revealed, and exports CSV.
func TestAssessmentFlow(t *testing.T) {
	clk := &manualClock{t: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)}
	e := newTrainerEnv(t, withClock(clk))
	resp, b := e.do(t, e.cookies["coach"], "POST", "/api/assessments", map[string]any{"scenario": "clinic", "time_limit": "90s", "candidates": 2})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var made CreatedAssessment
	require.NoError(t, json.Unmarshal(b, &made))
	require.Len(t, made.Links, 2)
	assert.Equal(t, sim.DefaultQuestions, made.Assessment.Questions)
	tok := linkToken(t, made.Links[0])

	resp, b = e.do(t, nil, "GET", "/api/assess/"+tok, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	mine := claimOf(t, resp)
	resp, b = e.do(t, nil, "GET", "/api/assess/"+tok, nil)
	assert.Equal(t, http.StatusConflict, resp.StatusCode, "a second browser")
	assert.Contains(t, string(b), "already been used")
	resp, _ = e.do(t, nil, "POST", "/api/assess/"+tok+"/start", map[string]string{"name": "Mallory"})
	assert.Equal(t, http.StatusConflict, resp.StatusCode, "a second browser cannot start")

	resp, b = e.do(t, mine, "POST", "/api/assess/"+tok+"/start", map[string]string{"name": "Ana Candidate", "email": "ana@example.com"})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var st started
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, clk.now().Add(90*time.Second), st.Deadline)
	resp, _ = e.do(t, mine, "POST", "/api/assess/"+tok+"/start", map[string]string{"name": "Ana Candidate"})
	assert.Equal(t, http.StatusConflict, resp.StatusCode, "never started again")

	c := e.dial(t, "")
	c.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
	c.expect("resumed")
	c.say(goodCall[0])
	resp, _ = e.do(t, mine, "POST", "/api/assess/"+tok+"/signal", map[string]any{"kind": "paste", "length": 42})
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	clk.add(5 * time.Second)
	resp, _ = e.do(t, mine, "POST", "/api/assess/"+tok+"/signal", map[string]any{"kind": "blur"})
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	resp, b = e.do(t, nil, "GET", "/api/calls/"+st.Call+"/report", nil, "Authorization", "Bearer "+st.Token)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "no report for the candidate: %s", b)
	c.ws.Close() // offline

	resp, _ = e.do(t, mine, "POST", "/api/assess/"+tok+"/debrief", map[string]any{"answers": []string{"a", "b", "c", "d"}})
	assert.Equal(t, http.StatusConflict, resp.StatusCode, "the call is still on")

	clk.add(2 * time.Minute)
	e.srv.sweepOnce(ctx)
	rec, err := e.store.Call(ctx, st.Call)
	require.NoError(t, err)
	assert.Equal(t, sim.EndedByDeadline, rec.End)
	assert.Equal(t, st.Deadline, rec.Ended, "the end is recorded at the deadline")
	require.NotNil(t, rec.Report)
	resp, b = e.do(t, nil, "GET", "/api/calls/"+st.Call+"/report", nil, "Authorization", "Bearer "+st.Token)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "no report for the candidate after the call either: %s", b)

	// A resume after the deadline is told the call ended, with no report.
	c = e.dial(t, "")
	c.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
	m := c.expect("error")
	assert.Equal(t, codeCallEnded, m.Code)
	assert.Empty(t, m.ReportURL)

	resp, b = e.do(t, mine, "POST", "/api/assess/"+tok+"/debrief", map[string]any{"answers": []string{"They need fewer no-shows.", "Ask sooner.", "", "Follow up."}})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	assert.NotContains(t, string(b), "score")
	resp, _ = e.do(t, mine, "GET", "/api/assess/"+tok, nil)
	assert.Equal(t, http.StatusConflict, resp.StatusCode, "a used link")

	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/assessments/"+made.Assessment.ID, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	var rev assessmentReview
	require.NoError(t, json.Unmarshal(b, &rev))
	require.Len(t, rev.Candidates, 2)
	assert.True(t, rev.Blind)
	assert.Equal(t, "Candidate 1", rev.Candidates[0].Label)
	assert.Empty(t, rev.Candidates[0].Name)
	assert.NotContains(t, string(b), "Ana Candidate")
	assert.Equal(t, sim.Finished, rev.Candidates[0].Status)
	assert.Equal(t, sim.EndedByDeadline, rev.Candidates[0].Ending)
	assert.Equal(t, sim.Invited, rev.Candidates[1].Status)
	require.Len(t, rev.Candidates[0].Signals, 2)
	assert.Equal(t, sim.Signal{Kind: sim.Paste, Length: 42, Turn: 1, At: clk.now().Add(-2*time.Minute - 5*time.Second)}, rev.Candidates[0].Signals[0])
	assert.NotEmpty(t, rev.SignalNote)

	resp, b = e.do(t, e.cookies["coach"], "PUT", "/api/assessments/"+made.Assessment.ID+"/candidates/"+rev.Candidates[0].ID+"/scorecard",
		map[string]any{"ratings": []int{4, 3, 2, 1}, "notes": []string{"asked about no-shows", "", "", "no budget question"}})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	resp, _ = e.do(t, e.cookies["coach"], "PUT", "/api/assessments/other/candidates/"+rev.Candidates[0].ID+"/scorecard",
		map[string]any{"ratings": []int{4, 3, 2, 1}, "notes": []string{"", "", "", ""}})
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/calls/"+st.Call+"/transcript", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "a reviewer reads the full transcript: %s", b)
	assert.Contains(t, string(b), `"source"`)
	resp, _ = e.do(t, e.cookies["ana"], "GET", "/api/calls/"+st.Call+"/transcript", nil)
	assert.NotEqual(t, http.StatusOK, resp.StatusCode, "a trainee does not")

	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/assessments/"+made.Assessment.ID+"/export?reveal=1", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3)
	assert.Equal(t, "Ana Candidate", rows[1][1])
	assert.Equal(t, "1", rows[1][10], "one paste")
}

// TestAssessmentDeadlineOnline: a turn said after the deadline is not
// played; the call ends by the deadline, recorded at the deadline, and
// the candidate gets no report. A link past its expiry is refused and
// shows as expired.
func TestAssessmentDeadlineOnline(t *testing.T) {
	clk := &manualClock{t: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)}
	e := newTrainerEnv(t, withClock(clk))
	made, st := startAssessment(t, e, "root", map[string]any{"scenario": "clinic", "time_limit": "30s", "candidates": 2, "expires_in": "1h"}, "Bo")

	c := e.dial(t, "")
	c.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
	c.expect("resumed")
	clk.add(31 * time.Second)
	c.send(map[string]any{"type": "say", "text": goodCall[0]})
	m := c.expect("report")
	assert.Nil(t, m.Report, "no report for a candidate")
	assert.Empty(t, m.ReportURL)
	rec, err := e.store.Call(ctx, st.Call)
	require.NoError(t, err)
	assert.Equal(t, sim.EndedByDeadline, rec.End)
	assert.Equal(t, st.Deadline, rec.Ended)
	assert.Empty(t, rec.Turns, "the late turn was not played")

	clk.add(time.Hour)
	resp, b := e.do(t, nil, "GET", "/api/assess/"+linkToken(t, made.Links[1]), nil)
	assert.Equal(t, http.StatusGone, resp.StatusCode, "%s", b)
	resp, b = e.do(t, e.cookies["root"], "GET", "/api/assessments/"+made.Assessment.ID, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var rev assessmentReview
	require.NoError(t, json.Unmarshal(b, &rev))
	assert.Equal(t, sim.Expired, rev.Candidates[1].Status)
}

// startCandidate creates an assessment with the given limit for one
// candidate on e, claims the link and starts the call.
func startCandidate(t *testing.T, e *trainerEnv, limit string) started {
	t.Helper()
	_, st := startAssessment(t, e, "coach", map[string]any{"scenario": "clinic", "time_limit": limit, "candidates": 1}, "Cy")
	return st
}

// startAssessment has user who create an assessment from body on e, and
// its first candidate claim the link and start the call as name.
func startAssessment(t *testing.T, e *trainerEnv, who string, body map[string]any, name string) (CreatedAssessment, started) {
	t.Helper()
	resp, b := e.do(t, e.cookies[who], "POST", "/api/assessments", body)
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var made CreatedAssessment
	require.NoError(t, json.Unmarshal(b, &made))
	tok := linkToken(t, made.Links[0])
	resp, _ = e.do(t, nil, "GET", "/api/assess/"+tok, nil)
	mine := claimOf(t, resp)
	resp, b = e.do(t, mine, "POST", "/api/assess/"+tok+"/start", map[string]string{"name": name})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var st started
	require.NoError(t, json.Unmarshal(b, &st))
	return made, st
}

// TestAssessmentSweptWhileConnected: a candidate still connected when the
// sweeper ends the call at its deadline is told the time is up and the
// call has ended, with no report, no links and nothing of how it went;
// not that the call moved. A line said after that is refused as ended.
func TestAssessmentSweptWhileConnected(t *testing.T) {
	clk := &manualClock{t: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)}
	e := newTrainerEnv(t, withClock(clk))
	st := startCandidate(t, e, "90s")
	c := e.dial(t, "")
	c.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
	c.expect("resumed")
	c.say(goodCall[0])

	clk.add(91 * time.Second)
	e.srv.sweepOnce(ctx)
	m := c.expect("report")
	assert.Equal(t, st.Call, m.Call)
	assert.Nil(t, m.Report, "no report for a candidate")
	assert.Empty(t, m.ReportURL)
	assert.Empty(t, m.TranscriptURL)
	assert.Equal(t, "deadline", m.Raw["end"])
	assert.Equal(t, "Time is up: your call has ended. Thank you.", m.Message)
	for _, k := range []string{"report_url", "transcript_url", "outcome", "score", "profile"} {
		assert.NotContains(t, m.Raw, k)
	}
	rec, err := e.store.Call(ctx, st.Call)
	require.NoError(t, err)
	assert.Equal(t, sim.EndedByDeadline, rec.End)
	assert.Equal(t, st.Deadline, rec.Ended, "the end is recorded at the deadline")
	assert.Len(t, rec.Turns, 1)

	c.send(map[string]any{"type": "say", "text": goodCall[1]})
	m = c.expect("error")
	assert.Equal(t, codeCallEnded, m.Code)
}

// TestAssessmentEndMessages: however an assessment call ends on the
// connection, the candidate gets the same kind of notice: how it ended and
// a confirmation, never the report.
func TestAssessmentEndMessages(t *testing.T) {
	for _, tc := range []struct {
		name    string
		late    bool // the candidate speaks after the deadline
		end     string
		message string
	}{
		{"hang up", false, "hangup", "The call has ended. Thank you."},
		{"after the deadline", true, "deadline", "Time is up: your call has ended. Thank you."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &manualClock{t: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)}
			e := newTrainerEnv(t, withClock(clk))
			st := startCandidate(t, e, "90s")
			c := e.dial(t, "")
			c.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
			c.expect("resumed")
			if tc.late {
				clk.add(2 * time.Minute)
			}
			c.send(map[string]any{"type": "end"})
			m := c.expect("report")
			assert.Nil(t, m.Report)
			assert.Empty(t, m.ReportURL)
			assert.Equal(t, tc.end, m.Raw["end"])
			assert.Equal(t, tc.message, m.Message)
		})
	}
}

// TestPrivateAssessmentScenario: a trainer uploads a persona and, without
// publishing it, sets an assessment on it. From then on GET /api/scenarios
// lists it to no one (a trainer finds it under Scenarios); a visitor, a
// trainee and the candidate (with the link's claim cookie or the call's
// token) can neither start it nor read its source, state graph, cohort or
// full transcript; and nothing the candidate's page receives (the link, the
// start, the websocket, the debrief, the call's download) holds the
// persona's source or its hidden facts.
func TestPrivateAssessmentScenario(t *testing.T) {
	e := newTrainerEnv(t)
	const id, marker = "hiring-private", "PRIVATE-PERSONA-MARKER"
	status, up := e.upload(t, "coach", id+".toml", clinicAs(t, id)+"\n# "+marker+"\n")
	require.Equal(t, http.StatusCreated, status, "%+v", up)
	require.Contains(t, e.listed(t, "coach"), id+" (draft)", "a draft is listed to trainers until an assessment is on it")
	sc := e.srv.scenarios.set().latest(id)
	require.NotNil(t, sc)
	secrets := []string{marker, `"source"`, "[[fact]]", "keywords"}
	for _, f := range sc.Facts {
		secrets = append(secrets, f.Label) // the checklist, never shown in an assessment
	}
	// leaks checks that an answer to the candidate holds no secret.
	leaks := func(what string, b []byte) {
		t.Helper()
		for _, s := range secrets {
			assert.NotContains(t, string(b), s, "%s gives the candidate the persona", what)
		}
	}

	resp, b := e.do(t, e.cookies["coach"], "POST", "/api/assessments", map[string]any{"scenario": id, "time_limit": "20m", "candidates": 1})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var made CreatedAssessment
	require.NoError(t, json.Unmarshal(b, &made))
	assert.Equal(t, sc.Hash, made.Assessment.Version)
	for _, who := range []string{"visitor", "root", "coach", "ana", "bo"} {
		for _, l := range e.listed(t, who) {
			assert.NotContains(t, l, id, "GET /api/scenarios as %s", who)
		}
	}
	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/authoring", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(b), `"id": "`+id+`"`, "the trainer still finds it under Scenarios")

	// The candidate plays it.
	tok := linkToken(t, made.Links[0])
	resp, b = e.do(t, nil, "GET", "/api/assess/"+tok, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	leaks("the link", b)
	mine := claimOf(t, resp)
	resp, b = e.do(t, mine, "POST", "/api/assess/"+tok+"/start", map[string]string{"name": "Dee"})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	leaks("the start", b)
	var st started
	require.NoError(t, json.Unmarshal(b, &st))
	ws := e.dial(t, "")
	ws.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
	var heard []serverMsg
	heard = append(heard, ws.expect("resumed"))
	for _, line := range goodCall[:4] {
		heard = append(heard, ws.say(line))
	}
	ws.send(map[string]any{"type": "end"})
	heard = append(heard, ws.expect("report"))
	for _, m := range heard {
		b, err := json.Marshal(m.Raw)
		require.NoError(t, err)
		leaks("the websocket's "+m.Type, b)
		for _, k := range []string{"checklist", "meters", "state", "acts", "revealed", "report_url"} {
			assert.NotContains(t, m.Raw, k, "%s", m.Type)
		}
	}
	resp, b = e.do(t, mine, "POST", "/api/assess/"+tok+"/debrief", map[string]any{"answers": []string{"", "", "", ""}})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	leaks("the debrief", b)
	resp, b = e.do(t, nil, "GET", "/api/calls/"+st.Call+"/transcript", nil, "Authorization", "Bearer "+st.Token)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	assert.Contains(t, string(b), `"kind": "lines"`, "the candidate's download is only what was said")
	leaks("the call's download", b)

	// Nobody but staff reaches the persona: not a visitor, a trainee, the
	// candidate's claim cookie nor the call's token.
	token := []string{"Authorization", "Bearer " + st.Token}
	for _, path := range []string{
		"/api/scenarios/" + id + "/source",
		"/api/scenarios/" + id + "/source?version=" + sc.Hash,
		"/api/scenarios/" + id + "/graph",
		"/api/scenarios/" + id + "/cohort",
		"/api/authoring",
		"/api/assessments/" + made.Assessment.ID,
		"/api/assessments/" + made.Assessment.ID + "/export?format=json",
	} {
		for _, as := range []struct {
			who     string
			cookie  *http.Cookie
			headers []string
		}{{"a visitor", nil, nil}, {"a trainee", e.cookies["ana"], nil}, {"the candidate's browser", mine, nil}, {"the call's token", nil, token}} {
			resp, b := e.do(t, as.cookie, "GET", path, nil, as.headers...)
			assert.Contains(t, []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}, resp.StatusCode, "GET %s as %s: %s", path, as.who, b)
			leaks("GET "+path+" as "+as.who, b)
		}
	}
	resp, b = e.do(t, e.cookies["ana"], "GET", "/api/calls/"+st.Call+"/transcript", nil)
	assert.Contains(t, []int{http.StatusUnauthorized, http.StatusNotFound}, resp.StatusCode, "a trainee does not read the candidate's call: %s", b)
	leaks("a trainee's transcript request", b)
	for _, who := range []string{"", "ana"} {
		c := e.dialAs(t, who)
		for _, version := range []string{"", sc.Hash} {
			m := c.startOn(id, version)
			assert.Equal(t, codeUnknownScenario, m.Code, "start as %q at version %q", who, version)
		}
	}
	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/scenarios/"+id+"/source", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(b), marker, "the trainer reads it")
}

// TestMeanRatings: the CSV's rating per indicator is the mean of the
// reviewers who rated it, to one decimal; "not rated" (0) counts for none.
func TestMeanRatings(t *testing.T) {
	card := func(r ...int) sim.Scorecard { return sim.Scorecard{Ratings: r} }
	for _, tc := range []struct {
		name  string
		cards []sim.Scorecard
		want  []string
	}{
		{"no scorecard", nil, []string{"", "", "", ""}},
		{"one reviewer", []sim.Scorecard{card(4, 0, 2, 5)}, []string{"4", "", "2", "5"}},
		{"two reviewers", []sim.Scorecard{card(4, 1, 2, 5), card(3, 0, 3, 5)}, []string{"3.5", "1", "2.5", "5"}},
		{"thirds round", []sim.Scorecard{card(1, 1, 1, 1), card(1, 1, 1, 1), card(2, 2, 2, 2)}, []string{"1.3", "1.3", "1.3", "1.3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, meanRatings(tc.cards))
		})
	}
}
