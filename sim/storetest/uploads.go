package storetest

import (
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
)

// The rules of the scenarios uploaded from the page. Run runs them with the rest.
var uploadRules = []struct {
	rule string
	test func(t *testing.T, s sim.Store)
}{
	{"uploads are numbered per scenario and read back as stored, by id", uploadsRoundTrip},
	{"an upload names a stored version of its own scenario", uploadNeedsVersion},
	{"an unfit upload is invalid and not stored", invalidUpload},
	{"a scenario publishes one of its uploads, or none", publish},
	{"of uploads racing on one scenario each gets its own number", racingUploads},
	{"removing a scenario's uploads forgets them all, and keeps its versions", removeUploads},
}

// scenarioVersion is a stored version hash of scenario id.
func scenarioVersion(t *testing.T, s sim.Store, id, hash string) string {
	t.Helper()
	v := version(hash)
	v.ID = id
	require.NoError(t, s.PutScenarioVersion(ctx, v))
	return hash
}

func upload(id, hash, by string, minute int) sim.Upload {
	return sim.Upload{Scenario: id, Hash: hash, By: by, At: time.Date(2026, 4, 1, 10, minute, 0, 999, zone)}
}

func uploadsRoundTrip(t *testing.T, s sim.Store) {
	got, err := s.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Empty(t, got)
	v1 := scenarioVersion(t, s, "zeta", "z1")
	a1 := scenarioVersion(t, s, "alpha", "a1")
	a2 := scenarioVersion(t, s, "alpha", "a2")
	var made []sim.Upload
	for _, u := range []sim.Upload{
		upload("zeta", v1, "coach", 1),
		upload("alpha", a1, "coach", 2),
		upload("alpha", a2, "Zoë Trainer", 3),
		upload("alpha", a1, "root", 4), // the first version again: a new upload
	} {
		m, err := s.AddUpload(ctx, u)
		require.NoError(t, err)
		made = append(made, m)
	}
	assert.Equal(t, []int{1, 1, 2, 3}, []int{made[0].N, made[1].N, made[2].N, made[3].N})
	want := func(u sim.Upload, n int) sim.Upload {
		u.N, u.At = n, u.At.UTC()
		return u
	}
	assert.Equal(t, want(upload("alpha", a2, "Zoë Trainer", 3), 2), made[2])
	got, err = s.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Equal(t, []sim.UploadedScenario{
		{ID: "alpha", Uploads: []sim.Upload{
			want(upload("alpha", a1, "coach", 2), 1),
			want(upload("alpha", a2, "Zoë Trainer", 3), 2),
			want(upload("alpha", a1, "root", 4), 3),
		}},
		{ID: "zeta", Uploads: []sim.Upload{want(upload("zeta", v1, "coach", 1), 1)}},
	}, got)
	assert.Equal(t, a1, got[0].Latest().Hash)
}

