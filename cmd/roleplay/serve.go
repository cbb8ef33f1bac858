package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/server"
	"github.com/roleplay-sim/roleplay/static"
)

func init() {
	register(&command{
		name:  "serve",
		args:  "[--addr HOST:PORT] [--db PATH|postgres://…|memory] [--scenarios DIR] [--public-url URL] [--allowed-hosts LIST] [--allowed-origins LIST] [--tls-cert FILE --tls-key FILE] [--trust-proxy] [limits]",
		short: "serve the browser UI and live calls",
		long: `Serve runs the simulator for browsers: open the address it prints, pick a
customer, and talk. It serves the bundled scenarios embedded in the binary,
or those in --scenarios DIR, reloaded when a file changes (a file that no
longer loads keeps its last good version serving, and its problems are
logged and shown to trainers); trainers and admins add versions from the
page.

Every call is kept turn by turn, each turn on disk before its reply is
sent: by default in an SQLite file in the data directory,
$XDG_DATA_HOME/roleplay/roleplay.db (~/.local/share/roleplay/roleplay.db
without XDG_DATA_HOME), created if need be. --db PATH chooses another SQLite
file; --db postgres://user@host:5432/db?sslmode=disable keeps calls in
PostgreSQL, so several servers can share them (any server can resume any
call); --db memory keeps them in memory only, lost on exit (for tests and
demos). The start-up log line says which.

Browsers must reach it by an IP address, localhost, the host of
--public-url, or one of --allowed-hosts (other Host names are refused, which
defeats DNS rebinding). With --tls-cert and --tls-key it serves HTTPS.
Behind a reverse proxy, pass --public-url https://NAME and --trust-proxy.
The limits flags bound what clients may take; 0 lifts a limit.

SIGINT or SIGTERM shuts it down cleanly: turns being answered are finished,
and each client with a call in progress is told it can resume it.`,
		run: runServe,
	})
}

// shutdownGrace bounds how long a clean shutdown waits for calls to close.
const shutdownGrace = 10 * time.Second

