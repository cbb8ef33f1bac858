// Package storetest is the one conformance suite every sim.Store runs: the
// in-memory store, SQLite and PostgreSQL are held to the same rules, so the
// server can be given any of them. Each subtest name states one rule.
//
// A store's test calls Run with a function that opens an empty store:
//
//	func TestStore(t *testing.T) { storetest.Run(t, openEmpty) }
//
// A store that several processes can share also runs RunShared on two
// stores opened on one database.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// Run runs the suite. open must return an empty store, a new one for each
// call; Run closes it at the end of the subtest.
func Run(t *testing.T, open func(t *testing.T) sim.Store) {
	fresh := func(t *testing.T) sim.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { assert.NoError(t, s.Close(), "close the store") })
		return s
	}
	for _, tc := range []struct {
		rule string
		test func(t *testing.T, s sim.Store)
	}{
		{"a scenario version reads back as stored", versionRoundTrip},
		{"storing a scenario version again is a no-op that keeps the first", versionIdempotent},
		{"a scenario version without a hash is invalid", versionNeedsHash},
		{"what is not stored is not found", notFound},
		{"a new call reads back with every field exact", newCallRoundTrip},
		{"a call needs its scenario version stored", callNeedsVersion},
		{"a call id is taken once", callIDTakenOnce},
		{"an unfit new call is invalid and not stored", invalidNewCall},
		{"turns are stored in order", turnsInOrder},
		{"turn n must follow the turns stored", turnMustFollow},
		{"an unfit turn is invalid and not stored", invalidTurn},
		{"no turn is stored after the end", noTurnAfterEnd},
		{"a call ends once", endsOnce},
		{"an end is stored only on the turns it was graded on", endOnItsTurns},
		{"an unfit end is invalid and not stored", invalidEnd},
		{"an ended call reads back with every field exact", endedCallRoundTrip},
		{"times read back in UTC without the monotonic clock", timesUTC},
		{"a returned call is the caller's own copy", returnedCopy},
		{"the store keeps its own copy of what it is given", keptCopy},
		{"of writers racing for turn n exactly one wins", racingWriters},
		{"writers on different calls all succeed", parallelCalls},
		{"many calls written at once keep every acknowledged write and refuse the conflicting ones", manyCallsAtOnce}, // concurrency.go
	} {
		t.Run(tc.rule, func(t *testing.T) { tc.test(t, fresh(t)) })
	}
	for _, tc := range correctRules { // correct.go
		t.Run(tc.rule, func(t *testing.T) { tc.test(t, fresh(t)) })
	}
	for _, tc := range assessRules { // assess.go
		t.Run(tc.rule, func(t *testing.T) { tc.test(t, fresh(t)) })
	}
	for _, tc := range accountRules { // accounts.go
		t.Run(tc.rule, func(t *testing.T) { tc.test(t, fresh(t)) })
	}
	for _, tc := range uploadRules { // uploads.go
		t.Run(tc.rule, func(t *testing.T) { tc.test(t, fresh(t)) })
	}
}

var ctx = context.Background()

// A fixed zone that is not UTC, so a store that keeps local times shows.
var zone = time.FixedZone("UTC+5:30", 5*3600+30*60)

func version(hash string) sim.ScenarioVersion {
	return sim.ScenarioVersion{
		Hash:     hash,
		ID:       "fleet-renewal",
		File:     "scenarios/fleet-renewal.toml",
		Source:   "id = \"fleet-renewal\"\n# naïve \"quotes\", tabs\tand 'ünïcode' 🚚\n",
		Defaults: "[meters]\ntrust = 50\n",
	}
}

// newCall returns a call with every field a new call may have set.
func newCall(id, hash string) *sim.Call {
	return &sim.Call{
		ID:         id,
		Scenario:   "fleet-renewal",
		Version:    hash,
		Mode:       sim.AssessmentMode,
		Trainee:    "ana@example.com",
		Assessment: "q3-cohort",
		TokenHash:  []byte{0x00, 0xff, 0x10, 0x80, 0x7f, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x00},
		Started:    time.Date(2026, 3, 29, 1, 59, 59, 123456789, zone),
		Deadline:   time.Date(2026, 3, 29, 2, 29, 59, 987654321, zone),
	}
}

