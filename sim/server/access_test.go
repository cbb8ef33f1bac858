package server

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// A trainer, for the tests: any request with X-Test-Trainer: yes. The
// real trainer area brings its own sessions.
func testTrainer(r *http.Request, c *sim.Call) Access {
	if r.Header.Get("X-Test-Trainer") == "yes" {
		return TrainerAccess
	}
	return NoAccess
}

// Who may read a call's report and transcript, and what each gets.
func TestWhoMayReadACall(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Server) { c.Authorize = testTrainer })

	// Four calls: training and assessment, in progress and ended.
	calls := map[string]serverMsg{}
	for _, mode := range []string{"training", "assessment"} {
		for _, ended := range []bool{false, true} {
			c := e.dial(t, "")
			st := c.start(mode)
			c.say(goodCall[0])
			c.say(goodCall[1])
			name := mode + " in progress"
			if ended {
				c.send(map[string]any{"type": "end"})
				c.expect("report")
				name = mode + " ended"
			}
			calls[name] = st
		}
	}
	other := calls["training ended"].Token

	const (
		none    = ""
		token   = "token"   // the call's own token
		trainer = "trainer" // no token, but the Authorize hook says trainer
	)
	tests := []struct {
		call, path, who string
		auth            string // an Authorization header other than the call's token
		status          int
		got             string // "full" transcript, "lines", or "report"
	}{
		// No credentials: 401, whatever the call, before anything is looked up.
		{call: "training ended", path: "report", who: none, status: 401},
		{call: "training ended", path: "transcript", who: none, status: 401},
		{call: "training ended", path: "report", auth: "Basic dXNlcjpwdw==", status: 401},
		{call: "training ended", path: "report", auth: "Bearer", status: 401},
		// A wrong token, or another call's: 404, as for a call that does not exist.
		{call: "training ended", path: "report", auth: "Bearer not-the-token", status: 404},
		{call: "assessment ended", path: "transcript", auth: "Bearer " + other, status: 404},
		// The call's token: the report once ended; the full transcript only
		// of an ended training call, otherwise the lines.
		{call: "training in progress", path: "report", who: token, status: 404},
		{call: "training in progress", path: "transcript", who: token, status: 200, got: "lines"},
		{call: "training ended", path: "report", who: token, status: 200, got: "report"},
		{call: "training ended", path: "transcript", who: token, status: 200, got: "full"},
		{call: "assessment in progress", path: "transcript", who: token, status: 200, got: "lines"},
		{call: "assessment ended", path: "report", who: token, status: 200, got: "report"},
		{call: "assessment ended", path: "transcript", who: token, status: 200, got: "lines"},
		// A trainer reads everything, at any time.
		{call: "assessment in progress", path: "transcript", who: trainer, status: 200, got: "full"},
		{call: "assessment ended", path: "report", who: trainer, status: 200, got: "report"},
	}
	for _, tt := range tests {
		st := calls[tt.call]
		url := e.ts.URL + "/api/calls/" + st.Call + "/" + tt.path
		req, err := http.NewRequest(http.MethodGet, url, nil)
		require.NoError(t, err)
		switch {
		case tt.auth != "":
			req.Header.Set("Authorization", tt.auth)
		case tt.who == token:
			req.Header.Set("Authorization", "Bearer "+st.Token)
		case tt.who == trainer:
			req.Header.Set("X-Test-Trainer", "yes")
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		var body map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		resp.Body.Close()

		what := tt.call + " " + tt.path + " by " + tt.who + tt.auth
		assert.Equal(t, tt.status, resp.StatusCode, "%s: %v", what, body)
		if tt.status == 401 {
			assert.Equal(t, `Bearer realm="roleplay"`, resp.Header.Get("WWW-Authenticate"), what)
		}
		switch tt.got {
		case "full":
			scen, _ := body["scenario"].(map[string]any)
			assert.NotEmpty(t, scen["source"], "%s: the full transcript has the scenario", what)
		case "lines":
			assert.Equal(t, "lines", body["kind"], what)
			raw, _ := json.Marshal(body)
			for _, secret := range []string{`"source"`, `"defaults"`, `"acts"`, `"cues"`, e.sc.Facts[0].Label} {
				assert.NotContains(t, string(raw), secret, what)
			}
			assert.Len(t, body["turns"], 2, what)
		case "report":
			assert.Equal(t, "clinic", body["scenario"], what)
		}
	}
}
