// Package load drives a roleplay server with many scripted websocket
// clients and measures what it sustains: turns a second, reply latency
// percentiles, errors by code, disconnects. It also has an echo server that
// speaks the same framing and does no work: the baseline a product run is
// compared with, so a figure reads as a share of what the machine allows.
//
// It is an adapter: it dials, reads clocks and sleeps. It knows the
// websocket protocol (sim/server/PROTOCOL.md) and nothing of sim: what a
// client says comes in as Scripts.
package load

import (
	"errors"
	"fmt"
	"io"
	"time"
)

// A Script is what one client says on every call it plays: the lines, one
// a turn, to a scenario, in a mode. Client i plays script i mod the number
// of scripts. A call the customer ends early is followed by a new one; a
// script that runs out of lines hangs up (sends end).
type Script struct {
	Scenario string
	Mode     string // "training", "assessment", or "" for the server's default
	Lines    []string
}

// A Loop is how sessions pace their turns.
type Loop string

// The loops.
const (
	// Closed: each session says its next line as soon as the reply to the
	// last one has arrived (and Think has passed). Throughput is what the
	// server gives; latency is measured from the send.
	Closed Loop = "closed"
	// Open: sessions send on a schedule of Rate turns a second in all,
	// whatever the replies. Latency is measured from the time a turn was
	// due, not from when it could be sent, so a server that falls behind
	// is charged for the wait (no coordinated omission).
	Open Loop = "open"
)

// An Arrival is the shape of an open loop's schedule.
type Arrival string

// The arrivals.
const (
	// Poisson: each session's turns come at exponential intervals, so
	// the turns of all sessions together are a Poisson process of Rate.
	Poisson Arrival = "poisson"
	// Fixed: turns come exactly 1/Rate apart, taken by the sessions in turn.
	Fixed Arrival = "fixed"
)

// Defaults for a Config's zero fields.
const (
	// DefaultTimeout is how long a session waits for an answer before it
	// counts a timeout and reconnects.
	DefaultTimeout = 10 * time.Second
)

// A Config is one load run.
type Config struct {
	// URL is the server's websocket endpoint, ws://host:port/ws.
	URL string
	// Scripts are what the sessions say; session i plays Scripts[i mod len].
	Scripts []Script
	// Sessions is the number of clients playing calls.
	Sessions int
	// Idle is the number of further clients that connect, receive ready
	// and then only answer pings: the cost of an open, quiet browser tab.
	Idle int

	Loop Loop
	// Think is the pause of a closed-loop session before each message it
	// sends (start, say, end): after an answer, before the next message.
	Think time.Duration
	// Rate is the open loop's target, in turns a second over all sessions.
	Rate    float64
	Arrival Arrival
	// Seed makes a Poisson schedule repeatable.
	Seed uint64

	// Ramp spreads the sessions' connections over this long. Closed-loop
	// sessions start playing once connected; an open loop's schedule
	// starts when the ramp ends. Only turns due after the ramp are
	// measured.
	Ramp time.Duration
	// Duration is how long turns are measured after the ramp. The run
	// sends no turn due after it, waits at most Timeout for the answers
	// still out, and closes every connection.
	Duration time.Duration
	// Turns, when positive, ends the run once this many turns were sent.
	Turns int
	// Timeout is how long a session waits for an answer; DefaultTimeout
	// when zero.
	Timeout time.Duration

	// PID, when positive, is the server's process: its resident memory is
	// read at the start, once every session is connected (halfway through
	// the window at the latest), and at the end of the window; its CPU
	// time when the window opens and when it closes.
	PID int
	// Progress, when set, receives a line a second while the run goes on.
	Progress io.Writer

	// label names the run on its progress lines ("echo", "target").
	label string
	// fdsPerSession is how many file descriptors of this process one
	// session takes: 2 when the server runs in the same process (Compare's
	// echo server).
	fdsPerSession int
}

