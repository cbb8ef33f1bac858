package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/roleplay-sim/roleplay/sim"
)

// A session is the goroutine between a connection's read pump and write
// pump. It alone owns the connection's call: it reads client messages from
// in, runs them on the conversation and queues the answers on send, never
// blocking on the client. It keeps nothing of a call once the call has
// ended or moved: a connection costs the same after a thousand calls as
// after one.
type session struct {
	srv  *Server
	in   <-chan inbound
	send chan<- outbound
	kick chan struct{}
	log  *slog.Logger

	ip      string    // the client's address, for admission
	limit   *bucket   // nil: no rate limit
	strikes int       // messages refused in a row by the rate limit
	holding bool      // a call in progress is counted by admission
	working bool      // the message being handled holds a worker
	began   time.Time // when the message being handled arrived, for metrics

	// trainee is the signed-in user the calls are recorded for; "" for
	// anonymous practice. staff: they are a trainer or admin, who may
	// start drafts.
	trainee string
	staff   bool

	call  *call  // the call in progress, held by this session; nil when none
	after string // why there is no call when there was one: codeCallEnded or codeCallMoved
	calls int    // calls started or resumed on this connection
	gone  bool   // the connection is closing; stop
}

func newSession(srv *Server, in <-chan inbound, send chan<- outbound, kick chan struct{}, log *slog.Logger) *session {
	s := &session{srv: srv, in: in, send: send, kick: kick, log: log}
	if r := srv.limits.Rate; r > 0 {
		s.limit = newBucket(r, r*rateBurst/rateLimit, srv.now())
	}
	return s
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
				s.settle()
				return
			}
			s.receive(m)
			putBuffer(m.buf)
		case <-s.lost():
			s.moved()
		case <-s.srv.quit:
			s.shutdown()
			s.settle()
			return
		}
	}
	s.interrupt("connection dropped")
	s.settle()
}

// shutdown finishes what the client has sent already, then tells it the
// server is closing and, when a call is in progress, that every turn of it
// is stored and it can be resumed.
func (s *session) shutdown() {
	for done := false; !done && !s.gone; {
		select {
		case m, ok := <-s.in:
			if !ok {
				done = true
				break
			}
			s.receive(m)
			putBuffer(m.buf)
		default:
			done = true
		}
	}
	id := s.interrupt("server shutting down")
	out := closingMessage{V: ProtocolVersion, Type: typeClosing, Message: "The server is shutting down."}
	if id != "" {
		out.Call, out.Resumable = id, true
		out.Message = "The server is restarting. Every turn of your call is saved: resume it to go on."
	}
	s.emit(out)
	s.closeWith(websocket.CloseGoingAway, "server shutting down")
}

// lost is closed when another session takes over the call in progress;
// nil (never ready) when there is none.
func (s *session) lost() <-chan struct{} {
	if s.call == nil {
		return nil
	}
	return s.call.hold.lost
}

// receive applies the rate limit to one message, then handles it.
func (s *session) receive(m inbound) {
	if s.limit != nil && !s.limit.allow(m.at) {
		s.strikes++
		switch {
		case s.strikes >= floodStrikes:
			s.log.Warn("client kept flooding: connection closed", "refused", s.strikes)
			s.closeWith(websocket.ClosePolicyViolation, "too many messages")
		case s.strikes == 1:
			s.fail(codeRateLimited, fmt.Sprintf("Slow down: at most %g messages a second. This message was ignored.", s.srv.limits.Rate))
		}
		return
	}
	s.strikes = 0
	s.began = time.Now()
	release, ok := s.srv.admission.acquire(s.ip)
	if !ok {
		s.refuse(&refusal{codeServerBusy, "The server is busy; this message was ignored. Please send it again in a moment.", time.Second})
		return
	}
	s.working = true
	s.handle(m)
	s.working = false
	release()
	s.settle()
}

// away runs wait, the store's commit of a turn, with the message's worker
// given back meanwhile (admission.away) if it holds one.
func (s *session) away(wait func()) {
	if !s.working {
		wait()
		return
	}
	s.srv.admission.away(wait)
}

// settle counts a call out of admission once the session let it go (it
// ended, moved elsewhere, or the connection went).
func (s *session) settle() {
	if s.holding && s.call == nil {
		s.holding = false
		s.srv.admission.endCall()
	}
}

// refuse sends the error for a refusal.
func (s *session) refuse(r *refusal) {
	s.srv.metrics.error(r.code)
	s.emit(errorMessage{V: ProtocolVersion, Type: typeError, Code: r.code, Message: r.msg, RetryAfter: retrySeconds(r.retry)})
}

