package inmem_test

import (
	"testing"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(*testing.T) sim.Store { return inmem.New() })
}
