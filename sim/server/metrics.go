package server

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus metrics, on a registry of its own
// (so two servers in one test process do not clash), served at /metrics.
type metrics struct {
	reg     *prometheus.Registry
	turns   prometheus.Counter
	reply   prometheus.Histogram
	errors  *prometheus.CounterVec
	storeOp *prometheus.HistogramVec
}

// A batcher is a store that commits the writes of many calls together,
// one sync for them all, as the SQLite and PostgreSQL stores do: how many
// it commits at once and how long a commit takes are what a turn waits
// for.
type batcher interface {
	ObserveBatches(func(writes int, took time.Duration))
}

// observeBatches reports b's batches as two histograms.
func (m *metrics) observeBatches(b batcher) {
	writes := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "roleplay_store_batch_writes", Help: "Writes committed together by the store, one sync for them all.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 8), // up to 128, the stores' batch bound
	})
	took := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "roleplay_store_batch_seconds", Help: "From the start of a batch of writes to the end of its commit, the sync included.",
		Buckets: latencyBuckets,
	})
	m.reg.MustRegister(writes, took)
	b.ObserveBatches(func(n int, d time.Duration) {
		writes.Observe(float64(n))
		took.Observe(d.Seconds())
	})
}

// latencyBuckets run from 100 µs to 5 s: a turn takes a few hundred
// microseconds, a store write on a disk a few milliseconds.
var latencyBuckets = prometheus.ExponentialBucketsRange(0.0001, 5, 16)

func newMetrics(openCalls func() int) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		turns: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "roleplay_turns_total", Help: "Trainee turns taken and answered.",
		}),
		reply: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "roleplay_reply_seconds", Help: "From a say arriving to its reply queued for the client, waiting for a worker included.",
			Buckets: latencyBuckets,
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "roleplay_errors_total", Help: "Error messages sent to clients, by protocol error code.",
		}, []string{"code"}),
		storeOp: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "roleplay_store_seconds", Help: "Store operations of live calls, by operation.",
			Buckets: latencyBuckets,
		}, []string{"op"}),
	}
	m.reg.MustRegister(m.turns, m.reply, m.errors, m.storeOp,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "roleplay_open_calls", Help: "Calls in progress.",
		}, func() float64 { return float64(openCalls()) }),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return m
}

// turn counts a turn answered d after it arrived.
func (m *metrics) turn(d time.Duration) {
	m.turns.Inc()
	m.reply.Observe(d.Seconds())
}

// error counts an error message sent.
func (m *metrics) error(code string) { m.errors.WithLabelValues(code).Inc() }

// store times one store operation: defer m.store("append")().
func (m *metrics) store(op string) func() {
	t0 := time.Now()
	return func() { m.storeOp.WithLabelValues(op).Observe(time.Since(t0).Seconds()) }
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// A pinger is a store that can say whether it is reachable; the durable
// stores are. Not part of sim.Store: a store in memory is always ready.
type pinger interface {
	Ping(ctx context.Context) error
}

// readyTimeout bounds the store check of one /readyz.
const readyTimeout = 2 * time.Second

// ready answers /readyz: 200 when the server takes calls and its store
// answers, 503 otherwise (shutting down, or the store unreachable).
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	select {
	case <-s.quit:
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "shutting down"})
		return
	default:
	}
	if p, ok := s.store.(pinger); ok {
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := p.Ping(ctx); err != nil {
			s.log.Error("readiness: store unreachable", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "store unreachable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
