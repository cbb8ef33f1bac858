package postgres_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/postgres"
	"github.com/roleplay-sim/roleplay/sim/storetest"
)

// The server the tests use: a real one, never a mock.
const defaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

var ctx = context.Background()

// serverURL returns the test server's url, skipping the test if no server
// answers there; in CI (CI set) a missing server fails the test instead,
// so CI cannot pass without testing PostgreSQL.
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("ROLEPLAY_TEST_POSTGRES")
	if u == "" {
		u = defaultURL
	}
	cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, u)
	if err != nil {
		msg := "no PostgreSQL to test against (set ROLEPLAY_TEST_POSTGRES, or start one as .ci/run does): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	conn.Close(ctx)
	return u
}

// freshSchema creates a schema of its own for one test, dropped when the
// test ends, and returns the url with it as the search_path, so test runs
// never see each other's tables.
func freshSchema(t testing.TB) string {
	t.Helper()
	u := serverURL(t)
	name := "roleplay_test_" + strings.ToLower(rand.Text()[:16])
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{name}.Sanitize())
	require.NoError(t, err)
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, u)
		require.NoError(t, err)
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize()+" CASCADE")
		assert.NoError(t, err, "drop schema %s", name)
	})
	return withSearchPath(t, u, name)
}

func withSearchPath(t testing.TB, u, schema string) string {
	if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		return u + " search_path=" + schema // key=value form
	}
	parsed, err := url.Parse(u)
	require.NoError(t, err)
	q := parsed.Query()
	q.Set("search_path", schema)
	parsed.RawQuery = q.Encode()
	return parsed.String()
}

func open(t testing.TB, u string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(ctx, u)
	require.NoError(t, err)
	return db
}

func TestStore(t *testing.T) {
	serverURL(t) // skip once, not in every subtest
	storetest.Run(t, func(t *testing.T) sim.Store { return open(t, freshSchema(t)) })
}

// TestTwoNodes is two server processes on one database.
func TestTwoNodes(t *testing.T) {
	u := freshSchema(t)
	a, b := open(t, u), open(t, u)
	t.Cleanup(func() { a.Close(); b.Close() })
	storetest.RunShared(t, a, b)
}

// TestServersStartingAtOnce: several Opens on a new database at once all
// succeed, and the schema is applied once.
func TestServersStartingAtOnce(t *testing.T) {
	u := freshSchema(t)
	const servers = 6
	errs := make([]error, servers)
	var wg sync.WaitGroup
	for i := range servers {
		wg.Go(func() {
			db, err := postgres.Open(ctx, u)
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "server %d", i)
	}
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7}, schemaVersions(t, u))
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	u := freshSchema(t)
	open(t, u).Close()
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `INSERT INTO schema_version (version, name) VALUES (99, 'from the future')`)
	require.NoError(t, err)
	_, err = postgres.Open(ctx, u)
	assert.ErrorContains(t, err, "schema version 99")
}

