package scenarios_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/scenarios"
	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/script"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected part of golden transcripts (read the diff before committing)")

func load(t *testing.T) []*sim.Scenario {
	t.Helper()
	all, err := scenario.LoadFS(scenarios.FS(), ".")
	require.NoError(t, err)
	return all
}

// Every bundled scenario loads, and there are at least five of them, each
// testing a different skill.
func TestBundledScenariosLoad(t *testing.T) {
	all := load(t)
	require.GreaterOrEqual(t, len(all), 5)
	for _, s := range all {
		assert.NotEmpty(t, s.Brief, s.ID)
		assert.NotEmpty(t, s.Skills, s.ID)
	}
}

// The bundled personas have nothing for check to warn about.
func TestBundledScenariosHaveNoWarnings(t *testing.T) {
	for _, s := range load(t) {
		assert.Empty(t, scenario.Lint(s, classify.Default()), s.ID)
	}
}

// Golden transcripts: each file in testdata/<id>/ is a trainee script with
// expectations and the expected rendering of the call.
func TestGoldenTranscripts(t *testing.T) {
	for _, s := range load(t) {
		files, err := filepath.Glob(filepath.Join(script.GoldenDir(s), "*.txt"))
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(files), 2, "scenario %s needs a good call and a call per failure mode it targets", s.ID)
		balancedWin := false
		for _, file := range files {
			t.Run(strings.TrimSuffix(file, ".txt"), func(t *testing.T) {
				src, err := os.ReadFile(file)
				require.NoError(t, err)
				g := script.RunGolden(file, string(src), s, classify.Default(), *rewrite)
				for _, p := range g.Problems {
					t.Errorf("%s\n(run go test ./scenarios -rewrite and read the diff)", p)
				}
				if r := g.Result.Report; r != nil && r.Outcome == sim.Won && r.Profile == sim.Balanced && len(g.Problems) == 0 {
					balancedWin = true
				}
				if *rewrite && g.Rewritten != "" {
					require.NoError(t, os.WriteFile(file, []byte(g.Rewritten), 0o644))
				}
			})
		}
		assert.True(t, balancedWin, "scenario %s needs a golden good call that ends won and balanced", s.ID)
	}
}

// The calibration bots land in the profile their style deserves on every
// bundled scenario.
func TestCalibration(t *testing.T) {
	for _, s := range load(t) {
		for _, c := range script.Calibrate(s, classify.Default()) {
			assert.True(t, c.OK, "%s: bot %s landed %s (customer focus %d, self-focus %d, %s after %d turns), want %s",
				s.ID, c.Bot, c.Profile, c.CF, c.SF, c.Outcome, c.Turns, c.Want)
		}
	}
}

// The guide's complete example is a working persona: it loads and its bots
// land where they should, so the guide cannot drift from the code.
func TestGuideExample(t *testing.T) {
	guide, err := os.ReadFile("README.md")
	require.NoError(t, err)
	_, after, ok := strings.Cut(string(guide), "## A complete example")
	require.True(t, ok, "the guide has a complete example")
	_, block, ok := strings.Cut(after, "```toml\n")
	require.True(t, ok)
	src, _, ok := strings.Cut(block, "```")
	require.True(t, ok)
	s, err := scenario.Load("example.toml", []byte(src))
	require.NoError(t, err)
	for _, c := range script.Calibrate(s, classify.Default()) {
		assert.True(t, c.OK, "bot %s landed %s, want %s", c.Bot, c.Profile, c.Want)
	}
}

// BenchmarkLoadBundled loads and validates every bundled scenario, as the
// server and the command-line tool do at start-up.
func BenchmarkLoadBundled(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := scenario.LoadFS(scenarios.FS(), "."); err != nil {
			b.Fatal(err)
		}
	}
}

// Each fact's example question, asked in a state that reveals it (with the
// pain it builds on already out), reveals that fact and no other: the
// customer answers the question asked.
func TestEachFactsQuestionRevealsIt(t *testing.T) {
	rd := classify.Default()
	for _, s := range load(t) {
		for _, f := range s.Facts {
			if f.Question == "" {
				continue
			}
			var out []string
			if f.Pain != "" {
				out = append(out, f.Pain)
			} else if f.Kind == sim.FactNeed {
				for _, p := range s.Facts {
					if p.Kind == sim.FactPain {
						out = append(out, p.ID)
						break
					}
				}
			}
			for _, st := range s.States {
				if !st.RevealsKind(f.Kind) {
					continue
				}
				got := s.FactAsked(st.Name, rd.Read(f.Question, s.Vocabulary()), out...)
				assert.Equal(t, f.ID, got, "%s: in state %s, %q (%v) should reveal %s; scores %v", s.ID, st.Name, f.Question, rd.Read(f.Question, s.Vocabulary()), f.ID, s.MatchFacts(f.Question))
				break
			}
		}
	}
}

// The guide lists every built-in reply, word for word, so a trainer sees
// what the customer says when a persona does not.
func TestGuideListsTheDefaultReplies(t *testing.T) {
	guide, err := os.ReadFile("README.md")
	require.NoError(t, err)
	s, err := scenario.Load("empty.toml", []byte("[customer]\nname = \"A\"\nopening = \"Hi.\"\n[product]\nname = \"X\"\n"))
	require.NoError(t, err)
	texts := append(append([]string{}, s.NothingMore...), s.TimeUp...)
	for _, r := range s.Replies {
		texts = append(texts, r.Text...)
	}
	flat := strings.Join(strings.Fields(string(guide)), " ")
	for _, text := range texts {
		assert.True(t, strings.Contains(flat, `"`+text+`"`), "the guide's default replies miss %q", text)
	}
}
