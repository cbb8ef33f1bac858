package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// The rules of the trainer's side: users, tokens, settings, the list of
// calls, trainers' comments and scores. Run runs them with the rest.
var accountRules = []struct {
	rule string
	test func(t *testing.T, s sim.Store)
}{
	{"a user reads back as stored, teams in order", userRoundTrip},
	{"a user name is taken once", userNameTakenOnce},
	{"an unfit user is invalid and not stored", invalidUser},
	{"an update replaces a user but keeps when it was created", userUpdate},
	{"users are listed by name and counted", usersListed},
	{"a token reads back as stored", tokenRoundTrip},
	{"a token names a user who exists", tokenNeedsUser},
	{"a token is taken once", tokenTakenOnce},
	{"deleting a user's tokens of a kind leaves the others", tokensDeleted},
	{"settings are the defaults until put", settingsDefault},
	{"calls are listed by start with the filter applied", callsListed},
	{"comments are kept on stored calls, in order", commentsKept},
	{"a trainer's score replaces their earlier one, and no one else's", trainerScores},
}

func user(name string, role sim.Role, teams ...string) *sim.User {
	return &sim.User{Name: name, Role: role, Teams: teams, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA",
		Created: time.Date(2026, 2, 1, 8, 0, 0, 123, zone)}
}

func wantUser(u *sim.User) *sim.User {
	out := *u
	out.Created = u.Created.UTC()
	if out.Teams == nil {
		out.Teams = []string{}
	}
	return &out
}

func userRoundTrip(t *testing.T, s sim.Store) {
	for _, u := range []*sim.User{
		user("ana@example.com", sim.Trainee, "south", "north", "south"),
		user("Zoë Trainer", sim.Trainer),
		{Name: "root", Role: sim.Admin, Created: time.Unix(0, 1)},
	} {
		require.NoError(t, s.CreateUser(ctx, u))
		got, err := s.User(ctx, u.Name)
		require.NoError(t, err)
		assert.Equal(t, wantUser(u), got)
	}
	got, err := s.User(ctx, "ana@example.com")
	require.NoError(t, err)
	assert.Equal(t, []string{"north", "south"}, got.Teams)
	_, err = s.User(ctx, "nobody")
	assertCode(t, sim.ENotFound, err)
}

func userNameTakenOnce(t *testing.T, s sim.Store) {
	require.NoError(t, s.CreateUser(ctx, user("ana", sim.Trainee)))
	assertCode(t, sim.EConflict, s.CreateUser(ctx, user("ana", sim.Admin)))
	got, err := s.User(ctx, "ana")
	require.NoError(t, err)
	assert.Equal(t, sim.Trainee, got.Role)
}

