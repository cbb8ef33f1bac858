package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The real program, wired as 'roleplay serve' wires it, on a free port.
func TestMainServes(t *testing.T) {
	m := NewMain()
	m.Addr = "127.0.0.1:0"
	require.NoError(t, m.Run(context.Background()))
	t.Cleanup(func() { assert.NoError(t, m.Close()) })

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
