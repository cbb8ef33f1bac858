package main

// The harness of the tests that run the real program: the binary built
// with go build, started as 'roleplay serve', killed with SIGKILL or
// stopped with SIGTERM; a websocket client that plays golden scripts on it;
// and what those calls must grade to, played in this process without any
// interruption.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/script"
)

// buildOnce builds the program once per test run.
var buildOnce struct {
	sync.Once
	dir string
	bin string
	err error
}

// roleplayBinary is the real program, built with go build.
func roleplayBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildOnce.dir, buildOnce.err = os.MkdirTemp("", "roleplay-bin-")
		if buildOnce.err != nil {
			return
		}
		buildOnce.bin = filepath.Join(buildOnce.dir, "roleplay")
		out, err := exec.Command("go", "build", "-o", buildOnce.bin, ".").CombinedOutput()
		if err != nil {
			buildOnce.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildOnce.err)
	return buildOnce.bin
}

// TestMain points the default data directory at a folder of its own, so
// a test that does not name a --db never opens (or migrates) the database
// of whoever runs the tests.
func TestMain(m *testing.M) {
	data, err := os.MkdirTemp("", "roleplay-test-data-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Setenv("XDG_DATA_HOME", data)
	code := m.Run()
	if buildOnce.dir != "" {
		os.RemoveAll(buildOnce.dir)
	}
	os.RemoveAll(data)
	os.Exit(code)
}

// freeAddr is a loopback address nothing listens on, for a server that
// must come back where its clients expect it.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().String()
}

// A serveProc is one 'roleplay serve' process.
type serveProc struct {
	t    testing.TB
	addr string
	cmd  *exec.Cmd
	log  string // its stderr, in a file
	done chan struct{}
}

// startServe starts 'roleplay serve' on addr with --db db and waits until
// it answers.
func startServe(t testing.TB, bin, addr, db string) *serveProc {
	t.Helper()
	logf, err := os.CreateTemp(t.TempDir(), "serve-*.log")
	require.NoError(t, err)
	defer logf.Close()
	p := &serveProc{t: t, addr: addr, log: logf.Name(), done: make(chan struct{})}
	p.cmd = exec.Command(bin, "serve", "--addr", addr, "--db", db)
	p.cmd.Stdout, p.cmd.Stderr = logf, logf
	require.NoError(t, p.cmd.Start())
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(p.kill)
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(p.url() + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Fatalf("roleplay serve exited at start:\n%s", p.output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("roleplay serve did not answer on %s:\n%s", addr, p.output())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (p *serveProc) url() string { return "http://" + p.addr }

// kill is kill -9.
func (p *serveProc) kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// terminate is SIGTERM, and waits for the clean exit.
func (p *serveProc) terminate() {
	p.t.Helper()
	require.NoError(p.t, p.cmd.Process.Signal(syscall.SIGTERM))
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.t.Fatalf("roleplay serve did not stop on SIGTERM:\n%s", p.output())
	}
	require.True(p.t, p.cmd.ProcessState.Success(), "exit on SIGTERM: %v\n%s", p.cmd.ProcessState, p.output())
}

func (p *serveProc) output() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// rssKB is the process's resident memory, in KiB.
func (p *serveProc) rssKB() int {
	p.t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	require.NoError(p.t, err)
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb int
			_, err := fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb)
			require.NoError(p.t, err)
			return kb
		}
	}
	p.t.Fatal("no VmRSS")
	return 0
}

// ---------------------------------------------------------------- calls

// A golden is one golden script of a bundled scenario, and the report the
// call grades to when played from start to end without interruption.
type golden struct {
	name     string
	scenario string
	lines    []string
	report   []byte // JSON, as the report message carries it
}