func invalidUser(t *testing.T, s sim.Store) {
	for name, u := range map[string]*sim.User{
		"no name":       user("", sim.Trainee),
		"a bad role":    user("a", "boss"),
		"a bad team":    user("b", sim.Trainee, " north"),
		"admin in team": user("c", sim.Admin, "north"),
		"no creation":   {Name: "d", Role: sim.Trainee},
		"a comma":       user("e,f", sim.Trainee),
	} {
		assertCode(t, sim.EInvalid, s.CreateUser(ctx, u), name)
	}
	n, err := s.CountUsers(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func userUpdate(t *testing.T, s sim.Store) {
	u := user("ana", sim.Trainee, "north")
	require.NoError(t, s.CreateUser(ctx, u))
	changed := *u
	changed.Role, changed.Teams, changed.PasswordHash, changed.Disabled = sim.Trainer, []string{"west", "east"}, "other", true
	changed.Created = time.Now()
	require.NoError(t, s.UpdateUser(ctx, &changed))
	got, err := s.User(ctx, "ana")
	require.NoError(t, err)
	want := wantUser(&changed)
	want.Created, want.Teams = u.Created.UTC(), []string{"east", "west"}
	assert.Equal(t, want, got)
	assertCode(t, sim.ENotFound, s.UpdateUser(ctx, user("nobody", sim.Trainee)))
	bad := *got
	bad.Role = "boss"
	assertCode(t, sim.EInvalid, s.UpdateUser(ctx, &bad))
}

func usersListed(t *testing.T, s sim.Store) {
	for _, n := range []string{"carl", "ana", "bo"} {
		require.NoError(t, s.CreateUser(ctx, user(n, sim.Trainee)))
	}
	all, err := s.Users(ctx)
	require.NoError(t, err)
	var names []string
	for _, u := range all {
		names = append(names, u.Name)
	}
	assert.Equal(t, []string{"ana", "bo", "carl"}, names)
	n, err := s.CountUsers(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
}

func token(hash string, kind sim.TokenKind, u string) sim.Token {
	return sim.Token{Hash: []byte(hash), Kind: kind, User: u,
		Created: time.Date(2026, 2, 1, 8, 0, 0, 5, zone), Expires: time.Date(2026, 2, 8, 8, 0, 0, 7, zone)}
}

func wantToken(tk sim.Token) sim.Token {
	tk.Created, tk.Expires = tk.Created.UTC(), tk.Expires.UTC()
	return tk
}

func tokenRoundTrip(t *testing.T, s sim.Store) {
	require.NoError(t, s.CreateUser(ctx, user("ana", sim.Trainee)))
	for _, tk := range []sim.Token{token("s\x00\xff1", sim.SessionToken, "ana"), token("i1", sim.InviteToken, "ana"), token("setup", sim.SetupToken, "")} {
		require.NoError(t, s.CreateToken(ctx, tk))
		got, err := s.Token(ctx, tk.Hash)
		require.NoError(t, err)
		assert.Equal(t, wantToken(tk), got)
	}
	assertCode(t, sim.EConflict, s.CreateToken(ctx, token("i1", sim.SessionToken, "ana")))
	_, err := s.Token(ctx, []byte("nope"))
	assertCode(t, sim.ENotFound, err)
	for name, tk := range map[string]sim.Token{
		"no hash":            token("", sim.SessionToken, "ana"),
		"a bad kind":         token("x", "cookie", "ana"),
		"setup with a user":  token("y", sim.SetupToken, "ana"),
		"session for no one": token("z", sim.SessionToken, ""),
	} {
		assertCode(t, sim.EInvalid, s.CreateToken(ctx, tk), name)
	}
}

func tokenNeedsUser(t *testing.T, s sim.Store) {
	assertCode(t, sim.EInvalid, s.CreateToken(ctx, token("s1", sim.SessionToken, "ghost")))
	_, err := s.Token(ctx, []byte("s1"))
	assertCode(t, sim.ENotFound, err)
}

func tokenTakenOnce(t *testing.T, s sim.Store) {
	require.NoError(t, s.CreateUser(ctx, user("ana", sim.Trainee)))
	require.NoError(t, s.CreateToken(ctx, token("i1", sim.InviteToken, "ana")))
	const takers = 8
	errs := make([]error, takers)
	var wg sync.WaitGroup
	for i := range takers {
		wg.Go(func() { _, errs[i] = s.TakeToken(ctx, []byte("i1")) })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else {
			assertCode(t, sim.ENotFound, err)
		}
	}
	assert.Equal(t, 1, won)
	_, err := s.Token(ctx, []byte("i1"))
	assertCode(t, sim.ENotFound, err)
}

func tokensDeleted(t *testing.T, s sim.Store) {
	require.NoError(t, s.CreateUser(ctx, user("ana", sim.Trainee)))
	require.NoError(t, s.CreateUser(ctx, user("bo", sim.Trainee)))
	require.NoError(t, s.CreateToken(ctx, token("a1", sim.SessionToken, "ana")))
	require.NoError(t, s.CreateToken(ctx, token("a2", sim.SessionToken, "ana")))
	require.NoError(t, s.CreateToken(ctx, token("a3", sim.InviteToken, "ana")))
	require.NoError(t, s.CreateToken(ctx, token("b1", sim.SessionToken, "bo")))
	require.NoError(t, s.DeleteTokens(ctx, "ana", sim.SessionToken))
	for hash, want := range map[string]bool{"a1": false, "a2": false, "a3": true, "b1": true} {
		_, err := s.Token(ctx, []byte(hash))
		assert.Equal(t, want, err == nil, hash)
	}
}

func settingsDefault(t *testing.T, s sim.Store) {
	got, err := s.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, sim.DefaultSettings, got)
	for _, want := range []sim.Settings{{AnonymousPractice: false}, {AnonymousPractice: true}} {
		require.NoError(t, s.PutSettings(ctx, want))
		got, err = s.Settings(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
}

func callsListed(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	base := time.Date(2026, 3, 1, 9, 0, 0, 0, zone)
	mk := func(id, trainee, scenario string, mode sim.Mode, minutes int) {
		c := &sim.Call{ID: id, Scenario: scenario, Version: "h1", Mode: mode, Trainee: trainee, Started: base.Add(time.Duration(minutes) * time.Minute)}
		require.NoError(t, s.CreateCall(ctx, c))
	}
	mk("c3", "ana", "fleet", sim.Training, 3)
	mk("c1", "ana", "fleet", sim.AssessmentMode, 1)
	mk("c2", "bo", "clinic", sim.Training, 2)
	mk("c0", "", "fleet", sim.Training, 0)
	mk("c2b", "bo", "fleet", sim.Training, 2) // same start as c2: ordered by id
	require.NoError(t, s.AppendTurn(ctx, "c3", turn(1)))
	require.NoError(t, s.AppendTurn(ctx, "c3", turn(2)))
	require.NoError(t, s.EndCall(ctx, "c3", 2, sim.EndedByCustomer, base.Add(10*time.Minute), report()))

	ids := func(f sim.CallFilter) []string {
		t.Helper()
		got, err := s.ListCalls(ctx, f)
		require.NoError(t, err)
		out := []string{}
		for _, c := range got {
			assert.Nil(t, c.Turns, "a summary has no turns")
			out = append(out, c.ID)
		}
		return out
	}
	for name, tc := range map[string]struct {
		f    sim.CallFilter
		want []string
	}{
		"everyone":            {sim.CallFilter{Everyone: true}, []string{"c0", "c1", "c2", "c2b", "c3"}},
		"no one":              {sim.CallFilter{}, []string{}},
		"one trainee":         {sim.CallFilter{Trainees: []string{"ana"}}, []string{"c1", "c3"}},
		"two trainees":        {sim.CallFilter{Trainees: []string{"bo", "ana"}}, []string{"c1", "c2", "c2b", "c3"}},
		"a scenario":          {sim.CallFilter{Everyone: true, Scenario: "clinic"}, []string{"c2"}},
		"a mode":              {sim.CallFilter{Everyone: true, Mode: sim.AssessmentMode}, []string{"c1"}},
		"from, inclusive":     {sim.CallFilter{Everyone: true, From: base.Add(2 * time.Minute)}, []string{"c2", "c2b", "c3"}},
		"to, exclusive":       {sim.CallFilter{Everyone: true, To: base.Add(2 * time.Minute)}, []string{"c0", "c1"}},
		"all of them at once": {sim.CallFilter{Trainees: []string{"ana"}, Scenario: "fleet", Mode: sim.Training, From: base, To: base.Add(time.Hour)}, []string{"c3"}},
	} {
		assert.Equal(t, tc.want, ids(tc.f), name)
	}
	got, err := s.ListCalls(ctx, sim.CallFilter{Trainees: []string{"ana"}})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, 0, got[0].TurnCount)
	assert.Nil(t, got[0].Report)
	assert.Equal(t, 2, got[1].TurnCount)
	assert.Equal(t, jsonOf(t, report()), jsonOf(t, got[1].Report))
	assert.Equal(t, sim.EndedByCustomer, got[1].End)
	assert.Equal(t, base.Add(10*time.Minute).UTC(), got[1].Ended)
	assert.Equal(t, base.Add(3*time.Minute).UTC(), got[1].Started)
}

func commentsKept(t *testing.T, s sim.Store) {
	stored(t, s, "c1")
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, zone)
	cm := func(id string, turn int, sec int) sim.Comment {
		return sim.Comment{ID: id, Call: "c1", Turn: turn, Author: "coach", Text: fmt.Sprintf("Comment %s: «ask why»\nline 2", id), At: at.Add(time.Duration(sec) * time.Second)}
	}
	for _, c := range []sim.Comment{cm("b", 2, 5), cm("a", 0, 5), cm("c", 1, 1)} {
		require.NoError(t, s.AddComment(ctx, c))
	}
	assertCode(t, sim.EConflict, s.AddComment(ctx, cm("a", 1, 9)), "a taken id")
	nocall := cm("d", 1, 1)
	nocall.Call = "nope"
	assertCode(t, sim.ENotFound, s.AddComment(ctx, nocall))
	empty := cm("e", 1, 1)
	empty.Text = "  "
	assertCode(t, sim.EInvalid, s.AddComment(ctx, empty))
	got, err := s.Comments(ctx, "c1")
	require.NoError(t, err)
	want := []sim.Comment{cm("c", 1, 1), cm("a", 0, 5), cm("b", 2, 5)}
	for i := range want {
		want[i].At = want[i].At.UTC()
	}
	assert.Equal(t, want, got)
	none, err := s.Comments(ctx, "nope")
	require.NoError(t, err)
	assert.Empty(t, none)
}

func trainerScores(t *testing.T, s sim.Store) {
	stored(t, s, "c1")
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, zone)
	sc := func(author string, score, sec int) sim.TrainerScore {
		return sim.TrainerScore{Call: "c1", Author: author, Score: score, Reason: "why " + author, At: at.Add(time.Duration(sec) * time.Second)}
	}
	require.NoError(t, s.PutTrainerScore(ctx, sc("zed", 40, 1)))
	require.NoError(t, s.PutTrainerScore(ctx, sc("amy", 70, 2)))
	require.NoError(t, s.PutTrainerScore(ctx, sc("zed", 55, 3)))
	bad := sc("amy", 101, 4)
	assertCode(t, sim.EInvalid, s.PutTrainerScore(ctx, bad))
	nocall := sc("amy", 50, 4)
	nocall.Call = "nope"
	assertCode(t, sim.ENotFound, s.PutTrainerScore(ctx, nocall))
	got, err := s.TrainerScores(ctx, "c1")
	require.NoError(t, err)
	want := []sim.TrainerScore{sc("amy", 70, 2), sc("zed", 55, 3)}
	for i := range want {
		want[i].At = want[i].At.UTC()
	}
	assert.Equal(t, want, got)
}
