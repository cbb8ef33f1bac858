package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

const clinicOpening = "Hello, Maya speaking. I only have a few minutes. What is this about?"

// clinicAs is the test scenario's TOML with another id.
func clinicAs(t testing.TB, id string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/clinic.toml")
	require.NoError(t, err)
	src := strings.Replace(string(b), `id = "clinic"`, fmt.Sprintf("id = %q", id), 1)
	require.Contains(t, src, clinicOpening)
	return src
}

// withOpening is src with the customer's opening line replaced.
func withOpening(src, opening string) string {
	return strings.Replace(src, clinicOpening, opening, 1)
}

type uploaded struct {
	checked
	N     int    `json:"n"`
	Error string `json:"error"`
}

// upload sends src as who and returns the status and answer.
func (e *trainerEnv) upload(t *testing.T, who, name, src string) (int, uploaded) {
	t.Helper()
	resp, b := e.do(t, e.cookies[who], "POST", "/api/scenarios", sourceIn{Name: name, Source: src})
	var out uploaded
	require.NoError(t, json.Unmarshal(b, &out), "%s", b)
	return resp.StatusCode, out
}

func (e *trainerEnv) publish(t *testing.T, who, id, version string) {
	t.Helper()
	resp, b := e.do(t, e.cookies[who], "PUT", "/api/scenarios/"+id+"/published", map[string]string{"version": version})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
}

