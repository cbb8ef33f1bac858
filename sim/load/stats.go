package load

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram bounds: microseconds, from 1 µs to a minute, to three
// significant digits. A latency past the top is recorded as the top.
const (
	histLowest  = 1
	histHighest = int64(time.Minute / time.Microsecond)
	histDigits  = 3
)

// stats is what the sessions of a run count. Counters are atomic; the
// histograms and maps, shared by every session, are behind mu: a
// histogram takes about 130 KB, too much to keep one per session.
type stats struct {
	sent, replies, resent, turns atomic.Int64
	calls, reports, hangups      atomic.Int64
	rateLimited, timeouts        atomic.Int64
	unanswered, scheduled        atomic.Int64
	open, peak                   atomic.Int64
	problems                     atomic.Int64 // errors, timeouts, disconnects, failed dials: for the progress line

	mu              sync.Mutex
	reply, service  *hdrhistogram.Histogram
	recent          *hdrhistogram.Histogram // reply latency since the last progress line
	start           *hdrhistogram.Histogram
	errors          map[string]int64
	disconnects     map[string]int64
	connectFailures map[string]int64
}

func newStats() *stats {
	return &stats{
		reply:           newHistogram(),
		service:         newHistogram(),
		recent:          newHistogram(),
		start:           newHistogram(),
		errors:          map[string]int64{},
		disconnects:     map[string]int64{},
		connectFailures: map[string]int64{},
	}
}

func newHistogram() *hdrhistogram.Histogram {
	return hdrhistogram.New(histLowest, histHighest, histDigits)
}

func micros(d time.Duration) int64 {
	return min(max(d.Microseconds(), histLowest), histHighest)
}

// turn records the reply to a turn of the window: latency from when it was
// due and from when it went out.
func (s *stats) turn(due, sent, got time.Time) {
	s.turns.Add(1)
	s.mu.Lock()
	_ = s.reply.RecordValue(micros(got.Sub(due)))
	_ = s.service.RecordValue(micros(got.Sub(sent)))
	_ = s.recent.RecordValue(micros(got.Sub(due)))
	s.mu.Unlock()
}

func (s *stats) started(d time.Duration) {
	s.calls.Add(1)
	s.mu.Lock()
	_ = s.start.RecordValue(micros(d))
	s.mu.Unlock()
}

func (s *stats) count(m map[string]int64, key string) {
	s.problems.Add(1)
	s.mu.Lock()
	m[key]++
	s.mu.Unlock()
}

func (s *stats) error(code string)      { s.count(s.errors, code) }
func (s *stats) disconnect(how string)  { s.count(s.disconnects, how) }
func (s *stats) connectFail(why string) { s.count(s.connectFailures, why) }

func (s *stats) timeout() {
	s.problems.Add(1)
	s.timeouts.Add(1)
}

func (s *stats) opened() {
	n := s.open.Add(1)
	for {
		p := s.peak.Load()
		if n <= p || s.peak.CompareAndSwap(p, n) {
			return
		}
	}
}

func (s *stats) closed() { s.open.Add(-1) }

// replyP99 is the 99th percentile of reply latency so far, and since the
// last call (a spike shows there, where the whole run's figure hides it).
func (s *stats) replyP99() (sofar, recent time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sofar = time.Duration(s.reply.ValueAtQuantile(99)) * time.Microsecond
	recent = time.Duration(s.recent.ValueAtQuantile(99)) * time.Microsecond
	s.recent.Reset()
	return sofar, recent
}

func latencyOf(h *hdrhistogram.Histogram) Latency {
	ms := func(us int64) float64 { return float64(us) / 1000 }
	return Latency{
		Count:  h.TotalCount(),
		MeanMS: h.Mean() / 1000,
		P50MS:  ms(h.ValueAtQuantile(50)),
		P90MS:  ms(h.ValueAtQuantile(90)),
		P99MS:  ms(h.ValueAtQuantile(99)),
		P999MS: ms(h.ValueAtQuantile(99.9)),
		MaxMS:  ms(h.Max()),
	}
}

func copyMap(m map[string]int64) map[string]int64 {
	out := make(map[string]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
