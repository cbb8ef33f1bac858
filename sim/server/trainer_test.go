package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/inmem"
)

// trainerEnv is a server with accounts: an admin, a trainer of team north
// (coach), a trainer of team south (south-coach), trainees ana (north) and
// bo (south); two calls of ana, one of bo and one anonymous, all ended.
type trainerEnv struct {
	*testEnv
	store   *inmem.Store
	cookies map[string]*http.Cookie // by user name
	calls   map[string]string       // "ana", "ana2", "bo", "anon" → call id
}

const testPassword = "a long enough password"

func newTrainerEnv(t *testing.T, opts ...envOption) *trainerEnv {
	t.Helper()
	store := inmem.New()
	e := &trainerEnv{
		testEnv: newEnv(t, append([]envOption{func(c *Config, _ *Server) { c.Store = store }}, opts...)...),
		store:   store, cookies: map[string]*http.Cookie{}, calls: map[string]string{},
	}
	pw, err := auth.HashPassword(testPassword)
	require.NoError(t, err)
	for _, u := range []*sim.User{
		{Name: "root", Role: sim.Admin},
		{Name: "coach", Role: sim.Trainer, Teams: []string{"north"}},
		{Name: "south-coach", Role: sim.Trainer, Teams: []string{"south"}},
		{Name: "ana", Role: sim.Trainee, Teams: []string{"north"}},
		{Name: "bo", Role: sim.Trainee, Teams: []string{"south"}},
	} {
		u.PasswordHash, u.Created = pw, time.Now()
		require.NoError(t, store.CreateUser(ctx, u))
		e.cookies[u.Name] = e.login(t, u.Name, testPassword)
	}
	for _, c := range [][2]string{{"ana", "ana"}, {"ana2", "ana"}, {"bo", "bo"}, {"anon", ""}} { // in this order
		e.calls[c[0]] = e.storedCall(t, c[1], goodCall[:3])
	}
	return e
}

var ctx = context.Background()

// storedCall plays lines on the test scenario as trainee and stores the
// call, ended and graded, as the server would.
func (e *trainerEnv) storedCall(t *testing.T, trainee string, lines []string) string {
	t.Helper()
	c, _, err := e.srv.startCall(e.sc, sim.Training, trainee, e.srv.now(), nil)
	require.NoError(t, err)
	for _, l := range lines {
		_, err := e.srv.turn(c, l, e.srv.now(), nil)
		require.NoError(t, err)
	}
	_, err = e.srv.end(c, sim.EndedByTrainee, e.srv.now())
	require.NoError(t, err)
	return c.id()
}

func (e *trainerEnv) login(t *testing.T, name, pw string) *http.Cookie {
	t.Helper()
	resp, _ := e.do(t, nil, "POST", "/api/login", map[string]string{"name": name, "password": pw})
	require.Equal(t, http.StatusOK, resp.StatusCode, "sign in %s", name)
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("no session cookie for %s", name)
	return nil
}

