package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/sqlrow"
)

// ReplaceLastTurn replaces turn t.N of call id, if it is the last stored
// and the call is in progress. The call's row is locked first, as
// AppendTurn and EndCall lock it, so no turn or end of the call can be
// stored by any node between the checks and the update.
func (db *DB) ReplaceLastTurn(ctx context.Context, id string, t sim.TurnRecord) error {
	acts, override, err := sqlrow.EncodeTurn(t, fmt.Sprintf("replace turn %d of call %s", t.N, id))
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		stored, err := lockTurns(ctx, tx, id)
		if err != nil {
			return err
		}
		if t.N != stored {
			return sim.Errorf(sim.EConflict, "call %s has %d turns stored, so only turn %d can be replaced, not %d", id, stored, stored, t.N)
		}
		_, err = tx.Exec(ctx, `UPDATE turns SET said = $3, acts = $4, reader = $5, at = $6, reply = $7, override = $8 WHERE call_id = $1 AND n = $2`,
			id, t.N, t.Said, acts, t.Reader, sqlrow.Nanos(t.At), t.Reply, override)
		return err
	})
	return sqlrow.Internal(err, "replace turn %d of call %s", t.N, id)
}
