package load

import (
	"bufio"
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/scenarios"
	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/script"
	"github.com/roleplay-sim/roleplay/sim/server"
)

// Every run here is bounded twice: by a count of turns or a short
// duration, and by a duration the count should never reach. The asserts
// are on counts, never on how fast anything went.

// echoURL starts an echo server on loopback and returns its websocket URL.
func echoURL(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(NewEchoServer())
	t.Cleanup(ts.Close)
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
}

// echoScripts are two scripts of different lengths, so that calls end
// both by the script hanging up and, for the long one, by the echo
// server's last turn.
var echoScripts = []Script{
	{Scenario: "a", Mode: "assessment", Lines: []string{"hello", "what is hard for you today?", "what does that cost you?", "bye"}},
	{Scenario: "b", Lines: strings.Split(strings.Repeat("and then what happens? ", 30), "? ")[:30]},
}

func run(t *testing.T, cfg Config) *Result {
	t.Helper()
	res, err := Run(context.Background(), cfg)
	require.NoError(t, err)
	if t.Failed() || testing.Verbose() {
		var b strings.Builder
		require.NoError(t, res.WriteText(&b))
		t.Log("\n" + b.String())
	}
	return res
}

func TestClosedLoopCountsAddUp(t *testing.T) {
	res := run(t, Config{
		URL: echoURL(t), Scripts: echoScripts, Sessions: 20, Loop: Closed,
		Turns: 200, Duration: time.Minute,
	})
	assert.EqualValues(t, 200, res.Sent, "turns sent")
	assert.Equal(t, res.Sent, res.Replies, "every turn got its reply")
	assert.EqualValues(t, 200, res.Turns, "all of them in the window: there is no ramp")
	assert.EqualValues(t, 200, res.Reply.Count)
	assert.Empty(t, res.Errors)
	assert.Empty(t, res.Disconnects)
	assert.Empty(t, res.ConnectFailures)
	assert.Zero(t, res.RateLimited+res.Timeouts+res.Unanswered)
	assert.False(t, res.Failed())
	// On a busy machine the first sessions can say the 200 turns before
	// the last have connected (TestOpenLoopSessionsStayConnected holds
	// the count of open connections to the sessions).
	assert.LessOrEqual(t, res.PeakOpen, int64(20))
	assert.Positive(t, res.PeakOpen)
	assert.EqualValues(t, res.Calls, res.Start.Count)
	// Each session has at most one call still open when the count is reached.
	assert.LessOrEqual(t, res.Calls-res.Reports, int64(20))
	assert.Positive(t, res.Hangups, "the short script runs out of lines")
	assert.Positive(t, res.TurnsPerS)
}

func TestOpenLoopSendsItsSchedule(t *testing.T) {
	for _, arrival := range []Arrival{Fixed, Poisson} {
		t.Run(string(arrival), func(t *testing.T) {
			res := run(t, Config{
				URL: echoURL(t), Scripts: echoScripts, Sessions: 20,
				Loop: Open, Rate: 400, Arrival: arrival, Seed: 7,
				Duration: time.Second,
			})
			if arrival == Fixed {
				// Turn j of the run is due at j/400 s: 400 of them in a second.
				assert.EqualValues(t, 400, res.Scheduled)
			} else {
				// A Poisson count of mean 400 (sd 20), fixed by the seed.
				assert.InDelta(t, 400, res.Scheduled, 100)
			}
			assert.Equal(t, res.Scheduled, res.Sent, "every scheduled turn was sent, late or not")
			assert.Equal(t, res.Sent, res.Replies)
			assert.Equal(t, res.Sent, res.Turns)
			assert.NotNil(t, res.Service)
			assert.Empty(t, res.Errors)
			assert.Empty(t, res.Disconnects)
			assert.Empty(t, res.Warnings)
		})
	}
}

// At 0.25 turns/s a session, most sessions have nothing due in the
// second; they stay connected all the same, so the server holds every
// session to the end of the window.
func TestOpenLoopSessionsStayConnected(t *testing.T) {
	res := run(t, Config{
		URL: echoURL(t), Scripts: echoScripts, Sessions: 20,
		Loop: Open, Rate: 5, Arrival: Poisson, Seed: 3,
		Duration: time.Second,
	})
	assert.EqualValues(t, 20, res.Connected)
	assert.EqualValues(t, 20, res.PeakOpen)
	assert.Equal(t, res.Scheduled, res.Replies)
	assert.False(t, res.Failed())
}

