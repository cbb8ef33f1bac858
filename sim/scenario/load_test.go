package scenario

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
)

var rewrite = flag.Bool("rewrite", false, "rewrite golden files under testdata/ (read the diff before committing)")

// golden compares got with the file, or rewrites the file under -rewrite.
func golden(t *testing.T, file, got string) {
	t.Helper()
	if *rewrite {
		require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err, "missing golden file; run go test ./sim -rewrite and read it")
	assert.Equal(t, string(want), got, "differs from %s; run go test ./sim -rewrite and read the diff", file)
}

// What a scenario author sees for a broken file is itself a specification:
// each testdata/load/*.toml has its exact messages in a .golden file beside it.
func TestLoadDiagnostics(t *testing.T) {
	files, err := filepath.Glob("testdata/load/*.toml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			_, err = Load(file, src)
			require.Error(t, err, "a broken scenario must not load")
			var ds Diagnostics
			require.True(t, errors.As(err, &ds), "load errors are Diagnostics, got %T", err)
			for _, d := range ds {
				assert.Equal(t, file, d.File)
				assert.Positive(t, d.Line, "every problem has a line: %s", d)
				assert.Positive(t, d.Col, "every problem has a column: %s", d)
			}
			golden(t, strings.TrimSuffix(file, ".toml")+".golden", err.Error()+"\n")
		})
	}
}

// Every problem in a file is reported in one go, not one per run.
func TestLoadReportsEveryProblemAtOnce(t *testing.T) {
	src, err := os.ReadFile("testdata/load/unknown_keys.toml")
	require.NoError(t, err)
	_, err = Load("unknown_keys.toml", src)
	var ds Diagnostics
	require.True(t, errors.As(err, &ds))
	assert.Len(t, ds, 6, "five unknown keys, and the fact whose reply was misspelled has none")
}

func TestLoadMinimalPersona(t *testing.T) {
	s := loadTestScenario(t)
	assert.Equal(t, "minimal", s.ID)
	assert.Equal(t, "opening", s.Start)
	assert.Equal(t, 30, s.MaxTurns)
	assert.Len(t, s.Meters, 2, "default trust and patience")
	assert.Len(t, s.Hash, 64)
	assert.Contains(t, s.Vocabulary().Product, "FleetSight")
	for _, st := range []string{"opening", "discovery", "engaged", "convinced", "won", "lost"} {
		assert.NotNil(t, s.State(st), "default state %s", st)
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	src, err := os.ReadFile("../testdata/minimal.toml")
	require.NoError(t, err)
	a, err := Load("minimal.toml", src)
	require.NoError(t, err)
	b, err := Load("minimal.toml", src)
	require.NoError(t, err)
	ga, _ := a.Graph("mermaid")
	gb, _ := b.Graph("mermaid")
	assert.Equal(t, ga, gb)
	assert.Equal(t, a.Hash, b.Hash)
}

func TestGraphFormats(t *testing.T) {
	s := loadTestScenario(t)
	m, err := s.Graph("mermaid")
	require.NoError(t, err)
	assert.Contains(t, m, "stateDiagram-v2")
	assert.Contains(t, m, "convinced --> won: close [trust >= 55]")
	d, err := s.Graph("dot")
	require.NoError(t, err)
	assert.Contains(t, d, "digraph")
	_, err = s.Graph("svg")
	assert.Error(t, err)
}

func loadTestScenario(t testing.TB) *sim.Scenario {
	t.Helper()
	src, err := os.ReadFile("../testdata/minimal.toml")
	require.NoError(t, err)
	s, err := Load("testdata/minimal.toml", src)
	require.NoError(t, err)
	return s
}

// Whatever bytes arrive, loading returns a scenario or diagnostics; it never panics.
func FuzzLoad(f *testing.F) {
	for _, file := range append(must(filepath.Glob("testdata/load/*.toml")), "../testdata/minimal.toml") {
		src, err := os.ReadFile(file)
		if err == nil {
			f.Add(string(src))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		s, err := Load("fuzz.toml", []byte(src))
		if err == nil && s == nil {
			t.Fatal("no scenario and no error")
		}
		var ds Diagnostics
		if err != nil && errors.As(err, &ds) && len(ds) == 0 {
			t.Fatal("empty diagnostics")
		}
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func readFile(name string) (string, error) {
	b, err := os.ReadFile(name)
	return string(b), err
}

// The one rule for finding scenario files: testdata and hidden folders
// below the root are skipped; a root that is a file is always listed.
func TestScenarioFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"a.toml":               {},
		"notes.txt":            {},
		"sub/b.toml":           {},
		"testdata/c.toml":      {},
		"sub/testdata/d.toml":  {},
		".git/e.toml":          {},
		"testdata/explicit.tx": {},
	}
	files, err := ScenarioFiles(fsys, ".")
	require.NoError(t, err)
	assert.Equal(t, []string{"a.toml", "sub/b.toml"}, files)
	files, err = ScenarioFiles(fsys, "testdata")
	require.NoError(t, err)
	assert.Equal(t, []string{"testdata/c.toml"}, files, "a root named testdata is walked")
	files, err = ScenarioFiles(fsys, "testdata/explicit.tx")
	require.NoError(t, err)
	assert.Equal(t, []string{"testdata/explicit.tx"}, files)
}

// A default effect is replaced or turned off by its id, one at a time.
func TestDefaultEffectsOverriddenByID(t *testing.T) {
	base, err := readFile("../testdata/minimal.toml")
	require.NoError(t, err)
	plain, err := Load("m.toml", []byte(base))
	require.NoError(t, err)
	over, err := Load("m.toml", []byte(base+`
[[effect]]
id = "pitch_too_early"
on = "pitch"
when = "pains == 0"
change = { trust = -25 }
reason = "pitched blind"

[[effect]]
id = "every_turn"
off = true
`))
	require.NoError(t, err)
	assert.Len(t, over.Effects, len(plain.Effects)-1, "one replaced in place, one turned off")
	var reasons []string
	for _, e := range over.Effects {
		reasons = append(reasons, e.Reason)
	}
	assert.Contains(t, reasons, "pitched blind")
	assert.NotContains(t, reasons, "pitched before learning about any problem")
}

// What an author is warned about in a scenario that loads: each
// testdata/lint/*.toml has its exact warnings in a .golden file beside it,
// read with the real classifier.
func TestLintWarnings(t *testing.T) {
	files, err := filepath.Glob("testdata/lint/*.toml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			require.NoError(t, err)
			s, err := Load(file, src)
			require.NoError(t, err, "a lint case loads; only its warnings are golden")
			ds := Lint(s, classify.Default())
			require.NotEmpty(t, ds, "a lint case has a warning")
			golden(t, strings.TrimSuffix(file, ".toml")+".golden", ds.Error()+"\n")
		})
	}
}

// The bundled personas and the test persona have nothing to warn about.
func TestMinimalHasNoWarnings(t *testing.T) {
	assert.Empty(t, Lint(loadTestScenario(t), classify.Default()))
}
