package sim_test

import (
	"testing"

	"github.com/roleplay-sim/roleplay/scenarios"
	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// BenchmarkNewConversation measures starting a call on each bundled
// persona: what the server spends before it sends "started".
func BenchmarkNewConversation(b *testing.B) {
	scs, err := scenario.LoadFS(scenarios.FS(), ".")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := sim.NewConversation(scs[i%len(scs)], nil)
		_ = c.State()
		i++
	}
}
