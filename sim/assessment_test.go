package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/roleplay-sim/roleplay/sim"
)

func TestOverdue(t *testing.T) {
	d := time.Date(2026, 3, 29, 2, 0, 0, 0, time.UTC)
	c := &sim.Call{Deadline: d}
	assert.False(t, c.Overdue(d.Add(-time.Nanosecond)))
	assert.True(t, c.Overdue(d))
	assert.False(t, (&sim.Call{}).Overdue(d), "no deadline")
	c.End = sim.EndedByTrainee
	assert.False(t, c.Overdue(d), "ended already")
}

func TestDefaultQuestionsAreValid(t *testing.T) {
	a := sim.Assessment{ID: "a", Scenario: "s", Version: "h", TimeLimit: 20 * time.Minute,
		Instructions: sim.DefaultInstructions, Questions: sim.DefaultQuestions, Created: time.Unix(1, 0)}
	assert.NoError(t, a.Check())
}

func TestCandidateUsable(t *testing.T) {
	now := time.Unix(100, 0)
	c := sim.Candidate{Status: sim.Invited, Expires: now}
	assert.False(t, c.Usable(now), "expired at its expiry")
	assert.True(t, c.Usable(now.Add(-1)))
	c.Status = sim.Started
	assert.True(t, c.Usable(now.Add(time.Hour)), "a started call runs to its deadline")
	c.Status = sim.Finished
	assert.False(t, c.Usable(now.Add(-1)))
}

// TestTimeLimitIsSaidInWords: the limits are told as people say them.
func TestTimeLimitIsSaidInWords(t *testing.T) {
	for _, tc := range []struct {
		limit time.Duration
		ok    bool
		said  string
	}{
		{sim.MinTimeLimit, true, ""},
		{sim.MaxTimeLimit, true, ""},
		{sim.MinTimeLimit - time.Second, false, "29 seconds"},
		{sim.MaxTimeLimit + time.Second, false, "4 hours 1 second"},
		{5 * time.Hour, false, "5 hours"},
		{90*time.Minute + 4*time.Hour, false, "5 hours 30 minutes"},
		{2 * time.Millisecond, false, "less than a second"},
		{-time.Minute, false, "a negative time"},
	} {
		a := sim.Assessment{ID: "a", Scenario: "s", Version: "v", TimeLimit: tc.limit, Created: time.Date(2025, 1, 6, 9, 0, 0, 0, time.UTC)}
		err := a.Check()
		if tc.ok {
			assert.NoError(t, err, "%s", tc.limit)
			continue
		}
		assert.Equal(t, sim.EInvalid, sim.ErrorCodeOf(err))
		assert.Equal(t, "the time limit is from 30 seconds to 4 hours, not "+tc.said, sim.ErrorMessage(err))
	}
}

// TestMayManage: an admin manages every assessment; a trainer their own and
// those of anyone who shares a team with them; a trainee, a disabled user
// and nobody none.
func TestMayManage(t *testing.T) {
	var (
		admin     = &sim.User{Name: "root", Role: sim.Admin}
		north     = &sim.User{Name: "coach", Role: sim.Trainer, Teams: []string{"north"}}
		north2    = &sim.User{Name: "north-coach", Role: sim.Trainer, Teams: []string{"east", "north"}}
		south     = &sim.User{Name: "south-coach", Role: sim.Trainer, Teams: []string{"south"}}
		teamless  = &sim.User{Name: "solo", Role: sim.Trainer}
		trainee   = &sim.User{Name: "ana", Role: sim.Trainee, Teams: []string{"north"}}
		offNorth  = &sim.User{Name: "gone", Role: sim.Trainer, Teams: []string{"north"}, Disabled: true}
		byCoach   = &sim.Assessment{CreatedBy: "coach"}
		bySolo    = &sim.Assessment{CreatedBy: "solo"}
		byAdmin   = &sim.Assessment{CreatedBy: "root"}
		byDeleted = &sim.Assessment{CreatedBy: "deleted"}
	)
	for _, tc := range []struct {
		name    string
		v       *sim.User
		a       *sim.Assessment
		creator *sim.User
		want    bool
	}{
		{"an admin, another's", admin, byCoach, north, true},
		{"an admin, a deleted user's", admin, byDeleted, nil, true},
		{"the trainer who created it", north, byCoach, north, true},
		{"its creator, though no longer a user", north, byCoach, nil, true},
		{"a trainer sharing a team", north2, byCoach, north, true},
		{"a trainer of another team", south, byCoach, north, false},
		{"a trainer, a teamless trainer's", north, bySolo, teamless, false},
		{"a teamless trainer, their own", teamless, bySolo, teamless, true},
		{"a trainer, an admin's", north, byAdmin, admin, false},
		{"a trainer, a deleted user's", north, byDeleted, nil, false},
		{"a trainer, the creator given is another user", south, byCoach, south, false},
		{"a trainee of the creator's team", trainee, byCoach, north, false},
		{"a trainee, as if its creator", &sim.User{Name: "coach", Role: sim.Trainee}, byCoach, north, false},
		{"a disabled trainer of the team", offNorth, byCoach, north, false},
		{"nobody", nil, byCoach, north, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.v.MayManage(tc.a, tc.creator))
		})
	}
}
