package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// AddUpload stores u as its scenario's next upload. The write connection
// is the only writer, so the number it reads is the one it writes.
func (db *DB) AddUpload(ctx context.Context, u sim.Upload) (sim.Upload, error) {
	if err := u.Check(); err != nil {
		return sim.Upload{}, err
	}
	err := db.inTx(ctx, func(tx *wtx) error {
		var id string
		err := tx.QueryRow(`SELECT id FROM scenario_versions WHERE hash = ?`, u.Hash).Scan(&id)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is not stored", u.Hash)
		case err != nil:
			return err
		case id != u.Scenario:
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is of scenario %q, not %q", u.Hash, id, u.Scenario)
		}
		if _, err := tx.Exec(`INSERT INTO uploaded_scenarios (id) VALUES (?) ON CONFLICT (id) DO NOTHING`, u.Scenario); err != nil {
			return err
		}
		if err := tx.QueryRow(`SELECT coalesce(max(n), 0) + 1 FROM uploads WHERE scenario = ?`, u.Scenario).Scan(&u.N); err != nil {
			return err
		}
		_, err = tx.Exec(`INSERT INTO uploads (scenario, n, hash, by_user, at) VALUES (?, ?, ?, ?, ?)`,
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
	rows, err := db.read.QueryContext(ctx, `SELECT s.id, coalesce(s.published, ''), u.n, u.hash, u.by_user, u.at
		FROM uploaded_scenarios s JOIN uploads u ON u.scenario = s.id ORDER BY s.id, u.n`)
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
	err := db.inTx(ctx, func(tx *wtx) error {
		var known, has bool
		if err := tx.QueryRow(`SELECT EXISTS (SELECT 1 FROM uploaded_scenarios WHERE id = ?),
			EXISTS (SELECT 1 FROM uploads WHERE scenario = ? AND hash = ?)`, id, id, hash).Scan(&known, &has); err != nil {
			return err
		}
		switch {
		case !known:
			return sim.Errorf(sim.ENotFound, "no scenario %q was uploaded", id)
		case hash != "" && !has:
			return sim.Errorf(sim.EInvalid, "scenario version %.12s is not one of the uploads of %q", hash, id)
		}
		_, err := tx.Exec(`UPDATE uploaded_scenarios SET published = ? WHERE id = ?`, sqlrow.NullString(hash), id)
		return err
	})
	return sqlrow.Internal(err, "publish scenario %q", id)
}

// RemoveUploads deletes the uploads of scenario id, then its row; the
// versions stay in scenario_versions.
func (db *DB) RemoveUploads(ctx context.Context, id string) error {
	err := db.inTx(ctx, func(tx *wtx) error {
		if _, err := tx.Exec(`DELETE FROM uploads WHERE scenario = ?`, id); err != nil {
			return err
		}
		res, err := tx.Exec(`DELETE FROM uploaded_scenarios WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return sim.Errorf(sim.ENotFound, "no scenario %q was uploaded", id)
		}
		return nil
	})
	return sqlrow.Internal(err, "remove the uploads of scenario %q", id)
}
