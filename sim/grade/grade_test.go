package grade_test

import (
	"os"
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

// Weights reshape an axis but it still adds up to 100.
func TestGradingWeights(t *testing.T) {
	base := string(must(os.ReadFile("../testdata/minimal.toml")))
	plain, err := scenario.Load("plain.toml", []byte(base))
	require.NoError(t, err)
	weighted, err := scenario.Load("weighted.toml", []byte(base+"\n[grading]\nweights = { qualification = 3, product_advocacy = 0 }\n"))
	require.NoError(t, err)
	lines := []string{"<problem>", "<implication>", "<qualify_budget>", "<close>"}

	a, b := tagged(t, plain), tagged(t, weighted)
	say(t, a, lines...)
	say(t, b, lines...)
	ra, rb := grade.Grade(a), grade.Grade(b)

	assert.Equal(t, 100, maxSum(ra.SelfFocusParts))
	assert.InDelta(t, 100, maxSum(rb.SelfFocusParts), 1, "rounding may leave a point")
	// Points, not wording: the two files hash differently, so the customer
	// may pick other reply texts, and the talk share's percentage moves.
	points := func(parts []sim.ScorePart) (out [][2]int) {
		for _, p := range parts {
			out = append(out, [2]int{p.Points, p.Max})
		}
		return out
	}
	assert.Equal(t, points(ra.CustomerFocusParts), points(rb.CustomerFocusParts), "customer focus untouched")
	var names []string
	for _, p := range rb.SelfFocusParts {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"qualification", "asked for commitment", "held value"}, names, "weight 0 leaves a part out")
	assert.Greater(t, rb.SelfFocusParts[0].Max, ra.SelfFocusParts[0].Max, "qualification weighs more")
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
	assert.Equal(t, 10.0, r.Concessions.TotalPercent)
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
