package sqlite_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
	"github.com/roleplay-sim/roleplay/sim/storetest"
)

func openBench(b *testing.B) *sqlite.DB {
	db, err := sqlite.Open(filepath.Join(b.TempDir(), "roleplay.db"))
	require.NoError(b, err)
	b.Cleanup(func() { db.Close() })
	require.NoError(b, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	return db
}

// BenchmarkAppendTurn stores the turns of one call one after another, each
// committed to disk before the next: the latency a trainee's turn waits.
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
// as a busy server does: the throughput of the one writer connection, and
// how many turns a commit (so an fsync) takes.
func BenchmarkAppendTurnWriters(b *testing.B) {
	for _, writers := range []int{1, 16, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			db := openBench(b)
			before := sqlite.Commits(db)
			storetest.BenchAppendTurns(b, db, writers)
			setup := int64(1 + writers) // its scenario version, then its calls one at a time
			b.ReportMetric(float64(sqlite.Commits(db)-before-setup)/float64(b.N), "commits/turn")
		})
	}
}

// BenchmarkCalls has 100 clients play calls of 5 turns, as the server's
// closed-loop load does: a start, turns and an end each.
func BenchmarkCalls(b *testing.B) {
	storetest.BenchCalls(b, openBench(b), 100, 5)
}
