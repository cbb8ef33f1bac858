package grade

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/roleplay-sim/roleplay/sim"
)

func TestProfilesSplitTheGrid(t *testing.T) {
	tests := []struct {
		cf, sf, gaveIn int
		want           sim.Profile
	}{
		{80, 80, 0, sim.Balanced}, {50, 50, 0, sim.Balanced}, {80, 20, 0, sim.Yielding}, {20, 80, 0, sim.SelfFocused}, {49, 49, 0, sim.Passive}, {0, 0, 0, sim.Passive},
		// Giving in is the customer's side too: a seller who only gives
		// discounts is yielding, not passive...
		{18, 0, 100, sim.Yielding}, {30, 10, 50, sim.Yielding},
		// ...unless they pushed harder than they gave, or gave too little.
		{0, 70, 65, sim.SelfFocused}, {30, 0, 35, sim.Passive},
		// Attention and push together stay balanced, gifts or not.
		{80, 60, 100, sim.Balanced},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, profile(tt.cf, tt.sf, tt.gaveIn, 50), "cf %d sf %d gave in %d", tt.cf, tt.sf, tt.gaveIn)
	}
}
