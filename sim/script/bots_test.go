package script

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
)

func loadTestScenario(t testing.TB) *sim.Scenario {
	t.Helper()
	src, err := os.ReadFile("../testdata/minimal.toml")
	require.NoError(t, err)
	s, err := sim.Load("testdata/minimal.toml", src)
	require.NoError(t, err)
	return s
}

// A persona on the default machine, with nothing but facts, already grades
// the four kinds of seller apart.
func TestDefaultMachineCalibrates(t *testing.T) {
	for _, c := range Calibrate(loadTestScenario(t), classify.Default()) {
		assert.True(t, c.OK, "bot %s landed %s (CF %d, SF %d, %s), want %s", c.Bot, c.Profile, c.CF, c.SF, c.Outcome, c.Want)
	}
}
