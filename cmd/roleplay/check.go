package main

import (
	"fmt"

	"github.com/roleplay-sim/roleplay/sim/scenario"
)

func init() {
	register(&command{
		name:  "check",
		args:  "[PATH...]",
		short: "validate scenario files",
		long: `Check loads every scenario file in the given files and folders (the bundled
scenarios when none is given) and reports every problem at once, each as
file:line:col: what is wrong and what would be right. Then it warns about
what loads but may not play as meant: a fact's question that the classifier
reads as another act or that reveals another fact, a state whose only way
out is losing, a condition that can never hold, a transition into a state
and straight out of it in one turn. Exit status 1 if any scenario has a
problem; warnings alone do not fail.`,
		run: runCheck,
	})
}

func runCheck(e *env, args []string) int {
	c := commands["check"]
	paths, code, ok := parse(c.flags(e), e, args, anyArgs)
	if !ok {
		return code
	}
	all, err := loadPaths(paths)
	if err != nil {
		return reportLoad(e, err)
	}
	rd := e.reader()
	for _, s := range all {
		for _, w := range scenario.Lint(s, rd) {
			fmt.Fprintln(e.stdout, w.Error())
		}
		fmt.Fprintf(e.stdout, "ok  %s  %s (%d facts, %d states)\n", s.File, s.ID, len(s.Facts), len(s.States))
	}
	return exitOK
}
