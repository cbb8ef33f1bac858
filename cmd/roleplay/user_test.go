package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

func TestUserAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "roleplay.db")
	code, out, errs := roleplay(t, "a long enough password\n", "user", "add", "--name", "ana", "--role", "trainee", "--team", "north", "--team", "south", "--password-stdin", "--db", db)
	require.Equal(t, exitOK, code, errs)
	assert.Equal(t, "added trainee ana\n", out)

	code, out, errs = roleplay(t, "", "user", "add", "--name", "coach", "--role", "trainer", "--db", db, "--url", "https://rp.example/")
	require.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "https://rp.example/#/accept/")

	code, _, errs = roleplay(t, "", "user", "add", "--name", "ana", "--role", "trainee", "--db", db)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, errs, `there is a user named "ana" already`)
	code, _, _ = roleplay(t, "", "user", "add", "--name", "x", "--role", "boss", "--db", db)
	assert.Equal(t, exitUsage, code)
	code, _, errs = roleplay(t, "short\n", "user", "add", "--name", "y", "--role", "admin", "--password-stdin", "--db", db)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "at least 8")

	store, err := sqlite.Open(db)
	require.NoError(t, err)
	defer store.Close()
	u, err := store.User(context.Background(), "ana")
	require.NoError(t, err)
	assert.Equal(t, []string{"north", "south"}, u.Teams)
	assert.True(t, auth.CheckPassword(u.PasswordHash, "a long enough password"))
	c, err := store.User(context.Background(), "coach")
	require.NoError(t, err)
	assert.Equal(t, sim.Trainer, c.Role)
	assert.Empty(t, c.PasswordHash)
}