// listed is the ids GET /api/scenarios gives who, a draft marked "(draft)".
func (e *trainerEnv) listed(t *testing.T, who string) []string {
	t.Helper()
	resp, b := e.do(t, e.cookies[who], "GET", "/api/scenarios", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var list []scenarioListing
	require.NoError(t, json.Unmarshal(b, &list))
	var out []string
	for _, l := range list {
		if l.Draft {
			out = append(out, l.ID+" (draft)")
		} else {
			out = append(out, l.ID)
		}
	}
	return out
}

// dialAs opens a websocket signed in as who ("" a visitor).
func (e *trainerEnv) dialAs(t *testing.T, who string) *client {
	t.Helper()
	h := http.Header{}
	if ck := e.cookies[who]; ck != nil {
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

// startOn sends start for scenario id at version ("" the default) and
// returns the answer, started or error.
func (c *client) startOn(id, version string) serverMsg {
	c.tb.Helper()
	c.send(map[string]any{"type": "start", "scenario": id, "version": version})
	return c.recv()
}

func TestUploadShowsEveryProblemAtItsLine(t *testing.T) {
	e := newTrainerEnv(t)
	src := clinicAs(t, "broken")
	// Line 4 gets an unknown key; a transition names a missing state.
	lines := strings.Split(src, "\n")
	require.Equal(t, `difficulty = "beginner"`, lines[4])
	lines[4] = `dificulty = "beginner"`
	src = strings.Join(lines, "\n") + "\n[[transition]]\nfrom = \"opening\"\non = \"problem\"\nto = \"nowhere\"\n"

	status, out := e.upload(t, "coach", "broken.toml", src)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, out.Error, "nothing was stored")
	require.NotEmpty(t, out.Problems)
	var at []string
	for _, p := range out.Problems {
		assert.Equal(t, "broken.toml", p.File)
		at = append(at, fmt.Sprintf("%d:%d %s", p.Line, p.Col, p.Severity))
	}
	assert.Contains(t, at, "5:1 error", "the unknown key, at its line and column: %v", out.Problems)
	n := len(lines) + 4 // the "to" line of the transition added
	assert.Contains(t, strings.Join(at, ","), fmt.Sprintf("%d:", n), "the missing state: %v", out.Problems)
	recs, err := e.store.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Empty(t, recs, "nothing stored")

	// The check endpoint says the same without storing anything.
	resp, b := e.do(t, e.cookies["coach"], "POST", "/api/authoring/check", sourceIn{Name: "broken.toml", Source: src})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var ch checked
	require.NoError(t, json.Unmarshal(b, &ch))
	assert.False(t, ch.OK)
	assert.Equal(t, out.Problems, ch.Problems)
	// And a good source checks out with its graph.
	resp, b = e.do(t, e.cookies["coach"], "POST", "/api/authoring/check", sourceIn{Source: clinicAs(t, "fine")})
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NoError(t, json.Unmarshal(b, &ch))
	assert.True(t, ch.OK)
	assert.Equal(t, "fine", ch.ID)
	assert.Contains(t, ch.Graph, "stateDiagram")
}

func TestDraftIsForTrainersUntilPublished(t *testing.T) {
	e := newTrainerEnv(t)
	status, up := e.upload(t, "coach", "clinic-two.toml", clinicAs(t, "clinic-two"))
	require.Equal(t, http.StatusCreated, status, "%+v", up)
	assert.Equal(t, 1, up.N)
	assert.Equal(t, "clinic-two", up.ID)

	assert.Equal(t, []string{"clinic"}, e.listed(t, "ana"))
	assert.Equal(t, []string{"clinic"}, e.listed(t, "visitor"))
	assert.Equal(t, []string{"clinic", "clinic-two (draft)"}, e.listed(t, "coach"))

	m := e.dialAs(t, "ana").startOn("clinic-two", "")
	assert.Equal(t, "unknown_scenario", m.Code, "a trainee cannot start a draft")
	m = e.dialAs(t, "ana").startOn("clinic-two", up.Version)
	assert.Equal(t, "unknown_scenario", m.Code, "not even by its version")
	m = e.dialAs(t, "coach").startOn("clinic-two", "")
	require.Equal(t, "started", m.Type, "the trainer plays the draft at once: %v", m.Raw)
	stored, err := e.store.Call(ctx, m.Call)
	require.NoError(t, err)
	assert.Equal(t, up.Version, stored.Version)

	e.publish(t, "coach", "clinic-two", up.Version)
	assert.Equal(t, []string{"clinic", "clinic-two"}, e.listed(t, "ana"))
	m = e.dialAs(t, "ana").startOn("clinic-two", "")
	assert.Equal(t, "started", m.Type)

	e.publish(t, "root", "clinic-two", "")
	assert.Equal(t, []string{"clinic"}, e.listed(t, "ana"), "unpublished")

	resp, _ := e.do(t, e.cookies["coach"], "PUT", "/api/scenarios/clinic-two/published", map[string]string{"version": e.sc.Hash})
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "only an upload is published")
	resp, _ = e.do(t, e.cookies["coach"], "PUT", "/api/scenarios/nothing/published", map[string]string{"version": ""})
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// An upload of a file's scenario, once published, is what trainees get; a
// call stays on the version it started on.
func TestCallsStayOnTheirVersion(t *testing.T) {
	e := newTrainerEnv(t)
	_, v1 := e.upload(t, "coach", "", withOpening(clinicAs(t, "clinic"), "Version one speaking."))
	e.publish(t, "coach", "clinic", v1.Version)
	ana := e.dialAs(t, "ana")
	m := ana.startOn("clinic", "")
	require.Equal(t, "started", m.Type)
	assert.Equal(t, "Version one speaking.", m.Opening)
	first := m.Call

	_, v2 := e.upload(t, "root", "", withOpening(clinicAs(t, "clinic"), "Version two speaking."))
	assert.Equal(t, 2, v2.N)
	e.publish(t, "coach", "clinic", v2.Version)
	ana.say(goodCall[0])
	stored, err := e.store.Call(ctx, first)
	require.NoError(t, err)
	assert.Equal(t, v1.Version, stored.Version, "the call goes on on its version")
	m = e.dialAs(t, "bo").startOn("clinic", "")
	assert.Equal(t, "Version two speaking.", m.Opening)

	// Unpublished, the file's version is served again.
	e.publish(t, "coach", "clinic", "")
	m = e.dialAs(t, "bo").startOn("clinic", "")
	assert.Equal(t, clinicOpening, m.Opening)

	// The authoring page lists both versions, and who made them.
	resp, b := e.do(t, e.cookies["coach"], "GET", "/api/authoring", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var all struct {
		Scenarios []authoredScenario `json:"scenarios"`
	}
	require.NoError(t, json.Unmarshal(b, &all))
	require.Len(t, all.Scenarios, 1)
	a := all.Scenarios[0]
	assert.Equal(t, e.sc.Hash, a.Serving)
	assert.Equal(t, "", a.Published)
	assert.NotEmpty(t, a.File)
	require.Len(t, a.Uploads, 2)
	assert.Equal(t, []string{"coach", "root"}, []string{a.Uploads[0].By, a.Uploads[1].By})

	// Any version's source can be read back to edit.
	resp, b = e.do(t, e.cookies["coach"], "GET", "/api/scenarios/clinic/source?version="+v1.Version, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var src struct {
		Source string `json:"source"`
		Graph  string `json:"graph"`
	}
	require.NoError(t, json.Unmarshal(b, &src))
	assert.Contains(t, src.Source, "Version one speaking.")
	assert.Contains(t, src.Graph, "stateDiagram")
	resp, _ = e.do(t, e.cookies["coach"], "GET", "/api/scenarios/clinic/source?version=abc", nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

type replayOut struct {
	From, To struct{ Version string }
	Turns    []turnDiff `json:"turns"`
	Changed  int        `json:"changed"`
	Grade    struct {
		Before, After gradeView
		Changed       []string
	} `json:"grade"`
}

// Play-as-you-write: a call on the draft, an edit, and the same lines said
// again to the new version show what changed, turn by turn.
func TestReplayShowsWhatChanged(t *testing.T) {
	e := newTrainerEnv(t)
	pain := "Honestly, no-shows. Patients just don't turn up, and we find out when the chair sits empty."
	src := clinicAs(t, "clinic-draft")
	require.Contains(t, src, pain)
	_, v1 := e.upload(t, "coach", "", src)
	coach := e.dialAs(t, "coach")
	m := coach.startOn("clinic-draft", "")
	require.Equal(t, "started", m.Type)
	for _, l := range goodCall[:3] {
		coach.say(l)
	}
	coach.send(map[string]string{"type": "end"})
	coach.expect("report")

	_, v2 := e.upload(t, "coach", "", strings.Replace(src, pain, "Double bookings, mostly.", 1))
	resp, b := e.do(t, e.cookies["coach"], "POST", "/api/scenarios/clinic-draft/replay", map[string]string{"call": m.Call, "version": v2.Version})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	var out replayOut
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, v1.Version, out.From.Version)
	assert.Equal(t, v2.Version, out.To.Version)
	require.Len(t, out.Turns, 3)
	assert.Empty(t, out.Turns[0].Changed, "turn 1 is as it was")
	assert.Contains(t, out.Turns[1].Changed, "reply", "turn 2 reveals the edited pain")
	assert.Equal(t, "Double bookings, mostly.", strings.TrimSpace(out.Turns[1].After.Reply[:len("Double bookings, mostly.")]))
	assert.Equal(t, pain, out.Turns[1].Before.Reply[:len(pain)])
	assert.Equal(t, goodCall[1], out.Turns[1].Said)
	assert.Equal(t, out.Grade.Before.Score, out.Grade.After.Score, "the same acts, the same grade")

	// Lines typed in the page, compared on two versions, say the same.
	resp, b = e.do(t, e.cookies["coach"], "POST", "/api/scenarios/clinic-draft/replay", map[string]any{"lines": goodCall[:3], "from": v1.Version, "version": v2.Version})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	var again replayOut
	require.NoError(t, json.Unmarshal(b, &again))
	assert.Equal(t, out.Turns, again.Turns)

	// By default the newest upload.
	resp, b = e.do(t, e.cookies["coach"], "POST", "/api/scenarios/clinic-draft/replay", map[string]any{"call": m.Call})
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	require.NoError(t, json.Unmarshal(b, &again))
	assert.Equal(t, v2.Version, again.To.Version)

	for _, bad := range []map[string]any{
		{},
		{"lines": []string{"hello", " "}},
		{"call": e.calls["ana"]}, // a call on another scenario
	} {
		resp, b = e.do(t, e.cookies["coach"], "POST", "/api/scenarios/clinic-draft/replay", bad)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, "%v: %s", bad, b)
	}
	resp, b = e.do(t, e.cookies["coach"], "POST", "/api/scenarios/clinic-draft/replay", map[string]any{"lines": []string{"hello", " "}})
	assert.JSONEq(t, `{"error":"line 2: say something: the turn is empty"}`, string(b))
}

// Uploads are kept: a server started on the same store serves them again.
func TestUploadsOutliveTheServer(t *testing.T) {
	e := newTrainerEnv(t)
	_, up := e.upload(t, "coach", "", clinicAs(t, "kept"))
	e.publish(t, "coach", "kept", up.Version)
	_, draft := e.upload(t, "coach", "", withOpening(clinicAs(t, "kept"), "A newer draft."))

	srv := New(Config{Store: e.store})
	require.NoError(t, srv.LoadUploads(ctx))
	set := srv.scenarios.set()
	assert.Equal(t, up.Version, set.serving["kept"].Hash)
	assert.Equal(t, draft.Version, set.latest("kept").Hash)
	assert.Equal(t, []string{"kept"}, set.order)
}

// Servers on one database serve what any of them took in: a second server
// running beside the first picks up its uploads, publishing and removals
// when it reads the uploads again (Sweep does every UploadSyncEvery), and a read
// with nothing new changes nothing.
func TestUploadsReachTheOtherServers(t *testing.T) {
	e := newTrainerEnv(t)
	other := New(Config{Store: e.store})
	require.NoError(t, other.LoadUploads(ctx))
	assert.Nil(t, other.scenarios.set().latest("shared"))

	_, up := e.upload(t, "coach", "", clinicAs(t, "shared"))
	changed, err := other.loadUploads(ctx)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, up.Version, other.scenarios.set().latest("shared").Hash)
	assert.Nil(t, other.scenarios.set().serving["shared"], "a draft is not served to trainees")

	e.publish(t, "coach", "shared", up.Version)
	changed, err = other.loadUploads(ctx)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, up.Version, other.scenarios.set().serving["shared"].Hash)

	before := other.scenarios.set()
	changed, err = other.loadUploads(ctx)
	require.NoError(t, err)
	assert.False(t, changed)
	assert.Same(t, before, other.scenarios.set(), "nothing new: the set is not rebuilt")

	status, msg := e.remove(t, "coach", "shared")
	require.Equal(t, http.StatusNoContent, status, msg)
	changed, err = other.loadUploads(ctx)
	require.NoError(t, err)
	assert.True(t, changed)
	set := other.scenarios.set()
	assert.Nil(t, set.serving["shared"], "removed on the first server, it is not served on the second")
	assert.NotContains(t, set.uploads, "shared", "nor listed for authoring")
	assert.Nil(t, set.byHash[up.Version], "nor started by its version")
}

// The catalog is read while it is written, from many goroutines (run with -race).
func TestCatalogConcurrentUse(t *testing.T) {
	e := newTrainerEnv(t)
	src := clinicAs(t, "busy")
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			resp, _ := e.do(t, e.cookies["coach"], "POST", "/api/scenarios", sourceIn{Source: withOpening(src, fmt.Sprintf("Take %d.", i))})
			assert.Equal(t, http.StatusCreated, resp.StatusCode)
		}()
		go func() {
			defer wg.Done()
			for range 20 {
				set := e.srv.scenarios.set()
				_ = set.listed(&sim.User{Role: sim.Trainer})
				_ = set.start("busy", "", true)
			}
		}()
	}
	wg.Wait()
	assert.Len(t, e.srv.scenarios.set().uploads["busy"].Uploads, 4)
}
