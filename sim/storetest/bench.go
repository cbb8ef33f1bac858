package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// BenchTurn is a turn of typical size: a sentence or two, three acts.
func BenchTurn(n int) sim.TurnRecord {
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

// BenchAppendTurns has writers goroutines, each playing a call of its
// own, store b.N turns between them as fast as the store takes them: a
// busy server's turns, each caller waiting for its own to be stored. Per
// turn it reports the wall time (ns/op) and the CPU time the whole
// process spent (cpu-µs/turn), which holds better than wall time on a
// shared machine.
func BenchAppendTurns(b *testing.B, s sim.Store, writers int) {
	require.NoError(b, s.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "bench"}))
	ids := make([]string, writers)
	for w := range ids {
		ids[w] = fmt.Sprintf("bench-%d-%d", b.N, w)
		require.NoError(b, s.CreateCall(ctx, &sim.Call{ID: ids[w], Version: "bench", Mode: sim.Training, Started: time.Now()}))
	}
	var (
		left  atomic.Int64
		wg    sync.WaitGroup
		first = make(chan error, 1)
	)
	left.Store(int64(b.N))
	cpu := cpuTime()
	b.ResetTimer()
	for _, id := range ids {
		wg.Go(func() {
			for n := 1; left.Add(-1) >= 0; n++ {
				if err := s.AppendTurn(ctx, id, BenchTurn(n)); err != nil {
					select {
					case first <- err:
					default:
					}
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	select {
	case err := <-first:
		b.Fatal(err)
	default:
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/turn")
}

// cpuTime is the user and system CPU time this process has used.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchCalls has writers goroutines play whole calls, as the server does
// for each: store the version and the call, then turns, then its end.
// b.N counts turns.
func BenchCalls(b *testing.B, s sim.Store, writers, turns int) {
	v := sim.ScenarioVersion{Hash: "bench", Source: string(make([]byte, 4096))}
	var (
		left  atomic.Int64
		calls atomic.Int64
		wg    sync.WaitGroup
		first = make(chan error, 1)
	)
	left.Store(int64(b.N))
	fail := func(err error) {
		select {
		case first <- err:
		default:
		}
	}
	cpu := cpuTime()
	b.ResetTimer()
	for range writers {
		wg.Go(func() {
			for left.Load() > 0 {
				id := fmt.Sprintf("bench-%d-%d", b.N, calls.Add(1))
				if err := s.PutScenarioVersion(ctx, v); err != nil {
					fail(err)
					return
				}
				if err := s.CreateCall(ctx, &sim.Call{ID: id, Version: v.Hash, Mode: sim.Training, Started: time.Now()}); err != nil {
					fail(err)
					return
				}
				played := 0
				for n := 1; n <= turns && left.Add(-1) >= 0; n++ {
					if err := s.AppendTurn(ctx, id, BenchTurn(n)); err != nil {
						fail(err)
						return
					}
					played = n
				}
				if err := s.EndCall(ctx, id, played, sim.EndedByTrainee, time.Now(), nil); err != nil {
					fail(err)
					return
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	select {
	case err := <-first:
		b.Fatal(err)
	default:
	}
	b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/float64(b.N), "cpu-µs/turn")
}
