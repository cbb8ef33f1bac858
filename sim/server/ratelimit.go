package server

import "time"

// A bucket is a token bucket: it holds at most burst tokens, gains rate
// tokens a second, and each message spends one. It reads no clock; the
// caller passes the time each message arrived, so it is deterministic.
type bucket struct {
	rate   float64 // tokens gained per second
	burst  float64 // most tokens held
	tokens float64
	last   time.Time
}

func newBucket(rate, burst float64, now time.Time) *bucket {
	return &bucket{rate: rate, burst: burst, tokens: burst, last: now}
}

// allow spends a token for a message that arrived at now, and reports
// whether there was one to spend.
func (b *bucket) allow(now time.Time) bool {
	if now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// full reports whether the bucket would hold burst tokens at now: it is
// as good as new.
func (b *bucket) full(now time.Time) bool {
	return b.tokens+now.Sub(b.last).Seconds()*b.rate >= b.burst
}

// wait is how long after now until a token is there to spend.
func (b *bucket) wait(now time.Time) time.Duration {
	have := b.tokens
	if now.After(b.last) {
		have = min(b.burst, have+now.Sub(b.last).Seconds()*b.rate)
	}
	if have >= 1 || b.rate <= 0 {
		return 0
	}
	return time.Duration((1 - have) / b.rate * float64(time.Second))
}
