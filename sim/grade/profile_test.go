package grade

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/roleplay-sim/roleplay/sim"
)

func TestProfilesSplitTheGrid(t *testing.T) {
	tests := []struct {
		cf, sf int
		want   sim.Profile
	}{
		{80, 80, sim.Balanced}, {50, 50, sim.Balanced}, {80, 20, sim.Yielding}, {20, 80, sim.SelfFocused}, {49, 49, sim.Passive}, {0, 0, sim.Passive},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, profile(tt.cf, tt.sf, 50), "cf %d sf %d", tt.cf, tt.sf)
	}
}
