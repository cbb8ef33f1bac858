package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/server"
)

func init() {
	register(&command{
		name:  "assess",
		args:  "create --scenario ID --time-limit 20m --candidates N [--expires 72h] [--by NAME] [--db PATH|URL] [--url URL]",
		short: "create a hiring assessment and print its links",
		long: `Assess create sets up a hiring assessment on a bundled scenario in the
database the server uses: a time limit that runs from the moment a
candidate starts, the default instructions and debrief questions, and one
single-use link per candidate, printed one a line. The links are shown
only now: the database keeps their hashes.`,
		run: runAssess,
	})
}

func runAssess(e *env, args []string) int {
	c := commands["assess"]
	fs := c.flags(e)
	id := fs.String("scenario", "", "the scenario `ID` the candidates call")
	limit := fs.String("time-limit", "20m", "the `DURATION` of each call, from its start")
	n := fs.Int("candidates", 1, "how many single-use links to make")
	expires := fs.String("expires", "", "how long an unused link stays valid (`DURATION`; default: no expiry)")
	by := fs.String("by", "cli", "who created the assessment, as the review shows it")
	dsn := fs.String("db", "", "where the server keeps its data: as serve --db")
	base := fs.String("url", "http://127.0.0.1:8080", "the server's address as candidates reach it")
	pos, code, ok := parse(fs, e, args, 1)
	if !ok {
		return code
	}
	if pos[0] != "create" || *id == "" {
		fs.Usage()
		return exitUsage
	}
	all, err := loadPaths(nil)
	if err != nil {
		return reportLoad(e, err)
	}
	var sc *sim.Scenario
	for _, s := range all {
		if s.ID == *id {
			sc = s
		}
	}
	if sc == nil {
		return failf(e, exitUsage, "assess create: there is no scenario %q", *id)
	}
	store, _, err := openStore(e.ctx, *dsn)
	if err != nil {
		return failf(e, exitInternal, "assess create: %v", err)
	}
	defer store.Close()
	out, err := server.CreateAssessment(e.ctx, store, sc, server.NewAssessment{
		Scenario: sc.ID, TimeLimit: *limit, Candidates: *n, ExpiresIn: *expires,
	}, *by, time.Now())
	if err != nil {
		if sim.ErrorCodeOf(err) == sim.EInternal {
			return failf(e, exitInternal, "assess create: %v", err)
		}
		return failf(e, exitUsage, "assess create: %s", sim.ErrorMessage(err))
	}
	fmt.Fprintf(e.stderr, "assessment %s on %s, %s a call; one link per candidate:\n", out.Assessment.ID, sc.ID, out.Assessment.TimeLimit)
	for _, l := range out.Links {
		fmt.Fprintln(e.stdout, strings.TrimRight(*base, "/")+l)
	}
	return exitOK
}
