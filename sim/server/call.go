package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

// The call lifecycle: start a call, take a turn, end it, each step written
// to the store before the trainee is told about it; and resume a call from
// its record. A session owns its call and runs these from its one goroutine.

// callIDBytes is the size of a call id's random part; ids are its hex.
const callIDBytes = 16

// tokenBytes is the size of a call token's random part (256 bits); tokens
// are its unpadded base64url. The store keeps only the token's SHA-256.
const tokenBytes = 32

// storeTimeout bounds one store write, so a stuck store cannot hang a session.
const storeTimeout = 5 * time.Second

// A call is one conversation and its record as stored so far, held by one
// session.
type call struct {
	rec  sim.Call // the record: turns as stored, the end once stored
	conv *sim.Conversation
	hold *hold
	// away runs a wait for the store with the session's worker given back
	// (session.away); nil runs it in place (the sweeper, tests).
	away func(wait func())
}

// storing runs wait, a store call, through c.away.
func (c *call) storing(wait func()) {
	if c.away == nil {
		wait()
		return
	}
	c.away(wait)
}

func (c *call) id() string              { return c.rec.ID }
func (c *call) mode() sim.Mode          { return c.rec.Mode }
func (c *call) scenario() *sim.Scenario { return c.conv.Scenario() }

// errMoved says another connection, on this server or another, took the
// call over or played a turn of it: this session must let it go.
var errMoved = errors.New("the call went on elsewhere")

// errNoSuchCall is a resume that names no call, or a call with another
// token: the client is not told which.
var errNoSuchCall = sim.Errorf(sim.ENotFound, "There is no call with this id and token.")

// An endedError is a resume of a call that has ended.
type endedError struct {
	id       string
	assessed bool // an assessment call: no report for the candidate
}

func (e *endedError) Error() string { return "call " + e.id + " has ended" }

// startCall creates a call on sc in mode for trainee ("" when anonymous)
// and stores it (and its scenario
// version, once) before anything is sent. It returns the call and its
// token, which only the client keeps.
func (srv *Server) startCall(sc *sim.Scenario, mode sim.Mode, trainee string, at time.Time, away func(wait func())) (*call, string, error) {
	return srv.newCall(sc, sim.Call{Mode: mode, Trainee: trainee, Started: at.UTC()}, away)
}

// newCall stores a new call on sc as rec describes it (mode, trainee,
// assessment, start, deadline), with a new id and token, waiting for the
// store through away (nil: in place).
func (srv *Server) newCall(sc *sim.Scenario, rec sim.Call, away func(wait func())) (*call, string, error) {
	id, err := newCallID()
	if err != nil {
		return nil, "", err
	}
	token, hash, err := newToken()
	if err != nil {
		return nil, "", err
	}
	c := &call{
		rec:  rec,
		conv: sim.NewConversation(sc, srv.reader),
		away: away,
	}
	c.rec.ID, c.rec.Scenario, c.rec.Version, c.rec.TokenHash = id, sc.ID, sc.Hash, hash
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	c.storing(func() {
		defer srv.metrics.store("create")()
		if err = srv.store.PutScenarioVersion(ctx, sc.Version()); err != nil {
			err = fmt.Errorf("store scenario version %.12s: %w", sc.Hash, err)
			return
		}
		if err = srv.store.CreateCall(ctx, &c.rec); err != nil {
			err = fmt.Errorf("create call %s: %w", id, err)
		}
	})
	if err != nil {
		return nil, "", err
	}
	return c, token, nil
}

// findCall reads call id, if token is its token: errNoSuchCall for an
// unknown call or a wrong token, and *endedError for a call that has ended.
func (srv *Server) findCall(ctx context.Context, id, token string) (*sim.Call, error) {
	if !validCallID(id) {
		return nil, errNoSuchCall
	}
	rec, err := srv.store.Call(ctx, id)
	switch {
	case sim.ErrorCodeOf(err) == sim.ENotFound:
		return nil, errNoSuchCall
	case err != nil:
		return nil, fmt.Errorf("resume call %s: %w", id, err)
	case !tokenMatches(rec, token):
		return nil, errNoSuchCall
	case !rec.InProgress():
		return nil, &endedError{id: id, assessed: rec.Assessment != ""}
	}
	return rec, nil
}

