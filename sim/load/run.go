package load

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// Client-side limits and pauses.
const (
	// clientBuffer is the read and write buffer of one client connection,
	// as small as the server's, so 10,000 clients fit in this process.
	clientBuffer = 1024

	// rateRetry is how long a session waits to send a message again after
	// the server refused it with rate_limited. The server's bucket gains a
	// token every 200 ms (5 a second); a little more makes sure it has.
	rateRetry = 250 * time.Millisecond

	// minBackoff and maxBackoff bound the wait before dialling again after
	// a failed dial (doubling each time) or a lost connection.
	minBackoff = 100 * time.Millisecond
	maxBackoff = 2 * time.Second

	// closeWait is how long closing a connection may take to send its
	// close frame.
	closeWait = time.Second

	// fdSlack is the file descriptors this process needs besides its
	// connections: standard streams, the runtime's poller, a listener.
	fdSlack = 64
)

// A runner is one run: its configuration, clock marks and counters.
type runner struct {
	cfg     Config
	dialer  websocket.Dialer
	scripts []encodedScript
	st      *stats

	// ctx ends at hardStop, when the caller cancels, or when the active
	// sessions are done; every wait and every connection honours it.
	ctx    context.Context
	cancel context.CancelFunc

	start    time.Time // the run began
	rampEnd  time.Time // the window opens
	deadline time.Time // the window closes: no turn due after it is sent
	hardStop time.Time // answers still out are given up

	reserved atomic.Int64 // turns taken towards cfg.Turns
}

// encodedScript is a script's messages, encoded once for every session.
type encodedScript struct {
	start []byte
	lines [][]byte
}

var endMessage = []byte(`{"type":"end"}`)

func encodeScripts(scripts []Script) ([]encodedScript, error) {
	out := make([]encodedScript, len(scripts))
	for i, s := range scripts {
		start := map[string]string{"type": "start", "scenario": s.Scenario}
		if s.Mode != "" {
			start["mode"] = s.Mode
		}
		var err error
		if out[i].start, err = json.Marshal(start); err != nil {
			return nil, fmt.Errorf("script %d: %w", i, err)
		}
		for _, line := range s.Lines {
			say, err := json.Marshal(map[string]string{"type": "say", "text": line})
			if err != nil {
				return nil, fmt.Errorf("script %d: %w", i, err)
			}
			out[i].lines = append(out[i].lines, say)
		}
	}
	return out, nil
}

