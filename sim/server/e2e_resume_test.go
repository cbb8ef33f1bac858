package server_test

// End-to-end tests of a call that outlives its connection: the server
// restarts mid-call, or the trainee reloads the page, and the page takes
// the call up again by itself, with the chat as it was.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/server"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
	"github.com/roleplay-sim/roleplay/static"
)

func TestE2ECallSurvivesAServerRestart(t *testing.T) {
	live := startLive(t)
	b := live.browser()
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()
	b.say(goodCall[0])
	b.say(goodCall[1])
	before := b.chat()
	callID := b.savedCall()
	require.NotEmpty(t, callID)

	live.stop() // SIGTERM: the page is told the call can be resumed
	b.waitJS(`!document.querySelector('.banner').hidden && document.querySelector('.composer textarea').disabled`)
	assert.Contains(t, b.text(`.banner`), "restarting")
	b.screenshot("call-restarting")

	live.start() // the same address, the same file
	b.waitJS(`document.querySelector('.banner').hidden && !document.querySelector('.composer textarea').disabled`)
	assert.Equal(t, before, b.chat(), "the chat is as it was: every line once")
	assert.Equal(t, callID, b.savedCall(), "the same call")

	b.say(goodCall[2])
	assert.Equal(t, len(before)+2, len(b.chat()), "the call goes on")
	stored := live.call(callID)
	require.Len(t, stored.Turns, 3)
	assert.Equal(t, goodCall[2], stored.Turns[2].Said)
}

func TestE2EReloadResumesTheCall(t *testing.T) {
	live := startLive(t)
	b := live.browser()
	b.run(chromedp.Navigate(b.url + "/#/call/" + e2eScenario))
	b.waitOpening()
	b.say(goodCall[0])
	b.say(goodCall[1])
	before := b.chat()
	callID := b.savedCall()

	b.leave.Store(true)
	b.run(chromedp.Reload())
	b.waitOpening()
	b.waitJS(`document.querySelectorAll('.chat-log .msg').length >= ` + itoa(len(before)))
	assert.Equal(t, int32(1), b.asked.Load(), "leaving a call in progress asks first")
	assert.Equal(t, before, b.chat(), "the chat is as it was")
	assert.Equal(t, callID, b.savedCall(), "the same call")
	assert.Equal(t, 2, b.count(`.chat-log .msg.trainee .acts`), "training mode shows the acts of the turns before the reload")

	b.say(goodCall[2])
	assert.Len(t, live.call(callID).Turns, 3)

	// Once the call has ended, leaving asks nothing, and a reload of the
	// report reads it with the call's token.
	b.run(chromedp.Click(css(`.call-head .btn.danger`)))
	b.waitReport()
	b.leave.Store(false)
	b.run(chromedp.Reload())
	b.waitReport()
	assert.Equal(t, 3, b.count(`.transcript .turn[id^="turn-"]`))
}

// ---------------------------------------------------------------- harness

// liveServer is the server as the program runs it, on a fixed address and
// an SQLite file, so that it can stop and start again where the page
// expects it.
type liveServer struct {
	t    *testing.T
	exe  string
	scs  []*sim.Scenario
	addr string
	path string

	srv *server.Server
	hs  *http.Server
	db  *sqlite.DB
}

func startLive(t *testing.T) *liveServer {
	t.Helper()
	exe := findChrome()
	if exe == "" {
		t.Skip("no Chromium or Chrome found: install chromium or set CHROME_PATH to run the browser tests")
	}
	scs, err := scenario.LoadFS(os.DirFS("testdata/e2e"), ".")
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	l := &liveServer{t: t, exe: exe, scs: scs, addr: addr, path: filepath.Join(t.TempDir(), "roleplay.db")}
	l.start()
	t.Cleanup(l.stop)
	return l
}

func (l *liveServer) start() {
	l.t.Helper()
	db, err := sqlite.Open(l.path)
	require.NoError(l.t, err)
	var ln net.Listener
	for range 50 { // the address was ours a moment ago
		if ln, err = net.Listen("tcp", l.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	require.NoError(l.t, err)
	l.db = db
	l.srv = server.New(server.Config{Scenarios: l.scs, Static: static.FS(), Store: db})
	l.hs = &http.Server{Handler: l.srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := l.hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			l.t.Errorf("serve: %v", err)
		}
	}()
}

// stop shuts the server down as SIGTERM does.
func (l *liveServer) stop() {
	if l.hs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	assert.NoError(l.t, l.srv.Shutdown(ctx))
	assert.NoError(l.t, l.hs.Shutdown(ctx))
	assert.NoError(l.t, l.db.Close())
	l.hs = nil
}

// call reads a call from the store.
func (l *liveServer) call(id string) *sim.Call {
	l.t.Helper()
	c, err := l.db.Call(context.Background(), id)
	require.NoError(l.t, err)
	return c
}

// browser opens a browser on the server, replies coming without the
// typing pause.
func (l *liveServer) browser() *browser {
	b := openBrowser(l.t, l.exe, "http://"+l.addr)
	_, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	})
	require.NoError(l.t, err)
	return b
}

// chat is every line of the chat, in order.
func (b *browser) chat() []string {
	b.t.Helper()
	return eval[[]string](b, `Array.from(document.querySelectorAll('.chat-log .msg .bubble'), (e) => e.textContent)`)
}

// savedCall is the id of the call the page keeps for the e2e customer.
func (b *browser) savedCall() string {
	b.t.Helper()
	return eval[string](b, `(JSON.parse(sessionStorage.getItem('roleplay.call.`+e2eScenario+`') || '{}').call) || ''`)
}

func itoa(n int) string { return fmt.Sprint(n) }
