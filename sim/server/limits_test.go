package server

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// withLimits serves with lim instead of the default limits.
func withLimits(lim Limits) envOption {
	return func(c *Config, _ *Server) { c.Limits = &lim }
}

// dialFrom opens a websocket from the local address ip (any of 127/8 works
// on loopback) and reads the ready message.
func (e *testEnv) dialFrom(tb testing.TB, ip string) (*peerClient, *http.Response, error) {
	d := websocket.Dialer{NetDialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}).DialContext}
	ws, resp, err := d.Dial(e.wsURL(), nil)
	if err != nil {
		return nil, resp, err
	}
	resp.Body.Close()
	tb.Cleanup(func() { ws.Close() })
	c := &peerClient{client{tb: tb, ws: ws}}
	c.expect("ready")
	return c, resp, nil
}

type peerClient struct{ client }

// 1,100 idle keep-alive connections used to hold every file descriptor;
// now the oldest idle ones are closed to make room, and /healthz answers.
func TestIdleConnectionsCannotLockOutHealthz(t *testing.T) {
	const idle, capacity = 1100, 1000
	lim := DefaultLimits()
	lim.MaxConns = capacity
	srv := New(Config{Scenarios: nil, Logger: testLogger(t), Limits: &lim})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := srv.HTTPServer()
	assert.NotZero(t, hs.IdleTimeout)
	assert.NotZero(t, hs.ReadTimeout)
	assert.NotZero(t, hs.WriteTimeout)
	assert.NotZero(t, hs.ReadHeaderTimeout)
	go hs.Serve(srv.Listen(ln))
	t.Cleanup(func() { hs.Close() })
	addr := ln.Addr().String()

	// Half have made a request and are kept alive; half have sent nothing.
	conns := make([]net.Conn, 0, idle)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for i := range idle {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		conns = append(conns, c)
		if i%2 == 0 {
			_, err = fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
			require.NoError(t, err)
			buf := make([]byte, 512)
			_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, err = c.Read(buf)
			require.NoError(t, err, "connection %d", i)
		}
	}
	client := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for range 5 {
		resp, err := client.Get("http://" + addr + "/healthz")
		require.NoError(t, err)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	}
}

// The per-connection rate limit counted nothing across connections; now an
// address has a cap on websockets, answered 429 with Retry-After.
func TestConnectionsPerIPAreCapped(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxConnsPerIP = 2
	e := newEnv(t, withLimits(lim))
	a, _, err := e.dialFrom(t, "127.0.0.2")
	require.NoError(t, err)
	_, _, err = e.dialFrom(t, "127.0.0.2")
	require.NoError(t, err)
	_, resp, err := e.dialFrom(t, "127.0.0.2")
	require.Error(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "60", resp.Header.Get("Retry-After"))
	_, _, err = e.dialFrom(t, "127.0.0.3")
	require.NoError(t, err, "another address is not affected")

	a.ws.Close()
	require.Eventually(t, func() bool {
		_, _, err := e.dialFrom(t, "127.0.0.2")
		return err == nil
	}, 5*time.Second, 20*time.Millisecond, "a closed connection frees its place")
}

// A client reconnecting in a loop got a fresh rate limit every time (292
// turns/s against 5/s); the calls an address starts a minute now bound it
// whatever connections it uses.
func TestReconnectLoopIsBoundedByCallsPerMinute(t *testing.T) {
	lim := DefaultLimits()
	lim.CallsPerMinutePerIP = 5
	e := newEnv(t, withLimits(lim), realClock())
	var started, refused int
	for range 20 {
		c, _, err := e.dialFrom(t, "127.0.0.2")
		require.NoError(t, err)
		c.send(map[string]any{"type": "start", "scenario": "clinic"})
		m := c.recv()
		switch m.Type {
		case "started":
			started++
		case "error":
			refused++
			assert.Equal(t, codeTooManyCalls, m.Code)
			assert.Positive(t, m.Raw["retry_after"])
			assert.NotContains(t, m.Message, "server.")
		}
		c.ws.Close()
	}
	assert.Equal(t, 5, started, "the burst, then one every 12 s")
	assert.Equal(t, 15, refused)
	c, _, err := e.dialFrom(t, "127.0.0.3")
	require.NoError(t, err)
	c.start("") // another address is not affected
}

