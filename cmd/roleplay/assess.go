package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/scenario"
	"github.com/roleplay-sim/roleplay/sim/server"
)

func init() {
	register(&command{
		name:  "assess",
		args:  "create --scenario ID --time-limit 20m --candidates N [--expires 72h] [--instructions TEXT] [--question Q]... [--by NAME] [--db PATH|URL] [--url URL] [--scenarios DIR]",
		short: "create a hiring assessment and print its links",
		long: `Assess create sets up a hiring assessment in the database the server
uses, on a scenario uploaded from the page (a draft, never published, is
a private assessment scenario: trainees never see it) or a bundled one:
a time limit that runs from the moment a candidate starts, instructions
and debrief questions (the defaults unless given), and one single-use
link per candidate, printed one a line. The links are shown only now:
the database keeps their hashes.

--scenarios DIR looks the scenario up in DIR instead of the bundled ones,
as serve --scenarios does; the assessment keeps the version it was
created on, so its calls play the same whatever the server serves later.

--by NAME decides who may review the assessment in the page: every admin,
and the user NAME with the trainers who share a team with them. The
default, cli, is no user's name, so only admins see such an assessment
until it is created with --by naming its trainer.`,
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
	by := fs.String("by", "cli", "the user `NAME` who created the assessment: they, the trainers of their teams and the admins review it")
	dsn := fs.String("db", "", "where the server keeps its data: as serve --db")
	base := fs.String("url", "http://127.0.0.1:8080", "the server's address as candidates reach it")
	dir := fs.String("scenarios", "", "look the scenario up in `DIR` instead of the bundled ones (as serve --scenarios)")
	instructions := fs.String("instructions", "", "the `TEXT` candidates read before the call (default: the standard instructions)")
	var questions []string
	fs.Func("question", "a debrief `QUESTION`; repeat for each (default: the standard debrief)", func(q string) error {
		questions = append(questions, q)
		return nil
	})
	pos, code, ok := parse(fs, e, args, 1)
	if !ok {
		return code
	}
	if pos[0] != "create" || *id == "" {
		fs.Usage()
		return exitUsage
	}
	store, _, err := openStore(e.ctx, *dsn)
	if err != nil {
		return failf(e, exitInternal, "assess create: %v", err)
	}
	defer store.Close()
	var dirs []string
	if *dir != "" {
		dirs = []string{*dir}
	}
	sc, err := assessedScenario(e, store, *id, dirs)
	if err != nil {
		return failf(e, exitInternal, "assess create: %v", err)
	}
	if sc == nil {
		where := "bundled"
		if *dir != "" {
			where = "in " + *dir
		}
		return failf(e, exitUsage, "assess create: there is no scenario %q, %s or uploaded", *id, where)
	}
	out, err := server.CreateAssessment(e.ctx, store, sc, server.NewAssessment{
		Scenario: sc.ID, TimeLimit: *limit, Candidates: *n, ExpiresIn: *expires,
		Instructions: *instructions, Questions: questions,
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

// assessedScenario is the version of scenario id an assessment is on, as
// the server means it (GET /api/assessments): the published upload, else
// the file (bundled, or under dirs), else the newest draft; nil if there
// is none.
func assessedScenario(e *env, store sim.Store, id string, dirs []string) (*sim.Scenario, error) {
	ups, err := store.UploadedScenarios(e.ctx)
	if err != nil {
		return nil, fmt.Errorf("read uploaded scenarios: %w", err)
	}
	var up *sim.UploadedScenario
	for i := range ups {
		if ups[i].ID == id && len(ups[i].Uploads) > 0 {
			up = &ups[i]
		}
	}
	if up != nil && up.Published != "" {
		return storedVersion(e, store, up.Published)
	}
	bundled, err := loadPaths(dirs)
	if err != nil {
		return nil, fmt.Errorf("load the scenarios: %w", err)
	}
	for _, sc := range bundled {
		if sc.ID == id {
			return sc, nil
		}
	}
	if up != nil {
		return storedVersion(e, store, up.Latest().Hash)
	}
	return nil, nil
}

func storedVersion(e *env, store sim.Store, hash string) (*sim.Scenario, error) {
	v, err := store.ScenarioVersion(e.ctx, hash)
	if err != nil {
		return nil, fmt.Errorf("read scenario version %.12s: %w", hash, err)
	}
	return scenario.LoadVersion(v)
}
