package server

import (
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// A connGuard holds the open TCP connections under a cap. It alone owns
// the count and the set of idle connections: the listener it wraps counts
// connections in and out, and the http.Server's ConnState hook tells it
// which are idle (accepted and waiting for a first request, or kept alive
// between requests). At the cap, a new connection makes room by closing
// the longest-idle one; a busy server with none idle refuses it with a bare
// 503, so an attacker's idle connections can never lock out /healthz.
type connGuard struct {
	max int
	log *slog.Logger

	mu   sync.Mutex
	open int
	idle map[net.Conn]time.Time // since when
}

// overloadedResponse is written to a connection refused at the cap.
const overloadedResponse = "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

// refuseWait bounds writing overloadedResponse to a refused connection.
const refuseWait = 100 * time.Millisecond

func newConnGuard(limit int, log *slog.Logger) *connGuard {
	return &connGuard{max: limit, log: log, idle: map[net.Conn]time.Time{}}
}

// listen wraps ln so that its connections count against the cap.
func (g *connGuard) listen(ln net.Listener) net.Listener { return &guardedListener{Listener: ln, g: g} }

type guardedListener struct {
	net.Listener
	g *connGuard
}

func (l *guardedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.g.admit() {
			return &guardedConn{Conn: c, g: l.g}, nil
		}
		_ = c.SetWriteDeadline(time.Now().Add(refuseWait))
		_, _ = c.Write([]byte(overloadedResponse))
		c.Close()
	}
}

// admit counts a new connection in, closing the longest-idle one when the
// cap is reached, or reports that there is no room.
func (g *connGuard) admit() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.max <= 0 || g.open < g.max {
		g.open++
		return true
	}
	var oldest net.Conn
	var since time.Time
	for c, t := range g.idle {
		if oldest == nil || t.Before(since) {
			oldest, since = c, t
		}
	}
	if oldest == nil {
		g.log.Warn("connection refused: at the connection cap, none idle", "max", g.max)
		return false
	}
	delete(g.idle, oldest)
	go oldest.Close() // counts itself out; Close may block on a TLS alert
	g.open++          // the closed one is still counted until its Close runs: briefly one over
	return true
}

// state is the http.Server's ConnState hook.
func (g *connGuard) state(c net.Conn, st http.ConnState) {
	if tc, ok := c.(*tls.Conn); ok {
		c = tc.NetConn()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	switch st {
	case http.StateNew, http.StateIdle:
		g.idle[c] = time.Now()
	default:
		delete(g.idle, c)
	}
}

// A guardedConn counts itself out when closed, once.
type guardedConn struct {
	net.Conn
	g    *connGuard
	once sync.Once
}

func (c *guardedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() {
		c.g.mu.Lock()
		c.g.open--
		delete(c.g.idle, c)
		c.g.mu.Unlock()
	})
	return err
}
