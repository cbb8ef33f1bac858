package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// RunShared checks two stores opened on one empty database, as two server
// processes would have them: what one writes the other reads, and writers
// on both racing for each turn of a call give exactly one winner. A store
// that cannot be shared (the in-memory one) does not run it.
func RunShared(t *testing.T, a, b sim.Store) {
	t.Run("what one store writes the other reads", func(t *testing.T) {
		require.NoError(t, a.PutScenarioVersion(ctx, version("h1")))
		c := newCall("shared-1", "h1")
		require.NoError(t, b.CreateCall(ctx, c))
		require.NoError(t, a.AppendTurn(ctx, c.ID, turn(1)))
		assertCode(t, sim.EConflict, b.AppendTurn(ctx, c.ID, turn(1)), "turn 1 again, on the other store")
		require.NoError(t, b.AppendTurn(ctx, c.ID, turn(2)))
		at := time.Date(2026, 3, 29, 2, 10, 0, 42, zone)
		require.NoError(t, a.EndCall(ctx, c.ID, 2, sim.EndedByTrainee, at, report()))
		assertCode(t, sim.EConflict, b.EndCall(ctx, c.ID, 2, sim.EndedByTrainee, at, report()), "end again, on the other store")
		c.Turns, c.End, c.Ended, c.Report = []sim.TurnRecord{turn(1), turn(2)}, sim.EndedByTrainee, at, report()
		assertSameCall(t, want(c), get(t, b, c.ID))
	})
	t.Run("a correction on one store never overwrites a turn the other stored after it", func(t *testing.T) {
		require.NoError(t, a.PutScenarioVersion(ctx, version("h1")))
		c := newCall("shared-3", "h1")
		require.NoError(t, a.CreateCall(ctx, c))
		require.NoError(t, a.AppendTurn(ctx, c.ID, turn(1)))
		require.NoError(t, b.ReplaceLastTurn(ctx, c.ID, corrected(1)))
		require.NoError(t, b.AppendTurn(ctx, c.ID, turn(2)))
		assertCode(t, sim.EConflict, a.ReplaceLastTurn(ctx, c.ID, corrected(1)), "turn 1 after the other store stored turn 2")
		c.Turns = []sim.TurnRecord{corrected(1), turn(2)}
		assertSameCall(t, wantCorrected(c), get(t, a, c.ID))
	})
	t.Run("of writers on two stores racing for turn n exactly one wins", func(t *testing.T) {
		const turns, writers = 10, 6
		require.NoError(t, a.PutScenarioVersion(ctx, version("h1")))
		require.NoError(t, a.CreateCall(ctx, newCall("shared-2", "h1")))
		stores := []sim.Store{a, b}
		for n := 1; n <= turns; n++ {
			start := make(chan struct{})
			errs := make([]error, writers)
			var wg sync.WaitGroup
			for w := range writers {
				wg.Go(func() {
					tr := turn(n)
					tr.Said = fmt.Sprintf("writer %d", w)
					<-start
					errs[w] = stores[w%2].AppendTurn(ctx, "shared-2", tr)
				})
			}
			close(start)
			wg.Wait()
			won := 0
			for w, err := range errs {
				if err == nil {
					won++
					continue
				}
				assertCode(t, sim.EConflict, err, "turn %d, writer %d", n, w)
			}
			assert.Equal(t, 1, won, "writers that stored turn %d", n)
		}
		got := get(t, b, "shared-2")
		require.Len(t, got.Turns, turns)
		for i, tr := range got.Turns {
			assert.Equal(t, i+1, tr.N)
		}
	})
}
