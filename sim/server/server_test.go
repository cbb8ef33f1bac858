package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// testEnv is a server on a loopback listener with the test scenario.
type testEnv struct {
	srv *Server
	ts  *httptest.Server
	sc  *sim.Scenario
}

type envOption func(*Config, *Server)

// withStore runs the server on store.
func withStore(store sim.Store) envOption {
	return func(c *Config, _ *Server) { c.Store = store }
}

// withOrigins allows extra websocket origins.
func withOrigins(o ...string) envOption {
	return func(c *Config, _ *Server) { c.AllowedOrigins = o }
}

// realClock keeps the wall clock, so the rate limit applies as in production.
// Without it every reading of the clock is a second after the last, so the
// rate limit never refuses a test's messages.
func realClock() envOption {
	return func(_ *Config, s *Server) {
		if s != nil {
			s.now = time.Now
		}
	}
}

func loadTestScenario(tb testing.TB) *sim.Scenario {
	tb.Helper()
	scs, err := scenario.LoadFS(os.DirFS("testdata"), "clinic.toml")
	require.NoError(tb, err)
	require.Len(tb, scs, 1)
	return scs[0]
}

func newEnv(tb testing.TB, opts ...envOption) *testEnv {
	tb.Helper()
	sc := loadTestScenario(tb)
	cfg := Config{
		Scenarios: []*sim.Scenario{sc},
		Static: fstest.MapFS{
			"index.html": {Data: []byte("<!doctype html><title>Role-play</title>")},
		},
		Logger: testLogger(tb),
	}
	for _, o := range opts {
		o(&cfg, nil)
	}
	srv := New(cfg)
	srv.now = steppingClock()
	for _, o := range opts {
		o(&cfg, srv)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(tb, srv.Shutdown(ctx))
		ts.Close()
	})
	return &testEnv{srv: srv, ts: ts, sc: sc}
}

func testLogger(tb testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return nil
	}
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// steppingClock is a clock that moves one second every time it is read.
func steppingClock() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Second)
		return t
	}
}

// stop shuts the server down as the program does on SIGTERM.
func (e *testEnv) stop(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	require.NoError(tb, e.srv.Shutdown(ctx))
	e.ts.Close()
}

func (e *testEnv) wsURL() string { return "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/ws" }

// dial opens a websocket and reads the ready message.
func (e *testEnv) dial(tb testing.TB, origin string) *client {
	tb.Helper()
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	ws, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), h)
	require.NoError(tb, err)
	resp.Body.Close()
	c := &client{tb: tb, ws: ws}
	tb.Cleanup(func() { ws.Close() })
	m := c.recv()
	require.Equal(tb, "ready", m.Type)
	require.Equal(tb, ProtocolVersion, m.V)
	return c
}

// client is the test's side of a websocket.
type client struct {
	tb testing.TB
	ws *websocket.Conn
}

// serverMsg holds any server message.
type serverMsg struct {
	V             int               `json:"v"`
	Type          string            `json:"type"`
	Code          string            `json:"code"`
	Message       string            `json:"message"`
	Call          string            `json:"call"`
	Mode          string            `json:"mode"`
	Scenario      json.RawMessage   `json:"scenario"`
	Opening       string            `json:"opening"`
	State         string            `json:"state"`
	Meters        []sim.MeterChange `json:"meters"`
	Checklist     []sim.FactStatus  `json:"checklist"`
	Turn          int               `json:"turn"`
	Text          string            `json:"text"`
	Acts          []sim.Detection   `json:"acts"`
	From          string            `json:"from"`
	To            string            `json:"to"`
	Revealed      []factView        `json:"revealed"`
	Ended         bool              `json:"ended"`
	Outcome       sim.Outcome       `json:"outcome"`
	Report        *sim.Report       `json:"report"`
	ReportURL     string            `json:"report_url"`
	TranscriptURL string            `json:"transcript_url"`
	Token         string            `json:"token"`
	Turns         []pastTurnMsg     `json:"turns"`
	Resumable     bool              `json:"resumable"`
	Raw           map[string]any    `json:"-"`
}

// pastTurnMsg is one turn of a resumed message.
type pastTurnMsg struct {
	Said     string            `json:"said"`
	Turn     int               `json:"turn"`
	Text     string            `json:"text"`
	Acts     []sim.Detection   `json:"acts"`
	To       string            `json:"to"`
	Meters   []sim.MeterChange `json:"meters"`
	Revealed []factView        `json:"revealed"`
	Raw      map[string]any    `json:"-"`
}

func (c *client) sendRaw(s string) {
	c.tb.Helper()
	require.NoError(c.tb, c.ws.WriteMessage(websocket.TextMessage, []byte(s)))
}

func (c *client) send(v any) {
	c.tb.Helper()
	require.NoError(c.tb, c.ws.WriteJSON(v))
}

func (c *client) recv() serverMsg {
	c.tb.Helper()
	require.NoError(c.tb, c.ws.SetReadDeadline(time.Now().Add(10*time.Second)))
	_, data, err := c.ws.ReadMessage()
	require.NoError(c.tb, err)
	var m serverMsg
	require.NoError(c.tb, json.Unmarshal(data, &m), "%s", data)
	require.NoError(c.tb, json.Unmarshal(data, &m.Raw))
	return m
}

// expect reads one message and checks its type.
func (c *client) expect(typ string) serverMsg {
	c.tb.Helper()
	m := c.recv()
	require.Equal(c.tb, typ, m.Type, "message: %v", m.Raw)
	return m
}

func (c *client) start(mode string) serverMsg {
	c.tb.Helper()
	msg := map[string]any{"type": "start", "scenario": "clinic"}
	if mode != "" {
		msg["mode"] = mode
	}
	c.send(msg)
	return c.expect("started")
}

func (c *client) say(text string) serverMsg {
	c.tb.Helper()
	c.send(map[string]any{"type": "say", "text": text})
	return c.expect("reply")
}

// closeCode reads until the server closes the connection and returns the code.
func (c *client) closeCode() int {
	c.tb.Helper()
	require.NoError(c.tb, c.ws.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		_, _, err := c.ws.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		require.ErrorAs(c.tb, err, &ce)
		return ce.Code
	}
}
