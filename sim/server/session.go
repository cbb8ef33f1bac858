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

	"github.com/gorilla/websocket"
	"github.com/roleplay-sim/roleplay/sim"
)

// callIDBytes is the size of a call id's random part; ids are its hex.
const callIDBytes = 16

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

	call  *call // the current or last call, nil before the first start
	calls int   // calls started on this connection
	gone  bool  // the connection is closing; stop
}

// A call is one conversation and what the server keeps beside it.
type call struct {
	id   string
	conv *sim.Conversation
	mode Mode
	// at is when each trainee line arrived, for the saved transcript.
	at []time.Time
	// done is set once the call ended and its report was sent.
	done bool
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
	sc, ok := s.srv.byID[msg.Scenario]
	if !ok {
		s.fail(codeUnknownScenario, fmt.Sprintf("There is no scenario %q; GET /api/scenarios lists them.", msg.Scenario))
		return
	}
	mode := msg.Mode
	switch mode {
	case "":
		mode = Training
	case Training, Assessment:
	default:
		s.fail(codeUnknownMode, fmt.Sprintf("Unknown mode %q; use training or assessment.", mode))
		return
	}
	id, err := newCallID()
	if err != nil {
		s.log.Error("call id", "err", err)
		s.fail(codeInternal, "internal error")
		return
	}
	c := &call{id: id, conv: sim.NewConversation(sc), mode: mode}
	s.call = c
	s.calls++
	s.log.Info("call started", "call", id, "scenario", sc.ID, "mode", mode)

	out := startedMessage{
		V: ProtocolVersion, Type: typeStarted, Call: id, Mode: mode,
		Scenario: scenarioSummary{
			ID: sc.ID, Title: sc.Title, Display: sc.Display,
			Customer: person{Name: sc.Customer.Name, Role: sc.Customer.Role, Company: sc.Customer.Company},
		},
		Opening:  c.conv.Opening(),
		MaxTurns: sc.MaxTurns,
	}
	if mode == Training {
		out.State = c.conv.State()
		if sc.Display.Meters {
			out.Meters = c.conv.Meters()
		}
		if sc.Display.Checklist {
			out.Checklist = checklist(c.conv)
		}
	}
	s.emit(out)
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
	t, err := c.conv.Say(text)
	switch {
	case errors.Is(err, sim.ErrEmptyTurn):
		s.fail(codeEmptyText, "Say something: the text is empty.")
		return
	case errors.Is(err, sim.ErrTooLong):
		s.fail(codeTooLong, fmt.Sprintf("A turn can be at most %d bytes.", sim.MaxTurnLength))
		return
	case errors.Is(err, sim.ErrEnded):
		s.fail(codeCallEnded, "The call has ended; start a new one.")
		return
	case err != nil:
		s.log.Error("say", "call", c.id, "err", err)
		s.fail(codeInternal, "internal error")
		return
	}
	c.at = append(c.at, at)
	if !t.Ended {
		// The turn is stored before it is acknowledged, so a reply the
		// trainee has seen is never lost to a crash; an ended call is
		// stored with its report by finish.
		if err := s.save(c, nil); err != nil {
			s.log.Error("save turn", "call", c.id, "turn", t.N, "err", err)
			s.takeBack(c)
			s.fail(codeInternal, "internal error: your last turn could not be saved; please say it again")
			return
		}
	}
	s.emit(replyFor(c, t))
	if t.Ended {
		s.finish()
	}
}

// takeBack undoes the call's last turn by replaying the ones before it, so
// the call goes on from what is stored and what the trainee was told.
func (s *session) takeBack(c *call) {
	tr := c.conv.Transcript()
	tr.Lines = tr.Lines[:len(tr.Lines)-1]
	conv, err := sim.Replay(c.conv.Scenario(), tr)
	if err != nil { // cannot happen: these lines were just played
		s.log.Error("take back turn", "call", c.id, "err", err)
		return
	}
	if c.conv.HungUp() {
		conv.Hangup()
	}
	c.conv, c.at = conv, c.at[:len(c.at)-1]
}

