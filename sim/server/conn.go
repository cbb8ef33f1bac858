package server

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roleplay-sim/roleplay/sim"
)

// Limits of one websocket connection.
const (
	// maxMessageSize is the largest client message read: a say text of
	// sim.MaxTurnLength characters with every character escaped the longest
	// way JSON allows (a character outside the BMP as two \uXXXX escapes,
	// 12 bytes), plus room for the rest of the message. A larger message
	// closes the connection with 1009 (message too big).
	maxMessageSize = sim.MaxTurnLength*maxEscapedRune + messageEnvelope

	// maxEscapedRune is the most bytes JSON can spend on one character.
	maxEscapedRune = len(`\ud83d\ude00`)

	// messageEnvelope is room for a message's fields besides its text.
	messageEnvelope = 1 << 10

	// writeWait is how long one write to the client may take.
	writeWait = 10 * time.Second

	// pongWait is how long the client may stay silent, pongs included,
	// before the connection is considered dead.
	pongWait = 60 * time.Second

	// pingPeriod is how often the server pings; shorter than pongWait so a
	// live client always answers in time.
	pingPeriod = pongWait * 9 / 10

	// closeGracePeriod is how long the server waits, after sending a close
	// frame, for the client's close frame before it drops the connection.
	closeGracePeriod = 2 * time.Second

	// sendBuffer is how many outgoing messages may wait for a slow client.
	// When it is full the client is dropped rather than allowed to hold up
	// its session.
	sendBuffer = 32

	// rateLimit and rateBurst bound how fast a client may send messages:
	// a token bucket refilling rateLimit tokens a second, holding rateBurst.
	rateLimit = 5
	rateBurst = 10

	// floodStrikes is how many messages in a row may be refused by the rate
	// limit before the connection is closed with 1008 (policy violation).
	// The first refused message of a run gets a rate_limited error.
	floodStrikes = 20
)

// inbound is one client message and when it arrived.
type inbound struct {
	kind int // websocket.TextMessage or BinaryMessage
	data []byte
	at   time.Time
	buf  *bytes.Buffer // holds data; returned to the pool once handled
}

// outbound is one message for the client, or, when close is set, the close
// frame that ends the connection.
type outbound struct {
	data   []byte
	close  int
	reason string
	buf    *bytes.Buffer // holds data; returned to the pool once written
}

// A connection is one websocket client. Its read pump and write pump are the
// only goroutines that read and write it; the session between them owns
// the call.
type connection struct {
	ws   *websocket.Conn
	srv  *Server
	in   chan inbound  // read pump → session; closed when reading stops
	send chan outbound // session → write pump; closed when the session ends
	// kick is closed by the session to drop a client that does not read.
	kick chan struct{}
	// sessionDone is closed when the session ends, so the read pump never
	// blocks on a session that is gone.
	sessionDone chan struct{}
	readDone    chan struct{}
	writeDone   chan struct{}
}

// serveWS upgrades the request and starts the connection's session on a
// goroutine of its own, which runs until the connection closes. The
// handler returns at once: net/http keeps the connection's request
// buffers (8 KB) for as long as its handler runs, and a session can be
// open for hours.
func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		writeError(w, http.StatusServiceUnavailable, "the server is shutting down")
		return
	}
	left := func() {} // the admission's, once taken
	served := false   // by the session's goroutine, which then does what is deferred here
	defer func() {
		if !served {
			left()
			s.sessions.Done()
		}
	}()
	ip := clientIP(r, s.trustProxy)
	release, ok := s.admission.connect(ip, s.now())
	if !ok {
		w.Header().Set("Retry-After", "60")
		writeError(w, http.StatusTooManyRequests, "too many connections from your address; close one and try again")
		return
	}
	left = release
	signedIn, staff := "", false
	if u, err := s.viewer(r); err != nil {
		s.apiError(w, "", err)
		return
	} else if u != nil {
		signedIn, staff = u.Name, isStaff(u)
	}
	ws, err := s.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered (403 for a foreign origin)
	}
	log := s.log.With("conn", newConnID(), "remote", r.RemoteAddr)
	log.Info("connection opened", "origin", r.Header.Get("Origin"))
	served = true
	go func() {
		defer s.sessions.Done()
		defer left()
		s.runConn(ws, ip, signedIn, staff, log)
	}()
}

