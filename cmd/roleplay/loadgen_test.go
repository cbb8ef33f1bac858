package main

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim/load"
)

func echoWS(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(load.NewEchoServer())
	t.Cleanup(ts.Close)
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
}

func TestLoadAgainstEcho(t *testing.T) {
	code, out, errs := roleplay(t, "", "load", "--url", echoWS(t), "--sessions", "4", "--turns", "40", "--duration", "30s", "--json")
	require.Equal(t, exitOK, code, errs)
	var res load.Result
	require.NoError(t, json.Unmarshal([]byte(out), &res))
	assert.EqualValues(t, 40, res.Sent)
	assert.EqualValues(t, 40, res.Replies)
	assert.Equal(t, load.Closed, res.Loop)
}

func TestLoadGoldenScriptsAndText(t *testing.T) {
	code, out, errs := roleplay(t, "", "load", "--url", echoWS(t), "--sessions", "2", "--turns", "10",
		"--scripts", "../../scenarios/testdata", "--open", "200", "--schedule", "fixed")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "open, 200 turns/s offered, fixed arrivals")
	assert.Contains(t, out, "10 sent, 10 replies")
}

func TestLoadCompare(t *testing.T) {
	code, out, errs := roleplay(t, "", "load", "--url", echoWS(t), "--sessions", "2", "--turns", "10", "--compare")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "ratio (target turns/s ÷ echo turns/s)")
}

func TestLoadUsage(t *testing.T) {
	for _, args := range [][]string{
		{"load", "--closed", "--open", "10"},
		{"load", "--open", "10", "--think", "1s"},
		{"load", "--open", "-3"},
		{"load", "--sessions", "0"},
		{"load", "--mode", "exam"},
		{"load", "--open", "10", "--schedule", "bursty"},
		{"load", "extra"},
	} {
		code, _, _ := roleplay(t, "", args...)
		assert.Equal(t, exitUsage, code, "roleplay %v", args)
	}
}

func TestLoadUnreachableFails(t *testing.T) {
	ts := httptest.NewServer(load.NewEchoServer())
	dead := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	ts.Close() // nothing listens there now
	code, out, _ := roleplay(t, "", "load", "--url", dead, "--sessions", "1", "--duration", "200ms")
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "refused")
}