// Calls in progress are capped in all: more get server_busy; an ended call
// frees its place.
func TestCallsInProgressAreCapped(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxCalls = 2
	e := newEnv(t, withLimits(lim))
	a, b, c := e.dial(t, ""), e.dial(t, ""), e.dial(t, "")
	a.start("")
	b.start("")
	c.send(map[string]any{"type": "start", "scenario": "clinic"})
	m := c.expect("error")
	assert.Equal(t, codeServerBusy, m.Code)
	assert.Positive(t, m.Raw["retry_after"])
	a.send(map[string]any{"type": "end"})
	a.expect("report")
	c.start("")
	assert.Equal(t, 2, e.srv.admission.openCalls())
	b.ws.Close()
	require.Eventually(t, func() bool { return e.srv.admission.openCalls() == 1 }, 5*time.Second, 10*time.Millisecond,
		"a dropped connection's call is counted out")
}

// One address flooding the server with long lines (150 clients at 5 a
// second) used to push a well-behaved client's p99 from 2.3 ms to 209 ms;
// with workers shared per address it stays within twice its baseline.
func TestFloodingAddressLeavesOthersTheirLatency(t *testing.T) {
	if testing.Short() {
		t.Skip("a timing test")
	}
	lim := DefaultLimits()
	lim.MaxConnsPerIP = 0
	lim.CallsPerMinutePerIP = 0
	lim.Rate = 100                   // the flooders pace themselves at 5 a second; the probe sends faster
	lim.QueueWait = 10 * time.Second // this machine may be shared: no refusals, only latency
	e := newEnv(t, withLimits(lim), realClock())
	line := strings.Repeat("What does it cost you when a patient does not turn up, and how do you handle it today? ", 50)[:4000]

	measure := func() time.Duration {
		c, _, err := e.dialFrom(t, "127.0.0.1")
		require.NoError(t, err)
		c.start("")
		var lat []time.Duration
		for i := range 60 {
			if i > 0 && i%20 == 0 { // the call runs out of turns: a new one
				c.send(map[string]any{"type": "end"})
				c.expect("report")
				c.start("")
			}
			t0 := time.Now()
			c.send(map[string]any{"type": "say", "text": "How do your patients book appointments today?"})
			m := c.recv()
			require.Equal(t, "reply", m.Type, "%v", m.Raw)
			lat = append(lat, time.Since(t0))
			if m.Ended {
				c.expect("report")
				c.start("")
			}
			time.Sleep(20 * time.Millisecond)
		}
		c.ws.Close()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		return lat[len(lat)*99/100]
	}
	flooded := func(measure func() time.Duration) (base, loaded time.Duration) {
		base = measure()

		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var flood atomic.Int64
		for range 150 {
			c, _, err := e.dialFrom(t, "127.0.0.2")
			require.NoError(t, err)
			c.start("")
			wg.Add(2)
			go func() { // read and count everything
				defer wg.Done()
				for {
					if _, _, err := c.ws.ReadMessage(); err != nil {
						return
					}
					flood.Add(1)
				}
			}()
			go func() {
				defer wg.Done()
				tick := time.NewTicker(200 * time.Millisecond)
				defer tick.Stop()
				msg := fmt.Sprintf(`{"type":"say","text":%q}`, line)
				for n := 0; ; n++ {
					select {
					case <-ctx.Done():
						c.ws.Close()
						return
					case <-tick.C:
					}
					if n%20 == 19 {
						_ = c.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"end"}`))
						_ = c.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"start","scenario":"clinic"}`))
						continue
					}
					_ = c.ws.WriteMessage(websocket.TextMessage, []byte(msg))
				}
			}()
		}
		time.Sleep(500 * time.Millisecond)
		loaded = measure()
		cancel()
		wg.Wait()
		t.Logf("%d flood messages answered", flood.Load())
		return base, loaded
	}
	measure() // warm up: the classifier, the heap
	// The best of three tries: this machine may be shared, and a p99 of 60
	// turns is one slow turn.
	var base, loaded time.Duration
	for try := 0; try < 3; try++ {
		base, loaded = flooded(measure)
		if loaded < 2*base+2*time.Millisecond {
			break
		}
	}
	t.Logf("well-behaved p99: %v alone, %v beside the flood", base, loaded)
	assert.Less(t, loaded, 2*base+2*time.Millisecond, "p99 within twice the baseline (plus 2 ms of scheduling noise)")
}
