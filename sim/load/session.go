package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

var (
	// errStop ends a session: the run is over for it.
	errStop = errors.New("run over")
	// errLost is a connection that broke (already counted); the session
	// dials again.
	errLost = errors.New("connection lost")
)

// A session is one active client: it plays its script, call after call,
// over one connection at a time, and dials again when one is lost. Its
// goroutine alone reads and writes the connection; gorilla answers pings
// from inside a read, with a control write that may run beside others.
type session struct {
	r      *runner
	script *encodedScript
	sched  schedule // nil in a closed loop

	// due is the turn taken from the schedule or the think time and not
	// yet sent; it survives a lost connection.
	due    time.Time
	hasDue bool
	// over: the schedule has nothing more due before the deadline.
	over bool
}

func (r *runner) active(i int) {
	s := &session{r: r, script: &r.scripts[i%len(r.scripts)]}
	if r.cfg.Loop == Open {
		s.sched = newSchedule(&r.cfg, i, r.rampEnd)
	}
	defer func() {
		// What a session stopped early never took still counts as
		// scheduled: Sent then shows how far behind the run fell.
		if s.sched != nil && !s.over && r.cfg.Turns == 0 {
			r.st.scheduled.Add(due(s.sched, r.deadline))
		}
	}()
	if !r.sleepUntil(r.dialAt(i, r.cfg.Sessions)) {
		return
	}
	r.keepConnected(s.play)
}

// play plays calls on c until the run is over for the session or the
// connection is lost.
func (s *session) play(c *client) error {
	for {
		if err := s.startCall(c); err != nil {
			return err
		}
		ended := false
		for i := 0; i < len(s.script.lines) && !ended; i++ {
			at, ok := s.nextDue()
			if !ok {
				return errStop
			}
			var err error
			if ended, err = s.turn(c, s.script.lines[i], at); err != nil {
				return err
			}
		}
		if !ended {
			if err := s.hangUp(c); err != nil {
				return err
			}
		}
	}
}

func (s *session) startCall(c *client) error {
	st := s.r.st
	for attempt := 0; ; attempt++ {
		if !s.think() {
			return errStop
		}
		sent := time.Now()
		f, err := c.exchange(s.script.start, typeStarted)
		if err != nil {
			return err
		}
		if f.typ == typeStarted {
			st.started(time.Since(sent))
			return nil
		}
		st.error(f.code)
		if f.code == codeCallInProgress && attempt == 0 {
			if err := s.hangUp(c); err != nil {
				return err
			}
			continue
		}
		// The server will not start this script's call (an unknown
		// scenario or mode): trying again would only repeat the error.
		return errStop
	}
}

// nextDue waits until the next turn is due and returns when that was. It
// reports false when the run is over for the session.
func (s *session) nextDue() (time.Time, bool) {
	r := s.r
	if r.stopped() {
		return time.Time{}, false
	}
	if !s.hasDue {
		if r.cfg.Turns > 0 && r.reserved.Add(1) > int64(r.cfg.Turns) {
			return time.Time{}, false
		}
		if s.sched != nil {
			s.due = s.sched.next()
			if !s.due.Before(r.deadline) {
				// Nothing more is due: stay connected until the window
				// closes, so the server holds every session to the end.
				s.over = true
				r.sleepUntil(r.deadline)
				return time.Time{}, false
			}
			r.st.scheduled.Add(1)
		} else {
			if !s.think() {
				return time.Time{}, false
			}
			s.due = time.Now()
			if !s.due.Before(r.deadline) {
				return time.Time{}, false
			}
		}
		s.hasDue = true
	}
	if !r.sleepUntil(s.due) {
		return time.Time{}, false
	}
	return s.due, true
}