// Run drives the server at cfg.URL as cfg says and returns what it
// measured. It returns an error only for a configuration it cannot run;
// what went wrong during the run is in the Result.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.fdsPerSession == 0 {
		cfg.fdsPerSession = 1
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	scripts, err := encodeScripts(cfg.Scripts)
	if err != nil {
		return nil, err
	}
	limit, _ := RaiseFileLimit()

	r := &runner{
		cfg:     cfg,
		scripts: scripts,
		st:      newStats(),
		dialer: websocket.Dialer{
			HandshakeTimeout: cfg.Timeout,
			ReadBufferSize:   clientBuffer,
			WriteBufferSize:  clientBuffer,
			WriteBufferPool:  &sync.Pool{},
		},
	}
	r.start = time.Now()
	r.rampEnd = r.start.Add(cfg.Ramp)
	r.deadline = r.rampEnd.Add(cfg.Duration)
	r.hardStop = r.deadline.Add(cfg.Timeout)
	r.ctx, r.cancel = context.WithDeadline(ctx, r.hardStop)
	defer r.cancel()

	var rss *RSS
	var cpuAtStart chan cpuReading // the server's CPU time when the window opens
	if cfg.PID > 0 {
		rss = &RSS{PID: cfg.PID}
		rss.StartKB, rss.Err = readRSS(cfg.PID)
		cpuAtStart = make(chan cpuReading, 1)
		go func() {
			r.sleepUntil(r.rampEnd)
			d, err := readCPU(cfg.PID)
			cpuAtStart <- cpuReading{d, err}
		}()
	}
	progressDone := make(chan struct{})
	var progressWG sync.WaitGroup
	if cfg.Progress != nil {
		progressWG.Go(func() { r.progress(progressDone) })
	}

	var active, idle sync.WaitGroup
	for i := range cfg.Sessions {
		active.Go(func() { r.active(i) })
	}
	for i := range cfg.Idle {
		idle.Go(func() { r.idle(i) })
	}
	activeDone := make(chan struct{})
	go func() {
		active.Wait()
		close(activeDone)
	}()

	var sessionsDone <-chan struct{} // idle sessions alone wait for the window to close
	if cfg.Sessions > 0 {
		sessionsDone = activeDone
	}
	connected := r.awaitConnections(sessionsDone)
	if rss != nil && rss.Err == "" {
		rss.ConnectedKB, rss.Err = readRSS(cfg.PID)
		rss.Sessions = connected
	}
	windowEnd := r.deadline
	select {
	case <-activeDone:
		if now := time.Now(); cfg.Sessions > 0 && now.Before(windowEnd) {
			windowEnd = now
		} else if cfg.Sessions == 0 {
			r.sleepUntil(r.deadline)
		}
	case <-time.After(time.Until(r.deadline)):
	case <-r.ctx.Done():
	}
	if rss != nil && rss.Err == "" {
		rss.EndKB, rss.Err = readRSS(cfg.PID)
	}
	var cpuAtEnd cpuReading
	if cpuAtStart != nil {
		cpuAtEnd.d, cpuAtEnd.err = readCPU(cfg.PID)
	}
	<-activeDone
	r.cancel() // the idle sessions stop with the active ones
	idle.Wait()
	close(progressDone)
	progressWG.Wait()

	res := r.result(windowEnd, connected, limit)
	if rss != nil {
		rss.finish()
		res.RSS = rss
	}
	if cpuAtStart != nil {
		res.CPU = cpuOver(cfg.PID, <-cpuAtStart, cpuAtEnd, res.Turns)
	}
	return res, nil
}

// A cpuReading is a process's CPU time, or why it could not be read.
type cpuReading struct {
	d   time.Duration
	err string
}

// cpuOver is the CPU a process spent between two readings, a turn.
func cpuOver(pid int, start, end cpuReading, turns int64) *CPU {
	c := &CPU{PID: pid, Err: start.err}
	if c.Err == "" {
		c.Err = end.err
	}
	if c.Err != "" {
		return c
	}
	c.WindowS = (end.d - start.d).Seconds()
	if turns > 0 {
		c.PerTurnUS = float64((end.d - start.d).Microseconds()) / float64(turns)
	}
	return c
}

// awaitConnections waits until every session is connected, halfway
// through the window at the latest, or until the active sessions are
// done, and returns how many are open.
func (r *runner) awaitConnections(activeDone <-chan struct{}) int64 {
	want := int64(r.cfg.Sessions + r.cfg.Idle)
	latest := r.rampEnd.Add(r.cfg.Duration / 2)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for r.st.open.Load() < want && time.Now().Before(latest) {
		select {
		case <-tick.C:
		case <-activeDone:
			return r.st.open.Load()
		case <-r.ctx.Done():
			return r.st.open.Load()
		}
	}
	return r.st.open.Load()
}

// dialAt is when session i of n dials: the ramp spreads them evenly.
func (r *runner) dialAt(i, n int) time.Time {
	return r.start.Add(time.Duration(int64(r.cfg.Ramp) * int64(i) / int64(n)))
}

func (r *runner) stopped() bool { return r.ctx.Err() != nil }

// sleepUntil waits until t, and reports false if the run stopped first.
func (r *runner) sleepUntil(t time.Time) bool {
	d := time.Until(t)
	if d <= 0 {
		return !r.stopped()
	}
	return r.sleep(d)
}