func TestIdleSessionsOnlyConnect(t *testing.T) {
	res := run(t, Config{
		URL: echoURL(t), Idle: 5, Loop: Closed,
		Duration: 200 * time.Millisecond, PID: os.Getpid(),
	})
	assert.EqualValues(t, 5, res.Connected)
	assert.Zero(t, res.Sent)
	assert.False(t, res.Failed())
	require.NotNil(t, res.RSS)
	assert.Empty(t, res.RSS.Err)
	assert.Positive(t, res.RSS.StartKB)
	assert.EqualValues(t, 5, res.RSS.Sessions)
}

func TestConfigProblemsAreNamed(t *testing.T) {
	_, err := Run(context.Background(), Config{Loop: Open, Think: time.Second})
	require.Error(t, err)
	for _, want := range []string{"no server URL", "no sessions", "rate above 0", "no think time", "arrival", "duration"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestUnreachableServerIsCounted(t *testing.T) {
	ts := httptest.NewServer(NewEchoServer())
	url := "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws"
	ts.Close() // nothing listens there now
	res := run(t, Config{URL: url, Scripts: echoScripts, Sessions: 2, Loop: Closed, Duration: 300 * time.Millisecond})
	assert.Positive(t, res.ConnectFailures["refused"])
	assert.True(t, res.Failed())
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "only 0 of 2 sessions")
}

// productURL serves the bundled scenarios with the real server, as
// roleplay serve does, on loopback.
func productURL(t *testing.T) (string, []*sim.Scenario) {
	t.Helper()
	all, err := scenario.LoadFS(scenarios.FS(), ".")
	require.NoError(t, err)
	// Built here, once per process, not by the first call: under -race the
	// build outlasts a session's answer timeout.
	rd := classify.Default()
	srv := server.New(server.Config{Scenarios: all, Reader: rd})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, srv.Shutdown(ctx))
		ts.Close()
	})
	return "ws" + strings.TrimPrefix(ts.URL, "http") + "/ws", all
}

func botScripts(all []*sim.Scenario, mode string) []Script {
	var out []Script
	for _, s := range all {
		for _, b := range script.Bots(s) {
			out = append(out, Script{Scenario: s.ID, Mode: mode, Lines: b.Lines})
		}
	}
	return out
}

func TestAgainstTheProduct(t *testing.T) {
	url, all := productURL(t)
	res := run(t, Config{
		URL: url, Scripts: botScripts(all, "assessment"), Sessions: 3, Loop: Closed,
		Think: 200 * time.Millisecond, // at most 5 messages a second: the server's limit
		Turns: 24, Duration: time.Minute,
	})
	assert.EqualValues(t, 24, res.Sent)
	assert.Equal(t, res.Sent, res.Replies)
	assert.Empty(t, res.Errors)
	assert.Zero(t, res.RateLimited)
	assert.False(t, res.Failed())
	assert.GreaterOrEqual(t, res.Calls, int64(3))
}

// A closed loop without think time outruns the server's rate limit: the
// refused turns are counted, sent again, and still answered.
func TestRateLimitedTurnsAreSentAgain(t *testing.T) {
	url, all := productURL(t)
	res := run(t, Config{
		URL: url, Scripts: botScripts(all[:1], "training")[:1], Sessions: 1, Loop: Closed,
		Turns: 16, Duration: time.Minute,
	})
	assert.EqualValues(t, 16, res.Sent)
	assert.Equal(t, res.Sent, res.Replies)
	assert.Positive(t, res.RateLimited, "16 turns and a start in a burst pass the limit of 10")
	assert.Equal(t, res.RateLimited, res.Resent)
	assert.Empty(t, res.Disconnects, "waiting before sending again keeps the connection")
	assert.False(t, res.Failed(), "rate limiting is the server's answer, not a failure")
	assert.Contains(t, strings.Join(res.Warnings, "\n"), "rate_limited")
}

func TestCompare(t *testing.T) {
	url := echoURL(t) // an echo server stands in for the product
	c, err := Compare(context.Background(), Config{
		URL: url, Scripts: echoScripts, Sessions: 4, Loop: Closed, Turns: 40, Duration: time.Minute,
	})
	require.NoError(t, err)
	assert.EqualValues(t, 40, c.Echo.Replies)
	assert.EqualValues(t, 40, c.Target.Replies)
	assert.NotEqual(t, c.Echo.URL, c.Target.URL)
	assert.Positive(t, c.Ratio)
	var b strings.Builder
	require.NoError(t, c.WriteText(&b))
	assert.Contains(t, b.String(), "target/echo")
	assert.Contains(t, b.String(), "ratio (target turns/s ÷ echo turns/s)")
}

