package postgres_test

import (
	"context"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/storetest"
)

// A cutter is a TCP proxy to the database that can be cut: its
// connections closed and new ones refused, as when the network or the
// database goes away, until it is restored.
type cutter struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	cut    bool
	conns  []net.Conn
}

func newCutter(t *testing.T, target string) *cutter {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c := &cutter{ln: ln, target: target}
	t.Cleanup(func() { ln.Close(); c.sever() })
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go c.serve(in)
		}
	}()
	return c
}

func (c *cutter) serve(in net.Conn) {
	c.mu.Lock()
	if c.cut {
		c.mu.Unlock()
		in.Close()
		return
	}
	c.mu.Unlock()
	out, err := net.Dial("tcp", c.target)
	if err != nil {
		in.Close()
		return
	}
	c.mu.Lock()
	c.conns = append(c.conns, in, out)
	c.mu.Unlock()
	go func() { io.Copy(out, in); out.Close() }()
	io.Copy(in, out)
	in.Close()
}

// sever cuts: every connection through it is closed, and new ones are
// refused.
func (c *cutter) sever() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cut = true
	for _, conn := range c.conns {
		conn.Close()
	}
	c.conns = nil
}

func (c *cutter) restore() {
	c.mu.Lock()
	c.cut = false
	c.mu.Unlock()
}

// TestLostConnection: while the database cannot be reached, turns are
// refused, several at once included (a batch of them fails, then each
// alone), and none is told it was stored; once it can be reached again,
// the next turn goes in, and what was refused is not there.
func TestLostConnection(t *testing.T) {
	u := freshSchema(t)
	if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		t.Skip("the test server's url is not a URL to point at a proxy")
	}
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	proxy := newCutter(t, parsed.Host)
	parsed.Host = proxy.ln.Addr().String()
	db := open(t, parsed.String())
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	require.NoError(t, db.AppendTurn(ctx, "c1", storetest.BenchTurn(1)))

	proxy.sever()
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			tr := storetest.BenchTurn(2)
			tr.Said = "said while the database was away"
			errs[i] = db.AppendTurn(cctx, "c1", tr)
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.Error(t, err, "turn %d while cut", i)
	}

	proxy.restore()
	var last error
	for range 100 { // the pool dials again as it needs connections
		if last = db.AppendTurn(ctx, "c1", storetest.BenchTurn(2)); last == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.NoError(t, last, "a turn once the database is back")
	c, err := db.Call(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, c.Turns, 2)
	assert.Equal(t, storetest.BenchTurn(2).Said, c.Turns[1].Said, "none of the refused turns")
}
