package sim_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// A turn's limit counts characters, not bytes: 4000 CJK characters (12000
// bytes) are one turn; 4001 are too long.
func TestTurnLimitCountsCharacters(t *testing.T) {
	c := tagged(t, loadMinimal(t))
	_, err := c.Say(strings.Repeat("好", sim.MaxTurnLength))
	require.NoError(t, err)
	_, err = c.Say(strings.Repeat("😀", sim.MaxTurnLength+1))
	assert.ErrorIs(t, err, sim.ErrTooLong)
	assert.Contains(t, sim.ErrTooLong.Error(), "4000 characters")
}
