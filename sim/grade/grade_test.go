package grade_test

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/script"
)

func maxSum(parts []sim.ScorePart) int {
	n := 0
	for _, p := range parts {
		n += p.Max
	}
	return n
}

// Weights reshape customer focus, which still adds up to 100, and scale
// self-focus's parts, whose total is capped.
func TestGradingWeights(t *testing.T) {
	base := string(must(os.ReadFile("../testdata/minimal.toml")))
	plain, err := scenario.Load("minimal.toml", []byte(base))
	require.NoError(t, err)
	weighted, err := scenario.Load("minimal.toml", []byte(base+"\n[grading]\nweights = { qualification = 3, product_advocacy = 0 }\n"))
	require.NoError(t, err)
	lines := []string{"<problem>", "<implication>", "<qualify_budget>", "<close>"}

	a, b := tagged(t, plain), tagged(t, weighted)
	say(t, a, lines...)
	say(t, b, lines...)
	ra, rb := grade.Grade(a), grade.Grade(b)

	assert.Equal(t, 100, maxSum(ra.CustomerFocusParts))
	assert.Equal(t, ra.CustomerFocusParts, rb.CustomerFocusParts, "customer focus untouched")
	var names []string
	for _, p := range rb.SelfFocusParts {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"product talk", "asked for commitment", "qualification"}, names, "weight 0 leaves a part out; held value is not graded when price never came up")
	assert.Equal(t, 3*40, rb.SelfFocusParts[2].Max, "qualification weighs three times as much")
}

func TestGradeAnEmptyCall(t *testing.T) {
	c := tagged(t, minimal(t))
	c.Hangup()
	r := grade.Grade(c)
	assert.Equal(t, sim.Open, r.Outcome)
	assert.Equal(t, 0, r.Turns)
	assert.Equal(t, sim.Passive, r.Profile)
	assert.NotNil(t, r.Transcript)
	assert.GreaterOrEqual(t, len(r.Coaching), 1)
}

func TestCoachingIsTiedToTurnsAndRules(t *testing.T) {
	c := tagged(t, minimal(t))
	say(t, c, "<pitch>", "<situation>", "<problem>", "<concession> 10%", "<pressure>")
	r := grade.Grade(c)
	require.GreaterOrEqual(t, len(r.Coaching), 3)
	require.LessOrEqual(t, len(r.Coaching), 5)
	rules := map[string]sim.Coaching{}
	for _, co := range r.Coaching {
		rules[co.Rule] = co
	}
	assert.Equal(t, []int{1}, rules["pitched_too_early"].Turns)
	assert.Equal(t, "What's the hardest part of keeping deliveries on time?", rules["pitched_too_early"].Better, "the better question comes from the scenario")
	assert.Equal(t, []int{4}, rules["unconditional_concession"].Turns)
	assert.Equal(t, []int{5}, rules["pressure"].Turns)
	assert.Equal(t, 10.0, r.Concessions.DeepestPercent)
	assert.True(t, r.Pitch.TooEarly)
}

// minimal is the test persona of sim/testdata.
func minimal(t *testing.T) *sim.Scenario {
	t.Helper()
	all, err := scenario.LoadFS(os.DirFS("../testdata"), "minimal.toml")
	require.NoError(t, err)
	return all[0]
}

func tagged(t *testing.T, s *sim.Scenario) *sim.Conversation {
	t.Helper()
	return sim.NewConversation(s, script.Tags{})
}

