package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

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
