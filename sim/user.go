package sim

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user may do.
type Role string

// The roles.
const (
	// Admin manages accounts, teams and settings and sees every call.
	Admin Role = "admin"
	// Trainer reviews the calls of the trainees in their teams.
	Trainer Role = "trainer"
	// Trainee plays calls and sees their own.
	Trainee Role = "trainee"
)

// ParseRole returns the role named s, or an EInvalid *Error.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case Admin, Trainer, Trainee:
		return r, nil
	}
	return "", Errorf(EInvalid, "a role is %q, %q or %q, not %q", Admin, Trainer, Trainee, s)
}

// A User is an account. Name is its key: it is what Call.Trainee holds.
// Teams are the teams a trainee belongs to, or the teams a trainer is
// assigned to (a team is a named group of trainees; it exists while
// someone is in it).
type User struct {
	Name  string   `json:"name"`
	Role  Role     `json:"role"`
	Teams []string `json:"teams"`
	// PasswordHash is the encoded password hash (sim/auth); "" until the
	// user accepts an invite and sets a password.
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled,omitempty"`
	Created      time.Time `json:"created"`
}

// MaxNameLength bounds user and team names, in bytes.
const MaxNameLength = 64

// Check returns an EInvalid *Error saying what makes u unfit to be stored,
// or nil. It also puts u.Teams in order without repeats, the form every
// store keeps.
func (u *User) Check() error {
	if err := CheckName("user", u.Name); err != nil {
		return err
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	for _, t := range u.Teams {
		if err := CheckName("team", t); err != nil {
			return err
		}
	}
	if u.Role == Admin && len(u.Teams) > 0 {
		return Errorf(EInvalid, "an admin sees every team and is in none")
	}
	slices.Sort(u.Teams)
	u.Teams = slices.Compact(u.Teams)
	return checkTime("creation", u.Created)
}

// CheckName returns an EInvalid *Error unless name is fit to name a user
// or team (what says which): printable text without spaces at either
// end, at most MaxNameLength bytes. Commas are refused so that a list of
// names can be written with them.
func CheckName(what, name string) error {
	switch {
	case name == "":
		return Errorf(EInvalid, "a %s needs a name", what)
	case len(name) > MaxNameLength:
		return Errorf(EInvalid, "a %s name is at most %d bytes long", what, MaxNameLength)
	case !utf8.ValidString(name):
		return Errorf(EInvalid, "a %s name must be text", what)
	case strings.TrimSpace(name) != name:
		return Errorf(EInvalid, "a %s name does not start or end with a space", what)
	case strings.ContainsAny(name, ",/"):
		return Errorf(EInvalid, "a %s name has no commas or slashes", what)
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return Errorf(EInvalid, "a %s name has only printable characters", what)
		}
	}
	return nil
}

// InTeam reports whether u is in (or, for a trainer, assigned to) team.
func (u *User) InTeam(team string) bool { return slices.Contains(u.Teams, team) }

// TokenKind is what a token lets its holder do.
type TokenKind string

// The token kinds.
const (
	// SessionToken is a signed-in browser's cookie.
	SessionToken TokenKind = "session"
	// InviteToken lets User set a password once.
	InviteToken TokenKind = "invite"
	// SetupToken lets the first admin create their account once; User is "".
	SetupToken TokenKind = "setup"
)

// A Token is a secret handed to a browser, kept only as the SHA-256 of its
// value, so a copy of the database lets no one sign in.
type Token struct {
	Hash    []byte    `json:"-"`
	Kind    TokenKind `json:"kind"`
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Check returns an EInvalid *Error saying what makes t unfit to be stored, or nil.
func (t *Token) Check() error {
	switch {
	case len(t.Hash) == 0:
		return Errorf(EInvalid, "a token needs its hash")
	case t.Kind != SessionToken && t.Kind != InviteToken && t.Kind != SetupToken:
		return Errorf(EInvalid, "a token is a %q, %q or %q, not %q", SessionToken, InviteToken, SetupToken, t.Kind)
	case (t.Kind == SetupToken) != (t.User == ""):
		return Errorf(EInvalid, "a setup token names no user, and every other token one")
	}
	if err := checkTime("creation", t.Created); err != nil {
		return err
	}
	return checkTime("expiry", t.Expires)
}

// Valid reports whether t may still be used at now.
func (t *Token) Valid(now time.Time) bool { return now.Before(t.Expires) }

// Settings are the server-wide choices an admin makes.
type Settings struct {
	// AnonymousPractice lets people who are not signed in play calls.
	AnonymousPractice bool `json:"anonymous_practice"`
}

// DefaultSettings are the settings of a new server.
var DefaultSettings = Settings{AnonymousPractice: true}

// A UserStore keeps accounts, their tokens and the settings. Failures are
// *Error with ENotFound, EConflict or EInvalid where the caller can act on
// them; anything else is internal.
type UserStore interface {
	// CreateUser stores u (see User.Check). EConflict if the name is taken.
	CreateUser(ctx context.Context, u *User) error
	// UpdateUser replaces the stored user of u's name with u (its Created
	// stays). ENotFound if there is none.
	UpdateUser(ctx context.Context, u *User) error
	// User returns the user with the given name; ENotFound if there is none.
	User(ctx context.Context, name string) (*User, error)
	// Users returns every user, ordered by name.
	Users(ctx context.Context) ([]*User, error)
	// CountUsers returns how many users there are.
	CountUsers(ctx context.Context) (int, error)

	// CreateToken stores t. EConflict if its hash is stored already;
	// EInvalid if it names a user that does not exist.
	CreateToken(ctx context.Context, t Token) error
	// Token returns the token with the given hash; ENotFound if there is none.
	Token(ctx context.Context, hash []byte) (Token, error)
	// TakeToken deletes the token with the given hash and returns it, so
	// that of two callers racing for a one-time token only one gets it.
	// ENotFound if there is none.
	TakeToken(ctx context.Context, hash []byte) (Token, error)
	// DeleteTokens deletes every token of kind held by user.
	DeleteTokens(ctx context.Context, user string, kind TokenKind) error

	// Settings returns the settings; DefaultSettings until some are put.
	Settings(ctx context.Context) (Settings, error)
	// PutSettings replaces the settings.
	PutSettings(ctx context.Context, s Settings) error
}
