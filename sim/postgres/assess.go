package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// CreateAssessment stores a. One insert: the constraints tell a taken id
// from a missing scenario version.
func (db *DB) CreateAssessment(ctx context.Context, a *sim.Assessment) error {
	if err := a.Check(); err != nil {
		return err
	}
	questions, err := json.Marshal(sqlrow.NonNil(a.Questions))
	if err != nil {
		return fmt.Errorf("create assessment %s: %w", a.ID, err)
	}
	_, err = db.pool.Exec(ctx, `INSERT INTO assessments (id, scenario, version, time_limit, instructions, questions, created_by, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		a.ID, a.Scenario, a.Version, int64(a.TimeLimit), a.Instructions, string(questions), a.CreatedBy, sqlrow.Nanos(a.Created))
	switch {
	case violates(err, uniqueViolation):
		return sim.Errorf(sim.EConflict, "assessment %s exists already", a.ID)
	case violates(err, foreignKeyViolation):
		return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", a.Version)
	case err != nil:
		return fmt.Errorf("create assessment %s: %w", a.ID, err)
	}
	return nil
}

const assessmentColumns = `id, scenario, version, time_limit, instructions, questions, created_by, created`

// Assessment returns the assessment with the given id.
func (db *DB) Assessment(ctx context.Context, id string) (*sim.Assessment, error) {
	a, err := sqlrow.ScanAssessment(db.pool.QueryRow(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, sim.Errorf(sim.ENotFound, "no assessment %s", id)
	}
	return a, sqlrow.Internal(err, "assessment %s", id)
}

// Assessments returns every assessment, newest first.
func (db *DB) Assessments(ctx context.Context) ([]sim.Assessment, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+assessmentColumns+` FROM assessments ORDER BY created DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("assessments: %w", err)
	}
	defer rows.Close()
	out := []sim.Assessment{}
	for rows.Next() {
		a, err := sqlrow.ScanAssessment(rows)
		if err != nil {
			return nil, fmt.Errorf("assessments: %w", err)
		}
		out = append(out, *a)
	}
	return out, sqlrow.Internal(rows.Err(), "assessments")
}

// CreateCandidate stores c, which must be invited.
func (db *DB) CreateCandidate(ctx context.Context, c *sim.Candidate) error {
	if err := c.Check(); err != nil {
		return err
	}
	if c.Status != sim.Invited {
		return sim.Errorf(sim.EInvalid, "a new candidate is %s", sim.Invited)
	}
	answers, err := json.Marshal(sqlrow.NonNil(c.Answers))
	if err != nil {
		return fmt.Errorf("create candidate %s: %w", c.ID, err)
	}
	tag, err := db.pool.Exec(ctx, `INSERT INTO candidates (id, assessment, token_hash, claim_hash, expires, status, name, email, call_id, answers)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
		c.ID, c.Assessment, c.TokenHash, c.ClaimHash, sqlrow.Nanos(c.Expires), string(c.Status), c.Name, c.Email, c.Call, string(answers))
	switch {
	case violates(err, uniqueViolation):
		return sim.Errorf(sim.EConflict, "the token is taken")
	case violates(err, foreignKeyViolation):
		return sim.Errorf(sim.EInvalid, "assessment %s is not stored", c.Assessment)
	case err != nil:
		return fmt.Errorf("create candidate %s: %w", c.ID, err)
	case tag.RowsAffected() == 0:
		return sim.Errorf(sim.EConflict, "candidate %s exists already", c.ID)
	}
	return nil
}

const candidateColumns = `id, assessment, token_hash, claim_hash, expires, status, name, email, call_id, answers, scorecards`

// candidate reads one candidate and its signals in one snapshot.
func (db *DB) candidate(ctx context.Context, where string, arg any) (c *sim.Candidate, err error) {
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		c, err = sqlrow.ScanCandidate(tx.QueryRow(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE `+where, arg))
		if errors.Is(err, pgx.ErrNoRows) {
			return sim.Errorf(sim.ENotFound, "no such candidate")
		}
		if err != nil {
			return err
		}
		all, err := signals(ctx, tx, `s.candidate_id = $1`, c.ID)
		c.Signals = all[c.ID]
		return err
	})
	return c, err
}

// signals returns the signals of the candidates matching where, by id.
func signals(ctx context.Context, tx pgx.Tx, where string, arg any) (map[string][]sim.Signal, error) {
	rows, err := tx.Query(ctx, `SELECT s.candidate_id, s.kind, s.length, s.turn, s.at FROM signals s
		JOIN candidates c ON c.id = s.candidate_id WHERE `+where+` ORDER BY s.candidate_id, s.n`, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]sim.Signal{}
	for rows.Next() {
		id, s, err := sqlrow.ScanSignal(rows)
		if err != nil {
			return nil, err
		}
		out[id] = append(out[id], s)
	}
	return out, rows.Err()
}

// Candidate returns the candidate with the given id.
func (db *DB) Candidate(ctx context.Context, id string) (*sim.Candidate, error) {
	c, err := db.candidate(ctx, `id = $1`, id)
	return c, sqlrow.Internal(err, "candidate %s", id)
}

// CandidateByToken returns the candidate whose link has the given hash.
func (db *DB) CandidateByToken(ctx context.Context, hash []byte) (*sim.Candidate, error) {
	c, err := db.candidate(ctx, `token_hash = $1`, hash)
	return c, sqlrow.Internal(err, "candidate by token")
}

