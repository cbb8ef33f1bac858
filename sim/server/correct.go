package server

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// Corrections: in a training call the trainee may say how they meant
// their last line ("I meant this as a problem question"). The turn is
// played again with those acts on the conversation as it stood before it,
// the stored turn is replaced with it (the classifier's reading kept as
// the turn's override), and the client gets the new reply, marked
// corrected. Choosing what the classifier read takes the correction back.

// correct handles {"type":"correct","turn":N,"acts":[...]}.
func (s *session) correct(msg clientMessage, at time.Time) {
	c := s.call
	if c == nil {
		s.noCall("No call is in progress, so there is no line to correct.")
		return
	}
	if c.mode() != sim.Training {
		s.fail(codeNotCorrectable, "Lines can be corrected only in training: in an assessment every line stands as it was read.")
		return
	}
	if c.rec.Overdue(at) {
		s.finish(sim.EndedByDeadline)
		return
	}
	acts, problem := meantActs(msg.Acts)
	n := len(c.rec.Turns)
	switch {
	case n == 0:
		problem = "There is no line to correct yet: say something first."
	case msg.Turn != n:
		problem = fmt.Sprintf("Only your last line (turn %d) can be corrected, not turn %d.", n, msg.Turn)
	case problem == "" && sameActs(c.rec.Turns[n-1].Acts, acts):
		problem = "Your line was played with these acts already."
	}
	if problem != "" {
		s.fail(codeBadCorrection, problem)
		return
	}
	t, err := s.srv.correct(c, acts, s.trainee, at)
	if err != nil {
		if !s.turnLost(c, err, "store corrected turn", "your correction could not be saved; the line stands as it was") {
			s.log.Error("correct turn", "call", c.id(), "err", err)
			s.failErr(err)
		}
		return
	}
	s.emit(replyFor(c, t))
	if t.Ended {
		s.finish(sim.EndedByCustomer)
	}
}

// meantActs reads the act names of a correction, or says what is wrong
// with them, for people.
func meantActs(names []string) ([]sim.Act, string) {
	acts := make([]sim.Act, 0, len(names))
	for _, name := range names {
		a, err := sim.ParseAct(strings.TrimSpace(name))
		if err != nil {
			return nil, "Unknown act in the correction: " + err.Error() + "."
		}
		acts = append(acts, a)
	}
	if err := sim.CheckMeant(acts); err != nil {
		return nil, "The correction cannot be used: " + sim.ErrorMessage(err) + "."
	}
	return acts, ""
}

// sameActs reports whether dets are exactly the acts acts, in any order.
func sameActs(dets []sim.Detection, acts []sim.Act) bool {
	var have []sim.Act
	for _, d := range dets {
		if !slices.Contains(have, d.Act) {
			have = append(have, d.Act)
		}
	}
	if len(have) != len(acts) {
		return false
	}
	for _, a := range acts {
		if !slices.Contains(have, a) {
			return false
		}
	}
	return true
}

// correct plays call c's last turn again as meant by acts, corrected by
// by ("" anonymous) at at, and replaces the stored turn with it. Until the
// store has it, the call is as it was: errMoved when the call went on
// elsewhere, *storeError for any other store failure.
func (srv *Server) correct(c *call, acts []sim.Act, by string, at time.Time) (sim.Turn, error) {
	if c.lost() {
		return sim.Turn{}, errMoved
	}
	last := c.rec.Turns[len(c.rec.Turns)-1]
	read := last.Acts // what the classifier read, kept through corrections
	if last.Override != nil {
		read = last.Override.Read
	}
	before := c.rec
	before.Turns = c.rec.Turns[:len(c.rec.Turns)-1]
	conv, err := sim.Replay(c.scenario(), c.conv.Reader(), &before)
	if err != nil { // cannot happen: these turns were played already
		return sim.Turn{}, fmt.Errorf("correct turn %d of call %s: %w", last.N, c.id(), err)
	}
	var t sim.Turn
	if sameActs(read, acts) { // back to how it was read: no longer a correction
		t, err = conv.Play(last.Said, read)
	} else {
		t, err = conv.Correct(last.Said, sim.Meant(last.Said, read, acts), read)
	}
	if err != nil {
		return sim.Turn{}, err
	}
	rec := conv.Record(t, last.At)
	rec.Reader = last.Reader
	if rec.Override != nil {
		rec.Override.By, rec.Override.At = by, at.UTC()
	}
	if err := rec.Check(); err != nil {
		return sim.Turn{}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	defer srv.metrics.store("correct")()
	if err := srv.store.ReplaceLastTurn(ctx, c.id(), rec); err != nil {
		if sim.ErrorCodeOf(err) == sim.EConflict { // another writer stored a turn or the end
			return sim.Turn{}, errMoved
		}
		return sim.Turn{}, &storeError{fmt.Errorf("store corrected turn %d of call %s: %w", t.N, c.id(), err)}
	}
	c.conv = conv
	c.rec.Turns = append(before.Turns[:len(before.Turns):len(before.Turns)], rec)
	return t, nil
}
