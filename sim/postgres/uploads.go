package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// AddUpload stores u as its scenario's next upload. The scenario's row is
// locked first, so two uploads racing on one scenario take turns and get
// different numbers.
func (db *DB) AddUpload(ctx context.Context, u sim.Upload) (sim.Upload, error) {
	if err := u.Check(); err != nil {
		return sim.Upload{}, err
	}
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var id string
		err := tx.QueryRow(ctx, `SELECT id FROM scenario_versions WHERE hash = $1`, u.Hash).Scan(&id)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", u.Hash)
		case err != nil:
			return err
		case id != u.Scenario:
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is of scenario %q, not %q", u.Hash, id, u.Scenario)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO uploaded_scenarios (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, u.Scenario); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `SELECT 1 FROM uploaded_scenarios WHERE id = $1 FOR UPDATE`, u.Scenario); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(n), 0) + 1 FROM uploads WHERE scenario = $1`, u.Scenario).Scan(&u.N); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO uploads (scenario, n, hash, by_user, at) VALUES ($1, $2, $3, $4, $5)`,
			u.Scenario, u.N, u.Hash, u.By, sqlrow.Nanos(u.At))
		return err
	})
	if err != nil {
		return sim.Upload{}, sqlrow.Internal(err, "add an upload of scenario %q", u.Scenario)
	}
	u.At = u.At.UTC()
	return u, nil
}

// UploadedScenarios returns every uploaded scenario, by id.
func (db *DB) UploadedScenarios(ctx context.Context) ([]sim.UploadedScenario, error) {
	rows, err := db.pool.Query(ctx, `SELECT s.id, coalesce(s.published, ''), u.n, u.hash, u.by_user, u.at
		FROM uploaded_scenarios s JOIN uploads u ON u.scenario = s.id ORDER BY s.id COLLATE "C", u.n`)
	if err != nil {
		return nil, sqlrow.Internal(err, "uploaded scenarios")
	}
	defer rows.Close()
	out := []sim.UploadedScenario{}
	for rows.Next() {
		if out, err = sqlrow.ScanUpload(rows, out); err != nil {
			return nil, sqlrow.Internal(err, "uploaded scenarios")
		}
	}
	return out, sqlrow.Internal(rows.Err(), "uploaded scenarios")
}

// Publish sets the published version of scenario id.
func (db *DB) Publish(ctx context.Context, id, hash string) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var known, has bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM uploaded_scenarios WHERE id = $1),
			EXISTS (SELECT 1 FROM uploads WHERE scenario = $1 AND hash = $2)`, id, hash).Scan(&known, &has); err != nil {
			return err
		}
		switch {
		case !known:
			return sim.Errorf(sim.ENotFound, "no scenario %q was uploaded", id)
		case hash != "" && !has:
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is not one of the uploads of %q", hash, id)
		}
		var published *string
		if hash != "" {
			published = &hash
		}
		_, err := tx.Exec(ctx, `UPDATE uploaded_scenarios SET published = $2 WHERE id = $1`, id, published)
		return err
	})
	return sqlrow.Internal(err, "publish scenario %q", id)
}

// RemoveUploads deletes the uploads of scenario id, then its row; the
// versions stay in scenario_versions.
func (db *DB) RemoveUploads(ctx context.Context, id string) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM uploads WHERE scenario = $1`, id); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM uploaded_scenarios WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return sim.Errorf(sim.ENotFound, "no scenario %q was uploaded", id)
		}
		return nil
	})
	return sqlrow.Internal(err, "remove the uploads of scenario %q", id)
}
