package server

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roleplay-sim/roleplay/sim"
)

// A session is the goroutine between a connection's read pump and write
// pump. It alone owns the calls of the connection: it reads client
// messages from in, runs them on the conversation and queues the answers
// on send, never blocking on the client.
type session struct {
	srv  *Server
	in   <-chan inbound
	send chan<- outbound
	kick chan struct{}
	log  *slog.Logger

	limit   *bucket
	strikes int // messages refused in a row by the rate limit

	// trainee is the signed-in user the calls are recorded for; "" for
	// anonymous practice. staff: they are a trainer or admin, who may
	// start drafts.
	trainee string
	staff   bool

	call  *call // the current or last call, nil before the first start
	calls int   // calls started on this connection
	gone  bool  // the connection is closing; stop
}

func newSession(srv *Server, in <-chan inbound, send chan<- outbound, kick chan struct{}, log *slog.Logger) *session {
	return &session{
		srv:   srv,
		in:    in,
		send:  send,
		kick:  kick,
		log:   log,
		limit: newBucket(rateLimit, rateBurst, srv.now()),
	}
}

// run serves the connection until the client leaves, breaks a limit, or
// the server shuts down.
func (s *session) run() {
	s.emit(readyMessage{V: ProtocolVersion, Type: typeReady, MaxText: sim.MaxTurnLength})
	for !s.gone {
		select {
		case m, ok := <-s.in:
			if !ok {
				s.interrupt("connection closed")
				return
			}
			s.receive(m)
		case <-s.srv.quit:
			id := s.interrupt("server shutting down")
			s.emit(closingMessage{V: ProtocolVersion, Type: typeClosing, Message: "The server is shutting down. Your call was saved.", Call: id})
			s.closeWith(websocket.CloseGoingAway, "server shutting down")
			return
		}
	}
	s.interrupt("connection dropped")
}

// receive applies the rate limit to one message, then handles it.
func (s *session) receive(m inbound) {
	if !s.limit.allow(m.at) {
		s.strikes++
		switch {
		case s.strikes >= floodStrikes:
			s.log.Warn("client kept flooding: connection closed", "refused", s.strikes)
			s.closeWith(websocket.ClosePolicyViolation, "too many messages")
		case s.strikes == 1:
			s.fail(codeRateLimited, fmt.Sprintf("Slow down: at most %d messages a second. This message was ignored.", rateLimit))
		}
		return
	}
	s.strikes = 0
	s.handle(m)
}

// handle runs one client message. A panic in the simulator is logged with
// its stack, the call it happened in is dropped, and the client is told
// only that an internal error happened.
func (s *session) handle(m inbound) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic handling message", "panic", p, "stack", string(debug.Stack()))
			s.call = nil
			s.fail(codeInternal, "internal error")
		}
	}()
	if m.kind != websocket.TextMessage {
		s.fail(codeBadJSON, "Messages must be JSON text, not binary.")
		return
	}
	var msg clientMessage
	if err := json.Unmarshal(m.data, &msg); err != nil {
		s.fail(codeBadJSON, "The message is not a JSON object of the protocol: "+jsonProblem(err))
		return
	}
	if msg.V != nil && *msg.V != ProtocolVersion {
		s.fail(codeUnsupportedVersion, fmt.Sprintf("Protocol version %d is not supported; this server speaks version %d.", *msg.V, ProtocolVersion))
		return
	}
	switch msg.Type {
	case typeStart:
		s.start(msg)
	case typeSay:
		s.say(msg.Text, m.at)
	case typeEnd:
		s.end()
	case "":
		s.fail(codeUnknownType, `The message has no "type"; use start, say or end.`)
	default:
		s.fail(codeUnknownType, fmt.Sprintf("Unknown message type %q; use start, say or end.", msg.Type))
	}
}

