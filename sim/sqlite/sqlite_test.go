package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
	"github.com/roleplay-sim/roleplay/sim/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) sim.Store {
		db, err := sqlite.Open(filepath.Join(t.TempDir(), "roleplay.db"))
		require.NoError(t, err)
		return db
	})
}

var ctx = context.Background()

func TestOpenCreatesTheDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "deeper", "roleplay.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	assert.FileExists(t, path)
}

func TestOpenRefusesAPathWithAQuestionMark(t *testing.T) {
	_, err := sqlite.Open(filepath.Join(t.TempDir(), "what?.db"))
	assert.Error(t, err)
}

// TestReopen: what one DB wrote, the next one on the file reads, and
// opening again applies no migration twice.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	require.NoError(t, db.AppendTurn(ctx, "c1", sim.TurnRecord{N: 1, Said: "hello", At: time.Now()}))
	require.NoError(t, db.Close())

	for range 2 {
		db, err = sqlite.Open(path)
		require.NoError(t, err)
		c, err := db.Call(ctx, "c1")
		require.NoError(t, err)
		assert.Len(t, c.Turns, 1)
		require.NoError(t, db.Close())
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, schemaVersions(t, path))
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	raw := rawOpen(t, path)
	_, err = raw.Exec(`INSERT INTO schema_version (version, name) VALUES (99, 'from the future')`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())

	_, err = sqlite.Open(path)
	assert.ErrorContains(t, err, "schema version 99")
}

// TestDurableSettings reads back, on a connection of its own, what the
// file was left with: WAL persists in the file.
func TestDurableSettings(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	defer db.Close()
	var mode string
	require.NoError(t, rawOpen(t, path).QueryRow(`PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode)
}

func rawOpen(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	t.Cleanup(func() { raw.Close() })
	return raw
}

func schemaVersions(t *testing.T, path string) []int {
	t.Helper()
	rows, err := rawOpen(t, path).Query(`SELECT version FROM schema_version ORDER BY version`)
	require.NoError(t, err)
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		require.NoError(t, rows.Scan(&v))
		out = append(out, v)
	}
	require.NoError(t, rows.Err())
	return out
}

// TestTwoStoresOnOneFile is two processes' worth of stores on one file,
// as when an old server is still shutting down while a new one starts.
// The file's write lock, taken at BEGIN, lets one writer store each turn;
// the other waits (busy_timeout) rather than failing for being busy.
func TestTwoStoresOnOneFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	var dbs [2]*sqlite.DB
	for i := range dbs {
		db, err := sqlite.Open(path)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	storetest.RunShared(t, dbs[0], dbs[1])
}

// TestUpgradeTo5: a file written before corrections (schema 4) gains the
// override column (and the later migrations); its turns read back as read,
// and can be corrected.
func TestUpgradeTo5(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	require.NoError(t, db.AppendTurn(ctx, "c1", sim.TurnRecord{N: 1, Said: "hello", Acts: []sim.Detection{{Act: sim.Other}}, At: time.Now()}))
	require.NoError(t, db.Close())
	raw := rawOpen(t, path) // back to schema 4, as an older server left it
	_, err = raw.Exec(`DROP TABLE reveals; ALTER TABLE turns DROP COLUMN override; DELETE FROM schema_version WHERE version >= 5`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())
	require.Equal(t, []int{1, 2, 3, 4}, schemaVersions(t, path))

	db, err = sqlite.Open(path)
	require.NoError(t, err)
	defer db.Close()
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, schemaVersions(t, path))
	c, err := db.Call(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, c.Turns, 1)
	assert.Nil(t, c.Turns[0].Override)
	fixed := c.Turns[0]
	fixed.Acts = []sim.Detection{{Act: sim.Problem}}
	fixed.Override = &sim.Override{Read: c.Turns[0].Acts, At: time.Now()}
	require.NoError(t, db.ReplaceLastTurn(ctx, "c1", fixed))
	c, err = db.Call(ctx, "c1")
	require.NoError(t, err)
	require.NotNil(t, c.Turns[0].Override)
	assert.Equal(t, sim.Problem, c.Turns[0].Acts[0].Act)
}

// TestCloseCheckpoints: closing the store leaves everything in the file
// itself, the log checkpointed and removed, as SQLite does when the last
// connection closes with no statement left open.
func TestCloseCheckpoints(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	require.NoError(t, db.AppendTurn(ctx, "c1", sim.TurnRecord{N: 1, Said: "hello", At: time.Now()}))
	require.NoError(t, db.Close())
	assert.NoFileExists(t, path+"-wal")
}

// TestUpgradeTo6: a file written before reveals were kept (schema 5), with
// an assessment in it, gains the reveals table: the assessment has none,
// and its reveals are recorded from then on.
func TestUpgradeTo6(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roleplay.db")
	db, err := sqlite.Open(path)
	require.NoError(t, err)
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	a := &sim.Assessment{ID: "a1", Scenario: "s", Version: "h1", TimeLimit: time.Minute, Created: time.Now()}
	require.NoError(t, db.CreateAssessment(ctx, a))
	require.NoError(t, db.Close())
	raw := rawOpen(t, path) // back to schema 5, as an older server left it
	_, err = raw.Exec(`DROP TABLE reveals; DELETE FROM schema_version WHERE version = 6`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())
	require.Equal(t, []int{1, 2, 3, 4, 5}, schemaVersions(t, path))

	db, err = sqlite.Open(path)
	require.NoError(t, err)
	defer db.Close()
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6}, schemaVersions(t, path))
	got, err := db.Reveals(ctx, "a1")
	require.NoError(t, err)
	assert.Empty(t, got)
	r := sim.Reveal{Assessment: "a1", User: "tess", Via: sim.RevealReview, At: time.Date(2026, 12, 1, 20, 5, 0, 0, time.UTC)}
	require.NoError(t, db.AddReveal(ctx, r))
	got, err = db.Reveals(ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, []sim.Reveal{r}, got)
}
