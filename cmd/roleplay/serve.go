package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim/server"
	"github.com/roleplay-sim/roleplay/static"
)

func init() {
	register(&command{
		name:  "serve",
		args:  "[--addr HOST:PORT] [--scenarios DIR] [--allowed-origins LIST]",
		short: "serve the browser UI and live calls",
		long: `Serve runs the simulator for browsers: open the address it prints, pick a
customer, and talk. It serves the bundled scenarios embedded in the binary,
or those in --scenarios DIR. SIGINT or SIGTERM shuts it down cleanly: calls
in progress are told the server is closing.`,
		run: runServe,
	})
}

// shutdownGrace bounds how long a clean shutdown waits for calls to close.
const shutdownGrace = 10 * time.Second

func runServe(e *env, args []string) int {
	c := commands["serve"]
	fs := c.flags(e)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	dir := fs.String("scenarios", "", "load scenarios from `DIR` instead of the bundled ones")
	origins := fs.String("allowed-origins", "", "comma-separated origins (https://host:port) allowed to open a websocket besides the server's own")
	_, code, ok := parse(fs, e, args, 0)
	if !ok {
		return code
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	var paths []string
	if *dir != "" {
		paths = []string{*dir}
	}
	all, err := loadPaths(paths)
	if err != nil {
		return reportLoad(e, err)
	}
	srv := server.New(server.Config{
		Scenarios:      all,
		Static:         static.FS(),
		AllowedOrigins: splitList(*origins),
		Logger:         log,
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return failf(e, exitInternal, "listen: %v", err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "scenarios", len(all))
	fmt.Fprintf(e.stdout, "roleplay: open http://%s in a browser (Ctrl-C stops)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return failf(e, exitInternal, "serve: %v", err)
	case <-e.ctx.Done():
	}
	log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Warn("closing calls", "err", err)
	}
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("closing server", "err", err)
	}
	log.Info("stopped")
	return exitOK
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
