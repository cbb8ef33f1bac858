package sqlite

import (
	"context"
	"fmt"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// ReplaceLastTurn replaces turn t.N of call id, if it is the last stored
// and the call is in progress, as one write of the writer's transaction:
// it holds the database's write lock from BEGIN, so no turn or end can be
// stored between the checks and the update.
func (db *DB) ReplaceLastTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	acts, override, err := sqlrow.EncodeTurn(t, fmt.Sprintf("replace turn %d of call %s", t.N, id))
	if err != nil {
		return err
	}
	err = db.inTx(ctx, func(tx *wtx) error {
		if err := inProgress(tx, id); err != nil {
			return err
		}
		var stored int
		if err := tx.QueryRow(`SELECT coalesce(max(n), 0) FROM turns WHERE call_id = ?`, id).Scan(&stored); err != nil {
			return err
		}
		if t.N != stored {
			return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so only turn %d can be replaced, not %d", id, stored, stored, t.N)
		}
		_, err := tx.Exec(`UPDATE turns SET said = ?, acts = ?, reader = ?, at = ?, reply = ?, override = ? WHERE call_id = ? AND n = ?`,
			t.Said, acts, t.Reader, sqlrow.Nanos(t.At), t.Reply, override, id, t.N)
		return err
	})
	return sqlrow.Internal(err, "replace turn %d of call %s", t.N, id)
}
