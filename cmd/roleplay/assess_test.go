package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
	"github.com/roleplay-sim/roleplay/static"
)

// TestDeadlineSurvivesARestart: a candidate starts an assessment call on
// the real program and says one line; the server is killed (-9) and stays
// down past the deadline; started again, it ends the call at its deadline
// with no one connected. Then 'roleplay grade' on the call's transcript,
// as a reviewer exports it from the server, gives the stored report, byte
// for byte.
func TestDeadlineSurvivesARestart(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real program and waits for a 30-second deadline; not in -short")
	}
	bin := roleplayBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "roleplay.db")
	out, err := exec.Command(bin, "assess", "create", "--scenario", "beginner-bakery", "--time-limit", "30s", "--candidates", "1", "--by", "coach", "--db", db).Output()
	require.NoError(t, err)
	link := strings.TrimSpace(string(out))
	_, token, ok := strings.Cut(link, "#")
	require.True(t, ok, link)

	user := exec.Command(bin, "user", "add", "--name", "coach", "--role", "trainer", "--password-stdin", "--db", db)
	user.Stdin = strings.NewReader("a long enough password\n")
	out, err = user.CombinedOutput()
	require.NoError(t, err, "%s", out)

	addr := freeAddr(t)
	srv := startServe(t, bin, addr, db)
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	resp, err := browser.Get(srv.url() + "/api/assess/" + token)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, _ := json.Marshal(map[string]string{"name": "Kim"})
	req, _ := http.NewRequest("POST", srv.url()+"/api/assess/"+token+"/start", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err = browser.Do(req)
	require.NoError(t, err)
	var st struct {
		Call, Token string
		Deadline    time.Time
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&st))
	resp.Body.Close()
	require.Equal(t, http.StatusCreated, resp.StatusCode)

	c, err := dialWS(addr)
	require.NoError(t, err)
	require.NoError(t, c.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token}))
	m, err := c.read()
	require.NoError(t, err)
	require.Equal(t, "resumed", m.Type, m.Message)
	require.NoError(t, c.send(map[string]any{"type": "say", "text": "Hello, how is business at the bakery these days?"}))
	m, err = c.read()
	require.NoError(t, err)
	require.Equal(t, "reply", m.Type, m.Message)
	c.close()
	srv.kill()

	time.Sleep(time.Until(st.Deadline) + time.Second) // the deadline passes while no server runs
	srv = startServe(t, bin, addr, db)
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	defer store.Close()
	ctx := context.Background()
	var rec *sim.Call
	for end := time.Now().Add(15 * time.Second); ; {
		rec, err = store.Call(ctx, st.Call)
		require.NoError(t, err)
		if !rec.InProgress() || time.Now().After(end) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.Equal(t, sim.EndedByDeadline, rec.End, "the restarted server ended the call:\n%s", srv.output())
	assert.True(t, rec.Deadline.Equal(rec.Ended), "ended at the deadline itself")
	require.Len(t, rec.Turns, 1)
	require.NotNil(t, rec.Report)

	// The reviewer's export re-grades to the stored report.
	jar, err = cookiejar.New(nil)
	require.NoError(t, err)
	reviewer := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	body, _ = json.Marshal(map[string]string{"name": "coach", "password": "a long enough password"})
	resp, err = reviewer.Post(srv.url()+"/api/login", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	resp, err = reviewer.Get(srv.url() + "/api/calls/" + st.Call + "/transcript")
	require.NoError(t, err)
	tr, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", tr)
	srv.terminate()
	path := filepath.Join(dir, "call.json")
	require.NoError(t, os.WriteFile(path, tr, 0o644))
	graded, err := exec.Command(bin, "grade", path).Output()
	require.NoError(t, err)
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(rec.Report))
	assert.Equal(t, want.String(), string(graded))
}

