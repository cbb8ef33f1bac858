package main

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PostgreSQL the two-node test uses: a real server, never a mock.
const defaultPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// Two 'roleplay serve' processes on one PostgreSQL database: a call starts
// on node A, A is killed with SIGKILL mid-call, and the call resumes on
// node B, with every acknowledged turn, and finishes there with the report
// of the same call played without interruption.
func TestTwoNodesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real program; not in -short")
	}
	db := freshPostgresSchema(t)
	bin := roleplayBinary(t)
	g := goldens(t)[0]
	for _, candidate := range goldens(t) { // a long call, to cut in the middle
		if len(candidate.lines) > len(g.lines) {
			g = candidate
		}
	}
	a := startServe(t, bin, freeAddr(t), db)
	b := startServe(t, bin, freeAddr(t), db)

	// Half the call on A.
	half := len(g.lines) / 2
	onA := &player{addr: a.addr, g: golden{name: g.name, scenario: g.scenario, lines: g.lines[:half]}}
	c, err := dialWS(a.addr)
	require.NoError(t, err)
	require.NoError(t, onA.start(c))
	for onA.said < half {
		require.NoError(t, onA.turn(c))
	}
	a.kill()
	c.close()

	// The rest on B.
	onB := &player{addr: b.addr, g: g, id: onA.id, token: onA.token, acked: onA.acked, said: onA.said}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, onB.play(ctx))
	assert.Equal(t, 1, onB.resumes)
	assert.Equal(t, half, onB.verified, "every turn acknowledged on A is there on B")
	assert.Equal(t, string(g.report), string(onB.report), "the call grades as if never interrupted")
	b.terminate()
	assert.Contains(t, a.output(), `calls="PostgreSQL postgres://`)
	assert.Contains(t, b.output(), `calls="PostgreSQL postgres://`)
}

// freshPostgresSchema is the test database's url with a schema of its own,
// created for the test and dropped after it. Without a server the test is
// skipped, unless CI is set: then it fails, so CI cannot pass untested.
func freshPostgresSchema(t *testing.T) string {
	t.Helper()
	u := os.Getenv("ROLEPLAY_TEST_POSTGRES")
	if u == "" {
		u = defaultPostgres
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		msg := "no PostgreSQL to test against (set ROLEPLAY_TEST_POSTGRES, or start one as .ci/run does): " + err.Error()
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	defer conn.Close(context.Background())
	schema := "roleplay_nodes_" + strings.ToLower(rand.Text()[:16])
	_, err = conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, u)
		require.NoError(t, err)
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE")
		assert.NoError(t, err, "drop schema %s", schema)
	})
	parsed, err := url.Parse(u)
	require.NoError(t, err, "ROLEPLAY_TEST_POSTGRES must be a postgres:// url")
	q := parsed.Query()
	q.Set("search_path", schema)
	parsed.RawQuery = q.Encode()
	return parsed.String()
}
