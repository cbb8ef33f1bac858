package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/roleplay-sim/roleplay/sim"
	"github.com/roleplay-sim/roleplay/sim/grade"
	"github.com/roleplay-sim/roleplay/sim/scenario"
)

func init() {
	register(&command{
		name:  "grade",
		args:  "[--text] [--reclassify] TRANSCRIPT.json",
		short: "re-grade a saved call",
		long: `Grade replays a saved transcript (from the browser's "Download JSON", or
'roleplay play --transcript') on the scenario version it carries, with the
acts as they were read during the call, and prints the report as JSON, or
as text with --text. The same transcript always gives the same bytes,
whatever classifier this build has. A transcript names the engine (the
rules of replies and grading) that graded it; when this build's engine is
another, grade says so on standard error, as its grade can differ.

--reclassify reads the lines again with today's classifier, on purpose, and
prints what changed: per turn the acts before and after, then the grade's
outcome, profile and scores before and after.

A version-1 transcript (saved before turns kept their acts) is read again
with today's classifier, which grade says on standard error; it is refused
if its scenario no longer hashes the same on this build's defaults.`,
		run: runGrade,
	})
}

func runGrade(e *env, args []string) int {
	c := commands["grade"]
	fs := c.flags(e)
	text := fs.Bool("text", false, "print the report as text")
	reclassify := fs.Bool("reclassify", false, "read the lines again with today's classifier and show what changed")
	pos, code, ok := parse(fs, e, args, 1)
	if !ok {
		return code
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	f, err := scenario.ReadTranscript(data, e.reader())
	if err != nil {
		return failf(e, exitFailed, "%s: %s", pos[0], sim.ErrorMessage(err))
	}
	for _, n := range f.Notes {
		fmt.Fprintf(e.stderr, "roleplay: %s: %s\n", pos[0], n)
	}
	if was := f.Transcript.Engine; was != "" && was != sim.Engine {
		fmt.Fprintf(e.stderr, "roleplay: %s: the call was graded by engine %s; this build's engine is %s, whose rules changed since, so this grade can differ from the one given then\n", pos[0], was, sim.Engine)
	}
	conv, err := sim.Replay(f.Scenario, nil, &f.Transcript.Call)
	if err != nil {
		return failf(e, exitFailed, "%s: %s", pos[0], sim.ErrorMessage(err))
	}
	r := grade.Grade(conv)
	if *reclassify {
		now, err := rereadCall(f.Scenario, e.reader(), &f.Transcript.Call)
		if err != nil {
			return failf(e, exitFailed, "%s: %s", pos[0], sim.ErrorMessage(err))
		}
		writeChanges(e.stdout, conv, r, now, grade.Grade(now))
		return exitOK
	}
	if *text {
		fmt.Fprint(e.stdout, r.Text())
		return exitOK
	}
	return writeJSON(e, r)
}

// rereadCall plays the recorded lines again, read by r, and ends the call
// as it ended.
func rereadCall(s *sim.Scenario, r sim.Reader, call *sim.Call) (*sim.Conversation, error) {
	c := sim.NewConversation(s, r)
	for _, t := range call.Turns {
		if c.Ended() {
			break // read differently, the call ended sooner
		}
		if _, err := c.Say(t.Said); err != nil {
			return nil, sim.Errorf(sim.EInvalid, "turn %d: %v", t.N, err)
		}
	}
	if call.End == sim.EndedByTrainee || call.End == sim.EndedByDeadline {
		c.End(call.End)
	}
	return c, nil
}

// writeChanges says how the call reads with today's classifier.
func writeChanges(w io.Writer, was *sim.Conversation, wasR *sim.Report, now *sim.Conversation, nowR *sim.Report) {
	before, after := was.Turns(), now.Turns()
	changed := 0
	for i := 0; i < max(len(before), len(after)); i++ {
		b, a := "(not said)", "(not said)"
		if i < len(before) {
			b = actNames(before[i])
		}
		if i < len(after) {
			a = actNames(after[i])
		}
		if a != b {
			changed++
			fmt.Fprintf(w, "turn %d: %s -> %s\n", i+1, b, a)
		}
	}
	if changed == 0 {
		fmt.Fprintln(w, "acts: every turn reads as recorded")
	}
	row := func(name string, b, a any) {
		mark := ""
		if fmt.Sprint(b) != fmt.Sprint(a) {
			mark = "  (changed)"
		}
		fmt.Fprintf(w, "%s: %v -> %v%s\n", name, b, a, mark)
	}
	row("outcome", wasR.Outcome, nowR.Outcome)
	row("profile", wasR.Profile, nowR.Profile)
	row("customer focus", wasR.CustomerFocus, nowR.CustomerFocus)
	row("self-focus", wasR.SelfFocus, nowR.SelfFocus)
	row("score", wasR.Score, nowR.Score)
}

func actNames(t sim.Turn) string {
	names := make([]string, len(t.Acts))
	for i, d := range t.Acts {
		names[i] = d.Act.String()
	}
	return strings.Join(names, ", ")
}