// do sends a request with the cookie (nil: none) and a JSON body (nil: none).
func (e *trainerEnv) do(t *testing.T, ck *http.Cookie, method, path string, body any, headers ...string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		require.NoError(t, err)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.ts.URL+path, rd)
	require.NoError(t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if ck != nil {
		req.AddCookie(ck)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, out
}

// TestAccessRules is every trainer endpoint × every kind of caller: a
// visitor, an admin, a trainer of ana's team, ana, and bo (a trainee of
// another team). 401: not signed in; 403: the role may not; 404: a call the
// caller may not see, answered as if there were none.
func TestAccessRules(t *testing.T) {
	e := newTrainerEnv(t)
	callers := []string{"visitor", "root", "coach", "ana", "bo"}
	type row struct {
		method, path string
		body         func(caller string) any
		want         [5]int // in the order of callers
	}
	none := func(string) any { return nil }
	body := func(v any) func(string) any { return func(string) any { return v } }
	call := func(key, rest string) string { return "/api/calls/" + e.calls[key] + rest }
	const (
		ok, made, gone, unauth, forbidden, missing, conflict = 200, 201, 204, 401, 403, 404, 409
	)
	rows := []row{
		{"GET", "/api/me", none, [5]int{ok, ok, ok, ok, ok}},
		{"POST", "/api/accept", body(map[string]string{"token": "nope", "password": testPassword}), [5]int{missing, missing, missing, missing, missing}},
		{"GET", "/api/users", none, [5]int{unauth, ok, forbidden, forbidden, forbidden}},
		{"POST", "/api/users", func(c string) any { return map[string]any{"name": "new-" + c, "role": "trainee"} }, [5]int{unauth, made, forbidden, forbidden, forbidden}},
		{"PATCH", "/api/users/bo", body(map[string]any{"teams": []string{"south"}}), [5]int{unauth, ok, forbidden, forbidden, forbidden}},
		{"POST", "/api/users/bo/invite", none, [5]int{unauth, ok, forbidden, forbidden, forbidden}},
		{"GET", "/api/settings", none, [5]int{unauth, ok, forbidden, forbidden, forbidden}},
		{"PUT", "/api/settings", body(map[string]bool{"anonymous_practice": true}), [5]int{unauth, ok, forbidden, forbidden, forbidden}},
		{"GET", "/api/teams", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"GET", "/api/scenarios/clinic/cohort", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"GET", "/api/calls", none, [5]int{unauth, ok, ok, ok, ok}},
		{"GET", "/api/calls?format=csv", none, [5]int{unauth, ok, ok, ok, ok}},
		{"GET", "/api/corrections", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"GET", "/api/corrections?scenario=clinic", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"GET", call("ana", "/review"), none, [5]int{unauth, ok, ok, ok, missing}},
		{"GET", call("bo", "/review"), none, [5]int{unauth, ok, missing, missing, ok}},
		{"GET", call("anon", "/review"), none, [5]int{unauth, ok, missing, missing, missing}},
		{"POST", call("ana", "/comments"), body(map[string]any{"turn": 2, "text": "Ask why."}), [5]int{unauth, made, made, forbidden, missing}},
		{"POST", call("bo", "/comments"), body(map[string]any{"turn": 1, "text": "Ask why."}), [5]int{unauth, made, missing, missing, forbidden}},
		{"POST", call("anon", "/comments"), body(map[string]any{"turn": 1, "text": "Ask why."}), [5]int{unauth, made, missing, missing, missing}},
		{"PUT", call("ana", "/score"), body(map[string]any{"score": 55, "reason": "good questions"}), [5]int{unauth, ok, ok, forbidden, missing}},
		{"PUT", call("bo", "/score"), body(map[string]any{"score": 55, "reason": "good questions"}), [5]int{unauth, ok, missing, missing, forbidden}},
		{"GET", "/api/compare?calls=" + e.calls["ana"] + "," + e.calls["ana2"], none, [5]int{unauth, ok, ok, ok, missing}},
		{"GET", "/api/compare?calls=" + e.calls["ana"] + "," + e.calls["bo"], none, [5]int{unauth, ok, missing, missing, missing}},
		// scenarios managed in the page (scenarios_api.go)
		{"GET", "/api/scenarios", none, [5]int{ok, ok, ok, ok, ok}},
		{"GET", "/api/authoring", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"POST", "/api/authoring/check", body(sourceIn{Source: clinicAs(t, "access-draft")}), [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"POST", "/api/scenarios", body(sourceIn{Source: clinicAs(t, "access-draft")}), [5]int{unauth, made, made, forbidden, forbidden}},
		{"GET", "/api/scenarios/clinic/source", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"GET", "/api/scenarios/access-draft/source", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"PUT", "/api/scenarios/access-draft/published", body(map[string]string{"version": ""}), [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"POST", "/api/scenarios/clinic/replay", body(map[string]string{"call": e.calls["ana"]}), [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"POST", "/api/scenarios/clinic/replay", body(map[string]string{"call": e.calls["bo"]}), [5]int{unauth, ok, missing, forbidden, forbidden}},
		{"POST", "/api/scenarios/clinic/replay", body(map[string]any{"lines": goodCall[:2]}), [5]int{unauth, ok, ok, forbidden, forbidden}},
		// Removal: a bundled scenario is refused to staff, an unknown one is
		// not found, and an upload is removed by the first who asks (the
		// admin; the trainer then finds it gone: TestRemoveScenario has a
		// trainer remove one).
		{"DELETE", "/api/scenarios/clinic", none, [5]int{unauth, conflict, conflict, forbidden, forbidden}},
		{"DELETE", "/api/scenarios/nope", none, [5]int{unauth, missing, missing, forbidden, forbidden}},
		{"DELETE", "/api/scenarios/access-draft", none, [5]int{unauth, gone, missing, forbidden, forbidden}},
		// hiring assessments (assess.go)
		{"POST", "/api/assessments", body(map[string]any{"scenario": "clinic", "time_limit": "20m", "candidates": 1}), [5]int{unauth, made, made, forbidden, forbidden}},
		{"GET", "/api/assessments", none, [5]int{unauth, ok, ok, forbidden, forbidden}},
		{"GET", "/api/assessments/nope", none, [5]int{unauth, missing, missing, forbidden, forbidden}},
		{"GET", "/api/assessments/nope/export", none, [5]int{unauth, missing, missing, forbidden, forbidden}},
		{"PUT", "/api/assessments/nope/candidates/nope/scorecard", body(map[string]any{"ratings": []int{1, 2, 3, 4}, "notes": []string{"", "", "", ""}}), [5]int{unauth, missing, missing, forbidden, forbidden}},
		{"GET", "/api/assess/" + strings.Repeat("x", 43), none, [5]int{missing, missing, missing, missing, missing}},
		{"POST", "/api/assess/" + strings.Repeat("x", 43) + "/start", body(map[string]string{"name": "Ana"}), [5]int{missing, missing, missing, missing, missing}},
		{"POST", "/api/assess/" + strings.Repeat("x", 43) + "/signal", body(map[string]string{"kind": "blur"}), [5]int{missing, missing, missing, missing, missing}},
		{"POST", "/api/assess/" + strings.Repeat("x", 43) + "/debrief", body(map[string]any{"answers": []string{}}), [5]int{missing, missing, missing, missing, missing}},
	}
	for _, r := range rows {
		for i, who := range callers {
			resp, b := e.do(t, e.cookies[who], r.method, r.path, r.body(who))
			assert.Equal(t, r.want[i], resp.StatusCode, "%s %s as %s: %s", r.method, r.path, who, b)
			if resp.StatusCode >= 400 {
				var msg apiError
				assert.NoError(t, json.Unmarshal(b, &msg), "%s %s as %s: a JSON error", r.method, r.path, who)
				assert.NotEmpty(t, msg.Error)
			}
		}
	}
}

// TestCrossSiteRequestsAreRefused: a state-changing request that a browser
// marks as cross-site is refused before any handler runs.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	e := newTrainerEnv(t)
	status, up := e.upload(t, "coach", "", clinicAs(t, "kept"))
	require.Equal(t, http.StatusCreated, status, up.Error)
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		resp, b := e.do(t, e.cookies["root"], "POST", "/api/users", map[string]any{"name": "mallory", "role": "admin"}, h...)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "%v: %s", h, b)
		resp, _ = e.do(t, e.cookies["root"], "POST", "/api/logout", nil, h...)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "%v", h)
		resp, b = e.do(t, e.cookies["coach"], "DELETE", "/api/scenarios/kept", nil, h...)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, "%v: %s", h, b)
	}
	_, err := e.store.User(ctx, "mallory")
	assert.Equal(t, sim.ENotFound, sim.ErrorCodeOf(err))
	assert.Equal(t, []string{"clinic", "kept"}, e.authored(t, "coach"), "the scenario is not removed")
	// The same requests from the page itself pass.
	resp, _ := e.do(t, e.cookies["root"], "POST", "/api/users", map[string]any{"name": "mallory", "role": "trainee"}, "Sec-Fetch-Site", "same-origin")
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	resp, _ = e.do(t, e.cookies["coach"], "DELETE", "/api/scenarios/kept", nil, "Sec-Fetch-Site", "same-origin")
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestLoginCookieAndLogout(t *testing.T) {
	e := newTrainerEnv(t)
	resp, b := e.do(t, nil, "POST", "/api/login", map[string]string{"name": "ana", "password": "wrong password"})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.JSONEq(t, `{"error":"the name or the password is wrong"}`, string(b))
	resp, _ = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "nobody", "password": "wrong password"})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	ck := e.login(t, "ana", testPassword)
	assert.True(t, ck.HttpOnly)
	assert.Equal(t, http.SameSiteLaxMode, ck.SameSite)
	assert.False(t, ck.Secure, "plain HTTP")
	assert.Len(t, ck.Value, 43)
	// Only the token's hash is stored.
	_, err := e.store.Token(ctx, []byte(ck.Value))
	assert.Equal(t, sim.ENotFound, sim.ErrorCodeOf(err))
	tk, err := e.store.Token(ctx, auth.HashToken(ck.Value))
	require.NoError(t, err)
	assert.Equal(t, "ana", tk.User)

	resp, b = e.do(t, ck, "GET", "/api/me", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"user":{"name":"ana","role":"trainee","teams":["north"]},"anonymous_practice":true,"setup":false}`, string(b))

	resp, _ = e.do(t, ck, "POST", "/api/logout", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.do(t, ck, "GET", "/api/calls", nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the old cookie no longer signs in")

	// A disabled account cannot sign in, and its sessions end.
	resp, _ = e.do(t, e.cookies["root"], "PATCH", "/api/users/bo", map[string]any{"disabled": true})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = e.do(t, e.cookies["bo"], "GET", "/api/calls", nil)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	resp, _ = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "bo", "password": testPassword})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	// An admin cannot lock themselves out.
	resp, _ = e.do(t, e.cookies["root"], "PATCH", "/api/users/root", map[string]any{"role": "trainee"})
	assert.Equal(t, http.StatusConflict, resp.StatusCode)
}

func TestLoginRateLimit(t *testing.T) {
	e := newTrainerEnv(t)
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	e.srv.now = func() time.Time { return at }
	for i := range loginBurst {
		resp, _ := e.do(t, nil, "POST", "/api/login", map[string]string{"name": "ana", "password": "guess number " + string(rune('a'+i))})
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode, "try %d", i+1)
	}
	resp, b := e.do(t, nil, "POST", "/api/login", map[string]string{"name": "ana", "password": testPassword})
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "%s", b)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	// Another account from the same address still may, up to the address's limit.
	resp, _ = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "bo", "password": testPassword})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	for range ipLoginBurst {
		e.do(t, nil, "POST", "/api/login", map[string]string{"name": "someone", "password": "guess guess"})
		e.do(t, nil, "POST", "/api/login", map[string]string{"name": "someone else", "password": "guess guess"})
	}
	resp, _ = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "coach", "password": testPassword})
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "the address is limited too")
	// Time refills both.
	at = at.Add(10 * time.Minute)
	resp, _ = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "ana", "password": testPassword})
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestInviteAndSetup(t *testing.T) {
	store := inmem.New()
	e := &trainerEnv{testEnv: newEnv(t, func(c *Config, _ *Server) { c.Store = store }), store: store}
	resp, b := e.do(t, nil, "GET", "/api/me", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"user":null,"anonymous_practice":true,"setup":true}`, string(b))

	link, err := e.srv.SetupLink(ctx, "http://example.test")
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(link, "http://example.test/#/accept/"), link)
	token := strings.TrimPrefix(link, "http://example.test/#/accept/")
	resp, b = e.do(t, nil, "POST", "/api/accept", map[string]string{"token": token, "name": "root", "password": "short"})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s", b)
	resp, b = e.do(t, nil, "POST", "/api/accept", map[string]string{"token": token, "name": "root", "password": testPassword})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	admin := resp.Cookies()[0]
	resp, _ = e.do(t, nil, "POST", "/api/accept", map[string]string{"token": token, "name": "root2", "password": testPassword})
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "a setup link works once")
	again, err := e.srv.SetupLink(ctx, "http://example.test")
	require.NoError(t, err)
	assert.Empty(t, again, "no setup link once there are users")

	resp, b = e.do(t, admin, "POST", "/api/users", map[string]any{"name": "ana", "role": "trainee", "teams": []string{" north ", ""}})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	var made struct {
		User   me     `json:"user"`
		Invite string `json:"invite_url"`
	}
	require.NoError(t, json.Unmarshal(b, &made))
	assert.Equal(t, []string{"north"}, made.User.Teams)
	assert.True(t, made.User.Invited)
	token = made.Invite[strings.LastIndex(made.Invite, "/")+1:]
	resp, _ = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "ana", "password": testPassword})
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "no password before the invite is accepted")
	resp, b = e.do(t, nil, "POST", "/api/accept", map[string]string{"token": token, "password": testPassword})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	e.login(t, "ana", testPassword)
	resp, _ = e.do(t, nil, "POST", "/api/accept", map[string]string{"token": token, "password": "another password"})
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "an invite works once")
}

