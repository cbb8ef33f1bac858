package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// TestRevealsAreRecorded: every review or export that shows the names is
// recorded with who asked, how and when (the server's clock), before the
// names are sent; a blind one is not. The review carries the list, oldest
// first, blind or not.
func TestRevealsAreRecorded(t *testing.T) {
	clk := &manualClock{t: time.Date(2026, 12, 1, 20, 5, 0, 0, time.UTC)}
	e := newTrainerEnv(t, withClock(clk))
	made, _ := startAssessment(t, e, "coach", map[string]any{"scenario": "clinic", "time_limit": "90s", "candidates": 1}, "Ana Candidate")
	path := "/api/assessments/" + made.Assessment.ID
	review := func(who, query string) assessmentReview {
		t.Helper()
		resp, b := e.do(t, e.cookies[who], "GET", path+query, nil)
		require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
		var rev assessmentReview
		require.NoError(t, json.Unmarshal(b, &rev))
		return rev
	}

	rev := review("coach", "")
	assert.Equal(t, []sim.Reveal{}, rev.Reveals, "none yet, and a blind review is none")
	assert.Empty(t, rev.Candidates[0].Name)

	t0 := clk.now()
	rev = review("coach", "?reveal=1")
	assert.Equal(t, "Ana Candidate", rev.Candidates[0].Name)
	want := []sim.Reveal{{Assessment: made.Assessment.ID, User: "coach", Via: sim.RevealReview, At: t0}}
	assert.Equal(t, want, rev.Reveals, "the review that reveals lists itself")

	clk.add(time.Minute)
	resp, b := e.do(t, e.cookies["root"], "GET", path+"/export?reveal=1", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	require.NoError(t, err)
	assert.Equal(t, "Ana Candidate", rows[1][1])
	want = append(want, sim.Reveal{Assessment: made.Assessment.ID, User: "root", Via: sim.RevealCSV, At: clk.now()})

	clk.add(time.Minute)
	resp, b = e.do(t, e.cookies["coach"], "GET", path+"/export?format=json", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	assert.NotContains(t, string(b), "Ana Candidate", "a blind export")
	resp, b = e.do(t, e.cookies["coach"], "GET", path+"/export?format=json&reveal=1", nil)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", b)
	assert.Contains(t, string(b), "Ana Candidate")
	want = append(want, sim.Reveal{Assessment: made.Assessment.ID, User: "coach", Via: sim.RevealJSON, At: clk.now()})

	clk.add(time.Minute)
	rev = review("coach", "?reveal=0")
	assert.Empty(t, rev.Candidates[0].Name)
	assert.Equal(t, want, rev.Reveals, "each reveal, oldest first, in the blind review too")
	stored, err := e.store.Reveals(ctx, made.Assessment.ID)
	require.NoError(t, err)
	assert.Equal(t, want, stored, "kept by the store")
}

// revealFails is a store that cannot record a reveal.
type revealFails struct{ sim.Store }

func (revealFails) AddReveal(context.Context, sim.Reveal) error {
	return errors.New("disk full")
}

// TestNoNamesUnlessRecorded: when the reveal cannot be recorded, the
// reviewer gets an error and no name, in the review and the export.
func TestNoNamesUnlessRecorded(t *testing.T) {
	e := newTrainerEnv(t, func(c *Config, srv *Server) {
		if srv == nil {
			c.Store = revealFails{c.Store}
		}
	})
	made, _ := startAssessment(t, e, "coach", map[string]any{"scenario": "clinic", "time_limit": "90s", "candidates": 1}, "Ana Candidate")
	for _, q := range []string{"?reveal=1", "/export?reveal=1", "/export?format=json&reveal=1"} {
		resp, b := e.do(t, e.cookies["coach"], "GET", "/api/assessments/"+made.Assessment.ID+q, nil)
		assert.Equal(t, http.StatusInternalServerError, resp.StatusCode, "%s: %s", q, b)
		assert.NotContains(t, string(b), "Ana Candidate", q)
	}
	resp, b := e.do(t, e.cookies["coach"], "GET", "/api/assessments/"+made.Assessment.ID, nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the blind review needs no record: %s", b)
}