func (c *Config) check() error {
	var errs []error
	if c.URL == "" {
		errs = append(errs, errors.New("no server URL"))
	}
	if c.Sessions < 0 || c.Idle < 0 {
		errs = append(errs, errors.New("sessions and idle sessions cannot be negative"))
	}
	if c.Sessions == 0 && c.Idle == 0 {
		errs = append(errs, errors.New("no sessions: give sessions or idle sessions"))
	}
	if c.Sessions > 0 && len(c.Scripts) == 0 {
		errs = append(errs, errors.New("no scripts for the sessions to say"))
	}
	for i, s := range c.Scripts {
		if s.Scenario == "" || len(s.Lines) == 0 {
			errs = append(errs, fmt.Errorf("script %d: needs a scenario and at least one line", i))
		}
	}
	switch c.Loop {
	case Closed:
		if c.Rate != 0 {
			errs = append(errs, errors.New("a closed loop has no rate; its rate is what the server gives"))
		}
	case Open:
		if c.Rate <= 0 {
			errs = append(errs, errors.New("an open loop needs a rate above 0 turns/s"))
		}
		if c.Think != 0 {
			errs = append(errs, errors.New("an open loop has no think time; its schedule paces it"))
		}
		if c.Arrival != Poisson && c.Arrival != Fixed {
			errs = append(errs, fmt.Errorf("arrival %q: use %s or %s", c.Arrival, Poisson, Fixed))
		}
	default:
		errs = append(errs, fmt.Errorf("loop %q: use %s or %s", c.Loop, Closed, Open))
	}
	if c.Duration <= 0 {
		errs = append(errs, errors.New("a run needs a duration above 0, so it always ends"))
	}
	if c.Ramp < 0 || c.Think < 0 || c.Timeout < 0 || c.Turns < 0 {
		errs = append(errs, errors.New("ramp, think, timeout and turns cannot be negative"))
	}
	return errors.Join(errs...)
}

// A Result is what a run measured.
type Result struct {
	URL      string  `json:"url"`
	Loop     Loop    `json:"loop"`
	Arrival  Arrival `json:"arrival,omitempty"`
	Offered  float64 `json:"offered_turns_per_s,omitempty"` // an open loop's rate
	ThinkMS  float64 `json:"think_ms"`
	Sessions int     `json:"sessions"`
	Idle     int     `json:"idle"`
	RampS    float64 `json:"ramp_s"`
	// WindowS is the measured time: from the end of the ramp to the end of
	// the duration, or to the last session's stop when Turns ended it.
	WindowS float64 `json:"window_s"`

	// TurnsPerS is Turns ÷ WindowS.
	TurnsPerS float64 `json:"turns_per_s"`
	// Turns are the replies to turns due in the window.
	Turns int64 `json:"turns"`
	// Sent, Replies: every say sent (resends after rate_limited not
	// counted) and every reply received, ramp included.
	Sent    int64 `json:"sent"`
	Replies int64 `json:"replies"`
	// Resent counts says sent again after a rate_limited error.
	Resent int64 `json:"resent"`
	// Scheduled is how many turns an open loop's schedule had due before
	// the end; Sent falls short of it when sessions could not keep up.
	Scheduled int64 `json:"scheduled,omitempty"`
	Calls     int64 `json:"calls"`   // started received
	Reports   int64 `json:"reports"` // report received
	Hangups   int64 `json:"hangups"` // calls a script ran out of lines on: end sent

	// Reply is the reply latency of the window's turns: from the send in a
	// closed loop, from the time the turn was due in an open one.
	Reply Latency `json:"reply"`
	// Service is an open loop's latency from the actual send: the part of
	// Reply the server spent, without the time the turn waited to go out.
	Service *Latency `json:"service,omitempty"`
	// Start is the latency of start → started, over the whole run.
	Start Latency `json:"start"`

	// Errors are error frames by code, rate_limited apart.
	Errors      map[string]int64 `json:"errors"`
	RateLimited int64            `json:"rate_limited"`
	// Timeouts are answers that did not come within Timeout (the session
	// reconnects); Unanswered are those still out when the run stopped.
	Timeouts   int64 `json:"timeouts"`
	Unanswered int64 `json:"unanswered"`
	// Disconnects are connections the server or the network ended, by
	// how; ConnectFailures are dials that failed, by why.
	Disconnects     map[string]int64 `json:"disconnects"`
	ConnectFailures map[string]int64 `json:"connect_failures"`
	// PeakOpen is the most connections open at once; Connected is how
	// many were open once all had connected, or halfway through the window.
	PeakOpen  int64 `json:"peak_open"`
	Connected int64 `json:"connected"`

	// FileLimit is this process's open-file limit during the run.
	FileLimit uint64   `json:"file_limit"`
	RSS       *RSS     `json:"rss,omitempty"`
	CPU       *CPU     `json:"cpu,omitempty"`
	Warnings  []string `json:"warnings,omitempty"`
}

// Latency is a latency distribution, in milliseconds.
type Latency struct {
	Count  int64   `json:"count"`
	MeanMS float64 `json:"mean_ms"`
	P50MS  float64 `json:"p50_ms"`
	P90MS  float64 `json:"p90_ms"`
	P99MS  float64 `json:"p99_ms"`
	P999MS float64 `json:"p99_9_ms"`
	MaxMS  float64 `json:"max_ms"`
}

// Failed reports whether something went wrong in the run: an error frame
// other than rate_limited, a timeout, a lost connection or a failed dial.
// Rate limiting is the server's documented answer to a fast client, so it
// is reported but is no failure.
func (r *Result) Failed() bool {
	return len(r.Errors) > 0 || r.Timeouts > 0 || len(r.Disconnects) > 0 || len(r.ConnectFailures) > 0
}
