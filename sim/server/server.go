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
	"runtime"
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
	// Scenarios are the personas a trainee can call, from files; trainers
	// add more from the page (see LoadUploads and WatchScenarios).
	Scenarios []*sim.Scenario
	// Static holds the UI, served for every path the API does not claim.
	Static fs.FS
	// AllowedOrigins lists origins ("https://example.com") other than the
	// server's own that may open a websocket.
	AllowedOrigins []string
	// PublicURLs are the addresses browsers reach the server at
	// ("https://roleplay.example.com"). Their hosts are allowed as Host, and
	// with any given, only their origins (and AllowedOrigins) may open a
	// websocket. IP addresses and localhost are always allowed as Host.
	PublicURLs []string
	// AllowedHosts are more host names the server answers for.
	AllowedHosts []string
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
	// Limits bound what clients may take; nil is DefaultLimits().
	Limits *Limits
	// TrustProxy takes a client's address from the last X-Forwarded-For
	// hop, for a server behind a reverse proxy (which must set it).
	TrustProxy bool
}

// A Server serves the HTTP API and websocket calls.
type Server struct {
	scenarios *catalog // files and uploads (scenarios.go)
	static    fs.FS
	origins   map[string]bool // origins allowed to open a websocket
	public    []string        // origins of the public URLs
	hosts     map[string]bool // host names allowed as Host besides IPs and localhost
	log       *slog.Logger
	store     sim.Store
	reader    sim.Reader
	upgrader  websocket.Upgrader
	accounts  accounts // sign-in state (auth.go)
	holds     *holds   // which session plays which call
	authorize Authorizer

	limits     Limits
	admission  *admission
	conns      *connGuard
	metrics    *metrics
	trustProxy bool

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
		scenarios: newCatalog(cfg.Scenarios),
		static:    cfg.Static,
		origins:   map[string]bool{},
		hosts:     map[string]bool{},
		log:       cfg.Logger,
		store:     cfg.Store,
		reader:    cfg.Reader,
		now:       time.Now,
		quit:      make(chan struct{}),
		holds:     newHolds(),
		authorize: cfg.Authorize,
	}
	s.accounts.secure = cfg.SecureCookies
	for _, o := range cfg.AllowedOrigins {
		if o = normalOrigin(o); o != "" {
			s.origins[o] = true
		}
	}
	for _, u := range cfg.PublicURLs {
		if o, h, ok := publicOrigin(u); ok {
			s.public = append(s.public, o)
			s.origins[o], s.hosts[h] = true, true
		}
	}
	for _, h := range cfg.AllowedHosts {
		s.hosts[strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")] = true
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
	s.limits = DefaultLimits()
	if cfg.Limits != nil {
		s.limits = *cfg.Limits
	}
	s.trustProxy = cfg.TrustProxy
	s.admission = newAdmission(s.limits, runtime.GOMAXPROCS(0), s.quit)
	s.metrics = newMetrics(s.admission.openCalls)
	if b, ok := s.store.(batcher); ok {
		s.metrics.observeBatches(b)
	}
	s.conns = newConnGuard(connCap(s.limits.MaxConns, fileLimit()), s.log)
	s.upgrader = websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		// Write buffers are lent from a pool for each write, so an idle
		// connection holds none (about 4 KB less each).
		WriteBufferPool: &writeBuffers,
		CheckOrigin:     s.checkOrigin,
	}
	return s
}

// writeBuffers are the websocket write buffers all connections share.
var writeBuffers sync.Pool

// Handler returns the server's routes.
func (s *Server) Handler() http.Handler {
	mux := newRouter()
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("GET /api/scenarios", s.listScenarios)
	mux.HandleFunc("GET /api/calls/{id}/report", s.callReport)
	mux.HandleFunc("GET /api/calls/{id}/transcript", s.callTranscript)
	s.trainerRoutes(mux)  // accounts and review (trainer.go)
	s.scenarioRoutes(mux) // scenarios managed in the page (scenarios_api.go)
	s.assessRoutes(mux)   // hiring assessments (assess.go)
	mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no such API endpoint")
	})
	mux.HandleFunc("GET /ws", s.serveWS)
	if s.static != nil {
		mux.Handle("/", files(s.static))
	}
	// Cross-site requests that change state are refused (auth.go); every
	// answer carries the security headers, and only known hosts are served.
	return secure(s.checkHost(s.protect(mux.handler())))
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
