package postgres

import (
	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/internal/batch"
)

// AppendTogether commits the turns as one batch of the appender, as if
// they had been queued at once, and returns each turn's rows inserted and
// error.
func AppendTogether(db *DB, id string, turns ...sim.TurnRecord) ([]int64, []error) {
	ops := make([]*batch.Op[appendOp, appendResult], len(turns))
	for i, t := range turns {
		args, _ := turnArgs(id, t)
		ops[i] = batch.NewOp[appendOp, appendResult](appendOp{sql: appendTurn, args: args})
	}
	db.appender.commit(ops)
	inserted, errs := make([]int64, len(ops)), make([]error, len(ops))
	for i, o := range ops {
		r := o.Result()
		inserted[i], errs[i] = r.inserted, r.err
	}
	return inserted, errs
}

// AppendBatches is how many batches of more than one insert db committed.
func AppendBatches(db *DB) int64 { return db.appender.batches.Load() }
