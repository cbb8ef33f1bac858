package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/roleplay-sim/roleplay/sim/load"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/script"
)

func init() {
	register(&command{
		name:  "load",
		args:  "[--url URL] [--sessions N] [--closed | --open RATE] [--duration D] [--compare] [--json] | --echo [--addr HOST:PORT]",
		short: "drive a server with many scripted clients and measure it",
		long: `Load opens --sessions websocket clients to a running server (roleplay serve)
and plays calls on each, call after call, for --duration after a --ramp
during which the clients connect. It reports turns a second, reply latency
percentiles (p50, p90, p99, p99.9, max), errors by code, disconnects and
the sessions connected, with a progress line a second on standard error
(its p99 is that of the last second, so a spike shows, then that so far).

The clients say the lines of the built-in calibration bots of each bundled
scenario (or of --scenarios DIR), or with --scripts DIR the trainee lines of
the golden transcripts DIR/<scenario id>/*.txt (scenarios/testdata). Client
i plays script i mod the number of scripts.

A closed loop (the default) sends each line as soon as the reply to the last
one is in, after --think (which comes before a start or end too). An open loop, --open RATE, sends RATE turns a
second over all sessions on a --schedule, whatever the replies, and measures
latency from the time each turn was due, so a server that falls behind is
charged for the wait.

The server allows 5 messages a second per connection (bursts of 10). A
closed loop with a --think under 200ms goes over that: refused turns are
counted as rate_limited, sent again 250ms later, and their latency includes
the wait. Use --think 200ms, or an open loop of at most 4 turns/s per session.
To measure the server's own cost, lift its limits for clients on one address:
roleplay serve --rate-limit 0 --max-conns-per-ip 0 --calls-per-minute-per-ip 0
--workers-per-ip 0 --max-calls 0.

--compare runs the same load first against an echo server started in this
process on 127.0.0.1, which speaks the same protocol and does no work, then
against --url, and prints both and the ratio of their turns a second.
--echo only serves that echo baseline on --addr, for a client elsewhere.

--idle N adds N clients that connect and then only answer pings. With
--pid PID (the server's process) the server's resident memory is read at the
start, once all clients are connected and at the end: with --sessions 0 that
gives the memory of an idle session. Its CPU time over the window is read
too, and given a turn: on a machine shared with other work that is a
steadier figure than turns a second.

The open-file limit is raised to the hard limit; the output says if it is
still too low. Exit status 1 if any turn got an error (rate_limited aside),
timed out or lost its connection, or a client could not connect.`,
		run: runLoad,
	})
}

