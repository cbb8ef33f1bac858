package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

// The stores the resume tests run on: each test gets a fresh one.
var resumeStores = []struct {
	name string
	open func(t *testing.T) sim.Store
}{
	{"inmem", func(t *testing.T) sim.Store { return inmem.New() }},
	{"sqlite", func(t *testing.T) sim.Store {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "roleplay.db"))
		require.NoError(t, err)
		t.Cleanup(func() { assert.NoError(t, db.Close()) })
		return db
	}},
}

// How a call is resumed, case by case, on every store.
var resumeCases = []struct {
	name string
	run  func(t *testing.T, e *testEnv)
}{
	{"with its token on a new connection, the call goes on where it was", func(t *testing.T, e *testEnv) {
		a := e.dial(t, "")
		st := a.start("")
		require.NotEmpty(t, st.Token)
		first, second := a.say(goodCall[0]), a.say(goodCall[1])
		a.ws.Close() // the connection drops

		b := e.dial(t, "")
		r := b.resume(st.Call, st.Token)
		assert.Equal(t, st.Call, r.Call)
		assert.Equal(t, "training", r.Mode)
		assert.Equal(t, st.Opening, r.Opening)
		assert.JSONEq(t, string(st.Scenario), string(r.Scenario))
		require.Len(t, r.Turns, 2, "every turn so far")
		for i, want := range []serverMsg{first, second} {
			got := r.Turns[i]
			assert.Equal(t, i+1, got.Turn)
			assert.Equal(t, goodCall[i], got.Said)
			assert.Equal(t, want.Text, got.Text)
			assert.Equal(t, want.Acts, got.Acts, "the acts as the live call showed them")
			assert.Equal(t, want.To, got.To)
			assert.Equal(t, want.Meters, got.Meters)
			assert.Equal(t, want.Revealed, got.Revealed)
			assert.NotContains(t, got.Raw, "checklist", "the resumed message has the current checklist")
		}
		assert.Equal(t, second.To, r.State)
		assert.Equal(t, second.Meters, r.Meters)
		assert.Equal(t, second.Checklist, r.Checklist)
		assert.NotContains(t, r.Raw, "token", "the token is given once, at the start")

		assert.Equal(t, 3, b.say(goodCall[2]).Turn, "the call goes on")
	}},
	{"an assessment resumes without the machine", func(t *testing.T, e *testEnv) {
		a := e.dial(t, "")
		st := a.start("assessment")
		a.say(goodCall[0])
		a.ws.Close()

		r := e.dial(t, "").resume(st.Call, st.Token)
		assert.Equal(t, "assessment", r.Mode)
		for _, k := range []string{"state", "meters", "checklist"} {
			assert.NotContains(t, r.Raw, k)
		}
		require.Len(t, r.Turns, 1)
		assert.Equal(t, goodCall[0], r.Turns[0].Said)
		assert.NotEmpty(t, r.Turns[0].Text)
		for _, k := range []string{"acts", "from", "to", "transitions", "meters", "effects", "revealed"} {
			assert.NotContains(t, r.Turns[0].Raw, k)
		}
	}},
	{"a wrong token, an unknown call and a malformed id get the same answer", func(t *testing.T, e *testEnv) {
		a := e.dial(t, "")
		st := a.start("")
		a.say(goodCall[0])

		c := e.dial(t, "")
		var answers []serverMsg
		for _, m := range []map[string]any{
			{"type": "resume", "call": st.Call, "token": "not-the-token"},
			{"type": "resume", "call": st.Call, "token": ""},
			{"type": "resume", "call": st.Call},
			{"type": "resume", "call": "00112233445566778899aabbccddeeff", "token": st.Token},
			{"type": "resume", "call": "../../etc/passwd", "token": st.Token},
			{"type": "resume"},
		} {
			c.send(m)
			answers = append(answers, c.expect("error"))
		}
		for i, m := range answers {
			assert.Equal(t, "unknown_call", m.Code, "answer %d", i)
			assert.Equal(t, answers[0].Raw, m.Raw, "answer %d says no more than the first", i)
		}
		assert.Equal(t, 2, a.say(goodCall[1]).Turn, "the call was not taken from its player")
	}},
	{"an ended call says so and links its report", func(t *testing.T, e *testEnv) {
		a := e.dial(t, "")
		st := a.start("")
		a.say(goodCall[0])
		a.send(map[string]any{"type": "end"})
		a.expect("report")

		c := e.dial(t, "")
		c.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
		m := c.expect("error")
		assert.Equal(t, "call_ended", m.Code)
		assert.Equal(t, st.Call, m.Call)
		assert.Equal(t, "/api/calls/"+st.Call+"/report", m.ReportURL)
		assert.Equal(t, "/api/calls/"+st.Call+"/transcript", m.TranscriptURL)
	}},
	{"the newer connection takes the call over; the older can no longer play it", func(t *testing.T, e *testEnv) {
		old := e.dial(t, "")
		st := old.start("")
		old.say(goodCall[0])

		newer := e.dial(t, "")
		r := newer.resume(st.Call, st.Token)
		require.Len(t, r.Turns, 1)
		m := old.expect("error")
		assert.Equal(t, "call_moved", m.Code)
		assert.Equal(t, st.Call, m.Call)

		old.send(map[string]any{"type": "say", "text": goodCall[1]})
		assert.Equal(t, "call_moved", old.expect("error").Code, "the older connection cannot write")
		old.send(map[string]any{"type": "end"})
		assert.Equal(t, "call_moved", old.expect("error").Code, "nor end the call")

		assert.Equal(t, 2, newer.say(goodCall[1]).Turn)
		assert.Equal(t, 1, e.srv.holds.count(), "one session holds the call")

		// The older one may take it back, and then it sees the newer turn.
		back := old.resume(st.Call, st.Token)
		assert.Len(t, back.Turns, 2)
		assert.Equal(t, "call_moved", newer.expect("error").Code)
	}},
	{"a connection with a call in progress resumes nothing", func(t *testing.T, e *testEnv) {
		a := e.dial(t, "")
		st := a.start("")
		a.send(map[string]any{"type": "resume", "call": st.Call, "token": st.Token})
		assert.Equal(t, "call_in_progress", a.expect("error").Code)
		assert.Equal(t, 1, a.say(goodCall[0]).Turn)
	}},
	{"a version-1 client plays as before", func(t *testing.T, e *testEnv) {
		a := e.dial(t, "")
		a.send(map[string]any{"v": 1, "type": "start", "scenario": "clinic"})
		a.expect("started")
		a.send(map[string]any{"v": 1, "type": "say", "text": goodCall[0]})
		assert.Equal(t, 1, a.expect("reply").Turn)
	}},
}