func (s *session) start(msg clientMessage) {
	if s.call != nil && !s.call.done {
		s.fail(codeCallInProgress, "A call is already in progress; end it before starting another.")
		return
	}
	sc := s.srv.scenarios.set().start(msg.Scenario, msg.Version, s.staff) // scenarios.go
	if sc == nil {
		s.fail(codeUnknownScenario, fmt.Sprintf("There is no scenario %q; GET /api/scenarios lists them.", msg.Scenario))
		return
	}
	mode := msg.Mode
	switch mode {
	case "":
		mode = sim.Training
	case sim.Training, sim.Assessment:
	default:
		s.fail(codeUnknownMode, fmt.Sprintf("Unknown mode %q; use training or assessment.", mode))
		return
	}
	if s.trainee == "" && !s.srv.anonymousPractice() {
		s.fail(codeSignIn, "Sign in to practise: this server does not take anonymous calls.")
		return
	}
	c, err := s.srv.startCall(sc, mode, s.trainee, s.srv.now())
	if err != nil {
		s.log.Error("start call", "scenario", sc.ID, "err", err)
		s.failErr(err)
		return
	}
	s.call = c
	s.calls++
	s.log.Info("call started", "call", c.id(), "scenario", sc.ID, "mode", mode)
	s.emit(startedFor(c))
}

func (s *session) say(text string, at time.Time) {
	c := s.call
	switch {
	case c == nil:
		s.fail(codeNoCall, `No call is in progress; send {"type":"start","scenario":"..."} first.`)
		return
	case c.done:
		s.fail(codeCallEnded, "The call has ended; start a new one.")
		return
	}
	t, err := s.srv.turn(c, text, at)
	if err != nil {
		var se *storeError
		if errors.As(err, &se) {
			s.log.Error("store turn", "call", c.id(), "err", err)
			s.fail(codeInternal, "internal error: your last turn could not be saved; please say it again")
			return
		}
		s.failErr(err)
		return
	}
	s.emit(replyFor(c, t))
	if t.Ended {
		s.finish(sim.EndedByCustomer)
	}
}

func (s *session) end() {
	c := s.call
	switch {
	case c == nil:
		s.fail(codeNoCall, "No call is in progress.")
		return
	case c.done:
		s.fail(codeCallEnded, "The call has already ended.")
		return
	}
	s.finish(sim.EndedByTrainee)
}

// finish ends the call, stores its end and sends the report.
func (s *session) finish(how sim.Ending) {
	c := s.call
	rep, err := s.srv.end(c, how, s.srv.now())
	s.log.Info("call ended", "call", c.id(), "scenario", rep.Scenario, "outcome", rep.Outcome,
		"turns", rep.Turns, "profile", rep.Profile, "score", rep.Score)
	out := reportMessage{V: ProtocolVersion, Type: typeReport, Call: c.id(), Report: rep}
	if err != nil {
		s.log.Error("store call end", "call", c.id(), "err", err)
		s.fail(codeInternal, "internal error: the call could not be saved")
	} else {
		out.ReportURL = "/api/calls/" + c.id() + "/report"
		out.TranscriptURL = "/api/calls/" + c.id() + "/transcript"
	}
	s.emit(out)
}

// interrupt leaves a call still in progress as it is stored, every turn
// in, ungraded, so it can be resumed later, and returns its id ("" when none).
func (s *session) interrupt(why string) string {
	c := s.call
	if c == nil || c.done {
		return ""
	}
	c.done = true
	s.log.Info("call interrupted", "call", c.id(), "scenario", c.scenario().ID, "turns", len(c.rec.Turns), "why", why)
	return c.id()
}

// failErr sends the error message for err (see wsError).
func (s *session) failErr(err error) {
	code, msg := wsError(err)
	s.fail(code, msg)
}

// fail sends an error message; the session goes on.
func (s *session) fail(code, msg string) {
	s.emit(errorMessage{V: ProtocolVersion, Type: typeError, Code: code, Message: msg})
}

// emit queues a message for the client. A client whose queue is full is
// not reading: it is dropped rather than allowed to block the session.
func (s *session) emit(v any) {
	if s.gone {
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		s.log.Error("encode message", "err", err)
		return
	}
	select {
	case s.send <- outbound{data: data}:
	default:
		s.log.Warn("client too slow: dropped", "queued", sendBuffer)
		close(s.kick)
		s.gone = true
	}
}

// closeWith asks the write pump to close the connection with code and stops the session.
func (s *session) closeWith(code int, reason string) {
	if s.gone {
		return
	}
	select {
	case s.send <- outbound{close: code, reason: reason}:
	default:
		close(s.kick)
	}
	s.gone = true
}

// jsonProblem describes a decoding error without echoing Go type names.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %q has the wrong type.", te.Field)
	}
	return "it is not valid JSON."
}

// newConnID returns a short random id that ties a connection's log lines together.
func newConnID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
