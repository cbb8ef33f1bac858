package postgres_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/postgres"
	"github.com/roleplay-sim/roleplay/sim/storetest"
)

func openBench(b *testing.B) *postgres.DB {
	db := open(b, freshSchema(b))
	b.Cleanup(func() { db.Close() })
	require.NoError(b, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	return db
}

// BenchmarkAppendTurn stores the turns of one call one after another, each
// committed before the next: the latency a trainee's turn waits.
func BenchmarkAppendTurn(b *testing.B) {
	db := openBench(b)
	require.NoError(b, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	n := 0
	for b.Loop() {
		n++
		if err := db.AppendTurn(ctx, "c1", storetest.BenchTurn(n)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendTurnWriters has 1, 16 and 256 calls store turns at once,
// as a busy server does.
func BenchmarkAppendTurnWriters(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			storetest.BenchAppendTurns(b, openBench(b), writers)
		})
	}
}
