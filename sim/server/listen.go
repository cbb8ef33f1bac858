package server

import (
	"log"
	"log/slog"
	"net"
	"net/http"
)

// fdReserve is how many file descriptors the connection cap leaves for
// everything else: the listener, the store's files, logs.
const fdReserve = 64

// HTTPServer returns the http.Server for s: its handler, the HTTP timeouts
// (limits.go) and the connection cap's hook. Serve it on s.Listen(ln).
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         s.conns.state,
		ErrorLog:          errorLog(s.log),
	}
}

// Listen wraps ln so that its connections count against the connection
// cap: Limits.MaxConns, held under the open-file limit.
func (s *Server) Listen(ln net.Listener) net.Listener { return s.conns.listen(ln) }

// connCap is the connection cap for limit and the process's open-file
// limit (0 when unknown).
func connCap(limit int, files uint64) int {
	if files > fdReserve && (limit <= 0 || uint64(limit) > files-fdReserve) {
		return int(files - fdReserve)
	}
	return limit
}

// errorLog sends the http.Server's own complaints (TLS handshakes, accept
// errors) to the server's structured log.
func errorLog(l *slog.Logger) *log.Logger { return slog.NewLogLogger(l.Handler(), slog.LevelWarn) }
