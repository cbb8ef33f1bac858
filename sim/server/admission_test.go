package server

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A message waiting for the store's commit gives its worker back, so
// another message gets to work meanwhile (with one worker, it would wait
// for the first to be stored), and takes it again before it goes on.
func TestAWorkerIsFreeWhileItsMessageWaitsForTheStore(t *testing.T) {
	a := newAdmission(Limits{Workers: 1, QueueWait: time.Minute}, 1, nil)
	releaseFirst, ok := a.acquire("192.0.2.1")
	require.True(t, ok)
	a.away(func() {
		assert.Empty(t, a.work, "workers held while the first message waits")
		releaseSecond, ok := a.acquire("192.0.2.2")
		require.True(t, ok, "a second message gets the worker")
		releaseSecond()
	})
	assert.Len(t, a.work, 1, "workers held once the first message goes on")
	releaseFirst()
	assert.Empty(t, a.work)
}