// TestGoldenScriptsAreNotServed: the bundled personas' winning scripts
// (scenarios/testdata) are in no file system the server serves, and no
// path reaches them; the candidate's page is served.
func TestGoldenScriptsAreNotServed(t *testing.T) {
	m := NewMain()
	m.Addr, m.Store = "127.0.0.1:0", inmem.New()
	require.NoError(t, m.Run(context.Background()))
	t.Cleanup(func() { assert.NoError(t, m.Close()) })
	require.NoError(t, fs.WalkDir(static.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		assert.NotContains(t, p, "testdata", "the UI embeds no test data")
		assert.False(t, strings.HasSuffix(p, ".script") || strings.HasSuffix(p, ".txt"), "%s: no script in the UI", p)
		return nil
	}))
	for _, path := range []string{
		"/scenarios/testdata/beginner-bakery/first-call.txt",
		"/testdata/beginner-bakery/first-call.txt",
		"/beginner-bakery/first-call.txt",
		"/scenarios/beginner-bakery.toml",
		"/../scenarios/testdata/beginner-bakery/first-call.txt",
	} {
		resp, err := http.Get(m.URL() + path)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNotFound, resp.StatusCode, path)
	}
	for _, page := range []string{"/assess.html", "/assess-review.html", "/js/assess.js", "/js/assess-review.js"} {
		resp, err := http.Get(m.URL() + page)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, page)
	}
}

// TestAssessCreateOnAnUpload: assess create takes a scenario uploaded from
// the page and never published (a private assessment scenario), and the
// instructions and questions given; an unknown id is a usage error.
func TestAssessCreateOnAnUpload(t *testing.T) {
	db := filepath.Join(t.TempDir(), "roleplay.db")
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	ctx := context.Background()
	bundled, err := loadPaths(nil)
	require.NoError(t, err)
	src := strings.Replace(bundled[0].Source, fmt.Sprintf("id = %q", bundled[0].ID), `id = "hiring-only"`, 1)
	sc, err := scenario.Load("hiring-only.toml", []byte(src))
	require.NoError(t, err)
	require.Equal(t, "hiring-only", sc.ID)
	require.NoError(t, store.PutScenarioVersion(ctx, sc.Version()))
	_, err = store.AddUpload(ctx, sim.Upload{Scenario: sc.ID, Hash: sc.Hash, By: "coach", At: time.Now()})
	require.NoError(t, err)
	require.NoError(t, store.Close())

	code, out, errs := roleplay(t, "", "assess", "create", "--scenario", "hiring-only", "--time-limit", "15m", "--candidates", "2",
		"--instructions", "Call Maya back.", "--question", "What did you learn?", "--question", "What next?", "--db", db, "--url", "https://rp.example/")
	require.Equal(t, exitOK, code, errs)
	links := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, links, 2)
	for _, l := range links {
		assert.True(t, strings.HasPrefix(l, "https://rp.example/assess.html#"), l)
	}
	store, err = sqlite.Open(db)
	require.NoError(t, err)
	defer store.Close()
	all, err := store.Assessments(ctx)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, sc.Hash, all[0].Version)
	assert.Equal(t, 15*time.Minute, all[0].TimeLimit)
	assert.Equal(t, "Call Maya back.", all[0].Instructions)
	assert.Equal(t, []string{"What did you learn?", "What next?"}, all[0].Questions)

	code, _, errs = roleplay(t, "", "assess", "create", "--scenario", "nope", "--db", db)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, `there is no scenario "nope"`)
}

// assess create --scenarios DIR finds a scenario the bundled set lacks, as
// serve --scenarios does, and keeps its version for the calls to come.
func TestAssessCreateFromAScenarioDir(t *testing.T) {
	db := filepath.Join(t.TempDir(), "roleplay.db")
	dir := t.TempDir()
	bundled, err := loadPaths(nil)
	require.NoError(t, err)
	src := strings.Replace(bundled[0].Source, fmt.Sprintf("id = %q", bundled[0].ID), `id = "team-only"`, 1)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "team-only.toml"), []byte(src), 0o644))

	code, _, errs := roleplay(t, "", "assess", "create", "--scenario", "team-only", "--db", db)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, `there is no scenario "team-only", bundled or uploaded`)

	code, out, errs := roleplay(t, "", "assess", "create", "--scenario", "team-only", "--scenarios", dir, "--db", db)
	require.Equal(t, exitOK, code, errs)
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1)
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	defer store.Close()
	ctx := context.Background()
	all, err := store.Assessments(ctx)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, "team-only", all[0].Scenario)
	v, err := store.ScenarioVersion(ctx, all[0].Version)
	require.NoError(t, err, "the version is kept for the calls")
	sc, err := scenario.LoadVersion(v)
	require.NoError(t, err)
	assert.Equal(t, "team-only", sc.ID)

	code, _, errs = roleplay(t, "", "assess", "create", "--scenario", "nope", "--scenarios", dir, "--db", db)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, `there is no scenario "nope", in `+dir+` or uploaded`)
}
