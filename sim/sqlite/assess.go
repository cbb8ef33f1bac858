package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// CreateAssessment stores a.
func (db *DB) CreateAssessment(ctx context.Context, a *sim.Assessment) error {
	if err := a.Check(); err != nil {
		return err
	}
	questions, err := json.Marshal(sqlrow.NonNil(a.Questions))
	if err != nil {
		return fmt.Errorf("create assessment %s: %w", a.ID, err)
	}
	err = db.inTx(ctx, func(tx *wtx) error {
		var known bool
		if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM scenario_versions WHERE hash = ?)`, a.Version).Scan(&known); err != nil {
			return err
		}
		if !known {
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", a.Version)
		}
		_, err := tx.Exec(`INSERT INTO assessments (id, scenario, version, time_limit, instructions, questions, created_by, created)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Scenario, a.Version, int64(a.TimeLimit), a.Instructions, string(questions), a.CreatedBy, sqlrow.Nanos(a.Created))
		if constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
			return sim.Errorf(sim.EConflict, "assessment %s exists already", a.ID)
		}
		return err
	})
	return sqlrow.Internal(err, "create assessment %s", a.ID)
}

const assessmentColumns = `id, scenario, version, time_limit, instructions, questions, created_by, created`

// Assessment returns the assessment with the given id.
func (db *DB) Assessment(ctx context.Context, id string) (*sim.Assessment, error) {
	a, err := sqlrow.ScanAssessment(db.read.QueryRowContext(ctx, `SELECT `+assessmentColumns+` FROM assessments WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sim.Errorf(sim.ENotFound, "no assessment %s", id)
	}
	return a, sqlrow.Internal(err, "assessment %s", id)
}

// Assessments returns every assessment, newest first.
func (db *DB) Assessments(ctx context.Context) ([]sim.Assessment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+assessmentColumns+` FROM assessments ORDER BY created DESC, id DESC`)
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
	err = db.inTx(ctx, func(tx *wtx) error {
		var known bool
		if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM assessments WHERE id = ?)`, c.Assessment).Scan(&known); err != nil {
			return err
		}
		if !known {
			return sim.Errorf(sim.EInvalid, "assessment %s is not stored", c.Assessment)
		}
		_, err := tx.Exec(`INSERT INTO candidates (id, seq, assessment, token_hash, claim_hash, expires, status, name, email, call_id, answers)
			VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM candidates), ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Assessment, c.TokenHash, c.ClaimHash, sqlrow.Nanos(c.Expires), string(c.Status), c.Name, c.Email, c.Call, string(answers))
		switch {
		case constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY):
			return sim.Errorf(sim.EConflict, "candidate %s exists already", c.ID)
		case constraint(err, sqlite3.SQLITE_CONSTRAINT_UNIQUE):
			return sim.Errorf(sim.EConflict, "the token is taken")
		}
		return err
	})
	return sqlrow.Internal(err, "create candidate %s", c.ID)
}

const candidateColumns = `id, assessment, token_hash, claim_hash, expires, status, name, email, call_id, answers, scorecards`

// candidate reads one candidate and its signals in one read transaction.
func (db *DB) candidate(ctx context.Context, where string, arg any) (*sim.Candidate, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() // read only: nothing to commit
	c, err := sqlrow.ScanCandidate(tx.QueryRow(`SELECT `+candidateColumns+` FROM candidates WHERE `+where, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sim.Errorf(sim.ENotFound, "no such candidate")
	}
	if err != nil {
		return nil, err
	}
	all, err := signals(ctx, tx, `s.candidate_id = ?`, c.ID)
	c.Signals = all[c.ID]
	return c, err
}

// signals returns the signals of the candidates matching where, by id.
func signals(ctx context.Context, tx *sql.Tx, where string, arg any) (map[string][]sim.Signal, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.candidate_id, s.kind, s.length, s.turn, s.at FROM signals s
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
	c, err := db.candidate(ctx, `id = ?`, id)
	return c, sqlrow.Internal(err, "candidate %s", id)
}

// CandidateByToken returns the candidate whose link has the given hash.
func (db *DB) CandidateByToken(ctx context.Context, hash []byte) (*sim.Candidate, error) {
	c, err := db.candidate(ctx, `token_hash = ?`, hash)
	return c, sqlrow.Internal(err, "candidate by token")
}

// Candidates returns an assessment's candidates in the order created.
func (db *DB) Candidates(ctx context.Context, assessment string) ([]sim.Candidate, error) {
	out, err := db.candidates(ctx, assessment)
	return out, sqlrow.Internal(err, "candidates of %s", assessment)
}

func (db *DB) candidates(ctx context.Context, assessment string) ([]sim.Candidate, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() // read only: nothing to commit
	rows, err := tx.QueryContext(ctx, `SELECT `+candidateColumns+` FROM candidates WHERE assessment = ? ORDER BY seq`, assessment)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []sim.Candidate{}
	for rows.Next() {
		c, err := sqlrow.ScanCandidate(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	all, err := signals(ctx, tx, `c.assessment = ?`, assessment)
	for i := range out {
		out[i].Signals = all[out[i].ID]
	}
	return out, err
}

// UpdateCandidate replaces the candidate if its status is still from.
func (db *DB) UpdateCandidate(ctx context.Context, c *sim.Candidate, from sim.CandidateStatus) error {
	if err := c.Check(); err != nil {
		return err
	}
	answers, err := json.Marshal(sqlrow.NonNil(c.Answers))
	if err != nil {
		return fmt.Errorf("update candidate %s: %w", c.ID, err)
	}
	err = db.inTx(ctx, func(tx *wtx) error {
		var status string
		err := tx.QueryRow(`SELECT status FROM candidates WHERE id = ?`, c.ID).Scan(&status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return sim.Errorf(sim.ENotFound, "no candidate %s", c.ID)
		case err != nil:
			return err
		case sim.CandidateStatus(status) != from:
			return sim.Errorf(sim.EConflict, "candidate %s is %s, not %s", c.ID, status, from)
		}
		_, err = tx.Exec(`UPDATE candidates SET claim_hash = ?, expires = ?, status = ?, name = ?, email = ?, call_id = ?, answers = ?
			WHERE id = ?`, c.ClaimHash, sqlrow.Nanos(c.Expires), string(c.Status), c.Name, c.Email, c.Call, string(answers), c.ID)
		return err
	})
	return sqlrow.Internal(err, "update candidate %s", c.ID)
}

// AddSignal appends s to the candidate's signals.
func (db *DB) AddSignal(ctx context.Context, id string, s sim.Signal) error {
	if err := s.Check(); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *wtx) error {
		var exists bool
		var n int
		if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM candidates WHERE id = ?), (SELECT count(*) FROM signals WHERE candidate_id = ?)`, id, id).Scan(&exists, &n); err != nil {
			return err
		}
		switch {
		case !exists:
			return sim.Errorf(sim.ENotFound, "no candidate %s", id)
		case n >= sim.MaxSignals:
			return sim.Errorf(sim.EConflict, "candidate %s has %d signals already", id, sim.MaxSignals)
		}
		_, err := tx.Exec(`INSERT INTO signals (candidate_id, n, kind, length, turn, at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, n+1, string(s.Kind), s.Length, s.Turn, sqlrow.Nanos(s.At))
		return err
	})
	return sqlrow.Internal(err, "add signal to candidate %s", id)
}

// DueCalls returns the calls in progress whose deadline has come.
func (db *DB) DueCalls(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM calls WHERE deadline IS NOT NULL AND ending = '' AND deadline <= ?
		ORDER BY deadline, id`, now.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("due calls: %w", err)
	}
	defer rows.Close()
	ids := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("due calls: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, sqlrow.Internal(rows.Err(), "due calls")
}

// PutScorecard stores s as its reviewer's scorecard of candidate id.
func (db *DB) PutScorecard(ctx context.Context, id string, s sim.Scorecard) error {
	if err := s.Check(); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *wtx) error {
		var raw string
		err := tx.QueryRow(`SELECT scorecards FROM candidates WHERE id = ?`, id).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
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
		_, err = tx.Exec(`UPDATE candidates SET scorecards = ? WHERE id = ?`, string(b), id)
		return err
	})
	return sqlrow.Internal(err, "put scorecard of candidate %s", id)
}

// AddReveal records r.
func (db *DB) AddReveal(ctx context.Context, r sim.Reveal) error {
	if err := r.Check(); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *wtx) error {
		var known bool
		if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM assessments WHERE id = ?)`, r.Assessment).Scan(&known); err != nil {
			return err
		}
		if !known {
			return sim.Errorf(sim.ENotFound, "no assessment %s", r.Assessment)
		}
		_, err := tx.Exec(`INSERT INTO reveals (assessment, user_name, via, at) VALUES (?, ?, ?, ?)`,
			r.Assessment, r.User, string(r.Via), sqlrow.Nanos(r.At))
		return err
	})
	return sqlrow.Internal(err, "add reveal of assessment %s", r.Assessment)
}

// Reveals returns the assessment's reveals in the order recorded.
func (db *DB) Reveals(ctx context.Context, assessment string) ([]sim.Reveal, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT assessment, user_name, via, at FROM reveals WHERE assessment = ? ORDER BY id`, assessment)
	if err != nil {
		return nil, fmt.Errorf("reveals of %s: %w", assessment, err)
	}
	defer rows.Close()
	out, err := sqlrow.Collect(rows, sqlrow.ScanReveal)
	return out, sqlrow.Internal(err, "reveals of %s", assessment)
}
