package server

import (
	"net/http"
	"slices"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
)

// Play-as-you-write: the trainee lines of a call (or lines typed in the
// page) said again to another version of the scenario, turn by turn to the
// last one, and what changed: each turn's reply, acts, state, meters and
// facts revealed, and the grade.

// maxReplayLines bounds the lines of one replay: the longest call has 200 turns.
const maxReplayLines = 200

type replayIn struct {
	// Call is a stored call of the scenario: its lines, as it went.
	Call string `json:"call"`
	// Lines, without a call, are said to version From too ("" the one a
	// trainer means by the id) to compare with.
	Lines []string `json:"lines"`
	From  string   `json:"from"`
	// Version is the version to replay on; "" the newest upload, else the
	// one trainees get.
	Version string `json:"version"`
}

// side is one turn as one version answered it.
type side struct {
	Reply    string            `json:"reply"`
	Acts     []string          `json:"acts"`
	From     string            `json:"from"`
	To       string            `json:"to"`
	Meters   []sim.MeterChange `json:"meters"`
	Revealed []string          `json:"revealed"`
	Ended    bool              `json:"ended,omitempty"`
	Outcome  sim.Outcome       `json:"outcome"`
}

func sideOf(t sim.Turn) *side {
	out := &side{Reply: t.Reply, Acts: []string{}, From: t.From, To: t.To, Meters: t.Meters, Revealed: t.Revealed, Ended: t.Ended, Outcome: t.Outcome}
	for _, d := range t.Acts {
		if a := d.Act.String(); !slices.Contains(out.Acts, a) {
			out.Acts = append(out.Acts, a)
		}
	}
	if out.Revealed == nil {
		out.Revealed = []string{}
	}
	return out
}

// turnDiff is one line and what each version made of it; a side is null
// when its version had ended the call before this line.
type turnDiff struct {
	N       int      `json:"n"`
	Said    string   `json:"said"`
	Before  *side    `json:"before"`
	After   *side    `json:"after"`
	Changed []string `json:"changed"` // reply, acts, state, meters, revealed, ended
}

func diffTurn(b, a *side) []string {
	out := []string{}
	switch {
	case b == nil && a == nil:
		return out
	case b == nil || a == nil:
		return []string{"ended"}
	}
	if b.Reply != a.Reply {
		out = append(out, "reply")
	}
	if !slices.Equal(b.Acts, a.Acts) {
		out = append(out, "acts")
	}
	if b.From != a.From || b.To != a.To {
		out = append(out, "state")
	}
	if !slices.EqualFunc(b.Meters, a.Meters, func(x, y sim.MeterChange) bool { return x.Name == y.Name && x.Value == y.Value }) {
		out = append(out, "meters")
	}
	if !slices.Equal(b.Revealed, a.Revealed) {
		out = append(out, "revealed")
	}
	if b.Ended != a.Ended || b.Outcome != a.Outcome {
		out = append(out, "ended")
	}
	return out
}

// gradeView is the headline of a report.
type gradeView struct {
	Outcome       sim.Outcome `json:"outcome"`
	Reason        string      `json:"reason"`
	Turns         int         `json:"turns"`
	Profile       sim.Profile `json:"profile"`
	CustomerFocus int         `json:"customer_focus"`
	SelfFocus     int         `json:"self_focus"`
	Quality       int         `json:"quality"`
	Score         int         `json:"score"`
	Passed        bool        `json:"passed"`
	Verdict       string      `json:"verdict"`
}

func gradeOf(c *sim.Conversation) gradeView {
	if !c.Ended() {
		c.End(sim.EndedByTrainee) // the lines ran out: the trainee hangs up
	}
	r := grade.Grade(c)
	return gradeView{
		Outcome: r.Outcome, Reason: r.Reason, Turns: r.Turns, Profile: r.Profile,
		CustomerFocus: r.CustomerFocus, SelfFocus: r.SelfFocus, Quality: r.Quality,
		Score: r.Score, Passed: r.Passed, Verdict: r.Verdict,
	}
}

