package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

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

// CreateCall stores c, which must have no turns and no end. It goes out
// with the other inserts queued meanwhile (appender.go); when it inserted
// nothing, a second read tells a taken id from a missing scenario version.
func (db *DB) CreateCall(ctx context.Context, c *sim.Call) error {
	if err := c.CheckNew(); err != nil {
		return err
	}
	inserted, err := db.appender.append(ctx, createCall,
		c.ID, c.Scenario, c.Version, string(c.Mode), c.Trainee, c.Assessment, c.TokenHash, sqlrow.Nanos(c.Started), sqlrow.Nanos(c.Deadline))
	switch {
	case err != nil:
		return fmt.Errorf("create call %s: %w", c.ID, err)
	case inserted == 1:
		return nil
	}
	var taken bool
	if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM calls WHERE id = $1)`, c.ID).Scan(&taken); err != nil {
		return fmt.Errorf("create call %s: %w", c.ID, err)
	}
	if taken {
		return sim.Errorf(sim.EConflict, "call %s exists already", c.ID)
	}
	return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", c.Version)
}

// createCall inserts a call, as one statement that fails on no conflict:
// nothing when the id is taken or the scenario version is not stored.
const createCall = `INSERT INTO calls (id, scenario, version, mode, trainee, assessment, token_hash, started, deadline)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM scenario_versions WHERE hash = $3)
	ON CONFLICT (id) DO NOTHING`

// AppendTurn stores t as the next turn of call id; it returns once the
// commit is durable (PostgreSQL's default synchronous_commit=on; do not
// turn it off for this database). The turn goes out with the others queued
// meanwhile, in one transaction (appender.go).
func (db *DB) AppendTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	args, err := turnArgs(id, t)
	if err != nil {
		return err
	}
	inserted, err := db.appender.append(ctx, appendTurn, args...)
	switch {
	case err != nil:
		return sqlrow.Internal(err, "append turn %d to call %s", t.N, id)
	case inserted == 1:
		return nil
	}
	return db.whyNoTurn(ctx, id, t.N)
}

// turnArgs are appendTurn's arguments for turn t of call id.
func turnArgs(id string, t sim.TurnRecord) ([]any, error) {
	acts, override, err := sqlrow.EncodeTurn(t, fmt.Sprintf("append turn %d to call %s", t.N, id))
	if err != nil {
		return nil, err
	}
	return []any{id, t.N, t.Said, acts, t.Reader, sqlrow.Nanos(t.At), t.Reply, override}, nil
}

// appendTurn inserts a turn, as one statement that fails on no conflict: it
// takes a share lock on the call's row, which keeps an end (which updates
// the row) from committing in between, and inserts the turn only if the
// call is in progress and n follows the turns it has; of two appends
// racing for the same n, the (call_id, n) key makes the second insert
// nothing. When it inserted nothing, whyNoTurn says why.
const appendTurn = `WITH c AS (SELECT id FROM calls WHERE id = $1 AND ending = '' FOR SHARE),
	s AS (SELECT coalesce(max(n), 0) AS stored FROM turns WHERE call_id = $1)
	INSERT INTO turns (call_id, n, said, acts, reader, at, reply, override)
	SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM c, s WHERE s.stored = $2 - 1
	ON CONFLICT (call_id, n) DO NOTHING`

// whyNoTurn says why turn n of call id was not inserted: the call is
// missing or has ended, or n does not follow the turns stored.
func (db *DB) whyNoTurn(ctx context.Context, id string, n int) error {
	var ending string
	var stored int
	err := db.pool.QueryRow(ctx, `SELECT ending, (SELECT coalesce(max(n), 0) FROM turns WHERE call_id = $1) FROM calls WHERE id = $1`, id).
		Scan(&ending, &stored)
	if err := inProgress(id, ending, err); err != nil {
		return sqlrow.Internal(err, "append turn %d to call %s", n, id)
	}
	switch {
	case n <= stored:
		return sim.Errorf(sim.EConflict, "call %s has turn %d stored already", id, n)
	case n != stored+1:
		return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so the next is %d, not %d", id, stored, stored+1, n)
	}
	// The turns changed between the insert and this read.
	return sim.Errorf(sim.EConflict, "call %s: turn %d does not follow the turns stored when it was written", id, n)
}

// EndCall records the end of call id and its report if the call is in
// progress and holds turns turns, and reads a refused one again to say
// why. It is two statements sent at once (one round trip, one implicit
// transaction): the first locks the call's row, waiting for any append
// that holds its share lock; the second counts the turns and updates.
// One statement would not do: a turn whose append held the row when the
// update began, and committed while it waited, is not in the update's
// snapshot (READ COMMITTED reads again only the row updated), so the
// end would be stored on one turn too few. The second statement's
// snapshot is taken after the lock, so it counts every turn committed.
func (db *DB) EndCall(ctx context.Context, id string, turns int, end sim.Ending, at time.Time, r *sim.Report) error {
	if err := sim.CheckEnd(end, at); err != nil {
		return err
	}
	report, err := sqlrow.EncodeReport(r)
	if err != nil {
		return fmt.Errorf("end call %s: encode report: %w", id, err)
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT FROM calls WHERE id = $1 FOR UPDATE`, id)
	b.Queue(`UPDATE calls SET ending = $2, ended = $3, report = $4
		WHERE id = $1 AND ending = '' AND $5 = (SELECT coalesce(max(n), 0) FROM turns WHERE call_id = $1)`,
		id, string(end), sqlrow.Nanos(at), report, turns)
	br := db.pool.SendBatch(ctx, b)
	_, err = br.Exec()
	var tag pgconn.CommandTag
	if err == nil {
		tag, err = br.Exec()
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	switch {
	case err != nil:
		return sqlrow.Internal(err, "end call %s", id)
	case tag.RowsAffected() == 1:
		return nil
	}
	var ending string
	var stored int
	err = db.pool.QueryRow(ctx, `SELECT ending, (SELECT coalesce(max(n), 0) FROM turns WHERE call_id = $1) FROM calls WHERE id = $1`, id).Scan(&ending, &stored)
	if err := inProgress(id, ending, err); err != nil {
		return sqlrow.Internal(err, "end call %s", id)
	}
	if stored != turns {
		return sim.Errorf(sim.EConflict, "call %s has %d turns stored, not the %d its end was graded on", id, stored, turns)
	}
	// Ended and read again in between, or a turn stored and then taken
	// back: neither happens, but if it did, trying again is right.
	return sim.Errorf(sim.EConflict, "call %s changed while its end was stored", id)
}

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

// lockInProgress locks call id's row for the rest of tx, after any
// transaction that holds it commits, and checks that the call has not
// ended.
func lockInProgress(ctx context.Context, tx pgx.Tx, id string) error {
	var ending string
	err := tx.QueryRow(ctx, `SELECT ending FROM calls WHERE id = $1 FOR UPDATE`, id).Scan(&ending)
	return inProgress(id, ending, err)
}

// inProgress says what reading call id's ending (ending, or err) means to
// a write that needs the call in progress: ENotFound for no such call,
// EConflict for one that has ended, err for a failed read, nil otherwise.
func inProgress(id, ending string, err error) error {
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
