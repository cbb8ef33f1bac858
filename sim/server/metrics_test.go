package server

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
	"github.com/roleplay-sim/roleplay/sim/postgres"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

// /metrics speaks Prometheus: turns, the reply latency histogram, open
// calls, errors by code and store latency.
func TestMetrics(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")
	c.start("")
	c.say(goodCall[0])
	c.send(map[string]any{"type": "say", "text": ""})
	c.expect("error")

	resp, body := do(t, "GET", e.ts.URL+"/metrics", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/plain")
	for _, want := range []string{
		"roleplay_turns_total 1",
		"roleplay_reply_seconds_bucket{le=",
		"roleplay_reply_seconds_count 1",
		"roleplay_open_calls 1",
		`roleplay_errors_total{code="empty_text"} 1`,
		`roleplay_store_seconds_count{op="append"} 1`,
		`roleplay_store_seconds_count{op="create"} 1`,
		"go_goroutines",
	} {
		assert.Contains(t, body, want)
	}
}

// Both durable stores commit in batches and tell of them.
var (
	_ batcher = (*sqlite.DB)(nil)
	_ batcher = (*postgres.DB)(nil)
)

// batchStore is a store that tells of batches of one write, each AppendTurn.
type batchStore struct {
	sim.Store
	observe func(writes int, took time.Duration)
}

func (b *batchStore) ObserveBatches(f func(writes int, took time.Duration)) { b.observe = f }

func (b *batchStore) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	err := b.Store.AppendTurn(ctx, id, t)
	b.observe(1, time.Millisecond)
	return err
}

// A store that commits writes in batches has their sizes and durations
// on /metrics.
func TestMetricsOfBatches(t *testing.T) {
	e := newEnv(t, func(c *Config, _ *Server) { c.Store = &batchStore{Store: inmem.New()} })
	c := e.dial(t, "")
	c.start("")
	c.say(goodCall[0])

	_, body := do(t, "GET", e.ts.URL+"/metrics", nil)
	assert.Contains(t, body, "roleplay_store_batch_writes_count 1")
	assert.Contains(t, body, "roleplay_store_batch_seconds_count 1")

	_, body = do(t, "GET", newEnv(t).ts.URL+"/metrics", nil)
	assert.NotContains(t, body, "roleplay_store_batch", "a store in memory has no batches")
}

// pingStore is a store whose Ping fails when down.
type pingStore struct {
	sim.Store
	down bool
}

func (p *pingStore) Ping(context.Context) error {
	if p.down {
		return errors.New("connection refused")
	}
	return nil
}

// /readyz checks the store when it can be pinged, and says no while
// shutting down; /healthz only says the process answers.
func TestReadyzChecksTheStore(t *testing.T) {
	st := &pingStore{Store: inmem.New()}
	e := newEnv(t, func(c *Config, _ *Server) { c.Store = st })
	resp, body := do(t, "GET", e.ts.URL+"/readyz", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, body, `"ready"`)

	st.down = true
	resp, body = do(t, "GET", e.ts.URL+"/readyz", nil)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.NotContains(t, body, "connection refused", "details only in the log")
	resp, _ = do(t, "GET", e.ts.URL+"/healthz", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	e2 := newEnv(t) // in memory: always ready
	resp, _ = do(t, "GET", e2.ts.URL+"/readyz", nil)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}
