package load

import (
	"math/rand/v2"
	"time"
)

// A schedule is when an open-loop session's turns are due.
type schedule interface {
	// next is the time the next turn is due.
	next() time.Time
}

// fixedSchedule spaces all turns of the run exactly 1/rate apart, from
// base: turn j of the run is due at base + j/rate, and session i of n
// takes turns i, i+n, i+2n, …
type fixedSchedule struct {
	base time.Time
	rate float64
	j, n int
}

func (f *fixedSchedule) next() time.Time {
	at := f.base.Add(time.Duration(float64(f.j) / f.rate * float64(time.Second)))
	f.j += f.n
	return at
}

// poissonSchedule is one session's share of a Poisson process: turns at
// exponentially distributed intervals of mean 1/rate.
type poissonSchedule struct {
	at   time.Time
	rate float64
	rng  *rand.Rand
}

func (p *poissonSchedule) next() time.Time {
	p.at = p.at.Add(time.Duration(p.rng.ExpFloat64() / p.rate * float64(time.Second)))
	return p.at
}

// newSchedule is session i's schedule in a run of cfg starting at base.
func newSchedule(cfg *Config, i int, base time.Time) schedule {
	if cfg.Arrival == Fixed {
		return &fixedSchedule{base: base, rate: cfg.Rate, j: i, n: cfg.Sessions}
	}
	return &poissonSchedule{
		at:   base,
		rate: cfg.Rate / float64(cfg.Sessions),
		rng:  rand.New(rand.NewPCG(cfg.Seed, uint64(i))),
	}
}

// due counts the turns s still has due before end.
func due(s schedule, end time.Time) int64 {
	var n int64
	for s.next().Before(end) {
		n++
	}
	return n
}
