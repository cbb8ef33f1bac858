package server

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
)

// goodCall asks about the situation, the problem, what it costs and what
// solving it would be worth, ties the product to the problem, then asks
// for a next step.
var goodCall = []string{
	"Thanks for taking the call, Maya. How do your patients book appointments with you today?",
	"What is the hardest problem you have with appointments at the moment?",
	"That sounds frustrating. What does it cost the practice when a chair sits empty like that?",
	"How much would it help if you could fill a cancelled slot the same morning?",
	"BookWell texts every patient a reminder the day before and offers a cancelled slot to other patients right away, so those no-shows get filled.",
	"Would you be open to a thirty minute demo with your front desk next Tuesday?",
}

// badCall pitches from the first line and asks for the sale before
// learning anything about the customer.
var badCall = []string{
	"BookWell is the best booking software on the market, with online booking and text reminders.",
	"Our platform is used by hundreds of clinics and our reminders are the best in the industry. Can we get you signed up this week?",
	"BookWell also has a beautiful dashboard and it integrates with everything you use.",
}

func TestGoodCallIsWonAndReported(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")

	st := c.start("")
	assert.Equal(t, "training", st.Mode)
	assert.Len(t, st.Call, 32)
	assert.Equal(t, e.sc.Customer.Opening, st.Opening)
	assert.Equal(t, "opening", st.State)
	assert.NotEmpty(t, st.Meters, "meters are shown in training mode")
	assert.Len(t, st.Checklist, len(e.sc.Facts))
	assert.JSONEq(t, `{"id":"clinic","title":"Scheduling software for a dental clinic",
		"customer":{"name":"Maya Chen","role":"Practice Manager","company":"Bright Smile Dental"},
		"display":{"meters":true,"checklist":true}}`, string(st.Scenario))

	var last serverMsg
	for i, line := range goodCall {
		last = c.say(line)
		assert.Equal(t, i+1, last.Turn)
		assert.NotEmpty(t, last.Text)
		assert.NotEmpty(t, last.Acts, "training mode shows the acts read in %q", line)
		assert.NotEmpty(t, last.To)
		if last.Ended {
			break
		}
	}
	require.True(t, last.Ended, "the close should end the call")
	assert.Equal(t, sim.Won, last.Outcome)

	rep := c.expect("report")
	require.NotNil(t, rep.Report)
	assert.Equal(t, st.Call, rep.Call)
	assert.Equal(t, sim.Won, rep.Report.Outcome)
	assert.Equal(t, len(goodCall), rep.Report.Turns)
	assert.NotEqual(t, sim.SelfFocused, rep.Report.Profile)
	assert.Equal(t, sim.Balanced, rep.Report.Profile, "customer focus %d, self focus %d", rep.Report.CustomerFocus, rep.Report.SelfFocus)
	assert.Equal(t, "/api/calls/"+st.Call+"/report", rep.ReportURL)
	assert.Equal(t, "/api/calls/"+st.Call+"/transcript", rep.TranscriptURL)
	found := 0
	for _, f := range last.Checklist {
		if f.Turn > 0 {
			found++
		}
	}
	assert.Equal(t, len(e.sc.Facts), found, "every fact came out: %+v", last.Checklist)
}

func TestBadCallIsLostAndSelfFocused(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")
	c.start("training")

	var last serverMsg
	for _, line := range badCall {
		last = c.say(line)
		if last.Ended {
			break
		}
	}
	require.True(t, last.Ended, "three early pitches end the call")
	assert.Equal(t, sim.Lost, last.Outcome)
	assert.Equal(t, "lost", last.To)

	rep := c.expect("report")
	require.NotNil(t, rep.Report)
	assert.Equal(t, sim.Lost, rep.Report.Outcome)
	assert.Equal(t, sim.SelfFocused, rep.Report.Profile, "customer focus %d, self focus %d", rep.Report.CustomerFocus, rep.Report.SelfFocus)
	assert.NotEmpty(t, rep.Report.Coaching)
}

func TestAssessmentHidesTheMachine(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")
	st := c.start("assessment")
	assert.Equal(t, "assessment", st.Mode)
	assert.NotEmpty(t, st.Opening)
	for _, k := range []string{"state", "meters", "checklist"} {
		assert.NotContains(t, st.Raw, k)
	}
	r := c.say(goodCall[0])
	assert.NotEmpty(t, r.Text)
	for _, k := range []string{"acts", "from", "to", "transitions", "meters", "effects", "revealed", "checklist"} {
		assert.NotContains(t, r.Raw, k)
	}
	c.send(map[string]any{"type": "end"})
	rep := c.expect("report")
	require.NotNil(t, rep.Report)
	assert.Equal(t, sim.Open, rep.Report.Outcome, "the trainee hung up")
	assert.Equal(t, 1, rep.Report.Turns)
}

