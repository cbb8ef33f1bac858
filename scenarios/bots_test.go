package scenarios_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/classify"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/script"
)

// The four styles of seller, in other words than the built-in calibration
// bots (testdata/bots/README.md), land in their profile on every bundled
// persona and on the minimal one of the default machine.
func TestBotsInOtherWords(t *testing.T) {
	files, err := filepath.Glob("testdata/bots/*.txt")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	all := load(t)
	minimal, err := scenario.LoadFS(os.DirFS("../sim/testdata"), "minimal.toml")
	require.NoError(t, err)
	all = append(all, minimal...)
	for _, file := range files {
		want, lines := readBot(t, file)
		for _, s := range all {
			c := sim.NewConversation(s, classify.Default())
			for _, line := range expandBot(s, lines) {
				if c.Ended() {
					break
				}
				_, err := c.Say(line)
				require.NoError(t, err)
			}
			c.Hangup()
			r := grade.Grade(c)
			t.Logf("%-24s %-24s %-13s CF %3d SF %3d gave in %3d %s", filepath.Base(file), s.ID, r.Profile, r.CustomerFocus, r.SelfFocus, r.GaveIn, r.Outcome)
			if !assert.Equal(t, want, r.Profile, "%s on %s: customer focus %d, self-focus %d, gave in %d, %s after %d turns",
				filepath.Base(file), s.ID, r.CustomerFocus, r.SelfFocus, r.GaveIn, r.Outcome, r.Turns) {
				t.Log(script.Render(r))
			}
		}
	}
}

func readBot(t *testing.T, file string) (sim.Profile, []string) {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	var want sim.Profile
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "want:"):
			want = sim.Profile(strings.TrimSpace(strings.TrimPrefix(l, "want:")))
		case strings.HasPrefix(l, ">"), strings.HasPrefix(l, "each "):
			lines = append(lines, l)
		default:
			t.Fatalf("%s: %q: start lines with >, each KIND:, want: or #", file, l)
		}
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, want, "%s: no want:", file)
	return want, lines
}

// expandBot fills a bot's lines in for persona s.
func expandBot(s *sim.Scenario, lines []string) []string {
	name := s.Customer.Name
	if f := strings.Fields(name); len(f) > 0 {
		name = f[0]
	}
	pain := "what you described"
	for _, f := range s.Facts {
		if f.Kind == sim.FactPain {
			pain = strings.ToLower(f.Label)
			break
		}
	}
	fill := strings.NewReplacer("{name}", name, "{company}", s.Customer.Company, "{product}", s.Product.Name,
		"{vendor}", s.Product.Company, "{pain}", pain)
	var out []string
	for _, l := range lines {
		if text, ok := strings.CutPrefix(l, ">"); ok {
			out = append(out, fill.Replace(strings.TrimSpace(text)))
			continue
		}
		kind, text, _ := strings.Cut(strings.TrimPrefix(l, "each "), ":")
		for _, f := range s.Facts {
			if string(f.Kind) == strings.TrimSpace(kind) {
				out = append(out, fill.Replace(strings.ReplaceAll(strings.TrimSpace(text), "{label}", strings.ToLower(f.Label))))
			}
		}
	}
	return out
}
