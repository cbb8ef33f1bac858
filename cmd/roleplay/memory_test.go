package main

import (
	"context"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memoryClients is how many clients play at once in the memory test.
const memoryClients = 20

// What the server's memory may grow by. The server keeps nothing of a call
// once it has ended, so what grows is bounded: the Go heap settling after
// the first calls, and SQLite's page caches (2 MB a connection, five
// connections) filling as the file grows. Past that, nothing per call.
const (
	warmupSlackKB = 12 << 10 // from 20 finished calls to any number
	steadySlackKB = 4 << 10  // from 200 finished calls to any number
)

// Finished calls leave memory: the real program's resident memory after
// ROLEPLAY_RSS_CALLS finished calls (2000 for the figures in the issue),
// after 20 and after 200. Each call is played a few turns per connection
// and resumed on the next, so resumes are measured too.
//
//	ROLEPLAY_RSS_CALLS=2000 go test ./cmd/roleplay -run RSS -v
func TestRSSAfterManyCalls(t *testing.T) {
	total := envInt(t, "ROLEPLAY_RSS_CALLS", 0)
	if total == 0 {
		t.Skip("set ROLEPLAY_RSS_CALLS=2000 to measure the server's memory after that many calls")
	}
	require.Greater(t, total, 200)
	gs := goldens(t)
	bin := roleplayBinary(t)
	srv := startServe(t, bin, freeAddr(t), filepath.Join(t.TempDir(), "roleplay.db"))

	var turns atomic.Int64
	// play plays n calls, memoryClients at a time.
	play := func(n int) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		var next atomic.Int64
		var wg sync.WaitGroup
		for range memoryClients {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= n {
						return
					}
					p := &player{addr: srv.addr, g: gs[i%len(gs)], perConn: 8}
					if !assert.NoError(t, p.play(ctx)) {
						return
					}
					assert.Equal(t, string(p.g.report), string(p.report), p.g.name)
					turns.Add(int64(p.acked))
				}
			})
		}
		wg.Wait()
	}
	settle := func() int {
		time.Sleep(2 * time.Second) // let the collector and scavenger run
		return srv.rssKB()
	}
	mb := func(kb int) float64 { return float64(kb) / 1024 }

	start := time.Now()
	play(20)
	after20 := settle()
	play(180)
	after200 := settle()
	play(total - 200)
	afterAll := settle()
	t.Logf("RSS after 20 finished calls: %.1f MB; after 200: %.1f MB; after %d: %.1f MB (%+.1f MB from 20, %+.1f MB from 200); %d turns in %s",
		mb(after20), mb(after200), total, mb(afterAll), mb(afterAll-after20), mb(afterAll-after200), turns.Load(), time.Since(start).Round(time.Second))
	assert.LessOrEqual(t, afterAll-after20, warmupSlackKB, "memory stays bounded")
	assert.LessOrEqual(t, afterAll-after200, steadySlackKB, "nothing kept per call")
	srv.terminate()
}
