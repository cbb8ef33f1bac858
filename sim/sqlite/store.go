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

// PutScenarioVersion stores v unless a version with its hash is stored.
func (db *DB) PutScenarioVersion(ctx context.Context, v sim.ScenarioVersion) error {
	if v.Hash == "" {
		return sim.Errorf(sim.EInvalid, "a scenario version needs a hash")
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO scenario_versions (hash, id, file, source, defaults)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
		v.Hash, v.ID, v.File, v.Source, v.Defaults)
	if err != nil {
		return fmt.Errorf("put scenario version %s: %w", v.Hash, err)
	}
	return nil
}

// ScenarioVersion returns the version with the given hash.
func (db *DB) ScenarioVersion(ctx context.Context, hash string) (sim.ScenarioVersion, error) {
	v := sim.ScenarioVersion{Hash: hash}
	err := db.read.QueryRowContext(ctx, `SELECT id, file, source, defaults FROM scenario_versions WHERE hash = ?`, hash).
		Scan(&v.ID, &v.File, &v.Source, &v.Defaults)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sim.ScenarioVersion{}, sim.Errorf(sim.ENotFound, "no scenario version %.12s", hash)
	case err != nil:
		return sim.ScenarioVersion{}, fmt.Errorf("scenario version %s: %w", hash, err)
	}
	return v, nil
}

// CreateCall stores c, which must have no turns and no end.
func (db *DB) CreateCall(ctx context.Context, c *sim.Call) error {
	if err := c.CheckNew(); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var known bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM scenario_versions WHERE hash = ?)`, c.Version).Scan(&known); err != nil {
			return err
		}
		if !known {
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", c.Version)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO calls (id, scenario, version, mode, trainee, assessment, token_hash, started, deadline)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Scenario, c.Version, string(c.Mode), c.Trainee, c.Assessment, c.TokenHash, sqlrow.Nanos(c.Started), sqlrow.Nanos(c.Deadline))
		if constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
			return sim.Errorf(sim.EConflict, "call %s exists already", c.ID)
		}
		return err
	})
	return sqlrow.Internal(err, "create call %s", c.ID)
}

// AppendTurn stores t as the next turn of call id, committed to disk
// before it returns. The write transaction holds the database's write lock
// from BEGIN, so no other writer, in this process or another, can store a
// turn between the check and the insert.
func (db *DB) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	if err := t.Check(); err != nil {
		return err
	}
	acts, err := json.Marshal(t.Acts)
	if err != nil {
		return fmt.Errorf("append turn %d to call %s: encode acts: %w", t.N, id, err)
	}
	override, err := sqlrow.EncodeOverride(t.Override)
	if err != nil {
		return fmt.Errorf("append turn %d to call %s: encode its correction: %w", t.N, id, err)
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var ending string
		err := tx.QueryRowContext(ctx, `SELECT ending FROM calls WHERE id = ?`, id).Scan(&ending)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return sim.Errorf(sim.ENotFound, "no call %s", id)
		case err != nil:
			return err
		case ending != "":
			return sim.Errorf(sim.EConflict, "call %s has ended", id)
		}
		var stored int
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(n), 0) FROM turns WHERE call_id = ?`, id).Scan(&stored); err != nil {
			return err
		}
		if t.N != stored+1 {
			return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so the next is %d, not %d", id, stored, stored+1, t.N)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO turns (call_id, n, said, acts, reader, at, reply, override) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			id, t.N, t.Said, string(acts), t.Reader, sqlrow.Nanos(t.At), t.Reply, override)
		if constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) { // the last guard; the checks above come first
			return sim.Errorf(sim.EConflict, "call %s has turn %d stored already", id, t.N)
		}
		return err
	})
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
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		var ending string
		err := tx.QueryRowContext(ctx, `SELECT ending FROM calls WHERE id = ?`, id).Scan(&ending)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return sim.Errorf(sim.ENotFound, "no call %s", id)
		case err != nil:
			return err
		case ending != "":
			return sim.Errorf(sim.EConflict, "call %s has ended already", id)
		}
		_, err = tx.ExecContext(ctx, `UPDATE calls SET ending = ?, ended = ?, report = ? WHERE id = ?`,
			string(end), sqlrow.Nanos(at), report, id)
		return err
	})
	return sqlrow.Internal(err, "end call %s", id)
}

// Call returns call id with its turns, read in one transaction so the
// call and its turns are of one moment.
func (db *DB) Call(ctx context.Context, id string) (*sim.Call, error) {
	c, err := db.call(ctx, id)
	return c, sqlrow.Internal(err, "call %s", id)
}

func (db *DB) call(ctx context.Context, id string) (*sim.Call, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback() // read only: nothing to commit

	c := &sim.Call{ID: id}
	err = sqlrow.ScanCall(tx.QueryRowContext(ctx, `SELECT scenario, version, mode, trainee, assessment, token_hash, started, deadline, ending, ended, report
		FROM calls WHERE id = ?`, id), c)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, sim.Errorf(sim.ENotFound, "no call %s", id)
	case err != nil:
		return nil, err
	}

	rows, err := tx.QueryContext(ctx, `SELECT n, said, acts, reader, at, reply, override FROM turns WHERE call_id = ? ORDER BY n`, id)
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

// inTx runs f in a write transaction and commits it if f returns nil.
// With synchronous=FULL the commit returns once the log is on disk.
func (db *DB) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
