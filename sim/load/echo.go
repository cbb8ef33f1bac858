package load

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
)

// Limits of an echo connection: the product's (sim/server/conn.go), so the
// two differ only in the work a turn takes.
const (
	echoMaxMessage = 8 << 10
	echoWriteWait  = 10 * time.Second
	echoPongWait   = 60 * time.Second
	echoPingPeriod = echoPongWait * 9 / 10
	echoSendBuffer = 32
	// echoMaxTurns ends an echo call, as a scenario's max_turns does.
	echoMaxTurns = 25
)

// echoLine is what the echo customer says every turn: about the length of
// a persona's reply, so a reply weighs what an assessment-mode reply does.
const echoLine = "Honestly, the hardest part is the afternoon. Three drivers call in at once, the board is out of date, and by the time we've sorted it a shipper is already on the phone asking where their load is."

// An EchoServer speaks the roleplay websocket protocol and does no work:
// ready on connect, started for start, a fixed reply for each say, a small
// report on end or after echoMaxTurns turns. It has the product's shape —
// a read pump, a write pump and a session goroutine between them per
// connection, JSON encoding of every message — so a load run against it
// measures framing, scheduling and the network on this machine: the most
// the product could do here. No rate limit, no store.
type EchoServer struct {
	upgrader websocket.Upgrader
}

// NewEchoServer returns an echo server; it answers every path.
func NewEchoServer() *EchoServer {
	return &EchoServer{upgrader: websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 1024}}
}

func (e *EchoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := e.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &echoConn{
		ws:          ws,
		in:          make(chan []byte),
		send:        make(chan []byte, echoSendBuffer),
		sessionDone: make(chan struct{}),
		readDone:    make(chan struct{}),
		writeDone:   make(chan struct{}),
	}
	go c.writePump()
	go c.readPump()
	c.session()
	close(c.sessionDone)
	close(c.send)
	<-c.writeDone
	ws.Close()
	<-c.readDone
}

type echoConn struct {
	ws          *websocket.Conn
	in          chan []byte
	send        chan []byte
	sessionDone chan struct{}
	readDone    chan struct{}
	writeDone   chan struct{}
	gone        bool // the client is too slow: stop

	call string // the call in progress, "" when none
	mode string
	turn int
}

func (c *echoConn) readPump() {
	defer close(c.readDone)
	defer close(c.in)
	c.ws.SetReadLimit(echoMaxMessage)
	_ = c.ws.SetReadDeadline(time.Now().Add(echoPongWait))
	c.ws.SetPongHandler(func(string) error { return c.ws.SetReadDeadline(time.Now().Add(echoPongWait)) })
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		select {
		case c.in <- data:
		case <-c.sessionDone:
		}
	}
}

func (c *echoConn) writePump() {
	ticker := time.NewTicker(echoPingPeriod)
	defer func() {
		ticker.Stop()
		close(c.writeDone)
	}()
	for {
		select {
		case m, ok := <-c.send:
			_ = c.ws.SetWriteDeadline(time.Now().Add(echoWriteWait))
			if !ok {
				_ = c.ws.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""))
				return
			}
			if err := c.ws.WriteMessage(websocket.TextMessage, m); err != nil {
				c.ws.Close()
				return
			}
		case <-ticker.C:
			_ = c.ws.SetWriteDeadline(time.Now().Add(echoWriteWait))
			if err := c.ws.WriteMessage(websocket.PingMessage, nil); err != nil {
				c.ws.Close()
				return
			}
		}
	}
}

// session answers the client's messages until it leaves.
func (c *echoConn) session() {
	c.emit(echoReady{V: 1, Type: typeReady, MaxText: 4000})
	for data := range c.in {
		if c.gone {
			return
		}
		c.handle(data)
	}
}