func TestSniff(t *testing.T) {
	tests := []struct {
		msg  string
		want frame
	}{
		{`{"v":1,"type":"ready","max_text":4000}`, frame{typ: "ready"}},
		{`{"v":1,"type":"reply","turn":3,"text":"I said \"ended\":true once","ended":false,"outcome":"open"}`, frame{typ: "reply"}},
		{`{"v":1,"type":"reply","turn":3,"text":"bye","ended":true,"outcome":"lost"}`, frame{typ: "reply", ended: true}},
		{`{"v":1,"type":"error","code":"rate_limited","message":"Slow down"}`, frame{typ: "error", code: "rate_limited"}},
		{`{"ended":true, "type" : "reply"}`, frame{typ: "reply", ended: true}}, // spaced: decoded in full
		{`not json`, frame{}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, sniff([]byte(tt.msg)), tt.msg)
	}
}

func FuzzSniff(f *testing.F) {
	f.Add([]byte(`{"v":1,"type":"error","code":"internal","message":"internal error"}`))
	f.Add([]byte(`{"type":"rep\"ly"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = sniff(data)
	})
}

func TestParseVmRSS(t *testing.T) {
	kb, err := parseVmRSS(bufio.NewScanner(strings.NewReader("Name:\troleplay\nVmPeak:\t  9000 kB\nVmRSS:\t  4321 kB\n")))
	require.NoError(t, err)
	assert.EqualValues(t, 4321, kb)
	_, err = parseVmRSS(bufio.NewScanner(strings.NewReader("Name:\tkthreadd\n")))
	assert.ErrorContains(t, err, "no VmRSS")
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4500: "-4,500"} {
		assert.Equal(t, want, thousands(n))
	}
}

// The progress line's last-second p99 shows a spike the run's p99 hides,
// and forgets it a line later.
func TestRecentP99ForgetsTheLastSecond(t *testing.T) {
	st := newStats()
	at := time.Unix(0, 0)
	for range 990 {
		st.turn(at, at, at.Add(time.Millisecond))
	}
	for range 10 {
		st.turn(at, at, at.Add(200*time.Millisecond)) // the spike
	}
	sofar, recent := st.replyP99()
	assert.InDelta(t, time.Millisecond, sofar, float64(10*time.Microsecond), "99% of the run took 1 ms")
	assert.InDelta(t, time.Millisecond, recent, float64(10*time.Microsecond))

	for range 50 {
		st.turn(at, at, at.Add(200*time.Millisecond))
	}
	sofar, recent = st.replyP99()
	assert.InDelta(t, 200*time.Millisecond, recent, float64(time.Millisecond), "the last second was all spike")
	assert.InDelta(t, 200*time.Millisecond, sofar, float64(time.Millisecond), "6% of the run was slow")

	st.turn(at, at, at.Add(2*time.Millisecond))
	_, recent = st.replyP99()
	assert.InDelta(t, 2*time.Millisecond, recent, float64(10*time.Microsecond), "the spike is forgotten")
}

func TestParseStatCPU(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       time.Duration
		err        string
	}{
		{"a plain command", "4242 (roleplay) S 1 4242 4242 0 -1 4194560 9000 0 0 0 150 25 0 0 20 0 9 0 123 0 0", 1750 * time.Millisecond, ""},
		{"a command with spaces and parentheses", "77 (a (b) c) R 1 77 77 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 0 0", 70 * time.Millisecond, ""},
		{"no command", "garbage", 0, "no command"},
		{"cut short", "1 (x) S 1 2 3", 0, "fields after the command"},
		{"not a number", "1 (x) S 1 1 1 0 -1 0 0 0 0 0 ten 4 0", 0, "utime or stime"},
	} {
		got, err := parseStatCPU(tc.line)
		if tc.err != "" {
			assert.ErrorContains(t, err, tc.err, tc.name)
			continue
		}
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
}

// With --pid the result gives the server's CPU over the window, a turn;
// the load test's own process stands in for the server.
func TestServerCPUIsMeasured(t *testing.T) {
	res := run(t, Config{
		URL: echoURL(t), Scripts: echoScripts, Sessions: 20, Loop: Closed,
		Turns: 5000, Duration: time.Minute, PID: os.Getpid(),
	})
	require.NotNil(t, res.CPU)
	assert.Empty(t, res.CPU.Err)
	assert.Greater(t, res.CPU.WindowS, 0.0, "this process served and sent every turn")
	assert.InDelta(t, res.CPU.WindowS*1e6/float64(res.Turns), res.CPU.PerTurnUS, 0.01)
	var out strings.Builder
	require.NoError(t, res.WriteText(&out))
	assert.Contains(t, out.String(), "server CPU")
}