// TestCallsListSeesWhatTheRoleAllows: each caller's list holds exactly the
// calls they may see, and the filters narrow it.
func TestCallsListSeesWhatTheRoleAllows(t *testing.T) {
	e := newTrainerEnv(t)
	list := func(who, query string) []string {
		t.Helper()
		resp, b := e.do(t, e.cookies[who], "GET", "/api/calls"+query, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
		var out struct {
			Calls []callListing `json:"calls"`
			Total int           `json:"total"`
		}
		require.NoError(t, json.Unmarshal(b, &out))
		var keys []string
		for _, c := range out.Calls {
			for k, id := range e.calls {
				if id == c.ID {
					keys = append(keys, k)
				}
			}
		}
		return keys
	}
	assert.ElementsMatch(t, []string{"ana", "ana2", "bo", "anon"}, list("root", ""))
	assert.ElementsMatch(t, []string{"ana", "ana2"}, list("coach", ""))
	assert.ElementsMatch(t, []string{"bo"}, list("south-coach", ""))
	assert.ElementsMatch(t, []string{"ana", "ana2"}, list("ana", ""))
	assert.ElementsMatch(t, []string{"bo"}, list("bo", ""))
	assert.Empty(t, list("coach", "?trainee=bo"), "a trainee outside the trainer's teams")
	assert.Empty(t, list("ana", "?team=south"))
	assert.ElementsMatch(t, []string{"bo"}, list("root", "?team=south"))
	assert.ElementsMatch(t, []string{"ana", "ana2"}, list("root", "?trainee=ana&scenario=clinic&mode=training&outcome=open"))
	assert.Empty(t, list("root", "?mode=assessment"))
	assert.Len(t, list("root", "?per_page=3"), 3)
	assert.Len(t, list("root", "?per_page=3&page=2"), 1)
	assert.Equal(t, []string{"ana", "ana2", "bo", "anon"}, list("root", "?sort=started"))
	assert.Equal(t, []string{"anon", "bo", "ana2", "ana"}, list("root", ""), "latest first")
	assert.Empty(t, list("root", "?from=2030-01-01"))
	for _, bad := range []string{"?sort=length", "?outcome=maybe", "?from=yesterday", "?page=x", "?per_page=9999", "?mode=exam"} {
		resp, b := e.do(t, e.cookies["root"], "GET", "/api/calls"+bad, nil)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s: %s", bad, b)
	}
}

func TestCallsCSV(t *testing.T) {
	e := newTrainerEnv(t)
	resp, b := e.do(t, e.cookies["coach"], "GET", "/api/calls?format=csv&sort=started", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, resp.Header.Get("Content-Disposition"), "attachment")
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3, "a header and ana's two calls")
	assert.Equal(t, []string{"call", "trainee", "scenario", "version", "mode"}, rows[0][:5])
	assert.Contains(t, rows[0], "customer_focus:discovery questions")
	assert.Equal(t, []string{e.calls["ana"], "ana", "clinic", e.sc.Hash, "training"}, rows[1][:5])
}

