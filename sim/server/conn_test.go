package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"
)

func TestCrossOriginUpgradeIsRefused(t *testing.T) {
	e := newEnv(t, withOrigins("https://trainer.example.com/"))

	h := http.Header{"Origin": {"https://evil.example.com"}}
	_, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), h)
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	resp.Body.Close()

	e.dial(t, "https://trainer.example.com").start("") // listed
	e.dial(t, "https://TRAINER.example.com").start("") // origins ignore case
	e.dial(t, e.ts.URL).start("")                      // same origin
	e.dial(t, "").start("")                            // not a browser
}

func TestOversizedMessageClosesOnlyItsConnection(t *testing.T) {
	e := newEnv(t)
	a, b := e.dial(t, ""), e.dial(t, "")
	a.start("")
	b.start("")
	b.say(goodCall[0])

	a.sendRaw(`{"type":"say","text":"` + strings.Repeat("x", maxMessageSize) + `"}`)
	assert.Equal(t, websocket.CloseMessageTooBig, a.closeCode())

	r := b.say(goodCall[1])
	assert.Equal(t, 2, r.Turn, "the other call goes on")
}

func TestFloodingIsRateLimitedThenClosed(t *testing.T) {
	e := newEnv(t, realClock())
	c := e.dial(t, "")
	other := e.dial(t, "")
	c.start("")
	other.start("")

	// Sent faster than any refill: the burst is taken, the rest refused.
	for range rateBurst + floodStrikes + 5 {
		if err := c.ws.WriteMessage(websocket.TextMessage, []byte(`{"type":"say","text":"Hello?"}`)); err != nil {
			break // the server has closed the connection
		}
	}
	var codes []string
	var closeCode int
	require.NoError(t, c.ws.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		_, data, err := c.ws.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce)
			closeCode = ce.Code
			break
		}
		if strings.Contains(string(data), `"type":"error"`) {
			codes = append(codes, string(data))
		}
	}
	require.NotEmpty(t, codes)
	assert.Contains(t, codes[0], `"code":"rate_limited"`)
	assert.Len(t, codes, 1, "one rate_limited error for a run of refused messages")
	assert.Equal(t, websocket.ClosePolicyViolation, closeCode)

	assert.Equal(t, 1, other.say(goodCall[0]).Turn, "the other session is unaffected")
}

func TestBucket(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b := newBucket(5, 10, t0)
	for i := range 10 {
		assert.True(t, b.allow(t0), "burst message %d", i)
	}
	assert.False(t, b.allow(t0), "burst spent")
	assert.False(t, b.allow(t0.Add(100*time.Millisecond)), "half a token")
	assert.True(t, b.allow(t0.Add(200*time.Millisecond)), "one token after 1/5 s")
	assert.False(t, b.allow(t0.Add(200*time.Millisecond)))
	assert.False(t, b.allow(t0.Add(100*time.Millisecond)), "time going back gives nothing")
	later := t0.Add(time.Hour)
	for i := range 10 {
		assert.True(t, b.allow(later), "refilled to the burst, message %d", i)
	}
	assert.False(t, b.allow(later), "never more than the burst")
}

func TestShutdownSendsClosing(t *testing.T) {
	e := newEnv(t)
	c := e.dial(t, "")
	idle := e.dial(t, "")
	st := c.start("")
	c.say(goodCall[0])

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- e.srv.Shutdown(ctx)
	}()
	m := c.expect("closing")
	assert.Equal(t, st.Call, m.Call, "names the saved call")
	assert.True(t, m.Resumable, "a call in progress can be resumed")
	assert.NotEmpty(t, m.Message)
	assert.Equal(t, websocket.CloseGoingAway, c.closeCode())

	m = idle.expect("closing")
	assert.Empty(t, m.Call)
	assert.False(t, m.Resumable, "only a client with a call in progress is told it can resume")
	assert.Contains(t, m.Raw, "resumable")
	assert.Equal(t, websocket.CloseGoingAway, idle.closeCode())
	require.NoError(t, <-done)

	// New connections are refused.
	_, resp, err := websocket.DefaultDialer.Dial(e.wsURL(), nil)
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	resp.Body.Close()

	// The interrupted call is saved: its transcript can resume it.
	saved, err := e.srv.store.Call(context.Background(), st.Call)
	require.NoError(t, err)
	require.Len(t, saved.Turns, 1)
	assert.False(t, saved.Turns[0].At.IsZero())
	assert.True(t, saved.InProgress(), "an interrupted call is not ended, so it can be resumed")
	assert.Nil(t, saved.Report)
}

// slowStore holds every turn until it is let go.
type slowStore struct {
	*inmem.Store
	appending chan struct{} // a turn is being stored
	letGo     chan struct{}
}

func (s *slowStore) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	s.appending <- struct{}{}
	<-s.letGo
	return s.Store.AppendTurn(ctx, id, t)
}

// A turn being answered when the server shuts down is answered, stored
// and acknowledged before the client is told to resume.
func TestShutdownFinishesTheTurnInFlight(t *testing.T) {
	store := &slowStore{Store: inmem.New(), appending: make(chan struct{}), letGo: make(chan struct{})}
	e := newEnv(t, withStore(store))
	c := e.dial(t, "")
	st := c.start("")
	c.send(map[string]any{"type": "say", "text": goodCall[0]})
	<-store.appending

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- e.srv.Shutdown(ctx)
	}()
	close(store.letGo)
	assert.Equal(t, 1, c.expect("reply").Turn)
	m := c.expect("closing")
	assert.True(t, m.Resumable)
	assert.Equal(t, st.Call, m.Call)
	require.NoError(t, <-done)
	saved, err := store.Call(context.Background(), st.Call)
	require.NoError(t, err)
	assert.Len(t, saved.Turns, 1)
}

// A client that stops reading is dropped once its queue is full; the
// session never blocks on it.
func TestSlowClientIsDropped(t *testing.T) {
	srv := New(Config{Scenarios: nil})
	in := make(chan inbound)
	send := make(chan outbound, 1) // room for the ready message only
	kick := make(chan struct{})
	ses := newSession(srv, in, send, kick, srv.log)
	done := make(chan struct{})
	go func() {
		ses.run()
		close(done)
	}()
	in <- inbound{kind: websocket.TextMessage, data: []byte(`{"type":"nonsense"}`), at: time.Now()}
	select {
	case <-kick:
	case <-time.After(5 * time.Second):
		t.Fatal("the slow client was not dropped")
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the session did not end")
	}
}

// The /ws handler returns once the connection is upgraded, and the
// session goes on without it: net/http keeps a request's buffers (8 KB)
// for as long as its handler runs, and a session can be open for hours.
func TestUpgradedHandlerReturns(t *testing.T) {
	srv := New(Config{Scenarios: []*sim.Scenario{loadTestScenario(t)}, Logger: testLogger(t)})
	returned := make(chan struct{}, 1)
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.URL.Path == "/ws" {
			returned <- struct{}{}
		}
	}))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, srv.Shutdown(ctx))
		ts.Close()
	})
	c := (&testEnv{srv: srv, ts: ts}).dial(t, "")
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("the /ws handler still runs while its connection is open")
	}
	c.start("")
	assert.Equal(t, 1, c.say(goodCall[0]).Turn, "the session answers after its handler returned")
}