// turn says one line, due at due, and waits for the reply, and for the
// report when the reply ends the call. It reports whether the call is
// over: ended, or unknown to the server.
func (s *session) turn(c *client, say []byte, due time.Time) (bool, error) {
	r, st := s.r, s.r.st
	if err := c.write(say); err != nil {
		return false, err
	}
	sent := time.Now()
	s.hasDue = false
	st.sent.Add(1)
	f, err := c.await(say, typeReply)
	if err != nil {
		return false, err
	}
	got := time.Now()
	if f.typ == typeError {
		st.error(f.code)
		// The server holds no call for us: start another.
		return f.code == codeCallEnded || f.code == codeNoCall, nil
	}
	st.replies.Add(1)
	if !due.Before(r.rampEnd) {
		st.turn(due, sent, got)
	}
	if !f.ended {
		return false, nil
	}
	return true, c.awaitReport(nil)
}

// think pauses a closed-loop session before each message it sends: a
// start and an end as well as a line, so that it never sends more than
// one message per think time (5 a second at 200 ms, the server's limit).
// It reports false if the run stopped meanwhile.
func (s *session) think() bool {
	if s.sched != nil || s.r.cfg.Think == 0 {
		return !s.r.stopped()
	}
	return s.r.sleep(s.r.cfg.Think)
}

// hangUp ends a call whose script ran out of lines.
func (s *session) hangUp(c *client) error {
	if !s.think() {
		return errStop
	}
	s.r.st.hangups.Add(1)
	if err := c.write(endMessage); err != nil {
		return err
	}
	return c.awaitReport(endMessage)
}

func (r *runner) idle(i int) {
	if !r.sleepUntil(r.dialAt(i, r.cfg.Idle)) {
		return
	}
	r.keepConnected(func(c *client) error { return c.idle() })
}

// keepConnected runs fn on a connection, and on a new one each time a
// connection is lost, until fn or the run says stop. It dials no more once
// the window has closed: nothing would be sent on the connection.
func (r *runner) keepConnected(fn func(*client) error) {
	backoff := minBackoff
	for !r.stopped() && time.Now().Before(r.deadline) {
		c, err := r.dial()
		if err != nil {
			if !r.pause(backoff) {
				return
			}
			backoff = min(2*backoff, maxBackoff)
			continue
		}
		backoff = minBackoff
		err = fn(c)
		c.close()
		if errors.Is(err, errStop) || !r.pause(minBackoff) {
			return
		}
	}
}

// pause waits d before dialling again, but not past the window's end.
func (r *runner) pause(d time.Duration) bool {
	if until := time.Until(r.deadline); until < d {
		d = until
	}
	return r.sleep(max(d, 0))
}

// A client is one connection of a session.
type client struct {
	r    *runner
	ws   *websocket.Conn
	open bool
	// unhook stops the hook that unblocks the connection when the run stops.
	unhook func() bool
}

// readBuffers hold one message while it is sniffed; shared, so that
// 10,000 clients do not each keep a buffer the size of a report.
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// dial connects and waits for ready.
func (r *runner) dial() (*client, error) {
	ws, resp, err := r.dialer.DialContext(r.ctx, r.cfg.URL, nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		if !r.stopped() {
			r.st.connectFail(dialProblem(err, resp))
		}
		return nil, err
	}
	c := &client{r: r, ws: ws}
	c.unhook = context.AfterFunc(r.ctx, func() { _ = ws.NetConn().SetDeadline(time.Now()) })
	f, err := c.read(r.hardStop)
	switch {
	case err != nil:
		c.close()
		return nil, err
	case f.typ != typeReady:
		r.st.connectFail("no ready message")
		c.close()
		return nil, errLost
	}
	c.open = true
	r.st.opened()
	return c, nil
}

func (c *client) close() {
	c.unhook()
	if c.open {
		c.r.st.closed()
	}
	_ = c.ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(closeWait))
	c.ws.Close()
}

func (c *client) write(msg []byte) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(c.r.cfg.Timeout))
	if err := c.ws.WriteMessage(websocket.TextMessage, msg); err != nil {
		return c.failed(err)
	}
	return nil
}