// handle runs one client message. A panic in the simulator is logged with
// its stack, the call it happened in is dropped (as it is stored, so it
// can be resumed), and the client is told only that an internal error
// happened.
func (s *session) handle(m inbound) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic handling message", "panic", p, "stack", string(debug.Stack()))
			s.interrupt("panic")
			s.fail(codeInternal, "internal error")
		}
	}()
	if m.kind != websocket.TextMessage {
		s.fail(codeBadJSON, "Messages must be JSON text, not binary.")
		return
	}
	if !utf8.Valid(m.data) { // RFC 6455 8.1: fail the connection
		s.log.Warn("text frame not UTF-8: connection closed")
		s.closeWith(websocket.CloseInvalidFramePayloadData, "text frame is not valid UTF-8")
		return
	}
	var msg clientMessage
	if err := json.Unmarshal(m.data, &msg); err != nil {
		s.fail(codeBadJSON, "The message is not a JSON object of the protocol: "+jsonProblem(err))
		return
	}
	if msg.V != nil && *msg.V != ProtocolVersion && *msg.V != oldestVersion {
		s.fail(codeUnsupportedVersion, fmt.Sprintf("Protocol version %d is not supported; this server speaks versions %d and %d.", *msg.V, oldestVersion, ProtocolVersion))
		return
	}
	switch msg.Type {
	case typeStart:
		s.start(msg)
	case typeResume:
		s.resume(msg, m.at)
	case typeSay:
		s.say(msg.Text, m.at)
	case typeEnd:
		s.end()
	case typeCorrect:
		s.correct(msg, m.at) // correct.go
	case "":
		s.fail(codeUnknownType, `The message has no "type"; use start, resume, say, correct or end.`)
	default:
		s.fail(codeUnknownType, fmt.Sprintf("Unknown message type %q; use start, resume, say, correct or end.", msg.Type))
	}
}

func (s *session) start(msg clientMessage) {
	if s.call != nil {
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
	case sim.Training, sim.AssessmentMode:
	default:
		s.fail(codeUnknownMode, fmt.Sprintf("Unknown mode %q; use training or assessment.", mode))
		return
	}
	if s.trainee == "" && !s.srv.anonymousPractice() {
		s.fail(codeSignIn, "Sign in to practise: this server does not take anonymous calls.")
		return
	}
	if r := s.srv.admission.startCall(s.ip, s.srv.now()); r != nil {
		s.log.Warn("call refused", "code", r.code)
		s.refuse(r)
		return
	}
	c, token, err := s.srv.startCall(sc, mode, s.trainee, s.srv.now(), s.away)
	if err != nil {
		s.srv.admission.endCall()
		s.log.Error("start call", "scenario", sc.ID, "err", err)
		s.failErr(err)
		return
	}
	c.hold = s.srv.holds.take(c.id())
	c.away = s.away
	s.call, s.after, s.holding = c, "", true
	s.calls++
	s.log.Info("call started", "call", c.id(), "scenario", sc.ID, "mode", mode)
	s.emit(startedFor(c, token))
}

// resume takes up a stored call on this connection, from wherever it was
// played before: another connection, this server before a restart, or
// another server on the same database.
func (s *session) resume(msg clientMessage, at time.Time) {
	if s.call != nil {
		s.fail(codeCallInProgress, "A call is already in progress on this connection; end it before resuming another.")
		return
	}
	// Check the token, then take the call over, so that a session on this
	// server that plays it stops before the record is read for the replay.
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	_, err := s.srv.findCall(ctx, msg.Call, msg.Token)
	cancel()
	var c *call
	var h *hold
	if err == nil {
		h = s.srv.holds.take(msg.Call)
		if c, err = s.srv.resumeCall(msg.Call, msg.Token, at); err != nil {
			s.srv.holds.release(h)
		}
	}
	if err != nil {
		var ended *endedError
		switch {
		case errors.As(err, &ended) && ended.assessed:
			s.emit(errorMessage{V: ProtocolVersion, Type: typeError, Code: codeCallEnded, Call: ended.id,
				Message: "This call has ended. Thank you."})
		case errors.As(err, &ended):
			s.emit(errorMessage{V: ProtocolVersion, Type: typeError, Code: codeCallEnded, Call: ended.id,
				Message:   "This call has ended; its report is ready.",
				ReportURL: reportURL(ended.id), TranscriptURL: transcriptURL(ended.id)})
		case errors.Is(err, errNoSuchCall):
			s.emit(errorMessage{V: ProtocolVersion, Type: typeError, Code: codeUnknownCall, Message: sim.ErrorMessage(err)})
		default:
			s.log.Error("resume call", "call", msg.Call, "err", err)
			s.failErr(err)
		}
		return
	}
	c.hold = h
	s.srv.admission.resumeCall() // counted in until it ends, like a started call
	c.away = s.away
	s.call, s.after, s.holding = c, "", true
	s.calls++
	s.log.Info("call resumed", "call", c.id(), "scenario", c.scenario().ID, "turns", len(c.rec.Turns))
	s.emit(resumedFor(c))
}

func (s *session) say(text string, at time.Time) {
	c := s.call
	if c == nil {
		s.noCall(`No call is in progress; send {"type":"start","scenario":"..."} first.`)
		return
	}
	if c.rec.Overdue(at) { // the time was up before this turn was said
		s.finish(sim.EndedByDeadline)
		return
	}
	t, err := s.srv.turn(c, text, at, s.away)
	if err != nil {
		if !s.turnLost(c, err, "store turn", "your last turn could not be saved; please say it again") {
			s.failErr(err)
		}
		return
	}
	s.emit(replyFor(c, t))
	s.srv.metrics.turn(time.Since(s.began))
	if t.Ended {
		s.finish(sim.EndedByCustomer)
	}
}

