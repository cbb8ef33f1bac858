package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func maxSum(parts []ScorePart) int {
	n := 0
	for _, p := range parts {
		n += p.Max
	}
	return n
}

func TestProfilesSplitTheGrid(t *testing.T) {
	tests := []struct {
		cf, sf int
		want   Profile
	}{
		{80, 80, Balanced}, {50, 50, Balanced}, {80, 20, Yielding}, {20, 80, SelfFocused}, {49, 49, Passive}, {0, 0, Passive},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, profile(tt.cf, tt.sf, 50), "cf %d sf %d", tt.cf, tt.sf)
	}
}

// Weights reshape an axis but it still adds up to 100.
func TestGradingWeights(t *testing.T) {
	base := must(readFile("testdata/minimal.toml"))
	plain, err := Load("plain.toml", []byte(base))
	require.NoError(t, err)
	weighted, err := Load("weighted.toml", []byte(base+"\n[grading]\nweights = { qualification = 3, product_advocacy = 0 }\n"))
	require.NoError(t, err)
	lines := []string{"<problem>", "<implication>", "<qualify_budget>", "<close>"}

	a, b := tagged(t, plain), tagged(t, weighted)
	say(t, a, lines...)
	say(t, b, lines...)
	ra, rb := Grade(a), Grade(b)

	assert.Equal(t, 100, maxSum(ra.SelfFocusParts))
	assert.InDelta(t, 100, maxSum(rb.SelfFocusParts), 1, "rounding may leave a point")
	assert.Equal(t, ra.CustomerFocusParts, rb.CustomerFocusParts, "customer focus untouched")
	var names []string
	for _, p := range rb.SelfFocusParts {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"qualification", "asked for commitment", "held value"}, names, "weight 0 leaves a part out")
	assert.Greater(t, rb.SelfFocusParts[0].Max, ra.SelfFocusParts[0].Max, "qualification weighs more")
}

func TestGradeAnEmptyCall(t *testing.T) {
	c := tagged(t, loadTestScenario(t))
	c.Hangup()
	r := Grade(c)
	assert.Equal(t, Open, r.Outcome)
	assert.Equal(t, 0, r.Turns)
	assert.Equal(t, Passive, r.Profile)
	assert.NotNil(t, r.Transcript)
	assert.GreaterOrEqual(t, len(r.Coaching), 1)
}

func TestCoachingIsTiedToTurnsAndRules(t *testing.T) {
	c := tagged(t, loadTestScenario(t))
	say(t, c, "<pitch>", "<situation>", "<problem>", "<concession> 10%", "<pressure>")
	r := Grade(c)
	require.GreaterOrEqual(t, len(r.Coaching), 3)
	require.LessOrEqual(t, len(r.Coaching), 5)
	rules := map[string]Coaching{}
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
