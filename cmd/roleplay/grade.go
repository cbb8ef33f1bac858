package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/roleplay-sim/roleplay/sim"
)

func init() {
	register(&command{
		name:  "grade",
		args:  "[--text] TRANSCRIPT.json",
		short: "re-grade a saved call",
		long: `Grade replays a saved transcript (from the browser's "Download JSON", or
'roleplay play --transcript') on the scenario version it carries and prints
the report as JSON, or as text with --text. The same transcript always
gives the same bytes.`,
		run: runGrade,
	})
}

func runGrade(e *env, args []string) int {
	c := commands["grade"]
	fs := c.flags(e)
	text := fs.Bool("text", false, "print the report as text")
	pos, code, ok := parse(fs, e, args, 1)
	if !ok {
		return code
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return failf(e, exitInternal, "%v", err)
	}
	var t sim.Transcript
	if err := json.Unmarshal(data, &t); err != nil {
		return failf(e, exitFailed, "%s is not a transcript: %v", pos[0], err)
	}
	s, err := t.LoadScenario()
	if err != nil {
		return failf(e, exitFailed, "%s: %v", pos[0], err)
	}
	conv, err := sim.Replay(s, t)
	if err != nil {
		return failf(e, exitFailed, "%s: %v", pos[0], err)
	}
	r := sim.Grade(conv)
	if *text {
		fmt.Fprint(e.stdout, r.Text())
		return exitOK
	}
	return writeJSON(e, r)
}