// replyFor is the reply message for turn t: everything in training mode,
// only the customer's words and the call's end in assessment mode.
func replyFor(c *call, t sim.Turn) replyMessage {
	out := replyMessage{
		V: ProtocolVersion, Type: typeReply, Turn: t.N, Text: t.Reply,
		Ended: t.Ended, Outcome: t.Outcome, Reason: t.Reason,
	}
	if c.mode != Training {
		return out
	}
	sc := c.conv.Scenario()
	out.Acts, out.From, out.To = t.Acts, t.From, t.To
	out.Transitions, out.Effects = t.Transitions, t.Effects
	if sc.Display.Meters {
		out.Meters = t.Meters
	}
	for _, id := range t.Revealed {
		for _, f := range sc.Facts {
			if f.ID == id {
				out.Revealed = append(out.Revealed, factView{ID: f.ID, Kind: f.Kind, Label: f.Label})
			}
		}
	}
	if sc.Display.Checklist {
		out.Checklist = checklist(c.conv)
	}
	return out
}

// checklist is every fact of the scenario and the turn it came out in. A
// fact still hidden goes out with its kind only: its id and label would
// tell the trainee what to ask.
func checklist(conv *sim.Conversation) []sim.FactStatus {
	facts := conv.Scenario().Facts
	out := make([]sim.FactStatus, len(facts))
	for i, f := range facts {
		out[i] = sim.FactStatus{Kind: f.Kind, Turn: conv.RevealedAt(i)}
		if out[i].Turn > 0 {
			out[i].ID, out[i].Label = f.ID, f.Label
		}
	}
	return out
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
	c.conv.Hangup()
	s.finish()
}

// finish grades the ended call, saves it and sends the report.
func (s *session) finish() {
	c := s.call
	c.done = true
	rep := sim.Grade(c.conv)
	s.log.Info("call ended", "call", c.id, "scenario", rep.Scenario, "outcome", rep.Outcome,
		"turns", rep.Turns, "profile", rep.Profile, "score", rep.Score)
	out := reportMessage{V: ProtocolVersion, Type: typeReport, Call: c.id, Report: rep}
	if err := s.save(c, rep); err != nil {
		s.log.Error("save call", "call", c.id, "err", err)
		s.fail(codeInternal, "internal error: the call could not be saved")
	} else {
		out.ReportURL = "/api/calls/" + c.id + "/report"
		out.TranscriptURL = "/api/calls/" + c.id + "/transcript"
	}
	s.emit(out)
}

// interrupt saves a call still in progress, ungraded, so that its
// transcript can resume it later, and returns its id ("" when none).
func (s *session) interrupt(why string) string {
	c := s.call
	if c == nil || c.done {
		return ""
	}
	c.done = true
	if err := s.save(c, nil); err != nil {
		s.log.Error("save interrupted call", "call", c.id, "err", err)
	}
	s.log.Info("call interrupted", "call", c.id, "scenario", c.conv.Scenario().ID, "turns", len(c.conv.Turns()), "why", why)
	return c.id
}

// save stores the call's transcript, each line stamped with when it was said.
func (s *session) save(c *call, rep *sim.Report) error {
	t := c.conv.Transcript()
	for i := range t.Lines {
		if i < len(c.at) {
			t.Lines[i].At = c.at[i].UTC().Format(time.RFC3339Nano)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), saveTimeout)
	defer cancel()
	return s.srv.store.SaveCall(ctx, c.id, t, rep)
}

// saveTimeout bounds one store write, so a stuck store cannot hang a session.
const saveTimeout = 5 * time.Second

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

// newCallID returns a random call id.
func newCallID() (string, error) {
	b := make([]byte, callIDBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("call id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// newConnID returns a short random id that ties a connection's log lines together.
func newConnID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
