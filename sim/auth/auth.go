// Package auth holds the secrets of accounts: password hashes (argon2id)
// and random tokens kept only as their SHA-256. It is an adapter of sim
// (it draws on crypto/rand), used by sim/server and the command line.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/roleplay-sim/roleplay/sim"
)

// The argon2id parameters: OWASP's recommended minimum (19 MiB, two
// passes, one lane), about 30 ms a hash on a laptop. They are written into
// every hash, so raising them later still checks the old ones.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password lengths, in bytes: NIST SP 800-63B asks for at least 8 and for
// long passphrases to be allowed.
const (
	MinPassword = 8
	MaxPassword = 1024
)

// CheckPasswordRules returns an EInvalid *sim.Error when pw is too short,
// too long or not text.
func CheckPasswordRules(pw string) error {
	switch {
	case len(pw) < MinPassword:
		return sim.Errorf(sim.EInvalid, "a password has at least %d characters", MinPassword)
	case len(pw) > MaxPassword:
		return sim.Errorf(sim.EInvalid, "a password has at most %d bytes", MaxPassword)
	case !utf8.ValidString(pw):
		return sim.Errorf(sim.EInvalid, "a password must be text")
	}
	return nil
}

// HashPassword returns pw's argon2id hash in the PHC string format
// ($argon2id$v=19$m=...,t=...,p=...$salt$hash) with a fresh random salt.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordRules(pw); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether pw matches the encoded hash. A hash that is
// not one of ours (or "", an account without a password) matches nothing.
func CheckPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<21 || t > 100 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(pw) > MaxPassword {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// A dummy hash to check against when there is no account, so a login for
// a name that does not exist takes as long as one that does.
var dummyHash, _ = HashPassword("no such account, no such password")

// CheckNoPassword spends the time CheckPassword would, and reports false.
func CheckNoPassword(pw string) bool {
	CheckPassword(dummyHash, pw)
	return false
}

// tokenBytes is a token's randomness: 256 bits.
const tokenBytes = 32

// NewToken returns a fresh random token for a browser or a link and the
// SHA-256 the store keeps of it.
func NewToken() (value string, hash []byte, err error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", nil, fmt.Errorf("token: %w", err)
	}
	value = base64.RawURLEncoding.EncodeToString(b)
	return value, HashToken(value), nil
}

// HashToken is the SHA-256 of a token's value, as the store keeps it.
// Tokens are random, so a fast hash is enough: there is nothing to guess.
func HashToken(value string) []byte {
	h := sha256.Sum256([]byte(value))
	return h[:]
}

// NewID returns a random id (for comments): 128 bits in hex.
func NewID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("id: %w", err)
	}
	return fmt.Sprintf("%x", b), nil
}
