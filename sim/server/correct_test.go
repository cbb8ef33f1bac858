package server

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
)

// smallTalk is a line the classifier reads as small talk, which the
// trainee meant as a problem question.
const smallTalk = "Lovely weather we are having this week."

func (c *client) correct(turn int, acts ...string) serverMsg {
	c.tb.Helper()
	c.send(map[string]any{"type": "correct", "turn": turn, "acts": acts})
	return c.recv()
}

// A correction that cannot be used gets an error frame, and the call goes
// on as it was.
func TestCorrectRefused(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mode    string
		lines   int    // lines said before the correction
		msg     string // the correct message, raw
		code    string
		message string // a part of the error's message
	}{
		{"before any call", "-", 0, `{"type":"correct","turn":1,"acts":["problem"]}`, codeNoCall, "no line to correct"},
		{"in an assessment", "assessment", 1, `{"type":"correct","turn":1,"acts":["problem"]}`, codeNotCorrectable, "only in training"},
		{"before any line", "training", 0, `{"type":"correct","turn":1,"acts":["problem"]}`, codeBadCorrection, "say something first"},
		{"a turn before the last", "training", 2, `{"type":"correct","turn":1,"acts":["problem"]}`, codeBadCorrection, "Only your last line (turn 2) can be corrected, not turn 1"},
		{"a turn not said yet", "training", 1, `{"type":"correct","turn":2,"acts":["problem"]}`, codeBadCorrection, "not turn 2"},
		{"no turn", "training", 1, `{"type":"correct","acts":["problem"]}`, codeBadCorrection, "not turn 0"},
		{"an unknown act", "training", 1, `{"type":"correct","turn":1,"acts":["problm"]}`, codeBadCorrection, `unknown act "problm" (did you mean "problem"?)`},
		{"unclear", "training", 1, `{"type":"correct","turn":1,"acts":["unclear"]}`, codeBadCorrection, "choose the act you meant"},
		{"no acts", "training", 1, `{"type":"correct","turn":1,"acts":[]}`, codeBadCorrection, "choose at least one act"},
		{"acts missing", "training", 1, `{"type":"correct","turn":1}`, codeBadCorrection, "choose at least one act"},
		{"an act twice", "training", 1, `{"type":"correct","turn":1,"acts":["problem","problem"]}`, codeBadCorrection, "chosen twice"},
		{"acts not a list", "training", 1, `{"type":"correct","turn":1,"acts":"problem"}`, codeBadJSON, `field "acts" has the wrong type`},
		{"a turn that is not a number", "training", 1, `{"type":"correct","turn":"1","acts":["problem"]}`, codeBadJSON, `field "turn" has the wrong type`},
		{"the acts it was played with", "training", 1, `{"type":"correct","turn":1,"acts":["other"]}`, codeBadCorrection, "played with these acts already"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.dial(t, "")
			var st serverMsg
			if tc.mode != "-" {
				st = c.start(tc.mode)
			}
			for i := 0; i < tc.lines; i++ {
				c.say(smallTalk)
			}
			c.sendRaw(tc.msg)
			m := c.expect("error")
			assert.Equal(t, tc.code, m.Code)
			assert.Contains(t, m.Message, tc.message)
			if tc.mode == "-" {
				return
			}
			rec, err := e.srv.store.Call(context.Background(), st.Call)
			require.NoError(t, err)
			for _, turn := range rec.Turns {
				assert.Nil(t, turn.Override, "nothing corrected")
			}
			assert.Equal(t, tc.lines+1, c.say(goodCall[0]).Turn, "the call goes on")
		})
	}
}

// After the call ended there is nothing to correct.
func TestCorrectAfterTheEnd(t *testing.T) {
	c := newEnv(t).dial(t, "")
	c.start("")
	c.say(smallTalk)
	c.send(map[string]any{"type": "end"})
	c.expect("report")
	m := c.correct(1, "problem")
	assert.Equal(t, "error", m.Type)
	assert.Equal(t, codeCallEnded, m.Code)
}