func TestResume(t *testing.T) {
	for _, st := range resumeStores {
		t.Run(st.name, func(t *testing.T) {
			for _, tc := range resumeCases {
				t.Run(tc.name, func(t *testing.T) {
					tc.run(t, newEnv(t, withStore(st.open(t))))
				})
			}
		})
	}
}

// A call resumes on a server started again on the same file.
func TestResumeAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	open := func() sim.Store {
		db, err := sqlite.Open(path)
		require.NoError(t, err)
		return db
	}
	before := open()
	e := newEnv(t, withStore(before))
	a := e.dial(t, "")
	st := a.start("")
	first := a.say(goodCall[0])
	e.stop(t)
	require.NoError(t, before.Close())

	after := open()
	t.Cleanup(func() { assert.NoError(t, after.Close()) })
	r := newEnv(t, withStore(after)).dial(t, "").resume(st.Call, st.Token)
	require.Len(t, r.Turns, 1)
	assert.Equal(t, first.Text, r.Turns[0].Text)
}

// Two servers on one store: the call is resumed on the second while the
// first still plays it there. The first knows nothing of it, so the
// store's turn check stops it: its next turn is refused as moved, and
// nothing it says is stored.
func TestTwoServersOneCall(t *testing.T) {
	store := inmem.New()
	a, b := newEnv(t, withStore(store)), newEnv(t, withStore(store))
	onA := a.dial(t, "")
	st := onA.start("")
	onA.say(goodCall[0])

	onB := b.dial(t, "")
	onB.resume(st.Call, st.Token)
	assert.Equal(t, 2, onB.say(goodCall[1]).Turn)

	onA.send(map[string]any{"type": "say", "text": "Something else entirely?"})
	m := onA.expect("error")
	assert.Equal(t, "call_moved", m.Code)
	assert.Equal(t, st.Call, m.Call)

	assert.Equal(t, 3, onB.say(goodCall[2]).Turn)
	saved, err := store.Call(context.Background(), st.Call)
	require.NoError(t, err)
	require.Len(t, saved.Turns, 3)
	for i, turn := range saved.Turns {
		assert.Equal(t, goodCall[i], turn.Said)
	}

	// Nor can a server end the call on a stale conversation.
	onA.resume(st.Call, st.Token) // A takes it back, and is up to date
	assert.Equal(t, 4, onA.say(goodCall[3]).Turn)
	onB.send(map[string]any{"type": "end"})
	assert.Equal(t, "call_moved", onB.expect("error").Code)
}

func (c *client) resume(id, token string) serverMsg {
	c.tb.Helper()
	c.send(map[string]any{"type": "resume", "call": id, "token": token})
	return c.expect("resumed")
}
