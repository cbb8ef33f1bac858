package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

// The real program, wired as 'roleplay serve' wires it, on a free port,
// with no --db: calls go to SQLite in the data directory.
func TestMainServes(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	m := NewMain()
	m.Addr = "127.0.0.1:0"
	require.NoError(t, m.Run(context.Background()))
	t.Cleanup(func() { assert.NoError(t, m.Close()) })
	assert.Equal(t, "SQLite "+filepath.Join(data, "roleplay", "roleplay.db"), m.Where())
	assert.FileExists(t, filepath.Join(data, "roleplay", "roleplay.db"))

	resp, err := http.Get(m.URL() + "/healthz")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	var health struct {
		Status    string `json:"status"`
		Scenarios int    `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal(body, &health))
	assert.Equal(t, "ok", health.Status)
	assert.GreaterOrEqual(t, health.Scenarios, 5, "the bundled scenarios are served")
}

// --db names the store: an SQLite file by default, memory, or PostgreSQL.
func TestDBChoosesTheStore(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_DATA_HOME", filepath.Join(dir, "xdg"))
	tests := []struct {
		db    string
		where string
		store any
	}{
		{"", "SQLite " + filepath.Join(dir, "xdg", "roleplay", "roleplay.db"), &sqlite.DB{}},
		{filepath.Join(dir, "calls", "mine.db"), "SQLite " + filepath.Join(dir, "calls", "mine.db"), &sqlite.DB{}},
		{"memory", "memory (calls are lost when the server stops)", &inmem.Store{}},
	}
	for _, tt := range tests {
		s, where, err := openStore(context.Background(), tt.db)
		require.NoError(t, err, tt.db)
		assert.Equal(t, tt.where, where, tt.db)
		assert.IsType(t, tt.store, s, tt.db)
		require.NoError(t, s.Close())
	}

	_, _, err := openStore(context.Background(), "postgres://someone:s3cret-pw@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	require.Error(t, err, "nothing listens on port 1")
	assert.NotContains(t, err.Error(), "s3cret-pw")
	assert.Equal(t, "postgres://someone:xxxxx@127.0.0.1:1/none?sslmode=disable", redacted("postgres://someone:s3cret-pw@127.0.0.1:1/none?sslmode=disable"))
}

func TestServeHelpDocumentsDB(t *testing.T) {
	code, out, _ := roleplay(t, "", "serve", "--help")
	assert.Equal(t, exitOK, code)
	for _, want := range []string{"-db PATH", "postgres://", "memory", "~/.local/share/roleplay/roleplay.db", "$XDG_DATA_HOME/roleplay/roleplay.db"} {
		assert.True(t, strings.Contains(out, want), "serve --help mentions %q:\n%s", want, out)
	}
}

// serve --scenarios DIR serves an edit of a file once it is saved, and
// keeps the last good version when an edit breaks it.
func TestMainReloadsScenarioDir(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile("../../scenarios/beginner-bakery.toml")
	require.NoError(t, err)
	file := filepath.Join(dir, "bakery.toml")
	require.NoError(t, os.WriteFile(file, src, 0o644))
	m := NewMain()
	m.Addr, m.ScenarioDir = "127.0.0.1:0", dir
	require.NoError(t, m.Run(context.Background()))
	t.Cleanup(func() { assert.NoError(t, m.Close()) })
	title := func() string {
		resp, err := http.Get(m.URL() + "/api/scenarios")
		require.NoError(t, err)
		defer resp.Body.Close()
		var list []struct{ Title string }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&list))
		require.Len(t, list, 1)
		return list[0].Title
	}
	old := title()
	edited := regexp.MustCompile(`(?m)^title = ".*"$`).ReplaceAllString(string(src), `title = "Edited on disk"`)
	require.NoError(t, os.WriteFile(file, []byte(edited), 0o644))
	require.Eventually(t, func() bool { return title() == "Edited on disk" }, 5*time.Second, 20*time.Millisecond)
	require.NoError(t, os.WriteFile(file, []byte(edited+"\nnot toml at all\n"), 0o644))
	time.Sleep(500 * time.Millisecond) // more than the reload delay
	assert.Equal(t, "Edited on disk", title(), "the last good version keeps serving")
	assert.NotEqual(t, old, title())
}
