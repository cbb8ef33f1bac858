package sim_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/roleplay-sim/roleplay/sim"
)

func TestMaySee(t *testing.T) {
	admin := &sim.User{Name: "root", Role: sim.Admin}
	coach := &sim.User{Name: "coach", Role: sim.Trainer, Teams: []string{"north"}}
	other := &sim.User{Name: "other", Role: sim.Trainer, Teams: []string{"south"}}
	ana := &sim.User{Name: "ana", Role: sim.Trainee, Teams: []string{"north"}}
	bo := &sim.User{Name: "bo", Role: sim.Trainee, Teams: []string{"south"}}
	off := &sim.User{Name: "off", Role: sim.Admin, Disabled: true}
	for _, tc := range []struct {
		viewer, trainee *sim.User
		see, review     bool
	}{
		{admin, ana, true, true},
		{admin, nil, true, true},
		{coach, ana, true, true},
		{coach, bo, false, false},
		{coach, coach, true, false},
		{coach, nil, false, false},
		{other, bo, true, true},
		{ana, ana, true, false},
		{ana, bo, false, false},
		{ana, nil, false, false},
		{nil, ana, false, false},
		{off, ana, false, false},
	} {
		name := "nobody"
		if tc.viewer != nil {
			name = tc.viewer.Name
		}
		tname := "anonymous"
		if tc.trainee != nil {
			tname = tc.trainee.Name
		}
		assert.Equal(t, tc.see, tc.viewer.MaySee(tc.trainee), "%s sees %s", name, tname)
		assert.Equal(t, tc.review, tc.viewer.MayReview(tc.trainee), "%s reviews %s", name, tname)
	}
}

func TestCallQueryApply(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id string, min int, score int, o sim.Outcome) sim.CallSummary {
		c := sim.CallSummary{Call: sim.Call{ID: id, Started: at.Add(time.Duration(min) * time.Minute)}}
		if o != "" {
			c.Report = &sim.Report{Outcome: o, Score: score, Profile: sim.Passive}
		}
		return c
	}
	calls := []sim.CallSummary{mk("a", 1, 50, sim.Won), mk("b", 2, 70, sim.Lost), mk("c", 3, 0, ""), mk("d", 4, 60, sim.Won)}
	ids := func(cs []sim.CallSummary) (out []string) {
		for _, c := range cs {
			out = append(out, c.ID)
		}
		return out
	}
	for _, tc := range []struct {
		q     sim.CallQuery
		want  []string
		total int
	}{
		{sim.CallQuery{}, []string{"d", "c", "b", "a"}, 4},
		{sim.CallQuery{Sort: "started"}, []string{"a", "b", "c", "d"}, 4},
		{sim.CallQuery{Sort: "-score"}, []string{"b", "d", "a", "c"}, 4},
		{sim.CallQuery{Outcome: sim.Won}, []string{"d", "a"}, 2},
		{sim.CallQuery{Outcome: sim.Unfinished}, []string{"c"}, 1},
		{sim.CallQuery{Profile: sim.Passive, Sort: "started"}, []string{"a", "b", "d"}, 3},
		{sim.CallQuery{Sort: "started", PerPage: 3, Page: 2}, []string{"d"}, 4},
		{sim.CallQuery{Sort: "started", PerPage: 3, Page: 9}, nil, 4},
		{sim.CallQuery{Sort: "started", PerPage: -1}, []string{"a", "b", "c", "d"}, 4},
	} {
		got, total := tc.q.Apply(calls)
		assert.Equal(t, tc.want, ids(got), "%+v", tc.q)
		assert.Equal(t, tc.total, total, "%+v", tc.q)
	}
	for _, bad := range []sim.CallQuery{{Sort: "length"}, {Outcome: "maybe"}, {Profile: "pushy"}, {PerPage: 501}, {Page: -1}} {
		assert.Equal(t, sim.EInvalid, sim.ErrorCodeOf(bad.Check()), "%+v", bad)
	}
}
