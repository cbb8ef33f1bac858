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

// manyCallsAtOnce plays many calls at once, each written by several
// racing writers, as a busy server (or two nodes after a resume) does,
// with conflicts mixed in: the same call created twice, turn n stored by
// two writers, a turn racing the end, two ends, turns for a call that does
// not exist. A store that commits many writes together must still give
// each its own answer: every write acknowledged reads back, every refused
// one is a conflict (or not found) and left no trace.
func manyCallsAtOnce(t *testing.T, s sim.Store) {
	const calls, turns, writers = 24, 5, 3
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	type outcome struct {
		creates, ends int
		said          []string // the turns acknowledged, in order
		last          error    // the turn that raced the end
	}
	results := make([]outcome, calls)
	// race runs write w of each writer at once and returns their errors.
	race := func(write func(w int) error) []error {
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() { errs[w] = write(w) })
		}
		wg.Wait()
		return errs
	}
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			id, r := fmt.Sprintf("call-%d", i), &results[i]
			for w, err := range race(func(int) error { return s.CreateCall(ctx, newCall(id, "h1")) }) {
				if err == nil {
					r.creates++
				} else {
					assertCode(t, sim.EConflict, err, "%s created again by writer %d", id, w)
				}
			}
			for n := 1; n <= turns; n++ {
				for w, err := range race(func(w int) error {
					tr := turn(n)
					tr.Said = fmt.Sprintf("%s turn %d by writer %d", id, n, w)
					return s.AppendTurn(ctx, id, tr)
				}) {
					if err == nil {
						r.said = append(r.said, fmt.Sprintf("%s turn %d by writer %d", id, n, w))
					} else {
						assertCode(t, sim.EConflict, err, "%s turn %d by writer %d", id, n, w)
					}
				}
				assertCode(t, sim.ENotFound, s.AppendTurn(ctx, id+"-never-created", turn(n)), "a turn of a call never created")
			}
			errs := race(func(w int) error {
				if w == 0 {
					return s.AppendTurn(ctx, id, turn(turns+1))
				}
				return s.EndCall(ctx, id, turns, sim.EndedByTrainee, time.Now(), report())
			})
			r.last = errs[0]
			for w, err := range errs[1:] {
				if err == nil {
					r.ends++
				} else {
					assertCode(t, sim.EConflict, err, "%s ended again by writer %d", id, w+1)
				}
			}
		})
	}
	wg.Wait()

	for i, r := range results {
		id := fmt.Sprintf("call-%d", i)
		assert.Equal(t, 1, r.creates, "%s: creates that succeeded", id)
		require.Len(t, r.said, turns, "%s: one writer wins each turn", id)
		got := get(t, s, id)
		var stored []string
		for _, tr := range got.Turns {
			stored = append(stored, tr.Said)
		}
		// The ends are graded on the turns before the one racing them, so
		// the turn and the ends cannot all win: either the turn is stored
		// and no end (they were graded on too few turns), or one end is
		// stored and not the turn.
		if r.last == nil {
			assert.Equal(t, 0, r.ends, "%s: ends graded on %d turns, with %d stored", id, turns, turns+1)
			assert.True(t, got.InProgress(), id)
			require.Len(t, stored, turns+1, id)
			stored = stored[:turns]
		} else {
			assert.Equal(t, 1, r.ends, "%s: ends that succeeded", id)
			assert.False(t, got.InProgress(), id)
			assertCode(t, sim.EConflict, r.last, "%s: a turn after the end", id)
		}
		assert.Equal(t, r.said, stored, "%s: the turns stored are the ones acknowledged", id)
	}
}