func runLoad(e *env, args []string) int {
	c := commands["load"]
	fs := c.flags(e)
	url := fs.String("url", "ws://127.0.0.1:8080/ws", "the server's websocket `URL`")
	sessions := fs.Int("sessions", 100, "`N` clients playing calls")
	idle := fs.Int("idle", 0, "`N` more clients that connect and stay quiet")
	closed := fs.Bool("closed", false, "closed loop: each client sends its next line once the reply is in (the default)")
	rate := fs.Float64("open", 0, "open loop: `RATE` turns a second over all clients")
	arrival := fs.String("schedule", string(load.Poisson), "an open loop's `SCHEDULE`: poisson (random, as people arrive) or fixed (evenly spaced)")
	think := fs.Duration("think", 0, "closed loop: pause `D` before each message (line, start or end) after the last answer")
	ramp := fs.Duration("ramp", 0, "connect the clients over `D`; turns are measured after it")
	duration := fs.Duration("duration", 10*time.Second, "measure for `D` after the ramp")
	turns := fs.Int("turns", 0, "stop after `N` turns (0: at the end of --duration)")
	timeout := fs.Duration("timeout", load.DefaultTimeout, "wait at most `D` for an answer, then reconnect")
	mode := fs.String("mode", "assessment", "call `MODE`: assessment (replies carry only the customer's words) or training (and the simulator's reading)")
	dir := fs.String("scenarios", "", "play the scenarios in `DIR` instead of the bundled ones")
	scripts := fs.String("scripts", "", "say the golden transcripts' lines in `DIR`/<scenario id>/*.txt instead of the bots'")
	compare := fs.Bool("compare", false, "run against an in-process echo server first, then --url, and print the ratio")
	echo := fs.Bool("echo", false, "serve only the echo baseline server on --addr")
	addr := fs.String("addr", "127.0.0.1:8081", "--echo: listen on `HOST:PORT`")
	pid := fs.Int("pid", 0, "read the server's memory from /proc/`PID`/status")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	if _, code, ok := parse(fs, e, args, 0); !ok {
		return code
	}
	if *echo {
		return serveEcho(e, *addr)
	}
	cfg := load.Config{
		URL: *url, Sessions: *sessions, Idle: *idle,
		Loop: load.Closed, Think: *think,
		Ramp: *ramp, Duration: *duration, Turns: *turns, Timeout: *timeout,
		PID: *pid, Progress: e.stderr,
	}
	switch {
	case *closed && *rate != 0:
		return usageError(e, fs, "--closed and --open: choose one loop")
	case *rate < 0:
		return usageError(e, fs, "--open %g: the rate must be above 0 turns/s", *rate)
	case *rate > 0:
		cfg.Loop, cfg.Rate, cfg.Arrival, cfg.Seed = load.Open, *rate, load.Arrival(*arrival), 1
	}
	if *mode != "assessment" && *mode != "training" {
		return usageError(e, fs, "--mode %q: use assessment or training", *mode)
	}
	var err error
	if cfg.Sessions > 0 {
		if cfg.Scripts, err = loadScripts(*dir, *scripts, *mode); err != nil {
			var ds scenario.Diagnostics
			if errors.As(err, &ds) {
				return reportLoad(e, err)
			}
			return failf(e, exitFailed, "%v", err)
		}
	}
	conns := cfg.Sessions + cfg.Idle
	if *compare {
		conns *= 2 // the echo server runs in this process: both ends of its connections are ours
	}
	if limit, err := load.RaiseFileLimit(); err != nil {
		fmt.Fprintf(e.stderr, "roleplay: open-file limit: %v\n", err)
	} else if need := uint64(conns) + 64; limit < need {
		fmt.Fprintf(e.stderr, "roleplay: the open-file limit is %d, too low for %d connections (%d needed): raise the hard limit (ulimit -Hn)\n", limit, conns, need)
	}

	var res interface {
		WriteText(w io.Writer) error
	}
	failed := false
	if *compare {
		cmp, err := load.Compare(e.ctx, cfg)
		if err != nil {
			return usageError(e, fs, "%v", err)
		}
		res, failed = cmp, cmp.Echo.Failed() || cmp.Target.Failed()
	} else {
		r, err := load.Run(e.ctx, cfg)
		if err != nil {
			return usageError(e, fs, "%v", err)
		}
		res, failed = r, r.Failed()
	}
	if *asJSON {
		if code := writeJSON(e, res); code != exitOK {
			return code
		}
	} else if err := res.WriteText(e.stdout); err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	if failed {
		fmt.Fprintln(e.stderr, "roleplay: the run had errors, timeouts or lost connections")
		return exitFailed
	}
	return exitOK
}

// loadScripts is what the clients say: each calibration bot's lines for
// each scenario, or the golden transcripts' trainee lines under dir.
func loadScripts(scenarioDir, scriptDir, mode string) ([]load.Script, error) {
	var paths []string
	if scenarioDir != "" {
		paths = []string{scenarioDir}
	}
	all, err := loadPaths(paths)
	if err != nil {
		return nil, err
	}
	var out []load.Script
	for _, s := range all {
		if scriptDir == "" {
			for _, b := range script.Bots(s) {
				out = append(out, load.Script{Scenario: s.ID, Mode: mode, Lines: b.Lines})
			}
			continue
		}
		files, err := filepath.Glob(filepath.Join(scriptDir, s.ID, "*.txt"))
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			sc, err := script.Parse(f, string(data))
			if err != nil {
				return nil, err
			}
			out = append(out, load.Script{Scenario: s.ID, Mode: mode, Lines: sc.Lines})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no scripts: no %s/<scenario id>/*.txt for any of the %d scenarios", scriptDir, len(all))
	}
	return out, nil
}

func usageError(e *env, fs *flag.FlagSet, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "roleplay: "+format+"\n\n", args...)
	fs.Usage()
	return exitUsage
}

// serveEcho serves the echo baseline until interrupted.
func serveEcho(e *env, addr string) int {
	if _, err := load.RaiseFileLimit(); err != nil {
		fmt.Fprintf(e.stderr, "roleplay: open-file limit: %v\n", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return failf(e, exitInternal, "listen: %v", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /ws", load.NewEchoServer())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintln(w, `{"status":"ok","echo":true}`)
	})
	hs := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "roleplay: echo baseline on ws://%s/ws (Ctrl-C stops)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return failf(e, exitInternal, "serve: %v", err)
	case <-e.ctx.Done():
	}
	hs.Close()
	return exitOK
}