func (r *runner) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.ctx.Done():
		return false
	}
}

// progress writes a line a second: turns a second and the 99th percentile
// of reply latency in the last second, that percentile so far, open
// connections and problems.
func (r *runner) progress(done <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	var last int64
	name := "load"
	if r.cfg.label != "" {
		name += " " + r.cfg.label
	}
	for {
		select {
		case <-done:
			return
		case now := <-t.C:
			n := r.st.replies.Load()
			sofar, recent := r.st.replyP99()
			fmt.Fprintf(r.cfg.Progress, "%s: %3.0fs  %7d turns/s  p99 %s (%s so far)  %d open  %d errors  %d rate_limited\n",
				name, now.Sub(r.start).Seconds(), n-last, formatMS(recent), formatMS(sofar), r.st.open.Load(), r.st.problems.Load(), r.st.rateLimited.Load())
			last = n
		}
	}
}

func formatMS(d time.Duration) string {
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func (r *runner) result(windowEnd time.Time, connected int64, limit uint64) *Result {
	cfg, st := &r.cfg, r.st
	res := &Result{
		URL:             cfg.URL,
		Loop:            cfg.Loop,
		ThinkMS:         float64(cfg.Think) / float64(time.Millisecond),
		Sessions:        cfg.Sessions,
		Idle:            cfg.Idle,
		RampS:           cfg.Ramp.Seconds(),
		WindowS:         max(windowEnd.Sub(r.rampEnd), 0).Seconds(),
		Turns:           st.turns.Load(),
		Sent:            st.sent.Load(),
		Replies:         st.replies.Load(),
		Resent:          st.resent.Load(),
		Calls:           st.calls.Load(),
		Reports:         st.reports.Load(),
		Hangups:         st.hangups.Load(),
		RateLimited:     st.rateLimited.Load(),
		Timeouts:        st.timeouts.Load(),
		Unanswered:      st.unanswered.Load(),
		PeakOpen:        st.peak.Load(),
		Connected:       connected,
		FileLimit:       limit,
		Errors:          map[string]int64{},
		Disconnects:     map[string]int64{},
		ConnectFailures: map[string]int64{},
	}
	if res.WindowS > 0 {
		res.TurnsPerS = float64(res.Turns) / res.WindowS
	}
	st.mu.Lock()
	res.Reply = latencyOf(st.reply)
	res.Start = latencyOf(st.start)
	if cfg.Loop == Open {
		res.Arrival, res.Offered = cfg.Arrival, cfg.Rate
		res.Scheduled = st.scheduled.Load()
		s := latencyOf(st.service)
		res.Service = &s
	}
	res.Errors = copyMap(st.errors)
	res.Disconnects = copyMap(st.disconnects)
	res.ConnectFailures = copyMap(st.connectFailures)
	st.mu.Unlock()

	total := cfg.Sessions + cfg.Idle
	if need := uint64(total*cfg.fdsPerSession + fdSlack); limit > 0 && limit < need {
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"the open-file limit is %d, below the %d this run needs: sessions past it cannot connect (raise the hard limit, ulimit -Hn)", limit, need))
	}
	if connected < int64(total) {
		res.Warnings = append(res.Warnings, fmt.Sprintf("only %d of %d sessions were connected at once", connected, total))
	}
	if res.RateLimited > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"the server refused %d messages with rate_limited (it allows 5 a second per connection, bursts of 10): each was sent again after %v, and the latencies include that wait; a --think of 200ms or more stays under the limit",
			res.RateLimited, rateRetry))
	}
	if cfg.Loop == Open && res.Sent < res.Scheduled {
		res.Warnings = append(res.Warnings, fmt.Sprintf(
			"%d of %d scheduled turns were never sent: the sessions fell behind (each has one turn out at a time)", res.Scheduled-res.Sent, res.Scheduled))
	}
	return res
}
