package storetest

import (
	"crypto/sha256"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// assessRules are the rules for assessments and candidates.
var assessRules = []struct {
	rule string
	test func(t *testing.T, s sim.Store)
}{
	{"an assessment reads back with every field exact", assessmentRoundTrip},
	{"an assessment needs its scenario version and a free id", assessmentNeeds},
	{"an unfit assessment is invalid and not stored", invalidAssessment},
	{"assessments are listed newest first", assessmentsListed},
	{"a candidate reads back by id and by token", candidateRoundTrip},
	{"a candidate needs its assessment, a free id and a free token", candidateNeeds},
	{"candidates are listed in the order created, with their signals", candidatesListed},
	{"a candidate is updated only from the status it has", candidateCompareAndSet},
	{"of browsers racing to start one link exactly one wins", racingStarts},
	{"signals read back in order, at most MaxSignals", signalsKept},
	{"a reviewer's scorecard replaces their earlier one", scorecardsKept},
	{"an unfit signal is invalid and not stored", invalidSignal},
	{"due calls are the open calls past their deadline", dueCalls},
	{"reveals read back per assessment in the order recorded", revealsKept},
	{"a reveal needs its assessment and is checked", revealNeeds},
}

func assessment(id string) *sim.Assessment {
	return &sim.Assessment{
		ID: id, Scenario: "fleet-renewal", Version: "h1",
		TimeLimit:    20*time.Minute + 7,
		Instructions: "Take the call — «ça va» 🚚\n\ttabs",
		Questions:    []string{"What did you learn?", "What would you do differently?"},
		CreatedBy:    "tess",
		Created:      time.Date(2026, 3, 29, 1, 0, 0, 123456789, zone),
	}
}

func wantAssessment(a *sim.Assessment) *sim.Assessment {
	w := *a
	w.Created = a.Created.UTC()
	return &w
}

func storedAssessment(t *testing.T, s sim.Store, id string) *sim.Assessment {
	t.Helper()
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	a := assessment(id)
	require.NoError(t, s.CreateAssessment(ctx, a))
	return a
}

func hash(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

func candidate(id, assessment string) *sim.Candidate {
	return &sim.Candidate{
		ID: id, Assessment: assessment, TokenHash: hash("token " + id),
		Expires: time.Date(2026, 4, 5, 0, 0, 0, 999, zone), Status: sim.Invited,
	}
}

func wantCandidate(c *sim.Candidate) *sim.Candidate {
	w := *c
	if !c.Expires.IsZero() {
		w.Expires = c.Expires.UTC()
	}
	return &w
}

func assessmentRoundTrip(t *testing.T, s sim.Store) {
	a := storedAssessment(t, s, "a1")
	got, err := s.Assessment(ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, wantAssessment(a), got)

	// No questions reads back as an empty list.
	b := assessment("a2")
	b.Questions = nil
	require.NoError(t, s.CreateAssessment(ctx, b))
	got, err = s.Assessment(ctx, "a2")
	require.NoError(t, err)
	assert.Equal(t, []string{}, got.Questions)

	_, err = s.Assessment(ctx, "nope")
	assertCode(t, sim.ENotFound, err)
}

func assessmentNeeds(t *testing.T, s sim.Store) {
	assertCode(t, sim.EInvalid, s.CreateAssessment(ctx, assessment("a1")), "no scenario version stored")
	storedAssessment(t, s, "a1")
	assertCode(t, sim.EConflict, s.CreateAssessment(ctx, assessment("a1")))
}

func invalidAssessment(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	for name, spoil := range map[string]func(a *sim.Assessment){
		"no id":         func(a *sim.Assessment) { a.ID = "" },
		"short limit":   func(a *sim.Assessment) { a.TimeLimit = time.Second },
		"empty":         func(a *sim.Assessment) { a.Questions = []string{" "} },
		"NUL":           func(a *sim.Assessment) { a.Instructions = "a\x00b" },
		"no created at": func(a *sim.Assessment) { a.Created = time.Time{} },
	} {
		a := assessment("a1")
		spoil(a)
		assertCode(t, sim.EInvalid, s.CreateAssessment(ctx, a), name)
	}
	_, err := s.Assessment(ctx, "a1")
	assertCode(t, sim.ENotFound, err)
}

func assessmentsListed(t *testing.T, s sim.Store) {
	all, err := s.Assessments(ctx)
	require.NoError(t, err)
	assert.Equal(t, []sim.Assessment{}, all)
	storedAssessment(t, s, "a1")
	b := assessment("a2")
	b.Created = b.Created.Add(time.Hour)
	require.NoError(t, s.CreateAssessment(ctx, b))
	all, err = s.Assessments(ctx)
	require.NoError(t, err)
	require.Len(t, all, 2)
	assert.Equal(t, "a2", all[0].ID)
	assert.Equal(t, "a1", all[1].ID)
}

func candidateRoundTrip(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	c := candidate("c1", "a1")
	require.NoError(t, s.CreateCandidate(ctx, c))
	got, err := s.Candidate(ctx, "c1")
	require.NoError(t, err)
	assert.Equal(t, wantCandidate(c), got)
	got, err = s.CandidateByToken(ctx, hash("token c1"))
	require.NoError(t, err)
	assert.Equal(t, wantCandidate(c), got)

	// No expiry reads back as none.
	d := candidate("c2", "a1")
	d.Expires = time.Time{}
	require.NoError(t, s.CreateCandidate(ctx, d))
	got, err = s.Candidate(ctx, "c2")
	require.NoError(t, err)
	assert.Equal(t, d, got)

	_, err = s.Candidate(ctx, "nope")
	assertCode(t, sim.ENotFound, err)
	_, err = s.CandidateByToken(ctx, hash("nope"))
	assertCode(t, sim.ENotFound, err)
}

func candidateNeeds(t *testing.T, s sim.Store) {
	assertCode(t, sim.EInvalid, s.CreateCandidate(ctx, candidate("c1", "a1")), "no assessment stored")
	storedAssessment(t, s, "a1")
	require.NoError(t, s.CreateCandidate(ctx, candidate("c1", "a1")))
	assertCode(t, sim.EConflict, s.CreateCandidate(ctx, candidate("c1", "a1")), "id taken")
	same := candidate("c2", "a1")
	same.TokenHash = hash("token c1")
	assertCode(t, sim.EConflict, s.CreateCandidate(ctx, same), "token taken")
	short := candidate("c3", "a1")
	short.TokenHash = []byte{1, 2, 3}
	assertCode(t, sim.EInvalid, s.CreateCandidate(ctx, short), "token hash too short")
	started := candidate("c4", "a1")
	started.Status, started.Name, started.Call = sim.Started, "Ana", "call-1"
	assertCode(t, sim.EInvalid, s.CreateCandidate(ctx, started), "a new candidate is invited")
}

func candidatesListed(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	b := assessment("a2")
	require.NoError(t, s.CreateAssessment(ctx, b))
	for _, id := range []string{"c9", "c1", "c5"} {
		require.NoError(t, s.CreateCandidate(ctx, candidate(id, "a1")))
	}
	require.NoError(t, s.CreateCandidate(ctx, candidate("other", "a2")))
	sig := sim.Signal{Kind: sim.Paste, Length: 120, Turn: 2, At: time.Date(2026, 3, 29, 2, 0, 0, 5, zone)}
	require.NoError(t, s.AddSignal(ctx, "c1", sig))
	list, err := s.Candidates(ctx, "a1")
	require.NoError(t, err)
	var ids []string
	for _, c := range list {
		ids = append(ids, c.ID)
	}
	assert.Equal(t, []string{"c9", "c1", "c5"}, ids)
	sig.At = sig.At.UTC()
	assert.Equal(t, []sim.Signal{sig}, list[1].Signals)
	assert.Nil(t, list[0].Signals)
	none, err := s.Candidates(ctx, "nope")
	require.NoError(t, err)
	assert.Equal(t, []sim.Candidate{}, none)
}

func candidateCompareAndSet(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	c := candidate("c1", "a1")
	require.NoError(t, s.CreateCandidate(ctx, c))

	claimed := *c
	claimed.ClaimHash = hash("browser 1")
	require.NoError(t, s.UpdateCandidate(ctx, &claimed, sim.Invited), "a claim keeps the status")

	started := claimed
	started.Status, started.Name, started.Email, started.Call = sim.Started, "Ana Sánchez", "ana@example.com", "call-1"
	started.TokenHash = hash("ignored") // the token is never changed
	require.NoError(t, s.UpdateCandidate(ctx, &started, sim.Invited))
	assertCode(t, sim.EConflict, s.UpdateCandidate(ctx, &started, sim.Invited), "started already")

	finished := started
	finished.Status, finished.Answers = sim.Finished, []string{"They need trucks on time.", ""}
	require.NoError(t, s.UpdateCandidate(ctx, &finished, sim.Started))

	got, err := s.Candidate(ctx, "c1")
	require.NoError(t, err)
	finished.TokenHash = c.TokenHash
	assert.Equal(t, wantCandidate(&finished), got)

	ghost := candidate("ghost", "a1")
	assertCode(t, sim.ENotFound, s.UpdateCandidate(ctx, ghost, sim.Invited))
	bad := finished
	bad.Status = "lost"
	assertCode(t, sim.EInvalid, s.UpdateCandidate(ctx, &bad, sim.Finished))
}

func racingStarts(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	c := candidate("c1", "a1")
	require.NoError(t, s.CreateCandidate(ctx, c))
	const n = 8
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := *c
			mine.Status, mine.Name, mine.Call = sim.Started, "Ana", "call-"+string(rune('a'+i))
			err := s.UpdateCandidate(ctx, &mine, sim.Invited)
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
				return
			}
			assertCode(t, sim.EConflict, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, wins)
}

func signalsKept(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	require.NoError(t, s.CreateCandidate(ctx, candidate("c1", "a1")))
	at := time.Date(2026, 3, 29, 2, 0, 0, 1, zone)
	var want []sim.Signal
	for i := range sim.MaxSignals {
		sig := sim.Signal{Kind: []sim.SignalKind{sim.Blur, sim.Focus, sim.Paste}[i%3], Turn: i / 10, At: at.Add(time.Duration(i))}
		if sig.Kind == sim.Paste {
			sig.Length = i
		}
		require.NoError(t, s.AddSignal(ctx, "c1", sig))
		sig.At = sig.At.UTC()
		want = append(want, sig)
	}
	assertCode(t, sim.EConflict, s.AddSignal(ctx, "c1", sim.Signal{Kind: sim.Blur, At: at}), "one too many")
	got, err := s.Candidate(ctx, "c1")
	require.NoError(t, err)
	assert.Equal(t, want, got.Signals)
	assertCode(t, sim.ENotFound, s.AddSignal(ctx, "ghost", sim.Signal{Kind: sim.Blur, At: at}))
}

func invalidSignal(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	require.NoError(t, s.CreateCandidate(ctx, candidate("c1", "a1")))
	at := time.Date(2026, 3, 29, 2, 0, 0, 1, zone)
	for name, sig := range map[string]sim.Signal{
		"kind":          {Kind: "copy", At: at},
		"blur length":   {Kind: sim.Blur, Length: 3, At: at},
		"negative":      {Kind: sim.Paste, Length: -1, At: at},
		"no time":       {Kind: sim.Focus},
		"negative turn": {Kind: sim.Focus, Turn: -1, At: at},
	} {
		assertCode(t, sim.EInvalid, s.AddSignal(ctx, "c1", sig), name)
	}
	got, err := s.Candidate(ctx, "c1")
	require.NoError(t, err)
	assert.Empty(t, got.Signals)
}

func dueCalls(t *testing.T, s sim.Store) {
	require.NoError(t, s.PutScenarioVersion(ctx, version("h1")))
	base := time.Date(2026, 3, 29, 2, 0, 0, 0, zone)
	mk := func(id string, deadline time.Time) {
		c := newCall(id, "h1")
		c.Started, c.Deadline = base.Add(-time.Hour), deadline
		require.NoError(t, s.CreateCall(ctx, c))
	}
	mk("late", base.Add(-time.Minute))
	mk("exact", base)
	mk("later", base.Add(time.Nanosecond))
	mk("none", time.Time{})
	mk("ended", base.Add(-2*time.Minute))
	require.NoError(t, s.EndCall(ctx, "ended", 0, sim.EndedByTrainee, base.Add(-3*time.Minute), nil))
	due, err := s.DueCalls(ctx, base)
	require.NoError(t, err)
	assert.Equal(t, []string{"late", "exact"}, due)
	due, err = s.DueCalls(ctx, base.Add(-time.Hour))
	require.NoError(t, err)
	assert.Equal(t, []string{}, due)
}

func scorecardsKept(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	require.NoError(t, s.CreateCandidate(ctx, candidate("c1", "a1")))
	at := time.Date(2026, 3, 29, 3, 0, 0, 7, zone)
	card := func(who string, r int) sim.Scorecard {
		return sim.Scorecard{Reviewer: who, Ratings: []int{r, 4, 0, 2}, Notes: []string{"asked why «twice»", "", "", "no budget question"}, At: at}
	}
	require.NoError(t, s.PutScorecard(ctx, "c1", card("tess", 3)))
	require.NoError(t, s.PutScorecard(ctx, "c1", card("rui", 5)))
	require.NoError(t, s.PutScorecard(ctx, "c1", card("tess", 1)))
	got, err := s.Candidate(ctx, "c1")
	require.NoError(t, err)
	want := []sim.Scorecard{card("tess", 1), card("rui", 5)}
	for i := range want {
		want[i].At = at.UTC()
	}
	assert.Equal(t, want, got.Scorecards)

	// Updating the candidate keeps the scorecards.
	claimed := *got
	claimed.ClaimHash = hash("b")
	require.NoError(t, s.UpdateCandidate(ctx, &claimed, sim.Invited))
	got, err = s.Candidate(ctx, "c1")
	require.NoError(t, err)
	assert.Equal(t, want, got.Scorecards)

	bad := card("tess", 6)
	assertCode(t, sim.EInvalid, s.PutScorecard(ctx, "c1", bad))
	assertCode(t, sim.ENotFound, s.PutScorecard(ctx, "ghost", card("tess", 1)))
}

func revealsKept(t *testing.T, s sim.Store) {
	storedAssessment(t, s, "a1")
	require.NoError(t, s.CreateAssessment(ctx, assessment("a2")))
	none, err := s.Reveals(ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, []sim.Reveal{}, none)

	at := time.Date(2026, 3, 29, 4, 0, 0, 11, zone)
	// Later first: the order is the order recorded, not the times'.
	want := []sim.Reveal{
		{Assessment: "a1", User: "tess", Via: sim.RevealReview, At: at.Add(time.Minute)},
		{Assessment: "a1", User: "rui «ç»", Via: sim.RevealCSV, At: at},
		{Assessment: "a1", User: "tess", Via: sim.RevealJSON, At: at.Add(time.Nanosecond)},
	}
	for i, r := range want {
		require.NoError(t, s.AddReveal(ctx, r))
		if i == 0 {
			require.NoError(t, s.AddReveal(ctx, sim.Reveal{Assessment: "a2", User: "ana", Via: sim.RevealReview, At: at}))
		}
		want[i].At = r.At.UTC()
	}
	got, err := s.Reveals(ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, want, got)
	other, err := s.Reveals(ctx, "a2")
	require.NoError(t, err)
	assert.Equal(t, []sim.Reveal{{Assessment: "a2", User: "ana", Via: sim.RevealReview, At: at.UTC()}}, other)
	ghost, err := s.Reveals(ctx, "nope")
	require.NoError(t, err)
	assert.Equal(t, []sim.Reveal{}, ghost)
}

func revealNeeds(t *testing.T, s sim.Store) {
	at := time.Date(2026, 3, 29, 4, 0, 0, 0, zone)
	assertCode(t, sim.ENotFound, s.AddReveal(ctx, sim.Reveal{Assessment: "a1", User: "tess", Via: sim.RevealReview, At: at}), "no assessment stored")
	storedAssessment(t, s, "a1")
	for name, r := range map[string]sim.Reveal{
		"no user":       {Assessment: "a1", Via: sim.RevealReview, At: at},
		"no assessment": {User: "tess", Via: sim.RevealReview, At: at},
		"via":           {Assessment: "a1", User: "tess", Via: "print", At: at},
		"no time":       {Assessment: "a1", User: "tess", Via: sim.RevealCSV},
	} {
		assertCode(t, sim.EInvalid, s.AddReveal(ctx, r), name)
	}
	got, err := s.Reveals(ctx, "a1")
	require.NoError(t, err)
	assert.Empty(t, got)
}