func say(t *testing.T, c *sim.Conversation, lines ...string) {
	t.Helper()
	for _, l := range lines {
		_, err := c.Say(l)
		require.NoError(t, err, "say %q", l)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// No points for what never came up: a call that ends before a word is
// said scores nothing, and gets no held value nor "you" language.
func TestNothingSaidScoresNothing(t *testing.T) {
	c := tagged(t, minimal(t))
	c.Hangup()
	r := grade.Grade(c)
	assert.Equal(t, 0, r.CustomerFocus)
	assert.Equal(t, 0, r.SelfFocus)
	assert.Equal(t, 0, r.Score)
	for _, p := range append(r.CustomerFocusParts, r.SelfFocusParts...) {
		assert.NotEqual(t, "held value", p.Name)
		assert.NotEqual(t, "customer language", p.Name)
	}
	assert.False(t, r.Passed)
	assert.Contains(t, r.Verdict, "Not passed, passive")
}

// A seller who pitches from the first line is self-focused however early
// the customer throws them out.
func TestPitchingFirstIsSelfFocused(t *testing.T) {
	c := tagged(t, minimal(t))
	say(t, c, "<pitch>", "<pitch>", "<pitch>")
	require.True(t, c.Ended(), "three blind pitches end a default call")
	r := grade.Grade(c)
	assert.Equal(t, sim.SelfFocused, r.Profile, "CF %d SF %d", r.CustomerFocus, r.SelfFocus)
	assert.False(t, r.Passed)
	assert.Contains(t, r.Verdict, "self-focused")
}

// Offers are not added up, and a new price is a discount too.
func TestDeepestDiscount(t *testing.T) {
	c := tagged(t, minimal(t))
	say(t, c, "<concession> 15% off", "<concession> 25% off", "<concession> I can do 12,000 instead")
	r := grade.Grade(c)
	assert.Equal(t, 50.0, r.Concessions.DeepestPercent, "24,000 down to 12,000 is 50%%")
	assert.Equal(t, 3, r.Concessions.Unconditional)
}

// The verdict, the profile and the pass never contradict each other.
func TestVerdictAgrees(t *testing.T) {
	for _, lines := range [][]string{
		{"<pitch>", "<close>"},
		{"<problem>", "<implication>", "<need_payoff>", "<qualify_budget>", "<close>"},
		{"<situation>", "<concession> 20%"},
	} {
		c := tagged(t, minimal(t))
		say(t, c, lines...)
		r := grade.Grade(c)
		if r.Passed {
			assert.Equal(t, sim.Balanced, r.Profile)
			assert.NotEqual(t, sim.Lost, r.Outcome)
			assert.Contains(t, r.Verdict, "Passed")
		} else {
			assert.Contains(t, r.Verdict, "Not passed")
		}
	}
}

// A seller who only gives discounts and lets the buyer wait is yielding:
// giving in is the customer's side of the balance, not "nothing happened".
func TestGivingInIsYielding(t *testing.T) {
	c := tagged(t, minimal(t))
	say(t, c, "hello", "<concession> 10% off", "<concession> and free set-up", "no rush, take your time and get back to me whenever you're ready")
	r := grade.Grade(c)
	assert.Equal(t, sim.Yielding, r.Profile, "CF %d SF %d gave in %d", r.CustomerFocus, r.SelfFocus, r.GaveIn)
	assert.Equal(t, 100, r.GaveIn)
	assert.Equal(t, []int{4}, r.NextStep.PutOff)
	assert.Contains(t, r.Verdict, "yielding: you gave in to the customer (2 concessions for nothing, the decision let slide)")
	rules := map[string]bool{}
	for _, co := range r.Coaching {
		rules[co.Rule] = true
	}
	assert.True(t, rules["unconditional_concession"])
	assert.True(t, rules["let_buyer_delay"])

	// Giving in counts against self-focus too: a push with a gift beside
	// it pushes less.
	gave := tagged(t, minimal(t))
	say(t, gave, "<pitch>", "<close> | <concession> 10% off")
	parts := grade.Grade(gave).SelfFocusParts
	assert.Equal(t, sim.ScorePart{Name: "gave ground", Points: -10, Why: "1 concession for nothing"}, parts[len(parts)-1])
}

// What lets a buyer put the decision off, and what does not: a question
// or an ask for a next step is not a put-off, nor is a polite goodbye.
func TestPutOff(t *testing.T) {
	for line, want := range map[string]bool{
		"take your time, no rush":                                    true,
		"Happy to wait until you're ready.":                          true,
		"get back to me whenever you like":                           true,
		"no rush: shall we look at it again on tuesday?":             false,
		"Well, I don't want to take up too much of your time.":       false,
		"thanks for taking the time to talk to me":                   false,
		"How long have you been at Northline?":                       false,
		"I can give you 20% off the list price, no strings attached": false,
	} {
		c := sim.NewConversation(minimal(t), nil)
		_, err := c.Play(line, []sim.Detection{{Act: sim.Other, Sentence: line, Question: strings.HasSuffix(line, "?")}})
		require.NoError(t, err)
		r := grade.Grade(c)
		assert.Equal(t, want, len(r.NextStep.PutOff) > 0, line)
	}
}
