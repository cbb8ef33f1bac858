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