// goldens are the bundled scenarios' golden scripts (scenarios/testdata),
// each graded in this process, uninterrupted, by the built-in classifier.
func goldens(t testing.TB) []golden {
	t.Helper()
	all, err := loadPaths(nil)
	require.NoError(t, err)
	var out []golden
	for _, sc := range all {
		files, err := filepath.Glob(filepath.Join("..", "..", "scenarios", "testdata", sc.ID, "*.txt"))
		require.NoError(t, err)
		sort.Strings(files)
		for _, f := range files {
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			s, err := script.Parse(f, string(src))
			require.NoError(t, err)
			conv := sim.NewConversation(sc, classify.Default())
			var lines []string
			for _, line := range s.Lines {
				if conv.Ended() {
					break
				}
				_, err := conv.Say(line)
				require.NoError(t, err, f)
				lines = append(lines, line)
			}
			if !conv.Ended() {
				conv.Hangup() // the client sends end after its last line
			}
			rep, err := json.Marshal(grade.Grade(conv))
			require.NoError(t, err)
			out = append(out, golden{name: sc.ID + "/" + filepath.Base(f), scenario: sc.ID, lines: lines, report: rep})
		}
	}
	require.NotEmpty(t, out)
	return out
}

// wsMsg is any server message the clients read.
type wsMsg struct {
	Type      string          `json:"type"`
	Code      string          `json:"code"`
	Message   string          `json:"message"`
	Call      string          `json:"call"`
	Token     string          `json:"token"`
	Turn      int             `json:"turn"`
	Ended     bool            `json:"ended"`
	Resumable bool            `json:"resumable"`
	Report    json.RawMessage `json:"report"`
	ReportURL string          `json:"report_url"`
	Turns     []struct {
		Said string `json:"said"`
		Turn int    `json:"turn"`
		Text string `json:"text"`
	} `json:"turns"`
}

// wsConn is the client's side of one websocket.
type wsConn struct{ ws *websocket.Conn }

// clientTimeout bounds every read, so a test can never hang on a server.
const clientTimeout = 20 * time.Second

// errGone is a connection the server closed or lost: reconnect.
var errGone = errors.New("connection gone")

// dialWS connects to the server at addr and reads ready; errGone while
// nothing answers.
func dialWS(addr string) (*wsConn, error) {
	d := websocket.Dialer{HandshakeTimeout: 2 * time.Second}
	ws, resp, err := d.Dial("ws://"+addr+"/ws", nil)
	if err != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, errGone
	}
	resp.Body.Close()
	c := &wsConn{ws: ws}
	m, err := c.read()
	if err != nil {
		ws.Close()
		return nil, err
	}
	if m.Type != "ready" {
		ws.Close()
		return nil, fmt.Errorf("first message %q, not ready", m.Type)
	}
	return c, nil
}

func (c *wsConn) send(v any) error {
	_ = c.ws.SetWriteDeadline(time.Now().Add(clientTimeout))
	if err := c.ws.WriteJSON(v); err != nil {
		return errGone
	}
	return nil
}

// read returns the next message other than closing; errGone when the
// connection ends.
func (c *wsConn) read() (wsMsg, error) {
	for {
		m, err := c.readAny()
		if err != nil || m.Type != "closing" {
			return m, err
		}
	}
}

// readAny returns the next message.
func (c *wsConn) readAny() (wsMsg, error) {
	_ = c.ws.SetReadDeadline(time.Now().Add(clientTimeout))
	_, data, err := c.ws.ReadMessage()
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return wsMsg{}, fmt.Errorf("no answer in %s", clientTimeout)
		}
		return wsMsg{}, errGone
	}
	var m wsMsg
	if err := json.Unmarshal(data, &m); err != nil {
		return wsMsg{}, fmt.Errorf("bad message %s: %w", data, err)
	}
	return m, nil
}

func (c *wsConn) close() { c.ws.Close() }

// A player plays one golden call to its end through any number of lost
// connections and restarts: it starts the call, resumes it on every new
// connection, checks each time that every turn it was answered is there,
// and goes on from the last stored turn.
type player struct {
	addr  string
	g     golden
	pause func() // between turns; nil for none
	// perConn, when set, is how many turns to play on one connection
	// before dropping it and resuming the call on a new one.
	perConn int

	id, token string
	acked     int    // turns the client got a reply for
	said      int    // lines the store has (as far as the client knows)
	resumes   int    // connections the call was resumed on
	verified  int    // acknowledged turns found again on resume
	unacked   int    // turns found stored on resume whose reply never came (the kill cut it off)
	report    []byte // the final report, JSON
}

