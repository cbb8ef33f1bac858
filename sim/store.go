package sim

import (
	"context"
	"time"
)

// A CallStore keeps calls, turn by turn. Every method is safe for
// concurrent use, also from several processes on one database where the
// store allows that. Failures are *Error with ENotFound or EConflict where
// the caller can act on them; anything else is internal.
type CallStore interface {
	// CreateCall stores a new call with no turns and no end. Its scenario
	// version must be stored already. EConflict if the id is taken.
	CreateCall(ctx context.Context, c *Call) error
	// AppendTurn stores turn t of call id. It is stored only if t.N is one
	// more than the turns stored so far and the call has not ended;
	// otherwise EConflict, so two writers can never both store turn n.
	// ENotFound if there is no such call.
	AppendTurn(ctx context.Context, id string, t TurnRecord) error
	// ReplaceLastTurn replaces turn t.N of call id with t: a turn played
	// again as the trainee meant it (correct.go). It replaces it only if
	// t.N is the last turn stored and the call has not ended; otherwise
	// EConflict, so a correction never overwrites a turn another writer
	// stored after it. ENotFound if there is no such call.
	ReplaceLastTurn(ctx context.Context, id string, t TurnRecord) error
	// EndCall records how call id ended, when, and its report, graded on
	// the call's first turns turns. EConflict if it has ended already or
	// holds other than turns turns (another writer went on with it, so the
	// report is not the call's); ENotFound if there is no such call.
	EndCall(ctx context.Context, id string, turns int, end Ending, at time.Time, r *Report) error
	// Call returns the call with all its turns, and its report once ended.
	// ENotFound if there is none.
	Call(ctx context.Context, id string) (*Call, error)
}

// A ScenarioStore keeps every scenario version a call has run on, so old
// calls keep loading after a scenario or the defaults change.
type ScenarioStore interface {
	// PutScenarioVersion stores v; storing a version already stored is a
	// no-op, so callers need not ask first.
	PutScenarioVersion(ctx context.Context, v ScenarioVersion) error
	// ScenarioVersion returns the version with the given hash; ENotFound
	// if there is none.
	ScenarioVersion(ctx context.Context, hash string) (ScenarioVersion, error)
}

// A LoginThrottle is a store that keeps sign-in tries for every server on
// it, so that several servers on one database hold a guesser to one
// budget rather than one each.
type LoginThrottle interface {
	// TakeLoginTry spends a try of key at now from a bucket of burst tries
	// that gains one every every, and reports whether there was one.
	TakeLoginTry(ctx context.Context, key string, now time.Time, burst int, every time.Duration) (bool, error)
}

// A Store is everything the server keeps.
type Store interface {
	CallStore
	ScenarioStore
	UserStore       // accounts, tokens, settings (user.go)
	ReviewStore     // lists of calls, trainers' comments and scores (review.go)
	UploadStore     // scenarios uploaded from the page (upload.go)
	AssessmentStore // hiring assessments and their candidates (assessment.go)
	// Close releases the store's resources.
	Close() error
}
