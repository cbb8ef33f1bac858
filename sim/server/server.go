// Package server serves the simulator over HTTP: the scenario list, stored
// reports and transcripts, the static UI, and live calls over a websocket
// (see PROTOCOL.md). With sim/load (the load tool's client) it is the only
// importer of gorilla/websocket.
package server

import (
	"context"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/inmem"
)

// Config is what a Server serves.
type Config struct {
	// Scenarios are the personas a trainee can call.
	Scenarios []*sim.Scenario
	// Static holds the UI, served for every path the API does not claim.
	Static fs.FS
	// AllowedOrigins lists origins ("https://example.com") other than the
	// server's own that may open a websocket.
	AllowedOrigins []string
	// Logger receives connection, call and error logs; nil discards them.
	Logger *slog.Logger
	// Store keeps every call, turn by turn; nil keeps them in memory
	// (sim/inmem).
	Store sim.Store
	// Reader reads the trainees' turns; nil is the built-in classifier.
	Reader sim.Reader
	// SecureCookies marks session cookies Secure on plain HTTP too, for a
	// server behind a proxy that ends TLS (over TLS they always are).
	SecureCookies bool
	// Authorize says who may read a call without its token (see access.go);
	// nil: only the token reads a call.
	Authorize Authorizer
}

// A Server serves the HTTP API and websocket calls.
type Server struct {
	scenarios []*sim.Scenario
	byID      map[string]*sim.Scenario
	byHash    map[string]*sim.Scenario
	static    fs.FS
	origins   map[string]bool
	log       *slog.Logger
	store     sim.Store
	reader    sim.Reader
	upgrader  websocket.Upgrader
	accounts  accounts // sign-in state (auth.go)
	holds     *holds   // which session plays which call
	authorize Authorizer

	// now is the clock for rate limiting and turn times; tests replace it.
	now func() time.Time

	mu       sync.Mutex
	closed   bool
	quit     chan struct{} // closed by Shutdown
	sessions sync.WaitGroup
}

// New returns a server for cfg.
func New(cfg Config) *Server {
	s := &Server{
		scenarios: cfg.Scenarios,
		byID:      make(map[string]*sim.Scenario, len(cfg.Scenarios)),
		byHash:    make(map[string]*sim.Scenario, len(cfg.Scenarios)),
		static:    cfg.Static,
		origins:   map[string]bool{},
		log:       cfg.Logger,
		store:     cfg.Store,
		reader:    cfg.Reader,
		now:       time.Now,
		quit:      make(chan struct{}),
		holds:     newHolds(),
		authorize: cfg.Authorize,
	}
	s.accounts.secure = cfg.SecureCookies
	for _, sc := range cfg.Scenarios {
		s.byID[sc.ID] = sc
		s.byHash[sc.Hash] = sc
	}
	for _, o := range cfg.AllowedOrigins {
		if o = normalOrigin(o); o != "" {
			s.origins[o] = true
		}
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.store == nil {
		s.store = inmem.New()
	}
	if s.reader == nil {
		s.reader = classify.Default()
	}
	if s.authorize == nil {
		s.authorize = s.sessionAccess
	}
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		CheckOrigin:     s.checkOrigin,
	}
	return s
}

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /api/scenarios", s.listScenarios)
	mux.HandleFunc("GET /api/calls/{id}/report", s.callReport)
	mux.HandleFunc("GET /api/calls/{id}/transcript", s.callTranscript)
	s.trainerRoutes(mux) // accounts and review (trainer.go)
	s.assessRoutes(mux)  // hiring assessments (assess.go)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint")
	})
	mux.HandleFunc("GET /ws", s.serveWS)
	if s.static != nil {
		mux.Handle("/", http.FileServerFS(s.static))
	}
	return s.protect(mux) // cross-site requests that change state are refused (auth.go)
}

// Shutdown refuses new websocket connections, lets every session finish
// the messages it has received (a turn being answered is answered), tells
// every open connection the server is closing (a closing message, which
// names the call in progress, stored and resumable, then a close frame),
// and waits for the connections to close or ctx to end. http.Server.Shutdown does not wait for websockets,
// which it no longer tracks once upgraded, so call this as well.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	if !s.closed {
		s.closed = true
		close(s.quit)
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() {
		s.sessions.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// enter registers a new connection, or reports that the server is closing.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.sessions.Add(1)
	return true
}

// checkOrigin allows browsers on the server's own origin or a listed one.
// Clients that send no Origin are not browsers and are allowed.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	if s.origins[normalOrigin(origin)] {
		return true
	}
	s.log.Warn("websocket origin refused", "origin", origin, "host", r.Host)
	return false
}

// normalOrigin writes an origin as browsers send it: lower-case
// scheme://host[:port], no trailing slash.
func normalOrigin(o string) string {
	return strings.TrimRight(strings.ToLower(strings.TrimSpace(o)), "/")
}
