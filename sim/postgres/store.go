package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// PutScenarioVersion stores v unless a version with its hash is stored.
func (db *DB) PutScenarioVersion(ctx context.Context, v sim.ScenarioVersion) error {
	if v.Hash == "" {
		return sim.Errorf(sim.EInvalid, "a scenario version needs a hash")
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO scenario_versions (hash, id, file, source, defaults)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING`,
		v.Hash, v.ID, v.File, v.Source, v.Defaults)
	if err != nil {
		return fmt.Errorf("put scenario version %s: %w", v.Hash, err)
	}
	return nil
}

// ScenarioVersion returns the version with the given hash.
func (db *DB) ScenarioVersion(ctx context.Context, hash string) (sim.ScenarioVersion, error) {
	v := sim.ScenarioVersion{Hash: hash}
	err := db.pool.QueryRow(ctx, `SELECT id, file, source, defaults FROM scenario_versions WHERE hash = $1`, hash).
		Scan(&v.ID, &v.File, &v.Source, &v.Defaults)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return sim.ScenarioVersion{}, sim.Errorf(sim.ENotFound, "no scenario version %.12s", hash)
	case err != nil:
		return sim.ScenarioVersion{}, fmt.Errorf("scenario version %s: %w", hash, err)
	}
	return v, nil
}

// CreateCall stores c, which must have no turns and no end. One insert:
// the constraints tell a taken id from a missing scenario version.
func (db *DB) CreateCall(ctx context.Context, c *sim.Call) error {
	if err := c.CheckNew(); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO calls (id, scenario, version, mode, trainee, assessment, token_hash, started, deadline)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		c.ID, c.Scenario, c.Version, string(c.Mode), c.Trainee, c.Assessment, c.TokenHash, sqlrow.Nanos(c.Started), sqlrow.Nanos(c.Deadline))
	switch {
	case violates(err, uniqueViolation):
		return sim.Errorf(sim.EConflict, "call %s exists already", c.ID)
	case violates(err, foreignKeyViolation):
		return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", c.Version)
	case err != nil:
		return fmt.Errorf("create call %s: %w", c.ID, err)
	}
	return nil
}

// AppendTurn stores t as the next turn of call id; it returns once the
// commit is durable (PostgreSQL's default synchronous_commit=on; do not
// turn it off for this database). The call's row is locked first, so
// appends to one call from any number of nodes take turns, and each sees
// the turns committed before it; the (call_id, n) key is the last guard.
func (db *DB) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	acts, override, err := sqlrow.EncodeTurn(t, fmt.Sprintf("append turn %d to call %s", t.N, id))
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		stored, err := lockTurns(ctx, tx, id)
		if err != nil {
			return err
		}
		if t.N != stored+1 {
			return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so the next is %d, not %d", id, stored, stored+1, t.N)
		}
		_, err = tx.Exec(ctx, `INSERT INTO turns (call_id, n, said, acts, reader, at, reply, override) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			id, t.N, t.Said, acts, t.Reader, sqlrow.Nanos(t.At), t.Reply, override)
		return err
	})
	if violates(err, uniqueViolation) {
		return sim.Errorf(sim.EConflict, "call %s has turn %d stored already", id, t.N)
	}
	return sqlrow.Internal(err, "append turn %d to call %s", t.N, id)
}

// EndCall records the end of call id and its report.
func (db *DB) EndCall(ctx context.Context, id string, end sim.Ending, at time.Time, r *sim.Report) error {
	if err := sim.CheckEnd(end, at); err != nil {
		return err
	}
	report, err := sqlrow.EncodeReport(r)
	if err != nil {
		return fmt.Errorf("end call %s: encode report: %w", id, err)
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if err := lockInProgress(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE calls SET ending = $2, ended = $3, report = $4 WHERE id = $1`,
			id, string(end), sqlrow.Nanos(at), report)
		return err
	})
	return sqlrow.Internal(err, "end call %s", id)
}

// lockInProgress locks call id's row for the rest of tx, after any
// transaction that holds it commits, and checks that the call has not
// lockTurns locks call id, which must be in progress (lockInProgress), and
// returns how many turns it has stored.
func lockTurns(ctx context.Context, tx pgx.Tx, id string) (int, error) {
	if err := lockInProgress(ctx, tx, id); err != nil {
		return 0, err
	}
	var stored int
	err := tx.QueryRow(ctx, `SELECT coalesce(max(n), 0) FROM turns WHERE call_id = $1`, id).Scan(&stored)
	return stored, err
}

// ended.
func lockInProgress(ctx context.Context, tx pgx.Tx, id string) error {
	var ending string
	err := tx.QueryRow(ctx, `SELECT ending FROM calls WHERE id = $1 FOR UPDATE`, id).Scan(&ending)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return sim.Errorf(sim.ENotFound, "no call %s", id)
	case err != nil:
		return err
	case ending != "":
		return sim.Errorf(sim.EConflict, "call %s has ended", id)
	}
	return nil
}

// Call returns call id with its turns, read in one snapshot so the call
// and its turns are of one moment.
func (db *DB) Call(ctx context.Context, id string) (*sim.Call, error) {
	var c *sim.Call
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		c, err = readCall(ctx, tx, id)
		return err
	})
	if err != nil {
		return nil, sqlrow.Internal(err, "call %s", id)
	}
	return c, nil
}

func readCall(ctx context.Context, tx pgx.Tx, id string) (*sim.Call, error) {
	c := &sim.Call{ID: id}
	err := sqlrow.ScanCall(tx.QueryRow(ctx, `SELECT scenario, version, mode, trainee, assessment, token_hash, started, deadline, ending, ended, report
		FROM calls WHERE id = $1`, id), c)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, sim.Errorf(sim.ENotFound, "no call %s", id)
	case err != nil:
		return nil, err
	}

	rows, err := tx.Query(ctx, `SELECT n, said, acts, reader, at, reply, override FROM turns WHERE call_id = $1 ORDER BY n`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := sqlrow.ScanTurn(rows)
		if err != nil {
			return nil, err
		}
		c.Turns = append(c.Turns, t)
	}
	return c, rows.Err()
}
