package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// SIGTERM: the program tells each client with a call in progress that it
// can resume it, and only those, exits cleanly, and the call resumes on
// the program started again.
func TestSIGTERMTellsCallsToResume(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real program; not in -short")
	}
	g := goldens(t)[0]
	bin := roleplayBinary(t)
	db, addr := filepath.Join(t.TempDir(), "roleplay.db"), freeAddr(t)
	srv := startServe(t, bin, addr, db)

	inCall := &player{addr: addr, g: g}
	a, err := dialWS(addr)
	require.NoError(t, err)
	require.NoError(t, inCall.start(a))
	require.NoError(t, inCall.turn(a))

	ended := &player{addr: addr, g: golden{scenario: g.scenario, lines: g.lines[:1]}}
	b, err := dialWS(addr)
	require.NoError(t, err)
	require.NoError(t, ended.session(b)) // one line, then end
	idle, err := dialWS(addr)
	require.NoError(t, err)

	srv.terminate()
	tests := []struct {
		name      string
		conn      *wsConn
		call      string
		resumable bool
	}{
		{"a call in progress", a, inCall.id, true},
		{"a call that has ended", b, "", false},
		{"no call", idle, "", false},
	}
	for _, tt := range tests {
		m, err := tt.conn.readAny()
		require.NoError(t, err, tt.name)
		assert.Equal(t, "closing", m.Type, tt.name)
		assert.Equal(t, tt.call, m.Call, tt.name)
		assert.Equal(t, tt.resumable, m.Resumable, tt.name)
		tt.conn.close()
	}

	startServe(t, bin, addr, db)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, inCall.play(ctx))
	assert.Equal(t, 1, inCall.resumes)
	assert.Equal(t, string(g.report), string(inCall.report))
}
