package server

import (
	"runtime"
	"time"
)

// Limits bound what clients may take of the server. A zero field means
// no limit, except Workers (0: one per CPU) and Rate (see there); Default
// gives the limits a public server runs with.
type Limits struct {
	// MaxConns bounds open TCP connections, HTTP and websocket alike. When
	// it is reached an idle HTTP connection is closed to make room, so
	// /healthz stays reachable while keep-alive connections pile up; with
	// none idle the new connection gets a bare 503. It is also held under
	// the process's open-file limit.
	MaxConns int
	// MaxConnsPerIP bounds the websockets one client address holds open;
	// more are refused with 429.
	MaxConnsPerIP int
	// CallsPerMinutePerIP bounds the calls one address starts a minute
	// (a burst of as many passes), whatever connections it uses, so a
	// client that reconnects in a loop gets no more turns than one that
	// stays; more get a too_many_calls error with retry_after.
	CallsPerMinutePerIP int
	// MaxCalls bounds the calls in progress in all; more get server_busy.
	MaxCalls int
	// Rate is how many messages a second one connection may send (bursts of
	// twice as many pass); 0 lifts the limit, for load tests that measure
	// the server's own cost.
	Rate float64
	// Workers is how many messages are worked on at once; the rest wait
	// their turn, at most QueueWait. 0 is one per CPU.
	Workers int
	// WorkersPerIP is how many of the workers one address may hold, so one
	// address flooding the server leaves the others a worker: its messages
	// wait behind each other, not in front of everyone's.
	WorkersPerIP int
	// QueueWait is how long a message may wait for a worker before it is
	// refused with server_busy.
	QueueWait time.Duration
}

// Default limits.
const (
	// DefaultMaxConns fits the 10,000 sessions of the load figures and the
	// HTTP requests beside them.
	DefaultMaxConns = 20000
	// DefaultMaxConnsPerIP allows a classroom behind one NAT address.
	DefaultMaxConnsPerIP = 64
	// DefaultCallsPerMinutePerIP is a call every two seconds for that
	// classroom, sustained; a trainee starts one every few minutes.
	DefaultCallsPerMinutePerIP = 30
	// DefaultMaxCalls is the calls in progress the server holds at once.
	DefaultMaxCalls = 10000
	// DefaultQueueWait is long enough for a burst to drain, short enough
	// that a trainee learns the server is busy rather than staring.
	DefaultQueueWait = 2 * time.Second
)

// DefaultLimits are the limits of a server open to the public.
func DefaultLimits() Limits {
	return Limits{
		MaxConns:            DefaultMaxConns,
		MaxConnsPerIP:       DefaultMaxConnsPerIP,
		CallsPerMinutePerIP: DefaultCallsPerMinutePerIP,
		MaxCalls:            DefaultMaxCalls,
		Rate:                rateLimit,
		WorkersPerIP:        max(1, runtime.GOMAXPROCS(0)/2),
		QueueWait:           DefaultQueueWait,
	}
}

// HTTP timeouts. A websocket is not held to them: the upgrade clears the
// connection's deadlines, and its pumps set their own (conn.go).
const (
	// readHeaderTimeout is how long a client may take to send a request's
	// headers; a connection that sends nothing is closed after it.
	readHeaderTimeout = 10 * time.Second
	// readTimeout bounds reading a whole request; the API takes no bodies.
	readTimeout = 30 * time.Second
	// writeTimeout bounds writing a response, a transcript download included.
	writeTimeout = 60 * time.Second
	// idleTimeout is how long a keep-alive connection may wait for its next
	// request.
	idleTimeout = 60 * time.Second
	// maxHeaderBytes bounds a request's headers.
	maxHeaderBytes = 16 << 10
)
