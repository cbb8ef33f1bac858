package script

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// A persona on the default machine, with nothing but facts, already grades
// the four kinds of seller apart.
func TestDefaultMachineCalibrates(t *testing.T) {
	for _, c := range Calibrate(minimal(t), classify.Default()) {
		assert.True(t, c.OK, "bot %s landed %s (CF %d, SF %d, %s), want %s", c.Bot, c.Profile, c.CF, c.SF, c.Outcome, c.Want)
	}
}

// minimal is the test persona of sim/testdata.
func minimal(t *testing.T) *sim.Scenario {
	t.Helper()
	all, err := scenario.LoadFS(os.DirFS("../testdata"), "minimal.toml")
	require.NoError(t, err)
	return all[0]
}
