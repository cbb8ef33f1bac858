package script

import (
	"path"

	"github.com/roleplay-sim/roleplay/sim"
)

// The one golden harness: go test (scenarios, sim), 'roleplay test' and any
// tool that checks transcripts run a golden file through RunGolden and do
// the file reading and writing themselves, so sim stays free of I/O.

// GoldenDir is where the golden transcripts of s live: testdata/<id>/
// beside the scenario file.
func GoldenDir(s *sim.Scenario) string {
	return path.Join(path.Dir(s.File), "testdata", s.ID)
}

// A Golden is one golden transcript run.
type Golden struct {
	Result Result
	// Problems lists what fails: a script that does not parse, expectations
	// not met, and (unless rewriting) where the rendering differs.
	Problems []string
	// Rewritten is the file with its rendering replaced by what the call
	// gives now, or "" when the file already matches.
	Rewritten string
}

// RunGolden plays the golden transcript src (named name in messages) on s,
// the lines read by rd. With rewrite, a differing rendering is not a
// problem: Rewritten holds the new file, to be read before it is committed.
func RunGolden(name, src string, s *sim.Scenario, rd sim.Reader, rewrite bool) Golden {
	sc, err := Parse(name, src)
	if err != nil {
		return Golden{Problems: []string{err.Error()}}
	}
	g := Golden{Result: sc.Run(s, rd)}
	g.Problems = append(g.Problems, g.Result.Failures...)
	if !g.Result.Matches(sc) {
		g.Rewritten = sc.Rewrite(g.Result.Got)
		if !rewrite {
			g.Problems = append(g.Problems, g.Result.Difference(sc))
		}
	}
	return g
}