// runConn runs a connection's pumps and its session until the connection
// closes.
func (s *Server) runConn(ws *websocket.Conn, ip, signedIn string, staff bool, log *slog.Logger) {
	c := &connection{
		ws:          ws,
		srv:         s,
		in:          make(chan inbound),
		send:        make(chan outbound, sendBuffer),
		kick:        make(chan struct{}),
		sessionDone: make(chan struct{}),
		readDone:    make(chan struct{}),
		writeDone:   make(chan struct{}),
	}
	go c.writePump()
	go c.readPump(log)

	ses := newSession(s, c.in, c.send, c.kick, log)
	ses.trainee, ses.staff = signedIn, staff // the signed-in user plays as themselves (auth.go)
	ses.ip = ip
	ses.run()

	close(c.sessionDone)
	close(c.send)
	<-c.writeDone
	ws.Close()
	<-c.readDone
	log.Info("connection closed", "calls", ses.calls)
}

// readPump reads client messages and hands them to the session. After the
// session ends it keeps reading, and discarding, until the client's close
// frame arrives, so the connection closes cleanly.
func (c *connection) readPump(log *slog.Logger) {
	defer close(c.readDone)
	defer close(c.in)
	c.ws.SetReadLimit(int64(maxMessageSize))
	_ = c.ws.SetReadDeadline(time.Now().Add(pongWait))
	c.ws.SetPongHandler(func(string) error {
		return c.ws.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		kind, r, err := c.ws.NextReader()
		var buf *bytes.Buffer
		if err == nil {
			buf, err = readBuffer(r)
		}
		if err != nil {
			switch {
			case errors.Is(err, websocket.ErrReadLimit):
				log.Warn("message too big: connection closed", "limit", maxMessageSize)
			case websocket.IsUnexpectedCloseError(err, websocket.CloseNormalClosure, websocket.CloseGoingAway, websocket.CloseNoStatusReceived):
				log.Info("connection lost", "err", err)
			}
			return
		}
		select {
		case c.in <- inbound{kind: kind, data: buf.Bytes(), at: c.srv.now(), buf: buf}:
		case <-c.sessionDone:
			putBuffer(buf)
		}
	}
}

// writePump writes the session's messages and pings the client. It ends
// after writing a close frame: the one the session asked for, 1000 when the
// session ended, or 1008 when the client was too slow to read.
func (c *connection) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		close(c.writeDone)
	}()
	for {
		select {
		case <-c.kick:
			c.closeWith(websocket.ClosePolicyViolation, "too slow: messages were not read in time")
			return
		default:
		}
		select {
		case m, ok := <-c.send:
			switch {
			case !ok:
				c.closeWith(websocket.CloseNormalClosure, "")
				return
			case m.close != 0:
				c.closeWith(m.close, m.reason)
				return
			}
			_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			err := c.ws.WriteMessage(websocket.TextMessage, m.data)
			putBuffer(m.buf)
			if err != nil {
				c.ws.Close()
				return
			}
		case <-c.kick:
			c.closeWith(websocket.ClosePolicyViolation, "too slow: messages were not read in time")
			return
		case <-ticker.C:
			_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.ws.Close()
				return
			}
		}
	}
}

// closeWith sends a close frame, gives the client closeGracePeriod to answer
// it, and closes the connection.
func (c *connection) closeWith(code int, reason string) {
	msg := websocket.FormatCloseMessage(code, reason)
	if err := c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(writeWait)); err == nil {
		t := time.NewTimer(closeGracePeriod)
		select {
		case <-c.readDone:
		case <-t.C:
		}
		t.Stop()
	}
	c.ws.Close()
}
