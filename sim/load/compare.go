package load

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// A Comparison is one load run against the echo server and the same run
// against the target, with the ratio of their throughputs.
type Comparison struct {
	Echo   *Result `json:"echo"`
	Target *Result `json:"target"`
	// Ratio is the target's turns/s ÷ the echo server's: the share of
	// what the machine and the client allow that the product reaches.
	Ratio float64 `json:"ratio"`
}

// Compare starts an echo server on 127.0.0.1:0 in this process, runs cfg
// against it, then runs cfg again against cfg.URL. The echo server shares
// this process, and its CPUs, with the clients; the target usually runs
// in another process on the same machine.
func Compare(ctx context.Context, cfg Config) (*Comparison, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("echo server: %w", err)
	}
	hs := &http.Server{Handler: NewEchoServer(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	ecfg := cfg
	ecfg.URL = "ws://" + ln.Addr().String() + "/ws"
	ecfg.PID = 0
	ecfg.fdsPerSession = 2 // both ends of every connection are ours
	ecfg.label = "echo"
	echo, err := Run(ctx, ecfg)
	hs.Close()
	if err != nil {
		return nil, err
	}
	cfg.label = "target"
	target, err := Run(ctx, cfg)
	if err != nil {
		return nil, err
	}
	c := &Comparison{Echo: echo, Target: target}
	if echo.TurnsPerS > 0 {
		c.Ratio = target.TurnsPerS / echo.TurnsPerS
	}
	return c, nil
}