// turn returns turn n with detections that use every field.
func turn(n int) sim.TurnRecord {
	return sim.TurnRecord{
		N:    n,
		Said: fmt.Sprintf("Turn %d: how many trucks do you run? If you sign for two years I can take 12.5%% off — «ça va»", n),
		Acts: []sim.Detection{
			{Act: sim.Situation, Confidence: 0.1 + 0.2, Cues: []string{"how many", "trucks"}, Sentence: "how many trucks do you run?", Question: true},
			{Act: sim.Concession, Confidence: math.Nextafter(1, 0), Cues: []string{"take", "% off"}, Sentence: "If you sign for two years I can take 12.5% off", Conditional: true, Percent: 12.5},
			{Act: sim.Other, Confidence: 5e-324, Cues: nil, Sentence: "«ça va»"},
			{Act: sim.Pitch, Confidence: 1, Cues: []string{}, Sentence: ""},
		},
		Reader: "classifier/7",
		At:     time.Date(2026, 3, 29, 2, 0, n, 1000*n+7, zone),
		Reply:  fmt.Sprintf("Reply %d: about forty.\nWhy do you ask?", n),
	}
}

func report() *sim.Report {
	return &sim.Report{
		Scenario: "fleet-renewal", Title: "Fleet renewal", ScenarioHash: "h1",
		Outcome: sim.Won, Reason: "signed", Turns: 3, Profile: sim.Balanced,
		CustomerFocus: 71, SelfFocus: 64, Score: 68, PassMark: 60, Passed: true, High: 60,
		CustomerFocusParts: []sim.ScorePart{{Name: "discovery", Points: 30, Max: 40, Why: "3 of 4 pains"}},
		SPIN:               sim.SPIN{Situation: 2, Problem: 1, FirstProblemTurn: 2},
		Discovery:          sim.Coverage{Found: 1, Total: 2, Facts: []sim.FactStatus{{ID: "f1", Kind: sim.FactPain, Label: "late trucks", Turn: 2}}},
		Concessions:        sim.Concessions{Count: 1, Conditional: 1, DeepestPercent: 12.5, PriceCameUp: true, Turns: []int{3}},
		Talk:               sim.Talk{TraineeWords: 120, CustomerWords: 200, TraineeShare: 120.0 / 320},
		Coaching:           []sim.Coaching{{Rule: "early-pitch", Turns: []int{1}, Message: "Ask first.", Better: "What happens when a truck is late?"}},
		Transcript:         []sim.Turn{{N: 1, Said: "hi", Acts: turn(1).Acts, From: "cold", To: "warm", Reply: "hello"}},
		Benchmarks:         []sim.Benchmark{{Name: "talk share", Value: 37.5, Unit: "%", Target: "43% or less", Met: true, Source: "research"}},
	}
}

// stored opens the way for a call: it stores the call's scenario version
// and the call, and returns the call as it was given.
func stored(t *testing.T, s sim.Store, id string) *sim.Call {
	t.Helper()
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	c := newCall(id, "h1")
	require.NoError(t, s.CreateCall(ctx, c))
	return c
}

// get reads call id, which must be stored.
func get(t *testing.T, s sim.Store, id string) *sim.Call {
	t.Helper()
	c, err := s.Call(ctx, id)
	require.NoError(t, err, "read call %s", id)
	require.NotNil(t, c)
	return c
}

// want is c as a store returns it: every time in UTC, without the
// monotonic clock reading, which UTC drops.
func want(c *sim.Call) *sim.Call {
	out := *c
	out.Started = out.Started.UTC()
	if !out.Deadline.IsZero() {
		out.Deadline = out.Deadline.UTC()
	}
	if !out.Ended.IsZero() {
		out.Ended = out.Ended.UTC()
	}
	out.Turns = nil
	for _, tr := range c.Turns {
		tr.At = tr.At.UTC()
		out.Turns = append(out.Turns, tr)
	}
	return &out
}

// assertSameCall asserts got is exactly want: every field equal, with
// reports compared as the JSON they are stored as.
func assertSameCall(t *testing.T, want, got *sim.Call) {
	t.Helper()
	w, g := *want, *got
	assert.Equal(t, jsonOf(t, w.Report), jsonOf(t, g.Report), "report")
	w.Report, g.Report = nil, nil
	assert.Equal(t, w, g)
}