func (s *session) end() {
	if s.call == nil {
		s.noCall("No call is in progress.")
		return
	}
	if s.call.rec.Overdue(s.srv.now()) {
		s.finish(sim.EndedByDeadline)
		return
	}
	s.finish(sim.EndedByTrainee)
}

// noCall answers a say or end when no call is in progress.
func (s *session) noCall(msg string) {
	switch s.after {
	case codeCallEnded:
		s.fail(codeCallEnded, "The call has ended; start a new one.")
	case codeCallMoved:
		s.fail(codeCallMoved, "This call went on in another window or on another server; resume it to go on here.")
	default:
		s.fail(codeNoCall, msg)
	}
}

// finish ends the call, stores its end and sends the report; the session
// keeps nothing of the call after that.
func (s *session) finish(how sim.Ending) {
	c := s.call
	rep, err := s.srv.end(c, how, s.srv.now())
	if errors.Is(err, errMoved) {
		s.moved()
		return
	}
	s.release()
	s.after = codeCallEnded
	s.log.Info("call ended", "call", c.id(), "scenario", rep.Scenario, "outcome", rep.Outcome,
		"turns", rep.Turns, "profile", rep.Profile, "score", rep.Score)
	out := reportMessage{V: ProtocolVersion, Type: typeReport, Call: c.id(), Report: rep}
	if c.rec.Assessment != "" { // a candidate is told the call ended, nothing of how it went
		if err != nil {
			s.log.Error("store call end", "call", c.id(), "err", err)
			s.fail(codeInternal, "internal error: the call could not be saved")
		}
		s.emit(endedFor(c.id(), c.rec.End))
		return
	}
	if err != nil {
		s.log.Error("store call end", "call", c.id(), "err", err)
		s.fail(codeInternal, "internal error: the call could not be saved")
	} else {
		out.ReportURL, out.TranscriptURL = reportURL(c.id()), transcriptURL(c.id())
	}
	s.emit(out)
}

// moved lets go of a call that went on elsewhere and tells the client.
// An assessment call past its deadline did not move: the server ended it
// (the sweeper took it from this session), and the candidate is told so.
func (s *session) moved() {
	c := s.call
	if c.rec.Assessment != "" && c.rec.Overdue(s.srv.now()) {
		s.log.Info("call ended at its deadline while connected", "call", c.id(), "turns", len(c.rec.Turns))
		s.release()
		s.after = codeCallEnded
		s.emit(endedFor(c.id(), sim.EndedByDeadline))
		return
	}
	s.log.Info("call moved", "call", c.id(), "turns", len(c.rec.Turns))
	s.release()
	s.after = codeCallMoved
	s.emit(errorMessage{V: ProtocolVersion, Type: typeError, Code: codeCallMoved, Call: c.id(),
		Message: "This call went on in another window or on another server, so this one can no longer play it; resume it to go on here."})
}

// interrupt leaves a call still in progress as it is stored, every turn
// in, ungraded, so it can be resumed later, and returns its id ("" when none).
func (s *session) interrupt(why string) string {
	c := s.call
	if c == nil {
		return ""
	}
	s.release()
	s.log.Info("call interrupted", "call", c.id(), "scenario", c.scenario().ID, "turns", len(c.rec.Turns), "why", why)
	return c.id()
}

// release lets go of the call: the session keeps nothing of it.
func (s *session) release() {
	if s.call.hold != nil {
		s.srv.holds.release(s.call.hold)
	}
	s.call = nil
	s.settle()
}

func reportURL(id string) string     { return "/api/calls/" + id + "/report" }
func transcriptURL(id string) string { return "/api/calls/" + id + "/transcript" }

// failErr sends the error message for err (see wsError).
func (s *session) failErr(err error) {
	code, msg := wsError(err)
	s.fail(code, msg)
}

// fail sends an error message; the session goes on.
func (s *session) fail(code, msg string) {
	s.srv.metrics.error(code)
	s.emit(errorMessage{V: ProtocolVersion, Type: typeError, Code: code, Message: msg})
}

// emit queues a message for the client. A client whose queue is full is
// not reading: it is dropped rather than allowed to block the session.
func (s *session) emit(v any) {
	if s.gone {
		return
	}
	buf, err := encode(v) // buffers.go
	if err != nil {
		s.log.Error("encode message", "err", err)
		return
	}
	select {
	case s.send <- outbound{data: buf.Bytes(), buf: buf}:
	default:
		putBuffer(buf)
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

// turnLost answers a turn (or its correction) that did not take because
// another connection now plays the call or the store failed, and reports
// whether err was one of those: the store's failure is logged as what and
// told to the trainee as lost.
func (s *session) turnLost(c *call, err error, what, lost string) bool {
	var se *storeError
	switch {
	case errors.Is(err, errMoved):
		s.moved()
	case errors.As(err, &se):
		s.log.Error(what, "call", c.id(), "err", err)
		s.fail(codeInternal, "internal error: "+lost)
	default:
		return false
	}
	return true
}