// Candidates returns an assessment's candidates in the order created.
func (db *DB) Candidates(ctx context.Context, assessment string) (out []sim.Candidate, err error) {
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE assessment = $1 ORDER BY seq`, assessment)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (sim.Candidate, error) {
			c, err := sqlrow.ScanCandidate(r)
			if err != nil {
				return sim.Candidate{}, err
			}
			return *c, nil
		})
		if err != nil {
			return err
		}
		all, err := signals(ctx, tx, `c.assessment = $1`, assessment)
		for i := range out {
			out[i].Signals = all[out[i].ID]
		}
		return err
	})
	if out == nil {
		out = []sim.Candidate{}
	}
	return out, sqlrow.Internal(err, "candidates of %s", assessment)
}

// UpdateCandidate replaces the candidate if its status is still from: one
// conditional update, so of two nodes racing only one succeeds.
func (db *DB) UpdateCandidate(ctx context.Context, c *sim.Candidate, from sim.CandidateStatus) error {
	if err := c.Check(); err != nil {
		return err
	}
	answers, err := json.Marshal(sqlrow.NonNil(c.Answers))
	if err != nil {
		return fmt.Errorf("update candidate %s: %w", c.ID, err)
	}
	tag, err := db.pool.Exec(ctx, `UPDATE candidates SET claim_hash = $1, expires = $2, status = $3, name = $4, email = $5, call_id = $6, answers = $7
		WHERE id = $8 AND status = $9`, c.ClaimHash, sqlrow.Nanos(c.Expires), string(c.Status), c.Name, c.Email, c.Call, string(answers), c.ID, string(from))
	if err != nil {
		return fmt.Errorf("update candidate %s: %w", c.ID, err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var status string
	err = db.pool.QueryRow(ctx, `SELECT status FROM candidates WHERE id = $1`, c.ID).Scan(&status)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return sim.Errorf(sim.ENotFound, "no candidate %s", c.ID)
	case err != nil:
		return fmt.Errorf("update candidate %s: %w", c.ID, err)
	}
	return sim.Errorf(sim.EConflict, "candidate %s is %s, not %s", c.ID, status, from)
}

// AddSignal appends s to the candidate's signals. The candidate's row is
// locked, so two nodes never number two signals alike.
func (db *DB) AddSignal(ctx context.Context, id string, s sim.Signal) error {
	if err := s.Check(); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM candidates WHERE id = $1 FOR UPDATE`, id).Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return sim.Errorf(sim.ENotFound, "no candidate %s", id)
		}
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM signals WHERE candidate_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n >= sim.MaxSignals {
			return sim.Errorf(sim.EConflict, "candidate %s has %d signals already", id, sim.MaxSignals)
		}
		_, err = tx.Exec(ctx, `INSERT INTO signals (candidate_id, n, kind, length, turn, at) VALUES ($1, $2, $3, $4, $5, $6)`,
			id, n+1, string(s.Kind), s.Length, s.Turn, sqlrow.Nanos(s.At))
		return err
	})
	return sqlrow.Internal(err, "add signal to candidate %s", id)
}

// DueCalls returns the calls in progress whose deadline has come.
func (db *DB) DueCalls(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT id FROM calls WHERE deadline IS NOT NULL AND ending = '' AND deadline <= $1
		ORDER BY deadline, id`, now.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("due calls: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if ids == nil {
		ids = []string{}
	}
	return ids, sqlrow.Internal(err, "due calls")
}

// PutScorecard stores s as its reviewer's scorecard of candidate id; the
// candidate's row is locked while the list is rewritten.
func (db *DB) PutScorecard(ctx context.Context, id string, s sim.Scorecard) error {
	if err := s.Check(); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var raw string
		err := tx.QueryRow(ctx, `SELECT scorecards FROM candidates WHERE id = $1 FOR UPDATE`, id).Scan(&raw)
		if errors.Is(err, pgx.ErrNoRows) {
			return sim.Errorf(sim.ENotFound, "no candidate %s", id)
		}
		if err != nil {
			return err
		}
		list, err := sqlrow.DecodeScorecards(raw)
		if err != nil {
			return err
		}
		b, err := json.Marshal(sim.WithScorecard(list, s))
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE candidates SET scorecards = $1 WHERE id = $2`, string(b), id)
		return err
	})
	return sqlrow.Internal(err, "put scorecard of candidate %s", id)
}

// AddReveal records r: one insert, the foreign key telling a missing
// assessment.
func (db *DB) AddReveal(ctx context.Context, r sim.Reveal) error {
	if err := r.Check(); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO reveals (assessment, user_name, via, at) VALUES ($1, $2, $3, $4)`,
		r.Assessment, r.User, string(r.Via), sqlrow.Nanos(r.At))
	switch {
	case violates(err, foreignKeyViolation):
		return sim.Errorf(sim.ENotFound, "no assessment %s", r.Assessment)
	case err != nil:
		return fmt.Errorf("add reveal of assessment %s: %w", r.Assessment, err)
	}
	return nil
}

// Reveals returns the assessment's reveals in the order recorded.
func (db *DB) Reveals(ctx context.Context, assessment string) ([]sim.Reveal, error) {
	rows, err := db.pool.Query(ctx, `SELECT assessment, user_name, via, at FROM reveals WHERE assessment = $1 ORDER BY id`, assessment)
	if err != nil {
		return nil, fmt.Errorf("reveals of %s: %w", assessment, err)
	}
	defer rows.Close()
	out, err := sqlrow.Collect(rows, sqlrow.ScanReveal)
	return out, sqlrow.Internal(err, "reveals of %s", assessment)
}
