package server

import (
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Admission decides, per client address and in all, what may start: a
// websocket (connections per address), a call (calls a minute per address,
// calls in progress in all), and the work of one message (a worker, of
// which one address may hold only some). It alone owns the per-address
// state, behind its mutex; sessions ask it and never touch the state.
type admission struct {
	lim  Limits
	quit <-chan struct{}

	work chan struct{} // a token per worker

	mu    sync.Mutex
	ips   map[string]*peer
	calls int // calls in progress
}

// A peer is what admission knows of one address.
type peer struct {
	conns int           // open websockets
	calls *bucket       // new calls: CallsPerMinutePerIP a minute
	slots chan struct{} // its share of the workers

	// next is when its next message may start work: an address that keeps
	// its workers busy is paced to ipDuty of their time (below).
	paceMu sync.Mutex
	next   time.Time
}

// ipDuty is the share of its workers' time one address may keep busy.
// A worker that is always busy holds a CPU through whole 10 ms scheduler
// slices, and another client's turn queued behind it waits that long; at
// half duty the CPU is free half the time, so the others' turns start at
// once. An address that sends a turn now and then never notices.
const ipDuty = 0.5

// pruneAt is how many addresses admission remembers before it forgets
// those with no connection and a full call bucket, which are as if new.
const pruneAt = 4096

func newAdmission(lim Limits, workers int, quit <-chan struct{}) *admission {
	if lim.Workers > 0 {
		workers = lim.Workers
	}
	return &admission{lim: lim, quit: quit, work: make(chan struct{}, workers), ips: map[string]*peer{}}
}

// clientLocked returns the state of ip, made on first use. a.mu is held.
func (a *admission) clientLocked(ip string, now time.Time) *peer {
	c := a.ips[ip]
	if c != nil {
		return c
	}
	if len(a.ips) >= pruneAt {
		for k, v := range a.ips {
			if v.conns == 0 && (v.calls == nil || v.calls.full(now)) && len(v.slots) == 0 {
				delete(a.ips, k)
			}
		}
	}
	c = &peer{}
	if n := a.lim.CallsPerMinutePerIP; n > 0 {
		c.calls = newBucket(float64(n)/60, float64(n), now)
	}
	if n := a.lim.WorkersPerIP; n > 0 {
		c.slots = make(chan struct{}, n)
	}
	a.ips[ip] = c
	return c
}

// connect admits a websocket from ip; done must be called when it closes.
func (a *admission) connect(ip string, now time.Time) (done func(), ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := a.clientLocked(ip, now)
	if a.lim.MaxConnsPerIP > 0 && c.conns >= a.lim.MaxConnsPerIP {
		return nil, false
	}
	c.conns++
	return func() {
		a.mu.Lock()
		c.conns--
		a.mu.Unlock()
	}, true
}

// A refusal says why a call may not start and when to try again.
type refusal struct {
	code  string
	msg   string
	retry time.Duration
}

// startCall admits a new call from ip, or says why not. An admitted call
// must be counted out with endCall.
func (a *admission) startCall(ip string, now time.Time) *refusal {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.lim.MaxCalls > 0 && a.calls >= a.lim.MaxCalls {
		return &refusal{codeServerBusy, "The server is full: too many calls are in progress. Please try again in a minute.", time.Minute}
	}
	c := a.clientLocked(ip, now)
	if c.calls != nil && !c.calls.allow(now) {
		wait := c.calls.wait(now)
		return &refusal{codeTooManyCalls, "Too many calls started from your address; please wait " + seconds(wait) + " before starting another.", wait}
	}
	a.calls++
	return nil
}

// resumeCall counts in a call taken up again (resume): it was admitted
// when it started, so no limit refuses it now.
func (a *admission) resumeCall() {
	a.mu.Lock()
	a.calls++
	a.mu.Unlock()
}

// endCall counts a call out.
func (a *admission) endCall() {
	a.mu.Lock()
	a.calls--
	a.mu.Unlock()
}

// openCalls is how many calls are in progress.
func (a *admission) openCalls() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.calls
}

// acquire waits for a worker for one message from ip: first one of the
// address's own slots, then one of all. It gives up after QueueWait, or
// when the server shuts down.
func (a *admission) acquire(ip string) (release func(), ok bool) {
	var slots chan struct{}
	if a.lim.WorkersPerIP > 0 {
		a.mu.Lock()
		slots = a.clientLocked(ip, time.Now()).slots
		a.mu.Unlock()
	}
	wait := a.lim.QueueWait
	if wait <= 0 {
		wait = DefaultQueueWait
	}
	// The timer is made only when a token must be waited for: most
	// messages find a worker free.
	asked := time.Now()
	var t *time.Timer
	timeout := func() <-chan time.Time {
		if t == nil {
			t = time.NewTimer(wait - time.Since(asked))
		}
		return t.C
	}
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	var p *peer
	if slots != nil {
		select {
		case slots <- struct{}{}:
		default:
			select {
			case slots <- struct{}{}:
			case <-timeout():
				return nil, false
			case <-a.quit:
				return nil, false
			}
		}
		a.mu.Lock()
		p = a.clientLocked(ip, time.Now())
		a.mu.Unlock()
		p.paceMu.Lock()
		next := p.next
		p.paceMu.Unlock()
		if d := time.Until(next); d > 0 {
			pace := time.NewTimer(d)
			select {
			case <-pace.C:
			case <-timeout():
				pace.Stop()
				<-slots
				return nil, false
			case <-a.quit:
				pace.Stop()
				<-slots
				return nil, false
			}
		}
	}
	select {
	case a.work <- struct{}{}:
	default:
		select {
		case a.work <- struct{}{}:
		case <-timeout():
			if slots != nil {
				<-slots
			}
			return nil, false
		case <-a.quit:
			if slots != nil {
				<-slots
			}
			return nil, false
		}
	}
	began := time.Now()
	return func() {
		<-a.work
		if slots != nil {
			end := time.Now()
			p.paceMu.Lock()
			p.next = end.Add(time.Duration(float64(end.Sub(began)) * (1/ipDuty - 1)))
			p.paceMu.Unlock()
			<-slots
		}
	}, true
}

// away runs wait, which waits without a CPU (a turn's commit to the
// store), with the message's worker given back meanwhile and taken again
// after. Held across the wait, the workers (one per CPU) would let only as
// many turns wait for a commit at once, so one commit could never take the
// turns of more calls than there are CPUs. The address's own slot stays
// held: an address still gets no more than its share of the workers.
func (a *admission) away(wait func()) {
	<-a.work
	defer func() { a.work <- struct{}{} }()
	wait()
}

// clientIP is the address a request comes from: the peer's, or behind a
// trusted reverse proxy the last hop of X-Forwarded-For, which the proxy
// appends and the client cannot forge.
func clientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			last := xff[len(xff)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if ip := net.ParseIP(strings.TrimSpace(last)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// seconds writes d for people, rounded up: "1 second", "12 seconds".
func seconds(d time.Duration) string {
	n := retrySeconds(d)
	if n == 1 {
		return "1 second"
	}
	return strconv.Itoa(n) + " seconds"
}

// retrySeconds is d in whole seconds, rounded up, at least 1: what
// Retry-After and retry_after carry.
func retrySeconds(d time.Duration) int { return max(1, int(math.Ceil(d.Seconds()))) }