func uploadNeedsVersion(t *testing.T, s sim.Store) {
	_, err := s.AddUpload(ctx, upload("alpha", "nope", "coach", 1))
	assertCode(t, sim.EInvalid, err, "a version not stored")
	scenarioVersion(t, s, "other", "o1")
	_, err = s.AddUpload(ctx, upload("alpha", "o1", "coach", 1))
	assertCode(t, sim.EInvalid, err, "a version of another scenario")
	got, err := s.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func invalidUpload(t *testing.T, s sim.Store) {
	h := scenarioVersion(t, s, "alpha", "a1")
	for name, u := range map[string]sim.Upload{
		"no scenario": upload("", h, "coach", 1),
		"no version":  upload("alpha", "", "coach", 1),
		"no author":   upload("alpha", h, "", 1),
		"no time":     {Scenario: "alpha", Hash: h, By: "coach"},
	} {
		_, err := s.AddUpload(ctx, u)
		assertCode(t, sim.EInvalid, err, name)
	}
	got, err := s.UploadedScenarios(ctx)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func publish(t *testing.T, s sim.Store) {
	assertCode(t, sim.ENotFound, s.Publish(ctx, "alpha", "a1"), "nothing uploaded")
	a1 := scenarioVersion(t, s, "alpha", "a1")
	a2 := scenarioVersion(t, s, "alpha", "a2")
	scenarioVersion(t, s, "alpha", "a3") // stored, never uploaded
	for i, h := range []string{a1, a2} {
		_, err := s.AddUpload(ctx, upload("alpha", h, "coach", i))
		require.NoError(t, err)
	}
	published := func() string {
		t.Helper()
		got, err := s.UploadedScenarios(ctx)
		require.NoError(t, err)
		require.Len(t, got, 1)
		return got[0].Published
	}
	assert.Empty(t, published(), "a draft until published")
	require.NoError(t, s.Publish(ctx, "alpha", a1))
	assert.Equal(t, a1, published(), "an older version may be the published one")
	assertCode(t, sim.EInvalid, s.Publish(ctx, "alpha", "a3"), "a version that was not uploaded")
	assertCode(t, sim.EInvalid, s.Publish(ctx, "alpha", "nope"))
	assert.Equal(t, a1, published(), "a refused publish changes nothing")
	require.NoError(t, s.Publish(ctx, "alpha", a2))
	assert.Equal(t, a2, published())
	require.NoError(t, s.Publish(ctx, "alpha", ""))
	assert.Empty(t, published(), "unpublished")
}

func racingUploads(t *testing.T, s sim.Store) {
	const writers = 8
	h := scenarioVersion(t, s, "alpha", "a1")
	var wg sync.WaitGroup
	ns := make([]int, writers)
	errs := make([]error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var u sim.Upload
			u, errs[i] = s.AddUpload(ctx, upload("alpha", h, "coach", i))
			ns[i] = u.N
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	sort.Ints(ns)
	assert.Equal(t, []int{1, 2, 3, 4, 5, 6, 7, 8}, ns)
	got, err := s.UploadedScenarios(ctx)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Len(t, got[0].Uploads, writers)
}

func removeUploads(t *testing.T, s sim.Store) {
	assertCode(t, sim.ENotFound, s.RemoveUploads(ctx, "alpha"), "nothing uploaded")
	a1 := scenarioVersion(t, s, "alpha", "a1")
	a2 := scenarioVersion(t, s, "alpha", "a2")
	b1 := scenarioVersion(t, s, "beta", "b1")
	for i, u := range []sim.Upload{upload("alpha", a1, "coach", 1), upload("alpha", a2, "coach", 2), upload("beta", b1, "root", 3)} {
		_, err := s.AddUpload(ctx, u)
		require.NoError(t, err, "upload %d", i)
	}
	require.NoError(t, s.Publish(ctx, "alpha", a2))

	require.NoError(t, s.RemoveUploads(ctx, "alpha"))
	got, err := s.UploadedScenarios(ctx)
	require.NoError(t, err)
	require.Len(t, got, 1, "only beta is left")
	assert.Equal(t, "beta", got[0].ID)
	for _, h := range []string{a1, a2} {
		v, err := s.ScenarioVersion(ctx, h)
		require.NoError(t, err, "the calls played on %s still load it", h)
		assert.Equal(t, "alpha", v.ID)
	}
	assertCode(t, sim.ENotFound, s.RemoveUploads(ctx, "alpha"), "removed already")
	assertCode(t, sim.ENotFound, s.Publish(ctx, "alpha", a2), "nothing left to publish")

	// Uploaded again, it starts afresh: upload 1, a draft.
	u, err := s.AddUpload(ctx, upload("alpha", a1, "coach", 4))
	require.NoError(t, err)
	assert.Equal(t, 1, u.N)
	got, err = s.UploadedScenarios(ctx)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, "alpha", got[0].ID)
	assert.Len(t, got[0].Uploads, 1)
	assert.Empty(t, got[0].Published)
}