func TestOpenNamesNoPassword(t *testing.T) {
	_, err := postgres.Open(ctx, "postgres://someone:s3cret-pw@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "s3cret-pw")
	assert.Equal(t, "internal error", sim.ErrorMessage(err))
}

func schemaVersions(t *testing.T, u string) []int {
	t.Helper()
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT version FROM schema_version ORDER BY version`)
	require.NoError(t, err)
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	return versions
}

// TestUpgradeTo5: a database written before corrections (schema 4) gains
// the override column (and the later migrations); its turns read back as
// read, and can be corrected.
func TestUpgradeTo5(t *testing.T) {
	u := freshSchema(t)
	db := open(t, u)
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	require.NoError(t, db.AppendTurn(ctx, "c1", sim.TurnRecord{N: 1, Said: "hello", Acts: []sim.Detection{{Act: sim.Other}}, At: time.Now()}))
	db.Close()
	conn, err := pgx.Connect(ctx, u) // back to schema 4, as an older server left it
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `DROP TABLE login_tries; DROP TABLE reveals; ALTER TABLE turns DROP COLUMN override; DELETE FROM schema_version WHERE version >= 5`)
	require.NoError(t, err)
	conn.Close(ctx)
	require.Equal(t, []int{1, 2, 3, 4}, schemaVersions(t, u))

	db = open(t, u)
	defer db.Close()
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7}, schemaVersions(t, u))
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
}

// TestTurnsCommittedTogether: the turns of many calls at once share
// commits, and each reads back.
func TestTurnsCommittedTogether(t *testing.T) {
	db := open(t, freshSchema(t))
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	const calls, turns = 64, 5
	for i := range calls {
		require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: fmt.Sprint("c", i), Version: "h1", Mode: sim.Training, Started: time.Now()}))
	}
	var wg sync.WaitGroup
	errs := make([]error, calls)
	for i := range calls {
		wg.Go(func() {
			for n := 1; n <= turns && errs[i] == nil; n++ {
				errs[i] = db.AppendTurn(ctx, fmt.Sprint("c", i), storetest.BenchTurn(n))
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "call %d", i)
		c, err := db.Call(ctx, fmt.Sprint("c", i))
		require.NoError(t, err)
		assert.Len(t, c.Turns, turns, "call %d", i)
	}
	assert.Positive(t, postgres.AppendBatches(db), "batches of more than one turn")
}

// TestABadTurnFailsAlone: a turn PostgreSQL refuses (text with a NUL)
// rolls its batch back, and the others of the batch are stored all the
// same, each on its own; a turn that does not follow is told why.
func TestABadTurnFailsAlone(t *testing.T) {
	db := open(t, freshSchema(t))
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	bad := storetest.BenchTurn(2)
	bad.Reply = "a reply with a \x00 in it"
	inserted, errs := postgres.AppendTogether(db, "c1", storetest.BenchTurn(1), bad, storetest.BenchTurn(2), storetest.BenchTurn(4))
	assert.Equal(t, []int64{1, 0, 1, 0}, inserted)
	assert.NoError(t, errs[0])
	assert.Error(t, errs[1], "the turn with a NUL")
	assert.NoError(t, errs[2])
	assert.NoError(t, errs[3], "inserting nothing is not an error")
	c, err := db.Call(ctx, "c1")
	require.NoError(t, err)
	require.Len(t, c.Turns, 2)
	assert.Equal(t, storetest.BenchTurn(2).Reply, c.Turns[1].Reply)
	assert.Equal(t, sim.EConflict, sim.ErrorCodeOf(db.AppendTurn(ctx, "c1", storetest.BenchTurn(2))), "turn 2 again")
	assert.Equal(t, sim.EConflict, sim.ErrorCodeOf(db.AppendTurn(ctx, "c1", storetest.BenchTurn(4))), "turn 4 before 3")
	assert.Equal(t, sim.ENotFound, sim.ErrorCodeOf(db.AppendTurn(ctx, "c2", storetest.BenchTurn(1))), "no such call")
}

// TestObserveBatches: the observer hears of each batch of inserts, with
// how many it held, before their callers are told; nil stops it.
func TestObserveBatches(t *testing.T) {
	db := open(t, freshSchema(t))
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	var sizes []int // written by the appender, read once its inserts returned
	db.ObserveBatches(func(writes int, took time.Duration) {
		sizes = append(sizes, writes)
		assert.Positive(t, took)
	})
	require.NoError(t, db.CreateCall(ctx, &sim.Call{ID: "c1", Version: "h1", Mode: sim.Training, Started: time.Now()}))
	_, errs := postgres.AppendTogether(db, "c1", storetest.BenchTurn(1), storetest.BenchTurn(2), storetest.BenchTurn(3))
	require.NoError(t, errors.Join(errs...))
	assert.Equal(t, []int{1, 3}, sizes, "the new call alone, then the three turns together")

	db.ObserveBatches(nil)
	require.NoError(t, db.AppendTurn(ctx, "c1", storetest.BenchTurn(4)))
	assert.Len(t, sizes, 2)
}

// TestUpgradeTo6: a database written before reveals were kept (schema 5),
// with an assessment in it, gains the reveals table: the assessment has
// none, and its reveals are recorded from then on.
func TestUpgradeTo6(t *testing.T) {
	u := freshSchema(t)
	db := open(t, u)
	require.NoError(t, db.PutScenarioVersion(ctx, sim.ScenarioVersion{Hash: "h1"}))
	a := &sim.Assessment{ID: "a1", Scenario: "s", Version: "h1", TimeLimit: time.Minute, Created: time.Now()}
	require.NoError(t, db.CreateAssessment(ctx, a))
	db.Close()
	conn, err := pgx.Connect(ctx, u) // back to schema 5, as an older server left it
	require.NoError(t, err)
	_, err = conn.Exec(ctx, `DROP TABLE login_tries; DROP TABLE reveals; DELETE FROM schema_version WHERE version >= 6`)
	require.NoError(t, err)
	conn.Close(ctx)
	require.Equal(t, []int{1, 2, 3, 4, 5}, schemaVersions(t, u))

	db = open(t, u)
	defer db.Close()
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7}, schemaVersions(t, u))
	got, err := db.Reveals(ctx, "a1")
	require.NoError(t, err)
	assert.Empty(t, got)
	r := sim.Reveal{Assessment: "a1", User: "tess", Via: sim.RevealReview, At: time.Date(2026, 12, 1, 20, 5, 0, 0, time.UTC)}
	require.NoError(t, db.AddReveal(ctx, r))
	got, err = db.Reveals(ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, []sim.Reveal{r}, got)
}

// TestLoginTriesShared: two servers on one database spend sign-in tries
// from one bucket per key: five between them, then none, one more a
// refill later; a clock behind the last try gains nothing; a bucket full
// again is forgotten.
func TestLoginTriesShared(t *testing.T) {
	u := freshSchema(t)
	a, b := open(t, u), open(t, u)
	t.Cleanup(func() { a.Close(); b.Close() })
	at := time.Date(2026, 12, 1, 21, 0, 0, 0, time.UTC)
	take := func(db *postgres.DB, key string, at time.Time) bool {
		t.Helper()
		ok, err := db.TakeLoginTry(ctx, key, at, 5, 30*time.Second)
		require.NoError(t, err)
		return ok
	}
	for i := range 5 {
		assert.True(t, take([]*postgres.DB{a, b}[i%2], "name:ana", at), "try %d", i+1)
	}
	assert.False(t, take(a, "name:ana", at), "the sixth, on one server")
	assert.False(t, take(b, "name:ana", at), "and on the other")
	assert.True(t, take(b, "name:bo", at), "another key")
	assert.True(t, take(a, "name:ana", at.Add(30*time.Second)), "one try back after 30 s")
	assert.False(t, take(b, "name:ana", at.Add(30*time.Second)))
	assert.False(t, take(b, "name:ana", at.Add(-time.Hour)), "a clock behind gains nothing")

	assert.True(t, take(a, "name:cy", at.Add(time.Hour)), "a new key, an hour on")
	conn, err := pgx.Connect(ctx, u)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var keys []string
	rows, err := conn.Query(ctx, `SELECT key FROM login_tries ORDER BY key`)
	require.NoError(t, err)
	for rows.Next() {
		var k string
		require.NoError(t, rows.Scan(&k))
		keys = append(keys, k)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, []string{"name:cy"}, keys, "buckets full again are forgotten")

	_, err = a.TakeLoginTry(ctx, "name:ana", at, 0, time.Second)
	assert.Equal(t, sim.EInvalid, sim.ErrorCodeOf(err))
}
