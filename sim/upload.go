package sim

import (
	"context"
	"time"
)

// Scenarios managed in the browser: a trainer or admin uploads a persona's
// TOML, each valid upload is a new version (a ScenarioVersion, stored once
// by its hash), and at most one version of a scenario is published, the one
// trainees see. Old versions stay, so the calls played on them keep
// replaying.

// An Upload is one version of a scenario put on the server from the page:
// which, who, when. Uploads of a scenario are numbered 1, 2, ... in the
// order they were made; uploading a version again makes a new upload of the
// same hash (it is the newest again).
type Upload struct {
	Scenario string    `json:"scenario"` // the scenario's id
	N        int       `json:"n"`
	Hash     string    `json:"hash"` // the ScenarioVersion's hash
	By       string    `json:"by"`   // the user's name
	At       time.Time `json:"at"`
}

// Check returns an EInvalid *Error saying what makes u unfit to be
// stored, or nil. N is the store's to set.
func (u *Upload) Check() error {
	switch {
	case u.Scenario == "":
		return Errorf(EInvalid, "an upload needs its scenario's id")
	case u.Hash == "":
		return Errorf(EInvalid, "an upload needs its scenario version")
	case u.By == "":
		return Errorf(EInvalid, "an upload needs who made it")
	}
	return checkTime("upload", u.At)
}

// An UploadedScenario is a scenario that has uploads: every one of them,
// oldest first, and the hash of the published version ("" for a draft
// that trainees do not see).
type UploadedScenario struct {
	ID        string   `json:"id"`
	Uploads   []Upload `json:"uploads"`
	Published string   `json:"published"`
}

// Latest is the newest upload.
func (s *UploadedScenario) Latest() Upload { return s.Uploads[len(s.Uploads)-1] }

// Has reports whether hash is one of the scenario's uploads.
func (s *UploadedScenario) Has(hash string) bool {
	for _, u := range s.Uploads {
		if u.Hash == hash {
			return true
		}
	}
	return false
}

// An UploadStore keeps the scenarios uploaded from the page. Failures are
// *Error with ENotFound or EInvalid where the caller can act on them;
// anything else is internal.
type UploadStore interface {
	// AddUpload stores u as the scenario's next upload and returns it with
	// its number. Its version must be stored already, and be a version of
	// that scenario (EInvalid otherwise).
	// Two uploads racing on one scenario get different numbers.
	AddUpload(ctx context.Context, u Upload) (Upload, error)
	// UploadedScenarios returns every scenario with uploads, ordered by id.
	UploadedScenarios(ctx context.Context) ([]UploadedScenario, error)
	// Publish makes the version hash of scenario id the one trainees see,
	// or, with hash "", none. ENotFound if id has no uploads; EInvalid if
	// hash is not one of them.
	Publish(ctx context.Context, id, hash string) error
	// RemoveUploads removes every upload of scenario id and its published
	// mark, as if it had never been uploaded; ENotFound if id has no
	// uploads. The versions stay in the ScenarioStore: the calls played
	// on them keep loading.
	RemoveUploads(ctx context.Context, id string) error
}
