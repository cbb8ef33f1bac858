package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim/sqlite"
)

func TestPing(t *testing.T) {
	db, err := sqlite.Open(filepath.Join(t.TempDir(), "calls.db"))
	require.NoError(t, err)
	assert.NoError(t, db.Ping(context.Background()))
	require.NoError(t, db.Close())
	assert.Error(t, db.Ping(context.Background()), "a closed store is not ready")
}