func jsonOf(t *testing.T, r *sim.Report) string {
	t.Helper()
	if r == nil {
		return "no report"
	}
	b, err := json.Marshal(r)
	require.NoError(t, err)
	return string(b)
}

func assertCode(t *testing.T, code sim.ErrorCode, err error, msgAndArgs ...any) {
	t.Helper()
	assert.Equal(t, code, sim.ErrorCodeOf(err), append(msgAndArgs, err)...)
}

func versionRoundTrip(t *testing.T, s sim.Store) {
	for _, v := range []sim.ScenarioVersion{version("h1"), {Hash: "h2"}} {
		require.NoError(t, s.PutScenarioVersion(ctx, v))
		got, err := s.ScenarioVersion(ctx, v.Hash)
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
}

func versionIdempotent(t *testing.T, s sim.Store) {
	first := version("h1")
	require.NoError(t, s.PutScenarioVersion(ctx, first))
	second := first
	second.Source = "something else"
	assert.NoError(t, s.PutScenarioVersion(ctx, first), "the same version again")
	assert.NoError(t, s.PutScenarioVersion(ctx, second), "another version with the same hash")
	got, err := s.ScenarioVersion(ctx, "h1")
	require.NoError(t, err)
	assert.Equal(t, first, got)
}

func versionNeedsHash(t *testing.T, s sim.Store) {
	v := version("")
	assertCode(t, sim.EInvalid, s.PutScenarioVersion(ctx, v))
	_, err := s.ScenarioVersion(ctx, "")
	assertCode(t, sim.ENotFound, err)
}

func notFound(t *testing.T, s sim.Store) {
	stored(t, s, "c1")
	_, errVersion := s.ScenarioVersion(ctx, "nope")
	c, errCall := s.Call(ctx, "nope")
	assert.Nil(t, c)
	for name, err := range map[string]error{
		"scenario version": errVersion,
		"call":             errCall,
		"append turn":      s.AppendTurn(ctx, "nope", turn(1)),
		"end call":         s.EndCall(ctx, "nope", 0, sim.EndedByTrainee, time.Now(), report()),
	} {
		assertCode(t, sim.ENotFound, err, name)
	}
}

func newCallRoundTrip(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	for name, c := range map[string]*sim.Call{
		"every field set": newCall("full", "h1"),
		"only what a call needs": {
			ID: "bare", Scenario: "", Version: "h1", Mode: sim.Training,
			Started: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		},
		"times at the ends of the range": {
			ID: "edges", Version: "h1", Mode: sim.Training,
			Started:  time.Unix(0, math.MinInt64+1),
			Deadline: time.Unix(0, math.MaxInt64),
		},
	} {
		require.NoError(t, s.CreateCall(ctx, c), name)
		got := get(t, s, c.ID)
		assertSameCall(t, want(c), got)
		assert.True(t, got.InProgress(), name)
		assert.Empty(t, got.Turns, name)
	}
}

func callNeedsVersion(t *testing.T, s sim.Store) {
	assertCode(t, sim.EInvalid, s.CreateCall(ctx, newCall("c1", "h1")))
	_, err := s.Call(ctx, "c1")
	assertCode(t, sim.ENotFound, err)
}

func callIDTakenOnce(t *testing.T, s sim.Store) {
	first := stored(t, s, "c1")
	second := newCall("c1", "h1")
	second.Trainee = "someone else"
	assertCode(t, sim.EConflict, s.CreateCall(ctx, second))
	assertSameCall(t, want(first), get(t, s, "c1"))
}

func invalidNewCall(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	for _, tc := range []struct {
		name   string
		change func(c *sim.Call)
	}{
		{"no id", func(c *sim.Call) { c.ID = "" }},
		{"no scenario version", func(c *sim.Call) { c.Version = "" }},
		{"no mode", func(c *sim.Call) { c.Mode = "" }},
		{"an unknown mode", func(c *sim.Call) { c.Mode = "exam" }},
		{"no start", func(c *sim.Call) { c.Started = time.Time{} }},
		{"a start after 2262", func(c *sim.Call) { c.Started = time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"a deadline before 1678", func(c *sim.Call) { c.Deadline = time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"turns", func(c *sim.Call) { c.Turns = []sim.TurnRecord{turn(1)} }},
		{"an end", func(c *sim.Call) { c.End, c.Ended = sim.EndedByTrainee, c.Started }},
		{"a report", func(c *sim.Call) { c.Report = report() }},
	} {
		c := newCall("c-"+tc.name, "h1")
		tc.change(c)
		assertCode(t, sim.EInvalid, s.CreateCall(ctx, c), tc.name)
		if c.ID != "" {
			_, err := s.Call(ctx, c.ID)
			assertCode(t, sim.ENotFound, err, tc.name)
		}
	}
}

func turnsInOrder(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	for n := 1; n <= 3; n++ {
		require.NoError(t, s.AppendTurn(ctx, "c1", turn(n)), "turn %d", n)
		c.Turns = append(c.Turns, turn(n))
		assertSameCall(t, want(c), get(t, s, "c1"))
	}
}

func turnMustFollow(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	assertCode(t, sim.EConflict, s.AppendTurn(ctx, "c1", turn(2)), "turn 2 with none stored")
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(1)))
	for _, tc := range []struct {
		name string
		n    int
	}{
		{"turn 1 again", 1},
		{"turn 3 after turn 1", 3},
		{"turn 1000", 1000},
	} {
		again := turn(tc.n)
		again.Said = "a second writer"
		assertCode(t, sim.EConflict, s.AppendTurn(ctx, "c1", again), tc.name)
	}
	c.Turns = []sim.TurnRecord{turn(1)}
	assertSameCall(t, want(c), get(t, s, "c1"))
}

func invalidTurn(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	for _, tc := range []struct {
		name   string
		change func(tr *sim.TurnRecord)
	}{
		{"turn 0", func(tr *sim.TurnRecord) { tr.N = 0 }},
		{"turn -1", func(tr *sim.TurnRecord) { tr.N = -1 }},
		{"no time", func(tr *sim.TurnRecord) { tr.At = time.Time{} }},
		{"a time after 2262", func(tr *sim.TurnRecord) { tr.At = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"a NUL character", func(tr *sim.TurnRecord) { tr.Said = "hello\x00there" }},
		{"bytes that are not UTF-8", func(tr *sim.TurnRecord) { tr.Said = "caf\xe9" }},
	} {
		tr := turn(1)
		tc.change(&tr)
		assertCode(t, sim.EInvalid, s.AppendTurn(ctx, "c1", tr), tc.name)
	}
	assertSameCall(t, want(c), get(t, s, "c1"))
}

func noTurnAfterEnd(t *testing.T, s sim.Store) {
	stored(t, s, "c1")
	require.NoError(t, s.AppendTurn(ctx, "c1", turn(1)))
	require.NoError(t, s.EndCall(ctx, "c1", 1, sim.EndedByTrainee, time.Now(), report()))
	assertCode(t, sim.EConflict, s.AppendTurn(ctx, "c1", turn(2)))
	assert.Len(t, get(t, s, "c1").Turns, 1)
}

func endsOnce(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	at := time.Date(2026, 3, 29, 2, 10, 0, 5, zone)
	require.NoError(t, s.EndCall(ctx, "c1", 0, sim.EndedByDeadline, at, report()))
	other := report()
	other.Score = 1
	assertCode(t, sim.EConflict, s.EndCall(ctx, "c1", 0, sim.EndedByTrainee, at.Add(time.Second), other))
	c.End, c.Ended, c.Report = sim.EndedByDeadline, at, report()
	assertSameCall(t, want(c), get(t, s, "c1"))
}

func endOnItsTurns(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	for n := 1; n <= 2; n++ {
		require.NoError(t, s.AppendTurn(ctx, "c1", turn(n)))
		c.Turns = append(c.Turns, turn(n))
	}
	at := time.Date(2026, 3, 29, 2, 10, 0, 5, zone)
	for _, graded := range []int{0, 1, 3, -1} {
		err := s.EndCall(ctx, "c1", graded, sim.EndedByTrainee, at, report())
		assertCode(t, sim.EConflict, err, "graded on %d turns of 2", graded)
		if graded == 1 {
			assert.Contains(t, err.Error(), "has 2 turns stored, not the 1", "the conflict says what differs")
		}
	}
	assertSameCall(t, want(c), get(t, s, "c1"))

	require.NoError(t, s.EndCall(ctx, "c1", 2, sim.EndedByTrainee, at, report()))
	c.End, c.Ended, c.Report = sim.EndedByTrainee, at, report()
	assertSameCall(t, want(c), get(t, s, "c1"))
}

func invalidEnd(t *testing.T, s sim.Store) {
	c := stored(t, s, "c1")
	for _, tc := range []struct {
		name string
		end  sim.Ending
		at   time.Time
	}{
		{"no ending", "", time.Now()},
		{"an unknown ending", "crash", time.Now()},
		{"no time", sim.EndedByTrainee, time.Time{}},
		{"a time after 2262", sim.EndedByTrainee, time.Date(2263, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		assertCode(t, sim.EInvalid, s.EndCall(ctx, "c1", 0, tc.end, tc.at, report()), tc.name)
	}
	assertSameCall(t, want(c), get(t, s, "c1"))
}

func endedCallRoundTrip(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	for _, tc := range []struct {
		name   string
		c      *sim.Call
		end    sim.Ending
		report *sim.Report
	}{
		{"with a report", newCall("c1", "h1"), sim.EndedByCustomer, report()},
		{"with no report", newCall("c2", "h1"), sim.EndedByTrainee, nil},
		{"with an empty report", newCall("c3", "h1"), sim.EndedByDeadline, &sim.Report{}},
	} {
		c := tc.c
		c.Deadline = time.Time{}
		require.NoError(t, s.CreateCall(ctx, c), tc.name)
		for n := 1; n <= 2; n++ {
			require.NoError(t, s.AppendTurn(ctx, c.ID, turn(n)), tc.name)
			c.Turns = append(c.Turns, turn(n))
		}
		at := time.Date(2026, 3, 29, 2, 10, 0, 999999999, zone)
		require.NoError(t, s.EndCall(ctx, c.ID, 2, tc.end, at, tc.report), tc.name)
		c.End, c.Ended, c.Report = tc.end, at, tc.report
		got := get(t, s, c.ID)
		assertSameCall(t, want(c), got)
		assert.False(t, got.InProgress(), tc.name)
		assert.True(t, got.Deadline.IsZero(), "%s: no deadline stays no deadline", tc.name)
	}
}

func timesUTC(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	now := time.Now() // carries a monotonic clock reading
	c := newCall("c1", "h1")
	c.Started, c.Deadline = now, now.Add(time.Hour)
	require.NoError(t, s.CreateCall(ctx, c))
	tr := turn(1)
	tr.At = now.Add(time.Nanosecond)
	require.NoError(t, s.AppendTurn(ctx, "c1", tr))
	require.NoError(t, s.EndCall(ctx, "c1", 1, sim.EndedByTrainee, now.Add(2), nil))
	got := get(t, s, "c1")
	for name, tc := range map[string]struct{ want, got time.Time }{
		"started":  {now.UTC(), got.Started},
		"deadline": {now.Add(time.Hour).UTC(), got.Deadline},
		"turn":     {now.Add(time.Nanosecond).UTC(), got.Turns[0].At},
		"ended":    {now.Add(2).UTC(), got.Ended},
	} {
		// Equal, not Time.Equal: the same instant in another zone, or with a
		// monotonic reading, is a different value.
		assert.Equal(t, tc.want, tc.got, name)
		assert.Equal(t, time.UTC, tc.got.Location(), name)
	}
}

// ended stores call id with one turn and an end, and returns it as the
// store must return it, built afresh so it shares nothing with the store.
func ended(t *testing.T, s sim.Store, id string) *sim.Call {
	t.Helper()
	c := stored(t, s, id)
	at := time.Date(2026, 3, 29, 2, 10, 0, 42, zone)
	require.NoError(t, s.AppendTurn(ctx, id, turn(1)))
	require.NoError(t, s.EndCall(ctx, id, 1, sim.EndedByCustomer, at, report()))
	c = newCall(id, "h1")
	c.Turns, c.End, c.Ended, c.Report = []sim.TurnRecord{turn(1)}, sim.EndedByCustomer, at, report()
	return want(c)
}

func returnedCopy(t *testing.T, s sim.Store) {
	before := ended(t, s, "c1")
	for _, tc := range []struct {
		name   string
		change func(c *sim.Call)
	}{
		{"the id", func(c *sim.Call) { c.ID = "changed" }},
		{"the token hash", func(c *sim.Call) { c.TokenHash[0] ^= 0xff }},
		{"what was said", func(c *sim.Call) { c.Turns[0].Said = "changed" }},
		{"an act", func(c *sim.Call) { c.Turns[0].Acts[0].Act = sim.Pressure }},
		{"a cue", func(c *sim.Call) { c.Turns[0].Acts[0].Cues[0] = "changed" }},
		{"the report", func(c *sim.Call) { c.Report.Score = -1 }},
		{"a report's part", func(c *sim.Call) { c.Report.CustomerFocusParts[0].Why = "changed" }},
		{"the turns", func(c *sim.Call) { c.Turns = append(c.Turns[:0], turn(9)) }},
	} {
		tc.change(get(t, s, "c1"))
		assertSameCall(t, before, get(t, s, "c1"))
	}
}

func keptCopy(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	c, tr, r := newCall("c1", "h1"), turn(1), report()
	at := time.Date(2026, 3, 29, 2, 10, 0, 42, zone)
	require.NoError(t, s.CreateCall(ctx, c))
	require.NoError(t, s.AppendTurn(ctx, "c1", tr))
	require.NoError(t, s.EndCall(ctx, "c1", 1, sim.EndedByCustomer, at, r))
	before := newCall("c1", "h1")
	before.Turns, before.End, before.Ended, before.Report = []sim.TurnRecord{turn(1)}, sim.EndedByCustomer, at, report()
	before = want(before)

	c.TokenHash[0] ^= 0xff
	c.Trainee = "changed"
	tr.Acts[0].Cues[0] = "changed"
	tr.Acts[1].Act = sim.Pressure
	r.Score = -1
	r.Coaching[0].Message = "changed"
	assertSameCall(t, before, get(t, s, "c1"))
}

// racingWriters has several goroutines store turn n of one call at once,
// as two nodes might after a resume: one wins each turn, the rest are told
// of a conflict, and the stored turns run 1..N with none lost or doubled.
func racingWriters(t *testing.T, s sim.Store) {
	const turns, writers = 10, 8
	stored(t, s, "c1")
	for n := 1; n <= turns; n++ {
		start := make(chan struct{})
		errs := make([]error, writers)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				tr := turn(n)
				tr.Said = fmt.Sprintf("writer %d", w)
				<-start
				errs[w] = s.AppendTurn(ctx, "c1", tr)
			})
		}
		close(start)
		wg.Wait()
		won := 0
		for w, err := range errs {
			if err == nil {
				won++
				continue
			}
			assertCode(t, sim.EConflict, err, "turn %d, writer %d", n, w)
		}
		assert.Equal(t, 1, won, "writers that stored turn %d", n)
	}
	got := get(t, s, "c1")
	require.Len(t, got.Turns, turns)
	for i, tr := range got.Turns {
		assert.Equal(t, i+1, tr.N)
	}
}

// parallelCalls has one writer per call, all at once, as a busy server
// does: none may fail for being busy.
func parallelCalls(t *testing.T, s sim.Store) {
	const calls, turns = 8, 10
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			id := fmt.Sprintf("c%d", i)
			if errs[i] = s.CreateCall(ctx, newCall(id, "h1")); errs[i] != nil {
				return
			}
			for n := 1; n <= turns && errs[i] == nil; n++ {
				errs[i] = s.AppendTurn(ctx, id, turn(n))
			}
			if errs[i] == nil {
				errs[i] = s.EndCall(ctx, id, turns, sim.EndedByCustomer, time.Now(), report())
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		require.NoError(t, err, "call c%d", i)
		got := get(t, s, fmt.Sprintf("c%d", i))
		assert.Len(t, got.Turns, turns)
		assert.False(t, got.InProgress())
	}
}