// play plays the call; it returns an error for anything but lost connections.
func (p *player) play(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: call %s not finished: %w", p.g.name, p.id, err)
		}
		c, err := dialWS(p.addr)
		if errors.Is(err, errGone) {
			time.Sleep(10 * time.Millisecond) // the server is restarting
			continue
		}
		if err != nil {
			return err
		}
		err = p.session(c)
		c.close()
		switch {
		case err == nil:
			return nil
		case !errors.Is(err, errGone):
			return fmt.Errorf("%s: call %s: %w", p.g.name, p.id, err)
		}
	}
}

// session plays on one connection until the call ends (nil) or the
// connection goes (errGone).
func (p *player) session(c *wsConn) error {
	var err error
	if p.id == "" {
		err = p.start(c)
	} else {
		err = p.resume(c)
	}
	if err != nil || p.report != nil {
		return err
	}
	for n := 0; p.said < len(p.g.lines) && p.report == nil; n++ {
		if p.perConn > 0 && n == p.perConn {
			return errGone
		}
		if p.pause != nil {
			p.pause()
		}
		if err := p.turn(c); err != nil {
			return err
		}
	}
	if p.report != nil {
		return nil
	}
	if err := c.send(map[string]any{"type": "end"}); err != nil {
		return err
	}
	return p.awaitReport(c)
}

// start starts the call.
func (p *player) start(c *wsConn) error {
	if err := c.send(map[string]any{"type": "start", "scenario": p.g.scenario}); err != nil {
		return err
	}
	m, err := c.read()
	if err != nil {
		return err
	}
	if m.Type != "started" || m.Call == "" || m.Token == "" {
		return fmt.Errorf("start: got %+v", m)
	}
	p.id, p.token = m.Call, m.Token
	return nil
}

// resume takes the call up on c and checks that every acknowledged turn
// is there; for a call that has ended meanwhile, it reads the report.
func (p *player) resume(c *wsConn) error {
	if err := c.send(map[string]any{"type": "resume", "call": p.id, "token": p.token}); err != nil {
		return err
	}
	m, err := c.read()
	if err != nil {
		return err
	}
	switch {
	case m.Type == "error" && m.Code == "call_ended":
		return p.fetchReport()
	case m.Type != "resumed":
		return fmt.Errorf("resume: got %+v", m)
	}
	if len(m.Turns) < p.acked {
		return fmt.Errorf("LOST TURNS: %d turns acknowledged, %d resumed", p.acked, len(m.Turns))
	}
	for i, turn := range m.Turns {
		if turn.Turn != i+1 || i >= len(p.g.lines) || turn.Said != p.g.lines[i] {
			return fmt.Errorf("resumed turn %d is %d %q, not the script's", i+1, turn.Turn, turn.Said)
		}
	}
	p.resumes++
	p.verified += p.acked
	p.unacked += len(m.Turns) - p.said
	p.said = len(m.Turns)
	return nil
}

// turn says the next line; when the reply ends the call, it reads the report.
func (p *player) turn(c *wsConn) error {
	if err := c.send(map[string]any{"type": "say", "text": p.g.lines[p.said]}); err != nil {
		return err
	}
	m, err := c.read()
	if err != nil {
		return err
	}
	if m.Type != "reply" || m.Turn != p.said+1 {
		return fmt.Errorf("turn %d: got %+v", p.said+1, m)
	}
	p.said++
	p.acked = m.Turn
	if m.Ended {
		return p.awaitReport(c)
	}
	return nil
}

func (p *player) awaitReport(c *wsConn) error {
	m, err := c.read()
	if err != nil {
		return err
	}
	if m.Type != "report" || len(m.Report) == 0 || m.ReportURL == "" {
		return fmt.Errorf("report: got %+v", m)
	}
	p.report = m.Report
	return nil
}

// fetchReport reads the report of the ended call over HTTP, with its token.
func (p *player) fetchReport() error {
	req, err := http.NewRequest(http.MethodGet, "http://"+p.addr+"/api/calls/"+p.id+"/report", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+p.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return errGone
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET report: %s", resp.Status)
	}
	var raw json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
		return errGone
	}
	// The API indents its JSON; the report message does not.
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		return err
	}
	p.report = compact.Bytes()
	return nil
}