// resumeCall rebuilds call id from its record (see findCall), replaying
// the recorded acts on the scenario version it ran on. A call whose
// conversation had ended when the server stopped, before its end was
// stored, is ended and graded now, and is an *endedError too.
func (srv *Server) resumeCall(id, token string, at time.Time) (*call, error) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	rec, err := srv.findCall(ctx, id, token)
	if err != nil {
		return nil, err
	}
	sc, err := srv.scenarioOf(ctx, rec)
	if err != nil {
		return nil, fmt.Errorf("resume call %s: %w", id, err)
	}
	conv, err := sim.Replay(sc, srv.reader, rec)
	if err != nil {
		return nil, fmt.Errorf("resume call %s: %w", id, err)
	}
	c := &call{rec: *rec, conv: conv}
	if conv.Ended() || rec.Overdue(at) { // its last turn or its deadline ended it; the end was not stored yet
		how := sim.EndedByCustomer
		if !conv.Ended() {
			how = sim.EndedByDeadline
		}
		if _, err := srv.end(c, how, at); err != nil && !errors.Is(err, errMoved) {
			return nil, err
		}
		return nil, &endedError{id: id, assessed: rec.Assessment != ""}
	}
	return c, nil
}

// scenarioOf is the scenario version call rec ran on: one this server
// serves, or else the stored version, loaded on its own defaults.
func (srv *Server) scenarioOf(ctx context.Context, rec *sim.Call) (*sim.Scenario, error) {
	if sc := srv.scenarios.set().byHash[rec.Version]; sc != nil {
		return sc, nil
	}
	v, err := srv.store.ScenarioVersion(ctx, rec.Version)
	if err != nil {
		return nil, err
	}
	return scenario.LoadVersion(v)
}

// A storeError is a turn or an end the store refused. The conversation is
// as it was before, so the trainee can try again.
type storeError struct{ err error }

func (e *storeError) Error() string { return e.err.Error() }
func (e *storeError) Unwrap() error { return e.err }

// turn takes one trainee turn said at at and stores it, waiting for the
// store through away (nil: in place). Errors from the
// conversation (an empty turn, say) come back as they are; errMoved when
// the call went on elsewhere; any other store failure as *storeError. In
// both of the last the turn is taken back.
func (srv *Server) turn(c *call, text string, at time.Time, away func(wait func())) (sim.Turn, error) {
	if c.lost() {
		return sim.Turn{}, errMoved
	}
	t, err := c.conv.Say(text)
	if err != nil {
		return sim.Turn{}, err
	}
	rec := c.conv.Record(t, at.UTC())
	if err := rec.Check(); err != nil { // text no store keeps (a NUL character): refused like an empty turn
		if err := c.takeBack(); err != nil {
			return sim.Turn{}, err
		}
		return sim.Turn{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if away == nil {
		away = func(wait func()) { wait() }
	}
	away(func() {
		defer srv.metrics.store("append")()
		err = srv.store.AppendTurn(ctx, c.id(), rec)
	})
	if err != nil {
		if err := c.takeBack(); err != nil {
			return sim.Turn{}, err
		}
		if sim.ErrorCodeOf(err) == sim.EConflict { // another writer stored turn n, or ended the call
			return sim.Turn{}, errMoved
		}
		return sim.Turn{}, &storeError{fmt.Errorf("store turn %d of call %s: %w", t.N, c.id(), err)}
	}
	c.rec.Turns = append(c.rec.Turns, rec)
	return t, nil
}

// lost reports whether another session on this server took the call over.
func (c *call) lost() bool {
	if c.hold == nil {
		return false
	}
	select {
	case <-c.hold.lost:
		return true
	default:
		return false
	}
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
// returned even when storing fails, with the error: errMoved when the
// call went on elsewhere (so this grade is not the call's).
func (srv *Server) end(c *call, how sim.Ending, at time.Time) (*sim.Report, error) {
	if c.lost() {
		return nil, errMoved
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if how != sim.EndedByCustomer {
		c.conv.End(how)
	}
	if how == sim.EndedByDeadline && !c.rec.Deadline.IsZero() {
		at = c.rec.Deadline // the record says when the time was up, not when it was noticed
	}
	rep := grade.Grade(c.conv)
	c.rec.End, c.rec.Ended = c.conv.Ending(), at.UTC()
	// The store takes the end only if it holds the turns graded: if
	// another server stored a turn this one has not played (the call went
	// on there), this grade is not the call's.
	var err error
	c.storing(func() {
		defer srv.metrics.store("end")()
		err = srv.store.EndCall(ctx, c.id(), len(c.rec.Turns), c.rec.End, c.rec.Ended, rep)
	})
	if err != nil {
		if sim.ErrorCodeOf(err) == sim.EConflict {
			return rep, errMoved
		}
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

// newToken returns a random call token and the hash the store keeps of it.
func newToken() (string, []byte, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("call token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, tokenHash(token), nil
}

func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// tokenMatches reports, in time that does not depend on where they differ,
// whether token is call c's. A call stored without a token matches none.
func tokenMatches(c *sim.Call, token string) bool {
	return token != "" && len(c.TokenHash) == sha256.Size &&
		subtle.ConstantTimeCompare(tokenHash(token), c.TokenHash) == 1
}
