package server

import (
	"context"
	"testing"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/inmem"

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

// heldStore holds one kind of write (op: "create", "append" or "end")
// until it is let go.
type heldStore struct {
	*inmem.Store
	op      string
	holding chan struct{} // the write is being stored
	letGo   chan struct{}
}

func (s *heldStore) hold(op string) {
	if op == s.op {
		s.holding <- struct{}{}
		<-s.letGo
	}
}

func (s *heldStore) CreateCall(ctx context.Context, c *sim.Call) error {
	s.hold("create")
	return s.Store.CreateCall(ctx, c)
}

func (s *heldStore) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	s.hold("append")
	return s.Store.AppendTurn(ctx, id, t)
}

func (s *heldStore) EndCall(ctx context.Context, id string, turns int, end sim.Ending, at time.Time, r *sim.Report) error {
	s.hold("end")
	return s.Store.EndCall(ctx, id, turns, end, at, r)
}

// While a call's start, turn or end waits for the store, its worker works
// on other messages: with one worker, another connection's message is
// answered, not refused as busy once its queue wait is over.
func TestStoreWaitsLeaveTheWorkerFree(t *testing.T) {
	for _, op := range []string{"create", "append", "end"} {
		t.Run(op, func(t *testing.T) {
			store := &heldStore{Store: inmem.New(), op: op, holding: make(chan struct{}), letGo: make(chan struct{})}
			e := newEnv(t, withStore(store), withLimits(Limits{Workers: 1, QueueWait: 5 * time.Second, Rate: 1000}))
			first := e.dial(t, "")
			switch op {
			case "create":
				first.send(map[string]any{"type": "start", "scenario": "clinic"})
			case "append":
				first.start("")
				first.send(map[string]any{"type": "say", "text": goodCall[0]})
			case "end":
				first.start("")
				first.send(map[string]any{"type": typeEnd})
			}
			<-store.holding

			other := e.dial(t, "")
			other.sendRaw(`{"type":"nonsense"}`)
			m := other.expect("error")
			assert.NotEqual(t, codeServerBusy, m.Code, "the other connection waited for the held worker")

			close(store.letGo)
			want := map[string]string{"create": "started", "append": "reply", "end": "report"}[op]
			first.expect(want)
		})
	}
}
