package main

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

// faultClients is how many clients play at once in the fault test.
const faultClients = 20

// kill -9 at any moment loses no acknowledged turn. The real program runs
// on an SQLite file; 20 clients play the bundled scenarios' golden calls,
// one after another, pausing between turns as a fast typist would; the server is
// killed with SIGKILL at random moments (seeded) and started again on the
// same file and address. Each client resumes its call, checks that every
// turn it got a reply for is there, and plays on. At the end every
// acknowledged turn is in the database, and every call's report is byte
// for byte the report of the same call played without interruption.
//
// ROLEPLAY_FAULT_KILLS sets the number of kills (10 by default; 100 for the
// long run), ROLEPLAY_FAULT_SEED the seed.
func TestKill9LosesNoAcknowledgedTurn(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real program; not in -short")
	}
	kills := envInt(t, "ROLEPLAY_FAULT_KILLS", 10)
	seed := uint64(envInt(t, "ROLEPLAY_FAULT_SEED", 1))
	gs := goldens(t)
	timestamp := regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d`)
	for _, g := range gs {
		require.False(t, timestamp.Match(g.report), "%s: a report holds no wall time, so a resumed call grades the same", g.name)
	}

	bin := roleplayBinary(t)
	db := filepath.Join(t.TempDir(), "roleplay.db")
	addr := freeAddr(t)
	srv := startServe(t, bin, addr, db)

	// The clients: each plays golden calls until the kills are over.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var (
		mu       sync.Mutex
		finished []*player
		failures []error
	)
	killsDone := make(chan struct{})
	var wg sync.WaitGroup
	for i := range faultClients {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		wg.Go(func() {
			for n := i; ; n++ {
				p := &player{addr: addr, g: gs[n%len(gs)], pause: func() {
					// A person types: a turn every 200-260 ms keeps under
					// the server's rate limit of 5 messages a second.
					time.Sleep(time.Duration(200+rng.IntN(60)) * time.Millisecond)
				}}
				err := p.play(ctx)
				mu.Lock()
				finished = append(finished, p)
				if err != nil {
					failures = append(failures, err)
				}
				mu.Unlock()
				select {
				case <-killsDone:
					return
				default:
				}
				if err != nil {
					return
				}
			}
		})
	}

	// The killer: kill -9 at random moments, start again at once.
	rng := rand.New(rand.NewPCG(seed, 1<<32))
	for range kills {
		time.Sleep(time.Duration(20+rng.IntN(400)) * time.Millisecond)
		srv.kill()
		srv = startServe(t, bin, addr, db)
	}
	close(killsDone)
	wg.Wait()
	srv.terminate()
	for _, err := range failures {
		t.Error(err)
	}

	// Every acknowledged turn is in the database, and every report is the
	// uninterrupted call's, byte for byte.
	store, err := sqlite.Open(db)
	require.NoError(t, err)
	defer store.Close()
	var acked, recovered, resumed, verified, unacked int
	for _, p := range finished {
		acked += p.acked
		resumed += p.resumes
		verified += p.verified
		unacked += p.unacked
		if p.id == "" {
			continue
		}
		c, err := store.Call(context.Background(), p.id)
		if !assert.NoError(t, err, p.g.name) {
			continue
		}
		for i := 0; i < p.acked && i < len(c.Turns); i++ {
			if c.Turns[i].Said == p.g.lines[i] {
				recovered++
			}
		}
		if assert.False(t, c.InProgress(), "%s: call %s ended", p.g.name, p.id) {
			assert.Equal(t, string(p.g.report), string(p.report), "%s: call %s (resumed %d times) grades as if never interrupted", p.g.name, p.id, p.resumes)
		}
	}
	t.Logf("kill -9: %d kills, %d calls, %d acknowledged turns, %d recovered after the restarts "+
		"(%d resumes found %d acknowledged turns again, and %d stored turns whose reply the kill cut off)",
		kills, len(finished), acked, recovered, resumed, verified, unacked)
	assert.Equal(t, acked, recovered, "every acknowledged turn is stored")
	assert.Positive(t, resumed, "calls were cut off and resumed")
}

// envInt is the integer in environment variable name, or def.
func envInt(t testing.TB, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, "%s=%s", name, v)
	return n
}