func TestReviewCommentsAndScores(t *testing.T) {
	e := newTrainerEnv(t)
	id := e.calls["ana"]
	resp, b := e.do(t, e.cookies["coach"], "POST", "/api/calls/"+id+"/comments", map[string]any{"turn": 2, "text": "  Good: you asked what it costs.  "})
	require.Equal(t, http.StatusCreated, resp.StatusCode, "%s", b)
	resp, b = e.do(t, e.cookies["coach"], "POST", "/api/calls/"+id+"/comments", map[string]any{"turn": 9, "text": "no such turn"})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%s", b)
	resp, _ = e.do(t, e.cookies["coach"], "POST", "/api/calls/"+id+"/comments", map[string]any{"turn": 1, "text": " "})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _ = e.do(t, e.cookies["coach"], "PUT", "/api/calls/"+id+"/score", map[string]any{"score": 120, "reason": "x"})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	resp, _ = e.do(t, e.cookies["coach"], "PUT", "/api/calls/"+id+"/score", map[string]any{"score": 72, "reason": "Stronger than the grade says."})
	require.Equal(t, http.StatusOK, resp.StatusCode)

	resp, b = e.do(t, e.cookies["ana"], "GET", "/api/calls/"+id+"/review", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var rev struct {
		Call          callListing        `json:"call"`
		Report        *sim.Report        `json:"report"`
		Turns         []sim.TurnRecord   `json:"turns"`
		Comments      []sim.Comment      `json:"comments"`
		TrainerScores []sim.TrainerScore `json:"trainer_scores"`
		MayReview     bool               `json:"may_review"`
	}
	require.NoError(t, json.Unmarshal(b, &rev))
	assert.False(t, rev.MayReview, "a trainee does not review their own call")
	require.Len(t, rev.Comments, 1)
	assert.Equal(t, sim.Comment{ID: rev.Comments[0].ID, Call: id, Turn: 2, Author: "coach", Text: "Good: you asked what it costs.", At: rev.Comments[0].At}, rev.Comments[0])
	require.Len(t, rev.TrainerScores, 1)
	assert.Equal(t, 72, rev.TrainerScores[0].Score)
	require.NotNil(t, rev.Report)
	// The automatic grade stays as it was.
	stored, err := e.store.Call(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, grade.Grade(mustReplay(t, e, stored)).Score, rev.Report.Score)
	assert.Equal(t, *rev.Call.Score, rev.Report.Score)
	assert.Len(t, rev.Turns, 3)
}

func mustReplay(t *testing.T, e *trainerEnv, c *sim.Call) *sim.Conversation {
	t.Helper()
	conv, err := sim.Replay(e.sc, nil, c)
	require.NoError(t, err)
	return conv
}

func TestCompareAttemptsOfOneScenario(t *testing.T) {
	e := newTrainerEnv(t)
	resp, b := e.do(t, e.cookies["coach"], "GET", "/api/compare?calls="+e.calls["ana"]+","+e.calls["ana2"], nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var out struct {
		Scenario string `json:"scenario"`
		Calls    []struct {
			Call   callListing `json:"call"`
			Report *sim.Report `json:"report"`
		} `json:"calls"`
	}
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, "clinic", out.Scenario)
	require.Len(t, out.Calls, 2)
	assert.Equal(t, e.calls["ana2"], out.Calls[1].Call.ID)
	resp, _ = e.do(t, e.cookies["coach"], "GET", "/api/compare?calls="+e.calls["ana"], nil)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "one call is no comparison")
}