// read reads one message, waiting at most the run's timeout and never
// past until.
func (c *client) read(until time.Time) (frame, error) {
	if c.r.stopped() {
		return frame{}, errStop
	}
	deadline := time.Now().Add(c.r.cfg.Timeout)
	if until.Before(deadline) {
		deadline = until
	}
	_ = c.ws.SetReadDeadline(deadline)
	_, rd, err := c.ws.NextReader()
	if err != nil {
		return frame{}, c.failed(err)
	}
	buf := readBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	_, err = buf.ReadFrom(rd)
	f := sniff(buf.Bytes())
	readBuffers.Put(buf)
	if err != nil {
		return frame{}, c.failed(err)
	}
	return f, nil
}

// exchange sends msg and waits for the answer of type want, or an error.
func (c *client) exchange(msg []byte, want string) (frame, error) {
	if err := c.write(msg); err != nil {
		return frame{}, err
	}
	return c.await(msg, want)
}

// await waits for the answer of type want to msg, or an error frame other
// than rate_limited. A rate-limited msg is sent again after rateRetry.
func (c *client) await(msg []byte, want string) (frame, error) {
	st := c.r.st
	for {
		f, err := c.read(c.r.hardStop)
		if errors.Is(err, errStop) {
			st.unanswered.Add(1)
		}
		switch {
		case err != nil:
			return f, err
		case f.typ == want:
			return f, nil
		case f.typ == typeError && f.code == codeRateLimited:
			st.rateLimited.Add(1)
			if msg == nil {
				continue // not about anything we sent
			}
			if !c.r.sleep(rateRetry) {
				st.unanswered.Add(1)
				return f, errStop
			}
			if err := c.write(msg); err != nil {
				return f, err
			}
			st.resent.Add(1)
		case f.typ == typeError:
			return f, nil
		case f.typ == typeClosing:
			st.disconnect("server closing")
			return f, errLost
		}
	}
}

// awaitReport waits for the report of an ended call, after msg (end, or
// nil after a reply that ended the call). Error frames before it (a call
// the server could not save) are counted.
func (c *client) awaitReport(msg []byte) error {
	for {
		f, err := c.await(msg, typeReport)
		if err != nil {
			return err
		}
		if f.typ == typeReport {
			c.r.st.reports.Add(1)
			return nil
		}
		c.r.st.error(f.code)
	}
}

// idle reads, and drops, whatever the server sends until the window
// closes; pings are answered inside the read.
func (c *client) idle() error {
	_ = c.ws.SetReadDeadline(c.r.deadline)
	for {
		_, rd, err := c.ws.NextReader()
		if err != nil {
			if c.r.stopped() || !time.Now().Before(c.r.deadline) {
				return errStop
			}
			c.r.st.disconnect(closeReason(err))
			return errLost
		}
		if _, err := io.Copy(io.Discard, rd); err != nil {
			return c.failed(err)
		}
	}
}

// failed counts a read or write error, unless the run stopping caused it,
// and says whether the session goes on.
func (c *client) failed(err error) error {
	if c.r.stopped() || !time.Now().Before(c.r.hardStop) {
		return errStop
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		c.r.st.timeout()
		return errLost
	}
	c.r.st.disconnect(closeReason(err))
	return errLost
}

// closeReason names how a connection ended, for counting.
func closeReason(err error) string {
	var ce *websocket.CloseError
	switch {
	case errors.As(err, &ce):
		if ce.Text != "" {
			return fmt.Sprintf("close %d (%s)", ce.Code, ce.Text)
		}
		return fmt.Sprintf("close %d", ce.Code)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "closed without a close frame"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case errors.Is(err, syscall.EPIPE):
		return "broken pipe"
	}
	return "other: " + err.Error()
}

// dialProblem names why a dial failed, for counting.
func dialProblem(err error, resp *http.Response) string {
	var ne net.Error
	switch {
	case resp != nil:
		return "HTTP " + resp.Status
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.EMFILE), errors.Is(err, syscall.ENFILE):
		return "too many open files"
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return "no free local port"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	}
	return "other: " + err.Error()
}
