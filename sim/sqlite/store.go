package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// PutScenarioVersion stores v unless a version with its hash is stored.
// Versions are never deleted and a hash names one content, so a hash this
// DB has stored once is not written again: starting a call costs no write
// for its version after the first.
func (db *DB) PutScenarioVersion(ctx context.Context, v sim.ScenarioVersion) error {
	if v.Hash == "" {
		return sim.Errorf(sim.EInvalid, "a scenario version needs a hash")
	}
	if _, ok := db.versions.Load(v.Hash); ok {
		return nil
	}
	err := db.exec(ctx, `INSERT INTO scenario_versions (hash, id, file, source, defaults)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
		v.Hash, v.ID, v.File, v.Source, v.Defaults)
	if err != nil {
		return fmt.Errorf("put scenario version %s: %w", v.Hash, err)
	}
	db.versions.Store(v.Hash, true)
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

// CreateCall stores c, which must have no turns and no end. One insert:
// the constraints tell a taken id from a missing scenario version.
func (db *DB) CreateCall(ctx context.Context, c *sim.Call) error {
	if err := c.CheckNew(); err != nil {
		return err
	}
	err := db.inTx(ctx, func(tx *wtx) error {
		_, err := tx.Exec(`INSERT INTO calls (id, scenario, version, mode, trainee, assessment, token_hash, started, deadline)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.Scenario, c.Version, string(c.Mode), c.Trainee, c.Assessment, c.TokenHash, sqlrow.Nanos(c.Started), sqlrow.Nanos(c.Deadline))
		switch {
		case constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY):
			return sim.Errorf(sim.EConflict, "call %s exists already", c.ID)
		case constraint(err, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY):
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", c.Version)
		}
		return err
	})
	return sqlrow.Internal(err, "create call %s", c.ID)
}

// AppendTurn stores t as the next turn of call id, committed to disk
// before it returns. The insert checks, in the same statement, that the
// call is in progress and t.N follows its last turn, so a turn that is
// stored costs one statement; only a refused one is read again to say
// why. The writer's transaction holds the file's write lock from BEGIN,
// so no other writer, in this process or another, can store a turn
// between the check and the insert.
func (db *DB) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	acts, override, err := sqlrow.EncodeTurn(t, fmt.Sprintf("append turn %d to call %s", t.N, id))
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx *wtx) error {
		res, err := tx.Exec(`INSERT INTO turns (call_id, n, said, acts, reader, at, reply, override)
			SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 FROM calls
			WHERE id = ?1 AND ending = '' AND ?2 = 1 + (SELECT coalesce(max(n), 0) FROM turns WHERE call_id = ?1)`,
			id, t.N, t.Said, acts, t.Reader, sqlrow.Nanos(t.At), t.Reply, override)
		if constraint(err, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) { // the last guard; the checks above come first
			return sim.Errorf(sim.EConflict, "call %s has turn %d stored already", id, t.N)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		return whyNoTurn(tx, id, t.N)
	})
	return sqlrow.Internal(err, "append turn %d to call %s", t.N, id)
}

// whyNoTurn says why turn n of call id was not stored.
func whyNoTurn(tx *wtx, id string, n int) error {
	stored, err := storedTurns(tx, id)
	if err != nil {
		return err
	}
	return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so the next is %d, not %d", id, stored, stored+1, n)
}

// whyNoEnd says why the end of call id, graded on turns turns, was not
// stored.
func whyNoEnd(tx *wtx, id string, turns int) error {
	stored, err := storedTurns(tx, id)
	switch {
	case err != nil:
		return err
	case stored == turns:
		return fmt.Errorf("no row updated, yet the call is in progress with %d turns", stored)
	}
	return sim.Errorf(sim.EConflict, "call %s has %d turns stored, not the %d its end was graded on", id, stored, turns)
}

// storedTurns is how many turns call id holds, once it is known to be in
// progress (inProgress's error otherwise).
func storedTurns(tx *wtx, id string) (int, error) {
	if err := inProgress(tx, id); err != nil {
		return 0, err
	}
	var stored int
	err := tx.QueryRow(`SELECT coalesce(max(n), 0) FROM turns WHERE call_id = ?`, id).Scan(&stored)
	return stored, err
}

// inProgress checks that call id is stored and has not ended.
func inProgress(tx *wtx, id string) error {
	var ending string
	err := tx.QueryRow(`SELECT ending FROM calls WHERE id = ?`, id).Scan(&ending)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return sim.Errorf(sim.ENotFound, "no call %s", id)
	case err != nil:
		return err
	case ending != "":
		return sim.Errorf(sim.EConflict, "call %s has ended", id)
	}
	return nil
}

// EndCall records the end of call id and its report: one update of a
// call in progress that holds turns turns, and a refused one read again
// to say why. The writer holds the file's write lock, so no turn can be
// stored between the count and the update.
func (db *DB) EndCall(ctx context.Context, id string, turns int, end sim.Ending, at time.Time, r *sim.Report) error {
	if err := sim.CheckEnd(end, at); err != nil {
		return err
	}
	report, err := sqlrow.EncodeReport(r)
	if err != nil {
		return fmt.Errorf("end call %s: encode report: %w", id, err)
	}
	err = db.inTx(ctx, func(tx *wtx) error {
		res, err := tx.Exec(`UPDATE calls SET ending = ?, ended = ?, report = ?
			WHERE id = ?4 AND ending = '' AND ?5 = (SELECT coalesce(max(n), 0) FROM turns WHERE call_id = ?4)`,
			string(end), sqlrow.Nanos(at), report, id, turns)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		return whyNoEnd(tx, id, turns)
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
	err = sqlrow.ScanCall(tx.QueryRow(`SELECT scenario, version, mode, trainee, assessment, token_hash, started, deadline, ending, ended, report
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

// inTx runs f as one write through the writer (writer.go): committed to
// disk with the writes queued beside it, or rolled back alone if f fails.
// f runs on the writer's goroutine and context, so it must not use ctx;
// ctx only bounds the wait for the writer.
func (db *DB) inTx(ctx context.Context, f func(tx *wtx) error) error {
	return db.w.do(ctx, f)
}

// exec runs one statement as a write of its own.
func (db *DB) exec(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *wtx) error {
		_, err := tx.Exec(query, args...)
		return err
	})
}