func TestCohort(t *testing.T) {
	e := newTrainerEnv(t)
	resp, b := e.do(t, e.cookies["coach"], "GET", "/api/scenarios/clinic/cohort", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var co sim.Cohort
	require.NoError(t, json.Unmarshal(b, &co))
	assert.Equal(t, 2, co.Calls, "ana's two calls")
	assert.Contains(t, co.Graph, "flowchart LR")
	reached := map[string]int{}
	for _, st := range co.States {
		reached[st.Name] = st.Reached
	}
	assert.Equal(t, 2, reached[e.sc.Start])
	resp, _ = e.do(t, e.cookies["coach"], "GET", "/api/scenarios/nope/cohort", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// TestSignedInCallsAreRecordedForTheTrainee, and anonymous practice can be
// turned off.
func TestSignedInCallsAreRecordedForTheTrainee(t *testing.T) {
	e := newTrainerEnv(t)
	dial := func(ck *http.Cookie) *client {
		h := http.Header{}
		if ck != nil {
			h.Set("Cookie", ck.String())
		}
		ws, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), h)
		require.NoError(t, err)
		resp.Body.Close()
		c := &client{tb: t, ws: ws}
		t.Cleanup(func() { ws.Close() })
		c.expect("ready")
		return c
	}
	c := dial(e.cookies["ana"])
	st := c.start("")
	stored, err := e.store.Call(ctx, st.Call)
	require.NoError(t, err)
	assert.Equal(t, "ana", stored.Trainee)

	st = dial(nil).start("")
	stored, err = e.store.Call(ctx, st.Call)
	require.NoError(t, err)
	assert.Equal(t, "", stored.Trainee)

	require.NoError(t, e.store.PutSettings(ctx, sim.Settings{AnonymousPractice: false}))
	anon := dial(nil)
	anon.send(map[string]any{"type": "start", "scenario": "clinic"})
	m := anon.expect("error")
	assert.Equal(t, "sign_in_required", m.Code)
	dial(e.cookies["bo"]).start("")
}

// throttled is a store that keeps sign-in tries itself (as PostgreSQL
// does, for every server on it): it records what it is asked, and refuses
// the tries of names in refuse.
type throttled struct {
	sim.Store
	mu     sync.Mutex
	asked  []string
	refuse map[string]bool
	fail   bool
}

func (s *throttled) TakeLoginTry(_ context.Context, key string, _ time.Time, burst int, every time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return false, errors.New("database gone")
	}
	s.asked = append(s.asked, fmt.Sprintf("%s %d/%s", key, burst, every))
	return !s.refuse[key], nil
}

