package postgres_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/postgres"
)

// benchTurn is a turn of typical size: a sentence or two, three acts.
func benchTurn(n int) sim.TurnRecord {
	return sim.TurnRecord{
		N:    n,
		Said: "How many trucks do you run today, and what happens when one of them is late for a delivery?",
		Acts: []sim.Detection{
			{Act: sim.Situation, Confidence: 0.92, Cues: []string{"how many", "trucks"}, Sentence: "How many trucks do you run today", Question: true},
			{Act: sim.Implication, Confidence: 0.81, Cues: []string{"what happens when"}, Sentence: "what happens when one of them is late for a delivery?", Question: true},
			{Act: sim.Other, Confidence: 0.2, Sentence: ""},
		},
		Reader: "classifier/7",
		At:     time.Now(),
		Reply:  "About forty. When one is late the customer calls me, and I call the driver, and nobody is happy.",
	}
}

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
		if err := db.AppendTurn(ctx, "c1", benchTurn(n)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendTurnParallel has many calls store turns at once, as a
// busy server does.
func BenchmarkAppendTurnParallel(b *testing.B) {
	db := openBench(b)
	var calls atomic.Int64
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		id := fmt.Sprintf("c%d", calls.Add(1))
		require.NoError(b, db.CreateCall(ctx, &sim.Call{ID: id, Version: "h1", Mode: sim.Training, Started: time.Now()}))
		n := 0
		for pb.Next() {
			n++
			if err := db.AppendTurn(ctx, id, benchTurn(n)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