// A corrected line is played again as meant: the reply is the one the
// meant acts give, the store holds the corrected turn with what was read,
// a resume shows it, and the report marks it.
func TestCorrectReplaysTheTurn(t *testing.T) {
	for _, store := range resumeStores {
		t.Run(store.name, func(t *testing.T) {
			e := newEnv(t, withStore(store.open(t)))
			c := e.dial(t, "")
			st := c.start("")
			c.say(goodCall[0])
			said := c.say(smallTalk)
			require.Equal(t, []sim.Act{sim.Other}, actsOf(said.Acts), "the line is read as small talk")

			got := c.correct(2, "problem")
			require.Equal(t, "reply", got.Type, "%v", got.Raw)
			assert.Equal(t, 2, got.Turn)
			assert.Equal(t, true, got.Raw["corrected"])
			assert.Equal(t, []sim.Act{sim.Problem}, actsOf(got.Acts))
			assert.NotEqual(t, said.Text, got.Text, "the customer answers a problem question")
			assert.NotEmpty(t, got.Checklist)

			rec, err := e.srv.store.Call(context.Background(), st.Call)
			require.NoError(t, err)
			require.Len(t, rec.Turns, 2)
			last := rec.Turns[1]
			require.NotNil(t, last.Override)
			assert.Equal(t, said.Acts, last.Override.Read, "what the classifier read is kept")
			assert.Equal(t, []sim.Act{sim.Problem}, actsOf(last.Acts))
			assert.Equal(t, got.Text, last.Reply)
			assert.Equal(t, smallTalk, last.Said)
			assert.NotEmpty(t, last.Reader)
			assert.False(t, last.Override.At.IsZero())

			// Corrected again: what was read stays the classifier's reading.
			again := c.correct(2, "implication", "empathy")
			require.Equal(t, "reply", again.Type, "%v", again.Raw)
			rec, err = e.srv.store.Call(context.Background(), st.Call)
			require.NoError(t, err)
			assert.Equal(t, said.Acts, rec.Turns[1].Override.Read)
			// Back to what was read: no longer a correction.
			back := c.correct(2, "other")
			require.Equal(t, "reply", back.Type, "%v", back.Raw)
			assert.NotContains(t, back.Raw, "corrected")
			assert.Equal(t, said.Text, back.Text, "the answer as first given")
			rec, err = e.srv.store.Call(context.Background(), st.Call)
			require.NoError(t, err)
			assert.Nil(t, rec.Turns[1].Override)
			assert.Equal(t, said.Acts, rec.Turns[1].Acts)
			got = c.correct(2, "problem")
			require.Equal(t, "reply", got.Type)

			// A resume shows the corrected turn.
			c.ws.Close()
			d := e.dial(t, "")
			r := d.resume(st.Call, st.Token)
			require.Len(t, r.Turns, 2)
			assert.Equal(t, got.Text, r.Turns[1].Text)
			assert.Equal(t, []sim.Act{sim.Problem}, actsOf(r.Turns[1].Acts))
			past := r.Raw["turns"].([]any)
			assert.Equal(t, true, past[1].(map[string]any)["corrected"])
			assert.NotContains(t, past[0].(map[string]any), "corrected")

			// The call goes on, and its report marks the corrected turn.
			assert.Equal(t, 3, d.say(goodCall[2]).Turn)
			d.send(map[string]any{"type": "end"})
			rep := d.expect("report").Report
			require.NotNil(t, rep)
			require.Len(t, rep.Corrections, 1)
			assert.Equal(t, sim.Correction{Turn: 2, Said: smallTalk, Read: []sim.Act{sim.Other}, Meant: []sim.Act{sim.Problem}}, rep.Corrections[0])
			assert.Equal(t, said.Acts, rep.Transcript[1].Read)
		})
	}
}

func actsOf(dets []sim.Detection) []sim.Act {
	var out []sim.Act
	for _, d := range dets {
		out = append(out, d.Act)
	}
	return out
}

// failingCorrections is a store that refuses the next corrections.
type failingCorrections struct {
	*inmem.Store
	mu    sync.Mutex
	fails int
}

func (f *failingCorrections) ReplaceLastTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("disk full")
	}
	return f.Store.ReplaceLastTurn(ctx, id, t)
}

// A correction the store refused leaves the call as it was; one another
// writer overtook (it stored the next turn) moves the call away.
func TestCorrectNotStored(t *testing.T) {
	store := &failingCorrections{Store: inmem.New(), fails: 1}
	e := newEnv(t, withStore(store))
	c := e.dial(t, "")
	st := c.start("")
	said := c.say(smallTalk)

	m := c.correct(1, "problem")
	assert.Equal(t, "error", m.Type)
	assert.Equal(t, codeInternal, m.Code)
	assert.Contains(t, m.Message, "the line stands as it was")
	rec, err := store.Call(context.Background(), st.Call)
	require.NoError(t, err)
	assert.Nil(t, rec.Turns[0].Override)
	assert.Equal(t, said.Text, rec.Turns[0].Reply)

	// Another server stores turn 2 before this one corrects turn 1.
	next := rec.Turns[0]
	next.N, next.Said = 2, "a line said elsewhere"
	require.NoError(t, store.AppendTurn(context.Background(), st.Call, next))
	m = c.correct(1, "problem")
	assert.Equal(t, codeCallMoved, m.Code, "%v", m.Raw)
	rec, err = store.Call(context.Background(), st.Call)
	require.NoError(t, err)
	assert.Nil(t, rec.Turns[0].Override, "turn 1 is not overwritten")
}

// PROTOCOL.md names every act a correction may mean, and its error codes.
func TestProtocolDocumentsCorrections(t *testing.T) {
	doc, err := os.ReadFile("PROTOCOL.md")
	require.NoError(t, err)
	i := strings.Index(string(doc), "The acts of `correct` are")
	require.GreaterOrEqual(t, i, 0, "the paragraph on the acts of correct")
	para, _, _ := strings.Cut(string(doc)[i:], "\n\n")
	for _, a := range sim.Acts() {
		if a == sim.Unclear {
			assert.Contains(t, para, "never `unclear`")
			continue
		}
		assert.Contains(t, para, "`"+a.String()+"`", "act %s", a)
	}
	for _, code := range []string{codeBadCorrection, codeNotCorrectable} {
		assert.Contains(t, string(doc), "| `"+code+"` |", "error code %s", code)
	}
}
