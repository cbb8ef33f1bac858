package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
)

// The call lifecycle: start a call, take a turn, end it, each step written
// to the store before the trainee is told about it. A session owns its calls
// and runs these from its one goroutine.

// callIDBytes is the size of a call id's random part; ids are its hex.
const callIDBytes = 16

// storeTimeout bounds one store write, so a stuck store cannot hang a session.
const storeTimeout = 5 * time.Second

// A call is one conversation and its record as stored so far.
type call struct {
	rec  sim.Call // the record: turns as stored, the end once stored
	conv *sim.Conversation
	// done is set once the call ended (or was interrupted) and the session
	// is finished with it.
	done bool
}

func (c *call) id() string              { return c.rec.ID }
func (c *call) mode() sim.Mode          { return c.rec.Mode }
func (c *call) scenario() *sim.Scenario { return c.conv.Scenario() }

// startCall creates a call on sc in mode and stores it (and its scenario
// version, once) before anything is sent.
func (srv *Server) startCall(sc *sim.Scenario, mode sim.Mode, at time.Time) (*call, error) {
	id, err := newCallID()
	if err != nil {
		return nil, err
	}
	c := &call{
		rec:  sim.Call{ID: id, Scenario: sc.ID, Version: sc.Hash, Mode: mode, Started: at.UTC()},
		conv: sim.NewConversation(sc, srv.reader),
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	defer srv.metrics.store("create")()
	if err := srv.store.PutScenarioVersion(ctx, sc.Version()); err != nil {
		return nil, fmt.Errorf("store scenario version %.12s: %w", sc.Hash, err)
	}
	if err := srv.store.CreateCall(ctx, &c.rec); err != nil {
		return nil, fmt.Errorf("create call %s: %w", id, err)
	}
	return c, nil
}

// A storeError is a turn or an end the store refused. The conversation is
// as it was before, so the trainee can try again.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// turn takes one trainee turn said at at and stores it. Errors from the
// conversation (an empty turn, say) come back as they are; a store failure
// comes back as *storeError, with the turn taken back.
func (srv *Server) turn(c *call, text string, at time.Time) (sim.Turn, error) {
	t, err := c.conv.Say(text)
	if err != nil {
		return sim.Turn{}, err
	}
	rec := c.conv.Record(t, at.UTC())
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	defer srv.metrics.store("append")()
	if err := srv.store.AppendTurn(ctx, c.id(), rec); err != nil {
		if err := c.takeBack(); err != nil {
			return sim.Turn{}, err
		}
		return sim.Turn{}, &storeError{fmt.Errorf("store turn %d of call %s: %w", t.N, c.id(), err)}
	}
	c.rec.Turns = append(c.rec.Turns, rec)
	return t, nil
}

// takeBack rebuilds the conversation from the stored turns, undoing the
// one the store refused, so the call goes on from what is stored and what
// the trainee was told.
func (c *call) takeBack() error {
	conv, err := sim.Replay(c.scenario(), c.conv.Reader(), &c.rec)
	if err != nil { // cannot happen: these turns were just played
		return fmt.Errorf("take back a turn of call %s: %w", c.id(), err)
	}
	c.conv = conv
	return nil
}

// end ends the call (by how: the conversation, the trainee or the
// deadline), grades it and stores the end with the report. The report is
// returned even when storing fails, with the error.
func (srv *Server) end(c *call, how sim.Ending, at time.Time) (*sim.Report, error) {
	c.done = true
	if how != sim.EndedByCustomer {
		c.conv.End(how)
	}
	rep := grade.Grade(c.conv)
	c.rec.End, c.rec.Ended = c.conv.Ending(), at.UTC()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	defer srv.metrics.store("end")()
	if err := srv.store.EndCall(ctx, c.id(), c.rec.End, c.rec.Ended, rep); err != nil {
		return rep, fmt.Errorf("store the end of call %s: %w", c.id(), err)
	}
	c.rec.Report = rep
	return rep, nil
}

// newCallID returns a random call id.
func newCallID() (string, error) {
	b := make([]byte, callIDBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("call id: %w", err)
	}
	return hex.EncodeToString(b), nil
}