func diffGrade(b, a gradeView) []string {
	out := []string{}
	for _, f := range []struct {
		name string
		same bool
	}{
		{"outcome", b.Outcome == a.Outcome}, {"turns", b.Turns == a.Turns}, {"profile", b.Profile == a.Profile},
		{"customer_focus", b.CustomerFocus == a.CustomerFocus}, {"self_focus", b.SelfFocus == a.SelfFocus},
		{"quality", b.Quality == a.Quality}, {"score", b.Score == a.Score}, {"passed", b.Passed == a.Passed},
	} {
		if !f.same {
			out = append(out, f.name)
		}
	}
	return out
}

type versionRef struct {
	Version string `json:"version"`
	Title   string `json:"title"`
}

// replayScenario answers POST /api/scenarios/{id}/replay {"call"} or
// {"lines","from"}, with "version": the lines said again to that version
// until they run out or it ends the call, beside what the call did (or
// what version from makes of the lines), turn by turn, and both grades.
func (s *Server) replayScenario(w http.ResponseWriter, r *http.Request, v *sim.User) {
	var in replayIn
	if !readJSONUpTo(w, r, &in, maxSourceBody) {
		return
	}
	id := r.PathValue("id")
	version := in.Version
	if version == "" {
		if sc := s.scenarios.set().latest(id); sc != nil {
			version = sc.Hash
		}
	}
	after, err := s.versionOf(r.Context(), id, version)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	var before *sim.Conversation
	lines := in.Lines
	switch {
	case in.Call != "":
		c, _, ok := s.visibleCall(w, r, v, in.Call)
		if !ok {
			return
		}
		if c.Scenario != id {
			writeError(w, http.StatusBadRequest, "that call was played on another scenario")
			return
		}
		sc, err := s.versionOf(r.Context(), id, c.Version)
		if err != nil {
			s.apiError(w, "", err)
			return
		}
		if before, err = sim.Replay(sc, s.reader, c); err != nil {
			s.apiError(w, c.ID, err)
			return
		}
		lines = nil
		for _, t := range c.Turns {
			lines = append(lines, t.Said)
		}
	case len(in.Lines) == 0:
		writeError(w, http.StatusBadRequest, `send the "call" to replay, or its "lines"`)
		return
	case len(in.Lines) > maxReplayLines:
		writeError(w, http.StatusBadRequest, "at most 200 lines")
		return
	default:
		sc, err := s.versionOf(r.Context(), id, in.From)
		if err != nil {
			s.apiError(w, "", err)
			return
		}
		if before, _, err = say(sc, s.reader, lines); err != nil {
			s.apiError(w, "", err)
			return
		}
	}
	conv, turns, err := say(after, s.reader, lines)
	if err != nil {
		s.apiError(w, "", err)
		return
	}
	out := struct {
		Scenario string     `json:"scenario"`
		Call     string     `json:"call,omitempty"`
		From     versionRef `json:"from"`
		To       versionRef `json:"to"`
		Turns    []turnDiff `json:"turns"`
		Changed  int        `json:"changed"` // turns with a change
		Grade    struct {
			Before  gradeView `json:"before"`
			After   gradeView `json:"after"`
			Changed []string  `json:"changed"`
		} `json:"grade"`
	}{
		Scenario: id, Call: in.Call, Turns: []turnDiff{},
		From: versionRef{before.Scenario().Hash, before.Scenario().Title},
		To:   versionRef{after.Hash, after.Title},
	}
	old := before.Turns()
	for i, line := range lines {
		d := turnDiff{N: i + 1, Said: line}
		if i < len(old) {
			d.Before = sideOf(old[i])
		}
		if i < len(turns) {
			d.After = sideOf(turns[i])
		}
		d.Changed = diffTurn(d.Before, d.After)
		if len(d.Changed) > 0 {
			out.Changed++
		}
		out.Turns = append(out.Turns, d)
	}
	out.Grade.Before, out.Grade.After = gradeOf(before), gradeOf(conv)
	out.Grade.Changed = diffGrade(out.Grade.Before, out.Grade.After)
	writeJSON(w, http.StatusOK, out)
}

// say says lines to a new conversation on sc, read by rd, until they run
// out or the conversation ends.
func say(sc *sim.Scenario, rd sim.Reader, lines []string) (*sim.Conversation, []sim.Turn, error) {
	c := sim.NewConversation(sc, rd)
	for i, l := range lines {
		if c.Ended() {
			break
		}
		if _, err := c.Say(l); err != nil {
			return nil, nil, sim.Errorf(sim.EInvalid, "line %d: %v", i+1, err)
		}
	}
	return c, c.Turns(), nil
}