func TestMalformedMessagesKeepTheSession(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")

	before := []struct{ msg, code string }{
		{`{"type":"say","text":"Hello"}`, "no_call"},
		{`{"type":"end"}`, "no_call"},
		{`this is not json`, "bad_json"},
		{`[1,2,3]`, "bad_json"},
		{`{"type":5}`, "bad_json"},
		{`{"type":"dance"}`, "unknown_type"},
		{`{}`, "unknown_type"},
		{`{"v":3,"type":"start","scenario":"clinic"}`, "unsupported_version"},
		{`{"type":"start","scenario":"nope"}`, "unknown_scenario"},
		{`{"type":"start","scenario":"clinic","mode":"exam"}`, "unknown_mode"},
	}
	for _, tc := range before {
		c.sendRaw(tc.msg)
		m := c.expect("error")
		assert.Equal(t, tc.code, m.Code, tc.msg)
		assert.NotEmpty(t, m.Message, tc.msg)
		assert.Equal(t, ProtocolVersion, m.V)
	}
	require.NoError(t, c.ws.WriteMessage(2, []byte{1, 2, 3})) // binary
	assert.Equal(t, "bad_json", c.expect("error").Code)

	first := c.start("")
	during := []struct{ msg, code string }{
		{`{"v":1,"type":"start","scenario":"clinic"}`, "call_in_progress"},
		{`{"type":"say","text":""}`, "empty_text"},
		{`{"type":"say","text":"   "}`, "empty_text"},
		{`{"type":"say"}`, "empty_text"},
		{`{"type":"say","text":"\u0000\u200b\ufeff"}`, "empty_text"}, // invisible: cleaned away (sim.Clean)
		{`{"type":"say","text":"` + strings.Repeat("a", sim.MaxTurnLength+1) + `"}`, "too_long"},
	}
	for _, tc := range during {
		c.sendRaw(tc.msg)
		assert.Equal(t, tc.code, c.expect("error").Code, "%.60s", tc.msg)
	}
	r := c.say(goodCall[0])
	assert.Equal(t, 1, r.Turn, "refused turns are not counted")

	c.send(map[string]any{"v": 1, "type": "end"})
	c.expect("report")
	after := []struct{ msg, code string }{
		{`{"type":"say","text":"Are you still there?"}`, "call_ended"},
		{`{"type":"end"}`, "call_ended"},
	}
	for _, tc := range after {
		c.sendRaw(tc.msg)
		assert.Equal(t, tc.code, c.expect("error").Code, tc.msg)
	}
	second := c.start("")
	assert.NotEqual(t, first.Call, second.Call, "a new call after the last one ended")
	assert.Equal(t, 1, c.say(goodCall[0]).Turn)
}

// flakyStore fails the writes it is told to, and keeps the others.
type flakyStore struct {
	*inmem.Store
	mu    sync.Mutex
	fails int // writes still to fail
	saves int // writes that went through
}

func (f *flakyStore) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fails > 0 {
		f.fails--
		return errors.New("disk full")
	}
	f.saves++
	return f.Store.AppendTurn(ctx, id, t)
}

// Every acknowledged turn is in the store before its reply is sent; a turn
// the store refused is taken back, so the trainee can say it again.
func TestTurnsAreStoredBeforeTheyAreAcknowledged(t *testing.T) {
	store := &flakyStore{Store: inmem.New()}
	e := newEnv(t, func(c *Config, _ *Server) { c.Store = store })
	c := e.dial(t, "")
	st := c.start("")

	r := c.say("What is the hardest problem you have with appointments at the moment?")
	require.Equal(t, "reply", r.Type)
	saved, err := store.Call(context.Background(), st.Call)
	require.NoError(t, err)
	assert.Len(t, saved.Turns, 1, "turn 1 is stored by the time its reply arrives")

	store.mu.Lock()
	store.fails = 1
	store.mu.Unlock()
	c.send(map[string]any{"type": "say", "text": "What does a no-show cost you?"})
	m := c.expect("error")
	assert.Equal(t, "internal", m.Code)

	r = c.say("What does a no-show cost you?")
	require.Equal(t, "reply", r.Type)
	assert.Equal(t, 2, r.Turn, "the refused turn was taken back")
	saved, err = store.Call(context.Background(), st.Call)
	require.NoError(t, err)
	assert.Len(t, saved.Turns, 2)
}