// TestLoginTriesKeptByTheStore: a store that keeps sign-in tries is asked
// for the address's and the account's, with their buckets, and its answer
// stands: refused is 429, and a store that cannot answer lets no one in.
func TestLoginTriesKeptByTheStore(t *testing.T) {
	th := &throttled{refuse: map[string]bool{}}
	e := newTrainerEnv(t, func(c *Config, srv *Server) {
		if srv == nil {
			th.Store = c.Store
			c.Store = th
		}
	})
	th.mu.Lock()
	th.asked = nil
	th.mu.Unlock()
	resp, b := e.do(t, nil, "POST", "/api/login", map[string]string{"name": "ana", "password": testPassword})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	assert.Equal(t, []string{"addr:127.0.0.1 20/7.5s", nameKey("ana") + " 5/30s"}, th.asked)
	assert.Len(t, nameKey(strings.Repeat("a", 60000)), len(nameKey("ana")), "a name of any length is a key of one")

	th.mu.Lock()
	th.refuse[nameKey("ana")] = true
	th.mu.Unlock()
	resp, b = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "ana", "password": testPassword})
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "%s", b)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	resp, _ = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "bo", "password": testPassword})
	assert.Equal(t, http.StatusOK, resp.StatusCode, "another account")

	th.mu.Lock()
	th.fail = true
	th.mu.Unlock()
	resp, b = e.do(t, nil, "POST", "/api/login", map[string]string{"name": "bo", "password": testPassword})
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "%s", b)
	assert.Empty(t, resp.Cookies(), "no session")
}