func runServe(e *env, args []string) int {
	c := commands["serve"]
	fs := c.flags(e)
	m := NewMain()
	fs.StringVar(&m.Addr, "addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	fs.StringVar(&m.DB, "db", "", describeDB)
	fs.StringVar(&m.ScenarioDir, "scenarios", "", "load scenarios from `DIR` instead of the bundled ones")
	origins := fs.String("allowed-origins", "", "comma-separated origins (https://host:port) allowed to open a websocket besides the server's own")
	public := fs.String("public-url", "", "comma-separated `URLs` browsers reach the server at (https://roleplay.example.com); their hosts are allowed, and only their origins may open a websocket")
	hosts := fs.String("allowed-hosts", "", "comma-separated host names the server answers for besides IP addresses, localhost and the public URL's")
	fs.StringVar(&m.TLSCert, "tls-cert", "", "serve HTTPS with the certificate chain in `FILE` (PEM)")
	fs.StringVar(&m.TLSKey, "tls-key", "", "the private key for --tls-cert, in `FILE` (PEM)")
	fs.BoolVar(&m.TrustProxy, "trust-proxy", false, "take the client address from the last X-Forwarded-For hop (only behind a reverse proxy that sets it)")
	lim := server.DefaultLimits()
	fs.IntVar(&lim.MaxConns, "max-conns", lim.MaxConns, "open TCP connections in all; idle HTTP ones are closed to make room")
	fs.IntVar(&lim.MaxConnsPerIP, "max-conns-per-ip", lim.MaxConnsPerIP, "websockets one client address may hold open")
	fs.IntVar(&lim.CallsPerMinutePerIP, "calls-per-minute-per-ip", lim.CallsPerMinutePerIP, "calls one client address may start a minute")
	fs.IntVar(&lim.MaxCalls, "max-calls", lim.MaxCalls, "calls in progress in all")
	fs.Float64Var(&lim.Rate, "rate-limit", lim.Rate, "messages a second one connection may send (bursts of twice as many); 0 lifts it, for load tests")
	fs.IntVar(&lim.WorkersPerIP, "workers-per-ip", lim.WorkersPerIP, "of the one-per-CPU workers, how many one client address may hold")
	_, code, ok := parse(fs, e, args, 0)
	if !ok {
		return code
	}
	m.AllowedOrigins = splitList(*origins)
	m.PublicURLs = splitList(*public)
	m.AllowedHosts = splitList(*hosts)
	m.Limits = &lim
	if (m.TLSCert == "") != (m.TLSKey == "") {
		fmt.Fprintln(e.stderr, "roleplay serve: --tls-cert and --tls-key go together")
		return exitUsage
	}
	m.Log = slog.New(slog.NewTextHandler(e.stderr, nil))
	if err := m.Run(e.ctx); err != nil {
		var ds scenario.Diagnostics
		if errors.As(err, &ds) {
			return reportLoad(e, err)
		}
		return failf(e, exitInternal, "%v", err)
	}
	fmt.Fprintf(e.stdout, "roleplay: open %s in a browser (Ctrl-C stops); calls are kept in %s\n", m.URL(), m.Where())
	select {
	case err := <-m.errc:
		m.Close()
		return failf(e, exitInternal, "serve: %v", err)
	case <-e.ctx.Done():
	}
	if err := m.Close(); err != nil {
		m.Log.Warn("closing", "err", err)
	}
	return exitOK
}

// Main is the server program, wired: configure it, Run it, Close it. Tests
// run the real program through it on port 0, without flags.
type Main struct {
	Addr           string   // HOST:PORT to listen on; port 0 picks one
	DB             string   // where calls are kept, as --db says; "" is SQLite in the data directory
	ScenarioDir    string   // "" serves the bundled scenarios
	AllowedOrigins []string // origins besides the server's own that may open a websocket
	PublicURLs     []string // where browsers reach the server; their hosts are allowed
	AllowedHosts   []string // more host names the server answers for
	TLSCert        string   // PEM certificate chain; with TLSKey, serve HTTPS
	TLSKey         string
	TrustProxy     bool           // client addresses from X-Forwarded-For
	Limits         *server.Limits // nil: server.DefaultLimits()
	Log            *slog.Logger
	Store          sim.Store  // nil opens the store DB names
	Reader         sim.Reader // nil is the built-in classifier

	where string // where the store keeps calls, in words
	ln    net.Listener
	hs    *http.Server
	srv   *server.Server
	errc  chan error
	// stopSweep stops the goroutine that ends calls at their deadline;
	// swept is closed once it has stopped.
	stopSweep context.CancelFunc
	swept     chan struct{}
}

// NewMain returns a Main with the defaults.
func NewMain() *Main {
	return &Main{Addr: "127.0.0.1:8080", Log: slog.New(slog.DiscardHandler)}
}

// Run loads the scenarios, starts listening and serves in the background.
// It returns once the server accepts connections, or with why it cannot.
func (m *Main) Run(ctx context.Context) error {
	var paths []string
	if m.ScenarioDir != "" {
		paths = []string{m.ScenarioDir}
	}
	all, err := loadPaths(paths)
	if err != nil {
		return err
	}
	if m.Store == nil {
		if m.Store, m.where, err = openStore(ctx, m.DB); err != nil {
			return err
		}
	} else {
		m.where = "the store given"
	}
	if m.Reader == nil {
		m.Reader = classify.Default()
	}
	m.srv = server.New(server.Config{
		Scenarios:      all,
		Static:         static.FS(),
		AllowedOrigins: m.AllowedOrigins,
		PublicURLs:     m.PublicURLs,
		AllowedHosts:   m.AllowedHosts,
		TrustProxy:     m.TrustProxy,
		Limits:         m.Limits,
		Logger:         m.Log,
		Store:          m.Store,
		Reader:         m.Reader,
	})
	// Scenarios uploaded from the page, and the folder's files reloaded
	// as they change (sim/server/scenarios*.go).
	if err := m.srv.LoadUploads(ctx); err != nil {
		return err
	}
	if m.ScenarioDir != "" {
		if err := m.srv.WatchScenarios(m.ScenarioDir); err != nil {
			return err
		}
	}
	var lc net.ListenConfig
	m.ln, err = lc.Listen(ctx, "tcp", m.Addr)
	if err != nil {
		m.Store.Close()
		return fmt.Errorf("listen: %w", err)
	}
	m.hs = m.srv.HTTPServer()
	ln := m.srv.Listen(m.ln)
	if m.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(m.TLSCert, m.TLSKey)
		if err != nil {
			m.ln.Close()
			return fmt.Errorf("tls: %w", err)
		}
		m.hs.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, m.hs.TLSConfig)
	}
	m.errc = make(chan error, 1)
	go func() { m.errc <- m.hs.Serve(ln) }()
	// The server's clock for assessments: calls past their deadline end,
	// also those whose deadline passed while no server ran.
	var sweepCtx context.Context
	sweepCtx, m.stopSweep = context.WithCancel(context.Background())
	m.swept = make(chan struct{})
	go func() { m.srv.Sweep(sweepCtx); close(m.swept) }()
	m.Log.Info("serving", "url", m.URL(), "scenarios", len(all), "calls", m.where)
	// No account yet: a one-time link for the first admin (sim/server/auth.go).
	if link, err := m.srv.SetupLink(ctx, m.URL()); err != nil {
		m.Log.Error("setup link", "err", err)
	} else if link != "" {
		m.Log.Warn("no accounts yet: open this one-time link to create the first admin", "url", link)
	}
	return nil
}

// Where says where the running server keeps its calls.
func (m *Main) Where() string { return m.where }

// URL is where the running server answers.
func (m *Main) URL() string {
	if m.TLSCert != "" {
		return "https://" + m.ln.Addr().String()
	}
	return "http://" + m.ln.Addr().String()
}

// Close shuts down cleanly: calls in progress are told the server is
// closing, then the HTTP server stops, then the store is closed.
func (m *Main) Close() error {
	if m.hs == nil {
		return nil
	}
	m.Log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	var errs []error
	if err := m.srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("closing calls: %w", err))
	}
	if err := m.hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		errs = append(errs, fmt.Errorf("closing server: %w", err))
	}
	m.stopSweep()
	<-m.swept
	if err := m.Store.Close(); err != nil {
		errs = append(errs, fmt.Errorf("closing store: %w", err))
	}
	m.hs = nil
	m.Log.Info("stopped")
	return errors.Join(errs...)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
