package auth_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/auth"
)

func TestPassword(t *testing.T) {
	h, err := auth.HashPassword("correct horse battery")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"), h)
	assert.True(t, auth.CheckPassword(h, "correct horse battery"))
	assert.False(t, auth.CheckPassword(h, "correct horse battery "))
	assert.False(t, auth.CheckPassword(h, ""))
	other, err := auth.HashPassword("correct horse battery")
	require.NoError(t, err)
	assert.NotEqual(t, h, other, "a fresh salt each time")
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=0,t=1,p=1$AA$AA", "plain"} {
		assert.False(t, auth.CheckPassword(bad, "correct horse battery"), bad)
	}
	_, err = auth.HashPassword("short")
	assert.Equal(t, sim.EInvalid, sim.ErrorCodeOf(err))
	assert.False(t, auth.CheckNoPassword("anything"))
}

func TestToken(t *testing.T) {
	v, h, err := auth.NewToken()
	require.NoError(t, err)
	assert.Len(t, v, 43)
	assert.Equal(t, h, auth.HashToken(v))
	v2, _, err := auth.NewToken()
	require.NoError(t, err)
	assert.NotEqual(t, v, v2)
}