func (c *echoConn) handle(data []byte) {
	var m struct {
		Type     string `json:"type"`
		Scenario string `json:"scenario"`
		Mode     string `json:"mode"`
		Text     string `json:"text"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		c.fail("bad_json", "The message is not a JSON object of the protocol.")
		return
	}
	switch m.Type {
	case "start":
		if c.call != "" {
			c.fail(codeCallInProgress, "A call is already in progress; end it before starting another.")
			return
		}
		c.call, c.mode, c.turn = newEchoCallID(), m.Mode, 0
		if c.mode == "" {
			c.mode = "training"
		}
		c.emit(echoStarted{
			V: 1, Type: typeStarted, Call: c.call, Mode: c.mode,
			Scenario: echoScenario{ID: m.Scenario, Title: "Echo baseline",
				Customer: echoPerson{Name: "Echo", Role: "Baseline", Company: "Loopback"}},
			Opening: "Hello, echo speaking.", MaxTurns: echoMaxTurns,
		})
	case "say":
		if c.call == "" {
			c.fail(codeNoCall, `No call is in progress; send {"type":"start","scenario":"..."} first.`)
			return
		}
		c.turn++
		ended := c.turn >= echoMaxTurns
		out := echoReply{V: 1, Type: typeReply, Turn: c.turn, Text: echoLine, Ended: ended, Outcome: "open"}
		if ended {
			out.Reason = "the call ran out of turns"
		}
		c.emit(out)
		if ended {
			c.report("the call ran out of turns")
		}
	case "end":
		if c.call == "" {
			c.fail(codeNoCall, "No call is in progress.")
			return
		}
		c.report("the trainee ended the call")
	default:
		c.fail("unknown_type", fmt.Sprintf("Unknown message type %q; use start, say or end.", m.Type))
	}
}

func (c *echoConn) report(reason string) {
	id := c.call
	c.call = ""
	c.emit(echoReport{
		V: 1, Type: typeReport, Call: id,
		Report:    echoGrade{Outcome: "open", Reason: reason, Turns: c.turn, Profile: "passive", PassMark: 60},
		ReportURL: "/api/calls/" + id + "/report", TranscriptURL: "/api/calls/" + id + "/transcript",
	})
}

func (c *echoConn) fail(code, msg string) {
	c.emit(echoError{V: 1, Type: typeError, Code: code, Message: msg})
}

// emit queues a message; a client whose queue is full is dropped, as the
// product drops it.
func (c *echoConn) emit(v any) {
	data, err := json.Marshal(v)
	if err != nil || c.gone {
		return
	}
	select {
	case c.send <- data:
	default:
		c.gone = true
	}
}

func newEchoCallID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// The echo server's messages, shaped as the product's assessment-mode ones.
type (
	echoReady struct {
		V       int    `json:"v"`
		Type    string `json:"type"`
		MaxText int    `json:"max_text"`
	}
	echoStarted struct {
		V        int          `json:"v"`
		Type     string       `json:"type"`
		Call     string       `json:"call"`
		Mode     string       `json:"mode"`
		Scenario echoScenario `json:"scenario"`
		Opening  string       `json:"opening"`
		MaxTurns int          `json:"max_turns"`
	}
	echoScenario struct {
		ID       string     `json:"id"`
		Title    string     `json:"title"`
		Customer echoPerson `json:"customer"`
		Display  struct {
			Meters    bool `json:"meters"`
			Checklist bool `json:"checklist"`
		} `json:"display"`
	}
	echoPerson struct {
		Name    string `json:"name"`
		Role    string `json:"role"`
		Company string `json:"company"`
	}
	echoReply struct {
		V       int    `json:"v"`
		Type    string `json:"type"`
		Turn    int    `json:"turn"`
		Text    string `json:"text"`
		Ended   bool   `json:"ended"`
		Outcome string `json:"outcome"`
		Reason  string `json:"reason,omitempty"`
	}
	echoReport struct {
		V             int       `json:"v"`
		Type          string    `json:"type"`
		Call          string    `json:"call"`
		Report        echoGrade `json:"report"`
		ReportURL     string    `json:"report_url"`
		TranscriptURL string    `json:"transcript_url"`
	}
	echoGrade struct {
		Outcome       string `json:"outcome"`
		Reason        string `json:"reason"`
		Turns         int    `json:"turns"`
		Profile       string `json:"profile"`
		CustomerFocus int    `json:"customer_focus"`
		SelfFocus     int    `json:"self_focus"`
		Score         int    `json:"score"`
		PassMark      int    `json:"pass_mark"`
		Passed        bool   `json:"passed"`
	}
	echoError struct {
		V       int    `json:"v"`
		Type    string `json:"type"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}
)
