package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// serve --scenarios DIR: an edit is served once saved; a broken edit keeps
// the last good version serving and shows its problems; a new file is
// served, a removed one is not.
func TestWatchedFilesReload(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "clinic.toml")
	write := func(name, src string) {
		t.Helper()
		require.NoError(t, os.WriteFile(name, []byte(src), 0o644))
	}
	write(file, clinicAs(t, "clinic"))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "testdata"), 0o755))
	write(filepath.Join(dir, "testdata", "ignored.toml"), "not a scenario")
	sc, err := scenario.Load(file, []byte(clinicAs(t, "clinic")))
	require.NoError(t, err)
	e := newTrainerEnv(t)
	srv := New(Config{Scenarios: []*sim.Scenario{sc}, Store: e.store, Logger: testLogger(t)})
	srv.now = e.srv.now // the sessions' clock
	t.Cleanup(func() { close(srv.quit) })
	require.NoError(t, srv.WatchScenarios(dir))
	opening := func(id string) string {
		if sc := srv.scenarios.set().serving[id]; sc != nil {
			return sc.Customer.Opening
		}
		return ""
	}
	eventually := func(cond func() bool, what string) {
		t.Helper()
		require.Eventually(t, cond, 5*time.Second, 20*time.Millisecond, what)
	}
	assert.Empty(t, srv.scenarios.set().problems, "the file is fine")

	write(file, withOpening(clinicAs(t, "clinic"), "Edited on disk."))
	eventually(func() bool { return opening("clinic") == "Edited on disk." }, "the edit is served")

	broken := strings.Replace(withOpening(clinicAs(t, "clinic"), "Broken edit."), `difficulty = "beginner"`, `difficulty = "easy"`, 1)
	write(file, broken)
	eventually(func() bool { return len(srv.scenarios.set().problems) > 0 }, "the problems are shown")
	p := srv.scenarios.set().problems[0]
	assert.Equal(t, file, p.File)
	assert.Equal(t, 5, p.Line)
	assert.Equal(t, "error", p.Severity)
	assert.Contains(t, p.Message, `difficulty "easy" is not known`)
	assert.Equal(t, "Edited on disk.", opening("clinic"), "the last good version keeps serving")

	// Trainers see the problems in the page.
	ts := newTrainerEnvOn(t, e, srv)
	resp, b := ts.do(t, ts.cookies["coach"], "GET", "/api/authoring", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var out struct {
		Problems []problem `json:"problems"`
	}
	require.NoError(t, json.Unmarshal(b, &out))
	require.NotEmpty(t, out.Problems)
	assert.Equal(t, p, out.Problems[0])

	write(file, withOpening(clinicAs(t, "clinic"), "Fixed."))
	eventually(func() bool { return opening("clinic") == "Fixed." && len(srv.scenarios.set().problems) == 0 }, "fixed")

	sub := filepath.Join(dir, "more")
	require.NoError(t, os.Mkdir(sub, 0o755))
	time.Sleep(50 * time.Millisecond) // the new folder is watched
	write(filepath.Join(sub, "other.toml"), clinicAs(t, "other"))
	eventually(func() bool { return opening("other") != "" }, "a new file in a new folder is served")
	write(filepath.Join(sub, "dup.toml"), clinicAs(t, "other"))
	eventually(func() bool { return len(srv.scenarios.set().problems) == 1 }, "a second file with the same id")
	dup := srv.scenarios.set().problems[0]
	assert.Equal(t, filepath.Join(sub, "dup.toml"), dup.File, "the file that served the id keeps it")
	assert.Contains(t, dup.Message, "already used by")

	require.NoError(t, os.Remove(file))
	eventually(func() bool { return opening("clinic") == "" }, "a removed file is no longer served")
	assert.Equal(t, []string{"other"}, srv.scenarios.set().order)
}

// newTrainerEnvOn serves srv with e's accounts.
func newTrainerEnvOn(t *testing.T, e *trainerEnv, srv *Server) *trainerEnv {
	t.Helper()
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &trainerEnv{testEnv: &testEnv{srv: srv, ts: ts}, store: e.store, cookies: e.cookies, calls: e.calls}
}
