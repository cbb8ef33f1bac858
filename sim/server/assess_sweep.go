package server

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
)

// The server's clock for assessment calls: a call whose deadline passed is
// ended whether or not anyone is on it, and after a restart the first
// sweep finds those whose deadline passed while the server was down.

// SweepEvery is how often Sweep looks for calls past their deadline.
const SweepEvery = time.Second

// UploadSyncEvery is how often Sweep reads the uploaded scenarios again
// (LoadUploads), so that servers sharing one database serve the uploads
// and publishing done on any of them.
const UploadSyncEvery = 10 * time.Second

// Sweep ends every call past its deadline now and then every SweepEvery,
// and picks up uploads made elsewhere every UploadSyncEvery, until ctx
// ends. Run it in its own goroutine; several servers on one database may
// all run it: a call ends once, the others see EConflict.
func (s *Server) Sweep(ctx context.Context) {
	t := time.NewTicker(SweepEvery)
	defer t.Stop()
	synced := time.Now()
	for {
		s.sweepOnce(ctx)
		if time.Since(synced) >= UploadSyncEvery {
			synced = time.Now()
			if changed, err := s.loadUploads(ctx); err != nil {
				s.log.Error("read the uploaded scenarios again", "err", err)
			} else if changed {
				s.log.Info("uploaded scenarios changed on another server: now serving them", "scenarios", len(s.scenarios.set().uploads))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) sweepOnce(ctx context.Context) {
	due, err := s.store.DueCalls(ctx, s.now())
	if err != nil {
		s.log.Error("find calls past their deadline", "err", err)
		return
	}
	for _, id := range due {
		if err := s.EndDue(ctx, id); err != nil {
			s.log.Error("end a call at its deadline", "call", id, "err", err)
		}
	}
}

// EndDue ends call id at its deadline, if it is still in progress: a
// session on this server playing it lets it go and tells the candidate the
// time is up (session.moved); the end is stored at the deadline itself, so
// the record does not depend on when it was noticed.
func (s *Server) EndDue(ctx context.Context, id string) error {
	h := s.holds.take(id)
	defer s.holds.release(h)
	rec, err := s.store.Call(ctx, id)
	if err != nil {
		return fmt.Errorf("read call %s: %w", id, err)
	}
	if !rec.InProgress() || rec.Deadline.IsZero() {
		return nil
	}
	sc, err := s.scenarioOf(ctx, rec)
	if err != nil {
		return fmt.Errorf("scenario of call %s: %w", id, err)
	}
	conv, err := sim.Replay(sc, s.reader, rec)
	if err != nil {
		return fmt.Errorf("replay call %s: %w", id, err)
	}
	c := &call{rec: *rec, conv: conv, hold: h}
	how := sim.EndedByDeadline
	if conv.Ended() { // its last turn ended it; the end was not stored yet
		how = sim.EndedByCustomer
	}
	if _, err := s.end(c, how, rec.Deadline); err != nil && !errors.Is(err, errMoved) {
		return err
	}
	s.log.Info("call ended at its deadline", "call", id)
	return nil
}
